"""Inline a jvp (tangent) rule, with symbolic zeros.

A jvp rule is an ordinary Python function, one per primitive (../shared/STYLE.md):

    def mul_jvp(dx, dy, ans, x, y):
        return dx * y + x * dy

Its parameters are one tangent `d<name>` per differentiable primal parameter
`<name>`, then `ans` (the primal result), then the primal parameters. It returns
the tangent of the result. It is inlined like a vjp rule, with the tangents at
the call site bound to `dx`, `dy`; a tangent that is zero — the argument does not
depend on the differentiated inputs — is bound to the marker `ZERO`, and the
inlined statements are simplified around it: `dx * y` with `dx` zero is zero,
`a + zero` is `a`, `zero - b` is `-b`. So `x * 3.0` gets `dt = dx * 3.0` and
never a `0.0 * x` (zeros are symbolic, ../shared/DESIGN.md).

What is linear in which argument comes from the `RuleTable` (`zero_roles`, set by
the rule library for NumPy), on top of Python's operators below. Where a zero
reaches an operation not known to be linear in it, `simplify_zeros` gives up and
the caller inlines the rule again with real zeros: slower, never wrong.
"""

import operator

from transforms.core import ir, substitute
from transforms.core.rules import primal_args, primitive_key
from transforms.frontend.ssa import prim


class _Zero:
    """The value of the `ZERO` marker (compared by identity)."""

    def __repr__(self):
        return 'ZERO'


ZERO = ir.Const(_Zero())

# How zeros move through Python's operators. ('sum',): zero operands drop out;
# ('difference',): `a - 0` is `a`, `0 - b` is `-b`; a tuple of positions: the
# result is zero when the argument at any of them is.
OPERATOR_ROLES = {
    operator.add: 'sum',
    operator.sub: 'difference',
    operator.mul: (0, 1),
    operator.matmul: (0, 1),
    operator.truediv: (0,),
    operator.neg: (0,),
    operator.pos: (0,),
    operator.getitem: (0,),
}


def zero_role(table, stmt):
    """How a zero argument passes through `stmt`'s operation, or None if unknown."""
    key = primitive_key(stmt)
    try:
        role = OPERATOR_ROLES.get(key)
        return role if role is not None else table.zero_roles.get(key)
    except TypeError:  # an unhashable callable is not in either table
        return None


def simplify_zeros(stmts, result, table):
    """Remove the zeros from inlined rule statements.

    Args:
        stmts: the inlined statements, some reading `ZERO`.
        result: the atom the rule returns.
        table: the `RuleTable` (for `zero_roles`).

    Returns:
        `(statements, result, dropped)`: the result is None when the tangent is
        zero; `dropped` says a zero term of a sum was left out, so the result may
        have the shape of one operand rather than of the broadcast sum. None when a
        zero reaches an operation that is not known to be linear in it.
    """
    uses, out, dropped = {}, [], False
    for stmt in stmts:
        stmt = substitute.statement(stmt, uses)
        if ZERO not in stmt.args and ZERO not in (a for _, a in stmt.kwargs):
            out.append(stmt)
            continue
        role = zero_role(table, stmt)
        args = primal_args(stmt)
        zeros = {k for k, a in enumerate(args) if a == ZERO}
        if role is None or any(a == ZERO for _, a in stmt.kwargs) or \
                len(zeros) != sum(a == ZERO for a in stmt.args):
            return None
        if role == 'sum':  # binary: at most one operand is left
            others = [a for a in args if a != ZERO]
            uses[stmt.target] = others[0] if others else ZERO
            dropped |= bool(others)
        elif role == 'difference':
            a, b = args
            if b == ZERO:
                uses[stmt.target] = a
                dropped |= a != ZERO
            else:
                out.append(ir.replace(stmt, fn=prim(operator.neg), args=(b,), kwargs=()))
                dropped = True
        elif zeros <= set(role):
            uses[stmt.target] = ZERO
        else:
            return None
    result = substitute.atom(result, uses)
    return out, (None if result == ZERO else result), dropped
