"""End to end: small realistic functions of the factorizations of `np.linalg`
(cholesky, eigh, svd, slogdet, pinv, qr), of `lstsq`, `matrix_power` and
`multi_dot`, of every order of `np.linalg.norm`, of
`np.fft`'s real transforms and of `math`'s special functions, against finite
differences in both modes (`check_grads`) at several points, and at second order;
and the errors raised where a derivative does not exist or is not supported.

The rules themselves are swept in tests/test_rules.py and tests/test_jvp_rules.py
(their checks are in tests/linalg_more_checks.py).
"""

import math

import numpy as np
import pytest

import adjoint
from adjoint.rules import numpy_helpers
from adjoint.rules.numpy_helpers import polygamma
from adjoint.testing import check_grads

EULER_GAMMA = 0.5772156649015329


def rng(seed):
    return np.random.default_rng(seed)


def check_second_order(fn, x, seed, eps=1e-5):
    """The Hessian-vector product (forward over reverse) against central
    differences of the gradient."""
    v = rng(seed).normal(size=np.shape(x))
    gradient = adjoint.grad(fn)
    expected = (gradient(x + eps * v) - gradient(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(adjoint.hvp(fn)(x, v), expected, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------- factorizations


def gaussian_log_likelihood(params, r):
    # A covariance A A^T + I from parameters; its Cholesky factor gives the log
    # determinant and the whitened residual.
    a = np.reshape(params, (3, 3))
    cov = a @ a.T + np.eye(3)
    chol = np.linalg.cholesky(cov)
    z = np.linalg.solve(chol, r)
    log_det = 2.0 * np.sum(np.log(np.sum(chol * np.eye(3), axis=1)))
    return -0.5 * (log_det + z @ z)


def ground_state(coupling, onsite):
    # The lowest eigenvalue of a tight-binding chain and how localized its state is.
    hopping = np.diag(np.ones(3), 1) + np.diag(np.ones(3), -1)
    w, v = np.linalg.eigh(onsite * np.eye(4) + coupling * hopping)
    state = v[:, 0]
    return w[0] + np.sum(state ** 4)


def low_rank_error(a, target):
    # How far the best rank-1 approximation of `a` is from `target`, plus the
    # energy of the singular values.
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    rank_one = s[0] * np.outer(u[:, 0], vh[0])
    return np.sum((rank_one - target) ** 2) + np.sum(np.linalg.svd(a, compute_uv=False) ** 3)


def least_squares(design, y):
    coefficients = np.linalg.pinv(design) @ y
    residual = design @ coefficients - y
    return residual @ residual + 0.1 * coefficients @ coefficients


def log_volume(a):
    sign, log_abs = np.linalg.slogdet(a @ a.T + 0.5 * np.eye(3))
    return sign * log_abs + np.linalg.slogdet(a[:2, :2])[1]


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_factorizations_end_to_end(seed):
    g = rng(seed)
    check_grads(gaussian_log_likelihood, (g.normal(size=9), g.normal(size=3)))
    check_grads(ground_state, (float(g.uniform(0.3, 1.0)), g.normal(size=4)))
    check_grads(low_rank_error, (g.normal(size=(4, 3)), g.normal(size=(4, 3))))
    check_grads(least_squares, (g.normal(size=(5, 2)), g.normal(size=5)))
    check_grads(log_volume, (g.normal(size=(3, 3)),))


@pytest.mark.parametrize('seed', [0, 1])
def test_factorizations_at_second_order(seed):
    g = rng(seed)
    r = g.normal(size=3)
    check_second_order(lambda p: gaussian_log_likelihood(p, r), g.normal(size=9), seed)
    onsite = g.normal(size=4)
    check_second_order(lambda t: ground_state(t[0], onsite), np.array([0.7]), seed)
    target = g.normal(size=(4, 3))
    check_second_order(lambda a: low_rank_error(a, target), g.normal(size=(4, 3)), seed)
    y = g.normal(size=5)
    check_second_order(lambda d: least_squares(d, y), g.normal(size=(5, 2)), seed)


def upper_cholesky_total(a):
    return np.sum(np.linalg.cholesky(a) ** 2)


def test_cholesky_and_eigh_read_the_lower_triangle():
    a = np.array([[4.0, 9.0, 9.0], [1.0, 5.0, 9.0], [0.5, -1.0, 6.0]])  # upper: ignored
    grad = adjoint.grad(upper_cholesky_total)(a)
    assert np.all(grad[np.triu_indices(3, 1)] == 0.0)
    check_grads(upper_cholesky_total, (a,))
    check_grads(ground_state, (0.5, np.array([1.0, -0.5, 2.0, 0.3])))


def eigenvalue_sum(a):
    return np.sum(np.linalg.eigh(a)[0] * np.array([1.0, 2.0, 3.0]))


def singular_values(a):
    return np.sum(np.linalg.svd(a, compute_uv=False) * np.array([1.0, 2.0]))


def full_svd(a):
    return np.sum(np.linalg.svd(a)[0])


def pinv_total(a):
    return np.sum(np.linalg.pinv(a))


@pytest.mark.parametrize('fn, a, match', [
    (eigenvalue_sum, np.eye(3), r'np\.linalg\.eigh .*two eigenvalues are equal'),
    (singular_values, np.array([[2.0, 0.0], [0.0, 2.0], [0.0, 0.0]]),
     r'np\.linalg\.svd .*two singular values are equal'),
    (singular_values, np.array([[1.0, 2.0], [2.0, 4.0]]), r'singular value is 0'),
    (full_svd, np.ones((3, 2)) + np.eye(3, 2), r'full_matrices=False'),
    (pinv_total, np.array([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]]), r'full rank'),
], ids=['eigh repeated', 'svd repeated', 'svd rank-deficient', 'svd full', 'pinv rank'])
def test_where_a_factorization_has_no_derivative_it_raises(fn, a, match):
    with pytest.raises(adjoint.AdjointError, match=match):
        adjoint.grad(fn)(a)
    with pytest.raises(adjoint.AdjointError, match=match):
        adjoint.jvp(fn, (a,), (np.ones_like(a),))


# ---------------------------------------------------------------- norms


def norms_of_a_vector(x):
    return (np.linalg.norm(x) + np.linalg.norm(x, 1) + np.linalg.norm(x, np.inf)
            + np.linalg.norm(x, -np.inf) + np.linalg.norm(x, 3) + np.linalg.norm(x, 1.5) ** 2)


def norms_of_a_matrix(a):
    return (np.linalg.norm(a, 'fro') + np.linalg.norm(a, 'nuc') + np.linalg.norm(a, 2)
            + np.linalg.norm(a, -2) + np.linalg.norm(a, 1) + np.linalg.norm(a, -1)
            + np.linalg.norm(a, np.inf) + np.linalg.norm(a, -np.inf))


def norms_of_a_stack(x):
    rows = np.linalg.norm(x, np.inf, axis=-1, keepdims=True)
    return (np.sum(x / rows) + np.sum(np.linalg.norm(x, 'nuc', axis=(1, 2)) ** 2)
            + np.sum(np.linalg.norm(x, 2, axis=(2, 0))) + np.sum(np.linalg.norm(x, -1, (0, 1))))


@pytest.mark.parametrize('seed', [3, 4, 5])
def test_norms_end_to_end(seed):
    g = rng(seed)
    check_grads(norms_of_a_vector, (g.normal(size=5),))
    check_grads(norms_of_a_matrix, (g.normal(size=(3, 4)),))
    check_grads(norms_of_a_stack, (g.normal(size=(2, 3, 4)),))


@pytest.mark.parametrize('seed', [3, 4])
def test_norms_at_second_order(seed):
    g = rng(seed)
    check_second_order(norms_of_a_vector, g.normal(size=5), seed)
    check_second_order(norms_of_a_matrix, g.normal(size=(3, 4)), seed)
    check_second_order(norms_of_a_stack, g.normal(size=(2, 3, 4)), seed)


def max_norm(x):
    return np.linalg.norm(x, np.inf)


def matrix_one_norm(a):
    return np.linalg.norm(a, 1)


def spectral_norm(a):
    return np.linalg.norm(a, 2)


def nuclear_norm(a):
    return np.linalg.norm(a, 'nuc')


def smallest_singular_value(a):
    return np.linalg.norm(a, -2)


def test_tied_norms_share_the_cotangent():
    np.testing.assert_array_equal(adjoint.grad(max_norm)(np.array([3.0, -3.0, 1.0])),
                                  [0.5, -0.5, 0.0])
    a = np.array([[1.0, -2.0], [-2.0, 1.0]])  # both columns sum to 3
    np.testing.assert_array_equal(adjoint.grad(matrix_one_norm)(a),
                                  0.5 * np.sign(a))
    q = np.linalg.qr(rng(6).normal(size=(3, 3)))[0]  # all singular values of 2q are 2
    np.testing.assert_allclose(adjoint.grad(spectral_norm)(2.0 * q), q / 3, atol=1e-12)
    np.testing.assert_allclose(adjoint.grad(nuclear_norm)(2.0 * q), q, atol=1e-12)
    for fn, x in ((max_norm, np.array([3.0, -3.0, 1.0])), (matrix_one_norm, a),
                  (spectral_norm, 2.0 * q)):
        t = rng(7).normal(size=x.shape)  # the tangent pairs with the gradient
        assert adjoint.jvp(fn, (x,), (t,))[1] == pytest.approx(
            np.sum(adjoint.grad(fn)(x) * t), rel=1e-12)


def test_norms_of_singular_values_at_rank_deficient_matrices():
    a = np.outer([1.0, 2.0, 2.0], [3.0, 0.0, 4.0])  # rank 1: singular values 15, 0, 0
    expected = np.outer([1.0, 2.0, 2.0], [3.0, 0.0, 4.0]) / 15.0  # u v^T
    np.testing.assert_allclose(adjoint.grad(nuclear_norm)(a), expected, atol=1e-12)
    np.testing.assert_allclose(adjoint.grad(smallest_singular_value)(a), np.zeros((3, 3)))
    np.testing.assert_array_equal(adjoint.grad(norms_of_a_vector)(np.zeros(3)), np.zeros(3))


def count_norm(x):
    return np.linalg.norm(x, 0)


def half_norm(x):
    return np.linalg.norm(x, 0.5)


@pytest.mark.parametrize('fn, match', [(count_norm, r'ord=0 .*no derivative'),
                                       (half_norm, r'ord=0\.5 .*not supported')])
def test_norms_without_a_derivative_raise(fn, match):
    with pytest.raises(adjoint.AdjointError, match=match):
        adjoint.grad(fn)(np.array([1.0, -2.0]))
    with pytest.raises(adjoint.AdjointError, match=match):
        adjoint.jvp(fn, (np.array([1.0, -2.0]),), (np.ones(2),))


_A = np.array([[2.0, 1.0, 0.0], [0.5, 3.0, 1.0], [1.0, 0.0, 1.5]])
_B = np.array([[0.3, -1.0, 0.2], [1.0, 0.5, 0.0], [-0.4, 0.1, 0.7]])


def nuclear_along(t):
    return np.linalg.norm(_A + t * _B, 'nuc')


def test_spectral_norms_have_second_but_not_third_derivatives():
    second = adjoint.derivative(adjoint.derivative(nuclear_along))
    d = adjoint.derivative(nuclear_along)
    assert second(0.3) == pytest.approx((d(0.3 + 1e-5) - d(0.3 - 1e-5)) / 2e-5, rel=1e-6)
    with pytest.raises(adjoint.AdjointError, match=r"third derivatives .*ord='nuc'"):
        adjoint.derivative(second)(0.3)


# ---------------------------------------------------------------- fft


def smoothed_energy(coefficients, weights):
    # A signal synthesized from real cosine coefficients, centred, weighted.
    signal = np.fft.fftshift(np.fft.irfft(coefficients, 12))
    return np.sum(signal ** 2 * weights) + np.sum(np.fft.ifftshift(signal[:6]) * weights[:6])


def orthonormal_synthesis(coefficients):
    return np.sum(np.sin(np.fft.irfft(coefficients, axis=0, norm='ortho')))


@pytest.mark.parametrize('seed', [8, 9])
def test_real_fft_end_to_end(seed):
    g = rng(seed)
    check_grads(smoothed_energy, (g.normal(size=5), g.normal(size=12)))
    check_grads(orthonormal_synthesis, (g.normal(size=(4, 3)),))
    check_second_order(orthonormal_synthesis, g.normal(size=(4, 3)), seed)


def power_spectrum(x):
    return np.sum(np.abs(np.fft.fft(x)) ** 2)


def real_spectrum(x):
    return np.sum(np.fft.irfft(np.fft.rfft(x) * 0.5))


def complex_spectrum(x):
    return np.sum(np.fft.irfft(x * 1j))


@pytest.mark.parametrize('fn, name', [(power_spectrum, 'np.fft.fft'),
                                      (real_spectrum, 'np.fft.rfft')])
def test_complex_intermediates_are_refused_by_name(fn, name):
    x = rng(10).normal(size=6)
    for mode in ('rev', 'fwd'):
        with pytest.raises(adjoint.UnknownCallableError) as error:
            if mode == 'rev':
                adjoint.grad(fn)(x)
            else:
                adjoint.jvp(fn, (x,), (x,))
        assert f'`{name}` is not differentiable yet' in str(error.value)
        assert 'complex intermediates' in str(error.value)


def test_irfft_of_a_complex_array_raises_in_reverse_mode():
    # The complex constant is rejected where the code is compiled; irfft_grad checks
    # its argument again where it runs.
    with pytest.raises(adjoint.AdjointError, match=r'complex numbers are not differentiated'):
        adjoint.grad(complex_spectrum)(np.ones(4))
    with pytest.raises(adjoint.AdjointError, match=r'np\.fft\.irfft of a complex array'):
        numpy_helpers.irfft_grad(np.ones(6), np.ones(4) * 1j)


# ---------------------------------------------------------------- math


def gamma_log_likelihood(shape, rate, x1, x2):
    # Of the gamma distribution, at two observations.
    terms = [shape * math.log(rate) - math.lgamma(shape) + (shape - 1.0) * math.log(x)
             - rate * x for x in (x1, x2)]
    return math.fsum(terms)


def special_functions(x, y, z):
    normal_cdf = 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))
    return (normal_cdf + math.erfc(y) * math.gamma(z) + math.expm1(x * y)
            + math.log1p(z * z) + math.hypot(x, y, z) + math.atan2(y, x))


