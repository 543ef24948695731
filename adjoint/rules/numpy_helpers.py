"""Runtime helpers that rule templates call: the logic that needs branches (for
NumPy's rules, and the polygamma function of `math.gamma`'s and `math.lgamma`'s).

A rule template is inlined into generated code, so it stays a few straight lines
(../../shared/STYLE.md); where a cotangent depends on `axis` being None, an int
or a tuple, or on how many dimensions an argument has, the template calls one of
these functions instead, and the generated code reads as one call.
"""

import math

import numpy as np

from adjoint import runtime
from transforms.core.errors import AdjointError


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
    if keepdims:  # first: generated code calls this after every keepdims reduction
        return g
    shape = np.shape(x)
    if not shape:
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
    cotangent equally (the convention of PyTorch's and JAX's max).

    Ties are rare, and counting the elements of each reduction costs more than
    the rest together, so the count is only taken when there are more hits than
    results. A reduction with a NaN has no hit (its result is NaN, equal to
    nothing) and could hide a tie elsewhere in the total; it gets NaN.
    """
    hit = np.equal(x, keep_dims(ans, x, axis, keepdims))
    nan = np.count_nonzero(np.not_equal(ans, ans))
    if np.count_nonzero(hit) == np.size(ans) and not nan:
        return hit.astype(float)  # one hit per result: no ties, no NaN
    hit = hit.astype(float)
    hit /= np.add.reduce(hit, axis=axis, keepdims=True)  # a third faster than bools / ints
    return hit


def quantile_shares(x, q, axis=None, keepdims=False, method='linear', name='np.quantile'):
    """Which elements of `x` its `q`-quantile over `axis` (0 <= q <= 1, one number;
    NumPy's default method, 'linear') came from, and how much: the quantile is
    `(1 - f) lo + f hi`, `lo` and `hi` the order statistics around the virtual index
    `q (n - 1)`, so each of the k elements equal to `lo` gets `(1 - f) / k`, and so
    for `hi`: ties share, as for `np.max` (`share_of_extremum`). The median is the
    0.5-quantile. A reduction with a NaN (whose result is NaN) gets NaN.

    Returns:
        The shares, shaped like `x`; a number for a number.

    Raises:
        AdjointError: for another `method`, or for several quantiles at once.
    """
    if method != 'linear':
        raise AdjointError(f'the derivative of {name} with method={method!r} is not '
                           f'supported: only the default, method=\'linear\'')
    if np.ndim(q) != 0:
        raise AdjointError(f'the derivative of {name} of several quantiles at once is not '
                           f'supported: take one quantile q per call')
    x = np.asarray(x, dtype=float)
    if x.ndim == 0:
        return 1.0 if x == x else math.nan
    axes = reduced_axes(axis, x.ndim)
    order = [k for k in range(x.ndim) if k not in axes] + list(axes)
    moved = np.transpose(x, order)
    flat = moved.reshape(moved.shape[:x.ndim - len(axes)] + (-1,))
    n = flat.shape[-1]
    index = float(q) * (n - 1)
    low = min(int(math.floor(index)), n - 1)
    high = min(low + 1, n - 1)
    fraction = index - low
    ordered = np.sort(flat, axis=-1)
    shares = np.zeros(flat.shape)
    for k, weight in ((low, 1.0 - fraction), (high, fraction)):
        hit = flat == ordered[..., k:k + 1]
        shares += weight * hit / np.sum(hit, axis=-1, keepdims=True)
    shares[np.isnan(ordered[..., -1])] = math.nan  # NaN sorts last
    return np.transpose(shares.reshape(moved.shape), np.argsort(order))


def prod_of_others(x, axis=None, t1=None, t2=None, t3=None, t4=None, t5=None):
    """For each element of `x`, the product of the other elements of its reduction
    in `np.prod(x, axis)`: the derivative of the product, right where `x` has zeros
    (unlike `prod / x`). Exclusive products from the left and from the right.

    With directions `t1`... (shaped like `x`; None ones are ignored), the
    derivative of that along each of them in turn: for one direction `t`, element
    i gets the sum over j != i of `t[j]` times the product of the elements other
    than i and j (the Hessian of the product times `t`). The derivatives of this
    function are this function with one more direction (helper_rules.py), so it
    serves the derivatives of `np.prod` up to the fifth; `t5`, one more, raises.
    """
    if t5 is not None:
        raise AdjointError('derivatives of np.prod beyond the fifth order are not '
                           'supported; write the product out (x[0] * x[1] * ...)')
    x = np.asarray(x, dtype=float)
    directions = [np.broadcast_to(t, x.shape) for t in (t1, t2, t3, t4) if t is not None]
    axes = reduced_axes(axis, x.ndim)
    order = [k for k in range(x.ndim) if k not in axes] + list(axes)
    moved = np.transpose(x, order)
    flat = moved.reshape(moved.shape[:x.ndim - len(axes)] + (-1,))
    if directions:
        ts = [np.transpose(t, order).reshape(flat.shape) for t in directions]
        others = _mixed_products_of_others(flat, ts)
    else:
        ones = np.ones(flat.shape[:-1] + (1,))
        left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
        right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)
        others = left * right[..., ::-1]
    return np.transpose(others.reshape(moved.shape), np.argsort(order))


def _mixed_products_of_others(flat, ts):
    """`prod_of_others` along directions `ts`, over the last axis of `flat`.

    Each element is the polynomial `x + s_1 t_1 + ... + s_m t_m`, kept to its
    terms multilinear in the s's (a coefficient per subset of them, indexed by a
    bit mask); the product of the others' polynomials, from exclusive products
    from the left and from the right, has the mixed derivative as the coefficient
    of `s_1 ... s_m`.
    """
    full = (1 << len(ts)) - 1
    polys = np.zeros(flat.shape + (full + 1,))
    polys[..., 0] = flat
    for a, t in enumerate(ts):
        polys[..., 1 << a] = t
    one = np.zeros(flat.shape[:-1] + (full + 1,))
    one[..., 0] = 1.0
    n = flat.shape[-1]
    left, right = [one], [one]
    for i in range(n - 1):
        left.append(_multilinear_product(left[-1], polys[..., i, :]))
        right.append(_multilinear_product(right[-1], polys[..., n - 1 - i, :]))
    out = np.zeros(flat.shape)
    for i in range(n):
        lo, hi = left[i], right[n - 1 - i]
        out[..., i] = sum(lo[..., mask] * hi[..., full ^ mask] for mask in range(full + 1))
    return out


def _multilinear_product(a, b):
    """The product of two polynomials kept to their multilinear terms: the
    coefficient of subset S is the sum over subsets A of S of a[A] b[S - A]."""
    out = np.zeros(np.broadcast_shapes(a.shape, b.shape))
    for mask in range(out.shape[-1]):
        sub = mask
        while True:
            out[..., mask] += a[..., sub] * b[..., mask ^ sub]
            if sub == 0:
                break
            sub = (sub - 1) & mask
    return out


def max_share(x, y, split=False):
    """The part of the cotangent of `np.maximum(x, y)` that goes to `x`.

    1 where x > y, 0 where x < y. At a tie, 1/2 when `split` — both arguments are
    differentiated, so each gets half and `np.maximum(x, x)` has derivative 1 —
    and 0 otherwise, so that relu written as `np.maximum(x, 0)` has derivative 0
    at 0 (../../shared/DESIGN.md). The rules pass `split` from the compiler's
    `active_<name>` flags.
    """
    above = x > y
    return above + 0.5 * (x == y) if split else above


def inside(x, low, high):
    """Where `np.clip(x, low, high)` passes `x` through: strictly between the bounds
    (either may be None). At a bound the derivative is taken to be 0, as for
    `np.maximum(x, 0)` at 0."""
    above = True if low is None else x > low
    below = True if high is None else x < high
    return np.logical_and(above, below)


def select(condition, x):
    """`x` where `condition` holds and 0 elsewhere, broadcast together: one side of
    `np.where(condition, x, y)`, linear in `x` (a jvp rule's sum of two of these
    drops the side whose tangent is zero)."""
    return np.where(condition, x, 0.0)


def nan_loses(x, y):
    """Where `np.fmax(x, y)` and `np.fmin(x, y)` are `x` because `y` alone is NaN:
    there the cotangent goes to `x`, the number NumPy returns."""
    return np.logical_and(np.isnan(y), np.logical_not(np.isnan(x)))


def choice_index(condlist):
    """Which choice `np.select(condlist, choicelist, default)` takes at each
    element: the index of the first condition that holds, -1 (the default) where
    none does."""
    return np.select(condlist, list(range(len(condlist))), -1)


def unselect(g, which, choicelist):
    """The cotangents of the choices of `np.select` (`which` from `choice_index`):
    `g` where each is taken, summed to its shape; a list (an array, for an array
    `choicelist`)."""
    return items_like([runtime.unbroadcast(g * (which == k), choice)
                       for k, choice in enumerate(choicelist)], choicelist)


def selected(which, ts):
    """`ts[k]` where `which` is k, 0 where it is -1: `np.select` of the values
    `ts` (the tangents of its choices), linear in `ts`; its adjoint is `unselect`."""
    return np.select([which == k for k in range(len(ts))], list(ts), 0.0)


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


def shaped_as(t, like):
    """`t` reshaped to the shape of `like`, a NumPy scalar where `like` is a number
    (`np.corrcoef` of one variable is a float, `np.cov` of one a 0-d array)."""
    t = np.reshape(t, np.shape(like))
    return t if isinstance(like, np.ndarray) else t[()]


def items_like(g, xs):
    """The cotangent `g` of the items of `xs` (a list, a tuple or an array of them)
    in the form generated code keeps for the cotangent of `xs`: an array for an
    array, a list for a list or a tuple (made a tuple at the end, as `fill_like`'s
    are), whatever `g` is; zeros for the keys of a dict (`list(d)`), which carry
    no derivative. `g` itself where it has that form."""
    if isinstance(xs, np.ndarray):
        return g if isinstance(g, np.ndarray) else np.array(g, dtype=float)
    if isinstance(xs, dict):
        return runtime.zeros_like(xs)
    return g if isinstance(g, list) or not isinstance(xs, (list, tuple)) else list(g)


def unconcatenate(g, xs, axis=0):
    """The cotangents of the items `xs` of `np.concatenate(xs, axis)`: the pieces
    of `g`, as a list (an array, for an array `xs`). `axis=None` concatenates the
    flattened items."""
    if axis is None:
        sizes = [np.size(x) for x in xs]
        pieces = np.split(np.ravel(g), np.cumsum(sizes)[:-1])
    else:
        sizes = [np.shape(x)[axis] for x in xs]
        pieces = np.split(g, np.cumsum(sizes)[:-1], axis=axis)
    return items_like([np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)], xs)


# np.r_[...] and np.c_[...] build an array from their index: the compiler calls
# `r_(index)` and `c_(index)` instead (registry.subscript_function), whose rules
# see the items. r_ joins them along the first axis, each made at least 1-d; c_
# along the last, each made at least 2-d with a vector standing as a column.
_JOINS = {'r': (0, 'np.concatenate((a, b, ...))'), 'c': (-1, 'np.column_stack((a, b, ...))')}


def r_(index):
    """`np.r_[index]`, as a function (see `joined`)."""
    return np.r_[index]


def c_(index):
    """`np.c_[index]`, as a function (see `joined`)."""
    return np.c_[index]


def _joined_items(index, how):
    """The items of `np.r_[index]` (`how` 'r') or `np.c_[index]` ('c'), each shaped
    as it is joined.

    Raises:
        AdjointError: for a slice (`np.r_[0:3, x]`) or a string directive
            (`np.r_['0,2', x, y]`), which these rules do not differentiate.
    """
    axis, instead = _JOINS[how]
    items = index if isinstance(index, tuple) else (index,)
    shapes = []
    for item in items:
        if isinstance(item, slice):
            raise AdjointError(f'the derivative of np.{how}_[...] with a slice is not '
                               f'supported: write {instead}, with {_as_range(item)} for '
                               f'the range')
        if isinstance(item, str):
            raise AdjointError(f'the derivative of np.{how}_[...] with the directive '
                               f'{item!r} is not supported: write {instead}, or np.stack')
        shape = np.shape(item)
        if how == 'r':
            shapes.append(shape or (1,))
        else:
            shapes.append({0: (1, 1), 1: shape + (1,)}.get(len(shape), shape))
    return items, shapes, axis


def _as_range(item):
    """What `np.r_` makes of slice `item`: `np.arange(...)`, or `np.linspace(...)`
    for a complex step (`0:1:5j`, five points)."""
    start, stop, step = item.start or 0, item.stop, item.step
    if isinstance(step, complex):
        return f'np.linspace({start}, {stop}, {int(abs(step))})'
    bounds = (start, stop, step) if step else (start, stop) if start else (stop,)
    return f'np.arange({", ".join(map(str, bounds))})'


def joined(dindex, index, how):
    """`np.r_[dindex]` (`how` 'r') or `np.c_[dindex]` ('c') for the tangent
    `dindex` of `index`, which has its items (a list, for a tuple `index`)."""
    _joined_items(index, how)
    if isinstance(index, tuple):
        dindex = tuple(dindex)
    return np.r_[dindex] if how == 'r' else np.c_[dindex]


def unjoined(g, index, how):
    """The cotangent of `index` in `np.r_[index]` (`how` 'r') or `np.c_[index]`
    ('c'): the pieces of `g`, one per item, each shaped like its item; a list for
    a tuple `index`."""
    items, shapes, axis = _joined_items(index, how)
    sizes = [shape[axis] for shape in shapes]
    pieces = np.split(g, np.cumsum(sizes)[:-1], axis=axis)
    cotangents = [np.reshape(p, np.shape(item)) for p, item in zip(pieces, items)]
    if isinstance(index, tuple):
        return cotangents
    return items_like(cotangents[0], index)


def unstack(g, xs, axis=0):
    """The cotangents of the items of `np.stack(xs, axis)`, as a list (an array,
    for an array `xs`)."""
    return items_like([np.reshape(p, np.shape(x)) for p, x in zip(np.moveaxis(g, axis, 0), xs)],
                      xs)


def unhstack(g, xs):
    """The cotangents of the items of `np.hstack(xs)` (axis 1, or 0 for vectors),
    as a list (an array, for an array `xs`)."""
    pieces = unconcatenate(g, [np.atleast_1d(x) for x in xs],
                           0 if np.ndim(xs[0]) <= 1 else 1)
    return items_like([np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)], xs)


def unvstack(g, xs):
    """The cotangents of the items of `np.vstack(xs)` (rows: vectors become 1 x n),
    as a list (an array, for an array `xs`)."""
    pieces = unconcatenate(g, [np.atleast_2d(x) for x in xs], 0)
    return items_like([np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)], xs)


def uncolumn_stack(g, xs):
    """The cotangents of the items of `np.column_stack(xs)` (vectors and numbers
    are columns, arrays of two or more dimensions are joined along axis 1), as a
    list (an array, for an array `xs`)."""
    columns = [x if np.ndim(x) >= 2 else np.reshape(x, (-1, 1)) for x in xs]
    pieces = unconcatenate(g, columns, 1)
    return items_like([np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)], xs)


def undstack(g, xs):
    """The cotangents of the items of `np.dstack(xs)` (joined along axis 2, each
    made three-dimensional first, as `np.atleast_3d` makes it), as a list (an
    array, for an array `xs`)."""
    pieces = unconcatenate(g, [np.atleast_3d(x) for x in xs], 2)
    return items_like([np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)], xs)


def rolled_axis_position(x, axis, start=0):
    """Where `np.rollaxis(x, axis, start)` puts axis `axis`: at `start`, or just
    before it when `start` is past `axis`; `np.moveaxis(result, position, axis)`
    undoes the roll."""
    ndim = np.ndim(x)
    axis = axis % ndim
    start = start + ndim if start < 0 else start
    return start - 1 if start > axis else start


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


# ---------------------------------------------------------------- differences


def undiff(g, n=1, axis=-1):
    """The cotangent of `x` in `np.diff(x, n, axis)`: the transpose of n first
    differences, which is (-1)^n times the n-th differences of `g` with n zeros
    added at either end of `axis`."""
    widths = [(0, 0)] * np.ndim(g)
    widths[axis] = (n, n)
    return (-1.0) ** n * np.diff(np.pad(g, widths), n, axis)


def gradient_spacing(spacing):
    """`spacing` of `np.gradient(f, spacing)`, checked to be one number (the same
    for every axis), the only spacing whose derivative adjoint knows.

    Raises:
        AdjointError: for coordinates of the samples (an array).
    """
    if np.ndim(spacing) != 0:
        raise AdjointError(
            'np.gradient is differentiated with one number as its spacing only (the '
            'same for every axis), not with the coordinates of the samples: for an '
            'evenly spaced grid pass its step, np.gradient(f, x[1] - x[0]); for another, '
            'write the differences out with np.diff (np.diff(f) / np.diff(x))')
    return spacing


def _gradient_axes(f, axis):
    """The axes `np.gradient(f, axis=axis)` differentiates along, in its order."""
    ndim = np.ndim(f)
    if axis is None:
        return tuple(range(ndim))
    return tuple(int(a) % ndim for a in (axis if isinstance(axis, (tuple, list)) else (axis,)))


def _gradient_transposed(c, edge_order):
    """The transpose of np.gradient's differences along axis 0 with spacing 1,
    applied to `c`: central differences inside, one-sided ones of `edge_order`
    (1 or 2) at the two ends."""
    out = np.zeros(np.shape(c))
    out[2:] += 0.5 * c[1:-1]
    out[:-2] -= 0.5 * c[1:-1]
    if edge_order == 1:
        out[0] -= c[0]
        out[1] += c[0]
        out[-1] += c[-1]
        out[-2] -= c[-1]
    else:
        out[:3] += np.multiply.outer([-1.5, 2.0, -0.5], c[0])
        out[-3:] += np.multiply.outer([0.5, -2.0, 1.5], c[-1])
    return out


def ungradient(g, f, spacing=1.0, axis=None, edge_order=1):
    """The cotangent of `f` in `np.gradient(f, spacing, axis=axis,
    edge_order=edge_order)`: each cotangent in `g` (one per axis, a sequence, for
    more than one axis) through the transpose of the differences along its axis,
    summed.

    Raises:
        AdjointError: for coordinates as the spacing (see `gradient_spacing`).
    """
    spacing = gradient_spacing(spacing)
    axes = _gradient_axes(f, axis)
    cotangents = [g] if len(axes) == 1 else g
    out = np.zeros(np.shape(f))
    for k, c in zip(axes, cotangents):
        moved = np.moveaxis(np.broadcast_to(c, np.shape(f)), k, 0)
        out += np.moveaxis(_gradient_transposed(moved, edge_order), 0, k)
    return out / spacing


# ---------------------------------------------------------------- Python's max, min and sorted


PLACES = 6  # the positional arguments of `max(x, y, ...)` that its rules take


def extremum_shares(ans, x, y=None, z=None, u=None, v=None, w=None, *, differentiated=0,
                    key=None, default=None):
    """The part of the cotangent of `max(...)` or `min(...)` (of result `ans`) that
    goes to each argument: a tuple of one share per positional place (0.0 at the
    places not passed), and last, that of `default`.

    Of several numbers (floats, ints, 0-d arrays), those equal to `ans` share it
    equally, so `max(x, x)` has derivative 1; but if one of them is not
    differentiated, none gets anything, so that relu written as `max(x, 0.0)` has
    derivative 0 at 0, as `np.maximum(x, 0.0)` has (../../shared/DESIGN.md).
    Bit k of `differentiated` is set where the argument at place k is (the rules
    build it from the compiler's `active_<name>` flags).

    Of one list, tuple or 1-d array `x` (`max(xs)`), the share of `x` is a float
    array of its length, 1/k at each of the k items equal to `ans` (which of
    them are differentiated is not known: they share, as in `np.max`); an empty
    `x` gives its result, `default`, all of it.

    A result equal to nothing (NaN) shares NaN, as `np.max`'s does.

    Raises:
        AdjointError: for `key=`, and for more than `PLACES` arguments (whose
            rules bind the seventh to `default`, which follows the places).
    """
    if key is not None:
        raise AdjointError(
            '`max(..., key=...)` and `min(..., key=...)` are not differentiated: adjoint '
            'does not follow the choice of a key function; pick the index instead, as '
            '`xs[int(np.argmax([f(x) for x in xs]))]`, or drop `key=`')
    if y is not None and default is not None:  # max() itself rejects a real default here
        raise AdjointError(
            f'`max` and `min` are differentiated with at most {PLACES} arguments: pass '
            f'more as one list, `max([a, b, ...])`')
    if y is None:
        items = np.asarray(x if isinstance(x, (list, tuple, np.ndarray)) else list(x),
                           dtype=float)
        if items.size == 0:
            return (items,) + (0.0,) * (PLACES - 1) + (1.0,)
        hits = np.equal(items, ans).astype(float)
        first = hits / np.sum(hits) if hits.any() else np.full(items.shape, np.nan)
        return (first,) + (0.0,) * PLACES
    args = (x, y, z, u, v, w)
    hits = [a is not None and bool(a == ans) for a in args]
    count = sum(hits)
    if count == 0:  # `ans` is NaN
        return tuple(np.nan if a is not None else 0.0 for a in args) + (0.0,)
    if any(hit and not differentiated & 1 << k for k, hit in enumerate(hits)):
        return (0.0,) * (PLACES + 1)  # a tie with a constant (relu at 0)
    return tuple(1.0 / count if hit else 0.0 for hit in hits) + (0.0,)


def shared_tangent(t, share):
    """`t * share`, the tangent that an argument of tangent `t` gives `max(...)` or
    `min(...)` (see `extremum_shares`); for the share of one list, tuple or array
    `xs` (an array), the sum of the items' tangents times their shares."""
    if not isinstance(share, np.ndarray):
        return t * share
    total = np.sum(share * np.asarray(t, dtype=float), axis=0)
    return float(total) if total.ndim == 0 else total


def sort_order(xs, reverse=False, key=None):
    """Where `sorted(xs, reverse=reverse)` takes its items from: the indices of
    `xs` in the order of Python's stable sort (tied items keep their order, with
    `reverse=True` too).

    Raises:
        AdjointError: for `key=`.
    """
    if key is not None:
        raise AdjointError(
            '`sorted(xs, key=...)` is not differentiated: adjoint does not follow the '
            'order of a key function; sort the indices instead, `order = sorted(range('
            'len(xs)), key=...)`, and read `[xs[i] for i in order]`')
    items = list(xs)
    return sorted(range(len(items)), key=items.__getitem__, reverse=reverse)


def permuted(t, order):
    """`[t[i] for i in order]`: the tangent of `sorted(xs)` from the tangent `t` of
    `xs` (a list, or an array for an array `xs`)."""
    return [t[i] for i in order]


def unpermuted(g, order, xs):
    """The cotangent of `xs` in `sorted(xs)`, from the cotangent `g` of the sorted
    list: `g[k]` at `order[k]`, in the form of `xs` (a list for a list or tuple,
    an array for an array)."""
    if isinstance(xs, np.ndarray):
        out = np.zeros(np.shape(xs))
        out[order] = g
        return out
    out = [0.0] * len(order)
    for k, i in enumerate(order):
        out[i] = g[k]
    return out


# ---------------------------------------------------------------- Python's dict


def pairs_cotangent(g, pairs):
    """The cotangent of what `dict(pairs)` is made of, from the cotangent `g` of
    the dict: `g` itself for a mapping; for (key, value) pairs, a `[0.0, g[key]]`
    for each (a list: the form generated code keeps for a tuple's cotangent),
    with zeros for a value that a later pair with the same key replaced."""
    if isinstance(pairs, dict):
        return g
    items = list(pairs)
    last = {key: k for k, (key, _) in enumerate(items)}
    return [[runtime.zeros_like(key),
             g[key] if last[key] == k and key in g else runtime.zeros_like(value)]
            for k, (key, value) in enumerate(items)]


def pairs_tangent(t, pairs):
    """The tangent of `dict(pairs)` from the tangent `t` of `pairs`: the dict of
    the values' tangents under the keys of `pairs` (whose own tangents are
    zeros, not keys)."""
    if isinstance(pairs, dict):
        return dict(t)
    return {key: item[1] for (key, _), item in zip(pairs, t)}


# ---------------------------------------------------------------- special functions


def sinc_derivative(x, n=1):
    """The n-th derivative of `np.sinc` (sin(pi x) / (pi x), 1 at 0) at `x`.

    Its derivatives are this function with `n + 1` (helper_rules.py), so it serves
    every order. Where |x| < 1 it sums the Taylor series of sinc term by term,
    sum over k of (-1)^k pi^(2k) x^(2k-n) / ((2k-n)! (2k+1)), which is exact at 0
    (0 for odd n) and avoids the cancellation of `cos(pi x) - sinc(x)` near it;
    elsewhere it takes Leibniz's rule for sin(pi x) times 1 / (pi x). The two
    agree to a few units in the last place where they meet.
    """
    x = np.asarray(x, dtype=float)
    n = int(n)
    small = np.abs(x) < 1.0
    z = np.pi * np.where(small, x, 0.0)
    k = (n + 1) // 2  # the first term whose power of x survives n derivatives
    power = 2 * k - n
    term = z ** power / math.factorial(power)  # z^(2k-n) / (2k-n)!, updated below
    series = np.zeros(x.shape)
    for _ in range(20):  # |z| < pi: the 20th term is below 1e-20 of the first
        series += (-1) ** k * term / (2 * k + 1)
        term = term * (z * z / ((power + 1) * (power + 2)))
        k, power = k + 1, power + 2
    far = np.where(small, 1.0, x)
    sin, cos = np.sin(np.pi * far), np.cos(np.pi * far)
    phases = (sin, cos, -sin, -cos)  # the derivatives of sin(pi x), over pi^j
    closed = np.zeros(x.shape)
    for j in range(n + 1):
        m = n - j  # 1 / (pi x) differentiated m times: (-1)^m m! / (pi x^(m+1))
        closed += (math.comb(n, j) * np.pi ** (j - 1) * (-1) ** m * math.factorial(m)
                   * phases[j % 4] / far ** (m + 1))
    return np.where(small, series * np.pi ** n, closed)[()]


def bessel_i(x, n=0):
    """The modified Bessel function of the first kind I_n(x), for an int `n`.

    `np.i0` is I_0, and its derivative is I_1, which NumPy does not have; the
    derivative of I_n is (I_(n-1) + I_(n+1)) / 2 (and I_-n = I_n), so this serves
    `np.i0`'s derivatives of every order (helper_rules.py). I_0 is `np.i0`; for
    n > 0, the power series sum over k of (x/2)^(2k+n) / (k! (k+n)!), whose terms
    all have one sign: no cancellation, and a relative error of a few units in the
    last place up to |x| = 700, near where I_n overflows (against the asymptotic
    expansion, in tests/test_numpy_more.py). It takes about |x| / 2 + 40 terms.
    """
    n = abs(int(n))
    x = np.asarray(x, dtype=float)
    if n == 0:
        return np.i0(x)[()]
    half = x / 2.0
    square = half * half
    term = half ** n / math.factorial(n)
    total = np.array(term)
    k = 0
    going = np.isfinite(total) & (total != 0)
    while np.any(going):
        k += 1
        term = term * (square / (k * (k + n)))  # not `term * square`: no overflow first
        total = total + term
        going = np.isfinite(total) & (np.abs(term) > 0.25 * np.finfo(float).eps * np.abs(total))
    return total[()]


def float_target(t, dtype):
    """`t`, the tangent or cotangent of `x.astype(dtype)`, after checking that
    `dtype` is a float type: the cast is then the identity (up to rounding).

    Raises:
        AdjointError: for any other type, an int above all, whose cast rounds
            (its derivative is 0 almost everywhere, and rarely what is meant).
    """
    kind = np.dtype(dtype).kind
    if kind != 'f':
        raise AdjointError(f'x.astype({np.dtype(dtype).name}) is not differentiated: the '
                           f'derivative of a cast is taken only to a float type; cast to '
                           f'float, and round with np.floor or np.round (derivative 0) '
                           f'where that is meant')
    return t


def finite_part(t, x, copy=True):
    """`t` where `x` is finite, 0 where `np.nan_to_num(x, copy)` replaces `x`: 0
    even where `t` is NaN or inf, as the tangent of a replaced inf often is
    (`t * np.isfinite(x)` would be NaN there). A float for scalars.

    Raises:
        AdjointError: for `copy=False`, which replaces the elements of `x` in
            place, behind the back of the derivative that still reads `x`.
    """
    if not copy:
        raise AdjointError('np.nan_to_num(x, copy=False) changes x in place, which adjoint '
                           'cannot follow: leave out copy=False (y = np.nan_to_num(x))')
    return np.where(np.isfinite(x), t, 0.0)[()]


def not_differentiated(call, name, active):
    """Raise where argument `name` of `call` is differentiated (`active`, the
    compiler's `active_<name>` flag), which adjoint does not differentiate it in.
    0.0 otherwise: a jvp rule multiplies it by that argument's tangent, so that the
    check is made where the tangent is not zero.

    Raises:
        AdjointError: naming the argument and the call.
    """
    if active:
        raise AdjointError(f'{call} is not differentiated with respect to its argument '
                           f'{name}: pass {name} as a constant (or register a rule of '
                           f'your own with adjoint.vjp_rule)')
    return 0.0


# ---------------------------------------------------------------- scans


def _scanned_last(a, axis):
    """`a` as floats with the scanned axis last: flattened, for `axis=None`."""
    a = np.asarray(a, dtype=float)
    return np.ravel(a) if axis is None else np.moveaxis(a, axis, -1)


def _scan_directions(x, axis, ts, most):
    """The directions `ts` that are not None, shaped like `x`, scanned axis last."""
    ts = [t for t in ts if t is not None]
    if len(ts) > most:
        raise AdjointError('derivatives of np.cumprod beyond the fifth order are not '
                           'supported; write the products out (x[0] * x[1] * ...)')
    return [_scanned_last(np.broadcast_to(t, np.shape(x)), axis) for t in ts]


def _split_at_first_zero(flat):
    """What the first derivatives of `np.cumprod` along the last axis of `flat`
    need to be exact with zeros and still vectorized: dividing by an element is
    exact before the first zero of its row, only the zero itself gets a
    cotangent among the rest, and through it only the products after it count.

    Returns:
        `(products, before, at, lead, rest)`: the cumulative products; masks of
        the elements before the first zero and of that zero; the product of the
        elements before it (keeping the axis); `rest[i]`, the product of the
        elements after the zero up to i (1 up to the zero). None where a product
        before a first zero is subnormal, inf or NaN, which division would spoil
        (and for an empty axis, which has no first element to find).
    """
    n = flat.shape[-1]
    if n == 0:
        return None
    index = np.arange(n)
    zero = flat == 0
    first = np.where(np.any(zero, axis=-1), np.argmax(zero, axis=-1), n)[..., None]
    before, at = index < first, index == first
    products = np.cumprod(flat, axis=-1)
    divisors = np.abs(np.where(before, products, 1.0))
    if not (np.all(divisors >= np.finfo(float).tiny) and np.all(divisors < np.inf)):
        return None
    lead = np.prod(np.where(before, flat, 1.0), axis=-1, keepdims=True)
    rest = np.cumprod(np.where(index <= first, 1.0, flat), axis=-1)
    return products, before, at, lead, rest


def _directional_polynomials(flat, ts):
    """Each element as the polynomial `x + s_1 t_1 + ... + s_m t_m`, kept to its
    multilinear terms: a coefficient per subset of the s's, by bit mask (see
    `_mixed_products_of_others`), along a new last axis."""
    polys = np.zeros(flat.shape + (1 << len(ts),))
    polys[..., 0] = flat
    for a, t in enumerate(ts):
        polys[..., 1 << a] = t
    return polys


def cumprod_tangent(x, axis=None, t1=None, t2=None, t3=None, t4=None, t5=None, t6=None):
    """The derivative of `np.cumprod(x, axis)` along directions `t1`... (shaped like
    `x`, at least one; None ones are ignored): for one direction `t`, result i is
    the sum over k <= i of `t[k]` times the product of the elements up to i other
    than k; for several, the mixed derivative along each in turn. Right where `x`
    has zeros: `cumprod * cumsum(t / x)` (NaN at a zero) only before the first
    zero of a row (`_split_at_first_zero`), and products of the directions'
    polynomials where no division is exact or there are several directions.

    The derivatives of this function are this function with one more direction,
    and `cumprod_grad` (its adjoint; helper_rules.py), so the two serve the
    derivatives of `np.cumprod` up to the fifth; `t6`, one more, raises.
    """
    flat = _scanned_last(x, axis)
    ts = _scan_directions(x, axis, (t1, t2, t3, t4, t5, t6), most=5)
    parts = _split_at_first_zero(flat) if len(ts) == 1 else None
    if parts is not None:
        products, before, at, lead, rest = parts
        t = ts[0]
        scaled = np.cumsum(np.where(before, t / np.where(before, flat, 1.0), 0.0), axis=-1)
        through_zero = np.sum(np.where(at, t, 0.0), axis=-1, keepdims=True) * lead * rest
        out = np.where(before, products * scaled, through_zero)
    else:
        polys = _directional_polynomials(flat, ts)
        full = polys.shape[-1] - 1
        out = np.zeros(flat.shape)
        running = None
        for i in range(flat.shape[-1]):
            running = polys[..., i, :] if running is None else \
                _multilinear_product(running, polys[..., i, :])
            out[..., i] = running[..., full]
    return out if axis is None else np.moveaxis(out, -1, axis)


def cumprod_grad(g, x, axis=None, t1=None, t2=None, t3=None, t4=None, t5=None):
    """The cotangent of `x` in `np.cumprod(x, axis)` from its cotangent `g`: element
    k gets the sum over i >= k of `g[i]` times the product of the elements up to i
    other than k. Right where `x` has zeros: `revcumsum(g * cumprod) / x` only
    before the first zero of a row (`_split_at_first_zero`); where no division is
    exact, the exclusive product from the left times a sum from the right,
    `s[k] = g[k] + x[k + 1] * s[k + 1]`.

    With directions `t1`... (shaped like `x`; None ones are ignored), the
    derivative of that along each of them in turn (the Hessian of the products,
    contracted with `g`, times `t`; see `cumprod_tangent`). `t5` raises.
    """
    flat = _scanned_last(x, axis)
    ts = _scan_directions(x, axis, (t1, t2, t3, t4, t5), most=4)
    g = np.broadcast_to(g, flat.shape) if axis is None else \
        np.moveaxis(np.broadcast_to(g, np.shape(x)), axis, -1)
    n = flat.shape[-1]
    parts = _split_at_first_zero(flat) if not ts else None
    if parts is not None:
        products, before, at, lead, rest = parts
        weighted = np.where(before, g * products, 0.0)
        from_right = np.flip(np.cumsum(np.flip(weighted, -1), axis=-1), -1)
        after = np.sum(np.where(before, 0.0, g * rest), axis=-1, keepdims=True)
        out = np.where(before, from_right / np.where(before, flat, 1.0),
                       np.where(at, lead * after, 0.0))
    else:
        polys = _directional_polynomials(flat, ts)
        full = polys.shape[-1] - 1
        constant = np.zeros(polys.shape[:-2] + polys.shape[-1:])
        constant[..., 0] = 1.0
        lefts = [constant]  # lefts[k]: the product of the polynomials before k
        for i in range(n - 1):
            lefts.append(_multilinear_product(lefts[-1], polys[..., i, :]))
        out = np.zeros(flat.shape)
        right = None  # the sum from the right, s[k], as a polynomial
        for k in reversed(range(n)):
            here = constant * g[..., k, None]
            right = here if right is None else \
                here + _multilinear_product(polys[..., k + 1, :], right)
            out[..., k] = sum(lefts[k][..., mask] * right[..., full ^ mask]
                              for mask in range(full + 1))
    return np.reshape(out, np.shape(x)) if axis is None else np.moveaxis(out, -1, axis)


# ---------------------------------------------------------------- diagonals, appends, pads


def diagonal_grad(g, x, offset=0, axis1=0, axis2=1):
    """The cotangent of `np.diagonal(x, offset, axis1, axis2)`: `g` (the diagonal
    last, as np.diagonal gives it) placed on that diagonal of zeros shaped like `x`."""
    shape = np.shape(x)
    first, second = axis1 % len(shape), axis2 % len(shape)
    rest = [n for k, n in enumerate(shape) if k not in (first, second)]
    out = np.zeros(rest + [shape[first], shape[second]])
    steps = np.arange(np.shape(g)[-1])
    out[..., steps + max(-offset, 0), steps + max(offset, 0)] = g
    return np.moveaxis(out, (-2, -1), (first, second))


def diag_grad(g, v, k=0):
    """The cotangent of `np.diag(v, k)`: of a vector `v` (a matrix result), the k-th
    diagonal of `g`; of a matrix (a vector result, its k-th diagonal), `g` placed
    on that diagonal. Its own adjoint is `diag_grad(gg, g, k)`."""
    if np.ndim(v) == 1:
        return np.diag(g, k)
    return diagonal_grad(g, v, k)


def part_of(g, x, other, axis=None, first=True):
    """The part of `g` that is `x`'s, where `g` is shaped like `np.append(x, other,
    axis)` (if `first`) or `np.append(other, x, axis)`: shaped like `x`. So the
    cotangents of `np.append(arr, values, axis)` are `part_of(g, arr, values,
    axis)` and `part_of(g, values, arr, axis, False)`."""
    if axis is None:  # both flattened
        start = 0 if first else np.size(other)
        piece = np.reshape(np.ravel(g)[start:start + np.size(x)], np.shape(x))
        return piece if isinstance(x, np.ndarray) else piece[()]
    axis = axis % np.ndim(g)
    start = 0 if first else np.shape(other)[axis]
    return g[(slice(None),) * axis + (slice(start, start + np.shape(x)[axis]),)]


def with_zeros(t, other, axis=None, first=True):
    """`np.append(t, zeros, axis)` (if `first`) or `np.append(zeros, t, axis)`, for
    zeros shaped like `other`: the adjoint of `part_of`, and one term of the
    tangent of `np.append` (that of an argument whose tangent is zero drops out)."""
    zeros = np.zeros(np.shape(other))
    return np.append(t, zeros, axis) if first else np.append(zeros, t, axis)


def _constant_padding(mode):
    if not (isinstance(mode, str) and mode == 'constant'):
        raise AdjointError(f'the derivative of np.pad with mode={mode!r} is not supported: '
                           f'only mode="constant"; build the padding from slices of the '
                           f'array with np.concatenate')


def padded(t, pad_width, mode='constant'):
    """`np.pad(t, pad_width)` with zeros, after checking that `mode` is 'constant',
    the only one supported: the tangent of `np.pad(x, pad_width, mode)` in `x`,
    and the adjoint of `unpadded`.

    Raises:
        AdjointError: for another mode, naming it.
    """
    _constant_padding(mode)
    return np.pad(t, pad_width)


def unpadded(g, pad_width, mode='constant', fill_differentiated=False):
    """The cotangent of `x` in `np.pad(x, pad_width, mode)`: `g` without the padding
    (a view of it), after the check of `padded`, its adjoint. `pad_width` is read
    as np.pad reads it: one width, (before, after), or a pair (or one width) per axis.

    Raises:
        AdjointError: for another mode; for a differentiated `constant_values`
            (`fill_differentiated`), a keyword argument, which reverse mode gives
            no cotangent.
    """
    _constant_padding(mode)
    if fill_differentiated:
        raise AdjointError('np.pad is not differentiated with respect to constant_values in '
                           'reverse mode (a keyword argument gets no cotangent): pad with '
                           'zeros and add c * (1 - np.pad(np.ones_like(x), pad_width)), or '
                           'use forward mode (adjoint.jvp)')
    widths = np.broadcast_to(np.asarray(pad_width), (np.ndim(g), 2))
    return g[tuple(slice(int(before), n - int(after))
                   for (before, after), n in zip(widths, np.shape(g)))]


def padding_of(x, pad_width, mode='constant', constant_values=0):
    """Where `np.pad(x, pad_width, mode, constant_values=c)` puts `c`: 1.0 there, 0
    at the elements of `x`. The derivative of the result in one number `c`.

    Raises:
        AdjointError: for another mode; for a constant per axis (pairs of them).
    """
    _constant_padding(mode)
    if np.ndim(constant_values) != 0:
        raise AdjointError('np.pad is differentiated with respect to one constant_values, '
                           'not one per axis: pad in steps, one axis at a time')
    return np.pad(np.zeros(np.shape(x)), pad_width, constant_values=1.0)


# ---------------------------------------------------------------- selection by index


def _taken(indices, n, mode):
    """The indices `np.take` reads along an axis of length n, after its `mode`."""
    if mode == 'wrap':
        return np.mod(indices, n)
    if mode == 'clip':
        return np.clip(indices, 0, n - 1)
    return indices


def untake(g, x, indices, axis=None, mode='raise'):
    """The cotangent of `np.take(x, indices, axis, mode=mode)`: `g` added into
    zeros shaped like `x` where the elements came from (a repeated index adds up)."""
    shape = np.shape(x)
    if axis is None:  # indices into the flattened x
        out = np.zeros(np.size(x))
        np.add.at(out, _taken(indices, np.size(x), mode), g)
        return np.reshape(out, shape)
    axis = axis % len(shape)
    out = np.zeros(shape)
    np.add.at(out, (slice(None),) * axis + (_taken(indices, shape[axis], mode),), g)
    return out


def placed_order(x, ans, axis=-1):
    """The indices that take the elements of `x` to where `ans`, a permutation of
    them along `axis` (np.partition's result; of the flattened `x` for axis None),
    has them: `np.take_along_axis(x, placed_order(x, ans, axis), axis)` is `ans`.
    Equal elements are matched in order, the first of them in `x` to the first of
    their places in `ans`, as a stable sort matches them (np.sort's rule)."""
    if axis is None:
        x, axis = np.ravel(x), 0
    by_value = np.argsort(x, axis=axis, kind='stable')
    rank = np.argsort(np.argsort(ans, axis=axis, kind='stable'), axis=axis, kind='stable')
    return np.take_along_axis(by_value, rank, axis)


def untake_along_axis(g, x, indices, axis=-1):
    """The cotangent of `np.take_along_axis(x, indices, axis)` (and so of `np.sort`):
    `g` added into zeros shaped like `x` where the elements came from. A repeated
    index adds up, and so do the copies of an axis of length 1 of `x` that
    `indices` broadcasts it to."""
    if axis is None:  # indices into the flattened x
        out = np.zeros(np.size(x))
        np.add.at(out, indices, g)
        return np.reshape(out, np.shape(x))
    shape = np.shape(x)
    axis = axis % len(shape)
    where = [indices if k == axis else
             np.reshape(np.arange(n), [n if j == k else 1 for j in range(len(shape))])
             for k, n in enumerate(shape)]
    out = np.zeros(shape)
    np.add.at(out, tuple(where), g)
    return out


def distinct_order(ar, ans):
    """The indices of the elements of `ans`, `np.unique(ar)`, in the flattened `ar`,
    where `ar` repeats no value: then `ans` is a permutation of it (sorted), and
    `np.take(ar, distinct_order(ar, ans))` is `ans`.

    Raises:
        AdjointError: where `ar` repeats a value: np.unique's result has fewer
            elements than `ar`, and moving one of the repeated elements makes one
            more, so there is no derivative.
    """
    if np.size(ans) != np.size(ar):
        raise AdjointError(
            'the derivative of np.unique is not defined where its argument repeats a value: '
            'moving one of the copies adds an element to the result. It is defined where '
            'the values are distinct (then np.unique is np.sort of them); to sum or '
            'count repeated values, use np.unique outside the differentiated code')
    return placed_order(ar, ans, None)


# ---------------------------------------------------------------- meshgrid


def _mesh_axis(k, ndim, indexing):
    """The axis of the results of np.meshgrid along which its k-th argument runs:
    k, but for the first two of 'xy' indexing, which are swapped."""
    return 1 - k if indexing == 'xy' and ndim > 1 and k < 2 else k


def meshgrid_grad(g, x, k, indexing='xy'):
    """The cotangent of the k-th argument `x` of `np.meshgrid(..., indexing=...)`,
    from the cotangents `g` of its results (one per argument): `g[k]` summed over
    every axis but that of `x`, shaped like `x`."""
    gk = np.asarray(g[k], dtype=float)
    axis = _mesh_axis(k, gk.ndim, indexing)
    return np.reshape(np.sum(gk, axis=tuple(j for j in range(gk.ndim) if j != axis)),
                      np.shape(x))


def meshgrid_part(t, results, k, indexing='xy'):
    """The tangents of the results of np.meshgrid (`results`) for a tangent `t` of
    its k-th argument alone: zeros, but `t` laid along its axis in result k. One
    term of the tangent of np.meshgrid, and the adjoint of `meshgrid_grad`."""
    out = [np.zeros(np.shape(r)) for r in results]
    shape = [1] * np.ndim(out[k])
    shape[_mesh_axis(k, len(shape), indexing)] = -1
    out[k] = out[k] + np.reshape(t, shape)
    return out


# ---------------------------------------------------------------- the gamma function

# B_2, B_4, ..., B_20: the Bernoulli numbers of the asymptotic series of polygamma.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
              43867 / 798, -174611 / 330)


