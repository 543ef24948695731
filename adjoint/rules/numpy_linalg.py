"""Rules for products and linear algebra: `@`, `np.dot`, `np.einsum`, `np.linalg`.

For matrices, the cotangents of `x @ y` are `g @ y.T` and `x.T @ g`; the helpers
in `linalg_helpers.py` say the same for vectors (a row on the left, a column on
the right) and stacks of matrices, where a template alone cannot.

Products are linear in each argument: a jvp rule is the product rule,
`dx @ y + x @ dy`, and drops the term of an argument that is not differentiated.
"""

import operator

import numpy as np

from adjoint.rules.linalg_helpers import (chain_end, chain_matrix, chain_shape, corner,
                                          corner_block, cross_grad, diagonal_blocks,
                                          distinct_gaps, dot_axes, einsum_grad, einsum_of,
                                          einsum_spec, full_rank_lstsq, full_rank_pinv,
                                          full_rank_qr, inner_axes, inverse_singular,
                                          kron_grad_left, kron_grad_right, matmul_grad_left,
                                          matmul_grad_right, moved_first, norm_direction,
                                          residual_weights, residuals_like,
                                          singular_cotangent, solve_like,
                                          solve_transposed, svd_cotangents, svd_factors,
                                          svd_like, tensordot_grad_left,
                                          tensordot_grad_right, times_like, times_transposed,
                                          trace_grad, triangle_weights, unchain)
from adjoint.rules.numpy_helpers import keep_dims, shaped_as
from adjoint.rules.numpy_kinds import (FLOATS, array_of_items, averaged, contraction,
                                       float_array, method, outer_product, product,
                                       scalar_product, tensor_product)
from adjoint.rules.registry import jvp_rule, products, reverses_axes, vjp_rule


def _float_result(args, kwargs):
    """A float scalar or array, from float arguments (`np.trace`, `np.linalg.det`)."""
    return 'array' if args and args[0] in FLOATS else None


def _float_arrays(args, kwargs):
    """A tuple of float arrays (`np.linalg.eigh`), or of floats and 0-d arrays."""
    return ('tuple', 'array') if args and args[0] in FLOATS else None


def _unknown(args, kwargs):
    """`np.linalg.svd`: (u, s, vh), or s alone with compute_uv=False;
    `np.linalg.lstsq`: (x, residuals, rank, s)."""
    return None


# ---------------------------------------------------------------- products


@vjp_rule(operator.matmul, kind=product)
@vjp_rule(np.matmul, kind=product)
def matmul_vjp(g, ans, x, y):
    return (matmul_grad_left(g, x, y), matmul_grad_right(g, x, y))


@vjp_rule(operator.matmul, kinds=('matrix', 'matrix'))
@vjp_rule(np.matmul, kinds=('matrix', 'matrix'))
@vjp_rule(np.dot, kinds=('matrix', 'matrix'))
def matrix_product_vjp(g, ans, x, y):
    # Two matrices (np.dot of them is their matrix product): no vector to make a
    # row or a column, no stack to sum over.
    return (g @ y.T, x.T @ g)


@vjp_rule(operator.matmul, kinds=('matrix', 'vector'))
@vjp_rule(np.matmul, kinds=('matrix', 'vector'))
@vjp_rule(np.dot, kinds=('matrix', 'vector'))
def matrix_vector_product_vjp(g, ans, x, y):
    # A matrix times a vector (`X @ w`): g is a vector as long as x has rows.
    return (np.outer(g, y), x.T @ g)


@vjp_rule(operator.matmul, kinds=('vector', 'matrix'))
@vjp_rule(np.matmul, kinds=('vector', 'matrix'))
@vjp_rule(np.dot, kinds=('vector', 'matrix'))
def vector_matrix_product_vjp(g, ans, x, y):
    # A vector times a matrix (`w @ X`): g is a vector as long as y has columns.
    return (y @ g, np.outer(x, g))


@vjp_rule(operator.matmul, kinds=('vector', 'vector'))
@vjp_rule(np.matmul, kinds=('vector', 'vector'))
@vjp_rule(np.dot, kinds=('vector', 'vector'))
def inner_product_vjp(g, ans, x, y):
    # Two vectors: the product is a number, and so is g.
    return (g * y, g * x)


