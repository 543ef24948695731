"""Rules for operations that move elements without changing them: reshape,
transpose, flips and turns, concatenate and the stacks, split, tile, roll,
diagonals and triangles, append and pad, take, sort and partition, arrays built
from lists of values, and casts to floats.

Each cotangent moves the elements of `g` back where they came from. A list
argument (`np.concatenate([a, b])`) gets a list of cotangents, one per item; a
list result (`np.split`) arrives with a list cotangent, zeros for unused pieces.

These operations are linear: each jvp rule applies the operation itself to the
tangent (a list argument's tangent is the list of its items' tangents; a list
result's tangent is the list of its pieces' tangents).
"""

import numpy as np

from adjoint.rules.numpy_helpers import (c_, diag_grad, diagonal_grad, distinct_order, float_target,
                                         joined, meshgrid_grad, meshgrid_part, padded,
                                         padding_of, part_of, placed_order, r_, retranspose,
                                         rolled_axis_position, uncolumn_stack, unconcatenate,
                                         undstack, unhstack, unjoined, unpadded, unrepeat, unstack,
                                         untake, untake_along_axis, untile, untranspose,
                                         unvstack, with_zeros)
from adjoint.rules.numpy_kinds import (FLOATS, appended, array_like_first, array_of_items,
                                       diag_of, diagonal_of, float_array, method, triangle)
from adjoint.rules.registry import jvp_rule, shaped_like, subscript_function, unknown, vjp_rule
from adjoint.runtime import add_cotangents, unbroadcast
from transforms.analysis.kinds import ARRAYS


# ---------------------------------------------------------------- same elements


@vjp_rule(np.reshape, kind=float_array)
def reshape_vjp(g, ans, x, shape=None, order='C'):
    return (np.reshape(g, np.shape(x), order=order),)


@jvp_rule(np.reshape)
def reshape_jvp(dx, ans, x, shape=None, order='C'):
    return np.reshape(dx, np.shape(ans), order=order)


@vjp_rule(('method', 'reshape'), kind=method(float_array))
def reshape_method_vjp(g, ans, x, d0=None, d1=None, d2=None, d3=None, d4=None, d5=None,
                       *, order='C'):
    # x.reshape(2, 3) passes the shape as separate arguments: rule templates take
    # no *args, so there is one parameter per dimension (up to six).
    return (np.reshape(g, np.shape(x), order=order),)


@jvp_rule(('method', 'reshape'))
def reshape_method_jvp(dx, ans, x, d0=None, d1=None, d2=None, d3=None, d4=None, d5=None,
                       *, order='C'):
    return np.reshape(dx, np.shape(ans), order=order)


@vjp_rule(np.ravel, kind=float_array)
@vjp_rule(('method', 'ravel'), kind=method(float_array))
@vjp_rule(('method', 'flatten'), kind=method(float_array))
def ravel_vjp(g, ans, x, order='C'):
    return (np.reshape(g, np.shape(x), order=order),)


@jvp_rule(np.ravel)
@jvp_rule(('method', 'ravel'))
@jvp_rule(('method', 'flatten'))
def ravel_jvp(dx, ans, x, order='C'):
    return np.reshape(dx, np.shape(ans), order=order)


@vjp_rule(np.squeeze, kind=float_array)
@vjp_rule(('method', 'squeeze'), kind=method(float_array))
@vjp_rule(np.expand_dims, kind=float_array)
def same_size_vjp(g, ans, x, axis=None):
    return (np.reshape(g, np.shape(x)),)


@jvp_rule(np.squeeze)
@jvp_rule(('method', 'squeeze'))
@jvp_rule(np.expand_dims)
def same_size_jvp(dx, ans, x, axis=None):
    return np.reshape(dx, np.shape(ans))


@vjp_rule(np.atleast_1d, kind=float_array)
@vjp_rule(np.atleast_2d, kind=float_array)
@vjp_rule(np.atleast_3d, kind=float_array)
def at_least_vjp(g, ans, x):
    # One array only: np.atleast_1d(x, y) returns a list, which is not supported
    # (its second argument is no `axis`).
    return (np.reshape(g, np.shape(x)),)