def polygamma(x, n=0):
    """The polygamma function psi^(n)(x) of a real number `x`, as a Python float:
    the digamma function psi(x) = d lgamma(x) / dx for n = 0 (the derivative of
    `math.lgamma`, and `math.gamma(x) * psi(x)` that of `math.gamma`), trigamma
    for n = 1, and so on; the derivative of psi^(n) is psi^(n+1), so the rules
    of `math.gamma` and `math.lgamma` compose to any order. NaN at the poles,
    0, -1, -2, ..., where gamma itself raises.

    Accurate to a few units in the last place (relative to the largest term):
    for x >= 0 the recurrence psi^(n)(x) = psi^(n)(x + 1) - (-1)^n n! / x^(n+1)
    moves x above 10 + 2n, where the asymptotic series (Abramowitz and Stegun
    6.3.18, 6.4.11) to B_20 is exact to float precision; for x < 0 the
    reflection formula (-1)^n psi^(n)(1 - x) - pi d^n/dx^n cot(pi x) (A&S 6.4.7).
    """
    x, n = float(x), int(n)
    if n < 0:
        raise ValueError(f'polygamma of order {n}: the order is 0 (digamma) or more')
    if not math.isfinite(x):  # psi(inf) = inf, its derivatives 0; -inf is a limit of poles
        return (math.inf if n == 0 else 0.0) if x > 0 else math.nan
    if x <= 0.0 and x.is_integer():
        return math.nan
    if x < 0.0:
        return (-1) ** n * polygamma(1.0 - x, n) - math.pi * _cot_derivative(x, n)
    shifted = []
    while x < 10.0 + 2 * n:
        shifted.append(x ** -(n + 1))
        x += 1.0
    if n == 0:
        series = math.log(x) - 0.5 / x - math.fsum(
            b / (2 * k * x ** (2 * k)) for k, b in enumerate(_BERNOULLI, 1))
        return series - math.fsum(shifted)
    terms = [math.factorial(n - 1) / x ** n, math.factorial(n) / (2 * x ** (n + 1))]
    terms += [b * math.factorial(2 * k + n - 1) / (math.factorial(2 * k) * x ** (2 * k + n))
              for k, b in enumerate(_BERNOULLI, 1)]
    sign = 1.0 if n % 2 else -1.0  # (-1)^(n+1)
    return sign * (math.fsum(terms) + math.factorial(n) * math.fsum(shifted))


