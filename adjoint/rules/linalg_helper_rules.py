"""Rules for the runtime helpers of linear algebra (linalg_helpers.py), which the
rules of numpy_linalg.py put into generated code: what second derivatives through
products, `np.einsum`, `np.linalg.norm` and `np.linalg.solve` differentiate.

Each helper's derivatives are written with the helpers themselves, so that they
serve derivatives of any order: `matmul_grad_left(g, x, y)` is `g @ y.T`,
linear in `g` and in `y`; `einsum_grad` differentiates by its first operand, and
the rules move the operand they need first; the solves take `b` only to know
whether they combine vectors or matrices.
"""

import numpy as np

from adjoint.rules import linalg_helpers as linalg
from adjoint.rules.linalg_helpers import (einsum_grad, einsum_of, matmul_grad_left,
                                          matmul_grad_right, moved_first, norm_grad,
                                          solve_like, solve_transposed, tensordot_grad_left,
                                          tensordot_grad_right, times_like, times_transposed,
                                          trace_grad)
from adjoint.rules.numpy_helpers import keep_dims
from adjoint.rules.numpy_kinds import FLOATS
from adjoint.rules.registry import jvp_rule, nondifferentiable, vjp_rule


def _floats(args, kwargs):
    return 'array' if args and all(k in FLOATS for k in args[:3]) else None


def _like_second(args, kwargs):
    """A float array shaped like the second argument (`trace_grad(g, x)`)."""
    return args[1] if args[1:2] and args[1] in FLOATS - {'float'} else None


def _unknown(args, kwargs):
    return None


# ---------------------------------------------------------------- products


@vjp_rule(matmul_grad_left, kind=_floats)
def matmul_grad_left_vjp(gg, ans, g, x, y):
    # matmul_grad_left(g, x, y) is linear in g and in y: <gg, it> = <g, gg @ y>.
    return (np.matmul(gg, y), None, matmul_grad_right(g, gg, y))


@jvp_rule(matmul_grad_left)
def matmul_grad_left_jvp(dg, dy, ans, g, x, y):
    # x gives only the shape.
    return matmul_grad_left(dg, x, y) + matmul_grad_left(g, x, dy)


@vjp_rule(matmul_grad_right, kind=_floats)
def matmul_grad_right_vjp(gg, ans, g, x, y):
    return (np.matmul(x, gg), matmul_grad_left(g, x, gg), None)


@jvp_rule(matmul_grad_right)
def matmul_grad_right_jvp(dg, dx, ans, g, x, y):
    return matmul_grad_right(dg, x, y) + matmul_grad_right(g, dx, y)


@vjp_rule(tensordot_grad_left, kind=_floats)
def tensordot_grad_left_vjp(gg, ans, g, x, y, axes=2):
    return (np.tensordot(gg, y, axes), None, tensordot_grad_right(g, gg, y, axes))


@jvp_rule(tensordot_grad_left)
def tensordot_grad_left_jvp(dg, dy, ans, g, x, y, axes=2):
    return tensordot_grad_left(dg, x, y, axes) + tensordot_grad_left(g, x, dy, axes)


@vjp_rule(tensordot_grad_right, kind=_floats)
def tensordot_grad_right_vjp(gg, ans, g, x, y, axes=2):
    return (np.tensordot(x, gg, axes), tensordot_grad_left(g, x, gg, axes), None)


@jvp_rule(tensordot_grad_right)
def tensordot_grad_right_jvp(dg, dx, ans, g, x, y, axes=2):
    return tensordot_grad_right(dg, x, y, axes) + tensordot_grad_right(g, dx, y, axes)


@vjp_rule(trace_grad, kind=_like_second)
def trace_grad_vjp(gg, ans, g, x, offset=0, axis1=0, axis2=1):
    return (np.trace(gg, offset, axis1, axis2), None)


@jvp_rule(trace_grad)
def trace_grad_jvp(dg, ans, g, x, offset=0, axis1=0, axis2=1):
    return trace_grad(dg, x, offset, axis1, axis2)


# ---------------------------------------------------------------- einsum


