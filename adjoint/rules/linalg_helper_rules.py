"""Rules for the runtime helpers of linear algebra (linalg_helpers.py), which the
rules of numpy_linalg.py put into generated code: what second derivatives through
products, `np.einsum`, `np.linalg.norm`, `np.linalg.solve` and the factorizations
differentiate.

Each helper's derivatives are written with the helpers themselves, so that they
serve derivatives of any order: `matmul_grad_left(g, x, y)` is `g @ y.T`,
linear in `g` and in `y`; `einsum_grad` differentiates by its first operand, and
the rules move the operand they need first; the solves take `b` only to know
whether they combine vectors or matrices. `svd_factors` shares np.linalg.svd's
rules (numpy_linalg.py). The third derivatives of the norms of singular values
are not supported: `no_spectral_third_derivative` raises for them.
"""

import numpy as np

from adjoint.rules import linalg_helpers as linalg
from adjoint.rules.linalg_helpers import (cross_grad, distinct_gaps, einsum_grad, einsum_of,
                                          full_rank_pinv, inverse_singular, kron_grad_left,
                                          kron_grad_right, matmul_grad_left,
                                          matmul_grad_right, moved_first,
                                          no_spectral_third_derivative, norm_direction,
                                          norm_exponent, solve_like, solve_transposed,
                                          spectral_hessian, svd_cotangents, svd_like,
                                          tensordot_grad_left, tensordot_grad_right,
                                          times_like, times_transposed, trace_grad)
from adjoint.rules.numpy_helpers import keep_dims
from adjoint.rules.numpy_kinds import FLOATS, contraction
from adjoint.rules.registry import jvp_rule, nondifferentiable, unknown, vjp_rule


def _floats(args, kwargs):
    return 'array' if args and all(k in FLOATS for k in args[:3]) else None


def _like_second(args, kwargs):
    """A float array shaped like the second argument (`trace_grad(g, x)`)."""
    return args[1] if args[1:2] and args[1] in FLOATS - {'float'} else None


def _like_first(args, kwargs):
    """A float array shaped like the first argument (`norm_direction(x, norm)`)."""
    return args[0] if args[:1] and args[0] in FLOATS - {'float'} else None


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


@vjp_rule(kron_grad_left, kind=_floats)
def kron_grad_left_vjp(gg, ans, g, a, b):
    # Linear in g and in b (a gives only the shape): <gg, it> = <g, np.kron(gg, b)>.
    return (np.kron(gg, b), None, kron_grad_right(g, gg, b))


@jvp_rule(kron_grad_left)
def kron_grad_left_jvp(dg, db, ans, g, a, b):
    return kron_grad_left(dg, a, b) + kron_grad_left(g, a, db)


@vjp_rule(kron_grad_right, kind=_floats)
def kron_grad_right_vjp(gg, ans, g, a, b):
    return (np.kron(a, gg), kron_grad_left(g, a, gg), None)


@jvp_rule(kron_grad_right)
def kron_grad_right_jvp(dg, da, ans, g, a, b):
    return kron_grad_right(dg, a, b) + kron_grad_right(g, da, b)


@vjp_rule(cross_grad, kind=_floats)
def cross_grad_vjp(gg, ans, g, x, y, axisx=-1, axisy=-1, axisc=-1, axis=None):
    # Linear in g and in y: <gg, y × g> = <g, gg × y> = -<y, gg × g>. (g has the
    # shape of np.cross(x, y), and so of np.cross(gg, y); gg is laid out as x.)
    return (np.cross(gg, y, axisx, axisy, axisc, axis), None,
            -cross_grad(g, y, gg, axisy, axisx, axisc, axis))


@jvp_rule(cross_grad)
def cross_grad_jvp(dg, dy, ans, g, x, y, axisx=-1, axisy=-1, axisc=-1, axis=None):
    return cross_grad(dg, x, y, axisx, axisy, axisc, axis) + \
        cross_grad(g, x, dy, axisx, axisy, axisc, axis)


@vjp_rule(trace_grad, kind=_like_second)
def trace_grad_vjp(gg, ans, g, x, offset=0, axis1=0, axis2=1):
    return (np.trace(gg, offset, axis1, axis2), None)


@jvp_rule(trace_grad)
def trace_grad_jvp(dg, ans, g, x, offset=0, axis1=0, axis2=1):
    return trace_grad(dg, x, offset, axis1, axis2)


# ---------------------------------------------------------------- einsum


# A spec has an entry per argument, '_' for one that is not an operand
# (linalg_helpers.einsum_spec): whatever the argument in a place, its cotangent
# and its tangent are those of an operand, and are never asked for where it is not.


