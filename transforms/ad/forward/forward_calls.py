"""Forward mode for calls of user functions: the callee's own tangent function.

A call `h = layer(w, x)` whose result is active becomes

    h, dh = layer_jvp(w, x, dw)

where `layer_jvp` is `layer`'s tangent function with respect to the parameters
that receive differentiated values, compiled once per (function, those
parameters, argument kinds) and shared by every caller (in the rule table's
cache, `transforms/core/cache.py`). Its parameters are all of
`layer`'s parameters, positionally and without defaults (the call site fills
them in), then the tangents. A recursive function calls its own tangent
function: the cache entry exists, as a forwarding stub, before it is compiled.
"""

import operator

from transforms.ad import calls
from transforms.core import ir, names
from transforms.frontend.ssa import prim


def is_user_function(fn, rules):
    """A Python function without a jvp rule: its own tangent function is made."""
    return calls.is_user_function(fn, rules, mode='jvp')


def tangent_function(fn, wrt, param_kinds, rules, compile_tangent):
    """The compiled tangent function of user function `fn`, kept in `rules.cache`.

    `compile_tangent(fn, wrt, param_kinds, rules, name)` compiles it: `(function,
    source)` (`pipeline.py` gives it)."""
    name = names.callee_name(fn)
    stub = calls._Stub(names.jvp_name(name), 2, callee=name)
    stub.sources = ()

    def make():
        stub.target, source = compile_tangent(fn, wrt, param_kinds, rules, name)
        stub.sources = (source,)
        return stub

    key = ('jvp', tuple(wrt), tuple(sorted(param_kinds.items())))
    return rules.cache.lookup(fn, key, make, placeholder=stub)


def call_tangent(state, stmt):
    """The primal and tangent statements of a call of a user function (a method of
    `forward._Forward`'s state): `h, dh = layer_jvp(w, x, dw)`."""
    fn = stmt.fn.value
    args = calls.bind_call(fn, stmt, state.fn)
    wrt = [p for p, a in args.items() if state.tangent_of(a) is not None]
    if not wrt:
        return [stmt]
    kinds = {p: state.kind(a) for p, a in args.items()}
    callee = calls.compiled_at(state.callees.tangent, state, stmt, fn, wrt, kinds,
                               state.rules)
    out = []
    both = state.let(out, ir.Global(callee.__name__, callee),
                     tuple(args.values()) + tuple(state.tangent_of(args[p]) for p in wrt),
                     names.out_name(callee.callee), stmt.line)
    out.append(ir.Let(stmt.target, prim(operator.getitem), (both, ir.Const(0)),
                      line=stmt.line))
    tangent = state.let(out, prim(operator.getitem), (both, ir.Const(1)),
                        names.tangent_name(stmt.target), stmt.line)
    state.kinds[tangent.name] = state.tangent_kind(ir.Var(stmt.target))
    state.tan[stmt.target] = tangent
    return out