@jvp_rule(np.atleast_1d)
@jvp_rule(np.atleast_2d)
@jvp_rule(np.atleast_3d)
def at_least_jvp(dx, ans, x):
    return np.reshape(dx, np.shape(ans))


@vjp_rule(np.array, kind=array_of_items)
@vjp_rule(np.asarray, kind=array_of_items)
def array_vjp(g, ans, x, dtype=None):
    # For a list `[a, b, c]` the compiler gives item k the cotangent g[k]. `dtype`
    # is float here (array_jvp writes it), which keeps the values.
    return (g,)


@jvp_rule(np.array)
@jvp_rule(np.asarray)
def array_jvp(dx, ans, x, dtype=None):
    # The tangent of a list is the list of its items' tangents.
    return np.array(dx, dtype=float)


@vjp_rule(('method', 'astype'), kind=unknown)  # the kind of `dtype` says nothing of it
def astype_vjp(g, ans, x, dtype, order='K', casting='unsafe', subok=True, copy=True):
    # The identity, to a float type; float_target raises for another.
    return (float_target(g, dtype),)


@jvp_rule(('method', 'astype'))
def astype_jvp(dx, ans, x, dtype, order='K', casting='unsafe', subok=True, copy=True):
    return float_target(dx, dtype)


@vjp_rule(('method', 'item'), kind=lambda args, kwargs: 'float' if args[0] in FLOATS else None)
def item_vjp(g, ans, x):
    # The one element of a size-1 array, as a Python float; `x.item(k)` is not
    # supported (an unexpected argument where the rule is inlined).
    return (np.reshape(g, np.shape(x)),)


@jvp_rule(('method', 'item'))
def item_jvp(dx, ans, x):
    return float(np.reshape(dx, ()))


# ---------------------------------------------------------------- axes


@vjp_rule(('attr', 'T'), kind=method(float_array))
def transposed_vjp(g, ans, x):
    return (g.T,)


@jvp_rule(('attr', 'T'))
def transposed_jvp(dx, ans, x):
    return dx.T


@vjp_rule(np.transpose, kind=float_array)
def transpose_vjp(g, ans, x, axes=None):
    return (untranspose(g, axes),)


@jvp_rule(np.transpose)
def transpose_jvp(dx, ans, x, axes=None):
    return np.transpose(dx, axes)


@vjp_rule(('method', 'transpose'), kind=method(float_array))
def transpose_method_vjp(g, ans, x, a0=None, a1=None, a2=None, a3=None):
    # x.transpose(1, 0, 2) or x.transpose((1, 0, 2)); no *args in rule templates.
    return (untranspose(g, a0, a1, a2, a3),)


@jvp_rule(('method', 'transpose'))
def transpose_method_jvp(dx, ans, x, a0=None, a1=None, a2=None, a3=None):
    return retranspose(dx, a0, a1, a2, a3)


@vjp_rule(np.swapaxes, kind=float_array)
@vjp_rule(('method', 'swapaxes'), kind=method(float_array))
def swapaxes_vjp(g, ans, x, axis1, axis2):
    return (np.swapaxes(g, axis1, axis2),)


@jvp_rule(np.swapaxes)
@jvp_rule(('method', 'swapaxes'))
def swapaxes_jvp(dx, ans, x, axis1, axis2):
    return np.swapaxes(dx, axis1, axis2)


@vjp_rule(np.moveaxis, kind=float_array)
def moveaxis_vjp(g, ans, x, source, destination):
    return (np.moveaxis(g, destination, source),)


@jvp_rule(np.moveaxis)
def moveaxis_jvp(dx, ans, x, source, destination):
    return np.moveaxis(dx, source, destination)


@vjp_rule(np.flip, kind=float_array)
def flip_vjp(g, ans, x, axis=None):
    return (np.flip(g, axis),)