@pytest.mark.parametrize('point', [(2.5, 1.3, 0.7, 2.0), (0.8, 0.4, 1.9, 0.3)])
def test_special_functions_end_to_end(point):
    check_grads(gamma_log_likelihood, point)
    check_grads(special_functions, point[:3])
    check_grads(special_functions, (-point[0], point[1], -1.5))  # gamma of a negative


def gamma(x):
    return math.gamma(x)


def lgamma(x):
    return math.lgamma(x)


def test_gamma_at_second_and_third_order():
    # gamma'' = gamma (psi^2 + psi'), from the rules of polygamma.
    second = adjoint.derivative(adjoint.derivative(gamma))
    for x in (0.6, 2.3, -1.4):
        psi, trigamma = polygamma(x, 0), polygamma(x, 1)
        assert second(x) == pytest.approx(math.gamma(x) * (psi ** 2 + trigamma), rel=1e-12)
    third = adjoint.derivative(adjoint.derivative(adjoint.derivative(lgamma)))
    assert third(1.0) == pytest.approx(-2.4041138063191885, rel=1e-12)  # -2 zeta(3)


def test_polygamma_is_exact_to_float_precision():
    assert polygamma(1.0) == pytest.approx(-EULER_GAMMA, rel=1e-15)
    assert polygamma(0.5) == pytest.approx(-EULER_GAMMA - 2 * math.log(2), rel=1e-15)
    assert polygamma(-0.5) == pytest.approx(2 - EULER_GAMMA - 2 * math.log(2), rel=1e-14)
    assert polygamma(1.0, 1) == pytest.approx(math.pi ** 2 / 6, rel=1e-15)
    assert polygamma(0.5, 1) == pytest.approx(math.pi ** 2 / 2, rel=1e-15)
    assert polygamma(0.5, 3) == pytest.approx(math.pi ** 4, rel=1e-14)
    for x in (1e-6, 0.3, 3.7, 42.0, -2.3, -7.9):
        for n in range(4):  # the recurrence psi^(n)(x + 1) = psi^(n)(x) + (-1)^n n! / x^(n+1)
            step = (-1) ** n * math.factorial(n) / x ** (n + 1)
            assert polygamma(x + 1, n) == pytest.approx(polygamma(x, n) + step, rel=1e-13,
                                                        abs=1e-13 * abs(step))
    for x in (0.3, 3.7, 42.0, -2.3, -7.9):  # the derivative of lgamma
        assert polygamma(x) == pytest.approx(
            (math.lgamma(x + 1e-6) - math.lgamma(x - 1e-6)) / 2e-6, rel=1e-6, abs=1e-6)
    assert math.isnan(polygamma(-2.0)) and math.isnan(polygamma(0.0))


