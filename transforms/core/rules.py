"""What the compiler needs to know about a primitive, supplied by the caller.

`transforms` knows nothing of NumPy or of any library: the `adjoint` package passes
a `RuleTable` that maps each callable to a `PrimitiveRule`, plus the few runtime
helpers generated code calls. Rule templates are ordinary Python functions; the
compiler parses them once and inlines their bodies with names substituted.
"""

import functools
import inspect
import operator
import weakref
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

from transforms.core import ir, primitives
from transforms.core.cache import CompileCache


@dataclass(frozen=True)
class PrimitiveRule:
    """The derivative rules and properties of one primitive.

    Args:
        vjp: template `(g, ans, *args, **kwargs) -> tuple`, one cotangent per
            positional argument, None for zero.
        jvp: template `(dargs..., ans, *args) -> tangent` (forward mode).
        differentiable: False for functions whose output carries no derivative
            (comparisons, `len`, `np.floor`): nothing flows through them.
        broadcasts: True for NumPy-style broadcasting operations: each cotangent is
            summed back to its argument's shape by the table's `unbroadcast`.
        kind: `(arg_kinds, kwarg_kinds) -> kind` of the result (see `kinds.py`).
        elementwise: each element of the result is a function of the elements of
            the (broadcast) positional arguments at the same place, and so is each
            element of the cotangents `vjp` returns, given those of `g`: `np.sin`,
            `a * b`; not `np.linalg.solve`, which broadcasts too.
        uniform: template `(g, ans, *args, **kwargs) -> tuple` for a reduction: the
            cotangents of the arguments, each a single number standing for every
            element, when `g` is one number for every element of the result
            (`np.sum`: `(g,)`; see `reverse_uniform.py`).
        kept: template `(g, ans, *args, **kwargs) -> tuple` for a reduction over
            some axes: the cotangent of its argument as an array that broadcasts
            against it (`np.sum`: `(keep_dims(g, x, axis, keepdims),)`), not
            repeated to its shape (see `reverse_uniform.py`).
        like: the result has the shape of this positional argument, whatever the
            values (`np.zeros_like(x)`, `unbroadcast(g, x)`; see `shapes.py`).
        reduces: a reduction of its first argument over `axis` (`np.sum`,
            `np.max`): with `keepdims=True` its result broadcasts against that
            argument (see `shapes.py`).
        shape_only: the positions of arguments of which only the shape (and
            that the argument is an array) is read: `unbroadcast(g, x)`'s `x`,
            `spread(s, x)`'s. The compiler may pass another array known to have
            that shape, so that what computes the argument need not run (see
            `shapes.py`).
        product: a matrix product of its two positional arguments, of vectors
            and matrices as `x @ y` (`np.dot`, `np.matmul`; see `shapes.py`).
        reverses_axes: its result is its one argument with the axes reversed
            (`x.T`, `np.transpose(x)`; see `shapes.py`).
        vjp_for_kinds: `((arg_kinds, template), ...)`: vjp templates for positional
            arguments of exactly these kinds, used instead of `vjp` (`x @ y` of two
            matrices is `(g @ y.T, x.T @ g)`, without the cases of vectors).
        unsupported: for a primitive without rules on purpose, why: the error
            raised where a differentiated value flows into it says so, instead
            of asking for a rule (`np.fft.fft`: its result is complex).
    """

    vjp: Optional[Callable] = None
    jvp: Optional[Callable] = None
    differentiable: bool = True
    broadcasts: bool = False
    kind: Optional[Callable] = None
    elementwise: bool = False
    uniform: Optional[Callable] = None
    kept: Optional[Callable] = None
    like: Optional[int] = None
    reduces: bool = False
    shape_only: tuple = ()
    product: bool = False
    reverses_axes: bool = False
    vjp_for_kinds: tuple = ()
    unsupported: Optional[str] = None

    def for_kinds(self, arg_kinds):
        """This rule, with the vjp template registered for `arg_kinds` if there is one."""
        for kinds, template in self.vjp_for_kinds:
            if kinds == arg_kinds:
                return replace(self, vjp=template)
        return self


