"""kinds: which values are known scalars, known arrays, or unknown.

Requires: an `ir.Function`, the kind of each parameter, and a `RuleTable`.
Provides: `infer_kinds(fn, param_kinds, rules) -> {name: kind}`.

A kind is 'int', 'float', 'bool' (Python or NumPy scalars), 'vector' and
'matrix' (ndarrays of floats of 1 and 2 dimensions), 'array' (an ndarray of
floats of any other or unknown number of dimensions) or None (not known). Reverse
mode uses kinds to leave out work a hand-written gradient would not do: no
`unbroadcast` between scalars, a literal `0.0` instead of `zeros_like(x)` for a
scalar `x`, and `x[i]` of a vector or `x[i, j]` of a matrix is a float, as it is
of a list of floats (a simulation loop over arrays).
"""

import inspect
import numbers
import operator
import types
from dataclasses import dataclass

from transforms import frontend
from transforms.core import ir, primitives
from transforms.core.errors import InternalError
from transforms.core.rules import primitive_key

SCALARS = frozenset({'int', 'float', 'bool'})
NDIMS = {'vector': 1, 'matrix': 2}  # float arrays of a known number of dimensions
ARRAYS = frozenset(NDIMS) | {'array'}  # 'array': any float array


_ARRAY_KINDS = {0: 'float', 1: 'vector', 2: 'matrix'}


@dataclass(frozen=True)
class FunctionKind:
    """The kind of a function held as a value (`act = np.tanh if relu else np.sin`,
    a parameter `nonlinearity=np.tanh`): the functions it may be. Code is
    specialized to them, as to any kind (`function_values` turns a call of the
    value into a call of each), so a derivative compiles a version per function
    passed in (`dispatch_key` tells functions apart by identity)."""

    functions: frozenset

    def __repr__(self):
        names = sorted(getattr(f, '__name__', repr(f)) for f in self.functions)
        return f"function({', '.join(names)})"


def _function_kind(value):
    """FunctionKind of a callable that is not a class, or None."""
    if isinstance(value, type) or not callable(value):
        return None
    try:
        hash(value)
    except TypeError:
        return None
    return FunctionKind(frozenset((value,)))


def array_kind(ndim):
    """The kind of a float array (or float, for 0) of `ndim` dimensions."""
    return _ARRAY_KINDS.get(ndim, 'array')


def kind_of_value(value):
    """The kind of a Python object (used for constants and call arguments).

    Containers have kinds `('list', item kind)`, `('tuple', item kind)` and
    `('dict', item kind, ((key, kind), ...))`. A list's or tuple's item kind is
    what all its items have in common (`join`): code specialized to the first
    item's kind would treat a later array as a float. A list of floats of one
    type is told at C speed; indexing it then needs no `unbroadcast`. A dict's
    item kind is what all its values have in common too, and each key's own kind
    follows: a dict of parameters is looked at once per call and has few of them,
    and knowing that `params['W']` is a matrix lets generated code release it and
    write `g @ W.T`.
    """
    cls = type(value)
    kind = _TYPE_KINDS.get(cls)
    if kind is None:
        kind = _TYPE_KINDS[cls] = _type_kind(cls)
    if kind == 'other':  # first: arrays are the arguments a derivative sees most
        dtype, ndim = getattr(value, 'dtype', None), getattr(value, 'ndim', None)
        if dtype is None or ndim is None:
            return _function_kind(value)
        if dtype.kind != 'f':
            return None
        return array_kind(ndim)
    if kind == 'container':
        name = 'list' if isinstance(value, list) else 'tuple'
        if not value:
            return (name, None)
        first = kind_of_value(value[0])
        if first in SCALARS and len(set(map(type, value))) == 1:
            return (name, first)  # floats, at C speed
        return (name, _joined(map(kind_of_value, value)))
    if kind == 'dict':
        return dict_kind(tuple([(key, kind_of_value(item)) for key, item in value.items()]))
    return None if kind == 'unknown' else kind


