"""forward: a primal function -> its tangent function (forward mode).

Requires: an `ir.Function` from `ssa` (after `pipeline.prepare`), the `wrt`
parameter names, a `RuleTable`, and the kind of each parameter (`kinds.py`).
Ensures: an `ir.Function` that computes each primal operation and right after it
the operation's tangent, and returns `(value, tangent)` (or the tangent alone).
The tangent of `x` is `dx`. Each differentiated parameter's tangent is either a
parameter of the new function (`jvp_f(x, y, dx, dy)`) or the constant 1.0 (the
derivative with respect to one scalar input).

Only active values (`activity.py`) get tangents, and zeros are symbolic: a value
whose tangent is zero has none, and rules are simplified around it
(`forward_rules.py`). Where a zero must become a value — one branch of an `if`
changes a value and the other does not, a loop starts from a constant — it is
`0.0` for a scalar and `zeros_like(x)` otherwise. Branches branch on the same
condition and loops carry the tangents of the values they carry: forward mode
stores nothing.
"""

import inspect

from transforms.ad import calls, inline, inplace
from transforms.ad.forward import forward_calls
from transforms.ad.forward.forward_containers import ContainerTangents
from transforms.ad.forward.forward_regions import RegionTangents
from transforms.ad.forward.forward_rules import ZERO, simplify_zeros
from transforms.ad.transformation import Transformation
from transforms.analysis import activity, kinds as kinds_, shapes
from transforms.analysis.kinds import SCALARS
from transforms.core import ir, names, primitives, substitute
from transforms.core.errors import AdjointError, UnsupportedSyntaxError
from transforms.core.rules import activity_keywords, primal_args, primitive_key, signature
from transforms.core.verify import checked
from transforms.frontend.ssa import prim


@checked
def forward(fn, wrt, rules, param_kinds=None, namespace_names=(), seed_ones=False,
            return_value=True, param_dims=None, callees=None):
    """The tangent function of `fn` with respect to the parameters named in `wrt`.

    Args:
        fn: the primal IR.
        wrt: a tuple of parameter names.
        rules: the `RuleTable`.
        param_kinds: {parameter name: kind}; unknown parameters may be anything.
        namespace_names: names the generated code must not shadow.
        seed_ones: seed each `wrt` parameter's tangent with the constant 1.0
            instead of taking it as a parameter (a derivative by one scalar).
        return_value: return `(value, tangent)`; else the tangent alone.
        param_dims: {parameter name: dimension symbols} of the array parameters,
            for code specialized to which of their dimensions are equal
            (`shapes.py`), or None.
        callees: a `calls.Callees`, which compiles the user functions `fn`
            calls (the driver's, `pipeline.CALLEES`).

    Returns:
        (tangent function, kinds of its values).
    """
    kinds = kinds_.infer_kinds(fn, param_kinds or {}, rules)
    varied, active = activity.varied_and_active(fn, tuple(wrt), rules)
    inplace.reject_hidden_updates(fn, varied, rules)
    state = _Forward(fn, rules, kinds, active, namespace_names, param_dims)
    state.callees = callees or calls.NO_CALLEES
    tangent = state.function(tuple(wrt), seed_ones, return_value)
    return shapes.stand_in_shapes(tangent, state.shapes, rules), state.kinds