@dataclass
class RuleTable:
    """Rules keyed by primitive, and the runtime helpers generated code calls.

    Args:
        rules: primitive key -> PrimitiveRule. A key is the callable itself, or
            `('method', name)` / `('attr', name)` for `x.name(...)` / `x.name`.
        unbroadcast: `unbroadcast(g, x)` sums `g` down to the shape of `x`.
        zeros_like: `zeros_like(x)`, a zero cotangent shaped like `x`.
        scalar_seed: `scalar_seed(y, name)`: 1.0 if `y` is a scalar, ones shaped like
            `y` for an array of one element, else raises.
        helpers: more runtime helpers by name (see `helper`).
        fresh: callables that return a new array or container (`np.zeros`), which
            generated code may then update in place without copying it first.
        zero_roles: how a zero tangent passes through a function a jvp rule calls,
            beyond Python's operators (see `forward_rules.py`): 'sum' (`np.add`),
            'difference' (`np.subtract`), or the positions at which a zero
            argument makes a zero result (`np.sum`: (0,); `np.dot`: (0, 1)).
        views: primitive keys whose result may share memory with their first
            argument (`np.reshape`, `x.T`, `unbroadcast`, which may return `g`);
            any other primitive with a rule makes a new object (see `aliasing.py`).
        views_of_any: primitive keys whose result may share memory with any of
            their arguments (`np.einsum('ij->ji', x)` is a view of `x`).
        methods: {function: method name} for functions of an array that generated
            code calls as the array's method, `np.sum(x)` as `x.sum()` (see
            `methods.py`).
        subscripted: {object: function} for objects whose subscript builds a value
            from the index, `obj[index]` being `function(index)` (`np.r_[x, y]`):
            the compiler calls the function, whose rules apply (see
            `known_objects.py`).
        freezes: objects whose call freezes its arguments into the object it
            returns, whose methods take at most one argument of their own before
            them: `obj(*a, **k).name(v)` is `obj.name(v, *a, **k)`, as a frozen
            distribution of `scipy.stats` (`norm(mu, sigma).logpdf(x)`); the
            compiler calls `obj.name` where it has a rule (see `known_objects.py`).
        writes_in_place: `writes_in_place(callee, arity, keywords)`: for a call of
            `callee` (a callable, or `('method', name)`) with `arity` positional
            arguments and these keyword names, `(written, fix)` if it changes an
            argument's object, which the IR cannot see (`np.copyto(y, x)`,
            `out=y`): `written` the positions and keywords written ('self': a
            method's object, `y.__setitem__(i, v)`), `fix` the form
            to write instead; else None (see `inplace.py`, `aliasing.writes`).
        resolve: `resolve(obj, arg_kinds, kwarg_kinds)`: the Python function a
            callable object runs for arguments of these kinds (a derivative made by
            the library runs its generated code), or None (see
            `calls.resolve_callables`).
        cache: every piece of code compiled with this table (see `cache.py`);
            whoever changes the table calls `changed()`, which clears it.
    """

    rules: dict = field(default_factory=dict)
    unbroadcast: Any = None
    zeros_like: Any = None
    scalar_seed: Any = None
    helpers: dict = field(default_factory=dict)
    fresh: frozenset = frozenset()
    views: frozenset = frozenset()
    views_of_any: frozenset = frozenset()
    zero_roles: dict = field(default_factory=dict)
    methods: dict = field(default_factory=dict)
    subscripted: dict = field(default_factory=dict)
    freezes: frozenset = frozenset()
    writes_in_place: Any = None
    resolve: Any = None
    cache: CompileCache = field(default_factory=CompileCache, repr=False, compare=False)

    def changed(self):
        """Forget all code compiled with this table: a rule was registered or
        changed, and compiled code may have inlined the old one (or none)."""
        self.cache.clear()

    def freezes_arguments(self, obj):
        """Whether calling `obj` freezes its arguments into the object it returns
        (`freezes`; `scipy.stats.norm(mu, sigma)`)."""
        try:
            return obj in self.freezes
        except TypeError:  # an unhashable object is not in the table
            return False

    def helper(self, name):
        """The runtime helper `name` generated code calls: 'owned' (a copy safe to
        update in place), 'add_at', 'fill_like', 'like', 'deep_like' (see
        adjoint/runtime.py)."""
        known = {'unbroadcast': self.unbroadcast, 'zeros_like': self.zeros_like,
                 'scalar_seed': self.scalar_seed}
        return known.get(name) or self.helpers[name]

    def is_pure(self, stmt):
        """Whether two `stmt`s with the same arguments compute the same value, which
        may then be shared: a primitive with a rule (a mathematical function), not a
        constructor of fresh objects (two `np.zeros(n)` are two buffers), nor a
        helper that updates its first argument (`clear_written(bd, 'a', ...)`
        changes `bd`: a read `bd['a']` after it is not the one before)."""
        key = primitive_key(stmt)
        return self.lookup(key) is not None and key not in self.fresh and \
            stmt.fn.value not in primitives.MUTATING and \
            not getattr(stmt.fn.value, 'updates_first_argument', False)

    def writes_nothing(self, stmt):
        """Whether `stmt` calls a primitive with a rule that changes none of its
        arguments (not `setitem`, not `bx = add_at(bx, i, g)`): what a user's
        helper or a method without a rule may do."""
        fn = stmt.fn.value
        return self.lookup(primitive_key(stmt)) is not None and \
            fn not in primitives.MUTATING and not getattr(fn, 'updates_first_argument', False)

    def written_arguments(self, stmt):
        """`(atoms, fix)`: the arguments the call `stmt` changes in place behind
        the IR's back (`writes_in_place`), and what to write instead; or None."""
        if not isinstance(stmt, ir.Let) or self.writes_in_place is None:
            return None
        if stmt.fn.value is primitives.call_method and len(stmt.args) >= 2 and \
                isinstance(stmt.args[1], ir.Const):
            callee, args = ('method', stmt.args[1].value), stmt.args[2:]
        else:
            callee, args = stmt.fn.value, stmt.args
        kwargs = dict(stmt.kwargs)
        found = self.writes_in_place(callee, len(args), tuple(kwargs))
        if found is None:
            return None
        written, fix = found
        atoms = [stmt.args[0] if k == 'self' else args[k] if isinstance(k, int) else kwargs[k]
                 for k in written]
        if all(isinstance(a, ir.Const) for a in atoms):
            return None  # `out=None` writes nothing
        return tuple(a for a in atoms if isinstance(a, ir.Var)), fix

    def lookup(self, key):
        try:
            return self.rules.get(key)
        except TypeError:  # an unhashable object is not a primitive
            return None