_DTYPE_AND_NDIM = operator.attrgetter('dtype', 'ndim')


def dispatch_key(values):
    """A hashable key of the kinds of `values`, quicker to make than the kinds:
    tuples of values with equal keys have equal kinds.

    A derivative looks its compiled version up by this key at every call. For one
    array, `tuple(map(kind_of_value, args))` took 0.8 us, half the time of a
    1,000-element Rosenbrock gradient's gap to a hand-written one; the type, dtype
    and ndim of an array decide its kind and are read in a few attribute lookups.
    """
    key = ()
    for value in values:
        cls = type(value)
        decides = _TYPE_KINDS.get(cls)
        if decides is None:
            decides = _TYPE_KINDS[cls] = _type_kind(cls)
        if decides == 'other':
            try:
                key += ((cls, value.dtype, value.ndim),)
            except AttributeError:  # a function is its own kind; else kind None
                key += ((cls, value if _function_kind(value) else None),)
        elif decides == 'dict':  # its keys, and its values' keys: a dict of parameters
            items = value.values()
            try:  # arrays, read at C speed
                key += (('arrays', tuple(value), tuple(map(type, items)),
                         tuple(map(_DTYPE_AND_NDIM, items))),)
            except AttributeError:  # a float, a list: its own key
                key += (('dict', tuple(value), dispatch_key(items)),)
        elif decides == 'container':
            key += (('items', kind_of_value(value)),)
        else:
            key += (cls,)
    return key


def decided_by(cls):
    """What decides the kind of an instance of `cls`: 'int', 'float' or 'bool'
    (its type alone), 'container', 'dict' or 'other' (look at the value: an
    array's dtype and ndim), or 'unknown'."""
    decides = _TYPE_KINDS.get(cls)
    if decides is None:
        decides = _TYPE_KINDS[cls] = _type_kind(cls)
    return decides


# type -> what decides the kind of its instances: the type alone (a scalar kind,
# or 'unknown'), or 'container', 'dict', 'other' (look at the value). The derivative
# dispatches on argument kinds at every call, and the checks against the `numbers`
# ABCs cost a microsecond each time; each type is classified once.
_TYPE_KINDS = {}


def _type_kind(cls):
    if issubclass(cls, (list, tuple)):
        return 'container'
    if issubclass(cls, dict):
        return 'dict'
    if issubclass(cls, bool):
        return 'bool'
    if issubclass(cls, numbers.Integral):
        return 'int'
    if issubclass(cls, numbers.Real):
        return 'float'
    if issubclass(cls, type):  # np.ndarray itself has `dtype` and `ndim` descriptors
        return 'unknown'
    return 'other'


# The kind of the constant None while it is joined with other values (see
# `infer_kinds`); never in the result.
NONE = 'none'
# The kind of `primitives.UNBOUND` (see `ssa.py`), and of anything computed from it,
# while joined with other values: reading it raises, so no operation ever runs on
# it and it adds nothing to a join. Never in the result.
UNBOUND = 'unbound'


def join(a, b):
    """The kind of a value that is either kind `a` or kind `b`."""
    if a == b or b in (NONE, UNBOUND):
        return a
    if a in (NONE, UNBOUND):
        return b
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0]:
        # Containers: join their items; an empty list takes the other's items.
        items = b[1] if a[1] == 'empty' else a[1] if b[1] == 'empty' else join(a[1], b[1])
        return (a[0], items)
    if a in SCALARS and b in SCALARS:
        return 'float' if 'float' in (a, b) else 'int'
    if isinstance(a, FunctionKind) and isinstance(b, FunctionKind):
        return FunctionKind(a.functions | b.functions)
    if a in ARRAYS and b in ARRAYS:
        return 'array'  # arrays of different dimensions
    return None


