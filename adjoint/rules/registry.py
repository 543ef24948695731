"""The rule registry: every primitive adjoint knows, and how to add one.

Rules are ordinary Python functions that the compiler inlines into generated code
(see ../shared/STYLE.md). A vjp rule takes `(g, ans, *args)` — the cotangent of
the result, the result, the primal arguments — and returns one cotangent per
positional argument, `None` where there is none.
"""

import dataclasses
import importlib
import sys

from adjoint import runtime
from adjoint.rules.numpy_helpers import broadcast_like
from transforms.analysis import kinds
from transforms.core.rules import PrimitiveRule, RuleTable

TABLE = RuleTable(
    unbroadcast=runtime.unbroadcast, zeros_like=runtime.zeros_like,
    scalar_seed=runtime.scalar_seed,
    helpers={'owned': runtime.owned, 'add_at': runtime.add_at,
             'fill_like': runtime.fill_like, 'like': runtime.like,
             'deep_like': runtime.deep_like,
             'add_cotangents': runtime.add_cotangents, 'broadcast_like': broadcast_like,
             'spread': runtime.spread, 'item_of': runtime.item_of,
             'written_part': runtime.written_part, 'clear_written': runtime.clear_written,
             'written_items': runtime.written_items,
             'split_concatenated': runtime.split_concatenated,
             'unrepeated': runtime.unrepeated, 'float_written': runtime.float_written,
             'float_tape': runtime.float_tape, 'int_tape': runtime.int_tape,
             'bool_tape': runtime.bool_tape})


def fresh(*constructors):
    """Declare callables that return a new array or container (`np.zeros`, `list`):
    generated code may update their results in place without copying them first."""
    TABLE.fresh = TABLE.fresh | frozenset(constructors)
    TABLE.changed()


def views(*primitives, of_any_argument=False):
    """Declare primitives whose result may share memory with their first argument
    (`np.reshape`, `x.T`), or with any argument if `of_any_argument`
    (`np.einsum('ij->ji', x)`): a write into one is then seen through the other,
    which the compiler checks (transforms/analysis/aliasing.py). Any other primitive with a
    rule is taken to return a new object (tests/test_rules.py checks that it does)."""
    if of_any_argument:
        TABLE.views_of_any = TABLE.views_of_any | frozenset(primitives)
    else:
        TABLE.views = TABLE.views | frozenset(primitives)
    TABLE.changed()


def _update(primitive, **changes):
    rule = TABLE.rules.get(primitive, PrimitiveRule())
    TABLE.rules[primitive] = dataclasses.replace(rule, **changes)
    TABLE.changed()  # code compiled before may have inlined the old rule, or none


def vjp_rule(primitive, *, broadcasts=None, kind=None, elementwise=None, kinds=None):
    """Register the decorated function as the vjp (adjoint) rule of `primitive`.

    Args:
        primitive: the callable (`np.sin`, `operator.mul`, a user function), or
            `('method', 'name')` for `x.name(...)`.
        broadcasts: the primitive broadcasts its arguments NumPy-style, so each
            cotangent is summed back to its argument's shape.
        kind: `(arg_kinds, kwarg_kinds) -> kind` of the result, if known.
        elementwise: the primitive and its rule work element by element (see
            `PrimitiveRule`): results have the broadcast shape of the arguments.
        kinds: a tuple of positional argument kinds (`('matrix', 'matrix')`): the
            rule is used for arguments of exactly these kinds only, in place of
            the general rule, which must be registered too.
    """
    def register(rule_fn):
        if kinds is not None:
            rule = TABLE.rules.get(primitive, PrimitiveRule())
            _update(primitive, vjp_for_kinds=rule.vjp_for_kinds + ((tuple(kinds), rule_fn),))
            return rule_fn
        changes = {'vjp': rule_fn, 'differentiable': True}
        if broadcasts is not None:
            changes['broadcasts'] = broadcasts
        if elementwise is not None:
            changes['elementwise'] = elementwise
        if kind is not None:
            changes['kind'] = kind
        _update(primitive, **changes)
        return rule_fn
    return register


