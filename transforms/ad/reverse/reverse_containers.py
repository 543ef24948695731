"""Reverse mode for indexing and containers (a mixin of `reverse._Reverse`).

Two ways to hold the adjoint of a container `x` (an array, list, tuple or dict):

- *Fields*: `x[k]` with a constant `k`, where `x` is defined in the same block
  (`a, b = pair`, `W = params["W"]`): each `bx[k]` accumulates like any other
  adjoint, starting from its first contribution; the container's adjoint is
  assembled only where `x` is defined (directly into the items of a `(a, b)` or
  `{"W": W}`, or by `fill_like` for a parameter).
- *Buffers*: any other read, notably `xs[i]` in a loop: one zero-filled adjoint
  buffer, owned by the generated code, that each read adds into in place
  (`bxs[i] += g`), never an O(n) array per read (../shared/DESIGN.md).

Writes are reversed on the buffer too: `x[i] = v` passes `bx[i]` to `v` and
clears it; `xs.append(v)` pops the last adjoint for `v`.
"""

import operator

from transforms.analysis.kinds import (ARRAYS, SCALARS, UNKNOWN_SEQUENCE_ARITHMETIC,
                                       array_item_kind, keyed_kinds, sequence_arithmetic)
from transforms.core import ir, names, primitives
from transforms.core.errors import UnsupportedSyntaxError
from transforms.frontend.ssa import prim

_MAKERS = (primitives.make_tuple, primitives.make_list, primitives.make_dict)


def _hashable_key(atom):
    if not isinstance(atom, ir.Const) or isinstance(atom.value, (slice, float)):
        return False
    try:
        hash(atom.value)
    except TypeError:
        return False
    return not isinstance(atom.value, tuple) or all(
        isinstance(v, int) for v in atom.value)