def atom_kind(atom, kinds):
    """The kind of an IR atom: from `kinds` ({name: kind}) for a value, from the
    object for a constant or a global."""
    if isinstance(atom, ir.Var):
        return kinds.get(atom.name)
    return kind_of_value(getattr(atom, 'value', None))


def _joined(kinds):
    """The join of some kinds (None for none)."""
    out = NONE
    for kind in kinds:
        out = join(out, kind)
        if out is None:
            return None
    return None if out == NONE else out


def arithmetic(kinds, true_division=False):
    """The kind of an elementwise arithmetic result: an array of the most
    dimensions among the arguments (broadcasting a vector and a matrix makes a
    matrix), else a float, else an int."""
    if any(k is None for k in kinds):
        return None
    if 'array' in kinds:
        return 'array'
    ndims = [NDIMS[k] for k in kinds if k in NDIMS]
    if ndims:
        return array_kind(max(ndims))
    if true_division or 'float' in kinds:
        return 'float'
    return 'int'


def dict_kind(keyed):
    """The kind of a dict that knows its keys: `keyed` is `((key, kind), ...)`,
    in the dict's order, and its item kind is what all its values have in
    common."""
    return ('dict', _joined(kind for _, kind in keyed), keyed)


def is_kind(kind):
    """Whether `kind` is a kind code can be specialized to by name, as
    `kind_of_value` makes them: a scalar or array kind, None, or a list, tuple
    or dict of them (a dict with its keys, or only its values' kind). The API and
    the command line check the kinds a user names with it."""
    if kind is None:
        return True
    if isinstance(kind, str):
        return kind in SCALARS or kind in ARRAYS
    if not isinstance(kind, tuple) or len(kind) not in (2, 3) or \
            kind[0] not in ('list', 'tuple', 'dict'):
        return False
    if len(kind) == 2:
        return is_kind(kind[1])
    keyed = kind[2]
    return kind[0] == 'dict' and isinstance(keyed, tuple) and \
        all(isinstance(pair, tuple) and len(pair) == 2 and is_kind(pair[1])
            for pair in keyed) and kind == dict_kind(keyed)


def keyed_kinds(kind):
    """`((key, kind), ...)` of a dict kind that knows its keys (see
    `kind_of_value`), in the dict's order; None for any other kind."""
    if isinstance(kind, tuple) and kind[0] == 'dict' and len(kind) > 2:
        return kind[2]
    return None


def is_list_kind(kind):
    """Whether `kind` is that of a list (`('list', item kind)`)."""
    return isinstance(kind, tuple) and kind[0] == 'list'


def retupling(kind):
    """The runtime helper that gives a derivative built of lists (as generated
    code builds a container's cotangent, and `zeros_like` a zero) the tuples of a
    value of kind `kind`: 'like' for a tuple whose items hold no tuples (only the
    outer list changes), 'deep_like' for a container whose items are or may hold
    tuples (an item of unknown kind may be one), None for anything else."""
    if not isinstance(kind, tuple):
        return None
    if _holds_tuple(kind):
        return 'deep_like'
    return 'like' if kind[0] == 'tuple' else None


def _holds_tuple(kind):
    items = [k for _, k in keyed_kinds(kind)] if keyed_kinds(kind) else [kind[1]]
    return any(item is None or isinstance(item, tuple) and
               (item[0] == 'tuple' or _holds_tuple(item)) for item in items)


def item_kind(kind):
    """The kind of an item of a container of kind `kind` (None if not known)."""
    return kind[1] if isinstance(kind, tuple) else None


