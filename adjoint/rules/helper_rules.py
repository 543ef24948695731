"""Rules for the runtime helpers that rules and the compiler put into generated code.

A second derivative differentiates generated code — `grad(grad(f))` and
`hessian(f)` the gradient's, `derivative(derivative(f))` the tangent code — which
calls `unreduce`, `keep_dims`, `owned`, `add_at`...; with a rule each, these stay
one readable line there too, instead of being differentiated through their
branches. Most are linear in the cotangent `g` they move around: the tangent is
the helper applied to `dg`, and the adjoint is the operation they undo (the
adjoint of `unreduce` is `np.sum`). The helpers of linear algebra have theirs in
linalg_helper_rules.py.
"""

import numpy as np

from adjoint import runtime
from adjoint.rules import numpy_helpers as helpers
from adjoint.rules.numpy_helpers import (bessel_i, broadcast_like, cumprod_grad, cumprod_tangent,
                                         finite_part, prod_of_others, retranspose, select,
                                         sinc_derivative, untranspose)
from adjoint.rules.numpy_kinds import FLOATS
from transforms.analysis.kinds import ARRAYS, SCALARS
from transforms.core import primitives
from adjoint.rules.registry import (arithmetic, integer, jvp_rule, nondifferentiable, real,
                                    reads_only_shape, sequence_item, shaped_like, unknown,
                                    vjp_rule)
from adjoint.runtime import unbroadcast


def _like_second(args, kwargs):
    """A float array shaped like the second argument (`unreduce(g, x)`)."""
    if args[1:2] and args[1] in ARRAYS:
        return args[1]
    return 'float' if args[1:2] and args[1] in ('int', 'float') else None


def _like_first(args, kwargs):
    return args[0] if args[:1] and args[0] in ARRAYS else None


def _pieces(args, kwargs):
    return ('list', 'array' if args[:1] and args[0] in ARRAYS else None)


def _same_as_first(args, kwargs):
    """A copy, or an update, of the first argument (`owned(g)`, `add_at(b, i, g)`)."""
    return args[0] if args else None


def _float_array(args, kwargs):
    return 'array' if args[:1] and args[0] in FLOATS else None


# ---------------------------------------------------------------- reductions


@vjp_rule(helpers.unreduce, kind=_like_second)
def unreduce_vjp(gg, ans, g, x, axis=None, keepdims=False):
    return (np.sum(gg, axis=axis, keepdims=keepdims), None)


@jvp_rule(helpers.unreduce)
def unreduce_jvp(dg, ans, g, x, axis=None, keepdims=False):
    # Linear in g; x gives only the shape.
    return helpers.unreduce(dg, x, axis, keepdims)


@vjp_rule(runtime.spread, kind=_like_second)
def spread_vjp(gg, ans, g, x):
    # g is a number, or an array broadcasting against x (reverse_uniform.py).
    return (unbroadcast(gg, g), None)


@jvp_rule(runtime.spread)
def spread_jvp(dg, ans, g, x):
    return runtime.spread(dg, x)


@vjp_rule(helpers.keep_dims, kind=lambda args, kwargs: arithmetic(args[:2], kwargs))
def keep_dims_vjp(gg, ans, g, x, axis=None, keepdims=False):
    return (np.reshape(gg, np.shape(g)), None)


@jvp_rule(helpers.keep_dims)
def keep_dims_jvp(dg, ans, g, x, axis=None, keepdims=False):
    return helpers.keep_dims(dg, x, axis, keepdims)


@vjp_rule(prod_of_others, kind=_float_array)
def prod_of_others_vjp(gg, ans, x, axis=None, t1=None, t2=None, t3=None, t4=None, t5=None):
    # Every derivative of the product is a symmetric tensor, so each adjoint is
    # prod_of_others with one more direction: gg in place of what it is for.
    # (t5 is None here: prod_of_others raised otherwise.)
    return (prod_of_others(x, axis, gg, t1, t2, t3, t4), None,
            prod_of_others(x, axis, gg, t2, t3, t4), prod_of_others(x, axis, t1, gg, t3, t4),
            prod_of_others(x, axis, t1, t2, gg, t4), prod_of_others(x, axis, t1, t2, t3, gg))


@jvp_rule(prod_of_others)
def prod_of_others_jvp(dx, dt1, dt2, dt3, dt4, ans, x, axis=None, t1=None, t2=None, t3=None,
                       t4=None, t5=None):
    # Linear in each direction; in x, one more direction: dx.
    return (prod_of_others(x, axis, dx, t1, t2, t3, t4)
            + prod_of_others(x, axis, dt1, t2, t3, t4) + prod_of_others(x, axis, t1, dt2, t3, t4)
            + prod_of_others(x, axis, t1, t2, dt3, t4) + prod_of_others(x, axis, t1, t2, t3, dt4))