class _Forward(Transformation, ContainerTangents, RegionTangents):
    """Working state of one forward-mode transformation (not shared across calls)."""

    def __init__(self, fn, rules, kinds, active, namespace_names, param_dims=None):
        super().__init__(fn, rules, kinds, active, namespace_names, param_dims)
        self.tan = {}  # primal value name -> atom holding its tangent (absent: zero)
        self.empty = {s.target: s.fn for s in ir.walk(fn.body) if isinstance(s, ir.Let)
                      and s.fn.value in (primitives.make_list, primitives.make_dict)
                      and not s.args}  # `ys = []`: its zero tangent is `[]` too

    # ------------------------------------------------------------ helpers

    def tangent_kind(self, atom):
        kind = self.kind(atom)
        return 'float' if kind in SCALARS else kind

    def tangent_of(self, atom):
        """The tangent of an atom, or None where it is zero."""
        return self.tan.get(atom.name) if isinstance(atom, ir.Var) else None

    def let(self, out, fn, args, hint=None, line=0, kwargs=()):
        """Append `name = fn(*args)` to `out`; return its Var."""
        name = self.namer.fresh(hint) if hint else self.namer.temp()
        stmt = ir.Let(name, fn, tuple(args), tuple(kwargs), line=line)
        out.append(stmt)
        self.kinds[name] = kinds_.let_kind(stmt, self.kind, self.rules)
        return ir.Var(name)

    def zero(self, atom, out, line=0):
        """A real zero tangent for `atom`: 0.0 for a scalar, `zeros_like(x)` else.

        The tangent of a None (an absent optional argument) is None, and of
        `UNBOUND` (a variable before the loop that first assigns it) `UNBOUND`.
        """
        if isinstance(atom, ir.Const) and atom.value is None:
            return ir.Const(None)
        if isinstance(atom, ir.Global) and atom.value is primitives.UNBOUND:
            return atom
        if isinstance(atom, ir.Var) and atom.name in self.empty:
            return self.let(out, self.empty[atom.name], (), names.tangent_name(atom.name), line)
        kind = self.kind(atom)
        if kind in SCALARS:
            return ir.Const(0.0)
        hint = names.tangent_name(getattr(atom, 'name', None) or 'zero')
        zero = self.let(out, ir.Global('zeros_like', self.rules.zeros_like), (atom,), hint, line)
        helper = kinds_.retupling(kind)
        if helper is not None:  # zeros_like makes lists
            zero = self.let(out, ir.Global(helper, self.rules.helper(helper)), (zero, atom),
                            hint, line)
        self.kinds[zero.name] = self.tangent_kind(atom)
        return zero

    def define(self, name, tangent, out):
        """Make `tangent` the tangent of value `name`, naming it `d<name>` when a
        statement just added to `out` computes it."""
        k = next((k for k in range(len(out) - 1, -1, -1) if isinstance(out[k], ir.Let)
                  and out[k].target == getattr(tangent, 'name', None)), None)
        if k is not None and tangent.name != name:
            new = self.namer.fresh(names.tangent_name(name))
            renamed = {tangent.name: ir.Var(new)}
            out[k:] = [ir.replace(out[k], target=new)] + \
                list(substitute.stmts(out[k + 1:], renamed))
            self.kinds[new] = self.kinds.pop(tangent.name, None)
            tangent = ir.Var(new)
        if isinstance(tangent, ir.Var) and self.kinds.get(tangent.name) is None:
            self.kinds[tangent.name] = self.tangent_kind(ir.Var(name))
        self.tan[name] = tangent

    # ------------------------------------------------------------ the function

    def function(self, wrt, seed_ones, return_value):
        fn = self.fn
        params = list(fn.params)
        # After a parameter with a default, the tangents can only be keyword-only.
        kind = 'keyword_only' if any(p.default is not None or p.kind == 'keyword_only'
                                     for p in params) else 'positional'
        for name in wrt:
            if seed_ones:
                self.tan[name] = ir.Const(1.0)
            else:
                tangent = self.namer.fresh(names.tangent_name(name))
                params.append(ir.Param(tangent, kind))
                self.kinds[tangent] = self.tangent_kind(ir.Var(name))
                self.tan[name] = ir.Var(tangent)
        body = self.block(fn.body.stmts)
        ret = fn.returns
        tail = []
        tangent = self.tangent_of(ret)
        if tangent is None:
            tangent = self.zero(ret, tail)
        result = tangent
        if return_value:
            result = self.let(tail, prim(primitives.make_tuple), (ret, tangent), 'result')
        prefix = 'jvp_' if return_value else 'derivative_'
        return fn.replace(name=prefix + fn.name.replace('<lambda>', 'lambda'),
                          params=tuple(params), body=ir.Block(tuple(body + tail), (result,)))

    def block(self, stmts):
        """The primal statements, each followed by its tangent statements."""
        out = []
        for stmt in stmts:
            out.extend(self.statement(stmt))
        return out

    def statement(self, stmt):
        if isinstance(stmt, ir.Let):
            if stmt.target in self.active:
                self.check_real(stmt)
            if stmt.target in self.active and \
                    forward_calls.is_user_function(stmt.fn.value, self.rules):
                return forward_calls.call_tangent(self, stmt)
            out = [stmt]
            self.let_tangent(stmt, out)
            return out
        if isinstance(stmt, ir.Hook):
            return []  # a hook runs in the backward sweep only
        if isinstance(stmt, ir.If):
            return [self.if_tangent(stmt)]
        return self.loop_tangent(stmt)

    # ------------------------------------------------------------ operations

    def let_tangent(self, stmt, out):
        """Append the tangent statements of one operation to `out`."""
        if stmt.target is None or stmt.target not in self.active:
            return
        if self.container_tangent(stmt, out):
            return
        rule = self.rules.lookup(primitive_key(stmt))
        if rule is None or (rule.differentiable and rule.jvp is None):
            raise self.unknown(stmt)
        if not rule.differentiable:
            return
        bound, tangent_params = self.bind(rule.jvp, stmt)
        self.reject_keyword_tangents(rule.jvp, stmt, bound, tangent_params)
        tangents = [self.tangent_of(bound.get(p[1:])) for p in tangent_params]
        if all(t is None for t in tangents):
            return
        tangent = self.apply_rule(rule.jvp, stmt, bound, tangent_params, tangents, out)
        if tangent is not None:
            self.define(stmt.target, tangent, out)

    def bind(self, rule_fn, stmt):
        """({primal parameter: atom}, tangent parameter names) of a jvp rule at `stmt`."""
        params = list(signature(rule_fn).parameters.values())
        names_ = [p.name for p in params]
        split = names_.index('ans') if 'ans' in names_ else -1
        if split < 0 or not all(n.startswith('d') and n[1:] in names_[split + 1:]
                                for n in names_[:split]):
            raise AdjointError(f'jvp rule {rule_fn.__qualname__} must take (d<param>..., '
                               f'ans, <param>...): a tangent `d<param>` for each '
                               f'differentiable parameter, then `ans`, then the parameters')
        primal = inspect.Signature(params[split + 1:])
        try:
            bound = primal.bind(*primal_args(stmt), **dict(stmt.kwargs)).arguments
        except TypeError as error:
            raise UnsupportedSyntaxError(
                f'`{stmt.fn.path}` is called with arguments adjoint cannot differentiate: '
                f'its tangent rule `{rule_fn.__qualname__}` does not accept them ({error})',
                self.fn.filename, stmt.line, self.source_line(stmt.line)) from None
        return bound, names_[:split]

    def reject_keyword_tangents(self, rule_fn, stmt, bound, tangent_params):
        """A differentiated value bound to a keyword-only parameter of the jvp rule
        that has no tangent parameter `d<name>` (a user's rule
        `f_jvp(dx, ans, x, *, scale=1.0)` called as `f(x, scale=s)`): an error, not a
        tangent that leaves it out. The reverse pass rejects the same call
        (`reject_keyword_cotangents`), so the two modes agree."""
        params = signature(rule_fn).parameters
        with_tangent = {p[1:] for p in tangent_params}
        keywords = []
        for name, atom in bound.items():
            if params[name].kind is inspect.Parameter.VAR_KEYWORD:
                keywords.extend(atom.items())
            elif params[name].kind is inspect.Parameter.KEYWORD_ONLY:
                keywords.append((name, atom))
        for name, atom in keywords:
            if name not in with_tangent and not name.startswith('active_') and \
                    self.tangent_of(atom) is not None:
                raise self.keyword_not_differentiated(stmt, name)

    def apply_rule(self, rule_fn, stmt, bound, tangent_params, tangents, out):
        """The tangent of `stmt` by its jvp rule, inlined with symbolic zeros (or, for a
        rule that cannot be inlined, called with real zeros)."""
        ans = ir.Var(stmt.target)
        args = primal_args(stmt)
        keywords = stmt.kwargs + activity_keywords(
            rule_fn, stmt, lambda a: self.tangent_of(a) is not None)
        inlinable = inline.inlinable(rule_fn, returns_tuple=False)
        if inlinable:
            marked = [ZERO if t is None else t for t in tangents]
            body, result = inline.inline(rule_fn, (*marked, ans, *args), keywords,
                                         self.namer, stmt.line, adjoint=False)
            simplified = simplify_zeros(body, result, self.rules)
            if simplified is not None:
                body, result, dropped = simplified
                self.note_kinds(body)
                out.extend(body)
                if result is not None and dropped and \
                        self.may_be_smaller(body, result, ans, bound, tangent_params, tangents):
                    result = self.let(out, ir.Global('broadcast_like',
                                                     self.rules.helper('broadcast_like')),
                                      (result, ans), None, stmt.line)
                return result
        filled = [t if t is not None else self.zero(bound.get(p[1:], ir.Const(None)),
                                                    out, stmt.line)
                  for p, t in zip(tangent_params, tangents)]
        if inlinable:
            body, result = inline.inline(rule_fn, (*filled, ans, *args), keywords,
                                         self.namer, stmt.line, adjoint=False)
            self.note_kinds(body)
            out.extend(body)
            return result
        call = ir.Global(getattr(rule_fn, '__name__', 'jvp'), rule_fn)
        return self.let(out, call, (*filled, ans, *args), None, stmt.line, keywords)

    def may_be_smaller(self, body, result, ans, bound, tangent_params, tangents):
        """Whether a tangent left from a sum whose zero terms were dropped may have a
        smaller shape than `ans` (`dx + dy` with `dy` zero is `dx`, of `x`'s shape, while
        `x + y` broadcasts to the shape of `y`): whether some array argument with a
        zero tangent is missing from the operands the result was computed from."""
        if self.kind(ans) in SCALARS:
            return False
        covers = {}  # atom name -> the parameters whose shapes it broadcasts over
        for p, t in zip(tangent_params, tangents):
            for atom in (bound.get(p[1:]), t):
                if isinstance(atom, ir.Var):
                    covers.setdefault(atom.name, set()).add(p[1:])
        covers[ans.name] = set(bound)
        for stmt in body:
            covers[stmt.target] = set().union(*(covers.get(a.name, set())
                                                for a in ir.stmt_uses(stmt)
                                                if isinstance(a, ir.Var)))
        missing = {p[1:] for p, t in zip(tangent_params, tangents) if t is None
                   and isinstance(bound.get(p[1:]), (ir.Var, ir.Global))
                   and self.kind(bound[p[1:]]) not in SCALARS}
        covered = covers.get(getattr(result, 'name', None), set())
        if any(shapes.same_shape(self.shapes, bound[p], ans) for p in covered
               if isinstance(bound.get(p), ir.Var)):
            return False  # the result broadcasts over an argument of ans's shape
        return not missing <= covered

    def unknown(self, stmt):
        return self.missing_rule(stmt, 'jvp')
