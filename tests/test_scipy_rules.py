"""SciPy's special functions and normal distribution, an optional extra: in both
modes against finite differences in the functions people write with them, the
ways of naming them (`norm.logpdf` after `from scipy.stats import norm`, and
`scipy.stats.norm.logpdf`), their edges, and the errors of what is not supported.
The registry sweep (test_rules.py, test_jvp_rules.py, with tests/scipy_checks.py)
checks every rule at random points and at second order.

Skipped where SciPy is not installed.
"""

import inspect
import math
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

scipy_special = pytest.importorskip('scipy.special')
scipy_stats = pytest.importorskip('scipy.stats')
scipy_signal = pytest.importorskip('scipy.signal')

import scipy.signal  # noqa: E402 - after the skip
import scipy.special  # noqa: E402
import scipy.stats  # noqa: E402
from scipy.special import expit, gammaln, logsumexp, xlogy  # noqa: E402
from scipy.stats import (beta, chi2, dirichlet, gamma, multivariate_normal, norm,  # noqa: E402
                         poisson, t)

import adjoint  # noqa: E402
from adjoint.rules import scipy_rules, scipy_signal_rules  # noqa: E402
from adjoint.rules.registry import TABLE  # noqa: E402
from adjoint.testing import check_grads  # noqa: E402
from transforms.core.errors import AdjointError


def rng(seed):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- the normal distribution


def log_likelihood(x, mu, sigma):
    return np.sum(norm.logpdf(x, mu, sigma))


def log_likelihood_dotted(x, mu, sigma):
    return np.sum(scipy.stats.norm.logpdf(x, loc=mu, scale=sigma))


def probit_terms(x, mu, sigma):
    # Each of the four, loc and scale by position and by name.
    return np.sum(norm.pdf(x, mu, sigma) + norm.cdf(x, loc=mu, scale=sigma)
                  + scipy.stats.norm.logcdf(x, mu, scale=sigma)) + np.sum(norm.logpdf(x))


@pytest.mark.parametrize('fn', [log_likelihood, log_likelihood_dotted, probit_terms],
                         ids=lambda fn: fn.__name__)
def test_the_normal_distribution_in_x_loc_and_scale(fn):
    r = rng(1)
    x = r.normal(size=4)
    for mu, sigma in ((0.3, 1.5), (r.normal(size=4), r.uniform(0.5, 2.0, size=4)),
                      (np.array(-0.2), r.uniform(0.5, 2.0, size=(2, 1)))):
        check_grads(fn, (x, mu, sigma))


def test_both_ways_of_naming_norm_give_the_log_density_gradient():
    # d/dmu sum log N(x; mu, s) = sum(x - mu) / s^2; d/ds = sum((x - mu)^2 / s^3 - 1 / s).
    x, mu, s = np.array([0.5, -1.0, 2.0]), 0.25, 1.5
    for fn in (log_likelihood, log_likelihood_dotted):
        gx, gmu, gs = adjoint.grad(fn, wrt=(0, 1, 2))(x, mu, s)
        np.testing.assert_allclose(gx, -(x - mu) / s ** 2, rtol=1e-13)
        assert gmu == pytest.approx(np.sum(x - mu) / s ** 2, rel=1e-13)
        assert gs == pytest.approx(np.sum((x - mu) ** 2 / s ** 3 - 1 / s), rel=1e-13)


def test_second_derivatives_of_the_log_likelihood():
    # The Fisher information, as the Hessian in (mu, sigma) of a sum of n terms.
    x = rng(2).normal(0.4, 1.3, size=50)
    mu, s = 0.4, 1.3
    h = adjoint.hessian(log_likelihood, wrt=(1, 2))(x, mu, s)
    n, d = len(x), x - mu
    assert h[0][0] == pytest.approx(-n / s ** 2, rel=1e-12)
    assert h[0][1] == pytest.approx(-2 * np.sum(d) / s ** 3, rel=1e-12)
    assert h[1][1] == pytest.approx(n / s ** 2 - 3 * np.sum(d ** 2) / s ** 4, rel=1e-12)


def test_logcdf_far_in_the_left_tail_has_its_derivative():
    # At z = -40 the density and the distribution both underflow to 0 (0 / 0 in the
    # textbook formula); the Mills ratio's asymptotic series gives the derivative.
    z = -40.0
    expected = -z / (1 - 1 / z ** 2 + 3 / z ** 4 - 15 / z ** 6 + 105 / z ** 8)
    assert adjoint.grad(lambda x: norm.logcdf(x))(z) == pytest.approx(expected, rel=1e-12)
    assert adjoint.derivative(lambda x: scipy.special.log_ndtr(x))(z) == \
        pytest.approx(expected, rel=1e-12)