@vjp_rule(einsum_of, kind=contraction)
def einsum_of_vjp(g, ans, spec, x, y=None, z=None, w=None, u=None, v=None, p=None, q=None,
                  r=None, *, optimize=False):
    # einsum_grad differentiates by the first entry: move each one first.
    return (None, einsum_grad(g, spec, x, y, z, w, u, v, p, q, r),
            einsum_grad(g, moved_first(spec, 1), y, x, z, w, u, v, p, q, r),
            einsum_grad(g, moved_first(spec, 2), z, x, y, w, u, v, p, q, r),
            einsum_grad(g, moved_first(spec, 3), w, x, y, z, u, v, p, q, r),
            einsum_grad(g, moved_first(spec, 4), u, x, y, z, w, v, p, q, r),
            einsum_grad(g, moved_first(spec, 5), v, x, y, z, w, u, p, q, r),
            einsum_grad(g, moved_first(spec, 6), p, x, y, z, w, u, v, q, r),
            einsum_grad(g, moved_first(spec, 7), q, x, y, z, w, u, v, p, r),
            einsum_grad(g, moved_first(spec, 8), r, x, y, z, w, u, v, p, q))


@jvp_rule(einsum_of)
def einsum_of_jvp(dspec, dx, dy, dz, dw, du, dv, dp, dq, dr, ans, spec, x, y=None, z=None,
                  w=None, u=None, v=None, p=None, q=None, r=None, *, optimize=False):
    # Linear in each operand.
    return (einsum_of(spec, dx, y, z, w, u, v, p, q, r, optimize=optimize)
            + einsum_of(spec, x, dy, z, w, u, v, p, q, r, optimize=optimize)
            + einsum_of(spec, x, y, dz, w, u, v, p, q, r, optimize=optimize)
            + einsum_of(spec, x, y, z, dw, u, v, p, q, r, optimize=optimize)
            + einsum_of(spec, x, y, z, w, du, v, p, q, r, optimize=optimize)
            + einsum_of(spec, x, y, z, w, u, dv, p, q, r, optimize=optimize)
            + einsum_of(spec, x, y, z, w, u, v, dp, q, r, optimize=optimize)
            + einsum_of(spec, x, y, z, w, u, v, p, dq, r, optimize=optimize)
            + einsum_of(spec, x, y, z, w, u, v, p, q, dr, optimize=optimize))


@vjp_rule(einsum_grad, kind=_floats)
def einsum_grad_vjp(gg, ans, g, spec, x, y=None, z=None, w=None, u=None, v=None, p=None,
                    q=None, r=None):
    # <gg, einsum_grad(g, s, x, ...)> is <g, einsum_of(s, gg, y, ...)>: the einsum
    # with gg in place of x (whose values it does not read), and its cotangents.
    return (einsum_of(spec, gg, y, z, w, u, v, p, q, r), None, None,
            einsum_grad(g, moved_first(spec, 1), y, gg, z, w, u, v, p, q, r),
            einsum_grad(g, moved_first(spec, 2), z, gg, y, w, u, v, p, q, r),
            einsum_grad(g, moved_first(spec, 3), w, gg, y, z, u, v, p, q, r),
            einsum_grad(g, moved_first(spec, 4), u, gg, y, z, w, v, p, q, r),
            einsum_grad(g, moved_first(spec, 5), v, gg, y, z, w, u, p, q, r),
            einsum_grad(g, moved_first(spec, 6), p, gg, y, z, w, u, v, q, r),
            einsum_grad(g, moved_first(spec, 7), q, gg, y, z, w, u, v, p, r),
            einsum_grad(g, moved_first(spec, 8), r, gg, y, z, w, u, v, p, q))


@jvp_rule(einsum_grad)
def einsum_grad_jvp(dg, dy, dz, dw, du, dv, dp, dq, dr, ans, g, spec, x, y=None, z=None, w=None,
                    u=None, v=None, p=None, q=None, r=None):
    # Linear in g and in each operand but the first, which gives only the shape.
    return (einsum_grad(dg, spec, x, y, z, w, u, v, p, q, r)
            + einsum_grad(g, spec, x, dy, z, w, u, v, p, q, r)
            + einsum_grad(g, spec, x, y, dz, w, u, v, p, q, r)
            + einsum_grad(g, spec, x, y, z, dw, u, v, p, q, r)
            + einsum_grad(g, spec, x, y, z, w, du, v, p, q, r)
            + einsum_grad(g, spec, x, y, z, w, u, dv, p, q, r)
            + einsum_grad(g, spec, x, y, z, w, u, v, dp, q, r)
            + einsum_grad(g, spec, x, y, z, w, u, v, p, dq, r)
            + einsum_grad(g, spec, x, y, z, w, u, v, p, q, dr))


