"""Uniform cotangents: one number standing for a whole array (a mixin of
`reverse._Reverse`).

Every loss ends in a reduction, and the cotangent of `np.sum(v)` is an array
shaped like `v` with the seed everywhere. Made as an array (`unreduce(1.0, v)`),
it then costs an array operation for each constant it meets (`bv * 100.0`,
`t * 2`), where a hand-written gradient folds them (`200.0 * r`). So reverse mode
keeps such a cotangent as one number, in `self.uniform[name]` (never in
`self.adj`), while it only meets operations for which that is exact:

- a reduction with a `uniform` rule (`np.sum`, `np.mean`, with or without axis)
  whose cotangent is uniform, or a scalar, passes one number to its array argument;
- an elementwise operation (`PrimitiveRule.elementwise`) whose array arguments
  all have the result's shape (`shapes.py`) runs its rule on the number: a part
  that is still a number is uniform for an array argument; an array part has the
  result's shape, as it would have had.

Everywhere else its shape matters, and it becomes a real array, `spread(s, v)`:
when its value's own rule is another one, when it is taken for a gradient, an
index, a container, a call, at the end of its block and before a branch, loop or
hook (so nothing leaves a region as a number). Added to a real cotangent, which
has the value's shape, the number just broadcasts (`bv + s`).

The same holds for an array that broadcasts against the value: the cotangent of
`np.sum(v, axis=1, keepdims=True)` is its own cotangent `g` repeated along axis 1,
and a reduction with a `kept` rule gives `keep_dims(g, ...)` instead of the full
array `unreduce(g, ...)`. Through `np.exp(v)` it becomes `g * ans`, of the full
shape, as a person writes it; a part that depends on `g` and numbers only (`-g`)
still broadcasts, and stays pending; `spread` makes either a real array.
"""

import operator

from transforms.ad import inline
from transforms.analysis.kinds import ARRAYS, SCALARS
from transforms.analysis.shapes import same_shape
from transforms.core import ir, names
from transforms.frontend.ssa import prim


class UniformAdjoints:
    """Creating, propagating and spreading uniform cotangents."""

    def uniform_input(self, stmt, rule):
        """How `stmt`'s backward code may treat its cotangent as one number, or
        make one for its argument: 'reduce' (use `rule.uniform` on a number),
        'kept' (use `rule.kept` on a real cotangent), 'elementwise' (run `rule.vjp`
        on a pending number or broadcasting array), or None (take it as a real
        cotangent)."""
        target = stmt.target
        if target in self.fields:
            return None
        pending = target in self.uniform
        number = self.kind(self.uniform[target]) in SCALARS if pending else \
            target in self.adj and self.kind(ir.Var(target)) in SCALARS
        if rule.uniform is not None and self.kind(stmt.args[0]) in ARRAYS and number:
            return 'reduce'
        if rule.kept is not None and not pending and target in self.adj and \
                self.kind(stmt.args[0]) in ARRAYS and self.kind(ir.Var(target)) in ARRAYS:
            return 'kept'
        if pending and rule.elementwise and not stmt.kwargs and all(
                self.kind(a) in SCALARS or (self.kind(a) in ARRAYS and
                                            same_shape(self.shapes, a, target))
                for a in stmt.args):
            return 'elementwise'
        return None

    def uniform_parts(self, stmt, rule, mode, args, out):
        """Inline the rule on the number; return ({k: (item, uniform?)}) or None
        if some part's shape is not known (then the number is spread first)."""
        source = self.uniform if stmt.target in self.uniform else self.adj
        g = source[stmt.target]
        template = {'reduce': rule.uniform, 'kept': rule.kept}.get(mode, rule.vjp)
        body, items = inline.split_tuple(*self.inline_rule(template, g, stmt, args))
        if items is None:
            return None
        self.note_kinds(body)
        shaped = _shaped_like_result(body, [ir.Var(stmt.target), *args], self.kind)
        parts = {}
        for k, (arg, item) in enumerate(zip(args, items)):
            if not (isinstance(arg, ir.Var) and arg.name in self.active) or \
                    (isinstance(item, ir.Const) and item.value is None):
                continue
            with_arrays = mode == 'elementwise' and isinstance(item, ir.Var) and \
                item.name in shaped
            if with_arrays and self.kind(item) in ARRAYS:
                parts[k] = (item, False)  # with an array of the result's shape: a real one
            elif not with_arrays and self.kind(arg) in ARRAYS:
                parts[k] = (item, True)  # g and numbers only: it broadcasts as g does
            else:
                return None
        source.pop(stmt.target)
        out.extend(body)
        return parts

    def accumulate_uniform(self, name, number, out, line):
        """Add a number standing for every element to the cotangent of `name`."""
        if name not in self.active:
            return
        if name in self.adj:
            self.accumulate(name, number, out, line)  # `bv + s` broadcasts
        elif name in self.uniform:
            total = self.let(out, prim(operator.add), (self.uniform[name], number),
                             names.adjoint_name(name), line)
            self.uniform[name] = total
        else:
            self.uniform[name] = number

    def spread(self, name, out, line):
        """Make the uniform cotangent of `name`, if any, a real array in `self.adj`."""
        if name not in self.uniform:
            return
        number = self.uniform.pop(name)
        full = self.let(out, self.helper('spread'), (number, ir.Var(name)),
                        names.adjoint_name(name), line)
        self.kinds[full.name] = self.adjoint_kind(name)
        self.owned.add(full.name)
        self.accumulate(name, full, out, line)

    def spread_all(self, line):
        """Statements making every uniform cotangent a real array."""
        out = []
        for name in list(self.uniform):
            self.spread(name, out, line)
        return out


def _shaped_like_result(body, arrays, kind):
    """Names of a rule's body (and of `arrays`) computed from some array of
    `arrays`: in an elementwise rule whose array arguments have the result's
    shape, those have that shape; the rest depend on the cotangent and numbers."""
    shaped = {a.name for a in arrays if isinstance(a, ir.Var) and kind(a) in ARRAYS}
    for stmt in body:
        if isinstance(stmt, ir.Let) and stmt.target is not None and any(
                isinstance(a, ir.Var) and a.name in shaped for a in ir.stmt_uses(stmt)):
            shaped.add(stmt.target)
    return shaped
