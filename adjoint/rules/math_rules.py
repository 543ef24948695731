"""Rules for the `math` module's differentiable functions (scalars only).

The derivatives of `math.gamma` and `math.lgamma` call the digamma function,
`polygamma(x, 0)` (numpy_helpers.py), whose own derivative is `polygamma(x, 1)`:
derivatives of any order.
"""

import math

import numpy as np

from adjoint.rules.numpy_helpers import items_like, polygamma, prod_of_others
from adjoint.rules.registry import (boolean, integer, jvp_rule, nondifferentiable, real,
                                    sequence_item, vjp_rule)
from adjoint.runtime import power_or_inf, repeat_like

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)  # erf'(x) = 2 / sqrt(pi) * exp(-x^2)
_LOG_2 = math.log(2.0)
_LOG_10 = math.log(10.0)
_DEGREES = 180.0 / math.pi  # math.degrees(x) is x * _DEGREES


@vjp_rule(math.sin, kind=real)
def sin_vjp(g, ans, x):
    return (g * math.cos(x),)


@jvp_rule(math.sin)
def sin_jvp(dx, ans, x):
    return dx * math.cos(x)


@vjp_rule(math.cos, kind=real)
def cos_vjp(g, ans, x):
    return (-g * math.sin(x),)


@jvp_rule(math.cos)
def cos_jvp(dx, ans, x):
    return -dx * math.sin(x)


@vjp_rule(math.tan, kind=real)
def tan_vjp(g, ans, x):
    return (g * (1.0 + ans * ans),)


@jvp_rule(math.tan)
def tan_jvp(dx, ans, x):
    return dx * (1.0 + ans * ans)


@vjp_rule(math.exp, kind=real)
def exp_vjp(g, ans, x):
    return (g * ans,)


@jvp_rule(math.exp)
def exp_jvp(dx, ans, x):
    return dx * ans


@vjp_rule(math.log, kind=real)
def log_vjp(g, ans, x):
    return (g / x,)


@jvp_rule(math.log)
def log_jvp(dx, ans, x):
    return dx / x


@vjp_rule(math.expm1, kind=real)
def expm1_vjp(g, ans, x):
    return (g * (ans + 1.0),)


@jvp_rule(math.expm1)
def expm1_jvp(dx, ans, x):
    return dx * (ans + 1.0)


@vjp_rule(math.log1p, kind=real)
def log1p_vjp(g, ans, x):
    return (g / (1.0 + x),)


@jvp_rule(math.log1p)
def log1p_jvp(dx, ans, x):
    return dx / (1.0 + x)


@vjp_rule(math.sqrt, kind=real)
def sqrt_vjp(g, ans, x):
    # inf at 0, as np.sqrt's rule gives: `g * 0.5 / ans` would raise there.
    return (g * 0.5 * power_or_inf(ans, -1.0),)


@jvp_rule(math.sqrt)
def sqrt_jvp(dx, ans, x):
    return dx * 0.5 * power_or_inf(ans, -1.0)


@vjp_rule(math.tanh, kind=real)
def tanh_vjp(g, ans, x):
    return (g * (1.0 - ans * ans),)


@jvp_rule(math.tanh)
def tanh_jvp(dx, ans, x):
    return dx * (1.0 - ans * ans)


@vjp_rule(math.sinh, kind=real)
def sinh_vjp(g, ans, x):
    return (g * math.cosh(x),)


@jvp_rule(math.sinh)
def sinh_jvp(dx, ans, x):
    return dx * math.cosh(x)


@vjp_rule(math.cosh, kind=real)
def cosh_vjp(g, ans, x):
    return (g * math.sinh(x),)


@jvp_rule(math.cosh)
def cosh_jvp(dx, ans, x):
    return dx * math.sinh(x)


@vjp_rule(math.asin, kind=real)
def asin_vjp(g, ans, x):
    return (g * power_or_inf(1.0 - x * x, -0.5),)


@jvp_rule(math.asin)
def asin_jvp(dx, ans, x):
    return dx * power_or_inf(1.0 - x * x, -0.5)


@vjp_rule(math.acos, kind=real)
def acos_vjp(g, ans, x):
    return (-g * power_or_inf(1.0 - x * x, -0.5),)


@jvp_rule(math.acos)
def acos_jvp(dx, ans, x):
    return -dx * power_or_inf(1.0 - x * x, -0.5)