# ---------------------------------------------------------------- norm


@vjp_rule(norm_direction, kind=_like_first)
def norm_direction_vjp(gg, ans, x, norm, order=None, axis=None, keepdims=False):
    # For a p-norm, ans = sign(x) |x|^(p-1) norm^(1-p): elementwise in x (h), and
    # (1 - p) ans / norm in the norm; p is 1 (nothing) for the piecewise linear
    # norms and those of singular values, whose part is spectral_hessian's. A norm
    # 0 counts as 1, as in norm_direction.
    p = norm_exponent(order, x, axis)
    kept = keep_dims(norm + (norm == 0.0), x, axis, keepdims)
    h = (p - 1.0) * np.power(np.abs(x), p - 2.0 + (p == 1.0)) * np.power(kept, 1.0 - p)
    return (gg * h + spectral_hessian(gg, x, order, axis),
            (1.0 - p) * np.sum(gg * ans, axis=axis, keepdims=keepdims) / (norm + (norm == 0.0)))


@jvp_rule(norm_direction)
def norm_direction_jvp(dx, dnorm, ans, x, norm, order=None, axis=None, keepdims=False):
    p = norm_exponent(order, x, axis)
    kept = keep_dims(norm + (norm == 0.0), x, axis, keepdims)
    h = (p - 1.0) * np.power(np.abs(x), p - 2.0 + (p == 1.0)) * np.power(kept, 1.0 - p)
    return (dx * h + (1.0 - p) * ans * keep_dims(dnorm, x, axis, keepdims) / kept
            + spectral_hessian(dx, x, order, axis))


@vjp_rule(spectral_hessian, kind=_like_second)
def spectral_hessian_vjp(gg, ans, t, x, order=None, axis=None):
    # Linear and symmetric in t; its derivative by x is the third of the norm.
    return (spectral_hessian(gg, x, order, axis), no_spectral_third_derivative(x, order, axis))


@jvp_rule(spectral_hessian)
def spectral_hessian_jvp(dt, dx, ans, t, x, order=None, axis=None):
    return spectral_hessian(dt, x, order, axis) + dx * no_spectral_third_derivative(x, order, axis)


# ---------------------------------------------------------------- factorizations


def _gaps(args, kwargs):
    """`distinct_gaps(w)`: a matrix for a vector, an array for a stack of them."""
    if not args or args[0] not in FLOATS - {'float'}:
        return None
    return 'matrix' if args[0] == 'vector' else 'array'


@vjp_rule(distinct_gaps, kind=_gaps)
def distinct_gaps_vjp(gg, ans, w, name='np.linalg.eigh'):
    # ans[i, j] = w[j] - w[i] off the diagonal (1 on it): linear in w.
    return (np.sum(gg, axis=-2) - np.sum(gg, axis=-1), None)


@jvp_rule(distinct_gaps)
def distinct_gaps_jvp(dw, ans, w, name='np.linalg.eigh'):
    return np.expand_dims(dw, -2) - np.expand_dims(dw, -1)


@vjp_rule(inverse_singular, kind=_like_first)
def inverse_singular_vjp(gg, ans, s):
    return (-gg * ans * ans,)


@jvp_rule(inverse_singular)
def inverse_singular_jvp(ds, ans, s):
    return -ds * ans * ans


@vjp_rule(svd_cotangents, kind=unknown)
def svd_cotangents_vjp(gg, ans, g, factors):
    # A cotangent per factor, from the cotangent of (u, s, vh) or of s: linear in g.
    return (svd_like(gg, g), None)


@jvp_rule(svd_cotangents)
def svd_cotangents_jvp(dg, ans, g, factors):
    return svd_cotangents(dg, factors)


@vjp_rule(svd_like, kind=unknown)
def svd_like_vjp(gg, ans, parts, result):
    return (svd_cotangents(gg, parts), None)


@jvp_rule(svd_like)
def svd_like_jvp(dparts, ans, parts, result):
    return svd_like(dparts, result)


@vjp_rule(full_rank_pinv, kind=_like_first)
def full_rank_pinv_vjp(gg, ans, p, a, rcond=None, hermitian=False, rtol=None):
    # `p` itself, checked.
    return (gg, None, None, None, None)


@jvp_rule(full_rank_pinv)
def full_rank_pinv_jvp(dp, ans, p, a, rcond=None, hermitian=False, rtol=None):
    return dp


@vjp_rule(linalg.full_rank_qr, kind=unknown)
def full_rank_qr_vjp(gg, ans, factors, a, mode='reduced'):
    # `factors` itself, checked.
    return (gg, None, None)


