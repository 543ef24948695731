"""Runtime helpers for the rules of numpy_samples.py: where a cotangent depends on
how NumPy lays out weights, observations, sample points, segments of a piecewise
linear function or the window of a convolution.

Each is linear in its first argument (the cotangent, or the tangent, it moves),
and comes with its adjoint, so that their rules (sample_helper_rules.py) are
written with the helpers themselves and derivatives compose to any order.
"""

import numpy as np

from transforms.core.errors import AdjointError


def _axes_in_order(axis, ndim):
    """`axis` of np.average as a tuple of ints >= 0, in the order given."""
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(int(a) % ndim for a in axes)


# ---------------------------------------------------------------- np.average


def average_weights(a, weights=None, axis=None):
    """The weights of `np.average(a, axis, weights)`, as a float array shaped like
    `a`: ones without weights; weights shaped like `a[axis]` laid along `axis`
    (transposed into the order of the axes, as np.average lays them)."""
    shape = np.shape(a)
    if weights is None:
        return np.ones(shape)
    w = np.asarray(weights, dtype=float)
    if np.shape(w) != shape:
        axes = _axes_in_order(axis, len(shape))
        w = np.reshape(np.transpose(w, np.argsort(axes)),
                       [n if k in axes else 1 for k, n in enumerate(shape)])
    return w * np.ones(shape)


def unaverage_weights(g, a, weights=None, axis=None):
    """The cotangent of `weights` in `average_weights(a, weights, axis)`, from `g`
    shaped like `a`: summed back over the axes the weights were laid across (`g`
    itself for weights shaped like `a`)."""
    shape = np.shape(a)
    if weights is None or np.shape(weights) == shape:
        return g
    axes = _axes_in_order(axis, len(shape))
    kept = np.sum(g, axis=tuple(k for k in range(len(shape)) if k not in axes))
    return np.transpose(kept, np.argsort(np.argsort(axes)))


# ---------------------------------------------------------------- np.cov, np.corrcoef


def _transposed(m, rowvar, first):
    """Whether np.cov transposes its argument `m` (if `first`, else `y`) to make its
    rows the variables: `m` if it is a matrix, `y` if it has more than one row."""
    if rowvar:
        return False
    return np.ndim(m) == 2 if first else np.ndim(m) == 2 and np.shape(m)[0] != 1


def _rows(m, rowvar=True, first=True):
    """`m` (if `first`, else `y`) as np.cov reads it: a float matrix of one row per
    variable."""
    x = np.array(m, ndmin=2, dtype=float)
    return x.T if _transposed(m, rowvar, first) else x


def observations(m, y=None, rowvar=True):
    """The data of `np.cov(m, y, rowvar)` and `np.corrcoef(m, y, rowvar)` as they
    arrange it: a new float matrix of one row per variable (those of `m`, then of
    `y`), one column per observation."""
    x = _rows(m, rowvar)
    return x if y is None else np.concatenate([x, _rows(y, rowvar, False)], axis=0)


def observed(t, m, y=None, rowvar=True, first=True):
    """`observations(m, y, rowvar)` with `t` in the place of `m` (if `first`, else
    of `y`) and zeros in the other's: one term of the tangent of `observations`,
    and the adjoint of `unobserved`."""
    mine = _rows(t, rowvar, first)
    other = y if first else m
    if other is None:
        return mine
    zeros = np.zeros(np.shape(_rows(other, rowvar, not first)))
    return np.concatenate([mine, zeros] if first else [zeros, mine], axis=0)


def unobserved(g, m, y=None, rowvar=True, first=True):
    """The part of `g`, shaped like `observations(m, y, rowvar)`, that is `m`'s (if
    `first`, else `y`'s), shaped like it: a view of `g`, and the cotangent of `m`
    (of `y`) in `observations`."""
    rows = np.shape(m)[_transposed(m, rowvar, True)] if np.ndim(m) == 2 else 1
    target = m if first else y
    part = g[:rows] if first else g[rows:]
    return np.reshape(part.T if _transposed(target, rowvar, first) else part, np.shape(target))


def degrees_of_freedom(x, bias=False, ddof=None):
    """What np.cov divides by for the observations `x` (`observations(...)`): their
    number less `ddof` (1 by default, 0 with `bias`)."""
    if ddof is None:
        ddof = 0 if bias else 1
    return float(np.shape(x)[1] - ddof)


