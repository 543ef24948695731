"""More of NumPy where random points say too little: exact values at 0 and at
the edges (np.sinc, np.i0, np.logaddexp far out), remainders next to their jumps,
replaced NaNs, zeros of np.cumprod, ties of np.sort, indices taken twice, and the
errors of what is not supported; and small realistic functions that use these,
checked in both modes. The registry sweep (test_rules.py, test_jvp_rules.py,
with tests/numpy_more_checks.py) checks every rule at random points.
"""

import math

import numpy as np
import pytest

import adjoint
from adjoint.rules import numpy_helpers
from adjoint.testing import check_grads
from transforms.core.errors import AdjointError


def rng(seed):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- special functions


def sinc_total(x):
    return np.sum(np.sinc(x))


def sinc_of(x):
    return np.sinc(x)


def test_sinc_has_its_derivative_at_zero_and_near_it():
    # sinc'(x) = -pi^2 x / 3 + pi^4 x^3 / 30 - pi^6 x^5 / 840 + ...: exact where
    # (cos(pi x) - sinc(x)) / x is not.
    x = np.array([0.0, 1e-9, -1e-6, 1e-3])
    expected = -np.pi ** 2 * x / 3 + np.pi ** 4 * x ** 3 / 30 - np.pi ** 6 * x ** 5 / 840
    np.testing.assert_allclose(adjoint.grad(sinc_total)(x), expected, rtol=1e-14, atol=0)
    assert adjoint.derivative(sinc_of)(0.0) == 0.0
    # Second derivative at 0: -pi^2 / 3.
    assert adjoint.derivative(adjoint.derivative(sinc_of))(0.0) == \
        pytest.approx(-np.pi ** 2 / 3, rel=1e-14)
    assert adjoint.hessian(sinc_total)(np.zeros(2)) == \
        pytest.approx(np.diag([-np.pi ** 2 / 3] * 2), rel=1e-14)


def test_sinc_derivative_series_and_closed_form_meet():
    # The helper sums a series inside |x| < 1 and takes Leibniz's rule outside.
    for n in range(1, 6):
        inside = numpy_helpers.sinc_derivative(np.nextafter(1.0, 0.0), n)
        outside = numpy_helpers.sinc_derivative(1.0, n)
        assert inside == pytest.approx(outside, rel=1e-12, abs=1e-12), n


def i0_total(x):
    return np.sum(np.i0(x))


def i0_of(x):
    return np.i0(x)


def test_i0_has_derivative_i1():
    # I_1 from Abramowitz & Stegun, table 9.8 (and I_1(-x) = -I_1(x)).
    x = np.array([0.0, 1.0, -1.0, 5.0, 20.0])
    i1 = np.array([0.0, 0.5651591039924851, -0.5651591039924851, 24.33564214245053,
                   4.245497338512777e7])
    np.testing.assert_allclose(adjoint.grad(i0_total)(x), i1, rtol=1e-14)
    # I_0'' = (I_0 + I_2) / 2; I_2(1) = 0.1357476697670383.
    second = adjoint.derivative(adjoint.derivative(i0_of))(1.0)
    assert second == pytest.approx((np.i0(1.0) + 0.1357476697670383) / 2, rel=1e-14)


def asymptotic_bessel_i(n, x, terms=12):
    """I_n(x) for large x: Abramowitz & Stegun 9.7.1."""
    total, term = 0.0, 1.0
    for k in range(terms):
        total += term
        term *= -(4 * n * n - (2 * k + 1) ** 2) / ((k + 1) * 8 * x)
    return math.exp(x) / math.sqrt(2 * math.pi * x) * total


def test_bessel_i_is_exact_far_out_and_overflows_where_the_function_does():
    for x in (50.0, 300.0, 700.0):
        for n in (1, 2):
            assert numpy_helpers.bessel_i(x, n) == \
                pytest.approx(asymptotic_bessel_i(n, x), rel=4e-15), (n, x)
    with np.errstate(over='ignore'):
        assert numpy_helpers.bessel_i(-800.0, 1) == -np.inf
    assert math.isnan(numpy_helpers.bessel_i(np.nan, 1))


