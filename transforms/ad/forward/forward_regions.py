"""Forward mode for branches and loops (a mixin of `forward._Forward`).

An `if` yields the tangents of its active results from both branches, with a real
zero in the branch that leaves one unchanged; a `for` or `while` carries the
tangents of the values it carries. Nothing is saved for later: forward mode needs
no tape.
"""

from transforms.core import ir, names


class RegionTangents:
    """Tangents through `If`, `For` and `While`."""

    def if_tangent(self, stmt):
        """Both branches with their tangents; the `if` also yields the tangents of
        its active results."""
        then = self.block(stmt.then.stmts)
        orelse = self.block(stmt.orelse.stmts)
        results = list(stmt.results)
        yields = (list(stmt.then.yields), list(stmt.orelse.yields))
        for k, result in enumerate(stmt.results):
            if result not in self.active:
                continue
            pair = (self.tangent_of(stmt.then.yields[k]), self.tangent_of(stmt.orelse.yields[k]))
            if pair == (None, None):
                continue
            for side, (branch, block) in enumerate(((then, stmt.then), (orelse, stmt.orelse))):
                tangent = pair[side]
                if tangent is None:
                    tangent = self.zero(block.yields[k], branch, stmt.line)
                yields[side].append(tangent)
            results.append(self.namer.fresh(names.tangent_name(result)))
            self.kinds[results[-1]] = self.tangent_kind(ir.Var(result))
            self.tan[result] = ir.Var(results[-1])
        return ir.replace(stmt, then=ir.Block(tuple(then), tuple(yields[0])),
                          orelse=ir.Block(tuple(orelse), tuple(yields[1])),
                          results=tuple(results))

    def loop_tangent(self, stmt):
        """A `for` or `while` that also carries the tangents of its active carried
        values; returns the statements (zeros for constant starts, then the loop)."""
        active = [k for k, c in enumerate(stmt.carried) if c in self.active]
        if not active:
            return [stmt]
        pre = []
        carried, inits = list(stmt.carried), list(stmt.inits)
        for k in active:
            tangent = self.namer.fresh(names.tangent_name(stmt.carried[k]))
            self.kinds[tangent] = self.tangent_kind(ir.Var(stmt.carried[k]))
            self.tan[stmt.carried[k]] = ir.Var(tangent)
            init = self.tangent_of(stmt.inits[k])
            carried.append(tangent)
            inits.append(init if init is not None else self.zero(stmt.inits[k], pre, stmt.line))
        changes = {}
        if isinstance(stmt, ir.While):
            changes['test'] = ir.Block(tuple(self.block(stmt.test.stmts)), stmt.test.yields)
        body = self.block(stmt.body.stmts)
        yields = list(stmt.body.yields)
        for k in active:
            tangent = self.tangent_of(stmt.body.yields[k])
            yields.append(tangent if tangent is not None
                          else self.zero(stmt.body.yields[k], body, stmt.line))
        results = list(stmt.results)
        for k in active:
            results.append(self.namer.fresh(names.tangent_name(stmt.results[k])))
            self.kinds[results[-1]] = self.tangent_kind(ir.Var(stmt.results[k]))
            self.tan[stmt.results[k]] = ir.Var(results[-1])
        loop = ir.replace(stmt, carried=tuple(carried), inits=tuple(inits),
                          body=ir.Block(tuple(body), tuple(yields)), results=tuple(results),
                          **changes)
        return pre + [loop]
