"""Forward mode for indexing and containers (a mixin of `forward._Forward`).

The tangent of a container is the same container of tangents (`ys.append(v)` gets
`dys.append(dv)`, `x[i]` gets `dx[i]`); its items' zeros are real zeros, since a
container is a value at run time. Updates copy on first write like the primal's
(`pipeline.copy_before_writes`), so a caller's tangent is never changed.
"""

import operator

from transforms.analysis.kinds import UNKNOWN_SEQUENCE_ARITHMETIC, sequence_arithmetic
from transforms.core import ir, primitives
from transforms.core.errors import UnsupportedSyntaxError


class ContainerTangents:
    """Tangents of indexing, container literals and updates."""

    def container_tangent(self, stmt, out):
        """Append the tangent of a container operation; False if `stmt` is not one.

        The tangent of a container is the same container of tangents; its items'
        zeros are real zeros (a container is a value at run time)."""
        fn, args, line = stmt.fn.value, stmt.args, stmt.line
        if fn in (operator.getitem, primitives.setitem):
            self.check_index(stmt)
        if fn in (operator.getitem, primitives.drop_last, primitives.copy):
            tangent = self.tangent_of(args[0])
            if tangent is not None:
                self.define(stmt.target, self.let(out, stmt.fn, (tangent,) + args[1:],
                                                  None, line), out)
            return True
        if fn in (primitives.make_tuple, primitives.make_list, primitives.make_dict):
            items = [k for k in range(len(args))
                     if fn is not primitives.make_dict or k % 2 == 1]
            self.items_tangent(stmt, items, out)
            return True
        if fn in (primitives.setitem, primitives.append):
            if fn is primitives.setitem and self.kinds.get(getattr(args[0], 'name', None)) \
                    is None and self.tangent_of(args[-1]) is not None:
                # An array of ints rounds what is written (`runtime.float_written`).
                check = ir.Global('float_written', self.rules.helper('float_written'))
                out.append(ir.Let(None, check, (args[0],), line=line))
            self.items_tangent(stmt, (0, len(args) - 1), out)
            return True
        sequences = [k for k, a in enumerate(args[:2]) if self.is_sequence(a)]
        how = sequence_arithmetic(fn, [self.kind(a) for a in args[:2]]) \
            if fn in (operator.add, operator.mul) else None
        if how == 'unknown':
            raise UnsupportedSyntaxError(
                UNKNOWN_SEQUENCE_ARITHMETIC,
                self.fn.filename, line, self.fn.source_line(line))
        if how != 'sequence':
            return False  # arithmetic, by the rules (with an array: element by element)
        if fn is operator.add:  # `xs + ys` concatenates: a zero has a length
            self.items_tangent(stmt, (0, 1), out)
            return True
        self.items_tangent(stmt, sequences[:1], out)  # `xs * n` repeats; `n` is an int
        return True

    def is_sequence(self, atom):
        kind = self.kinds.get(getattr(atom, 'name', None))
        return isinstance(kind, tuple) and kind[0] in ('list', 'tuple')

    def items_tangent(self, stmt, positions, out):
        """`d = fn(...)` with the tangents at `positions` (real zeros where they are
        zero) and the other arguments as they are; nothing if all are zero.

        The zero of a container that `stmt` updates (`xs.append(v)`) is made before
        `stmt`, so the old version need not outlive the update (which would force a
        copy of it)."""
        if all(self.tangent_of(stmt.args[k]) is None for k in positions):
            return
        args = list(stmt.args)
        before = []
        for k in positions:
            tangent = self.tangent_of(args[k])
            if tangent is None:
                updated = k == 0 and stmt.fn.value in primitives.MUTATING
                tangent = self.zero(args[k], before if updated else out, stmt.line)
            args[k] = tangent
        out[0:0] = before
        self.define(stmt.target, self.let(out, stmt.fn, args, None, stmt.line), out)