def softplus_pair(x, y):
    return np.sum(np.logaddexp(x, y) + np.logaddexp2(y, 0.0))


def test_logaddexp_is_stable_far_out_and_broadcasts():
    x = np.array([1000.0, -1000.0, 0.0])
    y = np.array([[0.0], [1000.0]])
    gx, gy = adjoint.grad(softplus_pair, wrt=(0, 1))(x, y)
    assert np.all(np.isfinite(gx)) and np.all(np.isfinite(gy))
    # x's cotangent: its shares of np.logaddexp against y = 0 and y = 1000.
    np.testing.assert_allclose(gx, [1.0 + 0.5, 0.0 + 0.0, 0.5 + 0.0], atol=1e-300)
    # y's: its shares of np.logaddexp along the row, plus three of logaddexp2.
    np.testing.assert_allclose(gy, [[0.0 + 1.0 + 0.5 + 3 * 0.5], [1.0 + 0.5 + 1.0 + 3.0]])
    for seed in range(2):
        check_grads(softplus_pair, (rng(seed).normal(size=3), rng(seed + 5).normal(size=(2, 1))))


# ---------------------------------------------------------------- remainders


def wrapped_angle(theta, period):
    return np.sum(np.remainder(theta, period) ** 2 + np.fmod(theta, period))


def test_remainders_have_derivative_one_and_minus_the_quotient():
    theta = np.array([-7.0, 7.5, 0.25, -0.25])
    gt, gp = adjoint.grad(wrapped_angle, wrt=(0, 1))(theta, 3.0)
    r, f = np.remainder(theta, 3.0), np.fmod(theta, 3.0)
    np.testing.assert_allclose(gt, 2 * r + 1.0)
    # floor(-7 / 3) = -3, trunc(-7 / 3) = -2.
    assert gp == pytest.approx(np.sum(-2 * r * np.floor(theta / 3.0) - np.trunc(theta / 3.0)))
    for seed in range(2):
        check_grads(wrapped_angle, (rng(seed).uniform(-5, 5, size=4), 2.3))


def fmod_of(x, y):
    return np.fmod(x, y)


def test_fmod_takes_its_quotient_from_the_remainder():
    # 1.0 / 0.1 rounds to 10.0, but np.fmod(1.0, 0.1) is 0.0999...: the quotient is 9.
    assert np.fmod(1.0, 0.1) > 0.09
    assert adjoint.grad(fmod_of, wrt=1)(1.0, 0.1) == -9.0
    _, tangent = adjoint.jvp(fmod_of, (1.0, 0.1), (0.0, 1.0))
    assert tangent == -9.0


# ---------------------------------------------------------------- replaced values and parts


def cleaned(x, fill):
    # NaN below -1, -inf below -2, inf above 2: replaced by fill, -50 and 50.
    v = np.where(x < -1.0, np.where(x < -2.0, -np.inf, np.nan), np.where(x > 2.0, np.inf, x))
    return np.sum(np.nan_to_num(v * v, True, fill, 50.0, -50.0) * x)


# v * v of an inf: its tangent and cotangent are NaN (0 * inf), and np.nan_to_num drops them.
@pytest.mark.filterwarnings('ignore:invalid value encountered in multiply:RuntimeWarning')
def test_nan_to_num_passes_finite_values_and_gives_replaced_ones_to_the_replacement():
    x = np.array([0.5, -1.5, -3.0, 3.0])
    gx, gfill = adjoint.grad(cleaned, wrt=(0, 1))(x, 7.0)
    # 3 x^2 where finite; the replacement (times 1) where replaced.
    np.testing.assert_array_equal(gx, [0.75, 7.0, 50.0, 50.0])  # (-inf) ** 2 is inf
    assert gfill == -1.5  # the element it replaced
    _, tangent = adjoint.jvp(cleaned, (x, 7.0), (np.ones(4), 1.0))
    assert tangent == pytest.approx(np.sum(gx) + gfill)
    for seed in range(2):
        check_grads(cleaned, (rng(seed).uniform(-0.9, 0.9, size=4), 7.0))


def nan_to_num_in_place(x):
    return np.sum(np.nan_to_num(x, copy=False))