@jvp_rule(operator.matmul)
def matmul_operator_jvp(dx, dy, ans, x, y):
    return dx @ y + x @ dy


@jvp_rule(np.matmul)
def matmul_jvp(dx, dy, ans, x, y):
    return np.matmul(dx, y) + np.matmul(x, dy)


@vjp_rule(np.dot, kind=product)
@vjp_rule(('method', 'dot'), kind=method(product))
def dot_vjp(g, ans, x, y):
    # np.dot is np.tensordot over the last axis of x and the second-to-last of y.
    axes = dot_axes(x, y)
    return (tensordot_grad_left(g, x, y, axes), tensordot_grad_right(g, x, y, axes))


@jvp_rule(np.dot)
@jvp_rule(('method', 'dot'))
def dot_jvp(dx, dy, ans, x, y):
    return np.dot(dx, y) + np.dot(x, dy)


@vjp_rule(np.inner, kind=product)
def inner_vjp(g, ans, x, y):
    axes = inner_axes(x, y)
    return (tensordot_grad_left(g, x, y, axes), tensordot_grad_right(g, x, y, axes))


@jvp_rule(np.inner)
def inner_jvp(dx, dy, ans, x, y):
    return np.inner(dx, y) + np.inner(x, dy)


@vjp_rule(np.tensordot, kind=tensor_product)
def tensordot_vjp(g, ans, x, y, axes=2):
    return (tensordot_grad_left(g, x, y, axes), tensordot_grad_right(g, x, y, axes))


@jvp_rule(np.tensordot)
def tensordot_jvp(dx, dy, ans, x, y, axes=2):
    return np.tensordot(dx, y, axes) + np.tensordot(x, dy, axes)


@vjp_rule(np.outer, kind=outer_product)
def outer_vjp(g, ans, x, y):
    # np.outer flattens its arguments: ans[i, j] = x.flat[i] * y.flat[j].
    return (np.reshape(g @ np.ravel(y), np.shape(x)),
            np.reshape(np.ravel(x) @ g, np.shape(y)))


@jvp_rule(np.outer)
def outer_jvp(dx, dy, ans, x, y):
    return np.outer(dx, y) + np.outer(x, dy)


@vjp_rule(np.vdot, kind=scalar_product)
def vdot_vjp(g, ans, x, y):
    # np.vdot(x, y) = sum(x.flat * y.flat) for real arrays of the same size.
    return (g * np.reshape(y, np.shape(x)), g * np.reshape(x, np.shape(y)))


@jvp_rule(np.vdot)
def vdot_jvp(dx, dy, ans, x, y):
    return np.vdot(dx, y) + np.vdot(x, dy)


@vjp_rule(np.kron, kind=tensor_product)
def kron_vjp(g, ans, a, b):
    return (kron_grad_left(g, a, b), kron_grad_right(g, a, b))


@jvp_rule(np.kron)
def kron_jvp(da, db, ans, a, b):
    return np.kron(da, b) + np.kron(a, db)


