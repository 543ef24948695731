"""Rules for products and linear algebra: `@`, `np.dot`, `np.einsum`, `np.linalg`.

For matrices, the cotangents of `x @ y` are `g @ y.T` and `x.T @ g`; the helpers
in `linalg_helpers.py` say the same for vectors (a row on the left, a column on
the right) and stacks of matrices, where a template alone cannot.

Products are linear in each argument: a jvp rule is the product rule,
`dx @ y + x @ dy`, and drops the term of an argument that is not differentiated.
"""

import operator

import numpy as np

from adjoint.rules.linalg_helpers import (dot_axes, einsum_grad, einsum_of, inner_axes,
                                          matmul_grad_left, matmul_grad_right, moved_first,
                                          norm_grad, solve_like, solve_transposed,
                                          tensordot_grad_left, tensordot_grad_right,
                                          times_like, times_transposed, trace_grad)
from adjoint.rules.numpy_kinds import (FLOATS, averaged, contraction, float_array, method,
                                       outer_product, product, scalar_product,
                                       tensor_product)
from adjoint.rules.registry import jvp_rule, vjp_rule


def _float_result(args, kwargs):
    """A float scalar or array, from float arguments (`np.trace`, `np.linalg.det`)."""
    return 'array' if args and args[0] in FLOATS else None


# ---------------------------------------------------------------- products


@vjp_rule(operator.matmul, kind=product)
@vjp_rule(np.matmul, kind=product)
def matmul_vjp(g, ans, x, y):
    return (matmul_grad_left(g, x, y), matmul_grad_right(g, x, y))


@vjp_rule(operator.matmul, kinds=('matrix', 'matrix'))
@vjp_rule(np.matmul, kinds=('matrix', 'matrix'))
def matrix_product_vjp(g, ans, x, y):
    # Two matrices: no vector to make a row or a column, no stack to sum over.
    return (g @ y.T, x.T @ g)


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


@vjp_rule(np.einsum, kind=contraction)
@vjp_rule(einsum_of, kind=contraction)
def einsum_vjp(g, ans, subscripts, x, y=None, z=None, w=None, *, optimize=False):
    # Up to four operands; the subscripts are a string, not differentiated (a
    # differentiated first argument is an operand, of the sublist form: moved_first
    # raises for it). einsum_grad differentiates by its first operand: move each
    # one first.
    return (moved_first(subscripts, 0), einsum_grad(g, subscripts, x, y, z, w),
            einsum_grad(g, moved_first(subscripts, 1), y, x, z, w),
            einsum_grad(g, moved_first(subscripts, 2), z, x, y, w),
            einsum_grad(g, moved_first(subscripts, 3), w, x, y, z))


@jvp_rule(np.einsum)
@jvp_rule(einsum_of)
def einsum_jvp(dsubscripts, dx, dy, dz, dw, ans, subscripts, x, y=None, z=None, w=None, *,
               optimize=False):
    # Linear in each operand; einsum_of leaves out the operands that are absent.
    # `dsubscripts` is zero for a string; moved_first raises for an operand's.
    return (moved_first(dsubscripts, 0)
            + einsum_of(subscripts, dx, y, z, w, optimize=optimize)
            + einsum_of(subscripts, x, dy, z, w, optimize=optimize)
            + einsum_of(subscripts, x, y, dz, w, optimize=optimize)
            + einsum_of(subscripts, x, y, z, dw, optimize=optimize))


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
    # The 2-norm: g * x / norm (0 where the norm is 0); raises for other orders.
    return (norm_grad(g, ans, x, ord, axis, keepdims),)


@jvp_rule(np.linalg.norm)
def norm_jvp(dx, ans, x, ord=None, axis=None, keepdims=False):
    # The tangent, summed against what the vjp gives each element for a cotangent 1.
    direction = norm_grad(np.ones_like(ans), ans, x, ord, axis, keepdims)
    return np.sum(dx * direction, axis=axis, keepdims=keepdims)


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