def _cot_derivative(x, n):
    """d^n/dx^n cot(pi x): a polynomial in c = cot(pi x), as d c / dx = -pi (1 + c^2)."""
    r = x - round(x)  # cot has period 1; near +-1/2, cot(pi r) = +-tan(pi (1/2 - |r|))
    c = math.copysign(math.tan(math.pi * (0.5 - abs(r))), r) if abs(r) > 0.25 \
        else 1.0 / math.tan(math.pi * r)
    coefficients = [0.0, 1.0]  # of c^0, c^1, ...
    for _ in range(n):
        slope = [k * a for k, a in enumerate(coefficients)][1:]
        coefficients = [0.0] * (len(slope) + 2)
        for k, a in enumerate(slope):
            coefficients[k] -= math.pi * a
            coefficients[k + 2] -= math.pi * a
    return math.fsum(a * c ** k for k, a in enumerate(coefficients))


# ---------------------------------------------------------------- fft


def irfft_grad(g, a, n=None, axis=-1, norm=None):
    """The cotangent of a real `a` in `np.fft.irfft(a, n, axis, norm)`, from the
    cotangent `g` of its result.

    For real `a`, irfft is a real linear map: element t of the result is
    scale * (a_0 + 2 sum_k a_k cos(2 pi k t / n) (+ a_{n/2} (-1)^t for even n)),
    over the n // 2 + 1 elements of `a` it reads (the others are cut off, or
    missing ones taken as 0), scale 1/n, 1/sqrt(n) or 1 for norm 'backward',
    'ortho', 'forward'. Its transpose is the real part of rfft(g) with those
    weights, cut or padded to the length of `a`.

    Raises AdjointError for a complex `a`: adjoint does not differentiate
    through complex values yet.
    """
    if np.iscomplexobj(a):
        raise AdjointError(
            'the derivative of np.fft.irfft of a complex array is not supported: adjoint '
            'does not differentiate through complex intermediates yet (its cotangents '
            'are real); np.fft.irfft of a real array is supported')
    length = np.shape(a)[axis]
    n = 2 * (length - 1) if n is None else int(n)
    used = n // 2 + 1
    weights = np.full(used, 2.0)
    weights[0] = 1.0
    if n % 2 == 0:
        weights[-1] = 1.0
    scale = {None: 1.0 / n, 'backward': 1.0 / n, 'ortho': 1.0 / math.sqrt(n),
             'forward': 1.0}[norm]
    spectrum = np.moveaxis(np.real(np.fft.rfft(g, n, axis=axis)), axis, -1) * (weights * scale)
    if length <= used:
        spectrum = spectrum[..., :length]
    else:
        spectrum = np.concatenate(
            [spectrum, np.zeros(spectrum.shape[:-1] + (length - used,))], axis=-1)
    return np.moveaxis(spectrum, -1, axis)