# ---------------------------------------------------------------- scans
#
# The derivatives of np.cumprod: cumprod_tangent(x, axis, t1...) is its derivative
# along directions t1..., cumprod_grad(g, x, axis, t1...) the adjoint of that one
# fewer direction, contracted with g. Every derivative of the products is a
# symmetric tensor, so each rule is one of the two with gg, or dx, as one more
# direction (as for prod_of_others).


@vjp_rule(cumprod_tangent, broadcasts=True, kind=_float_array)
def cumprod_tangent_vjp(gg, ans, x, axis=None, t1=None, t2=None, t3=None, t4=None, t5=None,
                        t6=None):
    return (cumprod_grad(gg, x, axis, t1, t2, t3, t4, t5), None,
            cumprod_grad(gg, x, axis, t2, t3, t4, t5), cumprod_grad(gg, x, axis, t1, t3, t4, t5),
            cumprod_grad(gg, x, axis, t1, t2, t4, t5), cumprod_grad(gg, x, axis, t1, t2, t3, t5),
            cumprod_grad(gg, x, axis, t1, t2, t3, t4))


@jvp_rule(cumprod_tangent)
def cumprod_tangent_jvp(dx, dt1, dt2, dt3, dt4, dt5, ans, x, axis=None, t1=None, t2=None,
                        t3=None, t4=None, t5=None, t6=None):
    return (cumprod_tangent(x, axis, dx, t1, t2, t3, t4, t5)
            + cumprod_tangent(x, axis, dt1, t2, t3, t4, t5)
            + cumprod_tangent(x, axis, t1, dt2, t3, t4, t5)
            + cumprod_tangent(x, axis, t1, t2, dt3, t4, t5)
            + cumprod_tangent(x, axis, t1, t2, t3, dt4, t5)
            + cumprod_tangent(x, axis, t1, t2, t3, t4, dt5))


@vjp_rule(cumprod_grad, broadcasts=True, kind=_like_second)
def cumprod_grad_vjp(gg, ans, g, x, axis=None, t1=None, t2=None, t3=None, t4=None, t5=None):
    return (cumprod_tangent(x, axis, gg, t1, t2, t3, t4),
            cumprod_grad(g, x, axis, gg, t1, t2, t3, t4), None,
            cumprod_grad(g, x, axis, gg, t2, t3, t4), cumprod_grad(g, x, axis, t1, gg, t3, t4),
            cumprod_grad(g, x, axis, t1, t2, gg, t4), cumprod_grad(g, x, axis, t1, t2, t3, gg))


@jvp_rule(cumprod_grad)
def cumprod_grad_jvp(dg, dx, dt1, dt2, dt3, dt4, ans, g, x, axis=None, t1=None, t2=None,
                     t3=None, t4=None, t5=None):
    return (cumprod_grad(dg, x, axis, t1, t2, t3, t4)
            + cumprod_grad(g, x, axis, dx, t1, t2, t3, t4)
            + cumprod_grad(g, x, axis, dt1, t2, t3, t4)
            + cumprod_grad(g, x, axis, t1, dt2, t3, t4)
            + cumprod_grad(g, x, axis, t1, t2, dt3, t4)
            + cumprod_grad(g, x, axis, t1, t2, t3, dt4))


# ---------------------------------------------------------------- differences


@vjp_rule(helpers.undiff, kind=_like_first)
def undiff_vjp(gg, ans, g, n=1, axis=-1):
    return (np.diff(gg, n, axis),)


@jvp_rule(helpers.undiff)
def undiff_jvp(dg, ans, g, n=1, axis=-1):
    return helpers.undiff(dg, n, axis)


@vjp_rule(helpers.ungradient, kind=_like_second)
def ungradient_vjp(gg, ans, g, f, spacing=1.0, axis=None, edge_order=1):
    # The differences again, in g's form (one per axis); ans is proportional to
    # 1 / spacing.
    return (helpers.items_like(np.gradient(gg, spacing, axis=axis, edge_order=edge_order), g),
            None, -np.sum(gg * ans) / spacing)


@jvp_rule(helpers.ungradient)
def ungradient_jvp(dg, dspacing, ans, g, f, spacing=1.0, axis=None, edge_order=1):
    return helpers.ungradient(dg, f, spacing, axis, edge_order) - ans * (dspacing / spacing)


