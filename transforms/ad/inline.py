"""Inline a rule template: its body, with parameters bound and locals renamed.

A rule such as

    def mul_vjp(g, ans, x, y):
        return (g * y, g * x)

goes through the same parse -> normalize -> ssa pipeline as user code (once per
rule), and is spliced into generated code with `g`, `ans`, `x`, `y` replaced by
the atoms at the call site.
"""

import inspect

from transforms.core import ir, primitives, substitute
from transforms.core.errors import AdjointError
from transforms.core.rules import per_rule, signature
from transforms.frontend import normalize, parse, ssa


@per_rule
def template(rule_fn):
    """The IR of a rule function (cached: each rule is parsed once)."""
    parsed = parse.parse_function(rule_fn)
    return ssa.build(normalize.normalize(parsed), parsed)


class UnsupportedCall(Exception):
    """A call whose arguments its rule does not take; reverse mode reports it with
    the user's file and line."""


def inlinable(rule_fn, returns_tuple=True):
    """Whether a rule's body can be spliced into generated code: it has source that
    adjoint parses, and is straight-line, effect-free code ending in a tuple (a vjp
    rule) or, with `returns_tuple=False`, in any value (a jvp rule). Other rules
    (with branches, side effects, or written in C) are called. (Found once per
    rule: a rule without source was parsed again at each call.)"""
    return _inlinable(rule_fn, returns_tuple)


@per_rule
def _inlinable(rule_fn, returns_tuple):
    try:
        fn = template(rule_fn)
    except AdjointError:
        return False
    if not all(isinstance(s, ir.Let) and s.target is not None and
               s.fn.value not in primitives.MUTATING for s in fn.body.stmts):
        return False
    return not returns_tuple or split_tuple(fn.body.stmts, fn.returns)[1] is not None


def bind(rule_fn, args, kwargs):
    """(a map of the rule's parameter names to atoms: positional, keyword, then
    defaults; the names of the parameters the arguments bind)."""
    try:
        bound = signature(rule_fn).bind(*args, **dict(kwargs))
    except TypeError as error:
        raise UnsupportedCall(f'its derivative rule `{rule_fn.__qualname__}` does not '
                              f'accept these arguments ({error})') from None
    passed = set(bound.arguments)
    bound.apply_defaults()
    out = {}
    for name, value in bound.arguments.items():
        out[name] = value if isinstance(value, (ir.Var, ir.Const, ir.Global)) \
            else ir.Const(value)
    return out, passed


def inline(rule_fn, args, kwargs, namer, line, adjoint=True):
    """Splice a rule's body; return (statements, result atom).

    Args:
        rule_fn: the rule template function.
        args: atoms for its positional parameters.
        kwargs: ((name, atom), ...) for its keyword parameters.
        namer: hands out fresh names for the rule's locals.
        line: the user's source line the generated statements derive from.
    """
    template(rule_fn)  # its errors first
    keywords = dict(kwargs)
    try:
        binding, fn, defined = _plan(rule_fn, len(args), tuple(keywords))
    except TypeError:  # the arguments do not bind: `bind` says why
        bind(rule_fn, args, kwargs)
        raise
    uses = {}
    for name, value in binding:
        value = _placed(value, args, keywords)
        uses[name] = value if isinstance(value, (ir.Var, ir.Const, ir.Global)) \
            else ir.Const(value)
    defs = {}
    for name in defined:
        defs[name] = namer.temp()
        uses[name] = ir.Var(defs[name])
    stmts = substitute.stmts(fn.body.stmts, uses, defs)
    stmts = tuple(_relocate(s, line, adjoint) for s in stmts)
    return stmts, substitute.atom(fn.returns, uses)


class _Place:
    """Where an argument of a call sits: its position, or its keyword."""

    def __init__(self, key):
        self.key = key