def test_nan_to_num_in_place_is_an_error():
    with pytest.raises(AdjointError, match='copy=False'):
        adjoint.grad(nan_to_num_in_place)(np.ones(3))
    with pytest.raises(AdjointError, match='copy=False'):
        adjoint.jvp(nan_to_num_in_place, (np.ones(3),), (np.ones(3),))


def parts(x):
    return np.sum(np.real(x) * 2.0 + np.imag(x))


def test_real_is_the_identity_and_imag_is_constant_on_real_arrays():
    x = rng(1).normal(size=4)
    np.testing.assert_array_equal(adjoint.grad(parts)(x), np.full(4, 2.0))
    check_grads(parts, (x,))


# ---------------------------------------------------------------- scans


def weighted_cumprod(x, w):
    return np.sum(np.cumprod(x) * w)


def products_of_others(x):
    """J[i, k] = the derivative of cumprod(x)[i] in x[k], element by element."""
    n = len(x)
    return np.array([[np.prod([x[j] for j in range(i + 1) if j != k]) if k <= i else 0.0
                      for k in range(n)] for i in range(n)])


def second_products_of_others(x):
    n = len(x)
    return np.array([[[np.prod([x[j] for j in range(i + 1) if j not in (k, m)])
                       if k <= i and m <= i and k != m else 0.0
                       for m in range(n)] for k in range(n)] for i in range(n)])


@pytest.mark.parametrize('x', [[2.0, 0.0, 3.0, 0.0, 1.5], [0.0, 2.0, 3.0], [1.5, -2.0, 0.0],
                               [0.0, 0.0, 2.0], [1e-200, 1e-200, 1e200, 2.0]])
def test_cumprod_is_right_where_x_has_zeros_at_every_order(x):
    x = np.array(x)
    w = rng(4).normal(size=len(x))
    jacobian = products_of_others(x)
    np.testing.assert_allclose(adjoint.grad(weighted_cumprod)(x, w), jacobian.T @ w,
                               rtol=1e-14, atol=1e-300)
    t = rng(5).normal(size=len(x))
    _, tangent = adjoint.jvp(weighted_cumprod, (x, w), (t, None))
    assert tangent == pytest.approx(w @ jacobian @ t, rel=1e-13)
    hessian = np.einsum('ikm,i->km', second_products_of_others(x), w)
    np.testing.assert_allclose(adjoint.hessian(weighted_cumprod)(x, w), hessian, rtol=1e-13,
                               atol=1e-300)


def row_products(x, w):
    return np.sum(np.cumprod(x, axis=1) * w) + np.sum(x.cumprod(0) ** 2)


def test_cumprod_of_rows_with_zeros_in_different_places():
    x = rng(6).normal(size=(3, 4))
    x[0, 1] = x[1, 0] = x[1, 2] = x[2, 3] = 0.0
    w = rng(7).normal(size=(3, 4))
    gx = adjoint.grad(row_products)(x, w)
    expected = np.array([products_of_others(row).T @ wr for row, wr in zip(x, w)])
    for j in range(4):
        column = x[:, j]
        expected[:, j] += products_of_others(column).T @ (2 * np.cumprod(column))
    np.testing.assert_allclose(gx, expected, rtol=1e-13)
    check_grads(row_products, (x, w))


def test_cumprod_derivatives_stop_at_the_fifth_order():
    x, t = np.arange(1.0, 4.0), np.ones(3)
    assert np.all(np.isfinite(numpy_helpers.cumprod_tangent(x, None, t, t, t, t, t)))
    with pytest.raises(AdjointError, match='beyond the fifth order'):
        numpy_helpers.cumprod_tangent(x, None, t, t, t, t, t, t)
    with pytest.raises(AdjointError, match='beyond the fifth order'):
        numpy_helpers.cumprod_grad(t, x, None, t, t, t, t, t)


def expected_reward(hazard, reward):
    # Survival to each step, and the reward gathered by then.
    survival = np.cumprod(1.0 - hazard)
    return np.sum(survival * np.cumsum(reward)) + np.sum(reward.cumsum(axis=0)[-1])