@vjp_rule(helpers.gradient_spacing, kind=_same_as_first)
def gradient_spacing_vjp(g, ans, spacing):
    return (g,)


@jvp_rule(helpers.gradient_spacing)
def gradient_spacing_jvp(dspacing, ans, spacing):
    return dspacing


# ---------------------------------------------------------------- special functions


@vjp_rule(sinc_derivative, elementwise=True, kind=_float_array)
def sinc_derivative_vjp(gg, ans, x, n=1):
    return (gg * sinc_derivative(x, n + 1), None)


@jvp_rule(sinc_derivative)
def sinc_derivative_jvp(dx, ans, x, n=1):
    return dx * sinc_derivative(x, n + 1)


@vjp_rule(bessel_i, elementwise=True, kind=_float_array)
def bessel_i_vjp(gg, ans, x, n=0):
    # I_n' = (I_(n-1) + I_(n+1)) / 2, with I_-1 = I_1.
    return (gg * 0.5 * (bessel_i(x, n - 1) + bessel_i(x, n + 1)), None)


@jvp_rule(bessel_i)
def bessel_i_jvp(dx, ans, x, n=0):
    return dx * 0.5 * (bessel_i(x, n - 1) + bessel_i(x, n + 1))


# ---------------------------------------------------------------- moving elements


@vjp_rule(runtime.unbroadcast)
def unbroadcast_vjp(gg, ans, g, x):
    return (broadcast_like(gg, g), None)


@jvp_rule(runtime.unbroadcast)
def unbroadcast_jvp(dg, ans, g, x):
    return unbroadcast(dg, x)


@vjp_rule(broadcast_like, kind=lambda args, kwargs: arithmetic(args[:2], kwargs))
def broadcast_like_vjp(gg, ans, g, like):
    return (unbroadcast(gg, g), None)


@jvp_rule(broadcast_like)
def broadcast_like_jvp(dg, ans, g, like):
    return broadcast_like(dg, like)


@vjp_rule(select, broadcasts=True, kind=unknown)
def select_vjp(gg, ans, condition, x):
    return (None, select(condition, gg))


@jvp_rule(select)
def select_jvp(dx, ans, condition, x):
    return select(condition, dx)


@vjp_rule(helpers.float_target, kind=_same_as_first)
def float_target_vjp(gg, ans, t, dtype):
    return (helpers.float_target(gg, dtype), None)


@jvp_rule(helpers.float_target)
def float_target_jvp(dt, ans, t, dtype):
    return helpers.float_target(dt, dtype)


@vjp_rule(finite_part, broadcasts=True, kind=unknown)
def finite_part_vjp(gg, ans, t, x, copy=True):
    return (finite_part(gg, x, copy), None)


@jvp_rule(finite_part)
def finite_part_jvp(dt, ans, t, x, copy=True):
    return finite_part(dt, x, copy)


@vjp_rule(untranspose, kind=_like_first)
def untranspose_vjp(gg, ans, g, a0=None, a1=None, a2=None, a3=None):
    return (retranspose(gg, a0, a1, a2, a3),)


@jvp_rule(untranspose)
def untranspose_jvp(dg, ans, g, a0=None, a1=None, a2=None, a3=None):
    return untranspose(dg, a0, a1, a2, a3)


@vjp_rule(retranspose, kind=_like_first)
def retranspose_vjp(gg, ans, g, a0=None, a1=None, a2=None, a3=None):
    return (untranspose(gg, a0, a1, a2, a3),)


@jvp_rule(retranspose)
def retranspose_jvp(dg, ans, g, a0=None, a1=None, a2=None, a3=None):
    return retranspose(dg, a0, a1, a2, a3)


@vjp_rule(helpers.unconcatenate, kind=_pieces)
def unconcatenate_vjp(gg, ans, g, xs, axis=0):
    return (np.concatenate(gg, axis=axis), None)


@jvp_rule(helpers.unconcatenate)
def unconcatenate_jvp(dg, ans, g, xs, axis=0):
    return helpers.unconcatenate(dg, xs, axis)


@vjp_rule(helpers.unjoined, kind=unknown)
def unjoined_vjp(gg, ans, g, index, how):
    # The cotangent of np.r_[index] (or np.c_) cut into its items: joined again.
    return (helpers.joined(gg, index, how), None, None)


@jvp_rule(helpers.unjoined)
def unjoined_jvp(dg, ans, g, index, how):
    return helpers.unjoined(dg, index, how)


