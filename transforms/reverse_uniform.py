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
"""

import operator

from transforms import inline, ir, names
from transforms.kinds import ARRAYS, SCALARS
from transforms.shapes import same_shape
from transforms.ssa import prim


class UniformAdjoints:
    """Creating, propagating and spreading uniform cotangents."""

    def uniform_input(self, stmt, rule):
        """How `stmt`'s backward code may treat its cotangent as one number:
        'reduce' (use `rule.uniform`), 'elementwise' (run `rule.vjp` on it), or
        None (take it as a real cotangent)."""
        target = stmt.target
        if target in self.fields:
            return None
        pending = target in self.uniform
        if rule.uniform is not None and self.kind(stmt.args[0]) in ARRAYS and (
                pending or (target in self.adj and self.kind(ir.Var(target)) in SCALARS)):
            return 'reduce'
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
        template = rule.uniform if mode == 'reduce' else rule.vjp
        body, result = inline.inline(template, (g, ir.Var(stmt.target)) + args,
                                     self.rule_keywords(template, stmt), self.namer, stmt.line)
        body, items = inline.split_tuple(body, result)
        if items is None:
            return None
        self.note_kinds(body)
        parts = {}
        for k, (arg, item) in enumerate(zip(args, items)):
            if not (isinstance(arg, ir.Var) and arg.name in self.active) or \
                    (isinstance(item, ir.Const) and item.value is None):
                continue
            kind = self.kind(item)
            if kind in SCALARS and self.kind(arg) in ARRAYS:
                parts[k] = (item, True)
            elif kind in ARRAYS and mode == 'elementwise':
                parts[k] = (item, False)
            else:
                return None
        source.pop(stmt.target)
        out.extend(body)
        return parts

    def accumulate_uniform(self, name, number, out, line):
        """Add a number standing for every element to the cotangent of `name`."""
        if name not in self.active:
            return
        if name in self.adj or name in self.fields:
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