# ---------------------------------------------------------------- qr, lstsq, powers, chains


def orthonormal_fit(a, b):
    # Least squares through the reduced QR: x = R^-1 Q^T b.
    q, r = np.linalg.qr(a)
    return np.sum(np.linalg.solve(r, q.T @ b) ** 2)


def least_squares(a, b):
    x, residuals, rank, s = np.linalg.lstsq(a, b)
    return np.sum(x ** 2) + np.sum(residuals) * rank


def least_squares_and_spectrum(a, b):
    x, residuals, rank, s = np.linalg.lstsq(a, b)
    return np.sum(x ** 2) + np.sum(residuals) + np.sum(s ** 3)


def qr_of(a, mode='reduced'):
    return np.sum(np.linalg.qr(a, mode)[0])


def qr_complete(a):
    return np.sum(np.linalg.qr(a, 'complete')[0])


def solution(a, b):
    return np.sum(np.linalg.lstsq(a, b)[0])


def powers(a):
    return (np.sum(np.linalg.matrix_power(a, 0)) + np.sum(np.linalg.matrix_power(a, 5))
            + np.sum(np.linalg.matrix_power(a, -3)))


def chain(v, a, b, w):
    return np.linalg.multi_dot([v, a, b, a.T, w])


def normal_solution(a, b):
    return np.sum(np.linalg.lstsq(a, b)[0] ** 2)