@vjp_rule(np.cross, kind=tensor_product)
def cross_vjp(g, ans, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    # Vectors of 2 or 3 elements along axisa of a, axisb of b, axisc of the
    # product (all three `axis`, if given); b × a = -(a × b).
    return (cross_grad(g, a, b, axisa, axisb, axisc, axis),
            -cross_grad(g, b, a, axisb, axisa, axisc, axis))


@jvp_rule(np.cross)
def cross_jvp(da, db, ans, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return np.cross(da, b, axisa, axisb, axisc, axis) + np.cross(a, db, axisa, axisb, axisc, axis)


@vjp_rule(np.einsum, kind=contraction)
def einsum_vjp(g, ans, subscripts, x, y=None, z=None, w=None, u=None, v=None, p=None, q=None,
               *, optimize=False):
    # Either form, up to nine arguments: `subscripts` is the first operand of
    # np.einsum(x, [0, 1], y, [1, 2]). einsum_grad differentiates by the argument
    # that einsum_spec moves first, and takes the others in their places; the
    # cotangent of one that is not an operand (the subscripts) is never asked for.
    return (einsum_grad(g, einsum_spec(0, subscripts, x, y, z, w, u, v, p, q), subscripts, x, y,
                        z, w, u, v, p, q),
            einsum_grad(g, einsum_spec(1, subscripts, x, y, z, w, u, v, p, q), x, subscripts, y,
                        z, w, u, v, p, q),
            einsum_grad(g, einsum_spec(2, subscripts, x, y, z, w, u, v, p, q), y, subscripts, x,
                        z, w, u, v, p, q),
            einsum_grad(g, einsum_spec(3, subscripts, x, y, z, w, u, v, p, q), z, subscripts, x,
                        y, w, u, v, p, q),
            einsum_grad(g, einsum_spec(4, subscripts, x, y, z, w, u, v, p, q), w, subscripts, x,
                        y, z, u, v, p, q),
            einsum_grad(g, einsum_spec(5, subscripts, x, y, z, w, u, v, p, q), u, subscripts, x,
                        y, z, w, v, p, q),
            einsum_grad(g, einsum_spec(6, subscripts, x, y, z, w, u, v, p, q), v, subscripts, x,
                        y, z, w, u, p, q),
            einsum_grad(g, einsum_spec(7, subscripts, x, y, z, w, u, v, p, q), p, subscripts, x,
                        y, z, w, u, v, q),
            einsum_grad(g, einsum_spec(8, subscripts, x, y, z, w, u, v, p, q), q, subscripts, x,
                        y, z, w, u, v, p))


@jvp_rule(np.einsum)
def einsum_jvp(dsubscripts, dx, dy, dz, dw, du, dv, dp, dq, ans, subscripts, x, y=None, z=None,
               w=None, u=None, v=None, p=None, q=None, *, optimize=False):
    # Linear in each operand: the terms of the arguments that are not operands, or
    # not differentiated, have zero tangents and drop out.
    spec = einsum_spec(0, subscripts, x, y, z, w, u, v, p, q)
    return (einsum_of(spec, dsubscripts, x, y, z, w, u, v, p, q, optimize=optimize)
            + einsum_of(spec, subscripts, dx, y, z, w, u, v, p, q, optimize=optimize)
            + einsum_of(spec, subscripts, x, dy, z, w, u, v, p, q, optimize=optimize)
            + einsum_of(spec, subscripts, x, y, dz, w, u, v, p, q, optimize=optimize)
            + einsum_of(spec, subscripts, x, y, z, dw, u, v, p, q, optimize=optimize)
            + einsum_of(spec, subscripts, x, y, z, w, du, v, p, q, optimize=optimize)
            + einsum_of(spec, subscripts, x, y, z, w, u, dv, p, q, optimize=optimize)
            + einsum_of(spec, subscripts, x, y, z, w, u, v, dp, q, optimize=optimize)
            + einsum_of(spec, subscripts, x, y, z, w, u, v, p, dq, optimize=optimize))


# ---------------------------------------------------------------- matrices


@vjp_rule(np.trace, kind=_float_result)
@vjp_rule(('method', 'trace'), kind=method(_float_result))
def trace_vjp(g, ans, x, offset=0, axis1=0, axis2=1):
    return (trace_grad(g, x, offset, axis1, axis2),)


@jvp_rule(np.trace)
@jvp_rule(('method', 'trace'))
def trace_jvp(dx, ans, x, offset=0, axis1=0, axis2=1):
    return np.trace(dx, offset, axis1, axis2)


@vjp_rule(np.linalg.norm, kind=averaged)
def norm_vjp(g, ans, x, ord=None, axis=None, keepdims=False):
    # Every order of vectors and matrices (norm_direction raises for ord=0, ord < 1).
    return (keep_dims(g, x, axis, keepdims) * norm_direction(x, ans, ord, axis, keepdims),)


@jvp_rule(np.linalg.norm)
def norm_jvp(dx, ans, x, ord=None, axis=None, keepdims=False):
    return np.sum(dx * norm_direction(x, ans, ord, axis, keepdims), axis=axis,
                  keepdims=keepdims)


@vjp_rule(np.linalg.inv, kind=float_array)
def inv_vjp(g, ans, a):
    # d(a^-1) = -a^-1 da a^-1, so the cotangent of a is -a^-T g a^-T.
    ans_t = np.swapaxes(ans, -1, -2)
    return (-(ans_t @ g @ ans_t),)


@jvp_rule(np.linalg.inv)
def inv_jvp(da, ans, a):
    return -(ans @ da @ ans)


@vjp_rule(np.linalg.solve, broadcasts=True, kind=product)
def solve_vjp(g, ans, a, b):
    # x = a^-1 b: the cotangent of b is a^-T g, and that of a is -(a^-T g) x^T.
    gb = solve_transposed(a, g, b)
    return (-times_transposed(gb, ans, b), gb)


@jvp_rule(np.linalg.solve)
def solve_jvp(da, db, ans, a, b):
    # a x = b: a dx = db - da x.
    return solve_like(a, db - times_like(da, ans, b), b)


@vjp_rule(np.linalg.det, kind=_float_result)
def det_vjp(g, ans, a):
    # d det(a) = det(a) tr(a^-1 da): the cotangent is g det(a) a^-T (a must be
    # invertible; a singular matrix raises LinAlgError).
    scale = np.expand_dims(g * ans, (-2, -1))
    return (scale * np.linalg.inv(np.swapaxes(a, -1, -2)),)


@jvp_rule(np.linalg.det)
def det_jvp(da, ans, a):
    # Jacobi's formula, d det(a) = det(a) tr(a^-1 da), for stacks of matrices too.
    return ans * np.trace(np.linalg.solve(a, da), axis1=-2, axis2=-1)


@vjp_rule(np.linalg.slogdet, kind=_float_arrays)
def slogdet_vjp(g, ans, a):
    # (sign, log |det a|): the sign has no derivative; log |det a| has a^-T, as
    # det's rule without det (a must be invertible).
    scale = np.expand_dims(g[1], (-2, -1))
    return (scale * np.linalg.inv(np.swapaxes(a, -1, -2)),)


@jvp_rule(np.linalg.slogdet)
def slogdet_jvp(da, ans, a):
    return (np.zeros_like(ans[0]), np.trace(np.linalg.solve(a, da), axis1=-2, axis2=-1))


@vjp_rule(np.linalg.pinv, kind=float_array)
def pinv_vjp(g, ans, a, rcond=None, hermitian=False, *, rtol=None):
    # Golub and Pereyra (1973), for a of full rank (full_rank_pinv raises otherwise):
    # d p = -p da p + p p^T da^T (I - a p) + (I - p a) da^T p^T p, transposed.
    p = full_rank_pinv(ans, a, rcond, hermitian, rtol)
    pt, gt = np.swapaxes(p, -1, -2), np.swapaxes(g, -1, -2)
    left = gt @ p @ pt
    right = pt @ p @ gt
    return (-(pt @ g @ pt) + left - a @ (p @ left) + right - (right @ p) @ a, None, None)


@jvp_rule(np.linalg.pinv)
def pinv_jvp(da, ans, a, rcond=None, hermitian=False, *, rtol=None):
    p = full_rank_pinv(ans, a, rcond, hermitian, rtol)
    pt, dat = np.swapaxes(p, -1, -2), np.swapaxes(da, -1, -2)
    return -(p @ da @ p) + (p @ pt) @ (dat - dat @ (a @ p)) + (dat - (p @ a) @ dat) @ (pt @ p)


# ---------------------------------------------------------------- factorizations
#
# Written as NumPy code, not as helpers, so that second derivatives differentiate
# them like any code (the helpers they call have rules of their own). cholesky
# and eigh read one triangle of `a` (triangle_weights); the derivatives are
# those of Murray (2016) for cholesky, of Giles (2008) for eigh, and Townsend
# (2016) for svd, whose rules are those of svd_factors too (which they call).


@vjp_rule(np.linalg.cholesky, kind=float_array)
def cholesky_vjp(g, ans, a):
    # a = L L^T: the cotangent of the symmetric matrix is L^-T W L^-1 / 2, with
    # W = P + P^T and P = L^T g below the diagonal and half of it on it.
    weights = triangle_weights(a)
    lt = np.swapaxes(ans, -1, -2)
    p = (lt @ g) * weights
    w = np.linalg.solve(lt, p + np.swapaxes(p, -1, -2))
    return (np.linalg.solve(lt, np.swapaxes(w, -1, -2)) * weights,)


@jvp_rule(np.linalg.cholesky)
def cholesky_jvp(da, ans, a):
    # dL = L phi(L^-1 dS L^-T), phi the lower triangle with half the diagonal.
    weights = triangle_weights(a)
    t = da * weights
    x = np.linalg.solve(ans, np.swapaxes(np.linalg.solve(ans, t + np.swapaxes(t, -1, -2)),
                                         -1, -2))
    return ans @ (x * weights)


@vjp_rule(np.linalg.eigh, kind=_float_arrays)
def eigh_vjp(g, ans, a, UPLO='L'):
    # a = V diag(w) V^T: the symmetric cotangent is V (diag(gw) + F * (V^T gv)) V^T,
    # F = 1 / (w_j - w_i) off the diagonal (distinct_gaps raises where w repeats).
    w, v, gw, gv = ans[0], ans[1], g[0], g[1]
    vt = np.swapaxes(v, -1, -2)
    eye = np.eye(np.shape(w)[-1])
    f = (1.0 - eye) / distinct_gaps(w, 'np.linalg.eigh')
    b = v @ (np.expand_dims(gw, -1) * eye + f * (vt @ gv)) @ vt
    return ((b + np.swapaxes(b, -1, -2)) * triangle_weights(a, UPLO),)


@jvp_rule(np.linalg.eigh)
def eigh_jvp(da, ans, a, UPLO='L'):
    # dw = diag(V^T dS V), dV = V (F * (V^T dS V)).
    w, v = ans[0], ans[1]
    eye = np.eye(np.shape(w)[-1])
    t = da * triangle_weights(a, UPLO)
    p = np.swapaxes(v, -1, -2) @ (t + np.swapaxes(t, -1, -2)) @ v
    f = (1.0 - eye) / distinct_gaps(w, 'np.linalg.eigh')
    return (np.sum(p * eye, axis=-1), v @ (f * p))


def _eigenvalues_kind(args, kwargs):
    """`np.linalg.eigvalsh`: a vector of a matrix, 'array' of a stack of them."""
    x = args[0] if args else None
    return 'vector' if x == 'matrix' else ('array' if x == 'array' else None)


@vjp_rule(np.linalg.eigvalsh, kind=_eigenvalues_kind)
def eigvalsh_vjp(g, ans, a, UPLO='L'):
    # np.linalg.eigh's rule without gv: V diag(gw) V^T, which needs no distinct
    # eigenvalues (its own derivative, through eigh, does).
    v = np.linalg.eigh(a, UPLO)[1]
    b = v @ (np.expand_dims(g, -1) * np.swapaxes(v, -1, -2))
    return ((b + np.swapaxes(b, -1, -2)) * triangle_weights(a, UPLO),)


@jvp_rule(np.linalg.eigvalsh)
def eigvalsh_jvp(da, ans, a, UPLO='L'):
    # dw = diag(V^T dS V).
    v = np.linalg.eigh(a, UPLO)[1]
    t = da * triangle_weights(a, UPLO)
    return np.sum(v * ((t + np.swapaxes(t, -1, -2)) @ v), axis=-2)


@vjp_rule(np.linalg.svd, kind=_unknown)
@vjp_rule(svd_factors, kind=_float_arrays)
def svd_vjp(g, ans, a, full_matrices=True, compute_uv=True, hermitian=False, known=None):
    # With distinct singular values, none 0 (distinct_gaps and inverse_singular
    # raise otherwise): U [J S + diag(gs) + S K] V^T, J = F * (U^T gu - gu^T U),
    # K = F * (V^T gv - gv^T V), F = 1 / (s_j^2 - s_i^2), plus the parts of gu, gv
    # outside U's and V's columns.
    f = svd_factors(a, full_matrices, compute_uv, hermitian, ans)
    c = svd_cotangents(g, f)
    u, s, vh, gu, gs, gvh = f[0], f[1], f[2], c[0], c[1], c[2]
    ut, v, gv = np.swapaxes(u, -1, -2), np.swapaxes(vh, -1, -2), np.swapaxes(gvh, -1, -2)
    inverse = np.expand_dims(inverse_singular(s), -2)
    eye = np.eye(np.shape(s)[-1])
    si, sj = np.expand_dims(s, -1), np.expand_dims(s, -2)
    squares = (1.0 - eye) / (distinct_gaps(s, 'np.linalg.svd') * (si + sj + eye))
    j = squares * (ut @ gu - np.swapaxes(gu, -1, -2) @ u)
    k = squares * (vh @ gv - gvh @ v)
    core = j * sj + np.expand_dims(gs, -1) * eye + si * k
    ga = u @ core @ vh + ((gu - u @ (ut @ gu)) * inverse) @ vh + \
        (u * inverse) @ (gvh - (gvh @ v) @ vh)
    return (ga, None, None, None, None)


@jvp_rule(np.linalg.svd)
@jvp_rule(svd_factors)
def svd_jvp(da, ans, a, full_matrices=True, compute_uv=True, hermitian=False, known=None):
    # dP = U^T da V: ds = diag(dP), dU = U (F * (dP S + S dP^T)) + (I - U U^T) da V / S,
    # dV = V (F * (S dP + dP^T S)) + (I - V V^T) da^T U / S.
    f = svd_factors(a, full_matrices, compute_uv, hermitian, ans)
    u, s, vh = f[0], f[1], f[2]
    ut, v = np.swapaxes(u, -1, -2), np.swapaxes(vh, -1, -2)
    inverse = np.expand_dims(inverse_singular(s), -2)
    eye = np.eye(np.shape(s)[-1])
    si, sj = np.expand_dims(s, -1), np.expand_dims(s, -2)
    squares = (1.0 - eye) / (distinct_gaps(s, 'np.linalg.svd') * (si + sj + eye))
    dp = ut @ da @ v
    dpt = np.swapaxes(dp, -1, -2)
    dav, dau = da @ v, np.swapaxes(da, -1, -2) @ u
    du = u @ (squares * (dp * sj + si * dpt)) + (dav - u @ (ut @ dav)) * inverse
    dv = v @ (squares * (si * dp + dpt * sj)) + (dau - v @ (vh @ dau)) * inverse
    return svd_like([du, np.sum(dp * eye, axis=-1), np.swapaxes(dv, -1, -2)], ans)


# ---------------------------------------------------------------- qr, lstsq, powers, chains


@vjp_rule(np.linalg.qr, kind=_float_arrays)
def qr_vjp(g, ans, a, mode='reduced'):
    # a = Q R with at least as many rows as columns (full_rank_qr checks): the
    # cotangent is (gQ + Q copyu(N)) R^-T, N = gR R^T - Q^T gQ, copyu(N) its upper
    # triangle mirrored to the lower one (Walter and Lehmann 2018; PyTorch's).
    f = full_rank_qr(ans, a, mode)
    q, r, gq, gr = f[0], f[1], g[0], g[1]
    n = gr @ np.swapaxes(r, -1, -2) - np.swapaxes(q, -1, -2) @ gq
    b = gq + q @ (np.triu(n) + np.swapaxes(np.triu(n, 1), -1, -2))
    return (np.swapaxes(np.linalg.solve(r, np.swapaxes(b, -1, -2)), -1, -2), None)


@jvp_rule(np.linalg.qr)
def qr_jvp(da, ans, a, mode='reduced'):
    # With C = Q^T da R^-1: Q^T dQ = L - L^T (skew, L the strict lower triangle of
    # C) and dR R^-1 = C - (L - L^T) (upper); dQ = da R^-1 - Q dR R^-1.
    f = full_rank_qr(ans, a, mode)
    q, r = f[0], f[1]
    dar = np.swapaxes(np.linalg.solve(np.swapaxes(r, -1, -2), np.swapaxes(da, -1, -2)), -1, -2)
    c = np.swapaxes(q, -1, -2) @ dar
    low = np.tril(c, -1)
    upper = c - low + np.swapaxes(low, -1, -2)
    return (dar - q @ upper, upper @ r)


@vjp_rule(np.linalg.lstsq, kind=_unknown)
def lstsq_vjp(g, ans, a, b, rcond=None):
    # (x, residuals, rank, s) for a of full rank (full_rank_lstsq checks): x = P b for
    # P = pinv(a), whose derivative is Golub and Pereyra's (as np.linalg.pinv's
    # rule), with the residual r = b - a x (0 unless a has more rows than columns,
    # when a^T r = 0): dx = P (db - da x) + P P^T da^T r + (I - P a) da^T P^T x.
    # The residuals |r|^2 have 2 r^T (db - da x); s, the singular values of a,
    # U^T da V on its diagonal (singular_cotangent skips the SVD where s is not
    # used); the rank none.
    f = full_rank_lstsq(ans, a)
    x, gx = f[0], g[0]
    p = np.linalg.pinv(a)
    r = b - times_like(a, x, b)
    gbx = times_like(p.T, gx, b)
    gres = 2.0 * r * residual_weights(g[1], x[0])
    ga = (times_transposed(r, times_like(p, gbx, b), b)
          + times_transposed(times_like(p.T, x, b), gx - times_like(p, times_like(a, gx, b), b), b)
          - times_transposed(gbx + gres, x, b) + singular_cotangent(g[3], a))
    return (ga, gbx + gres, None)


@jvp_rule(np.linalg.lstsq)
def lstsq_jvp(da, db, ans, a, b, rcond=None):
    f = full_rank_lstsq(ans, a)
    x = f[0]
    p = np.linalg.pinv(a)
    r = b - times_like(a, x, b)
    change = db - times_like(da, x, b)
    dapx = times_like(da.T, times_like(p.T, x, b), b)
    dx = (times_like(p, change, b) + times_like(p @ p.T, times_like(da.T, r, b), b)
          + dapx - times_like(p @ a, dapx, b))
    factors = np.linalg.svd(a, full_matrices=False)
    ds = np.sum(factors[0] * (da @ factors[2].T), axis=0)
    return (dx, residuals_like(2.0 * np.sum(r * change, axis=0), f[1]), 0.0,
            np.zeros_like(f[3]) + ds)


@vjp_rule(np.linalg.matrix_power, kind=float_array)
def matrix_power_vjp(g, ans, a, n):
    # The derivative of a^n along e is the upper right block of [[a, e], [0, a]]^n
    # (linalg_helpers.corner, for n < 0 and n = 0 too), and its adjoint that of a^T
    # along g.
    return (corner(np.linalg.matrix_power(diagonal_blocks(np.swapaxes(a, -1, -2))
                                          + corner_block(g), n)), None)


@jvp_rule(np.linalg.matrix_power)
def matrix_power_jvp(da, ans, a, n):
    return corner(np.linalg.matrix_power(diagonal_blocks(a) + corner_block(da), n))


@vjp_rule(np.linalg.multi_dot, kind=array_of_items)
def multi_dot_vjp(g, ans, arrays, *, out=None):
    # The product is block (0, n) of inv(I - Z), Z the chain as one matrix
    # (linalg_helpers.chain_matrix): the cotangent of Z is lead g tail^T, for
    # lead = inv(I - Z)^T E_0 and tail = inv(I - Z) E_n.
    z = chain_matrix(arrays, arrays)
    eye_z = np.eye(np.shape(z)[0]) - z
    lead = np.linalg.solve(eye_z.T, chain_end(arrays))
    tail = np.linalg.solve(eye_z, chain_end(arrays, True))
    return (unchain(lead @ np.reshape(g, chain_shape(arrays)) @ tail.T, arrays),)


@jvp_rule(np.linalg.multi_dot)
def multi_dot_jvp(darrays, ans, arrays, *, out=None):
    z = chain_matrix(arrays, arrays)
    eye_z = np.eye(np.shape(z)[0]) - z
    lead = np.linalg.solve(eye_z.T, chain_end(arrays))
    tail = np.linalg.solve(eye_z, chain_end(arrays, True))
    return shaped_as(lead.T @ chain_matrix(darrays, arrays) @ tail, ans)


# What tells the compiler the shapes of products and transposes (transforms/analysis/shapes.py).
products(operator.matmul, np.matmul, np.dot)
reverses_axes(('attr', 'T'), np.transpose)