def uniform_rule(primitive):
    """Register the decorated function as the rule of reduction `primitive` for a
    cotangent that is one number for every element of the result: it returns one
    number standing for every element of each argument's cotangent, so no array
    full of copies of it is made (see `PrimitiveRule.uniform`)."""
    def register(rule_fn):
        _update(primitive, uniform=rule_fn)
        return rule_fn
    return register


def kept_rule(primitive):
    """Register the decorated function as the rule of reduction `primitive` that
    gives its argument's cotangent as an array broadcasting against the argument
    (`keep_dims(g, ...)`), which elementwise rules can use as it is, instead of
    repeating it to the argument's shape (see `PrimitiveRule.kept`)."""
    def register(rule_fn):
        _update(primitive, kept=rule_fn)
        return rule_fn
    return register


def jvp_rule(primitive):
    """Register the decorated function as the jvp (tangent) rule of `primitive`.

    The rule takes one tangent `d<name>` per differentiable parameter, then
    `ans` (the result), then the parameters, and returns the tangent of the
    result (see docs/forward.md).

    Args:
        primitive: the callable (`np.sin`, a user function), or `('method',
            'name')` for `x.name(...)`, as for `vjp_rule`.
    """
    def register(rule_fn):
        _update(primitive, jvp=rule_fn)
        return rule_fn
    return register


def nondifferentiable(*primitives, kind=None):
    """Declare primitives whose outputs carry no derivative (`len`, comparisons).

    Args:
        *primitives: the callables (or `('method', 'name')`).
        kind: `(arg_kinds, kwarg_kinds) -> kind` of the result, if known, as
            for `vjp_rule`.
    """
    for primitive in primitives:
        changes = {'differentiable': False}
        if kind is not None:
            changes['kind'] = kind
        _update(primitive, **changes)


def unsupported(reason, *primitives):
    """Declare primitives that adjoint does not differentiate, and why: where a
    differentiated value flows into one, the error says `reason` (what to do
    instead), rather than asking for a rule. Users may still register rules."""
    for primitive in primitives:
        _update(primitive, unsupported=reason)


def zero_role(role, *functions):
    """Declare how a zero tangent passes through functions that jvp rules call, so
    that rules are simplified around it (see transforms/ad/forward/forward_rules.py).

    Args:
        role: 'sum' (zero operands drop out, like `np.add`), 'difference'
            (`np.subtract`), or a tuple of argument positions at which a zero makes
            the result zero (`np.sum`: (0,), `np.dot`: (0, 1)).
        functions: the callables, or `('method', name)` keys.
    """
    for fn in functions:
        TABLE.zero_roles[fn] = role
    TABLE.changed()


def shaped_like(position, *primitives):
    """Declare primitives whose result has the shape of their argument at
    `position`, whatever the values (`np.zeros_like`, `unbroadcast(g, x)`): the
    compiler then knows more arrays to have one shape (transforms/analysis/shapes.py)."""
    for primitive in primitives:
        _update(primitive, like=position)


def reductions(*primitives):
    """Declare primitives that reduce their first argument over `axis`, taking
    `keepdims` (`np.sum`, `x.max`): with `keepdims=True` their result broadcasts
    against the argument, which tells the compiler the shape of `x - np.max(x,
    axis=1, keepdims=True)` (transforms/analysis/shapes.py)."""
    for primitive in primitives:
        _update(primitive, reduces=True)


def reads_only_shape(position, *primitives):
    """Declare primitives of whose argument at `position` only the shape is read,
    and that it is an array (`unbroadcast(g, x)`, `spread(s, x)`): the compiler
    may pass another array known to have that shape, so that the work computing
    the argument is left out (transforms/analysis/shapes.py)."""
    for primitive in primitives:
        rule = TABLE.rules.get(primitive, PrimitiveRule())
        _update(primitive, shape_only=tuple(sorted({*rule.shape_only, position})))


def products(*primitives):
    """Declare matrix products of two arguments, of vectors and matrices as `x @ y`
    (`np.dot`, `np.matmul`): the compiler then knows the shape of the result from
    those of the arguments (transforms/analysis/shapes.py)."""
    for primitive in primitives:
        _update(primitive, product=True)