def per_rule(compute):
    """`compute(rule_fn, *rest)`, computed once per rule function and `rest`: the
    compiler reads a rule's signature, template and binding at each call it
    inlines the rule into. Held weakly by the function (a rule a user registers
    is not kept alive here) and computed again if what decides it changes: its
    code, defaults, or any `__signature__` or `__wrapped__` (a rule changed in
    place is read again). An error is raised again each time, not kept."""
    cache = weakref.WeakKeyDictionary()  # rule function -> (its stamp, {rest: value})

    @functools.wraps(compute)
    def cached(rule_fn, *rest):
        stamp = tuple(getattr(rule_fn, a, None) for a in _DECIDING)
        try:
            entry = cache.get(rule_fn)
            if entry is None or any(a is not b for a, b in zip(entry[0], stamp)):
                entry = cache[rule_fn] = (stamp, {})
        except TypeError:  # not weakly referable or unhashable: not cached
            return compute(rule_fn, *rest)
        if rest not in entry[1]:
            entry[1][rest] = compute(rule_fn, *rest)
        return entry[1][rest]
    return cached


_DECIDING = ('__code__', '__defaults__', '__kwdefaults__', '__signature__', '__wrapped__')

# `inspect.signature(rule_fn)`, computed once per rule function (see `per_rule`).
signature = per_rule(inspect.signature)


