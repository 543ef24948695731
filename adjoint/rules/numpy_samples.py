"""Rules for NumPy's functions of samples: weighted averages (`np.average`),
covariance and correlation (`np.cov`, `np.corrcoef`), the trapezoidal rule
(`np.trapezoid`), linear interpolation (`np.interp`), convolution and correlation
of sequences (`np.convolve`, `np.correlate`) and polynomials (`np.polyval`,
`np.polyder`).

Most are linear, or bilinear, in what they are differentiated in: an average in
`a` (for fixed weights), the trapezoidal rule in `y` and in the weights that the
sample points make, interpolation in `fp`, a convolution in each sequence. Their
rules say how NumPy lays out the weights, observations, segments and windows
through the helpers of sample_helpers.py, whose own rules serve second
derivatives. A call with an argument a rule does not take (`np.cov(m,
fweights=f)`, `np.average(a, returned=True)`, `np.interp(x, xp, fp, period=p)`)
is rejected where the rule is inlined, naming it.
"""

import numpy as np

from adjoint.rules.numpy_helpers import keep_dims, not_differentiated, shaped_as
from adjoint.rules.numpy_kinds import FLOATS, averaged, float_arrays
from adjoint.rules.registry import jvp_rule, reductions, vjp_rule
from adjoint.rules.sample_helpers import (average_weights, convolution_full, degrees_of_freedom,
                                          interp_basis, interp_grad, interp_slope,
                                          observations, observed, polyval_grad,
                                          spacing_weights, step_weights, unaverage_weights,
                                          unobserved, unpolyder, unstep_weights)
from adjoint.runtime import unbroadcast


def _sequence(args, kwargs):
    """A 1-d float array (`np.convolve`, `np.polyder`) of float arguments."""
    return 'vector' if args and all(k in FLOATS for k in args[:2]) else None


# ---------------------------------------------------------------- averages


@vjp_rule(np.average, kind=averaged)
def average_vjp(g, ans, a, axis=None, weights=None, *, keepdims=False):
    # sum(w a) / sum(w) over `axis`: w / sum(w) in a, (a - ans) / sum(w) in w.
    w = average_weights(a, weights, axis)
    gk = keep_dims(g, a, axis, keepdims) / np.sum(w, axis=axis, keepdims=True)
    centered = a - keep_dims(ans, a, axis, keepdims)
    return (gk * w, None, unaverage_weights(gk * centered, a, weights, axis))


@jvp_rule(np.average)
def average_jvp(da, dweights, ans, a, axis=None, weights=None, *, keepdims=False):
    w = average_weights(a, weights, axis)
    centered = a - keep_dims(ans, a, axis, keepdims)
    return ((np.sum(da * w, axis=axis, keepdims=keepdims)
             + np.sum(average_weights(a, dweights, axis) * centered, axis=axis,
                      keepdims=keepdims))
            / np.sum(w, axis=axis, keepdims=keepdims))


# ---------------------------------------------------------------- covariance and correlation
#
# With x the observations (a row per variable) and c = x - mean(x, axis=1) the
# centered ones, np.cov is c c^T / f, f = (observations - ddof). Since the rows of
# c sum to 0, its derivative is (dx c^T + c dx^T) / f, and the cotangent of x is
# (g + g^T) c / f. np.cov and np.corrcoef of one variable are 0-d: g reshaped.


@vjp_rule(np.cov, kind=float_arrays)
def cov_vjp(g, ans, m, y=None, rowvar=True, bias=False, ddof=None, *, dtype=None):
    # No fweights nor aweights: a call with them is rejected where the rule is inlined.
    x = observations(m, y, rowvar)
    centered = x - np.mean(x, axis=1, keepdims=True)
    n = np.shape(x)[0]
    gc = np.reshape(g, (n, n))
    gx = (gc + gc.T) @ centered / degrees_of_freedom(x, bias, ddof)
    return (unobserved(gx, m, y, rowvar, True), unobserved(gx, m, y, rowvar, False), None, None,
            None)


@jvp_rule(np.cov)
def cov_jvp(dm, dy, ans, m, y=None, rowvar=True, bias=False, ddof=None, *, dtype=None):
    x = observations(m, y, rowvar)
    centered = x - np.mean(x, axis=1, keepdims=True)
    t = ((observed(dm, m, y, rowvar, True) + observed(dy, m, y, rowvar, False)) @ centered.T
         / degrees_of_freedom(x, bias, ddof))
    return shaped_as(t + t.T, ans)


@vjp_rule(np.corrcoef, kind=float_arrays)
def corrcoef_vjp(g, ans, x, y=None, rowvar=True, *, dtype=None):
    # r = c s s^T for c = centered centered^T and s = 1 / sqrt(diag(c)):
    # dr = dc * s s^T - r * (u_i + u_j) / 2, u = diag(dc) / diag(c). So the
    # cotangent of c is g * s s^T plus, on the diagonal, -(row and column sums of
    # g * r) / (2 diag(c)).
    data = observations(x, y, rowvar)
    centered = data - np.mean(data, axis=1, keepdims=True)
    squares = np.sum(centered * centered, axis=1)
    n = np.shape(data)[0]
    gr = np.reshape(g, (n, n))
    weighted = gr * np.reshape(ans, np.shape(gr))
    scale = 1.0 / np.sqrt(squares)
    gc = gr * np.outer(scale, scale) - np.diag(
        0.5 * (np.sum(weighted, axis=0) + np.sum(weighted, axis=1)) / squares)
    gdata = (gc + gc.T) @ centered
    return (unobserved(gdata, x, y, rowvar, True), unobserved(gdata, x, y, rowvar, False), None)


