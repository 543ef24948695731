"""The functions of samples (numpy_samples.py), `np.meshgrid` and `np.unique` where
random points say too little: the derivative of `np.interp` at its sample points
and outside them, the repeated values of `np.unique`, the layouts of np.cov's
variables and of np.average's weights, and the errors of what is not supported,
in both modes. The registry sweep (test_rules.py, test_jvp_rules.py, with
tests/numpy_more_checks.py) checks every rule at random points.
"""

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads
from transforms.core.errors import AdjointError, UnsupportedSyntaxError

XP = np.array([0.0, 1.0, 3.0])
FP = np.array([1.0, 3.0, -1.0])  # slopes 2 on [0, 1], -2 on [1, 3]


def rng(seed):
    return np.random.default_rng(seed)


def both_modes(fn, total, x):
    """The gradient of `total` at `x`, and the tangent of `fn`, elementwise in `x`,
    along ones: each the derivatives of the elements."""
    return adjoint.grad(total)(x), adjoint.jvp(fn, (x,), (np.ones_like(x),))[1]


def raises_in_both_modes(fn, args, match, wrt=0, error=AdjointError):
    with pytest.raises(error, match=match):
        adjoint.grad(fn, wrt=wrt)(*args)
    tangents = tuple(np.ones_like(a) if k == wrt else None for k, a in enumerate(args))
    with pytest.raises(error, match=match):
        adjoint.jvp(fn, args, tangents)


# ---------------------------------------------------------------- np.interp


def interpolated(x):
    return np.interp(x, XP, FP)


def interpolated_total(x):
    return np.sum(np.interp(x, XP, FP))


def interpolated_in_xp(xp):
    return np.sum(np.interp(0.5, xp, FP))


def interpolated_with_period(x):
    return np.sum(np.interp(x, XP, FP, period=3.0))


def interpolated_with_edges(x, left, right):
    return np.sum(np.interp(x, XP, FP, left, right))


def test_interp_takes_the_slope_of_the_segment_numpy_computes_from():
    # At a sample point, the segment to its right (NumPy's, and JAX's); at the last,
    # the last segment; outside the samples, 0 (the value is fp[0] or fp[-1]).
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0])
    expected = [0.0, 2.0, 2.0, -2.0, -2.0, -2.0, 0.0]
    for derivative in both_modes(interpolated, interpolated_total, x):
        np.testing.assert_array_equal(derivative, expected)


def test_interp_gives_left_and_right_their_derivatives():
    x = np.array([-1.0, -0.5, 0.5, 3.5])
    grads = adjoint.grad(interpolated_with_edges, wrt=(0, 1, 2))(x, 5.0, 7.0)
    assert (grads[1], grads[2]) == (2.0, 1.0)
    np.testing.assert_array_equal(grads[0], [0.0, 0.0, 2.0, 0.0])
    check_grads(interpolated_with_edges, (x, 5.0, 7.0))


def test_interp_is_not_differentiated_in_xp():
    raises_in_both_modes(interpolated_in_xp, (XP,), r'np\.interp is not differentiated with '
                                                    r'respect to its argument xp')


def test_interp_with_a_period_is_rejected():
    raises_in_both_modes(interpolated_with_period, (np.ones(2),), 'period',
                         error=UnsupportedSyntaxError)


# ---------------------------------------------------------------- np.unique


def unique_weighted(x):
    return np.sum(np.unique(x) * np.arange(1.0, np.size(x) + 1.0))


def unique_total(x):
    return np.sum(np.unique(x))


def unique_counts(x):
    return np.sum(np.unique(x, return_counts=True)[0])


def test_unique_of_distinct_values_is_sort():
    x = np.array([3.0, -1.0, 2.0, 0.5])
    np.testing.assert_array_equal(adjoint.grad(unique_weighted)(x), [4.0, 1.0, 3.0, 2.0])
    check_grads(unique_weighted, (x,), order=2)


def test_unique_has_no_derivative_where_a_value_repeats():
    # A copy moved adds an element to the result: no derivative, not the first
    # copy's (JAX's gather) nor the sum's.
    raises_in_both_modes(unique_total, (np.array([1.0, 2.0, 1.0]),), 'repeats a value')


def test_unique_gives_its_values_only():
    raises_in_both_modes(unique_counts, (np.array([1.0, 2.0]),), 'return_counts',
                         error=UnsupportedSyntaxError)


# ---------------------------------------------------------------- np.meshgrid


def mesh_product(x, y):
    a, b = np.meshgrid(x, y)
    return np.sum(a * b * np.arange(6.0).reshape(3, 2))


def mesh_written(x, y):
    c = x * 1.0
    a, b = np.meshgrid(c, y, copy=False)
    c[0] = 5.0
    return np.sum(a * b)


def test_meshgrid_sums_each_cotangent_back_to_its_argument():
    x, y = np.array([1.0, 2.0]), np.array([1.0, -1.0, 3.0])
    gx, gy = adjoint.grad(mesh_product, wrt=(0, 1))(x, y)
    w = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(gx, np.sum(w * y[:, None], axis=0))
    np.testing.assert_array_equal(gy, np.sum(w * x[None, :], axis=1))
    check_grads(mesh_product, (x, y), order=2)


