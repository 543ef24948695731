"""End to end: small realistic functions of `math`'s special functions, against
finite differences in both modes (`check_grads`) at several points, and at second
order.

The rules themselves are swept in tests/test_rules.py and tests/test_jvp_rules.py
(their checks are in tests/linalg_more_checks.py).
"""

import math

import pytest

import adjoint
from adjoint.rules.numpy_helpers import polygamma
from adjoint.testing import check_grads

EULER_GAMMA = 0.5772156649015329


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