def frozen(x, mu, sigma):
    # Each frozen in the function and its method called on it, by name or at once.
    d = norm(mu, scale=sigma)
    return np.sum(d.logpdf(x) + scipy.stats.norm(mu, sigma).cdf(x) + t(3.5, loc=mu).pdf(x)
                  + gamma(2.0, mu, sigma).logpdf(x + 3.0) + d.logsf(x))


def frozen_multivariate(x, mean, factor, alpha, mu):
    gaussian = multivariate_normal(mean, cov=factor @ factor.T + np.eye(2))
    u = np.exp(x) / np.sum(np.exp(x))
    return (np.sum(gaussian.logpdf(x)) + gaussian.entropy()
            + dirichlet(alpha).logpdf(u) + np.sum(poisson(mu).logpmf(np.array([0, 3]))))


def test_a_frozen_distribution_made_in_the_function_is_differentiated():
    r = rng(8)
    for point in ((r.normal(size=3), 0.3, 1.5), (r.normal(size=(2, 3)), -0.2, 0.8)):
        check_grads(frozen, point)
    check_grads(frozen_multivariate, (r.normal(size=2), r.normal(size=2),
                                      r.normal(size=(2, 2)), np.array([1.5, 2.5]), 1.7))
    # It is the unfrozen call: d/dmu sum log N(x; mu, s) = sum(x - mu) / s^2.
    x = np.array([0.5, -1.0, 2.0])
    assert adjoint.grad(lambda x, mu: np.sum(norm(mu, 1.5).logpdf(x)), wrt=1)(x, 0.25) == \
        pytest.approx(np.sum(x - 0.25) / 1.5 ** 2, rel=1e-13)


def passed_on(x, mu):
    return _logpdf_of(norm(mu, 1.0), x)


def _logpdf_of(distribution, x):
    return np.sum(distribution.logpdf(x))


def seeded(x, mean):
    return np.sum(multivariate_normal(mean, np.eye(2), seed=0).logpdf(x))


def x_by_name(x, mu):
    return np.sum(norm(mu).logpdf(x=x))


@pytest.mark.parametrize('fn, args, tangents', [
    (passed_on, (np.array([0.5, 1.0]), 0.3), (np.ones(2), 1.0)),
    (seeded, (np.ones(2), np.zeros(2)), (np.ones(2), np.ones(2))),
    (x_by_name, (np.array([0.5, 1.0]), 0.3), (np.ones(2), 1.0))],
    ids=lambda v: getattr(v, '__name__', ''))
def test_a_frozen_distribution_used_otherwise_is_rejected_in_both_modes(fn, args, tangents):
    # Passed to a helper, frozen with seed= (which logpdf does not take), or its x
    # by name: the frozen object's own method runs, which has no rule.
    for differentiate in (lambda: adjoint.grad(fn, wrt=(0, 1))(*args),
                          lambda: adjoint.jvp(fn)(args, tangents)):
        with pytest.raises(adjoint.UnknownCallableError, match=r'logpdf') as error:
            differentiate()
        if fn is not passed_on:  # the helper cannot tell what its argument is
            assert 'norm.logpdf(x, loc, scale)' in str(error.value)
            line = inspect.getsourcelines(fn)[1] + 1
            assert f'test_scipy_rules.py:{line}' in str(error.value)


# ---------------------------------------------------------------- the other distributions
# Each as a program written against autograd.scipy.stats would call it: array x,
# scalar parameters, by position and by name, checked in both modes against
# central differences (check_grads) at two points.


def student_t(x, df, loc, scale):
    return np.sum(t.logpdf(x, df, loc, scale) + scipy.stats.t.pdf(x, df=df, loc=loc, scale=scale)
                  + t.logpdf(x, df))


def gamma_terms(x, a, loc, scale):
    return np.sum(gamma.logpdf(x, a, loc, scale) + scipy.stats.gamma.pdf(x, a=a, loc=loc,
                                                                         scale=scale)
                  + gamma.logpdf(x, a))


