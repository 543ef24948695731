"""How zero tangents pass through the NumPy functions and helpers jvp rules call.

A jvp rule with several tangents, `multiply_jvp(dx, dy, ...) = dx * y + x * dy`,
is inlined with a marker for each tangent that is zero; the compiler knows how the
marker passes through Python's operators, and learns here how it passes through
NumPy and the runtime helpers: a function linear in an argument gives zero for a
zero argument. Anything else a zero reaches makes the compiler inline the rule
with real zeros instead (tests/test_jvp_rules.py checks that no library rule
needs that, but `add_at`'s).
"""

import math

import numpy as np

from adjoint import runtime
from adjoint.rules import linalg_helpers as linalg
from adjoint.rules import numpy_helpers as helpers
from adjoint.rules import sample_helpers as samples
from adjoint.rules.registry import zero_role

zero_role('sum', np.add, runtime.add_cotangents)
zero_role('difference', np.subtract)
zero_role((0, 1), np.multiply, np.matmul, np.dot, np.inner, np.outer, np.tensordot,
          np.kron, np.cross, np.vdot)
zero_role((0,), np.divide, np.true_divide, np.negative, np.positive, np.conj, np.real)
# Linear in the array they take first: reductions and moves of elements.
zero_role((0,), np.sum, np.mean, np.cumsum, np.trace, np.diagonal, np.reshape, np.ravel,
          np.transpose, np.swapaxes, np.moveaxis, np.expand_dims, np.squeeze,
          np.broadcast_to, np.flip, np.roll, np.tile, np.repeat, np.atleast_1d,
          np.atleast_2d, np.array, np.asarray, np.copy, np.concatenate, np.stack,
          np.hstack, np.vstack, np.split, np.array_split, np.diag, np.tril, np.triu,
          np.take, np.take_along_axis, np.fft.fftshift, np.fft.ifftshift,
          np.fft.irfft, np.flipud, np.fliplr, np.rot90, np.rollaxis, np.atleast_3d,
          np.column_stack, np.dstack, np.hsplit, np.vsplit, np.dsplit, np.diff,
          np.gradient, np.deg2rad, np.radians, np.rad2deg, np.degrees, np.real_if_close)
zero_role((0,), ('method', 'sum'), ('method', 'mean'), ('method', 'reshape'),
          ('method', 'ravel'), ('method', 'flatten'), ('method', 'transpose'),
          ('method', 'squeeze'), ('method', 'swapaxes'), ('method', 'copy'), ('method', 'cumsum'),
          ('method', 'dot'), ('attr', 'T'))
zero_role((0,), math.fsum)
zero_role((1,), np.full, np.linalg.solve)
zero_role((0, 1), np.convolve, np.correlate)
zero_role((0,), np.polyval, np.polyder)
# Each operand of an einsum after its subscripts, or its spec (linalg_helpers.py).
zero_role(tuple(range(1, 10)), np.einsum, linalg.einsum_of)

# The runtime helpers: linear in the cotangent they move, and in some operands.
zero_role((0,), helpers.unreduce, helpers.keep_dims, helpers.broadcast_like,
          helpers.untranspose, helpers.retranspose, helpers.unconcatenate, helpers.unstack,
          helpers.unhstack, helpers.unvstack, helpers.unjoined, helpers.joined,
          helpers.untile, helpers.unrepeat,
          helpers.items_like, helpers.shared_tangent, helpers.permuted, helpers.unpermuted,
          helpers.pairs_cotangent, helpers.pairs_tangent,
          runtime.unbroadcast, runtime.owned, runtime.like, runtime.deep_like, runtime.item_of,
          runtime.written_part, runtime.scattered, runtime.clear_written,
          runtime.restore_written, runtime.written_items, runtime.placed_items,
          runtime.split_concatenated, runtime.unrepeated, runtime.repeated,
          runtime.repeat_like, linalg.trace_grad, helpers.diagonal_grad,
          helpers.diag_grad, helpers.part_of, helpers.with_zeros, helpers.padded,
          helpers.unpadded, helpers.untake, helpers.untake_along_axis,
          helpers.irfft_grad, linalg.spectral_hessian, linalg.svd_cotangents,
          linalg.svd_like, helpers.uncolumn_stack, helpers.undstack, helpers.unselect,
          helpers.undiff, helpers.ungradient, helpers.gradient_spacing)
zero_role((1,), helpers.select, helpers.selected, linalg.solve_like, linalg.solve_transposed)
zero_role((0,), helpers.finite_part, helpers.float_target)
zero_role((0, 1), linalg.times_like, linalg.times_transposed, linalg.kron_grad_right)
zero_role((0, 2), linalg.kron_grad_left, linalg.cross_grad)
zero_role((0, 2), linalg.matmul_grad_left, linalg.tensordot_grad_left)
zero_role((0, 1), linalg.matmul_grad_right, linalg.tensordot_grad_right)
# einsum_grad: the cotangent and the operands after the first (which gives only
# its shape); prod_of_others: each direction after x and axis.
zero_role((0,) + tuple(range(3, 11)), linalg.einsum_grad)
zero_role((2, 3, 4, 5, 6), helpers.prod_of_others)
# cumprod_tangent: each direction after x and axis; cumprod_grad: g and each direction.
zero_role((2, 3, 4, 5, 6, 7), helpers.cumprod_tangent)
zero_role((0, 3, 4, 5, 6, 7), helpers.cumprod_grad)

# The helpers of numpy_samples.py: each linear in its first argument, but for the
# weights of average_weights(a, weights, axis) and the fp of interp_slope(x, xp, fp).
zero_role((0,), samples.unaverage_weights, samples.observed, samples.unobserved,
          samples.step_weights, samples.unstep_weights, samples.spacing_weights,
          samples.interp_basis, samples.interp_grad, samples.interp_unslope,
          samples.convolution_full, samples.convolution_window, samples.polyval_grad,
          samples.unpolyder, helpers.meshgrid_grad, helpers.meshgrid_part, helpers.shaped_as)
zero_role((1,), samples.average_weights)
zero_role((0,), linalg.full_rank_qr, linalg.full_rank_lstsq, linalg.residual_weights,
          linalg.residuals_like, linalg.diagonal_blocks, linalg.diagonal_sum, linalg.corner_block,
          linalg.corner, linalg.chain_matrix, linalg.unchain, linalg.singular_cotangent,
          linalg.singular_tangent)
zero_role((2,), samples.interp_slope)
