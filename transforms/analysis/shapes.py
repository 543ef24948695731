"""shapes: which arrays are known to have the same shape as which.

Requires: an `ir.Function`, the kinds of its values (`kinds.py`), a `RuleTable`,
and optionally the dimensions of its array parameters as symbols (`param_dims`).
Provides: `shape_classes(fn, kinds, rules, param_dims) -> {name: class}`; two float arrays
(of kinds in `kinds.ARRAYS`) have the same shape whenever they have the same class (a
value missing from the dict is its own class, its name).

Kinds say "array", not which shape; that is enough to leave out work between
scalars, but every `a + b` of two arrays then undoes broadcasting at run time,
and the cotangent of a sum could not stay one number through `100.0 * (a - b)`.
A hand-written gradient knows `x[1:] - x[:-1] ** 2` has the shape of both
operands. The facts used, each true for every shape the arguments can have:

- an elementwise operation (`PrimitiveRule.elementwise`), called without keywords,
  whose array arguments share one class, has their shape (scalar arguments do
  not change it): `np.tanh(a)`, `2.0 * a`, `a - b ** 2` for `a`, `b` of one class;
- `x[k:]`, `x[:-k]` and `x[j:-m]` with j + m == k, for constant k >= 0, all have
  `max(len(x) - k, 0)` rows and the other dimensions of `x`;
- `x[i]` for any int `i` has the shape `x.shape[1:]` (all the rows of `x`);
- a primitive declared shaped like one of its arguments (`PrimitiveRule.like`:
  `np.zeros_like(x)`, `unbroadcast(g, x)`) has that argument's shape;
- a reduction (`PrimitiveRule.reduces`) of `x` with `keepdims=True` over a
  constant `axis` has a shape of its own, the same for the same axis, which
  broadcasts against `x`; so an elementwise operation of `x` and such reductions
  of it has `x`'s shape: `x - np.max(x, axis=1, keepdims=True)`.

With `param_dims`, code specialized, as `jax.jit` is, to which dimensions of the
array arguments are equal (`X` of shape `(n0, n1)`, `w` of `(n1,)`, `y` of
`(n0,)`: the sizes themselves are not known, only the pattern), a shape is known
dimension by dimension (`('dims', ('n0',))`), through elementwise operations
(broadcasting: `'1'` is a dimension known to be 1, which a keepdims reduction
makes), matrix products, transposes, reductions over a constant axis and rows.
So `y * np.log(p)` with `p = 1 / (1 + np.exp(-(X @ w)))` has `y`'s shape, and
its adjoint needs no `unbroadcast`. A dimension symbol stands for a size only
through equality: the caller checks that the arguments of a call have the
equalities of the pattern (adjoint/dispatch.py), and nothing here concludes
from two symbols being different.
"""

import operator

from transforms.analysis.kinds import ARRAYS, SCALARS, atom_kind
from transforms.core import ir, primitives
from transforms.core.rules import primitive_key


def shape_classes(fn, kinds, rules, param_dims=None):
    """The class of each array value whose shape is known to equal another's.

    Args:
        fn: the function.
        kinds: the kinds of its values.
        rules: the `RuleTable`.
        param_dims: {parameter name: tuple of dimension symbols}, or None.
    """
    classes = {name: ('dims', tuple(dims)) for name, dims in (param_dims or {}).items()
               if kinds.get(name) in ARRAYS}

    def kind(atom):
        return atom_kind(atom, kinds)

    def of(atom):
        return class_of(classes, atom)

    for stmt in ir.walk(fn.body):  # program order: operands are classified first
        if not isinstance(stmt, ir.Let) or kinds.get(stmt.target) not in ARRAYS:
            continue
        dims = _result_dims(stmt, rules, kind, of) if classes else None
        if dims is not None:
            classes[stmt.target] = ('dims', dims)
            continue
        if stmt.kwargs:
            kept = _kept_reduction(stmt, rules, kind)
            if kept is not None:
                classes[stmt.target] = ('kept', of(kept[0]), kept[1])
            continue
        if stmt.fn.value is operator.getitem and kind(stmt.args[0]) in ARRAYS:
            index = stmt.args[1]
            dropped = _rows_dropped(index)
            if dropped is not None:
                classes[stmt.target] = ('rows', of(stmt.args[0]), dropped)
            elif kind(index) == 'int' or (isinstance(index, ir.Const) and
                                          type(index.value) is int):
                classes[stmt.target] = ('row', of(stmt.args[0]))
            continue
        rule = rules.lookup(primitive_key(stmt))
        if rule is not None and rule.like is not None and len(stmt.args) > rule.like and \
                kind(stmt.args[rule.like]) in ARRAYS:
            classes[stmt.target] = of(stmt.args[rule.like])
            continue
        if rule is None or not rule.elementwise:
            continue
        arrays = [a for a in stmt.args if kind(a) not in SCALARS]
        if arrays and all(kind(a) in ARRAYS for a in arrays):
            broadcast = _broadcast_class({of(a) for a in arrays})
            if broadcast is not None:
                classes[stmt.target] = broadcast
    return classes