@vjp_rule(math.atan, kind=real)
def atan_vjp(g, ans, x):
    return (g / (1.0 + x * x),)


@jvp_rule(math.atan)
def atan_jvp(dx, ans, x):
    return dx / (1.0 + x * x)


@vjp_rule(math.atan2, kind=real)
def atan2_vjp(g, ans, y, x):
    # NaN at the origin, where atan2 jumps (as np.arctan2's rule gives).
    scale = g * power_or_inf(x * x + y * y, -1.0)
    return (scale * x, -scale * y)


@jvp_rule(math.atan2)
def atan2_jvp(dy, dx, ans, y, x):
    return (dy * x - dx * y) * power_or_inf(x * x + y * y, -1.0)


@vjp_rule(math.pow, kind=real)
def pow_vjp(g, ans, x, y):
    # The guards of operator.pow's rule; `power_or_inf` is `**`, which is math.pow
    # wherever math.pow(x, y) itself is defined.
    return (g * y * power_or_inf(x, y - (y != 0)), g * ans * math.log(x + (x == 0)))


@jvp_rule(math.pow)
def pow_jvp(dx, dy, ans, x, y):
    return dx * y * power_or_inf(x, y - (y != 0)) + dy * ans * math.log(x + (x == 0))


@vjp_rule(math.hypot, kind=real)
def hypot_vjp(g, ans, x, y=0.0, z=0.0, w=0.0):
    # One to four coordinates (the others are 0). 0 at the origin, as for np.hypot
    # and np.linalg.norm (a cone's tip).
    scale = g / (ans + (ans == 0))
    return (scale * x, scale * y, scale * z, scale * w)


@jvp_rule(math.hypot)
def hypot_jvp(dx, dy, dz, dw, ans, x, y=0.0, z=0.0, w=0.0):
    return (dx * x + dy * y + dz * z + dw * w) / (ans + (ans == 0))


@vjp_rule(math.erf, kind=real)
def erf_vjp(g, ans, x):
    return (g * _TWO_OVER_SQRT_PI * math.exp(-x * x),)


@jvp_rule(math.erf)
def erf_jvp(dx, ans, x):
    return dx * _TWO_OVER_SQRT_PI * math.exp(-x * x)


@vjp_rule(math.erfc, kind=real)
def erfc_vjp(g, ans, x):
    return (-g * _TWO_OVER_SQRT_PI * math.exp(-x * x),)


@jvp_rule(math.erfc)
def erfc_jvp(dx, ans, x):
    return -dx * _TWO_OVER_SQRT_PI * math.exp(-x * x)


@vjp_rule(math.gamma, kind=real)
def gamma_vjp(g, ans, x):
    # gamma'(x) = gamma(x) psi(x), psi the digamma function.
    return (g * ans * polygamma(x, 0),)


@jvp_rule(math.gamma)
def gamma_jvp(dx, ans, x):
    return dx * ans * polygamma(x, 0)


@vjp_rule(math.lgamma, kind=real)
def lgamma_vjp(g, ans, x):
    # lgamma is log |gamma|: its derivative is psi(x) for negative x too.
    return (g * polygamma(x, 0),)


@jvp_rule(math.lgamma)
def lgamma_jvp(dx, ans, x):
    return dx * polygamma(x, 0)


@vjp_rule(math.fsum, kind=real)
def fsum_vjp(g, ans, xs):
    # An exactly rounded sum: its derivative is that of sum(xs).
    return (repeat_like(g, xs),)


@jvp_rule(math.fsum)
def fsum_jvp(dxs, ans, xs):
    # The tangent of a list is the list of its items' tangents.
    return math.fsum(dxs)



def _product_kind(args, kwargs):
    """`math.prod(xs)`: a float of floats; of arrays (it multiplies any items) or
    of ints, not told."""
    return 'float' if args and sequence_item(args[0]) == 'float' else None


@vjp_rule(math.prod, kind=_product_kind)
def prod_vjp(g, ans, xs, start=1):
    # Each item gets the product of the others and `start`: right where some items
    # are 0, unlike `ans / x`. (`start` is keyword-only: given by name, it is
    # given its cotangent here.)
    return (items_like(g * start * prod_of_others(xs), xs), g * math.prod(xs))


@jvp_rule(math.prod)
def prod_jvp(dxs, dstart, ans, xs, start=1):
    return start * math.fsum(np.multiply(dxs, prod_of_others(xs))) + dstart * math.prod(xs)