# ---------------------------------------------------------------- np.trapezoid
#
# np.trapezoid(y, x, dx, axis) is the sum along `axis` of y times weights: half
# the steps on either side of each sample, from the sample points `x`, or from
# one step `dx` without them. The weights are linear in `x`, or in `dx`.


def _along(axis, ndim, piece):
    """An index that takes `piece` (a slice) of `axis` of an array of `ndim` axes."""
    return (slice(None),) * (axis % ndim) + (piece,)


def _halves(d, axis):
    """(d_{i-1} + d_i) / 2 at each sample, from the steps `d` along `axis` (0 past
    either end)."""
    zero = np.zeros_like(d[_along(axis, np.ndim(d), slice(0, 1))])
    return (np.concatenate([d, zero], axis) + np.concatenate([zero, d], axis)) / 2.0


def step_weights(x, y, axis=-1):
    """The weights of the samples `y` in `np.trapezoid(y, x, axis=axis)` from the
    sample points `x`: 1-d along `axis`, or shaped like `x`. 0.0 without `x`.
    Linear in `x`."""
    if x is None:
        return 0.0
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        shape = [1] * np.ndim(y)
        shape[axis] = -1
        return np.reshape(_halves(np.diff(x), 0), shape)
    return _halves(np.diff(x, axis=axis), axis)


def unstep_weights(g, x, y, axis=-1):
    """The cotangent of `x` in `step_weights(x, y, axis)`, from `g` shaped like its
    result: the adjoint of step_weights. 0.0 without `x`."""
    if x is None:
        return 0.0
    if np.ndim(x) == 1:
        g, axis = np.ravel(g), 0
    ndim = np.ndim(g)
    steps = (g[_along(axis, ndim, slice(1, None))] + g[_along(axis, ndim, slice(None, -1))]) / 2.0
    zero = np.zeros_like(g[_along(axis, ndim, slice(0, 1))])
    return np.concatenate([zero, steps], axis) - np.concatenate([steps, zero], axis)


def spacing_weights(dx, y, points=None, axis=-1):
    """The weights of the samples `y` in `np.trapezoid(y, dx=dx, axis=axis)`: dx,
    halved at both ends, along `axis`. 0.0 where there are sample points
    (`points`), which np.trapezoid takes instead of dx. Linear in `dx`.

    Raises:
        AdjointError: for a `dx` that is not one number.
    """
    if points is not None:
        return 0.0
    if np.ndim(dx) != 0:
        raise AdjointError('the derivative of np.trapezoid is supported for one step dx (a '
                           'number): for steps that vary, pass the sample points x')
    n = np.shape(y)[axis]
    ends = np.ones(n)
    ends[[0, -1]] = 0.5 if n > 1 else 0.0
    shape = [1] * np.ndim(y)
    shape[axis] = n
    return dx * np.reshape(ends, shape)


# ---------------------------------------------------------------- np.interp
#
# np.interp(x, xp, fp, left, right) is linear in fp (and in left, right):
# Phi(x) fp, Phi's row for each x holding 1 - t and t at the two samples around
# it, `t` where x is between them. Outside [xp[0], xp[-1]] the row picks fp[0]
# (fp[-1]), or nothing where `left` (`right`) is given instead. Its derivative in
# x is Phi'(x) fp, the slope of the segment x is on: that of the segment to its
# right at a sample point xp[k] (the one NumPy computes the value from), of the
# last segment at xp[-1], 0 outside. These helpers are Phi, its transpose, Phi'
# and its transpose.


def _segments(x, xp):
    """(lo, hi, t, inside, width): for each x, the samples around it, where it is
    between them (from 0 to 1, clipped outside), whether it is in [xp[0], xp[-1]],
    and the segment's width (1.0 for one sample)."""
    xp = np.asarray(xp, dtype=float)
    x = np.asarray(x, dtype=float)
    n = len(xp)
    lo = np.clip(np.searchsorted(xp, x, side='right') - 1, 0, max(n - 2, 0))
    hi = np.minimum(lo + 1, n - 1)
    width = np.where(hi > lo, xp[hi] - xp[lo], 1.0)
    t = np.clip((x - xp[lo]) / width, 0.0, 1.0)
    inside = (x >= xp[0]) & (x <= xp[-1]) & (hi > lo)
    return lo, hi, t, inside, width