@vjp_rule(helpers.joined, kind=unknown)
def joined_vjp(gg, ans, dindex, index, how):
    return (helpers.unjoined(gg, index, how), None, None)


@jvp_rule(helpers.joined)
def joined_jvp(ddindex, ans, dindex, index, how):
    return helpers.joined(ddindex, index, how)


@vjp_rule(helpers.unstack, kind=_pieces)
def unstack_vjp(gg, ans, g, xs, axis=0):
    return (np.stack(gg, axis=axis), None)


@jvp_rule(helpers.unstack)
def unstack_jvp(dg, ans, g, xs, axis=0):
    return helpers.unstack(dg, xs, axis)


@vjp_rule(helpers.unhstack, kind=_pieces)
def unhstack_vjp(gg, ans, g, xs):
    return (np.hstack(gg), None)


@jvp_rule(helpers.unhstack)
def unhstack_jvp(dg, ans, g, xs):
    return helpers.unhstack(dg, xs)


@vjp_rule(helpers.unvstack, kind=_pieces)
def unvstack_vjp(gg, ans, g, xs):
    return (np.vstack(gg), None)


@jvp_rule(helpers.unvstack)
def unvstack_jvp(dg, ans, g, xs):
    return helpers.unvstack(dg, xs)


@vjp_rule(helpers.uncolumn_stack, kind=_pieces)
def uncolumn_stack_vjp(gg, ans, g, xs):
    return (np.column_stack(gg), None)


@jvp_rule(helpers.uncolumn_stack)
def uncolumn_stack_jvp(dg, ans, g, xs):
    return helpers.uncolumn_stack(dg, xs)


@vjp_rule(helpers.undstack, kind=_pieces)
def undstack_vjp(gg, ans, g, xs):
    return (np.dstack(gg), None)


@jvp_rule(helpers.undstack)
def undstack_jvp(dg, ans, g, xs):
    return helpers.undstack(dg, xs)


@vjp_rule(helpers.unselect, kind=unknown)
def unselect_vjp(gg, ans, g, which, choicelist):
    # The choices' cotangents put back where each was taken: np.select again.
    return (broadcast_like(helpers.selected(which, gg), g), None, None)


@jvp_rule(helpers.unselect)
def unselect_jvp(dg, ans, g, which, choicelist):
    return helpers.unselect(dg, which, choicelist)


@vjp_rule(helpers.selected, kind=unknown)
def selected_vjp(gg, ans, which, ts):
    return (None, helpers.unselect(gg, which, ts))


@jvp_rule(helpers.selected)
def selected_jvp(dts, ans, which, ts):
    return helpers.selected(which, dts)


@vjp_rule(helpers.diagonal_grad, kind=_like_second)
def diagonal_grad_vjp(gg, ans, g, x, offset=0, axis1=0, axis2=1):
    return (np.diagonal(gg, offset, axis1, axis2), None)


@jvp_rule(helpers.diagonal_grad)
def diagonal_grad_jvp(dg, ans, g, x, offset=0, axis1=0, axis2=1):
    return helpers.diagonal_grad(dg, x, offset, axis1, axis2)


@vjp_rule(helpers.diag_grad, kind=_float_array)
def diag_grad_vjp(gg, ans, g, v, k=0):
    # A diagonal taken or placed: the adjoint does the other, with g for v.
    return (helpers.diag_grad(gg, g, k), None)


@jvp_rule(helpers.diag_grad)
def diag_grad_jvp(dg, ans, g, v, k=0):
    return helpers.diag_grad(dg, v, k)


@vjp_rule(helpers.shaped_as, kind=_like_second)
def shaped_as_vjp(gg, ans, t, like):
    return (np.reshape(gg, np.shape(t)), None)


@jvp_rule(helpers.shaped_as)
def shaped_as_jvp(dt, ans, t, like):
    return helpers.shaped_as(dt, like)


@vjp_rule(helpers.meshgrid_grad, kind=_like_second)
def meshgrid_grad_vjp(gg, ans, g, x, k, indexing='xy'):
    # The results' cotangents are `g`, whose shapes meshgrid_part takes.
    return (helpers.meshgrid_part(gg, g, k, indexing), None, None, None)


@jvp_rule(helpers.meshgrid_grad)
def meshgrid_grad_jvp(dg, ans, g, x, k, indexing='xy'):
    return helpers.meshgrid_grad(dg, x, k, indexing)


@vjp_rule(helpers.meshgrid_part, kind=lambda args, kwargs: ('list', 'array'))
def meshgrid_part_vjp(gg, ans, t, results, k, indexing='xy'):
    return (helpers.meshgrid_grad(gg, t, k, indexing), None, None, None)