def beta_terms(x, a, b, loc, scale):
    return np.sum(beta.logpdf(x, a, b, loc, scale) + beta.pdf(x, a=a, b=b, loc=loc, scale=scale)
                  + scipy.stats.beta.logpdf((x - loc) / scale, a, b))


def chi2_terms(x, df, loc, scale):
    return np.sum(chi2.logpdf(x, df, loc, scale) + chi2.pdf(x, df=df, loc=loc, scale=scale)
                  + scipy.stats.chi2.logpdf(x, df))


DENSITIES = [
    (student_t, [(np.array([0.3, -1.2, 2.0]), 3.5, 0.2, 1.4),
                 (np.array([-2.5, 0.1]), 1.2, -0.4, 0.6)]),
    (gamma_terms, [(np.array([0.5, 1.7, 4.0]), 2.5, 0.1, 1.3),
                   (np.array([2.2, 3.1]), 0.7, -0.5, 2.0)]),
    (beta_terms, [(np.array([0.2, 0.5, 0.9]), 2.5, 1.5, 0.1, 1.2),
                  (np.array([-0.3, 0.4]), 0.8, 3.0, -0.5, 1.5)]),
    (chi2_terms, [(np.array([0.5, 1.7, 4.0]), 3.5, 0.1, 1.3),
                  (np.array([2.2, 3.1]), 1.5, -0.5, 2.0)]),
]


@pytest.mark.parametrize('fn, points', DENSITIES, ids=lambda v: getattr(v, '__name__', ''))
def test_densities_in_x_and_their_parameters(fn, points):
    for point in points:
        check_grads(fn, point)


def poisson_log_likelihood(mu, counts):
    return np.sum(poisson.logpmf(counts, mu) + scipy.stats.poisson.pmf(counts, mu=mu))


def test_poisson_in_mu_with_the_counts_as_data():
    counts = np.array([0, 2, 5, 3])
    for mu in (1.7, np.array([0.5, 2.0, 4.0, 3.0])):
        check_grads(poisson_log_likelihood, (mu, counts), wrt=(0,))
    # d/dmu sum log Poisson(k; mu) = sum(k) / mu - n.
    assert adjoint.grad(lambda mu, k: np.sum(poisson.logpmf(k, mu)))(1.7, counts) == \
        pytest.approx(np.sum(counts) / 1.7 - 4, rel=1e-13)


def poisson_cdf(mu, counts):
    return np.sum(poisson.cdf(counts, mu) + scipy.stats.poisson.cdf(counts, mu=mu, loc=1))


def test_poisson_cdf_in_mu_as_autograd():
    counts = np.array([0, 2, 5.5, 3])
    for mu in (1.7, np.array([0.5, 2.0, 4.0, 3.0])):
        check_grads(poisson_cdf, (mu, counts), wrt=(0,))
    # The sum of the pmf up to floor(k): its derivative telescopes to -pmf(floor(k)).
    assert adjoint.grad(lambda mu: poisson.cdf(5.5, mu))(1.7) == \
        pytest.approx(-poisson.pmf(5, 1.7), rel=1e-13)


def gaussian_density(x, mean, factor):
    cov = factor @ factor.T + np.eye(2)
    return (np.sum(multivariate_normal.pdf(x, mean, cov))
            + scipy.stats.multivariate_normal.entropy(mean, cov=cov))


def test_multivariate_normal_pdf_and_entropy():
    r = rng(9)
    for x in (r.normal(size=2), r.normal(size=(5, 2))):
        check_grads(gaussian_density, (x, r.normal(size=2), r.normal(size=(2, 2))))
    # The entropy's cotangent of cov is autograd's, inv(cov).T / 2.
    cov = np.array([[2.0, 0.3], [0.3, 1.0]])
    np.testing.assert_allclose(
        adjoint.grad(lambda c: multivariate_normal.entropy(np.zeros(2), c))(cov),
        0.5 * np.linalg.inv(cov).T, rtol=1e-13)


def gaussian(x, mean, factor):
    # A symmetric covariance: SciPy reads one triangle of cov.
    return np.sum(multivariate_normal.logpdf(x, mean, factor @ factor.T + np.eye(2)))