@jvp_rule(np.flip)
def flip_jvp(dx, ans, x, axis=None):
    return np.flip(dx, axis)


@vjp_rule(np.flipud, kind=float_array)
def flipud_vjp(g, ans, m):
    return (np.flipud(g),)


@jvp_rule(np.flipud)
def flipud_jvp(dm, ans, m):
    return np.flipud(dm)


@vjp_rule(np.fliplr, kind=float_array)
def fliplr_vjp(g, ans, m):
    return (np.fliplr(g),)


@jvp_rule(np.fliplr)
def fliplr_jvp(dm, ans, m):
    return np.fliplr(dm)


@vjp_rule(np.rot90, kind=float_array)
def rot90_vjp(g, ans, m, k=1, axes=(0, 1)):
    # Turned back as far, in the same plane.
    return (np.rot90(g, -k, axes),)


@jvp_rule(np.rot90)
def rot90_jvp(dm, ans, m, k=1, axes=(0, 1)):
    return np.rot90(dm, k, axes)


@vjp_rule(np.rollaxis, kind=float_array)
def rollaxis_vjp(g, ans, a, axis, start=0):
    return (np.moveaxis(g, rolled_axis_position(a, axis, start), axis),)


@jvp_rule(np.rollaxis)
def rollaxis_jvp(da, ans, a, axis, start=0):
    return np.rollaxis(da, axis, start)


# ---------------------------------------------------------------- joining and splitting


@vjp_rule(np.concatenate, kind=array_of_items)
def concatenate_vjp(g, ans, xs, axis=0):
    return (unconcatenate(g, xs, axis),)


@jvp_rule(np.concatenate)
def concatenate_jvp(dxs, ans, xs, axis=0):
    return np.concatenate(dxs, axis=axis)


@vjp_rule(np.stack, kind=array_of_items)
def stack_vjp(g, ans, xs, axis=0):
    return (unstack(g, xs, axis),)


@jvp_rule(np.stack)
def stack_jvp(dxs, ans, xs, axis=0):
    return np.stack(dxs, axis=axis)


@vjp_rule(np.hstack, kind=array_of_items)
def hstack_vjp(g, ans, xs):
    return (unhstack(g, xs),)


@jvp_rule(np.hstack)
def hstack_jvp(dxs, ans, xs):
    return np.hstack(dxs)


@vjp_rule(np.vstack, kind=array_of_items)
def vstack_vjp(g, ans, xs):
    return (unvstack(g, xs),)


@jvp_rule(np.vstack)
def vstack_jvp(dxs, ans, xs):
    return np.vstack(dxs)


if hasattr(np, 'row_stack'):  # np.vstack by its old name, deprecated in NumPy 2.0
    @vjp_rule(np.row_stack, kind=array_of_items)
    def row_stack_vjp(g, ans, tup):
        return (unvstack(g, tup),)

    @jvp_rule(np.row_stack)
    def row_stack_jvp(dtup, ans, tup):
        return np.vstack(dtup)


@vjp_rule(np.column_stack, kind=array_of_items)
def column_stack_vjp(g, ans, tup):
    return (uncolumn_stack(g, tup),)


@jvp_rule(np.column_stack)
def column_stack_jvp(dtup, ans, tup):
    return np.column_stack(dtup)


@vjp_rule(np.dstack, kind=array_of_items)
def dstack_vjp(g, ans, tup):
    return (undstack(g, tup),)


@jvp_rule(np.dstack)
def dstack_jvp(dtup, ans, tup):
    return np.dstack(dtup)


# `np.r_[x, 2.0 * x]`, `np.c_[a, b]`: subscripts that build an array from their
# index, which no derivative flows through; the compiler calls r_ and c_ instead.
subscript_function(np.r_, r_)
subscript_function(np.c_, c_)


def _index_items(kind):
    """The kind shared by the items of an index of kind `kind` (one item if it is
    not a tuple)."""
    return kind[1] if isinstance(kind, tuple) and kind[0] == 'tuple' else kind