def primitive_key(stmt):
    """The key of a `Let`'s primitive: the callable, or (`'method'`, name) for methods."""
    fn = stmt.fn.value
    if fn is primitives.call_method:
        return ('method', stmt.args[1].value)
    if fn is getattr:
        return ('attr', stmt.args[1].value)
    return fn


def primal_args(stmt):
    """The positional arguments a rule sees: for `x.name(a)` that is `(x, a)`."""
    if stmt.fn.value in (primitives.call_method, getattr):
        return (stmt.args[0],) + tuple(stmt.args[2:])
    return tuple(stmt.args)


_LITERALS = (int, float, str, bool, type(None))


def keywords_in_place(rule_fn, stmt, is_active):
    """`stmt` with each differentiated keyword argument that names a positional
    parameter of the vjp rule `rule_fn` (`np.clip(x, a_min=lo)`) moved to its
    place, the parameters before it given the rule's defaults: a rule returns one
    cotangent per positional parameter, which is paired with the positional
    arguments. None if a parameter before it has no default a literal can write.
    """
    params = list(signature(rule_fn).parameters.values())[2:]  # after g, ans
    places = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    args, kwargs = primal_args(stmt), dict(stmt.kwargs)
    moved = [k for k, p in enumerate(places) if k >= len(args) and p.name in kwargs
             and is_active(kwargs[p.name])]
    if not moved:
        return stmt
    new = list(args)
    for p in places[len(args):moved[-1] + 1]:
        if p.name in kwargs:
            new.append(kwargs.pop(p.name))
        elif isinstance(p.default, _LITERALS):
            new.append(ir.Const(p.default))
        else:
            return None
    if stmt.fn.value in (primitives.call_method, getattr):
        new = [new[0], stmt.args[1]] + new[1:]
    return ir.replace(stmt, args=tuple(new), kwargs=tuple(kwargs.items()))


def activity_keywords(rule_fn, stmt, is_active):
    """Keyword arguments telling a rule which of its arguments are differentiated.

    A rule may declare keyword-only parameters `active_<name>` (`active_y=True`)
    for its primal parameters: the compiler passes `True` where the argument bound
    to `<name>` is differentiated, `False` where it is not. So `np.maximum(x, y)`
    splits a tie between two differentiated inputs evenly, and gives relu,
    `np.maximum(x, 0)`, the derivative 0 at 0 (../shared/DESIGN.md).

    Args:
        rule_fn: the vjp or jvp rule.
        stmt: the `Let` it is applied to.
        is_active: `is_active(atom) -> bool`.

    Returns:
        `((name, Const(bool)), ...)` to add to `stmt.kwargs`.
    """
    params = signature(rule_fn).parameters
    flags = [p for p in params.values() if p.kind is p.KEYWORD_ONLY
             and p.name.startswith('active_') and p.name[len('active_'):] in params]
    if not flags:
        return ()
    names = list(params)
    primal = inspect.Signature([params[n] for n in names[names.index('ans') + 1:]
                                if not n.startswith('active_')])
    try:
        bound = primal.bind(*primal_args(stmt), **dict(stmt.kwargs)).arguments
    except TypeError:
        return ()  # the call site's error is reported by the inlining
    return tuple((p.name, ir.Const(bool(is_active(bound.get(p.name[len('active_'):])))))
                 for p in flags)


STRUCTURAL = frozenset({primitives.push, primitives.pop, primitives.new_tape, operator.not_})