def test_multivariate_normal_in_x_mean_and_cov_as_autograd():
    r = rng(6)
    for x in (r.normal(size=2), r.normal(size=(5, 2))):
        check_grads(gaussian, (x, r.normal(size=2), r.normal(size=(2, 2))))
    # The cotangent of cov is autograd's (s s^T - cov^-1) / 2, s = cov^-1 (x - mean).
    x, mean = r.normal(size=2), r.normal(size=2)
    cov = np.array([[2.0, 0.3], [0.3, 1.0]])
    gcov = adjoint.grad(lambda c: multivariate_normal.logpdf(x, mean, cov=c))(cov)
    s = np.linalg.solve(cov, x - mean)
    np.testing.assert_allclose(gcov, 0.5 * (np.outer(s, s) - np.linalg.inv(cov)), rtol=1e-12)
    _, tangent = adjoint.jvp(lambda c: multivariate_normal.logpdf(x, mean, c))((cov,), (gcov,))
    assert tangent == pytest.approx(np.sum(gcov * gcov), rel=1e-12)


def test_dirichlet_in_x_and_alpha_as_autograd():
    r = rng(7)
    alpha = np.array([1.5, 2.0, 0.7])

    def on_the_simplex(u, alpha):
        x = np.exp(u) / np.sum(np.exp(u), axis=0)
        return np.sum(dirichlet.logpdf(x, alpha) + scipy.stats.dirichlet.logpdf(x, alpha=alpha)
                      + dirichlet.pdf(x, alpha))

    for u in (r.normal(size=3), r.normal(size=(3, 4))):
        check_grads(on_the_simplex, (u, alpha))
    # x's entries taken as independent, as autograd: (alpha - 1) / x.
    x = np.array([0.2, 0.5, 0.3])
    gx, galpha = adjoint.grad(lambda x, a: dirichlet.logpdf(x, a), wrt=(0, 1))(x, alpha)
    np.testing.assert_allclose(gx, (alpha - 1) / x, rtol=1e-13)
    np.testing.assert_allclose(galpha, scipy.special.digamma(np.sum(alpha))
                               - scipy.special.digamma(alpha) + np.log(x), rtol=1e-13)


def distribution_functions(x, loc, scale):
    return np.sum(t.cdf(x, 3.0, loc, scale) + gamma.cdf(x + 3.0, 2.0, loc=loc, scale=scale)
                  + beta.cdf(x / 10.0 + 0.5, 2.0, 1.5) + chi2.cdf(x + 3.0, df=3.0, scale=scale)
                  + t.logcdf(x, 2.5, loc=loc, scale=scale) + norm.sf(x, loc, scale)
                  + scipy.stats.norm.logsf(x, loc=loc, scale=scale))


def test_distribution_functions_in_x_loc_and_scale():
    for point in ((np.array([0.3, -1.2, 2.0]), 0.2, 1.4), (np.array([1.1, -0.4]), -0.3, 0.9)):
        check_grads(distribution_functions, point)


def cdf_in_df(x, df):
    return np.sum(t.cdf(x, df))


def test_a_differentiated_shape_parameter_of_a_cdf_is_rejected_in_both_modes():
    x = np.array([0.5, 1.0])
    for differentiate in (lambda: adjoint.grad(cdf_in_df, wrt=(0, 1))(x, 3.0),
                          lambda: adjoint.jvp(cdf_in_df)((x, 3.0), (np.ones(2), 1.0))):
        with pytest.raises(AdjointError, match=r't\.cdf .* not in its shape parameter df') as error:
            differentiate()
        line = inspect.getsourcelines(cdf_in_df)[1] + 1
        assert f'test_scipy_rules.py:{line}' in '\n'.join(getattr(error.value, '__notes__', [])) \
            + str(error.value)
    # With df constant, x has its derivative: the density.
    np.testing.assert_allclose(adjoint.grad(cdf_in_df)(x, 3.0), t.pdf(x, 3.0), rtol=1e-13)


# ---------------------------------------------------------------- special functions


def special_terms(x):
    return np.sum(gammaln(x) + scipy.special.digamma(x) + scipy.special.psi(x)
                  + scipy.special.erf(x) + scipy.special.erfc(x) + expit(x)
                  + scipy.special.logit(x / 4.0) + xlogy(x, x + 1.0)
                  + scipy.special.xlog1py(x, x) + scipy.special.polygamma(1, x))


def test_special_functions_in_both_modes_and_at_second_order():
    for x in (rng(3).uniform(0.5, 3.0, size=4), 1.7):
        check_grads(special_terms, (x,))
        first = adjoint.grad(special_terms)
        hessian = adjoint.hessian(special_terms)(x)
        eps = 1e-6
        expected = (first(x + eps) - first(x - eps)) / (2 * eps)
        np.testing.assert_allclose(np.diagonal(hessian) if np.ndim(x) else hessian, expected,
                                   rtol=1e-5, atol=1e-6)