@jvp_rule(linalg.full_rank_qr)
def full_rank_qr_jvp(dfactors, ans, factors, a, mode='reduced'):
    return dfactors


@vjp_rule(linalg.full_rank_lstsq, kind=unknown)
def full_rank_lstsq_vjp(gg, ans, results, a):
    return (gg, None)


@jvp_rule(linalg.full_rank_lstsq)
def full_rank_lstsq_jvp(dresults, ans, results, a):
    return dresults


@vjp_rule(linalg.residual_weights, kind=unknown)
def residual_weights_vjp(gg, ans, g, like):
    return (linalg.residuals_like(gg, g), None)


@jvp_rule(linalg.residual_weights)
def residual_weights_jvp(dg, ans, g, like):
    return linalg.residual_weights(dg, like)


@vjp_rule(linalg.residuals_like, kind=unknown)
def residuals_like_vjp(gg, ans, t, residuals):
    return (linalg.residual_weights(gg, t), None)


@jvp_rule(linalg.residuals_like)
def residuals_like_jvp(dt, ans, t, residuals):
    return linalg.residuals_like(dt, residuals)


@vjp_rule(linalg.singular_cotangent, kind=_like_second)
def singular_cotangent_vjp(gg, ans, gs, a):
    return (linalg.singular_tangent(gg, a), linalg.singular_unused(gs, a))


@jvp_rule(linalg.singular_cotangent)
def singular_cotangent_jvp(dgs, da, ans, gs, a):
    return linalg.singular_cotangent(dgs, a) + da * linalg.singular_unused(gs, a)


@vjp_rule(linalg.singular_tangent, kind=unknown)
def singular_tangent_vjp(gg, ans, t, a):
    return (linalg.singular_cotangent(gg, a), linalg.singular_unused(t, a))


@jvp_rule(linalg.singular_tangent)
def singular_tangent_jvp(dt, da, ans, t, a):
    return linalg.singular_tangent(dt, a) + np.sum(da) * linalg.singular_unused(t, ans)


# ---------------------------------------------------------------- blocks and chains
#
# Linear, each the adjoint of another: diagonal_blocks of diagonal_sum,
# corner_block of corner, chain_matrix of unchain.


@vjp_rule(linalg.diagonal_blocks, kind=_like_first)
def diagonal_blocks_vjp(gg, ans, a):
    return (linalg.diagonal_sum(gg),)


@jvp_rule(linalg.diagonal_blocks)
def diagonal_blocks_jvp(da, ans, a):
    return linalg.diagonal_blocks(da)


@vjp_rule(linalg.diagonal_sum, kind=_like_first)
def diagonal_sum_vjp(gg, ans, m):
    return (linalg.diagonal_blocks(gg),)


@jvp_rule(linalg.diagonal_sum)
def diagonal_sum_jvp(dm, ans, m):
    return linalg.diagonal_sum(dm)


@vjp_rule(linalg.corner_block, kind=_like_first)
def corner_block_vjp(gg, ans, e):
    return (linalg.corner(gg),)


@jvp_rule(linalg.corner_block)
def corner_block_jvp(de, ans, e):
    return linalg.corner_block(de)


@vjp_rule(linalg.corner, kind=_like_first)
def corner_vjp(gg, ans, m):
    return (linalg.corner_block(gg),)


@jvp_rule(linalg.corner)
def corner_jvp(dm, ans, m):
    return linalg.corner(dm)


@vjp_rule(linalg.chain_matrix, kind=lambda args, kwargs: 'matrix')
def chain_matrix_vjp(gg, ans, items, arrays):
    return (linalg.unchain(gg, arrays), None)


@jvp_rule(linalg.chain_matrix)
def chain_matrix_jvp(ditems, ans, items, arrays):
    return linalg.chain_matrix(ditems, arrays)


@vjp_rule(linalg.unchain, kind=unknown)
def unchain_vjp(gg, ans, m, arrays):
    return (linalg.chain_matrix(gg, arrays), None)


@jvp_rule(linalg.unchain)
def unchain_jvp(dm, ans, m, arrays):
    return linalg.unchain(dm, arrays)


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


nondifferentiable(linalg.dot_axes, linalg.inner_axes, linalg.einsum_spec, moved_first,
                  kind=unknown)
nondifferentiable(norm_exponent, kind=lambda args, kwargs: 'float')
nondifferentiable(linalg.triangle_weights, kind=lambda args, kwargs: 'matrix')
nondifferentiable(no_spectral_third_derivative, kind=unknown)
nondifferentiable(linalg.chain_end, kind=lambda args, kwargs: 'matrix')
nondifferentiable(linalg.singular_unused, kind=unknown)
nondifferentiable(linalg.chain_shape, kind=unknown)
