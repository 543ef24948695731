"""shapes: which arrays are known to have the same shape as which.

Requires: an `ir.Function`, the kinds of its values (`kinds.py`), a `RuleTable`.
Provides: `shape_classes(fn, kinds, rules) -> {name: class}`; two float arrays
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
"""

import operator

from transforms import ir, primitives
from transforms.kinds import ARRAYS, SCALARS, atom_kind
from transforms.rules import primitive_key


def shape_classes(fn, kinds, rules):
    """The class of each array value whose shape is known to equal another's."""
    classes = {}

    def kind(atom):
        return atom_kind(atom, kinds)

    def of(atom):
        return class_of(classes, atom)

    for stmt in ir.walk(fn.body):  # program order: operands are classified first
        if not isinstance(stmt, ir.Let) or kinds.get(stmt.target) not in ARRAYS:
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


def _kept_reduction(stmt, rules, kind):
    """(argument, axis) of a reduction `r(x, axis, keepdims=True)` of an array over a
    constant axis (None, an int or a tuple), else None."""
    rule = rules.lookup(primitive_key(stmt))
    if rule is None or not rule.reduces:
        return None
    keywords = dict(stmt.kwargs)
    keepdims = keywords.get('keepdims')
    if not (isinstance(keepdims, ir.Const) and keepdims.value is True):
        return None
    method = stmt.fn.value is primitives.call_method
    positional = stmt.args[2:] if method else stmt.args[1:]
    x = stmt.args[0]
    axis = keywords.get('axis', positional[0] if positional else ir.Const(None))
    if kind(x) not in ARRAYS or len(positional) > 1 or not isinstance(axis, ir.Const) \
            or ('axis' in keywords and positional) or set(keywords) - {'axis', 'keepdims'}:
        return None
    return x, axis.value


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