def reverses_axes(*primitives):
    """Declare primitives whose result is their one argument with its axes
    reversed (`x.T`, `np.transpose(x)`): the compiler then knows the shape of the
    result from the argument's (transforms/analysis/shapes.py)."""
    for primitive in primitives:
        _update(primitive, reverses_axes=True)


def as_method(name, *functions):
    """Declare functions of an array that generated code may call as the array's
    method `name`, with the same arguments after the array (`np.sum(x, 1)` as
    `x.sum(1)`), when it knows the first argument is a float array
    (transforms/prepare/methods.py)."""
    for fn in functions:
        TABLE.methods[fn] = name
    TABLE.changed()


def subscript_function(obj, function):
    """Declare that `obj[index]` is `function(index)`, for an object that builds a
    value from its index (`np.r_[x, y]`): the compiler calls the function instead,
    and its rules apply where a subscript's index has no derivative
    (transforms/prepare/known_objects.py)."""
    TABLE.subscripted = {**TABLE.subscripted, obj: function}
    TABLE.changed()


def freezes_arguments(*objects):
    """Declare objects whose call returns a frozen version of them: a method of
    `obj(*a, **k)` taking at most one argument `v` by position is `obj`'s method
    of that name called as `obj.name(v, *a, **k)` (`scipy.stats.norm(mu,
    sigma).logpdf(x)` is `norm.logpdf(x, mu, sigma)`), so that its rule applies
    where the frozen object is made and used in the differentiated function
    (transforms/prepare/known_objects.py)."""
    TABLE.freezes = TABLE.freezes | frozenset(objects)
    TABLE.changed()


# Optional libraries, and the modules of their rules: registered once the program
# has imported the library (`load_optional_rules`).
OPTIONAL_RULES = (('scipy.special', 'adjoint.rules.scipy_rules'),
                  ('scipy.stats', 'adjoint.rules.scipy_stats_rules'),
                  ('scipy.signal', 'adjoint.rules.scipy_signal_rules'))


def load_optional_rules():
    """Register the rules of the optional libraries the program has imported.

    SciPy's rules are registered once `scipy.special` (or `scipy.stats`) has been
    imported, when a derivative is made or the registry is read, not by `import
    adjoint`: importing SciPy takes most of a second, which a program that does
    not use it should not pay. A rule the user registered before for one of these
    functions is kept.
    """
    for library, module in OPTIONAL_RULES:
        if sys.modules.get(library) is not None and module not in sys.modules:
            earlier = dict(TABLE.rules)
            importlib.import_module(module)
            TABLE.rules.update(earlier)
            TABLE.changed()


def registered():
    """{primitive: PrimitiveRule} of everything registered so far (the rules of
    the optional libraries imported so far too)."""
    load_optional_rules()
    return dict(TABLE.rules)


# ------------------------------------------------------------ result kinds


def arithmetic(args, kwargs):
    """Elementwise arithmetic: arrays win (a vector with scalars and vectors stays
    a vector), then floats, then ints."""
    return kinds.arithmetic(args)


def true_division(args, kwargs):
    kind = arithmetic(args, kwargs)
    return 'float' if kind == 'int' else kind


def real(args, kwargs):
    """A `math` function: always a Python float."""
    return 'float'


def unknown(args, kwargs):
    """A result whose kind the arguments' kinds do not tell (a tuple of parts, a
    cotangent of whatever structure)."""
    return None


def elementwise(args, kwargs):
    """A NumPy ufunc: an array for array input, else a float scalar."""
    kind = arithmetic(args, kwargs)
    return 'float' if kind == 'int' else kind


def reduction(args, kwargs):
    """A whole-array reduction: a float scalar."""
    return 'float' if args and args[0] in kinds.ARRAYS | {'float', 'int'} and \
        not kwargs else None


def sequence_item(kind):
    """The kind of an item of a list, a tuple or a float array of kind `kind`, which
    Python's `max`, `sorted`, `list`... walk (None if not known)."""
    if isinstance(kind, tuple) and kind[0] in ('list', 'tuple'):
        return kind[1]
    return {'vector': 'float', 'matrix': 'vector'}.get(kind)


def integer(args, kwargs):
    return 'int'


def boolean(args, kwargs):
    return 'bool' if all(k in ('int', 'float', 'bool') for k in args) else None