def _rows(args, kwargs):
    """`np.r_[...]`: a vector of scalars and vectors, a matrix of matrices."""
    return {'float': 'vector', 'vector': 'vector', 'matrix': 'matrix'}.get(
        _index_items(args[0]) if args else None)


def _columns(args, kwargs):
    """`np.c_[...]`: a matrix of scalars, vectors (as columns) and matrices."""
    return {'float': 'matrix', 'vector': 'matrix', 'matrix': 'matrix'}.get(
        _index_items(args[0]) if args else None)


@vjp_rule(r_, kind=_rows)
def r_vjp(g, ans, index):
    return (unjoined(g, index, 'r'),)


@jvp_rule(r_)
def r_jvp(dindex, ans, index):
    return joined(dindex, index, 'r')


@vjp_rule(c_, kind=_columns)
def c_vjp(g, ans, index):
    return (unjoined(g, index, 'c'),)


@jvp_rule(c_)
def c_jvp(dindex, ans, index):
    return joined(dindex, index, 'c')


def _pieces(args, kwargs):
    """`np.split` returns a list (of float arrays, for a float array)."""
    return ('list', 'array' if args and args[0] in ARRAYS else None)


@vjp_rule(np.split, kind=_pieces)
@vjp_rule(np.array_split, kind=_pieces)
def split_vjp(g, ans, x, indices_or_sections, axis=0):
    # `g` is a list with one cotangent per piece (zeros for pieces never used).
    return (np.concatenate(g, axis=axis),)


@jvp_rule(np.split)
def split_jvp(dx, ans, x, indices_or_sections, axis=0):
    return np.split(dx, indices_or_sections, axis)


@jvp_rule(np.array_split)
def array_split_jvp(dx, ans, x, indices_or_sections, axis=0):
    return np.array_split(dx, indices_or_sections, axis)


# The pieces of np.hsplit are joined again by np.hstack (along axis 1, or 0 of a
# vector), of np.vsplit by np.vstack, of np.dsplit by np.dstack.
@vjp_rule(np.hsplit, kind=_pieces)
def hsplit_vjp(g, ans, ary, indices_or_sections):
    return (np.hstack(g),)


@jvp_rule(np.hsplit)
def hsplit_jvp(dary, ans, ary, indices_or_sections):
    return np.hsplit(dary, indices_or_sections)


@vjp_rule(np.vsplit, kind=_pieces)
def vsplit_vjp(g, ans, ary, indices_or_sections):
    return (np.vstack(g),)


@jvp_rule(np.vsplit)
def vsplit_jvp(dary, ans, ary, indices_or_sections):
    return np.vsplit(dary, indices_or_sections)


@vjp_rule(np.dsplit, kind=_pieces)
def dsplit_vjp(g, ans, ary, indices_or_sections):
    return (np.dstack(g),)


@jvp_rule(np.dsplit)
def dsplit_jvp(dary, ans, ary, indices_or_sections):
    return np.dsplit(dary, indices_or_sections)


# ---------------------------------------------------------------- copies


@vjp_rule(np.tile, kind=float_array)
def tile_vjp(g, ans, x, reps):
    return (untile(g, x, reps),)


@jvp_rule(np.tile)
def tile_jvp(dx, ans, x, reps):
    return np.tile(dx, reps)


@vjp_rule(np.repeat, kind=float_array)
@vjp_rule(('method', 'repeat'), kind=method(float_array))
def repeat_vjp(g, ans, x, repeats, axis=None):
    return (unrepeat(g, x, repeats, axis),)


@jvp_rule(np.repeat)
@jvp_rule(('method', 'repeat'))
def repeat_jvp(dx, ans, x, repeats, axis=None):
    return np.repeat(dx, repeats, axis)


@vjp_rule(np.broadcast_to, kind=float_array)
def broadcast_to_vjp(g, ans, x, shape):
    # Summing a cotangent back over broadcast axes is what `unbroadcast` does.
    return (unbroadcast(g, x),)