@jvp_rule(np.corrcoef)
def corrcoef_jvp(dx, dy, ans, x, y=None, rowvar=True, *, dtype=None):
    data = observations(x, y, rowvar)
    centered = data - np.mean(data, axis=1, keepdims=True)
    squares = np.sum(centered * centered, axis=1)
    t = (observed(dx, x, y, rowvar, True) + observed(dy, x, y, rowvar, False)) @ centered.T
    dc = t + t.T
    u = np.diagonal(dc) / squares
    scale = 1.0 / np.sqrt(squares)
    r = np.reshape(ans, np.shape(dc))
    return shaped_as(dc * np.outer(scale, scale)
                     - 0.5 * r * (np.expand_dims(u, 0) + np.expand_dims(u, 1)), ans)


# ---------------------------------------------------------------- the trapezoidal rule
#
# np.trapezoid(y, x, dx, axis) is np.sum(weights * y, axis), the weights half the
# steps on either side of each sample (sample_helpers.step_weights), or from dx
# without x (spacing_weights): linear in y, and in x or dx. The parameter for x
# is `points`, because the tangent of a parameter `x` would be named `dx`, the
# name of np.trapezoid's own step: x is given by position, np.trapezoid(y, x),
# and `x=` is rejected where the rule is inlined.


@vjp_rule(np.trapezoid, kind=float_arrays)
def trapezoid_vjp(g, ans, y, points=None, dx=1.0, axis=-1):
    weights = step_weights(points, y, axis) + spacing_weights(dx, y, points, axis)
    gk = np.expand_dims(g, axis)
    gw = unbroadcast(gk * y, weights)
    return (unbroadcast(gk * weights, y), unstep_weights(gw, points, y, axis),
            np.sum(gw * spacing_weights(1.0, y, points, axis)), None)


@jvp_rule(np.trapezoid)
def trapezoid_jvp(dy, dpoints, ddx, ans, y, points=None, dx=1.0, axis=-1):
    weights = step_weights(points, y, axis) + spacing_weights(dx, y, points, axis)
    # `axis` by position: np.sum's default is None, not np.trapezoid's -1.
    return np.sum(dy * weights + y * (step_weights(dpoints, y, axis)
                                      + spacing_weights(ddx, y, points, axis)), axis)


# ---------------------------------------------------------------- interpolation


@vjp_rule(np.interp, kind=float_arrays)
def interp_vjp(g, ans, x, xp, fp, left=None, right=None, *, active_xp=True):
    # In x, the slope of the segment x is on (at a sample point, that of the segment
    # to its right, which NumPy computes the value from; 0 outside xp); in fp, the
    # weights of the two samples around x; in left (right), 1 below (above) xp.
    # xp is not differentiated; a call with `period` is rejected where the rule is
    # inlined.
    return (g * interp_slope(x, xp, fp), not_differentiated('np.interp', 'xp', active_xp),
            interp_grad(g, x, xp, left, right), np.sum(g * (x < xp[0])),
            np.sum(g * (x > xp[-1])))


@jvp_rule(np.interp)
def interp_jvp(dx, dxp, dfp, dleft, dright, ans, x, xp, fp, left=None, right=None, *,
               active_xp=True):
    return (dx * interp_slope(x, xp, fp) + dxp * not_differentiated('np.interp', 'xp', active_xp)
            + interp_basis(dfp, x, xp, left, right) + dleft * (x < xp[0])
            + dright * (x > xp[-1]))


# ---------------------------------------------------------------- convolution and correlation
#
# Of 1-d sequences: np.convolve(a, v, mode) is a window of the full convolution,
# whose cotangent in a is np.correlate(full, v, 'valid') for the cotangent `full`
# of the full convolution (convolution_full puts g in its window); and
# np.correlate(a, v, mode) is np.convolve(a, v[::-1], mode).


@vjp_rule(np.convolve, kind=_sequence)
def convolve_vjp(g, ans, a, v, mode='full'):
    full = convolution_full(g, a, v, mode)
    return (np.reshape(np.correlate(full, v, 'valid'), np.shape(a)),
            np.reshape(np.correlate(full, a, 'valid'), np.shape(v)), None)


@jvp_rule(np.convolve)
def convolve_jvp(da, dv, ans, a, v, mode='full'):
    return np.convolve(da, v, mode) + np.convolve(a, dv, mode)


@vjp_rule(np.correlate, kind=_sequence)
def correlate_vjp(g, ans, a, v, mode='valid'):
    full = convolution_full(g, a, v, mode)
    return (np.reshape(np.convolve(full, v, 'valid'), np.shape(a)),
            np.reshape(np.flip(np.correlate(full, a, 'valid')), np.shape(v)), None)


@jvp_rule(np.correlate)
def correlate_jvp(da, dv, ans, a, v, mode='valid'):
    return np.correlate(da, v, mode) + np.correlate(a, dv, mode)


# ---------------------------------------------------------------- polynomials


@vjp_rule(np.polyval, kind=float_arrays)
def polyval_vjp(g, ans, p, x):
    # Coefficients p of a 1-d array, highest power first: x ** (n - 1 - k) in p[k];
    # in x, the derivative polynomial.
    return (polyval_grad(g, x, p), g * np.polyval(np.polyder(p), x))


@jvp_rule(np.polyval)
def polyval_jvp(dp, dx, ans, p, x):
    return np.polyval(dp, x) + dx * np.polyval(np.polyder(p), x)


@vjp_rule(np.polyder, kind=_sequence)
def polyder_vjp(g, ans, p):
    # The first derivative only: a call with m, the order, is rejected where the
    # rule is inlined (np.polyder(np.polyder(p)) is the second).
    return (unpolyder(g, p),)


@jvp_rule(np.polyder)
def polyder_jvp(dp, ans, p):
    return np.polyder(dp)


reductions(np.average)