@vjp_rule(math.dist, kind=real)
def dist_vjp(g, ans, p, q):
    # math.hypot of p - q: 0 where p == q, as for math.hypot at the origin.
    direction = g * (np.array(p, dtype=float) - np.array(q, dtype=float)) / (ans + (ans == 0))
    return (items_like(direction, p), items_like(-direction, q))


@jvp_rule(math.dist)
def dist_jvp(dp, dq, ans, p, q):
    difference = np.array(p, dtype=float) - np.array(q, dtype=float)
    return math.fsum((np.array(dp, dtype=float) - np.array(dq, dtype=float)) * difference) / \
        (ans + (ans == 0))


# ---------------------------------------------------------------- more of one number


@vjp_rule(math.log2, kind=real)
def log2_vjp(g, ans, x):
    return (g / (x * _LOG_2),)


@jvp_rule(math.log2)
def log2_jvp(dx, ans, x):
    return dx / (x * _LOG_2)


@vjp_rule(math.log10, kind=real)
def log10_vjp(g, ans, x):
    return (g / (x * _LOG_10),)


@jvp_rule(math.log10)
def log10_jvp(dx, ans, x):
    return dx / (x * _LOG_10)


@vjp_rule(math.exp2, kind=real)
def exp2_vjp(g, ans, x):
    return (g * ans * _LOG_2,)


@jvp_rule(math.exp2)
def exp2_jvp(dx, ans, x):
    return dx * ans * _LOG_2


@vjp_rule(math.cbrt, kind=real)
def cbrt_vjp(g, ans, x):
    # inf at 0, as np.cbrt's rule gives there.
    return (g * power_or_inf(3.0 * ans * ans, -1.0),)


@jvp_rule(math.cbrt)
def cbrt_jvp(dx, ans, x):
    return dx * power_or_inf(3.0 * ans * ans, -1.0)


@vjp_rule(math.degrees, kind=real)
def degrees_vjp(g, ans, x):
    return (g * _DEGREES,)


@jvp_rule(math.degrees)
def degrees_jvp(dx, ans, x):
    return dx * _DEGREES


@vjp_rule(math.radians, kind=real)
def radians_vjp(g, ans, x):
    return (g / _DEGREES,)


@jvp_rule(math.radians)
def radians_jvp(dx, ans, x):
    return dx / _DEGREES


@vjp_rule(math.fabs, kind=real)
def fabs_vjp(g, ans, x):
    # fabs'(0) = 0, as abs's (../shared/DESIGN.md).
    return (g * ((x > 0) - (x < 0)),)


@jvp_rule(math.fabs)
def fabs_jvp(dx, ans, x):
    return dx * ((x > 0) - (x < 0))


@vjp_rule(math.copysign, kind=real)
def copysign_vjp(g, ans, x, y):
    # |x| with the sign of y: +-1 as the signs of x and y agree or not (0 at x = 0,
    # as abs's). The sign, y, is piecewise constant: no derivative.
    return (g * ((x > 0) - (x < 0)) * math.copysign(1.0, y), None)


@jvp_rule(math.copysign)
def copysign_jvp(dx, ans, x, y):
    return dx * ((x > 0) - (x < 0)) * math.copysign(1.0, y)


@vjp_rule(math.asinh, kind=real)
def asinh_vjp(g, ans, x):
    return (g / math.sqrt(x * x + 1.0),)


@jvp_rule(math.asinh)
def asinh_jvp(dx, ans, x):
    return dx / math.sqrt(x * x + 1.0)


@vjp_rule(math.acosh, kind=real)
def acosh_vjp(g, ans, x):
    # inf at 1, the edge of the domain, as math.sqrt's at 0.
    return (g * power_or_inf(x * x - 1.0, -0.5),)


@jvp_rule(math.acosh)
def acosh_jvp(dx, ans, x):
    return dx * power_or_inf(x * x - 1.0, -0.5)


@vjp_rule(math.atanh, kind=real)
def atanh_vjp(g, ans, x):
    return (g / (1.0 - x * x),)


@jvp_rule(math.atanh)
def atanh_jvp(dx, ans, x):
    return dx / (1.0 - x * x)


nondifferentiable(math.floor, math.ceil, math.trunc, kind=integer)
nondifferentiable(math.isfinite, math.isinf, math.isnan, math.isclose, kind=boolean)