@jvp_rule(np.broadcast_to)
def broadcast_to_jvp(dx, ans, x, shape):
    return np.broadcast_to(dx, shape)


# A tuple of arrays, whose kind is left unknown: with copy=False its items are views
# of the arguments, which the alias analysis follows through an unpacking
# (`a, b = np.meshgrid(x, y, copy=False)`) only for a result of unknown kind.
@vjp_rule(np.meshgrid, kind=unknown)
def meshgrid_vjp(g, ans, x0, x1=None, x2=None, x3=None, *, copy=True, sparse=False,
                 indexing='xy'):
    # Up to four arguments (rule templates take no *args). Each result is its
    # argument laid along one axis and repeated along the others (swapped for
    # the first two with indexing='xy'): its cotangent is summed back.
    return (meshgrid_grad(g, x0, 0, indexing), meshgrid_grad(g, x1, 1, indexing),
            meshgrid_grad(g, x2, 2, indexing), meshgrid_grad(g, x3, 3, indexing))


@jvp_rule(np.meshgrid)
def meshgrid_jvp(dx0, dx1, dx2, dx3, ans, x0, x1=None, x2=None, x3=None, *, copy=True,
                 sparse=False, indexing='xy'):
    # The tangent of each argument reaches its own result only.
    return add_cotangents(add_cotangents(meshgrid_part(dx0, ans, 0, indexing),
                                         meshgrid_part(dx1, ans, 1, indexing)),
                          add_cotangents(meshgrid_part(dx2, ans, 2, indexing),
                                         meshgrid_part(dx3, ans, 3, indexing)))


# ---------------------------------------------------------------- rolls, diagonals, triangles


@vjp_rule(np.roll, kind=array_like_first)
def roll_vjp(g, ans, x, shift, axis=None):
    # Rolled back: each shift (an int or one per axis) negated.
    return (np.roll(g, np.negative(shift), axis),)


@jvp_rule(np.roll)
def roll_jvp(dx, ans, x, shift, axis=None):
    return np.roll(dx, shift, axis)


@vjp_rule(np.diagonal, kind=diagonal_of)
@vjp_rule(('method', 'diagonal'), kind=method(diagonal_of))
def diagonal_vjp(g, ans, x, offset=0, axis1=0, axis2=1):
    return (diagonal_grad(g, x, offset, axis1, axis2),)


@jvp_rule(np.diagonal)
@jvp_rule(('method', 'diagonal'))
def diagonal_jvp(dx, ans, x, offset=0, axis1=0, axis2=1):
    return np.diagonal(dx, offset, axis1, axis2)


@vjp_rule(np.diag, kind=diag_of)
def diag_vjp(g, ans, v, k=0):
    return (diag_grad(g, v, k),)


@jvp_rule(np.diag)
def diag_jvp(dv, ans, v, k=0):
    return np.diag(dv, k)


@vjp_rule(np.tril, kind=triangle)
def tril_vjp(g, ans, x, k=0):
    # Of a vector, np.tril makes a matrix of copies of it: they are summed back.
    return (unbroadcast(np.tril(g, k), x),)


@jvp_rule(np.tril)
def tril_jvp(dx, ans, x, k=0):
    return np.tril(dx, k)


@vjp_rule(np.triu, kind=triangle)
def triu_vjp(g, ans, x, k=0):
    return (unbroadcast(np.triu(g, k), x),)


@jvp_rule(np.triu)
def triu_jvp(dx, ans, x, k=0):
    return np.triu(dx, k)


# ---------------------------------------------------------------- appends and pads


@vjp_rule(np.append, kind=appended)
def append_vjp(g, ans, arr, values, axis=None):
    return (part_of(g, arr, values, axis), part_of(g, values, arr, axis, False))