def bessel_terms(x):
    return np.sum(scipy.special.j0(x) + scipy.special.j1(x) + scipy.special.y0(x)
                  + scipy.special.y1(x) + scipy.special.jv(1.5, x) + scipy.special.yn(2, x)
                  + scipy.special.iv(2.0, x / 4.0) + scipy.special.ive(0.5, x)
                  + scipy.special.gammainc(1.3, x) + scipy.special.gammaincc(2.0, x)
                  + scipy.special.betainc(1.5, 2.5, x / 20.0) * scipy.special.gammasgn(x))


def test_bessel_and_incomplete_gamma_functions_in_x_as_autograd():
    # autograd's test_scipy.py differentiates them in x, the order and a constant.
    for x in (rng(4).uniform(0.5, 15.0, size=4), 2.3):
        check_grads(bessel_terms, (x,), order=2)


def order_in_jv(v, x):
    return np.sum(scipy.special.jv(v, x))


def a_in_gammainc(a, x):
    return np.sum(scipy.special.gammainc(a, x))


def b_in_betainc(b, x):
    return np.sum(scipy.special.betainc(2.0, b, x))


@pytest.mark.parametrize('fn, message', [(order_in_jv, r'jv is not differentiated .* v'),
                                         (a_in_gammainc, r'gammainc is not differentiated .* a'),
                                         (b_in_betainc, r'betainc is not differentiated .* b')])
def test_a_differentiated_order_or_shape_of_a_special_function_is_rejected_in_both_modes(
        fn, message):
    # Their derivatives there are no special functions of these: never a silent zero.
    x = np.array([0.5, 0.7])
    for differentiate in (lambda: adjoint.grad(fn, wrt=(0, 1))(1.5, x),
                          lambda: adjoint.jvp(fn)((1.5, x), (1.0, np.ones(2)))):
        with pytest.raises(AdjointError, match=message) as error:
            differentiate()
        line = inspect.getsourcelines(fn)[1] + 1
        assert f'test_scipy_rules.py:{line}' in '\n'.join(getattr(error.value, '__notes__', [])) \
            + str(error.value)
    check_grads(fn, (1.5, x), wrt=1, order=2)


def convolution_layer(image, kernel, bias):
    hidden = np.tanh(scipy.signal.convolve(image, kernel, 'valid') + bias)
    return np.sum(scipy.signal.convolve(hidden, kernel, mode='same') ** 2)


def test_a_convolution_layer_in_the_image_the_kernel_and_the_bias():
    # scipy.signal.convolve as autograd's test_scipy.py and its convnet example use it.
    for seed in (5, 6):
        image, kernel = rng(seed).normal(size=(6, 5)), rng(seed + 10).normal(size=(3, 2))
        check_grads(convolution_layer, (image, kernel, 0.3), order=2)


def multigammaln_terms(a):
    return np.sum(scipy.special.multigammaln(a, 2) ** 2 + scipy.special.multigammaln(a, 3))


def test_multigammaln_of_an_array_element_by_element_to_second_order():
    # Its derivative summed digamma(a - j / 2) over every element of a (right for a
    # number only): a crash for a (2, 3) array with d = 2, a wrong gradient with d = 3.
    for a in (np.array([[4.2, 4.5, 4.9], [4.1, 4.3, 4.7]]), 4.4):
        check_grads(multigammaln_terms, (a,), order=2)


def test_gammaln_is_differentiated_left_of_zero():
    # log |gamma|: its derivative is digamma there too.
    for x in (-0.5, -2.7):
        check_grads(lambda x: gammaln(x), (x,))
        assert adjoint.grad(lambda x: gammaln(x))(x) == \
            pytest.approx(scipy.special.digamma(x), rel=1e-14)


def test_xlogy_at_zero():
    # xlogy(0, y) is 0 for every y: the derivative in y is 0, also at y = 0; in x it
    # is log(y), -inf at y = 0.
    gx, gy = adjoint.grad(lambda x, y: xlogy(x, y), wrt=(0, 1))(0.0, 2.0)
    assert (gx, gy) == (math.log(2.0), 0.0)
    with np.errstate(divide='ignore'):  # log(0)
        gx, gy = adjoint.grad(lambda x, y: xlogy(x, y), wrt=(0, 1))(0.0, 0.0)
    assert (gx, gy) == (-math.inf, 0.0)
    _, tangent = adjoint.jvp(lambda x, y: scipy.special.xlog1py(x, y))((0.0, -1.0), (None, 1.0))
    assert tangent == 0.0