def _container_kind(stmt, kind_of):
    fn = stmt.fn.value
    args = [kind_of(a) for a in stmt.args]
    if fn in (primitives.make_tuple, primitives.make_list):
        items = 'empty'
        for a in args:
            items = a if items == 'empty' else join(items, a)
        return ('tuple' if fn is primitives.make_tuple else 'list', items)
    if fn is primitives.make_dict:
        keys = stmt.args[::2]
        if all(isinstance(k, ir.Const) for k in keys) and \
                len({k.value for k in keys}) == len(keys):
            return dict_kind(tuple((k.value, kind) for k, kind in zip(keys, args[1::2])))
        return ('dict', None)
    if fn is primitives.append and isinstance(args[0], tuple):
        return join(args[0], (args[0][0], args[1]))
    if fn is primitives.setitem and isinstance(args[0], tuple) and len(args) == 3:
        return join(args[0], (args[0][0], args[2]))  # `d['lr'] = 0.1` in a dict of arrays
    if fn in (primitives.setitem, primitives.append, primitives.copy, primitives.drop_last):
        return args[0]
    if fn is operator.getitem:
        index = stmt.args[1]
        if isinstance(index, ir.Const) and isinstance(index.value, slice):
            return args[0]
        if isinstance(index, ir.Const) and keyed_kinds(args[0]):  # `params['W']`
            return dict(keyed_kinds(args[0])).get(index.value, item_kind(args[0]))
        return item_kind(args[0])
    return None


def sequence_arithmetic(fn, kinds):
    """What `a + b` or `a * b` of operands of these kinds does where one may be a
    list or tuple: 'sequence' (`xs + ys` concatenates, `xs * n` repeats), 'numeric'
    (with an array, NumPy adds and multiplies element by element: `np.sin(x) *
    [1.0, 2.0]`), 'unknown' (the other operand's kind is not known: either), or
    None where no operand is a list or a tuple."""
    sequences = [k for k in kinds if _is_sequence(k)]
    if not sequences:
        return None
    others = [k for k in kinds if not _is_sequence(k)]
    if fn is operator.add and not others:
        return 'sequence'
    if any(k in ARRAYS for k in others):
        return 'numeric'
    if fn is operator.mul and len(sequences) == 1 and others[0] in ('int', 'bool'):
        return 'sequence'
    if any(k is None for k in others):
        return 'unknown'
    return 'sequence'  # `xs + 1.0`, `xs * xs`, `xs * 2.0`: raise in Python, as they run


UNKNOWN_SEQUENCE_ARITHMETIC = (
    'this adds or multiplies a list or tuple and a value adjoint does not know the kind '
    'of when it compiles: with an array it is arithmetic, with a list or an int it '
    'concatenates or repeats; make the list an array (np.array(...)) or the other value '
    'a known list or int')


def _is_sequence(kind):
    return isinstance(kind, tuple) and kind[0] in ('list', 'tuple')


def _sequence_arithmetic_kind(fn, args):
    """`xs + ys` of two lists (or tuples) is one of the items of both; `xs * n`
    and `n * xs` are `xs`'s kind. None where no operand is a list or tuple, or
    where arithmetic with an array makes an array (see `sequence_arithmetic`)."""
    sequences = [a for a in args if _is_sequence(a)]
    if sequence_arithmetic(fn, args) != 'sequence':
        return None
    if fn is operator.add:
        return join(*args) if len(sequences) == 2 else (sequences[0][0], None)
    return sequences[0]


_CONTAINER_PRIMITIVES = frozenset({
    primitives.make_tuple, primitives.make_list, primitives.make_dict, primitives.setitem,
    primitives.append, primitives.copy, primitives.drop_last})


def _slices(index):
    """Whether `x[index]` of an array is an array, never a scalar: slices only."""
    if not isinstance(index, ir.Const):
        return False
    parts = index.value if isinstance(index.value, tuple) else (index.value,)
    return bool(parts) and all(isinstance(p, slice) or p is Ellipsis for p in parts)


