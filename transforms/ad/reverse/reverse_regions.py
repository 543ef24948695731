"""Reverse mode for branches and loops (a mixin of `reverse._Reverse`).

- An `if` is reversed into an `if` on the same condition; each branch's backward
  code yields the adjoints it changed, with a zero where the other branch did not.
- A `for` is reversed into a `for` over the same range walked backwards; a `while`
  gets a trip counter and is reversed into a `for` over that many trips. The
  adjoints of carried values and of outer values the body reads are carried by
  the backward loop.
"""

import operator

from transforms.core import ir, names, substitute
from transforms.frontend.ssa import prim


class RegionAdjoints:
    """Backward code for `If`, `For` and `While` statements."""

    def if_adjoint(self, stmt, depth):
        active_results = [(k, r) for k, r in enumerate(stmt.results) if self.has_adjoint(r)]
        if not active_results:
            return stmt, []
        taken = []  # a result read item by item after the `if` assembles its fields
        seeds = {r: self.take(r, taken, stmt.line) for _, r in active_results}
        before = dict(self.adj)
        branches = []
        for block in (stmt.then, stmt.orelse):
            self.adj = dict(before)
            prefix = []
            for k, r in active_results:
                y = block.yields[k]
                if isinstance(y, ir.Var):
                    self.accumulate(y.name, seeds[r], prefix, stmt.line)
            fwd, bwd = self.block(block, depth)
            branches.append((fwd, prefix + bwd, self.adj))
        changed = [x for x in dict.fromkeys([*branches[0][2], *branches[1][2]])
                   if branches[0][2].get(x) != before.get(x)
                   or branches[1][2].get(x) != before.get(x)]
        self.adj = dict(before)
        yields = ([], [])
        results = []
        for x in changed:
            for side, (_, bwd, adj) in enumerate(branches):
                atom = adj.get(x)
                if atom is None:
                    atom = self.zero(ir.Var(x), bwd, stmt.line)
                yields[side].append(atom)
            results.append(self.namer.fresh(names.adjoint_name(x)))
            self.kinds[results[-1]] = self.adjoint_kind(x)
            self.adj[x] = ir.Var(results[-1])
        forward = ir.replace(stmt, then=ir.Block(tuple(branches[0][0]), stmt.then.yields),
                             orelse=ir.Block(tuple(branches[1][0]), stmt.orelse.yields))
        backward = ir.If(stmt.cond, ir.Block(tuple(branches[0][1]), tuple(yields[0])),
                         ir.Block(tuple(branches[1][1]), tuple(yields[1])),
                         tuple(results), stmt.line, True)
        return forward, taken + [backward]

    def loop_adjoint(self, stmt, depth):
        active = [k for k, c in enumerate(stmt.carried) if c in self.active]
        if not active:
            return stmt, []
        if isinstance(stmt, ir.While):
            stmt, trips = self.count_trips(stmt)
            bounds = (ir.Const(0), trips, ir.Const(1))
            index, reverse = self.namer.fresh('_'), False
        else:
            bounds = (stmt.start, stmt.stop, stmt.step)
            index, reverse = self.namer.fresh(stmt.index), not stmt.reverse
        self.kinds[index] = 'int'
        inside = set(ir.region_params(stmt))
        for s in ir.walk(stmt.body):
            inside.update(ir.stmt_defs(s), ir.region_params(s))
        outer = [x for x in ir.free_vars(stmt.body)
                 if x in self.active and x not in inside]
        pre = []
        inits, params = [], []
        buffered = self.buffered_in(stmt.body)
        owned_params = set()
        for k in active:
            result = stmt.results[k]
            if stmt.carried[k] in buffered:  # updated in place by the backward body
                self.adj[result] = self.take(result, pre, stmt.line)
                self.ensure_owned(result, pre, stmt.line)
            inits.append(self.take(result, pre, stmt.line) if self.has_adjoint(result)
                         else self.zero(ir.Var(result), pre, stmt.line))
            params.append(self.namer.fresh(names.adjoint_name(stmt.carried[k])))
            self.kinds[params[-1]] = self.adjoint_kind(stmt.carried[k])
            if stmt.carried[k] in buffered:
                owned_params.add(params[-1])
        for x in outer:
            if x in buffered:
                self.ensure_owned(x, pre, stmt.line)
            inits.append(self.adj.pop(x) if x in self.adj
                         else self.zero(ir.Var(x), pre, stmt.line))
            params.append(self.namer.fresh(names.adjoint_name(x)))
            self.kinds[params[-1]] = self.adjoint_kind(x)
            if x in buffered:
                owned_params.add(params[-1])
        self.owned |= owned_params
        saved_adj = self.adj
        self.adj = {x: ir.Var(p) for x, p in zip(outer, params[len(active):])}
        prefix = []
        for k, p in zip(active, params):
            y = stmt.body.yields[k]
            if isinstance(y, ir.Var):
                self.accumulate(y.name, ir.Var(p), prefix, stmt.line)
        zeros = {}

        def zero_cotangents():
            # A carried value the body does not read gets no cotangent from it: a
            # zero of its shape on entry, which need not be its final shape (a
            # layer's output, the next layer's input): read from a tape if an array.
            out = []
            for k in active:
                if self.adj.get(stmt.carried[k]) is None:
                    zeros[k] = self.zero(ir.Var(stmt.carried[k]), out, stmt.line)
            return out
        fwd, bwd = self.block(stmt.body, depth + 1, tuple(stmt.carried), zero_cotangents)
        bwd = prefix + bwd
        if isinstance(stmt, ir.For):  # the backward loop recomputes the index: no tape
            renamed = {stmt.index: ir.Var(index)}
            bwd = list(substitute.stmts(bwd, renamed))
            self.adj = {k: substitute.atom(a, renamed) for k, a in self.adj.items()}
        yields = [zeros[k] if k in zeros else self.adj[stmt.carried[k]] for k in active]
        yields.extend(self.adj[x] for x in outer)
        self.adj = saved_adj
        results = [self.namer.fresh(p) for p in params]
        for r, p in zip(results, params):
            self.kinds[r] = self.kinds.get(p)
            if p in owned_params:
                self.owned.add(r)
        backward = ir.For(index, *bounds, tuple(params), tuple(inits),
                          ir.Block(tuple(bwd), tuple(yields)), tuple(results), reverse,
                          stmt.line, True)
        post = []
        for x, r in zip(outer, results[len(active):]):
            self.adj[x] = ir.Var(r)
        for k, r in zip(active, results):
            init = stmt.inits[k]
            if isinstance(init, ir.Var):
                self.accumulate(init.name, ir.Var(r), post, stmt.line)
        forward = ir.replace(stmt, body=ir.Block(tuple(fwd), stmt.body.yields))
        return forward, pre + [backward] + post

    def count_trips(self, stmt):
        """Add an iteration counter to a `while`; return (new loop, final count)."""
        param = self.namer.fresh('n_iter')
        nxt = self.namer.fresh('n_iter')
        final = self.namer.fresh('n_iter')
        for n in (param, nxt, final):
            self.kinds[n] = 'int'
        count = ir.Let(nxt, prim(operator.add), (ir.Var(param), ir.Const(1)), line=stmt.line)
        body = ir.Block(stmt.body.stmts + (count,), stmt.body.yields + (ir.Var(nxt),))
        stmt = ir.replace(stmt, carried=stmt.carried + (param,),
                          inits=stmt.inits + (ir.Const(0),), body=body,
                          results=stmt.results + (final,))
        return stmt, ir.Var(final)