@jvp_rule(helpers.meshgrid_part)
def meshgrid_part_jvp(dt, ans, t, results, k, indexing='xy'):
    return helpers.meshgrid_part(dt, results, k, indexing)


@vjp_rule(helpers.part_of, kind=_float_array)
def part_of_vjp(gg, ans, g, x, other, axis=None, first=True):
    return (helpers.with_zeros(gg, other, axis, first), None, None)


@jvp_rule(helpers.part_of)
def part_of_jvp(dg, ans, g, x, other, axis=None, first=True):
    return helpers.part_of(dg, x, other, axis, first)


@vjp_rule(helpers.with_zeros, kind=_float_array)
def with_zeros_vjp(gg, ans, t, other, axis=None, first=True):
    return (helpers.part_of(gg, t, other, axis, first), None)


@jvp_rule(helpers.with_zeros)
def with_zeros_jvp(dt, ans, t, other, axis=None, first=True):
    return helpers.with_zeros(dt, other, axis, first)


@vjp_rule(helpers.padded, kind=_like_first)
def padded_vjp(gg, ans, t, pad_width, mode='constant'):
    return (helpers.unpadded(gg, pad_width, mode), None)


@jvp_rule(helpers.padded)
def padded_jvp(dt, ans, t, pad_width, mode='constant'):
    return helpers.padded(dt, pad_width, mode)


@vjp_rule(helpers.unpadded, kind=_like_first)
def unpadded_vjp(gg, ans, g, pad_width, mode='constant', fill_differentiated=False):
    return (helpers.padded(gg, pad_width, mode), None)


@jvp_rule(helpers.unpadded)
def unpadded_jvp(dg, ans, g, pad_width, mode='constant', fill_differentiated=False):
    return helpers.unpadded(dg, pad_width, mode, fill_differentiated)


@vjp_rule(helpers.untake, kind=_like_second)
def untake_vjp(gg, ans, g, x, indices, axis=None, mode='raise'):
    return (np.take(gg, indices, axis, mode=mode), None, None)


@jvp_rule(helpers.untake)
def untake_jvp(dg, ans, g, x, indices, axis=None, mode='raise'):
    return helpers.untake(dg, x, indices, axis, mode)


@vjp_rule(helpers.untake_along_axis, kind=_like_second)
def untake_along_axis_vjp(gg, ans, g, x, indices, axis=-1):
    return (np.take_along_axis(gg, indices, axis), None, None)


@jvp_rule(helpers.untake_along_axis)
def untake_along_axis_jvp(dg, ans, g, x, indices, axis=-1):
    return helpers.untake_along_axis(dg, x, indices, axis)


@vjp_rule(helpers.untile, kind=_like_second)
def untile_vjp(gg, ans, g, x, reps):
    return (np.tile(gg, reps), None)


@jvp_rule(helpers.untile)
def untile_jvp(dg, ans, g, x, reps):
    return helpers.untile(dg, x, reps)


@vjp_rule(helpers.unrepeat, kind=_like_second)
def unrepeat_vjp(gg, ans, g, x, repeats, axis=None):
    return (np.repeat(gg, repeats, axis=axis), None)


@jvp_rule(helpers.unrepeat)
def unrepeat_jvp(dg, ans, g, x, repeats, axis=None):
    return helpers.unrepeat(dg, x, repeats, axis)


# ---------------------------------------------------------------- the compiler's helpers


@vjp_rule(runtime.add_at, kind=_same_as_first)
def add_at_vjp(gg, ans, buffer, index, g):
    # add_at(buffer, index, g) is buffer plus g scattered to index: linear in both.
    return (gg, None, runtime.item_of(gg, index, g))


@jvp_rule(runtime.add_at)
def add_at_jvp(dbuffer, dg, ans, buffer, index, g):
    # Not simplified around zeros: a zero dbuffer must be a real array to scatter
    # dg into (see tests/test_jvp_rules.py).
    return runtime.add_at(dbuffer, index, dg)


@vjp_rule(runtime.item_of, kind=unknown)
def item_of_vjp(gg, ans, g, index, x):
    # g[index] summed to x's shape: its adjoint scatters gg back into zeros.
    return (runtime.add_at(runtime.zeros_like(g), index, gg), None, None)


@jvp_rule(runtime.item_of)
def item_of_jvp(dg, ans, g, index, x):
    return runtime.item_of(dg, index, x)


