"""The standard teaching examples of automatic differentiation, to float tolerance.

Each is checked against its known value at the textbook point, and against central
finite differences at other points. The functions live in this file: adjoint reads
their source.
"""

import math

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads

E4 = math.exp(4.0)


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def sphere(x, y):
    return x ** 2 + y ** 2


def matyas(x, y):
    return 0.26 * (x ** 2 + y ** 2) - 0.48 * x * y


def goldstein_price(x, y):
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x ** 2 - 14 * y + 6 * x * y + 3 * y ** 2)
    b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x ** 2 + 48 * y - 36 * x * y
                                     + 27 * y ** 2)
    return a * b


def quadratic(x):
    return x ** 2 + 4 * x + 3


def sin_of_exp(x):
    return math.sin((x + 2) + (1 + math.exp(x ** 2)))


def sin_of_exp_numpy(x):
    return np.sin((x + 2) + (1 + np.exp(x ** 2)))


def sin_of_exp_two_variables(x, y):
    return math.sin((x + 2) + (1 + math.exp(y ** 2)))


def gaussian_ridge(x1, x2):
    return x1 * math.exp(-0.5 * (x1 ** 2 + x2 ** 2))


def gaussian_ridge_numpy(x1, x2):
    return x1 * np.exp(-0.5 * (x1 * x1 + x2 * x2))


def assert_gradient(fn, args, expected, value=None):
    """adjoint's gradient (and value) of `fn` at `args`, to float tolerance."""
    wrt = tuple(range(len(args)))
    got_value, got = adjoint.value_and_grad(fn, wrt=wrt)(*args)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
    if value is not None:
        assert got_value == pytest.approx(value, rel=1e-12)
    assert got_value == pytest.approx(fn(*args), rel=1e-15)


def test_rosenbrock():
    assert_gradient(rosenbrock, (-1.0, 2.0), (396.0, 200.0), value=104.0)
    for point in [(0.3, -0.7), (1.0, 1.0), (-1.2, 1.0)]:
        check_grads(rosenbrock, point)


def test_sphere():
    assert_gradient(sphere, (1.0, 1.0), (2.0, 2.0), value=2.0)
    check_grads(sphere, (-0.4, 2.5))


def test_matyas():
    assert_gradient(matyas, (1.0, 1.0), (0.04, 0.04), value=0.04)
    check_grads(matyas, (-3.0, 0.7))


def test_goldstein_price():
    # The global minimum is 3 at (0, -1), where the gradient vanishes.
    assert_gradient(goldstein_price, (1.0, 1.0), (-5376.0, 8064.0), value=1876.0)
    assert_gradient(goldstein_price, (0.0, -1.0), (0.0, 0.0), value=3.0)
    check_grads(goldstein_price, (0.3, -0.4), rtol=1e-6)


def test_quadratic():
    assert_gradient(quadratic, (2.0,), (8.0,), value=15.0)
    g = adjoint.grad(quadratic)(2)  # an int argument, differentiated as a real
    assert g == 8.0 and isinstance(g, float)
    check_grads(quadratic, (-1.3,))


@pytest.mark.parametrize('fn', [sin_of_exp, sin_of_exp_numpy])
def test_sin_of_exp(fn):
    # d/dx sin(x + 3 + exp(x²)) = cos(x + 3 + exp(x²)) (1 + 2x exp(x²)); at x = 2
    # that is cos(5 + e⁴)(1 + 4e⁴).
    exact = math.cos(5 + E4) * (1 + 4 * E4)
    assert adjoint.grad(fn)(2.0) == pytest.approx(exact, rel=1e-12)
    assert adjoint.grad(fn)(2.0) == pytest.approx(-218.4626, abs=5e-5)
    for x in (0.3, -1.1):
        check_grads(fn, (x,))


def test_sin_of_exp_two_variables():
    # The often-quoted -217.4668 = cos(5 + e⁴) 4e⁴ is the derivative with respect to
    # the variable under the exp alone: here y, with x = y = 2.
    exact = (math.cos(5 + E4), math.cos(5 + E4) * 4 * E4)
    assert_gradient(sin_of_exp_two_variables, (2.0, 2.0), exact)
    assert adjoint.grad(sin_of_exp_two_variables, wrt=1)(2.0, 2.0) == \
        pytest.approx(-217.4668, abs=5e-5)
    check_grads(sin_of_exp_two_variables, (0.3, -0.8))


@pytest.mark.parametrize('fn', [gaussian_ridge, gaussian_ridge_numpy])
def test_gaussian_ridge(fn):
    # f = x1 exp(-(x1² + x2²)/2): df/dx1 = (1 - x1²) e, df/dx2 = -x1 x2 e.
    for x1, x2 in [(2.0, 0.5), (-0.3, 1.2)]:
        e = math.exp(-0.5 * (x1 ** 2 + x2 ** 2))
        assert_gradient(fn, (x1, x2), ((1 - x1 ** 2) * e, -x1 * x2 * e), value=x1 * e)
    check_grads(fn, (0.7, -1.4))
