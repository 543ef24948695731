"""Runtime helpers that NumPy rule templates call: the logic that needs branches.

A rule template is inlined into generated code, so it stays a few straight lines
(../../shared/STYLE.md); where a cotangent depends on `axis` being None, an int
or a tuple, or on how many dimensions an argument has, the template calls one of
these functions instead, and the generated code reads as one call.
"""

import math

import numpy as np


def reduced_axes(axis, ndim):
    """The axes a reduction over `axis` removes, as a sorted tuple of ints >= 0.

    Args:
        axis: None (every axis), an int or a tuple of ints, possibly negative.
        ndim: the number of dimensions of the reduced array.
    """
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, tuple):
        return tuple(sorted(int(a) % ndim for a in axis))
    return (int(axis) % ndim,)


def reduced_size(x, axis=None):
    """How many elements of `x` each result of a reduction over `axis` combines
    (the n of a mean)."""
    if axis is None:
        return np.size(x)
    shape = np.shape(x)
    return math.prod(shape[k] for k in reduced_axes(axis, len(shape)))


def keep_dims(g, x, axis=None, keepdims=False):
    """`g`, the cotangent of a reduction of `x`, with the reduced axes put back as
    size-1 axes, so that it broadcasts against `x` (as if `keepdims=True`)."""
    shape = np.shape(x)
    if keepdims or not shape:
        return g
    axes = reduced_axes(axis, len(shape))
    return np.reshape(g, [1 if k in axes else n for k, n in enumerate(shape)])


def unreduce(g, x, axis=None, keepdims=False):
    """The cotangent of `np.sum(x, axis, keepdims=keepdims)` from its cotangent `g`:
    `g` repeated along the summed axes, as a new float array shaped like `x` (a
    float when `x` is a scalar)."""
    shape = np.shape(x)
    if not shape:
        return float(g) if not isinstance(x, np.ndarray) else np.asarray(g, float)
    out = np.empty(shape)
    out[...] = g if axis is None else keep_dims(g, x, axis, keepdims)
    return out


def share_of_extremum(x, ans, axis=None, keepdims=False):
    """Which elements of `x` the maximum (or minimum) `ans` came from: 1/k at each
    of the k elements equal to it in their reduction, 0 elsewhere. Ties share the
    cotangent equally (the convention of PyTorch's and JAX's max)."""
    hit = np.equal(x, keep_dims(ans, x, axis, keepdims))
    return hit / hit.sum(axis=axis, keepdims=True)


def prod_of_others(x, axis=None):
    """For each element of `x`, the product of the other elements of its reduction
    in `np.prod(x, axis)`: the derivative of the product, right where `x` has zeros
    (unlike `prod / x`). Exclusive products from the left and from the right."""
    x = np.asarray(x, dtype=float)
    axes = reduced_axes(axis, x.ndim)
    kept = [k for k in range(x.ndim) if k not in axes]
    moved = np.transpose(x, kept + list(axes))
    flat = moved.reshape(moved.shape[:len(kept)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,))
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)
    others = (left * right[..., ::-1]).reshape(moved.shape)
    return np.transpose(others, np.argsort(kept + list(axes)))


def max_share(x, y):
    """The part of the cotangent of `np.maximum(x, y)` that goes to `x`.

    1 where x > y, 0 where x < y. At a tie, 1/2 if `y` is `x` itself, so that
    `np.maximum(x, x)` has derivative 1; else 0, so that relu written as
    `np.maximum(x, 0)` has derivative 0 at 0 (../../shared/DESIGN.md). Rules cannot
    see which arguments are differentiated, so a tie between two different
    differentiated values gives each 0 (see docs/rules.md). Python caches small
    ints: an int argument 0 tied with the literal 0 counts as the same value.
    """
    if x is y:
        return 0.5
    return x > y