def test_a_write_through_a_meshgrid_view_is_seen():
    # With copy=False, the results are views of the arguments (registry.views).
    with pytest.raises(UnsupportedSyntaxError, match='through another name or a view'):
        adjoint.grad(mesh_written)(np.ones(2), np.ones(3))


# ---------------------------------------------------------------- averages, covariances


def average_along(a, w):
    return np.sum(np.average(a, axis=(2, 0), weights=w) ** 2)


def average_returned(a):
    return np.average(a, returned=True)[0]


def cov_weighted(m):
    return np.sum(np.cov(m, aweights=np.ones(4)))


def corr_total(x, y):
    return np.sum(np.corrcoef(x, y, rowvar=False) ** 3)


def test_average_lays_weights_along_its_axes_in_their_order():
    a, w = rng(1).normal(size=(2, 3, 4)), rng(2).uniform(0.5, 2.0, size=(4, 2))
    check_grads(average_along, (a, w), order=2)


def test_average_rejects_returned():
    raises_in_both_modes(average_returned, (np.ones(3),), 'returned',
                         error=UnsupportedSyntaxError)


def test_cov_rejects_weights_of_observations():
    raises_in_both_modes(cov_weighted, (np.ones((2, 4)),), 'aweights',
                         error=UnsupportedSyntaxError)


def test_corrcoef_of_columns_with_another_variable():
    x, y = rng(3).normal(size=(5, 2)), rng(4).normal(size=5)
    check_grads(corr_total, (x, y), order=2)


def corrcoef_of_one(x):
    return np.corrcoef(x) * 3.0


def test_corrcoef_of_one_variable_is_constant():
    x = rng(5).normal(size=4)
    np.testing.assert_allclose(adjoint.grad(corrcoef_of_one)(x), 0.0, atol=1e-15)
    tangent = adjoint.jvp(corrcoef_of_one, (x,), (x,))[1]
    assert isinstance(tangent, float) and abs(tangent) < 1e-15


# ---------------------------------------------------------------- trapezoid, convolve, polyval


def integral(y, x):
    return np.trapezoid(y, x)


def integral_named(y, x):
    return np.trapezoid(y, x=x)


def integral_of_steps(y, steps):
    return np.trapezoid(y, dx=steps)


def test_trapezoid_is_differentiated_in_y_and_in_the_points():
    y, x = np.array([1.0, 2.0, 4.0]), np.array([0.0, 1.0, 3.0])
    gy, gx = adjoint.grad(integral, wrt=(0, 1))(y, x)
    np.testing.assert_array_equal(gy, [0.5, 1.5, 1.0])  # half the steps on either side
    np.testing.assert_array_equal(gx, [-1.5, -1.5, 3.0])  # -(y0 + y1) / 2, ...
    check_grads(integral, (y, x), order=2)


def test_trapezoid_takes_its_points_by_position():
    # The tangent of a parameter `x` would be named `dx`, np.trapezoid's step.
    raises_in_both_modes(integral_named, (np.ones(3), np.arange(3.0)), "'x'",
                         error=UnsupportedSyntaxError)


def test_trapezoid_takes_one_step():
    raises_in_both_modes(integral_of_steps, (np.ones(3), np.ones(2)), 'one step dx', wrt=0)


def smoothed(a, v):
    return np.sum(np.convolve(a, v, 'same') ** 2) + np.sum(np.correlate(a, v, 'full') ** 2)


def polynomial_twice(p, x):
    return np.sum(np.polyval(np.polyder(np.polyder(p)), x))


def polynomial_order(p):
    return np.sum(np.polyder(p, 2))


def test_convolution_and_correlation_in_both_sequences():
    for n, m in ((5, 3), (3, 5), (4, 4), (1, 2)):
        check_grads(smoothed, (rng(n).normal(size=n), rng(m + 10).normal(size=m)), order=2)


def test_polynomials_to_any_order_of_derivative():
    p, x = rng(6).normal(size=5), rng(7).normal(size=3)
    check_grads(polynomial_twice, (p, x), order=2)
    raises_in_both_modes(polynomial_order, (p,), 'too many positional arguments',
                         error=UnsupportedSyntaxError)


def quantile_in_its_level(q, x):
    return np.quantile(x, q) + np.percentile(x, 100.0 * q)


def test_a_differentiated_quantile_level_is_an_error_not_a_zero():
    # The derivative in q was silently 0, in both modes: the result is piecewise
    # linear in q, with the slope of the gap between the two elements it mixes.
    x = np.array([0.3, 1.5, -0.2, 0.9])
    for make in (adjoint.grad, adjoint.derivative):
        with pytest.raises(AdjointError, match=r'np\.(quantile|percentile) is not '
                                               r'differentiated with respect to its '
                                               r'argument q'):
            make(quantile_in_its_level)(0.4, x)
    check_grads(quantile_in_its_level, (0.4, x), wrt=(1,), order=2)