# ---------------------------------------------------------------- logsumexp


def log_softmax_loss(w, x, labels):
    # The output layer of a classifier: log-softmax with keepdims=True.
    logits = x @ w
    log_probabilities = logits - logsumexp(logits, axis=1, keepdims=True)
    return -np.sum(log_probabilities * labels)


def weighted_logsumexp(a, b):
    return logsumexp(a, b=b) + np.sum(logsumexp(a, 0, b, True) ** 2)


def test_logsumexp_in_a_classifier_loss():
    r = rng(4)
    x, labels = r.normal(size=(5, 3)), np.eye(4)[r.integers(0, 4, size=5)]
    for w in (r.normal(size=(3, 4)), 3.0 * r.normal(size=(3, 4))):
        check_grads(log_softmax_loss, (w, x, labels), wrt=(0,))
        probabilities = np.exp(x @ w) / np.sum(np.exp(x @ w), axis=1, keepdims=True)
        np.testing.assert_allclose(adjoint.grad(log_softmax_loss)(w, x, labels),
                                   x.T @ (probabilities - labels), rtol=1e-12)


def test_logsumexp_in_a_and_b_where_b_broadcasts():
    r = rng(5)
    a = r.normal(size=(2, 3))
    for b in (r.uniform(0.5, 2.0, size=(2, 3)), r.uniform(0.5, 2.0, size=3)):
        check_grads(weighted_logsumexp, (a, b))
    # Where exp(a) overflows the weights are those of a - 800: logsumexp shifts by 800.
    b = r.uniform(0.5, 2.0, size=3)
    far, near = (adjoint.grad(lambda a, b: logsumexp(a, b=b), wrt=(0, 1))(a + shift, b)
                 for shift in (800.0, 0.0))
    assert np.all(np.isfinite(far[0]))
    np.testing.assert_allclose(far[0], near[0], rtol=1e-12)
    np.testing.assert_allclose(far[1], near[1], rtol=1e-12)


def test_logsumexp_with_its_sign_is_rejected_in_both_modes():
    def signed(a):
        return logsumexp(a, return_sign=True)[0]
    a = np.array([0.5, 1.0])
    for differentiate in (lambda: adjoint.grad(signed)(a),
                          lambda: adjoint.jvp(signed)((a,), (np.ones(2),))):
        with pytest.raises(AdjointError, match='return_sign=True'):
            differentiate()


# ---------------------------------------------------------------- registration


def test_every_helper_of_the_scipy_rules_has_rules():
    # Without a rule, a second derivative would differentiate the helper's source.
    helpers = [fn for module in (scipy_rules, scipy_signal_rules)
               for name, fn in inspect.getmembers(module, inspect.isfunction)
               if fn.__module__ == module.__name__ and not name.startswith('_')
               and not name.endswith(('_vjp', '_jvp'))]
    assert helpers
    for fn in helpers:
        rule = TABLE.lookup(fn)
        assert rule is not None and rule.vjp is not None and rule.jvp is not None, fn


def test_scipy_is_imported_by_the_program_not_by_adjoint(tmp_path):
    # `import adjoint` never imports SciPy; a user's rule registered before the
    # library's (which are registered at the first derivative) is kept.
    program = textwrap.dedent('''
        import sys
        import adjoint
        assert 'scipy' not in sys.modules, 'import adjoint imported scipy'
        import scipy.special

        @adjoint.vjp_rule(scipy.special.erf)
        def my_erf_vjp(g, ans, x):
            return (g * 7.0,)

        assert adjoint.grad(lambda x: scipy.special.erf(x))(0.5) == 7.0
        assert adjoint.grad(lambda x: scipy.special.expit(x))(0.0) == 0.25
        assert 'scipy.stats' not in sys.modules
    ''')
    (tmp_path / 'program.py').write_text(program)
    root = pathlib.Path(__file__).resolve().parent.parent  # this adjoint, not another install
    subprocess.run([sys.executable, str(tmp_path / 'program.py')], check=True,
                   env={**os.environ, 'PYTHONPATH': str(root)})