@jvp_rule(np.append)
def append_jvp(darr, dvalues, ans, arr, values, axis=None):
    # np.append(darr, dvalues, axis) as a sum, so that a zero tangent drops out.
    return with_zeros(darr, values, axis) + with_zeros(dvalues, arr, axis, False)


@vjp_rule(np.pad, kind=array_like_first)
def pad_vjp(g, ans, array, pad_width, mode='constant', *, constant_values=0,
            stat_length=None, reflect_type='even', end_values=0, active_constant_values=False):
    # mode='constant' only: the helpers raise for another, naming it (the other
    # modes' settings are parameters, so that a call with them gets that error);
    # and for a differentiated constant_values, a keyword argument, to which
    # reverse mode gives no cotangent.
    return (unpadded(g, pad_width, mode, active_constant_values),)


@jvp_rule(np.pad)
def pad_jvp(darray, dconstant_values, ans, array, pad_width, mode='constant', *,
            constant_values=0, stat_length=None, reflect_type='even', end_values=0,
            active_constant_values=False):
    return (padded(darray, pad_width, mode)
            + dconstant_values * padding_of(array, pad_width, mode, constant_values))


# ---------------------------------------------------------------- taking and sorting


@vjp_rule(np.take, kind=float_array)
@vjp_rule(('method', 'take'), kind=method(float_array))
def take_vjp(g, ans, a, indices, axis=None, *, mode='raise'):
    # No `out`: a call that writes into one is rejected when the rule is inlined.
    return (untake(g, a, indices, axis, mode), None)


@jvp_rule(np.take)
@jvp_rule(('method', 'take'))
def take_jvp(da, ans, a, indices, axis=None, *, mode='raise'):
    return np.take(da, indices, axis, mode=mode)


@vjp_rule(np.take_along_axis, kind=float_array)
def take_along_axis_vjp(g, ans, arr, indices, axis=-1):
    return (untake_along_axis(g, arr, indices, axis), None)


@jvp_rule(np.take_along_axis)
def take_along_axis_jvp(darr, ans, arr, indices, axis=-1):
    return np.take_along_axis(darr, indices, axis)


@vjp_rule(np.sort, kind=float_array)
def sort_vjp(g, ans, a, axis=-1, kind=None, order=None, *, stable=None):
    # Tied elements follow the permutation of a stable sort, whatever `kind`:
    # the first of them in `a` gets the first of their places' cotangents.
    return (untake_along_axis(g, a, np.argsort(a, axis=axis, kind='stable'), axis),)


@jvp_rule(np.sort)
def sort_jvp(da, ans, a, axis=-1, kind=None, order=None, *, stable=None):
    return np.take_along_axis(da, np.argsort(a, axis=axis, kind='stable'), axis)


@vjp_rule(np.partition, kind=float_array)
def partition_vjp(g, ans, a, kth, axis=-1, kind='introselect', order=None):
    # Each element's cotangent from the place the partition put it in, tied
    # elements matched as np.sort's rule matches them (see `placed_order`).
    return (untake_along_axis(g, a, placed_order(a, ans, axis), axis), None)


@jvp_rule(np.partition)
def partition_jvp(da, ans, a, kth, axis=-1, kind='introselect', order=None):
    return np.take_along_axis(da, placed_order(a, ans, axis), axis)


@vjp_rule(np.unique, kind=lambda args, kwargs: 'vector' if args and args[0] in FLOATS else None)
def unique_vjp(g, ans, ar, *, equal_nan=True, sorted=True):
    # Where ar repeats no value, np.unique is np.sort of it; where it does, moving a
    # copy adds an element, and distinct_order raises. The values only: a call with
    # return_index, return_inverse, return_counts or axis is rejected where the
    # rule is inlined.
    return (untake(g, ar, distinct_order(ar, ans), None),)


@jvp_rule(np.unique)
def unique_jvp(dar, ans, ar, *, equal_nan=True, sorted=True):
    return np.take(dar, distinct_order(ar, ans))


# The shape of x, whatever the values (transforms/analysis/shapes.py).
shaped_like(0, np.roll)