@vjp_rule(einsum_grad, kind=_floats)
def einsum_grad_vjp(gg, ans, g, subscripts, x, y=None, z=None, w=None):
    # <gg, einsum_grad(g, s, x, ...)> is <g, einsum(s, gg, y, ...)>: the einsum
    # with gg in place of x (whose values it does not read), and its cotangents.
    return (einsum_of(subscripts, gg, y, z, w), None, None,
            einsum_grad(g, moved_first(subscripts, 1), y, gg, z, w),
            einsum_grad(g, moved_first(subscripts, 2), z, gg, y, w),
            einsum_grad(g, moved_first(subscripts, 3), w, gg, y, z))


@jvp_rule(einsum_grad)
def einsum_grad_jvp(dg, dy, dz, dw, ans, g, subscripts, x, y=None, z=None, w=None):
    # Linear in g and in each operand but the first, which gives only the shape.
    return (einsum_grad(dg, subscripts, x, y, z, w) + einsum_grad(g, subscripts, x, dy, z, w)
            + einsum_grad(g, subscripts, x, y, dz, w) + einsum_grad(g, subscripts, x, y, z, dw))


# ---------------------------------------------------------------- norm


@vjp_rule(norm_grad, kind=_unknown)
def norm_grad_vjp(gg, ans, g, norm, x, order=None, axis=None, keepdims=False):
    # The 2-norm's g x / norm in each of g, norm and x; the 1-norm's g sign(x) only
    # in g: `scale` is 1 / norm, or 0 for the 1-norm. A norm 0 counts as 1, as in
    # norm_grad.
    scale = (1.0 - (order == 1)) / keep_dims(norm + (norm == 0.0), x, axis, keepdims)
    direction = norm_grad(np.ones_like(g), norm, x, order, axis, keepdims)
    return (np.sum(gg * direction, axis=axis, keepdims=keepdims),
            -np.sum(gg * ans * scale, axis=axis, keepdims=keepdims),
            gg * keep_dims(g, x, axis, keepdims) * scale)


@jvp_rule(norm_grad)
def norm_grad_jvp(dg, dnorm, dx, ans, g, norm, x, order=None, axis=None, keepdims=False):
    # As for the vjp: `scale` is 1 / norm, or 0 for the 1-norm.
    scale = (1.0 - (order == 1)) / keep_dims(norm + (norm == 0.0), x, axis, keepdims)
    return (norm_grad(dg, norm, x, order, axis, keepdims)
            + (keep_dims(g, x, axis, keepdims) * dx
               - ans * keep_dims(dnorm, x, axis, keepdims)) * scale)


# ---------------------------------------------------------------- solve


@vjp_rule(solve_like, broadcasts=True, kind=_floats)
def solve_like_vjp(gg, ans, a, r, b):
    # ans = a^-1 r, the rule of np.linalg.solve.
    gr = solve_transposed(a, gg, b)
    return (-times_transposed(gr, ans, b), gr, None)


@jvp_rule(solve_like)
def solve_like_jvp(da, dr, ans, a, r, b):
    return solve_like(a, dr - times_like(da, ans, b), b)


@vjp_rule(solve_transposed, broadcasts=True, kind=_floats)
def solve_transposed_vjp(gg, ans, a, g, b):
    # ans = a^-T g: the rule of np.linalg.solve for a^T, transposed back.
    gr = solve_like(a, gg, b)
    return (-times_transposed(ans, gr, b), gr, None)


@jvp_rule(solve_transposed)
def solve_transposed_jvp(da, dg, ans, a, g, b):
    return solve_transposed(a, dg - times_like(np.swapaxes(da, -1, -2), ans, b), b)


@vjp_rule(times_like, broadcasts=True, kind=_floats)
def times_like_vjp(gg, ans, a, x, b):
    return (times_transposed(gg, x, b), times_like(np.swapaxes(a, -1, -2), gg, b), None)


@jvp_rule(times_like)
def times_like_jvp(da, dx, ans, a, x, b):
    return times_like(da, x, b) + times_like(a, dx, b)


@vjp_rule(times_transposed, broadcasts=True, kind=_floats)
def times_transposed_vjp(gg, ans, u, v, b):
    return (times_like(gg, v, b), times_like(np.swapaxes(gg, -1, -2), u, b), None)


@jvp_rule(times_transposed)
def times_transposed_jvp(du, dv, ans, u, v, b):
    return times_transposed(du, v, b) + times_transposed(u, dv, b)


# ---------------------------------------------------------------- no derivative


nondifferentiable(linalg.dot_axes, linalg.inner_axes, moved_first, kind=_unknown)
