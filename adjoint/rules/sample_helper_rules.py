"""Rules for the runtime helpers of numpy_samples.py (sample_helpers.py), which
second derivatives of np.average, np.cov, np.corrcoef, np.trapezoid, np.interp,
np.convolve, np.correlate and np.polyval differentiate.

Each helper is linear in its first argument and comes with its adjoint: the
vjp rule of one is the other, the jvp rule the helper of the tangent. Where a
helper depends on another argument too (the points of np.interp, of np.polyval),
that derivative is written with the helpers themselves.
"""

import numpy as np

from adjoint.rules import sample_helpers as samples
from adjoint.rules.numpy_kinds import float_array
from adjoint.rules.registry import jvp_rule, nondifferentiable, unknown, vjp_rule


# ---------------------------------------------------------------- weights and observations


@vjp_rule(samples.average_weights, kind=unknown)
def average_weights_vjp(gg, ans, a, weights=None, axis=None):
    return (None, samples.unaverage_weights(gg, a, weights, axis), None)


@jvp_rule(samples.average_weights)
def average_weights_jvp(dweights, ans, a, weights=None, axis=None):
    return samples.average_weights(a, dweights, axis)


@vjp_rule(samples.unaverage_weights, kind=unknown)
def unaverage_weights_vjp(gg, ans, g, a, weights=None, axis=None):
    return (samples.average_weights(a, gg, axis), None, None, None)


@jvp_rule(samples.unaverage_weights)
def unaverage_weights_jvp(dg, ans, g, a, weights=None, axis=None):
    return samples.unaverage_weights(dg, a, weights, axis)


@vjp_rule(samples.observations, kind=lambda args, kwargs: 'matrix')
def observations_vjp(gg, ans, m, y=None, rowvar=True):
    return (samples.unobserved(gg, m, y, rowvar, True), samples.unobserved(gg, m, y, rowvar, False),
            None)


@jvp_rule(samples.observations)
def observations_jvp(dm, dy, ans, m, y=None, rowvar=True):
    return (samples.observed(dm, m, y, rowvar, True)
            + samples.observed(dy, m, y, rowvar, False))


@vjp_rule(samples.observed, kind=lambda args, kwargs: 'matrix')
def observed_vjp(gg, ans, t, m, y=None, rowvar=True, first=True):
    return (samples.unobserved(gg, m, y, rowvar, first), None, None, None, None)


@jvp_rule(samples.observed)
def observed_jvp(dt, ans, t, m, y=None, rowvar=True, first=True):
    return samples.observed(dt, m, y, rowvar, first)


@vjp_rule(samples.unobserved, kind=unknown)
def unobserved_vjp(gg, ans, g, m, y=None, rowvar=True, first=True):
    return (samples.observed(gg, m, y, rowvar, first), None, None, None, None)


@jvp_rule(samples.unobserved)
def unobserved_jvp(dg, ans, g, m, y=None, rowvar=True, first=True):
    return samples.unobserved(dg, m, y, rowvar, first)


# ---------------------------------------------------------------- trapezoid weights


@vjp_rule(samples.step_weights, kind=unknown)
def step_weights_vjp(gg, ans, x, y, axis=-1):
    return (samples.unstep_weights(gg, x, y, axis), None, None)


@jvp_rule(samples.step_weights)
def step_weights_jvp(dx, ans, x, y, axis=-1):
    return samples.step_weights(dx, y, axis)


@vjp_rule(samples.unstep_weights, kind=unknown)
def unstep_weights_vjp(gg, ans, g, x, y, axis=-1):
    return (samples.step_weights(gg, y, axis), None, None, None)


@jvp_rule(samples.unstep_weights)
def unstep_weights_jvp(dg, ans, g, x, y, axis=-1):
    return samples.unstep_weights(dg, x, y, axis)


@vjp_rule(samples.spacing_weights, kind=unknown)
def spacing_weights_vjp(gg, ans, dx, y, points=None, axis=-1):
    return (np.sum(gg * samples.spacing_weights(1.0, y, points, axis)), None, None, None)


@jvp_rule(samples.spacing_weights)
def spacing_weights_jvp(ddx, ans, dx, y, points=None, axis=-1):
    return samples.spacing_weights(ddx, y, points, axis)


