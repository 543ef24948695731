"""Reverse mode for calls (a mixin of `reverse._Reverse`): user functions, rules
that are called rather than inlined, and `insert_grad_of` hooks."""

import operator

from transforms.ad import calls
from transforms.core import ir, names, substitute
from transforms.frontend.ssa import prim


class CallAdjoints:
    """Backward code for calls of user functions, called rules and hooks."""

    def call_adjoint(self, stmt):
        """A call of a user function: its forward/backward pair (see `calls.py`)."""
        fn = stmt.fn.value
        bound = calls.bind_call(fn, stmt, self.fn)
        wrt = [p for p, a in bound.items()
               if isinstance(a, ir.Var) and a.name in self.active]
        if not wrt:
            return [stmt], []
        kinds = {p: self.kind(a) for p, a in bound.items()}
        callee = calls.compiled_at(self.callees.pair, self, stmt, fn, wrt, kinds, self.rules)
        name = callee.name
        both = self.namer.fresh(names.out_name(name))
        saved = self.namer.fresh(names.saved_name(name))
        call = ir.Global(names.forward_name(name), callee.forward)
        forward = [ir.replace(stmt, target=both, fn=call),
                   ir.Let(stmt.target, prim(operator.getitem), (ir.Var(both), ir.Const(0)),
                          line=stmt.line),
                   ir.Let(saved, prim(operator.getitem), (ir.Var(both), ir.Const(1)),
                          line=stmt.line)]
        out = []
        g = self.take(stmt.target, out, stmt.line)
        if g is None:
            return forward, out
        grads = self.let(out, ir.Global(names.backward_name(name), callee.backward),
                         (ir.Var(saved), g), names.grads_name(name), stmt.line)
        for k, p in enumerate(wrt):
            part = self.let(out, prim(operator.getitem), (grads, ir.Const(k)),
                            names.adjoint_name(bound[p].name), stmt.line)
            self.accumulate(bound[p].name, part, out, stmt.line)
        return forward, out

    def call_rule(self, rule_fn, g, stmt, args):
        """A rule that cannot be inlined, called: `parts = f_vjp(g, ans, x, y)`."""
        body = []
        name = getattr(rule_fn, '__name__', 'vjp')
        call = ir.Global(name, rule_fn)
        parts = self.let(body, call, (g, ir.Var(stmt.target)) + args, f'{name}_parts',
                         stmt.line)
        body[-1] = ir.replace(body[-1], kwargs=self.rule_keywords(rule_fn, stmt))
        items = [self.let(body, prim(operator.getitem), (parts, ir.Const(k)), None, stmt.line)
                 for k in range(len(args))]
        return body, items

    def hook_adjoint(self, stmt):
        """`insert_grad_of(x) as g`: the hook's body runs on the adjoint of `x`
        accumulated so far, and what it leaves in `g` replaces that adjoint."""
        name = getattr(stmt.value, 'name', None)
        out = []
        g = self.take(name, out, stmt.line) if self.has_adjoint(name) else None
        if g is None:
            return out
        body = substitute.block(stmt.body, {stmt.grad: g})
        self.kinds[stmt.grad] = self.kind(g)
        for s in body.stmts:
            out.append(ir.replace(s, adjoint=True))
        self.note_kinds(body.stmts)
        self.adj[name] = body.yields[0]
        return out