class ContainerAdjoints:
    """Backward code for getitem, container literals, setitem, append and copies."""

    def helper(self, name):
        return ir.Global(name, self.rules.helper(name))

    def container_adjoint(self, stmt):
        """Backward statements for a container operation, or None if it is not one."""
        fn = stmt.fn.value
        if fn is operator.getitem:
            return self.getitem_adjoint(stmt)
        if fn in _MAKERS:
            return self.maker_adjoint(stmt)
        if fn is primitives.setitem:
            return self.setitem_adjoint(stmt)
        if fn is primitives.append:
            return self.append_adjoint(stmt)
        if fn is primitives.drop_last:
            return self.drop_last_adjoint(stmt)
        if fn in (operator.add, operator.mul) and self.is_sequence_arithmetic(stmt):
            return self.sequence_arithmetic_adjoint(stmt)
        if fn is primitives.copy:
            out = []
            g = self.take(stmt.target, out, stmt.line)
            if g is not None:
                self.accumulate_owned(stmt.args[0], g, out, stmt.line)
            return out
        return None

    # ------------------------------------------------------------ taking adjoints

    def has_adjoint(self, name):
        """Whether any cotangent has reached value `name` so far: a whole one, one
        per constant key (`fields`), or one number standing for it (`uniform`)."""
        return name in self.adj or name in self.fields or name in self.uniform

    def take(self, name, out, line):
        """Remove and return the adjoint of `name`, assembling its fields."""
        self.spread(name, out, line)
        fields = self.fields.pop(name, None)
        if not fields:
            return self.adj.pop(name, None)
        if name not in self.adj:
            keyed = keyed_kinds(self.kinds.get(name))
            keys = [key for key, _ in keyed] if keyed else None
            whole = keys is not None and set(keys) == set(fields)
            items = []
            for key in keys if whole else fields:
                items += [ir.Const(key), fields[key]]
            if whole:  # every key of a dict whose keys the kind knows: in their order
                result = self.let(out, prim(primitives.make_dict), items,
                                  names.adjoint_name(name), line)
                self.kinds[result.name] = self.kinds.get(name)
                self.owned.add(result.name)
                return result
            partial = self.let(out, prim(primitives.make_dict), items, None, line)
            result = self.let(out, self.helper('fill_like'), (ir.Var(name), partial),
                              names.adjoint_name(name), line)
            self.kinds[result.name] = self.kinds.get(name)
            self.owned.add(result.name)
            return result
        buffer = self.ensure_owned(name, out, line)
        for key, value in fields.items():
            self.add_into(buffer, name, ir.Const(key), value, out, line)
        return self.adj.pop(name)

    def ensure_owned(self, name, out, line):
        """The adjoint of `name` as a buffer generated code may update in place."""
        self.spread(name, out, line)
        current = self.adj.get(name)
        # Owned, and the adjoint of nothing else: `v = y + z` of one shape gives y
        # and z the one cotangent of v, which an update of z's must not change
        # (fuzz seed 321770), nor one of a gradient already taken for the result.
        if isinstance(current, ir.Var) and current.name in self.owned and \
                current.name not in self.returned and \
                sum(atom == current for atom in self.adj.values()) == 1:
            return current
        if current is None:
            buffer = self.let(out, self.runtime(self.rules.zeros_like, 'zeros_like'),
                              (ir.Var(name),), names.adjoint_name(name), line)
        else:
            kind = self.kinds.get(name)
            if kind is None or (isinstance(kind, tuple) and kind[0] == 'list'):
                # A list's cotangent from a rule (`np.array(xs)`, `np.sum(xs)`) is an
                # array: its items, as a list, are what `.pop()` and `[i]` update.
                current = self.let(out, self.helper('like'), (current, ir.Var(name)),
                                   None, line)
            buffer = self.let(out, self.helper('owned'), (current,),
                              names.adjoint_name(name), line)
        self.kinds[buffer.name] = self.adjoint_kind(name)
        self.owned.add(buffer.name)
        self.adj[name] = buffer
        return buffer

    def add_into(self, buffer, container, index, value, out, line):
        """`buffer[index] += value`, or `add_at` where `+=` would be wrong; right
        after `buffer = zeros_like(x)` of an array, `buffer[index] = value`, which
        does not read the zeros (the same numbers: a basic index has no repeats)."""
        basic = isinstance(index, ir.Const) and isinstance(
            index.value, (int, slice, tuple)) or self.kind(index) in ('int', ('tuple', 'int'))
        kind = self.kinds.get(container)
        # `+=` is right for an array buffer, and for a number in a list (immutable
        # items; `+=` on a slice of a list would extend it); a list or dict of
        # arrays may share items, so `add_at` replaces.
        in_place = kind in ARRAYS or (isinstance(kind, tuple) and kind[1] in SCALARS and
                                      self.is_int(index))
        if basic and in_place:
            zeros = kind in ARRAYS and out and isinstance(out[-1], ir.Let) and \
                out[-1].target == buffer.name and out[-1].fn.value is self.rules.zeros_like
            stmt_fn = prim(primitives.index_set if zeros else primitives.index_add)
        else:
            stmt_fn = self.helper('add_at')
        out.append(ir.Let(None, stmt_fn, (buffer, index, value), line=line, adjoint=True))

    def accumulate_owned(self, arg, contribution, out, line):
        """Accumulate into a container's adjoint; an owned buffer stays owned."""
        if not isinstance(arg, ir.Var) or arg.name not in self.active:
            return
        fresh = arg.name not in self.adj
        self.accumulate(arg.name, contribution, out, line)
        if fresh and isinstance(contribution, ir.Var) and contribution.name in self.owned:
            self.owned.add(contribution.name)

    # ------------------------------------------------------------ lists and tuples

    def is_sequence_arithmetic(self, stmt):
        """Whether `a + b` or `a * b` concatenates or repeats a list or tuple (see
        `kinds.sequence_arithmetic`); an error where it may be either that or
        arithmetic with an array."""
        how = sequence_arithmetic(stmt.fn.value, [self.kind(a) for a in stmt.args[:2]])
        if how == 'unknown':
            fn = self.fn
            raise UnsupportedSyntaxError(
                UNKNOWN_SEQUENCE_ARITHMETIC,
                fn.filename, stmt.line, fn.source_line(stmt.line))
        return how == 'sequence'

    def sequence_kind(self, atom):
        kind = self.kinds.get(atom.name) if isinstance(atom, ir.Var) else None
        return isinstance(kind, tuple) and kind[0] in ('list', 'tuple')

    def sequence_arithmetic_adjoint(self, stmt):
        """`ys = xs + zs` concatenates and `ys = xs * n` repeats a list or tuple: the
        cotangents are `bys` split at `len(xs)`, and the sum of its `n` chunks;
        the rules of `+` and `*` would add and scale it as numbers."""
        out = []
        g = self.take(stmt.target, out, stmt.line)
        if g is None:
            return out
        first, second = stmt.args[:2]
        if stmt.fn.value is operator.add:
            parts = self.let(out, self.helper('split_concatenated'), (g, first), None,
                             stmt.line)
            for k, arg in enumerate((first, second)):
                if isinstance(arg, ir.Var) and arg.name in self.active:
                    part = self.let(out, prim(operator.getitem), (parts, ir.Const(k)),
                                    names.adjoint_name(arg.name), stmt.line)
                    self.kinds[part.name] = self.adjoint_kind(arg.name)
                    self.accumulate(arg.name, part, out, stmt.line)
            return out
        sequence = first if self.sequence_kind(first) else second
        if isinstance(sequence, ir.Var) and sequence.name in self.active:
            part = self.let(out, self.helper('unrepeated'), (g, sequence),
                            names.adjoint_name(sequence.name), stmt.line)
            self.kinds[part.name] = self.adjoint_kind(sequence.name)
            self.accumulate(sequence.name, part, out, stmt.line)
        return out

    # ------------------------------------------------------------ reads

    def getitem_adjoint(self, stmt):
        self.check_index(stmt)
        out = []
        g = self.take(stmt.target, out, stmt.line)
        container, index = stmt.args
        if g is None or not isinstance(container, ir.Var) or \
                container.name not in self.active:
            return out
        if _hashable_key(index) and container.name in self.block_defs:
            fields = self.fields.setdefault(container.name, {})
            key = index.value
            if key in fields:
                g = self.let(out, prim(operator.add), (fields[key], g),
                             names.adjoint_name(container.name), stmt.line)
            fields[key] = g
            return out
        buffer = self.ensure_owned(container.name, out, stmt.line)
        self.add_into(buffer, container.name, index, g, out, stmt.line)
        return out

    def maker_adjoint(self, stmt):
        """`(a, b)`, `[a, b]`, `{"k": a}`: each item gets its part of the adjoint."""
        out = []
        self.spread(stmt.target, out, stmt.line)
        fields = self.fields.pop(stmt.target, {})
        g = self.adj.pop(stmt.target, None)
        if stmt.fn.value is primitives.make_dict:
            pairs = list(zip(stmt.args[::2], stmt.args[1::2]))
        else:
            pairs = [(ir.Const(k), arg) for k, arg in enumerate(stmt.args)]
        for key, item in pairs:
            if not isinstance(item, ir.Var) or item.name not in self.active:
                continue
            part = fields.get(key.value) if isinstance(key, ir.Const) else None
            if g is not None:
                read = self.let(out, prim(operator.getitem), (g, key), None, stmt.line)
                part = read if part is None else self.let(
                    out, prim(operator.add), (part, read), None, stmt.line)
            if part is not None:
                self.accumulate(item.name, part, out, stmt.line)
        return out

    # ------------------------------------------------------------ writes

    def setitem_adjoint(self, stmt):
        """`x_1 = setitem(x, i, v)`: `bv = bx_1[i]`, then `bx_1[i] = 0` is `bx`.

        A slice of a list may be assigned a list of another length (`xs[0:2] =
        [v]`), which moves the items after it: `written_items` and
        `clear_written` find where `v`'s items went, from the length of the
        slice it replaced."""
        self.check_index(stmt)
        out = []
        if not self.has_adjoint(stmt.target):
            return out
        container, index, value = stmt.args
        self.adj[stmt.target] = self.take(stmt.target, out, stmt.line)
        buffer = self.ensure_owned(stmt.target, out, stmt.line)
        self.adj.pop(stmt.target)
        replaced = self.item_before(stmt)
        kind = self.kinds.get(getattr(container, 'name', None))
        if kind is None and isinstance(value, ir.Var) and value.name in self.active:
            # An array of ints rounds what is written (`runtime.float_written`).
            self.items_before[stmt.target] = ir.Let(
                None, self.helper('float_written'), (container,), line=stmt.line)
        list_slice = isinstance(kind, tuple) and kind[0] == 'list' and not self.is_int(index)
        if isinstance(value, ir.Var) and value.name in self.active:
            item = array_item_kind(kind, index, self.kind) if kind in ARRAYS else None
            if list_slice:
                part = self.let(out, self.helper('written_items'),
                                (buffer, index, replaced, value),
                                names.adjoint_name(value.name), stmt.line)
            elif item in SCALARS or (isinstance(kind, tuple) and kind[1] in SCALARS):
                # a number of an array, or an item of a list
                part = self.let(out, prim(operator.getitem), (buffer, index),
                                names.adjoint_name(value.name), stmt.line)
            else:  # a row of a 2-d array is a view, which the clearing below zeroes
                like = ir.Const(0.0) if self.kind(value) in SCALARS else value
                part = self.let(out, self.helper('written_part'), (buffer, index, like),
                                names.adjoint_name(value.name), stmt.line)
            self.accumulate(value.name, part, out, stmt.line)
        if replaced is not None:
            clear = (self.helper('clear_written'), (buffer, index, replaced, value))
        else:
            clear = (prim(primitives.index_clear), (buffer, index))
        out.append(ir.Let(None, *clear, line=stmt.line, adjoint=True))
        self.accumulate_owned(container, buffer, out, stmt.line)
        return out

    def is_int(self, index):
        """Whether the index atom is known to be an integer (not a slice)."""
        if isinstance(index, ir.Const):
            return type(index.value) is int
        return self.kind(index) in ('int', 'bool')

    def item_before(self, stmt):
        """The item `c_1 = setitem(c, i, v)` replaces, read in the primal sweep just
        before the write (`reverse.statement` puts it there), where its cotangent
        is not a number: the write's adjoint clears `bc_1[i]` to a zero of that
        item's shape (`0.0` in a list of arrays reaches a rule expecting an array),
        or, for a key a dict did not hold, removes it. None where `0.0` clears it:
        an array, or a number in a list."""
        container, index, _ = stmt.args
        kind = self.kinds.get(getattr(container, 'name', None))
        if not isinstance(kind, tuple):
            return None
        if kind[0] == 'list' and kind[1] in SCALARS and self.is_int(index):
            return None
        replaced = ir.Var(self.namer.fresh('replaced'))
        self.kinds[replaced.name] = kind[1]
        self.items_before[stmt.target] = ir.Let(
            replaced.name, ir.Global('item_before', primitives.item_before), (container, index),
            line=stmt.line)
        return replaced

    def append_adjoint(self, stmt):
        """`ys_1 = append(ys, v)`: the last item of `bys_1` is `bv`; the rest is `bys`."""
        out = []
        if not self.has_adjoint(stmt.target):
            return out
        items, value = stmt.args
        self.adj[stmt.target] = self.take(stmt.target, out, stmt.line)
        buffer = self.ensure_owned(stmt.target, out, stmt.line)
        self.adj.pop(stmt.target)
        last = self.let(out, prim(primitives.list_pop), (buffer,),
                        names.adjoint_name(getattr(value, 'name', 'item')), stmt.line)
        if isinstance(value, ir.Var) and value.name in self.active:
            self.accumulate(value.name, last, out, stmt.line)
        self.accumulate_owned(items, buffer, out, stmt.line)
        return out

    def drop_last_adjoint(self, stmt):
        """`xs_1 = drop_last(xs)`: `bxs` is `bxs_1` with a zero for the dropped item
        (which the read `xs[-1]` before it then adds its adjoint to)."""
        out = []
        if not self.has_adjoint(stmt.target):
            return out
        self.adj[stmt.target] = self.take(stmt.target, out, stmt.line)
        buffer = self.ensure_owned(stmt.target, out, stmt.line)
        self.adj.pop(stmt.target)
        out.append(ir.Let(None, prim(primitives.grow), (buffer, ir.Const(0.0)),
                          line=stmt.line, adjoint=True))
        self.accumulate_owned(stmt.args[0], buffer, out, stmt.line)
        return out

    # ------------------------------------------------------------ loops

    def buffered_in(self, body):
        """Containers the loop body indexes or updates: their adjoints must be
        owned buffers before the backward loop starts."""
        found = set()
        for stmt in ir.walk(body):
            if isinstance(stmt, ir.Let) and stmt.fn.value in (
                    operator.getitem, primitives.setitem, primitives.append,
                    primitives.drop_last) and \
                    isinstance(stmt.args[0], ir.Var) and \
                    self.kinds.get(stmt.args[0].name) not in SCALARS:
                found.add(stmt.args[0].name)
        return found