@vjp_rule(runtime.written_part, kind=unknown)
def written_part_vjp(gg, ans, g, index, x):
    # The last write's part of g[index]: its adjoint writes gg back in order.
    return (runtime.scattered(gg, g, index), None, None)


@jvp_rule(runtime.written_part)
def written_part_jvp(dg, ans, g, index, x):
    return runtime.written_part(dg, index, x)


@vjp_rule(runtime.scattered, kind=_like_second)
def scattered_vjp(gg, ans, g, buffer, index):
    return (runtime.written_part(gg, index, g), None, None)


@jvp_rule(runtime.scattered)
def scattered_jvp(dg, dbuffer, ans, g, buffer, index):
    return runtime.scattered(dg, buffer, index)


# Writes into lists and dicts, and `+` and `*` of lists (see
# transforms/ad/reverse/reverse_containers.py); each is linear in the cotangent it moves.
@vjp_rule(runtime.clear_written, kind=_same_as_first)
def clear_written_vjp(gg, ans, buffer, index, replaced, value):
    return (runtime.restore_written(gg, index, replaced, value), None, None, None)


@jvp_rule(runtime.clear_written)
def clear_written_jvp(dbuffer, ans, buffer, index, replaced, value):
    return runtime.clear_written(dbuffer, index, replaced, value)


@vjp_rule(runtime.restore_written, kind=_same_as_first)
def restore_written_vjp(gg, ans, g, index, replaced, value):
    # gg may be an array (the rule of `np.array(xs)`): a list, to change its length
    return (runtime.clear_written(runtime.owned(runtime.like(gg, g)), index, replaced, value),
            None, None, None)


@jvp_rule(runtime.restore_written)
def restore_written_jvp(dg, ans, g, index, replaced, value):
    return runtime.restore_written(dg, index, replaced, value)


@vjp_rule(runtime.written_items, kind=unknown)
def written_items_vjp(gg, ans, buffer, index, replaced, value):
    return (runtime.placed_items(gg, buffer, index, replaced, value), None, None, None)


@jvp_rule(runtime.written_items)
def written_items_jvp(dbuffer, ans, buffer, index, replaced, value):
    return runtime.written_items(dbuffer, index, replaced, value)


@vjp_rule(runtime.placed_items, kind=unknown)
def placed_items_vjp(gg, ans, g, buffer, index, replaced, value):
    return (runtime.written_items(gg, index, replaced, value), None, None, None, None)


@jvp_rule(runtime.placed_items)
def placed_items_jvp(dg, ans, g, buffer, index, replaced, value):
    return runtime.placed_items(dg, buffer, index, replaced, value)


@vjp_rule(runtime.split_concatenated, kind=unknown)
def split_concatenated_vjp(gg, ans, g, xs):
    return (runtime.concatenated(gg[0], gg[1]), None)


@vjp_rule(runtime.concatenated, kind=unknown)
def concatenated_vjp(gg, ans, first, second):
    parts = runtime.split_concatenated(gg, first)
    return (parts[0], parts[1])


@jvp_rule(runtime.concatenated)
def concatenated_jvp(dfirst, dsecond, ans, first, second):
    return runtime.concatenated(dfirst, dsecond)


@jvp_rule(runtime.split_concatenated)
def split_concatenated_jvp(dg, ans, g, xs):
    return runtime.split_concatenated(dg, xs)


@vjp_rule(runtime.unrepeated, kind=unknown)
def unrepeated_vjp(gg, ans, g, xs):
    return (runtime.repeated(gg, g), None)


@vjp_rule(runtime.repeated, kind=unknown)
def repeated_vjp(gg, ans, g, like_g):
    return (runtime.unrepeated(gg, g), None)


@jvp_rule(runtime.repeated)
def repeated_jvp(dg, ans, g, like_g):
    return runtime.repeated(dg, like_g)


@jvp_rule(runtime.unrepeated)
def unrepeated_jvp(dg, ans, g, xs):
    return runtime.unrepeated(dg, xs)


# What a write replaced: read for its shape alone, which has no derivative.
nondifferentiable(primitives.item_before)
nondifferentiable(runtime.float_written)  # a check: its result is None
# A tape made for a loop (`array_tapes.py`): a buffer not yet written.
nondifferentiable(runtime.float_tape, kind=lambda args, kwargs: 'vector')
nondifferentiable(runtime.int_tape, runtime.bool_tape)


@vjp_rule(runtime.fill_like, kind=_same_as_first)
def fill_like_vjp(gg, ans, x, partial):
    # `partial` is a dict {index: cotangent}: item k gets gg[k], so gg serves as
    # the dict's cotangent. The zeros do not depend on x.
    return (None, gg)