def _broadcast_class(operands):
    """The class of an elementwise result from its array operands' classes: theirs
    if they share one, `C` if they are `C` and keepdims reductions of `C`."""
    if len(operands) == 1:
        return next(iter(operands))
    full = [c for c in operands if not (isinstance(c, tuple) and c[0] == 'kept')]
    if len(full) == 1 and all(c[1] == full[0] for c in operands if c != full[0]):
        return full[0]
    return None


def _result_dims(stmt, rules, kind, of):
    """The dimension symbols of the array `stmt` computes, from those of its
    operands (`('dims', ...)` classes), or None where they are not all known."""
    def dims(atom):
        found = of(atom)
        return found[1] if isinstance(found, tuple) and found[0] == 'dims' else None

    args, value = stmt.args, stmt.fn.value
    reduction = _reduction(stmt, rules, kind)
    if reduction is not None:
        x, axis, keepdims = reduction
        return _reduced_dims(dims(x), axis, keepdims)
    if stmt.kwargs:
        return None
    if value is operator.getitem and kind(args[0]) in ARRAYS:
        index, whole = args[1], dims(args[0])
        integer = kind(index) == 'int' or (isinstance(index, ir.Const) and
                                           type(index.value) is int)
        return whole[1:] if integer and whole else None
    rule = rules.lookup(primitive_key(stmt))
    if rule is None:
        return None
    if rule.product and len(args) == 2:
        return _product_dims(dims(args[0]), dims(args[1]))
    if rule.reverses_axes and len(args) == (2 if value is getattr else 1):
        whole = dims(args[0])
        return None if whole is None else whole[::-1]
    if rule.like is not None and len(args) > rule.like and kind(args[rule.like]) in ARRAYS:
        return dims(args[rule.like])
    if not rule.elementwise:
        return None
    arrays = [a for a in args if kind(a) not in SCALARS]
    if not arrays or not all(kind(a) in ARRAYS for a in arrays):
        return None
    return _broadcast_dims([dims(a) for a in arrays])


def _broadcast_dims(operands):
    """NumPy's broadcasting of dimension symbols, or None where an operand's are
    unknown or two differ (neither known to be 1)."""
    if any(d is None for d in operands):
        return None
    ndim = max(map(len, operands))
    result = []
    for axis in range(-ndim, 0):
        sizes = {d[axis] for d in operands if len(d) >= -axis} - {'1'}
        if len(sizes) > 1:
            return None
        result.append(sizes.pop() if sizes else '1')
    return tuple(result)


def _product_dims(a, b):
    """The dimension symbols of `a @ b` (also `np.dot` of vectors and matrices), or
    None where an operand's are unknown, of more than 2 dimensions, or its inner
    dimensions are not known equal."""
    if a is None or b is None or not (1 <= len(a) <= 2 and 1 <= len(b) <= 2) or \
            a[-1] != b[0]:
        return None
    return a[:-1] + b[1:]


