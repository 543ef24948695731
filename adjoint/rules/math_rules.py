"""Rules for the `math` module's differentiable functions (scalars only).

The derivatives of `math.gamma` and `math.lgamma` call the digamma function,
`polygamma(x, 0)` (numpy_helpers.py), whose own derivative is `polygamma(x, 1)`:
derivatives of any order.
"""

import math

from adjoint.rules.numpy_helpers import polygamma
from adjoint.rules.registry import integer, jvp_rule, nondifferentiable, real, vjp_rule
from adjoint.runtime import power_or_inf, repeat_like

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)  # erf'(x) = 2 / sqrt(pi) * exp(-x^2)


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


nondifferentiable(math.floor, math.ceil, math.trunc, kind=integer)
