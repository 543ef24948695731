"""mutation: copy on first write, so generated code never mutates a caller's data.

Requires: an `ir.Function` and the set of callables known to return new objects.
Ensures: every `setitem` / `append` updates a container this function created
(a literal, a fresh array, a copy, or an earlier update of one); a container that
came from outside — a parameter, a global — is copied once, before the first
write (before the loop that writes it, not in every iteration). The emitter
then writes in place wherever the old version is not read again.
"""

from transforms import ir, primitives
from transforms.ssa import prim

_MAKERS = frozenset({primitives.make_list, primitives.make_dict, primitives.make_tuple,
                     primitives.setitem, primitives.append, primitives.copy})
_OPERATORS = frozenset(primitives.BINARY) | frozenset(primitives.UNARY)


def insert_copies(fn, fresh=frozenset(), namer=None):
    """`fn` with a `copy` before each first write to a container it does not own."""
    from transforms.names import Namer
    namer = namer or Namer(ir.all_names(fn))
    namer.taken |= ir.all_names(fn)
    state = _Copies(frozenset(fresh) | _MAKERS | _OPERATORS, namer)
    return fn.replace(body=state.block(fn.body, set()))


def _mutated(stmt):
    return isinstance(stmt, ir.Let) and stmt.fn.value in primitives.MUTATING


class _Copies:
    def __init__(self, fresh, namer):
        self.fresh = fresh
        self.namer = namer

    def copy(self, atom, out, line):
        name = self.namer.fresh(atom.name if isinstance(atom, ir.Var) else 'items')
        out.append(ir.Let(name, prim(primitives.copy), (atom,), line=line))
        return ir.Var(name)

    def block(self, block, owned):
        owned = set(owned)
        out = []
        for stmt in block.stmts:
            if isinstance(stmt, ir.Let):
                if _mutated(stmt) and not (isinstance(stmt.args[0], ir.Var)
                                           and stmt.args[0].name in owned):
                    copied = self.copy(stmt.args[0], out, stmt.line)
                    stmt = ir.replace(stmt, args=(copied,) + stmt.args[1:])
                if stmt.target is not None and stmt.fn.value in self.fresh:
                    owned.add(stmt.target)
                out.append(stmt)
            elif isinstance(stmt, ir.Hook):
                out.append(stmt)
            elif isinstance(stmt, ir.If):
                then, orelse = self.block(stmt.then, owned), self.block(stmt.orelse, owned)
                stmt = ir.replace(stmt, then=then, orelse=orelse)
                owned |= {r for r, a, b in zip(stmt.results, then.yields, orelse.yields)
                          if self._owns(a, owned, then) and self._owns(b, owned, orelse)}
                out.append(stmt)
            else:
                out.append(self.loop(stmt, owned, out))
        return ir.Block(tuple(out), block.yields)

    @staticmethod
    def _owns(atom, owned, block):
        if not isinstance(atom, ir.Var):
            return False
        return atom.name in owned or any(
            isinstance(s, ir.Let) and s.target == atom.name and _mutated(s)
            for s in block.stmts)

    def loop(self, stmt, owned, out):
        """Copy, before the loop, the initial value of each container it writes."""
        written = {s.args[0].name for s in ir.walk(stmt.body)
                   if _mutated(s) and isinstance(s.args[0], ir.Var)}
        inits = list(stmt.inits)
        inside = set(owned)
        for k, (param, init) in enumerate(zip(stmt.carried, stmt.inits)):
            if param in written:
                if not (isinstance(init, ir.Var) and init.name in owned):
                    inits[k] = self.copy(init, out, stmt.line)
                inside.add(param)
        body = self.block(stmt.body, inside)
        changes = {'inits': tuple(inits), 'body': body}
        if isinstance(stmt, ir.While):
            changes['test'] = self.block(stmt.test, inside)
        for param, result in zip(stmt.carried, stmt.results):
            if param in inside:
                owned.add(result)
        return ir.replace(stmt, **changes)