def _reduced_dims(dims, axis, keepdims):
    """The dimension symbols left by a reduction of an array of `dims` over a
    constant `axis`, or None."""
    if dims is None:
        return None
    axes = range(len(dims)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    if not all(type(a) is int and -len(dims) <= a < len(dims) for a in axes):
        return None
    axes = {a % len(dims) for a in axes}
    if keepdims:
        return tuple('1' if k in axes else d for k, d in enumerate(dims))
    return tuple(d for k, d in enumerate(dims) if k not in axes)


def _kept_reduction(stmt, rules, kind):
    """(argument, axis) of a reduction `r(x, axis, keepdims=True)` of an array over a
    constant axis (None, an int or a tuple), else None."""
    reduction = _reduction(stmt, rules, kind)
    if reduction is None or not reduction[2]:
        return None
    return reduction[:2]


def _reduction(stmt, rules, kind):
    """(argument, axis, keepdims) of a reduction `r(x, axis, keepdims=...)` of an
    array over a constant axis (None, an int or a tuple) and a constant
    `keepdims`, else None."""
    rule = rules.lookup(primitive_key(stmt))
    if rule is None or not rule.reduces:
        return None
    keywords = dict(stmt.kwargs)
    keepdims = keywords.get('keepdims', ir.Const(False))
    if not (isinstance(keepdims, ir.Const) and keepdims.value in (True, False)):
        return None
    method = stmt.fn.value is primitives.call_method
    positional = stmt.args[2:] if method else stmt.args[1:]
    x = stmt.args[0]
    axis = keywords.get('axis', positional[0] if positional else ir.Const(None))
    if kind(x) not in ARRAYS or len(positional) > 1 or not isinstance(axis, ir.Const) \
            or ('axis' in keywords and positional) or set(keywords) - {'axis', 'keepdims'}:
        return None
    return x, axis.value, keepdims.value


def _rows_dropped(index):
    """k for a constant `slice(j, -m)` (j, m >= 0, j + m == k) or `slice(k, None)`,
    which keeps `len - k` rows; None for any other index."""
    if not isinstance(index, ir.Const) or not isinstance(index.value, slice):
        return None
    start, stop, step = index.value.start, index.value.stop, index.value.step
    if step not in (None, 1):
        return None
    if start is None:
        start = 0
    if type(start) is not int or start < 0:
        return None
    if stop is None:
        return start
    if type(stop) is not int or stop >= 0:
        return None
    return start - stop


def class_of(classes, value):
    """The class of a name or an atom (a global array is its own class)."""
    if isinstance(value, ir.Var):
        value = value.name
    return classes.get(value, value) if isinstance(value, str) else value


def same_shape(classes, a, b):
    """Whether values `a` and `b` (names or atoms) are known to have one shape."""
    return class_of(classes, a) == class_of(classes, b)


def stand_in_shapes(fn, classes, rules):
    """`fn` with each argument read for its shape alone (`PrimitiveRule.shape_only`)
    replaced by a parameter known to have that shape, where there is one.

    Requires: `classes` from `shape_classes` of the primal whose parameters `fn`
    has, with `param_dims` (only then is a parameter's shape known through
    others'); names of `fn` that the primal has are the primal's values.
    Ensures: the same results; what computed a replaced argument may now be
    dead: the size of `y * np.log(p)`, when `y` has its shape, is `y`'s, and the
    optimizer leaves out the logarithm the gradient does not need.
    """
    stand_ins = {}
    for param in fn.params:
        found = classes.get(param.name)
        if isinstance(found, tuple) and found[0] == 'dims':
            stand_ins.setdefault(found, param.name)
    if not stand_ins:
        return fn

    def stand_in(stmt):
        rule = rules.lookup(primitive_key(stmt))
        if rule is None or not rule.shape_only:
            return stmt
        args = list(stmt.args)
        for k in rule.shape_only:
            if k < len(args) and isinstance(args[k], ir.Var):
                name = stand_ins.get(classes.get(args[k].name))
                if name is not None:
                    args[k] = ir.Var(name)
        return stmt if args == list(stmt.args) else ir.replace(stmt, args=tuple(args))

    return ir.map_lets(fn, stand_in)