@jvp_rule(runtime.fill_like)
def fill_like_jvp(dpartial, ans, x, partial):
    # The tangent of the dict is the dict of its values' tangents.
    return runtime.fill_like(x, dpartial)


@vjp_rule(runtime.owned, kind=_same_as_first)
def owned_vjp(gg, ans, g):
    return (gg,)


@jvp_rule(runtime.owned)
def owned_jvp(dg, ans, g):
    # A copy too: generated code updates the tangent in place with the value.
    return runtime.owned(dg)


def _in_type_of_second(args, kwargs):
    """`like(g, x)`: `g` in the type of `x` (a list of `g`'s items for a list)."""
    if len(args) < 2:
        return None
    g, x = args[0], args[1]
    if isinstance(x, tuple) and x[0] in ('list', 'tuple'):
        return (x[0], g[1] if isinstance(g, tuple) and g[0] in ('list', 'tuple') else None)
    if x in ARRAYS and isinstance(g, tuple):
        return 'array'
    return g


@vjp_rule(runtime.like, kind=_in_type_of_second)
def like_vjp(gg, ans, g, x):
    return (runtime.like(gg, g), None)


@jvp_rule(runtime.like)
def like_jvp(dg, ans, g, x):
    return runtime.like(dg, x)


def _containers_of_second(args, kwargs):
    """`deep_like(g, x)`: a container's containers may change type at any depth,
    so its kind is not known; anything else's is `g`'s."""
    if len(args) < 2:
        return None
    return None if isinstance(args[1], tuple) else args[0]


@vjp_rule(runtime.deep_like, kind=_containers_of_second)
def deep_like_vjp(gg, ans, g, x):
    return (runtime.deep_like(gg, g), None)


@jvp_rule(runtime.deep_like)
def deep_like_jvp(dg, ans, g, x):
    return runtime.deep_like(dg, x)


@vjp_rule(runtime.add_cotangents, kind=_same_as_first)
def add_cotangents_vjp(gg, ans, a, b):
    return (gg, gg)


@jvp_rule(runtime.add_cotangents)
def add_cotangents_jvp(da, db, ans, a, b):
    return runtime.add_cotangents(da, db)


@vjp_rule(runtime.repeat_like, kind=unknown)
def repeat_like_vjp(gg, ans, g, x):
    # `g` repeated along the first axis of x (its items, for a list): summed back.
    return (np.sum(gg, axis=0), None)


@jvp_rule(runtime.repeat_like)
def repeat_like_jvp(dg, ans, g, x):
    return runtime.repeat_like(dg, x)


# ---------------------------------------------------------------- no derivative


# The seed of a backward sweep and a zero cotangent carry no derivative.
nondifferentiable(runtime.scalar_seed)
nondifferentiable(runtime.zeros_like, kind=lambda args, kwargs: _zeros_kind(args))


def _zeros_kind(args):
    """A float array for an array, a float for a number (zeros_like(3) is 0.0)."""
    if args[:1] and args[0] in ARRAYS:
        return args[0]
    return 'float' if args and args[0] in ('int', 'float', 'bool') else None


# Results shaped like an argument, whatever its values.
shaped_like(1, runtime.unbroadcast, runtime.spread, helpers.unreduce, helpers.broadcast_like)
shaped_like(0, runtime.zeros_like)
nondifferentiable(helpers.reduced_size, kind=integer)
# Arguments read for their shape alone.
reads_only_shape(0, helpers.reduced_size)
reads_only_shape(1, runtime.unbroadcast, runtime.spread, helpers.unreduce,
                 helpers.broadcast_like, helpers.keep_dims)
nondifferentiable(helpers.share_of_extremum, helpers.max_share, helpers.inside,
                  helpers.quantile_shares, kind=unknown)
nondifferentiable(helpers.padding_of, kind=unknown)
nondifferentiable(helpers.nan_loses, helpers.choice_index, helpers.placed_order, kind=unknown)
nondifferentiable(helpers.rolled_axis_position, kind=integer)
nondifferentiable(helpers.not_differentiated, kind=real)
nondifferentiable(helpers.distinct_order, kind=unknown)


# ---------------------------------------------------------------- Python's max, min and sorted


def _items_like_kind(args, kwargs):
    """`items_like(g, xs)`: an array for an array `xs`, a list for a list or tuple."""
    xs = args[1] if args[1:] else None
    if xs in ARRAYS:
        return xs
    return ('list', xs[1]) if isinstance(xs, tuple) and xs[0] in ('list', 'tuple') else None