def inside(x, low, high):
    """Where `np.clip(x, low, high)` passes `x` through: strictly between the bounds
    (either may be None). At a bound the derivative is taken to be 0, as for
    `np.maximum(x, 0)` at 0."""
    above = True if low is None else x > low
    below = True if high is None else x < high
    return np.logical_and(above, below)


def transpose_axes(*axes):
    """The permutation of `np.transpose(x, axes)` or `x.transpose(*axes)`: None
    (reverse them all), or a tuple from one sequence or from separate ints.
    Trailing Nones (unused parameters of the method's rule) are ignored."""
    axes = tuple(a for a in axes if a is not None)
    if len(axes) == 1 and np.ndim(axes[0]) == 1:
        axes = tuple(axes[0])
    return axes or None


def untranspose(g, *axes):
    """The cotangent of `np.transpose(x, axes)` or `x.transpose(*axes)`: `g` with
    the inverse permutation."""
    axes = transpose_axes(*axes)
    if axes is None:
        return np.transpose(g)
    return np.transpose(g, np.argsort([a % np.ndim(g) for a in axes]))


def retranspose(g, *axes):
    """`np.transpose(g, axes)` for the `axes` `untranspose` takes: its adjoint."""
    return np.transpose(g, transpose_axes(*axes))


def broadcast_like(g, like):
    """`g` broadcast to the shape of `like`: the adjoint of `unbroadcast(like, x)`.

    Returns `g` itself when the shapes already agree."""
    shape = np.shape(like)
    if np.shape(g) == shape:
        return g
    return np.broadcast_to(g, shape).copy()


def unconcatenate(g, xs, axis=0):
    """The cotangents of the items `xs` of `np.concatenate(xs, axis)`: the pieces
    of `g`, as a list. `axis=None` concatenates the flattened items."""
    if axis is None:
        sizes = [np.size(x) for x in xs]
        pieces = np.split(np.ravel(g), np.cumsum(sizes)[:-1])
    else:
        sizes = [np.shape(x)[axis] for x in xs]
        pieces = np.split(g, np.cumsum(sizes)[:-1], axis=axis)
    return [np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)]


def unstack(g, xs, axis=0):
    """The cotangents of the items of `np.stack(xs, axis)`, as a list."""
    return [np.reshape(p, np.shape(x)) for p, x in zip(np.moveaxis(g, axis, 0), xs)]


def unhstack(g, xs):
    """The cotangents of the items of `np.hstack(xs)` (axis 1, or 0 for vectors)."""
    return unconcatenate(g, [np.atleast_1d(x) for x in xs],
                         0 if np.ndim(xs[0]) <= 1 else 1)


def unvstack(g, xs):
    """The cotangents of the items of `np.vstack(xs)` (rows: vectors become 1 x n)."""
    pieces = unconcatenate(g, [np.atleast_2d(x) for x in xs], 0)
    return [np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)]


def untile(g, x, reps):
    """The cotangent of `np.tile(x, reps)`: the copies of each element summed."""
    reps = (reps,) if np.ndim(reps) == 0 else tuple(reps)
    shape = np.shape(x)
    ndim = max(len(shape), len(reps))
    shape = (1,) * (ndim - len(shape)) + shape
    reps = (1,) * (ndim - len(reps)) + reps
    pairs = np.reshape(g, [n for pair in zip(reps, shape) for n in pair])
    return np.reshape(np.sum(pairs, axis=tuple(range(0, 2 * ndim, 2))), np.shape(x))


def unrepeat(g, x, repeats, axis=None):
    """The cotangent of `np.repeat(x, repeats, axis)`: each element's copies summed."""
    if axis is None:
        x_flat = np.ravel(x)
        return np.reshape(unrepeat(g, x_flat, repeats, 0), np.shape(x))
    n = np.shape(x)[axis]
    owners = np.repeat(np.arange(n), np.broadcast_to(repeats, (n,)))
    out = np.zeros((n,) + np.shape(np.moveaxis(g, axis, 0))[1:])
    np.add.at(out, owners, np.moveaxis(g, axis, 0))
    return np.moveaxis(out, 0, axis)