# ---------------------------------------------------------------- interpolation
#
# interp_basis(c, x, ...) is Phi(x) c, interp_grad(g, x, ...) Phi(x)^T g; their
# derivatives in x are Phi'(x) c and Phi'(x)^T (g * dx), which interp_slope and
# interp_unslope compute. Phi' is constant between the sample points: those two
# have no derivative in x.


@vjp_rule(samples.interp_basis, kind=float_array)
def interp_basis_vjp(gg, ans, c, x, xp, left=None, right=None):
    return (samples.interp_grad(gg, x, xp, left, right), gg * samples.interp_slope(x, xp, c),
            None, None, None)


@jvp_rule(samples.interp_basis)
def interp_basis_jvp(dc, dx, ans, c, x, xp, left=None, right=None):
    return samples.interp_basis(dc, x, xp, left, right) + dx * samples.interp_slope(x, xp, c)


@vjp_rule(samples.interp_grad, kind=lambda args, kwargs: 'vector')
def interp_grad_vjp(gg, ans, g, x, xp, left=None, right=None):
    return (samples.interp_basis(gg, x, xp, left, right), g * samples.interp_slope(x, xp, gg),
            None, None, None)


@jvp_rule(samples.interp_grad)
def interp_grad_jvp(dg, dx, ans, g, x, xp, left=None, right=None):
    return samples.interp_grad(dg, x, xp, left, right) + samples.interp_unslope(g * dx, x, xp)


@vjp_rule(samples.interp_slope, kind=unknown)
def interp_slope_vjp(gg, ans, x, xp, fp):
    return (None, None, samples.interp_unslope(gg, x, xp))


@jvp_rule(samples.interp_slope)
def interp_slope_jvp(dfp, ans, x, xp, fp):
    return samples.interp_slope(x, xp, dfp)


@vjp_rule(samples.interp_unslope, kind=lambda args, kwargs: 'vector')
def interp_unslope_vjp(gg, ans, g, x, xp):
    return (samples.interp_slope(x, xp, gg), None, None)


@jvp_rule(samples.interp_unslope)
def interp_unslope_jvp(dg, ans, g, x, xp):
    return samples.interp_unslope(dg, x, xp)


# ---------------------------------------------------------------- convolution windows


@vjp_rule(samples.convolution_full, kind=lambda args, kwargs: 'vector')
def convolution_full_vjp(gg, ans, g, a, v, mode='full'):
    return (samples.convolution_window(gg, a, v, mode), None, None, None)


@jvp_rule(samples.convolution_full)
def convolution_full_jvp(dg, ans, g, a, v, mode='full'):
    return samples.convolution_full(dg, a, v, mode)


@vjp_rule(samples.convolution_window, kind=lambda args, kwargs: 'vector')
def convolution_window_vjp(gg, ans, f, a, v, mode='full'):
    return (samples.convolution_full(gg, a, v, mode), None, None, None)


@jvp_rule(samples.convolution_window)
def convolution_window_jvp(df, ans, f, a, v, mode='full'):
    return samples.convolution_window(df, a, v, mode)


# ---------------------------------------------------------------- polynomials


@vjp_rule(samples.polyval_grad, kind=lambda args, kwargs: 'vector')
def polyval_grad_vjp(gg, ans, g, x, p):
    # Linear in g, its adjoint np.polyval; in x, the derivative of each power.
    return (np.polyval(gg, x), g * np.polyval(np.polyder(gg), x), None)


@jvp_rule(samples.polyval_grad)
def polyval_grad_jvp(dg, dx, ans, g, x, p):
    return (samples.polyval_grad(dg, x, p)
            + samples.unpolyder(samples.polyval_grad(g * dx, x, np.polyder(p)), p))


@vjp_rule(samples.unpolyder, kind=lambda args, kwargs: 'vector')
def unpolyder_vjp(gg, ans, g, p):
    return (np.polyder(gg), None)


@jvp_rule(samples.unpolyder)
def unpolyder_jvp(dg, ans, g, p):
    return samples.unpolyder(dg, p)


nondifferentiable(samples.degrees_of_freedom, kind=lambda args, kwargs: 'float')
