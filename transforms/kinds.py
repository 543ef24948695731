"""kinds: which values are known scalars, known arrays, or unknown.

Requires: an `ir.Function`, the kind of each parameter, and a `RuleTable`.
Provides: `infer_kinds(fn, param_kinds, rules) -> {name: kind}`.

A kind is 'int', 'float', 'bool' (Python or NumPy scalars), 'array' (an ndarray
of floats) or None (not known). Reverse mode uses kinds to leave out work a
hand-written gradient would not do: no `unbroadcast` between scalars, a literal
`0.0` instead of `zeros_like(x)` for a scalar `x`.
"""

import numbers

from transforms import ir, primitives
from transforms.rules import primitive_key

SCALARS = frozenset({'int', 'float', 'bool'})


def kind_of_value(value):
    """The kind of a Python object (used for constants and call arguments)."""
    if isinstance(value, bool):
        return 'bool'
    if isinstance(value, numbers.Integral):
        return 'int'
    if isinstance(value, numbers.Real):
        return 'float'
    dtype = getattr(value, 'dtype', None)
    if dtype is not None and getattr(value, 'ndim', None) is not None:
        if value.ndim == 0:
            return 'float' if dtype.kind == 'f' else None
        return 'array' if dtype.kind == 'f' else None
    return None


def join(a, b):
    """The kind of a value that is either kind `a` or kind `b`."""
    if a == b:
        return a
    if a in SCALARS and b in SCALARS:
        return 'float' if 'float' in (a, b) else 'int'
    return None


def arithmetic(kinds, true_division=False):
    """The kind of an elementwise arithmetic result."""
    if any(k is None for k in kinds):
        return None
    if 'array' in kinds:
        return 'array'
    if true_division or 'float' in kinds:
        return 'float'
    return 'int'


def let_kind(stmt, kind_of, rules):
    """The kind of the value a `Let` computes, given the kinds of its atoms."""
    if stmt.fn.value in (primitives.pop, primitives.new_tape, primitives.make_tuple,
                         primitives.make_list):
        return None
    rule = rules.lookup(primitive_key(stmt))
    if rule is None or rule.kind is None:
        return None
    args = [kind_of(a) for a in stmt.args]
    kwargs = {k: kind_of(a) for k, a in stmt.kwargs}
    return rule.kind(args, kwargs)


def infer_kinds(fn, param_kinds, rules):
    """Kinds of every value in `fn`; loops iterate to a fixed point."""
    kinds = dict(param_kinds)

    def kind_of(atom):
        if isinstance(atom, ir.Var):
            return kinds.get(atom.name)
        if isinstance(atom, (ir.Const, ir.Global)):
            return kind_of_value(atom.value)
        return None

    def block(b):
        for stmt in b.stmts:
            statement(stmt)

    def loop(stmt, blocks, extra_params=()):
        for name in extra_params:
            kinds[name] = 'int'
        for name, init in zip(stmt.carried, stmt.inits):
            kinds[name] = kind_of(init)
        for _ in range(3):  # kinds only widen; three rounds reach the fixed point
            for b in blocks:
                block(b)
            body = blocks[-1]
            changed = False
            for name, nxt in zip(stmt.carried, body.yields):
                new = join(kinds[name], kind_of(nxt))
                changed |= new != kinds[name]
                kinds[name] = new
            if not changed:
                break
        for name, result in zip(stmt.carried, stmt.results):
            kinds[result] = kinds[name]

    def statement(stmt):
        if isinstance(stmt, ir.Let):
            if stmt.target is not None:
                kinds[stmt.target] = let_kind(stmt, kind_of, rules)
        elif isinstance(stmt, ir.If):
            block(stmt.then)
            block(stmt.orelse)
            for name, a, b in zip(stmt.results, stmt.then.yields, stmt.orelse.yields):
                kinds[name] = join(kind_of(a), kind_of(b))
        elif isinstance(stmt, ir.For):
            loop(stmt, (stmt.body,), (stmt.index,))
        elif isinstance(stmt, ir.While):
            loop(stmt, (stmt.test, stmt.body))

    block(fn.body)
    return kinds