def array_item_kind(kind, index, kind_of, parts=None):
    """`x[index]` of a float array: a view of the same kind for slices; for an array
    of known dimensions indexed by ints and slices, each int takes one away
    (`x[i, j]` of a matrix is a float, `x[i]` a vector); else unknown.

    `parts` maps the name of an index tuple built in the function, `(i, j)`, to its
    items, where the caller knows them."""
    if _slices(index):
        return kind
    if isinstance(index, ir.Const):
        items = index.value if isinstance(index.value, tuple) else (index.value,)
        items = [ir.Const(v) for v in items]
    elif isinstance(index, ir.Var) and parts and index.name in parts:
        items = parts[index.name]
    else:
        items = [index]
    ints = 0
    for item in items:
        if kind_of(item) == 'int' or (isinstance(item, ir.Const) and type(item.value) is int):
            ints += 1
        elif not (isinstance(item, ir.Const) and isinstance(item.value, slice)):
            return None  # an array of indices, a mask, a new axis, Ellipsis
    ndim = NDIMS.get(kind)
    if ndim is None or len(items) > ndim:
        return None
    return array_kind(ndim - ints)


def let_kind(stmt, kind_of, rules, parts=None):
    """The kind of the value a `Let` computes, given the kinds of its atoms (and
    `parts`: the items of index tuples, see `array_item_kind`)."""
    fn = stmt.fn.value
    if fn is operator.getitem and kind_of(stmt.args[0]) in ARRAYS:
        return array_item_kind(kind_of(stmt.args[0]), stmt.args[1], kind_of, parts)
    if fn in _CONTAINER_PRIMITIVES or (fn is operator.getitem and
                                       isinstance(kind_of(stmt.args[0]), tuple)):
        return _container_kind(stmt, kind_of)
    if fn in (primitives.pop, primitives.new_tape, primitives.list_pop):
        return None
    if fn is primitives.call_value:
        return _called_kind(stmt, kind_of, rules)
    if fn in (operator.add, operator.mul):
        sequence = _sequence_arithmetic_kind(fn, [kind_of(a) for a in stmt.args[:2]])
        if sequence is not None:
            return sequence
    rule = rules.lookup(primitive_key(stmt))
    if rule is None and isinstance(fn, types.FunctionType) and \
            fn.__module__ != primitives.__name__:
        return callee_kind(fn, stmt, kind_of, rules)
    if rule is None or rule.kind is None:
        return None
    args = [kind_of(a) for a in stmt.args]
    kwargs = {k: kind_of(a) for k, a in stmt.kwargs}
    return rule.kind(args, kwargs)


def called(stmt, function):
    """`call_value(f, *args)` as the `Let` that calls `function`, one of what `f`
    may be (see `function_values`)."""
    return ir.replace(stmt, fn=ir.Global(getattr(function, '__name__', 'function'), function),
                      args=stmt.args[1:])


def _called_kind(stmt, kind_of, rules):
    """The kind of `call_value(f, ...)`: what each function `f` may be returns."""
    held = kind_of(stmt.args[0])
    if not isinstance(held, FunctionKind):
        return None
    return _joined(let_kind(called(stmt, function), kind_of, rules)
                   for function in held.functions)


def callee_kind(fn, stmt, kind_of, rules):
    """The kind of what a user function returns, from the kinds of the arguments
    (so `h = helper(x)` of floats is a float): its own IR, inferred once (kept in
    `rules.cache`; None, unknown, during a recursive call)."""
    try:
        bound = inspect.signature(fn).bind(*stmt.args, **dict(stmt.kwargs)).arguments
    except (TypeError, ValueError):
        return None
    arg_kinds = {p: kind_of(a) for p, a in bound.items()}

    def make():
        try:
            primal, _ = frontend.primal_ir(fn)
        except Exception:  # noqa: BLE001 - the call site reports errors, not kinds
            return None
        kinds = infer_kinds(primal, arg_kinds, rules)
        ret = primal.returns
        result = kinds.get(ret.name) if isinstance(ret, ir.Var) else kind_of_value(
            getattr(ret, 'value', None))
        return None if result == NONE else result

    key = ('kind', tuple(sorted(arg_kinds.items(), key=lambda kv: kv[0])))
    return rules.cache.lookup(fn, key, make, placeholder=None)