def _kept(x, xp, left=None, right=None):
    """1.0 where np.interp's result comes from fp, 0.0 where from `left` or `right`."""
    x = np.asarray(x, dtype=float)
    below = (x < xp[0]) if left is not None else False
    above = (x > xp[-1]) if right is not None else False
    return 1.0 - (below | above)


def interp_basis(c, x, xp, left=None, right=None):
    """Phi(x) c: `np.interp(x, xp, c)` with 0.0 where np.interp(x, xp, fp, left,
    right) takes `left` or `right`. Linear in `c`."""
    lo, hi, t, _, _ = _segments(x, xp)
    c = np.asarray(c, dtype=float)
    return ((c[lo] * (1.0 - t) + c[hi] * t) * _kept(x, xp, left, right))[()]


def interp_grad(g, x, xp, left=None, right=None):
    """Phi(x)^T g: the cotangent of `fp` in `np.interp(x, xp, fp, left, right)`, from
    `g` shaped like `x`. The adjoint of `interp_basis`."""
    lo, hi, t, _, _ = _segments(x, xp)
    g = np.broadcast_to(g * _kept(x, xp, left, right), np.shape(lo))
    out = np.zeros(len(xp))
    np.add.at(out, lo, g * (1.0 - t))
    np.add.at(out, hi, g * t)
    return out


def interp_slope(x, xp, fp):
    """Phi'(x) fp: the derivative of `np.interp(x, xp, fp)` in x, the slope of the
    segment each x is on (0 outside [xp[0], xp[-1]]). Linear in `fp`."""
    lo, hi, _, inside, width = _segments(x, xp)
    fp = np.asarray(fp, dtype=float)
    return np.where(inside, (fp[hi] - fp[lo]) / width, 0.0)[()]


def interp_unslope(g, x, xp):
    """Phi'(x)^T g: the adjoint of `interp_slope` in `fp`, from `g` shaped like `x`."""
    lo, hi, _, inside, width = _segments(x, xp)
    share = np.broadcast_to(np.where(inside, g / width, 0.0), np.shape(lo))
    out = np.zeros(len(xp))
    np.add.at(out, hi, share)
    np.add.at(out, lo, -share)
    return out


# ---------------------------------------------------------------- np.convolve, np.correlate


def _window(a, v, mode):
    """(start, length) of `np.convolve(a, v, mode)` in the full convolution."""
    n, m = np.size(a), np.size(v)
    if isinstance(mode, str):
        mode = {'v': 0, 's': 1, 'f': 2}[mode.lower()[0]]
    short, long = min(n, m), max(n, m)
    return {0: (short - 1, long - short + 1), 1: ((short - 1) // 2, long),
            2: (0, n + m - 1)}[mode]


def convolution_full(g, a, v, mode='full'):
    """`g`, shaped like `np.convolve(a, v, mode)` (or `np.correlate`), placed in
    zeros shaped like the full convolution, where `mode` cut it from."""
    start, length = _window(a, v, mode)
    out = np.zeros(np.size(a) + np.size(v) - 1)
    out[start:start + length] = g
    return out


def convolution_window(f, a, v, mode='full'):
    """The part of `f`, shaped like the full convolution of `a` and `v`, that
    `mode` keeps (a view): the adjoint of `convolution_full`."""
    start, length = _window(a, v, mode)
    return f[start:start + length]


# ---------------------------------------------------------------- np.polyval


def polyval_grad(g, x, p):
    """The cotangent of the coefficients `p` (1-d) in `np.polyval(p, x)`, from `g`
    shaped like `x`: the sum of g * x ** (n - 1 - k) for coefficient k."""
    powers = np.asarray(x, dtype=float)[..., None] ** np.arange(np.size(p) - 1, -1, -1)
    return np.tensordot(np.broadcast_to(g, np.shape(x)), powers, np.ndim(x))


def unpolyder(g, p):
    """The cotangent of `p` in `np.polyder(p)` (the adjoint of np.polyder): g * (n -
    1 - k) for coefficient k, and 0 for the constant term."""
    return np.append(g * np.arange(np.size(p) - 1, 0, -1), 0.0)