def test_qr_and_lstsq_agree_on_least_squares():
    a, b = rng(40).normal(size=(6, 3)), rng(41).normal(size=6)
    check_grads(orthonormal_fit, (a, b), order=2)
    check_grads(least_squares, (a, b), order=2)
    check_grads(least_squares, (a.T, b[:3]), order=2)  # wide: the minimum-norm solution
    check_grads(least_squares_and_spectrum, (a, b))  # s: first derivatives only
    grads = adjoint.grad(orthonormal_fit, wrt=(0, 1))(a, b)
    expected = adjoint.grad(normal_solution, wrt=(0, 1))(a, b)
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


def test_qr_derivative_exists_for_full_rank_tall_matrices_only():
    wide, low_rank = np.ones((2, 3)), np.outer(np.arange(1.0, 5.0), [1.0, 2.0])
    for a, match in ((wide, 'more columns than rows'), (low_rank, 'not of full rank')):
        with pytest.raises(adjoint.AdjointError, match=match):
            adjoint.grad(qr_of)(a)
        with pytest.raises(adjoint.AdjointError, match=match):
            adjoint.jvp(qr_of, (a,), (a,))
    with pytest.raises(adjoint.AdjointError, match="mode='complete'"):
        adjoint.grad(qr_complete)(np.eye(2) + 1.0)