def test_expected_reward_of_a_survival_process():
    for seed in range(2):
        hazard = rng(seed).uniform(0.05, 0.5, size=6)
        check_grads(expected_reward, (hazard, rng(seed + 3).normal(size=6)))
    hazard = np.array([0.1, 1.0, 0.3])  # certain failure at the second step
    g_hazard = adjoint.grad(expected_reward)(hazard, np.ones(3))
    # d/dh of (1 - h0) + (1 - h0)(1 - h1) 2 + (1 - h0)(1 - h1)(1 - h2) 3, at h1 = 1.
    np.testing.assert_allclose(g_hazard, [-1.0, -0.9 * 2 - 0.9 * 0.7 * 3, 0.0])


# ---------------------------------------------------------------- rolls, diagonals, appends, pads


def ring_energy(u, h):
    # The Dirichlet energy of u on a ring, and of a zero-padded moving average.
    slope = (np.roll(u, -1) - u) / h
    padded = np.pad(u, 1)
    smooth = (padded[:-2] + padded[1:-1] + padded[2:]) / 3.0
    return 0.5 * h * np.sum(slope ** 2) + np.sum(smooth ** 2)


def test_ring_energy():
    for seed in range(2):
        check_grads(ring_energy, (rng(seed).normal(size=7), 0.3))
    u = np.zeros(5)
    u[2] = 1.0
    gu = adjoint.grad(ring_energy)(u, 1.0)
    # The ring: 2 u[2] - u[1] - u[3] = 2; the averages: smooth is 1/3 next to u[2],
    # and element j gets 2/3 of the sum of the (up to three) averages it is in.
    np.testing.assert_allclose(gu, [2 / 9, -1.0 + 4 / 9, 2.0 + 6 / 9, -1.0 + 4 / 9, 2 / 9],
                               atol=1e-15)


def tridiagonal_form(d, e, x):
    a = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    return x @ a @ x + np.sum(np.diagonal(a @ a, 1)) + np.sum(np.diag(a, -1) ** 3)


def test_a_tridiagonal_matrix_built_from_its_diagonals():
    for seed in range(2):
        r = rng(seed)
        check_grads(tridiagonal_form, (r.normal(size=4), r.normal(size=3), r.normal(size=4)))
    d, e, x = np.ones(3), np.array([2.0, 3.0]), np.array([1.0, -1.0, 2.0])
    gd, ge, _ = adjoint.grad(tridiagonal_form, wrt=(0, 1, 2))(d, e, x)
    # x @ a @ x gives d x^2 and 2 e x x'; (a @ a)'s first superdiagonal is e (d + d').
    np.testing.assert_allclose(gd, x ** 2 + [2.0, 2.0 + 3.0, 3.0])
    np.testing.assert_allclose(ge, 2 * x[:-1] * x[1:] + 2.0 + 3 * e ** 2)


def lower_factor_fit(w, a):
    low = np.tril(w)
    return np.sum((low @ low.T - a) ** 2) + np.sum(np.triu(w, 1) ** 2) + np.sum(np.tril(a[0]))


def test_fitting_a_lower_triangular_factor():
    for seed in range(2):
        r = rng(seed)
        check_grads(lower_factor_fit, (r.normal(size=(3, 3)), r.normal(size=(3, 3))))
    gw = adjoint.grad(lower_factor_fit)(np.eye(3), np.eye(3))
    np.testing.assert_array_equal(gw, np.zeros((3, 3)))  # a fit, and no upper part
    # np.tril of a row: a matrix of copies of it, cut; each element counted as often.
    ga = adjoint.grad(lower_factor_fit, wrt=1)(np.zeros((3, 3)), np.zeros((3, 3)))
    np.testing.assert_array_equal(ga[0], [3.0, 2.0, 1.0])


def with_boundary(u, left, right):
    full = np.append(np.append(left, u), [right, right], axis=0)
    steps = full[1:] - full[:-1]
    return np.sum(steps ** 2) + np.sum(np.append(u[None, :], u[None, :] ** 2, axis=0))


