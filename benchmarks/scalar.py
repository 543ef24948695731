"""Functions of two floats: Rosenbrock's, Goldstein–Price's and a Gaussian bump.

Each takes two Python floats and returns one, so the time of a gradient is mostly
the cost of calling it: the dispatch of `adjoint.Derivative`, and in the other
libraries the boxing of the arguments. The hand-written gradients are the closed
forms, written once with the shared subexpressions named.
"""

import math

from common import Benchmark


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def rosenbrock_grad(x, y):
    """d/dx = -2 (1 - x) - 400 x (y - x^2), d/dy = 200 (y - x^2)."""
    r = y - x * x
    return -2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r


def goldstein_price(x, y):
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x ** 2 - 14 * y + 6 * x * y + 3 * y ** 2)
    b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x ** 2 + 48 * y - 36 * x * y
                                     + 27 * y ** 2)
    return a * b


def goldstein_price_grad(x, y):
    """The product rule on a * b, with a = 1 + s^2 p and b = 30 + t^2 q.

    s = x + y + 1 and p's two partial derivatives are equal (-14 + 6x + 6y), so
    da/dx = da/dy; t = 2x - 3y gives the factors 2 and -3 of db/dx and db/dy.
    """
    s = x + y + 1.0
    p = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    s2 = s * s
    a = 1.0 + s2 * p
    da = 2.0 * s * p + s2 * (6.0 * x + 6.0 * y - 14.0)
    t = 2.0 * x - 3.0 * y
    q = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    t2 = t * t
    b = 30.0 + t2 * q
    tq = 2.0 * t * q
    dbx = 2.0 * tq + t2 * (24.0 * x - 36.0 * y - 32.0)
    dby = -3.0 * tq + t2 * (54.0 * y - 36.0 * x + 48.0)
    return da * b + a * dbx, da * b + a * dby


def gauss(x, y):
    return math.exp(-(x ** 2 + y ** 2))


def gauss_grad(x, y):
    """exp' = exp: d/dx = -2 x e, d/dy = -2 y e with e the function's value."""
    e = math.exp(-(x * x + y * y))
    return -2.0 * x * e, -2.0 * y * e


BENCHMARKS = [
    Benchmark('rosenbrock', rosenbrock, (-1.2, 1.0), (0, 1), rosenbrock_grad,
              'the closed form, with the residual y - x*x named once', target=1.3,
              compare=True),
    Benchmark('goldstein_price', goldstein_price, (0.3, -0.7), (0, 1),
              goldstein_price_grad, 'the product rule on the two factors, the shared '
              'squares and polynomials named once', target=1.3, first_target=0.010,
              compare=True),
    Benchmark('gauss', gauss, (0.4, -0.3), (0, 1), gauss_grad,
              "the closed form, reusing the exponential's value", target=1.3,
              compare=True),
]