def test_lstsq_derivative_needs_full_rank():
    a = np.outer(np.arange(1.0, 5.0), [1.0, 2.0])
    with pytest.raises(adjoint.AdjointError, match='full rank'):
        adjoint.grad(solution)(a, np.ones(4))
    with pytest.raises(adjoint.AdjointError, match='full rank'):
        adjoint.jvp(solution, (a, np.ones(4)), (a, None))


def test_matrix_power_of_every_integer_power():
    a = rng(42).normal(size=(3, 3)) + 3.0 * np.eye(3)
    check_grads(powers, (a,), order=2)
    # d(a^2) = da a + a da: along the identity, 2a.
    np.testing.assert_allclose(adjoint.jvp(square_matrix, (a,), (np.eye(3),))[1], 2.0 * a)


def square_matrix(a):
    return np.linalg.matrix_power(a, 2)


def test_multi_dot_of_vectors_and_matrices():
    v, a, b, w = (rng(43).normal(size=3), rng(44).normal(size=(3, 4)),
                  rng(45).normal(size=(4, 4)), rng(46).normal(size=3))
    check_grads(chain, (v, a, b, w), order=2)
    assert isinstance(adjoint.jvp(chain, (v, a, b, w), (v, a, b, w))[1], float)


def test_second_derivatives_of_lstsq_need_no_svd_unless_s_is_used():
    # Orthonormal columns: every singular value is 1, where the SVD's vectors have
    # no derivative; the solution's second derivatives do not need them.
    a, b = np.eye(4)[:, :2] * 2.0, np.arange(4.0)
    check_second_order(fit_of, a, 47)
    with pytest.raises(adjoint.AdjointError, match='second derivatives of the singular values'):
        adjoint.hessian(singular_sum)(rng(48).normal(size=(4, 2)), b)


def fit_of(a):
    return np.sum(np.linalg.lstsq(a, np.arange(4.0))[0] ** 2)


def singular_sum(a, b):
    return np.sum(np.linalg.lstsq(a, b)[3] ** 3)