# A safeguard, never reached: each round widens at least one carried kind, and a
# kind can widen only a few times (see `join`).
_MAX_ROUNDS = 1000


def infer_kinds(fn, param_kinds, rules):
    """Kinds of every value in `fn`; loops iterate to a fixed point.

    Where an `if` or a loop joins the constant None with other values, the others
    decide the kind: a `result = None` that `controlflow.py` binds before a loop
    containing a `return` is replaced before it is ever used (any arithmetic on
    None would fail anyway), so `result` keeps the kind of the returned values.
    So does a loop's `UNBOUND` start (see `ssa.py`), which no operation reads:
    reading it raises first.
    """
    kinds = dict(param_kinds)
    parts = {}  # name of a tuple built here -> its items (the index of x[i, j])

    def joinable(atom):
        if isinstance(atom, ir.Const) and atom.value is None:
            return NONE
        if isinstance(atom, ir.Global) and atom.value is primitives.UNBOUND:
            return UNBOUND
        if isinstance(atom, ir.Var):
            return kinds.get(atom.name)
        return kind_of(atom)

    def kind_of(atom):
        if isinstance(atom, ir.Var):
            kind = kinds.get(atom.name)
            return None if kind in (NONE, UNBOUND) else kind
        if isinstance(atom, (ir.Const, ir.Global)):
            return kind_of_value(atom.value)
        return None

    def block(b):
        for stmt in b.stmts:
            statement(stmt)

    def loop(stmt, blocks, extra_params=()):
        for name in extra_params:
            kinds[name] = 'int'
        for name, init in zip(stmt.carried, stmt.inits):
            kinds[name] = joinable(init)
        # Kinds only widen (none < int < float < unknown; a container's items
        # likewise), and a join of containers nested to different depths is unknown,
        # so every chain is finite: iterate until nothing changes. A fixed number of
        # rounds once left a value carried through five variables a float.
        for _ in range(_MAX_ROUNDS):
            for b in blocks:
                block(b)
            body = blocks[-1]
            changed = False
            for name, nxt in zip(stmt.carried, body.yields):
                new = join(kinds[name], joinable(nxt))
                changed |= new != kinds[name]
                kinds[name] = new
            if not changed:
                break
        else:
            raise InternalError(f'kind inference did not reach a fixed point in '
                                f'{_MAX_ROUNDS} rounds of a loop in `{fn.name}`')
        for name, result in zip(stmt.carried, stmt.results):
            kinds[result] = kinds[name]

    def statement(stmt):
        if isinstance(stmt, ir.Hook):
            return  # runs in the backward sweep; reverse mode infers its kinds there
        if isinstance(stmt, ir.Let):
            if stmt.fn.value is primitives.make_tuple and stmt.target is not None:
                parts[stmt.target] = stmt.args
            if stmt.target is not None and \
                    any(joinable(a) == UNBOUND for a in ir.stmt_uses(stmt)):
                kinds[stmt.target] = UNBOUND  # never runs: reading UNBOUND raises first
            elif stmt.target is not None:
                kinds[stmt.target] = let_kind(stmt, kind_of, rules, parts)
        elif isinstance(stmt, ir.If):
            block(stmt.then)
            block(stmt.orelse)
            for name, a, b in zip(stmt.results, stmt.then.yields, stmt.orelse.yields):
                kinds[name] = join(joinable(a), joinable(b))
        elif isinstance(stmt, ir.For):
            loop(stmt, (stmt.body,), (stmt.index,))
        elif isinstance(stmt, ir.While):
            loop(stmt, (stmt.test, stmt.body))

    block(fn.body)
    return {name: None if kind in (NONE, UNBOUND) else kind for name, kind in kinds.items()}