def test_values_appended_at_the_boundaries():
    for seed in range(2):
        r = rng(seed)
        check_grads(with_boundary, (r.normal(size=4), float(r.normal()), float(r.normal())))
    gu, gleft, gright = adjoint.grad(with_boundary, wrt=(0, 1, 2))(np.zeros(3), 1.0, 2.0)
    assert (gleft, gright) == (2.0, 4.0)  # (u[0] - left)^2 and (right - u[-1])^2
    np.testing.assert_array_equal(gu, [-2.0 + 1.0, 1.0, -4.0 + 1.0])


def edge_padded(x):
    return np.sum(np.pad(x, 1, mode='edge'))


def filled(x, c):
    return np.sum(np.pad(x, 1, constant_values=c))


def test_pad_supports_the_constant_mode_only():
    with pytest.raises(AdjointError, match="mode='edge'"):
        adjoint.grad(edge_padded)(np.ones(3))
    with pytest.raises(AdjointError, match="mode='edge'"):
        adjoint.jvp(edge_padded, (np.ones(3),), (np.ones(3),))
    # The constant to pad with is a keyword argument: reverse mode gives it no
    # cotangent, and says so; forward mode gives it its tangent.
    with pytest.raises(AdjointError, match='constant_values'):
        adjoint.grad(filled, wrt=(0, 1))(np.ones(3), 2.0)
    np.testing.assert_array_equal(adjoint.grad(filled)(np.ones(3), 2.0), np.ones(3))
    assert adjoint.jvp(filled, (np.ones(3), 2.0), (None, 1.0))[1] == 2.0
    assert adjoint.jvp(filled, (np.ones(3), 2.0), (np.ones(3), 0.5))[1] == 3.0 + 1.0


# ---------------------------------------------------------------- taking and sorting


def sorted_weights(x, w):
    return np.sum(np.sort(x) * w)


def test_sort_follows_the_stable_permutation_at_ties():
    x, w = np.array([2.0, 1.0, 2.0, 1.0]), np.array([10.0, 20.0, 30.0, 40.0])
    # Sorted: x[1], x[3], x[0], x[2]: the first of two equals gets the first place.
    np.testing.assert_array_equal(adjoint.grad(sorted_weights)(x, w), [30.0, 10.0, 40.0, 20.0])
    t = np.array([1.0, 2.0, 3.0, 4.0])
    _, tangent = adjoint.jvp(sorted_weights, (x, w), (t, None))
    assert tangent == 30.0 + 20.0 + 120.0 + 80.0


def trimmed_mean(x):
    # The mean of each row without its smallest and largest elements.
    middle = np.sort(x, axis=1)[:, 1:-1]
    return np.sum(np.mean(middle, axis=1) ** 2)


def test_a_trimmed_mean():
    for seed in range(2):
        check_grads(trimmed_mean, (rng(seed).normal(size=(3, 5)),))
    x = np.array([[5.0, 1.0, 3.0, 2.0]])  # the middle: 2 and 3
    np.testing.assert_allclose(adjoint.grad(trimmed_mean)(x), [[0.0, 0.0, 2.5, 2.5]])


