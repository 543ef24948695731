"""Rules for operations that move elements without changing them: reshape,
transpose, concatenate, split, tile, and arrays built from lists of values.

Each cotangent moves the elements of `g` back where they came from. A list
argument (`np.concatenate([a, b])`) gets a list of cotangents, one per item; a
list result (`np.split`) arrives with a list cotangent, zeros for unused pieces.

These operations are linear: each jvp rule applies the operation itself to the
tangent (a list argument's tangent is the list of its items' tangents; a list
result's tangent is the list of its pieces' tangents).
"""

import numpy as np

from adjoint.rules.numpy_helpers import (retranspose, unconcatenate, unhstack, unrepeat,
                                         unstack, untile, untranspose, unvstack)
from adjoint.rules.numpy_kinds import array_of_items, float_array, method
from adjoint.rules.registry import jvp_rule, vjp_rule
from adjoint.runtime import unbroadcast
from transforms.kinds import ARRAYS


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
def at_least_vjp(g, ans, x):
    # One array only: np.atleast_1d(x, y) returns a list, which is not supported
    # (its second argument is no `axis`).
    return (np.reshape(g, np.shape(x)),)


@jvp_rule(np.atleast_1d)
@jvp_rule(np.atleast_2d)
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