@per_rule
def _plan(rule_fn, arity, keywords):
    """How a call with `arity` positional arguments and these keywords inlines the
    rule, the same for every such call (so found once, not by `inspect` at each):
    ((parameter, its `_Place`, or what holds them, or its default), ...) in the
    order `bind` gives them, the template with `_forward_defaults` applied, and
    the names its body defines in program order. Raises TypeError where such a
    call does not bind."""
    bound = signature(rule_fn).bind(*map(_Place, range(arity)),
                                    **{name: _Place(name) for name in keywords})
    passed = set(bound.arguments)
    bound.apply_defaults()
    fn = _forward_defaults(template(rule_fn), {name: value for name, value
                                               in bound.arguments.items()
                                               if name not in passed})
    defined = tuple(name for stmt in ir.walk(fn.body)
                    for name in ir.stmt_defs(stmt) + ir.region_params(stmt))
    return tuple(bound.arguments.items()), fn, defined


def _placed(value, args, keywords):
    """A `_plan` binding's value with the call's arguments in their places (in the
    tuple of a `*args` or the dict of a `**kwargs` too)."""
    if isinstance(value, _Place):
        return args[value.key] if isinstance(value.key, int) else keywords[value.key]
    if type(value) is tuple and any(isinstance(v, _Place) for v in value):
        return tuple(_placed(v, args, keywords) for v in value)
    if type(value) is dict and any(isinstance(v, _Place) for v in value.values()):
        return {k: _placed(v, args, keywords) for k, v in value.items()}
    return value


def _forward_defaults(fn, defaulted):
    """Leave out `name=name` keyword arguments of calls in the rule's body where the
    rule's parameter `name` took its default and the callee's default for `name` is
    the same: a rule's defaults mirror its primitive's, so `np.sum(x)` gets the
    tangent `np.sum(dx)`, as the user wrote it, not `np.sum(dx, axis=None,
    keepdims=False)`. Where the defaults differ the keyword stays, with the rule's
    default."""
    def keep(stmt, kwarg):
        name, atom = kwarg
        return not (name in defaulted and atom == ir.Var(name)
                    and _same_default(stmt.fn.value, name, defaulted[name]))

    def block(b):
        return ir.Block(tuple(
            ir.replace(s, kwargs=tuple(k for k in s.kwargs if keep(s, k)))
            if isinstance(s, ir.Let) else s for s in b.stmts), b.yields)
    return fn.replace(body=block(fn.body))


_PLAIN = (type(None), bool, int, float, complex, str, bytes, tuple)


def _same_default(callee, name, default):
    """Whether calling `callee` without `name=` is calling it with `name=default`.
    A default that is not a plain value (NumPy's `np._NoValue`) stands for the
    callee's own behaviour when the keyword is left out, which the rule's default
    mirrors by the rules' contract."""
    try:
        param = inspect.signature(callee).parameters.get(name)
    except (TypeError, ValueError):
        return False
    if param is None or param.default is inspect.Parameter.empty:
        return False
    if not isinstance(param.default, _PLAIN):
        return True
    return type(param.default) is type(default) and param.default == default


def _relocate(stmt, line, adjoint):
    if isinstance(stmt, ir.Let):
        return ir.replace(stmt, line=line, adjoint=adjoint)
    changes = {'line': line, 'adjoint': adjoint}
    if isinstance(stmt, ir.If):
        changes.update(then=_relocate_block(stmt.then, line, adjoint),
                       orelse=_relocate_block(stmt.orelse, line, adjoint))
    elif isinstance(stmt, ir.For):
        changes.update(body=_relocate_block(stmt.body, line, adjoint))
    else:
        changes.update(test=_relocate_block(stmt.test, line, adjoint),
                       body=_relocate_block(stmt.body, line, adjoint))
    return ir.replace(stmt, **changes)


def _relocate_block(block, line, adjoint):
    return ir.Block(tuple(_relocate(s, line, adjoint) for s in block.stmts), block.yields)


def split_tuple(stmts, result):
    """If `result` is built by a `(a, b, ...)` in `stmts`, return (stmts without it,
    the items); else (stmts, None)."""
    if isinstance(result, ir.Const) and isinstance(result.value, tuple):
        return stmts, tuple(ir.Const(v) for v in result.value)
    for k, stmt in enumerate(stmts):
        if isinstance(stmt, ir.Let) and stmt.target == getattr(result, 'name', None) \
                and stmt.fn.value is primitives.make_tuple:
            return stmts[:k] + stmts[k + 1:], stmt.args
    return stmts, None