def embedding_loss(table, ids, labels):
    # Rows of a table looked up (ids repeat), and a cross-entropy on each row.
    rows = np.take(table, ids, axis=0)
    shifted = rows - np.max(rows, axis=1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    picked = np.take_along_axis(log_p, labels[:, None], axis=1)
    return -np.mean(picked) + 0.1 * np.sum(table.take([0, -1], axis=0) ** 2)


def test_an_embedding_lookup_with_repeated_ids():
    ids, labels = np.array([2, 0, 2, 2]), np.array([1, 0, 3, 1])
    for seed in range(2):
        check_grads(embedding_loss, (rng(seed).normal(size=(3, 4)), ids, labels), wrt=(0,))
    table = np.zeros((3, 4))
    g = adjoint.grad(embedding_loss)(table, ids, labels)
    # Uniform rows: each use of a row gives (1/4 - [label]) / 4; row 1 is unused.
    expected = np.zeros((3, 4))
    for row, label in zip(ids, labels):
        expected[row] += (0.25 - np.eye(4)[label]) / 4
    np.testing.assert_allclose(g, expected, atol=1e-16)


# ---------------------------------------------------------------- methods


def quadratic_form(x, a):
    # A 1 x 1 matrix made a Python float, a cast, and a clipped residual.
    value = (x[None, :] @ a @ x[:, None]).item()
    return value + np.sum(x.astype(float).clip(-1.0, 1.0) ** 2) + np.sum(x.cumsum() * x.cumprod())


def test_a_quadratic_form_through_array_methods():
    for seed in range(2):
        r = rng(seed)
        check_grads(quadratic_form, (r.normal(size=3), r.normal(size=(3, 3))))
    x, a = np.array([0.5, 2.0]), np.eye(2)
    # 2 x; 2 x inside the bounds only; and of the scans, x0^2 + (x0 + x1) x0 x1.
    np.testing.assert_allclose(adjoint.grad(quadratic_form)(x, a),
                               [1.0 + 1.0 + (1.0 + 1.0 + 5.0), 4.0 + 0.0 + (1.0 + 1.25)])


def cast_to(x):
    return np.sum(x.astype(np.int64) * 1.0) + np.sum(x.astype('float32'))


def test_astype_is_differentiated_to_float_types_only():
    with pytest.raises(AdjointError, match='astype\\(int64\\)'):
        adjoint.grad(cast_to)(np.ones(2))
    with pytest.raises(AdjointError, match='astype\\(int64\\)'):
        adjoint.jvp(cast_to, (np.ones(2),), (np.ones(2),))


def clipped_below(x, low):
    return np.sum(x.clip(min=low))


def test_a_bound_passed_by_keyword_gets_its_cotangent():
    x = np.array([0.1, 2.0])
    assert adjoint.jvp(clipped_below, (x, 1.0), (np.zeros(2), 1.0))[1] == 1.0  # forward: right
    assert adjoint.grad(clipped_below, wrt=1)(x, 1.0) == 1.0


# ---------------------------------------------------------------- order statistics and NaNs


def median_of(x):
    return np.median(x)


def quantile_of(x, method):
    return np.quantile(x, 0.3, method=method)


def quartiles_of(x):
    return np.sum(np.quantile(x, [0.25, 0.75]))


def nan_mean_of(x):
    return np.nanmean(3.0 * x) + np.nanstd(x)


def test_median_ties_share_the_cotangent_as_max_does():
    # The middle two of [1, 2, 2, 2, 5, 6] are tied 2s: each of the three 2s gets a
    # third; an odd count gives the middle one, shared among its ties likewise.
    x = np.array([2.0, 1.0, 2.0, 6.0, 2.0, 5.0])
    np.testing.assert_allclose(adjoint.grad(median_of)(x), [1 / 3, 0, 1 / 3, 0, 1 / 3, 0])
    x = np.array([3.0, 1.0, 4.0, 1.5, 9.0, 2.0])  # no ties: half to 2.0 and to 3.0
    np.testing.assert_allclose(adjoint.grad(median_of)(x), [0.5, 0, 0, 0, 0, 0.5])
    np.testing.assert_allclose(adjoint.jvp(median_of, (x,), (np.arange(6.0),))[1], 2.5)


def test_quantiles_other_than_linear_and_several_at_once_are_refused():
    x = np.array([3.0, 1.0, 4.0, 1.5])
    np.testing.assert_allclose(adjoint.grad(quantile_of)(x, 'linear'), [0, 0.1, 0, 0.9])
    with pytest.raises(AdjointError, match="np.quantile with method='nearest'"):
        adjoint.grad(quantile_of)(x, 'nearest')
    with pytest.raises(AdjointError, match='several quantiles'):
        adjoint.grad(quartiles_of)(x)


def test_nan_reductions_give_nans_no_cotangent():
    x = np.array([1.0, np.nan, 3.0])
    # A NaN gets 0 (a NaN times its cotangent would be NaN: `x * x` gives one).
    np.testing.assert_allclose(adjoint.grad(nan_mean_of)(x), [1.0, 0.0, 2.0])
    np.testing.assert_allclose(adjoint.jvp(nan_mean_of, (x,), (np.ones(3),))[1], 3.0)