@vjp_rule(helpers.items_like, kind=_items_like_kind)
def items_like_vjp(gg, ans, g, xs):
    return (helpers.items_like(gg, g), None)


@jvp_rule(helpers.items_like)
def items_like_jvp(dg, ans, g, xs):
    return helpers.items_like(dg, xs)


def _shares_kind(args, kwargs):
    """`extremum_shares(ans, x, y=...)`: floats, or an array first for one `x`."""
    several = len(args) > 2 or 'y' in kwargs
    return ('tuple', 'float') if several else ('tuple', None)


nondifferentiable(helpers.extremum_shares, kind=_shares_kind)


def _shared_kind(args, kwargs):
    """`shared_tangent(t, share)`: a float, for a number `t` or a sequence of them."""
    t = args[0] if args else None
    return 'float' if (sequence_item(t) or t) in SCALARS else None


@vjp_rule(helpers.shared_tangent, kind=_shared_kind)
def shared_tangent_vjp(gg, ans, t, share):
    # Linear in t: the rule of `max` has this cotangent.
    return (helpers.items_like(gg * share, t), None)


@jvp_rule(helpers.shared_tangent)
def shared_tangent_jvp(dt, ans, t, share):
    return helpers.shared_tangent(dt, share)


def _permuted_kind(args, kwargs):
    """`permuted(t, order)`: a list of the items of `t`."""
    return ('list', sequence_item(args[0])) if args else None


def _unpermuted_kind(args, kwargs):
    """`unpermuted(g, order, xs)`: an array for an array `xs`, else a list of the
    items of `g`."""
    if args[2:] and args[2] in ARRAYS:
        return args[2]
    return ('list', sequence_item(args[0])) if args else None


@vjp_rule(helpers.permuted, kind=_permuted_kind)
def permuted_vjp(gg, ans, t, order):
    return (helpers.unpermuted(gg, order, t), None)


@jvp_rule(helpers.permuted)
def permuted_jvp(dt, ans, t, order):
    return helpers.permuted(dt, order)


@vjp_rule(helpers.unpermuted, kind=_unpermuted_kind)
def unpermuted_vjp(gg, ans, g, order, xs):
    # g may be an array (the rule of `np.array(ys)` gives one): in its form.
    return (helpers.items_like(helpers.permuted(gg, order), g), None, None)


@jvp_rule(helpers.unpermuted)
def unpermuted_jvp(dg, ans, g, order, xs):
    return helpers.unpermuted(dg, order, xs)


nondifferentiable(helpers.sort_order, kind=lambda args, kwargs: ('list', 'int'))


# ---------------------------------------------------------------- Python's dict


@vjp_rule(helpers.pairs_cotangent, kind=unknown)
def pairs_cotangent_vjp(gg, ans, g, pairs):
    # Linear in g, and the transpose of pairs_tangent.
    return (helpers.pairs_tangent(gg, pairs), None)


@jvp_rule(helpers.pairs_cotangent)
def pairs_cotangent_jvp(dg, ans, g, pairs):
    return helpers.pairs_cotangent(dg, pairs)


@vjp_rule(helpers.pairs_tangent, kind=lambda args, kwargs: ('dict', None))
def pairs_tangent_vjp(gg, ans, t, pairs):
    return (helpers.pairs_cotangent(gg, pairs), None)


@jvp_rule(helpers.pairs_tangent)
def pairs_tangent_jvp(dt, ans, t, pairs):
    return helpers.pairs_tangent(dt, pairs)


# ---------------------------------------------------------------- special functions


@vjp_rule(helpers.polygamma, kind=real)
def polygamma_vjp(g, ans, x, n=0):
    # The derivative of psi^(n) is psi^(n+1): derivatives of any order.
    return (g * helpers.polygamma(x, n + 1), None)


@jvp_rule(helpers.polygamma)
def polygamma_jvp(dx, ans, x, n=0):
    return dx * helpers.polygamma(x, n + 1)


# ---------------------------------------------------------------- fft


@vjp_rule(helpers.irfft_grad, kind=_float_array)
def irfft_grad_vjp(gg, ans, g, a, n=None, axis=-1, norm=None):
    # irfft_grad is the transpose of irfft on real arrays: its own is irfft.
    return (np.fft.irfft(gg, n, axis, norm), None, None, None, None)


@jvp_rule(helpers.irfft_grad)
def irfft_grad_jvp(dg, ans, g, a, n=None, axis=-1, norm=None):
    return helpers.irfft_grad(dg, a, n, axis, norm)
