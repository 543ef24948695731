"""Rules for NumPy's elementwise functions (ufuncs and the like) on scalars and arrays.

Selection and constructors (`np.maximum`, `np.where`, `np.full`...), reductions,
linear algebra and shape operations have their own modules (`numpy_selection.py`,
`numpy_reductions.py`, `numpy_linalg.py`, `numpy_shapes.py`), and the functions
without a derivative theirs (`numpy_nondifferentiable.py`). A result kind
claims 'float' only where NumPy returns a float: `np.power(3, 2)` is an int, and
the optimizer drops `1.0 * v` only for float `v`.
"""

import numpy as np

from adjoint.rules.numpy_helpers import bessel_i, finite_part, sinc_derivative
from adjoint.rules.numpy_kinds import float_array
from adjoint.rules.registry import arithmetic, elementwise, jvp_rule, true_division, vjp_rule


# ---------------------------------------------------------------- arithmetic


@vjp_rule(np.add, broadcasts=True, elementwise=True, kind=arithmetic)
def add_vjp(g, ans, x, y):
    return (g, g)


@jvp_rule(np.add)
def add_jvp(dx, dy, ans, x, y):
    return dx + dy


@vjp_rule(np.subtract, broadcasts=True, elementwise=True, kind=arithmetic)
def subtract_vjp(g, ans, x, y):
    return (g, -g)


@jvp_rule(np.subtract)
def subtract_jvp(dx, dy, ans, x, y):
    return dx - dy


@vjp_rule(np.multiply, broadcasts=True, elementwise=True, kind=arithmetic)
def multiply_vjp(g, ans, x, y):
    return (g * y, g * x)


@jvp_rule(np.multiply)
def multiply_jvp(dx, dy, ans, x, y):
    return dx * y + x * dy


@vjp_rule(np.divide, broadcasts=True, elementwise=True, kind=true_division)  # also np.true_divide
def divide_vjp(g, ans, x, y):
    gx = g / y
    return (gx, -gx * ans)


@jvp_rule(np.divide)
def divide_jvp(dx, dy, ans, x, y):
    return (dx - ans * dy) / y


@vjp_rule(np.negative, elementwise=True, kind=arithmetic)
def negative_vjp(g, ans, x):
    return (-g,)


@jvp_rule(np.negative)
def negative_jvp(dx, ans, x):
    return -dx


@vjp_rule(np.positive, elementwise=True, kind=arithmetic)
def positive_vjp(g, ans, x):
    return (g,)


@jvp_rule(np.positive)
def positive_jvp(dx, ans, x):
    return dx


@vjp_rule(np.square, elementwise=True, kind=arithmetic)
def square_vjp(g, ans, x):
    return (2.0 * g * x,)


@jvp_rule(np.square)
def square_jvp(dx, ans, x):
    return 2.0 * dx * x


@vjp_rule(np.reciprocal, elementwise=True, kind=arithmetic)
def reciprocal_vjp(g, ans, x):
    # Not `-g * ans * ans`: np.reciprocal(2) is the integer 0.
    return (-g / (x * x),)


@jvp_rule(np.reciprocal)
def reciprocal_jvp(dx, ans, x):
    return -dx / (x * x)


# ---------------------------------------------------------------- functions of one or two values


@vjp_rule(np.sin, elementwise=True, kind=elementwise)
def sin_vjp(g, ans, x):
    return (g * np.cos(x),)


@jvp_rule(np.sin)
def sin_jvp(dx, ans, x):
    return dx * np.cos(x)


@vjp_rule(np.cos, elementwise=True, kind=elementwise)
def cos_vjp(g, ans, x):
    return (-g * np.sin(x),)


@jvp_rule(np.cos)
def cos_jvp(dx, ans, x):
    return -dx * np.sin(x)


@vjp_rule(np.tan, elementwise=True, kind=elementwise)
def tan_vjp(g, ans, x):
    return (g * (1.0 + ans * ans),)


@jvp_rule(np.tan)
def tan_jvp(dx, ans, x):
    return dx * (1.0 + ans * ans)


@vjp_rule(np.exp, elementwise=True, kind=elementwise)
def exp_vjp(g, ans, x):
    return (g * ans,)


@jvp_rule(np.exp)
def exp_jvp(dx, ans, x):
    return dx * ans


@vjp_rule(np.log, elementwise=True, kind=elementwise)
def log_vjp(g, ans, x):
    return (g / x,)


@jvp_rule(np.log)
def log_jvp(dx, ans, x):
    return dx / x


@vjp_rule(np.log1p, elementwise=True, kind=elementwise)
def log1p_vjp(g, ans, x):
    return (g / (1.0 + x),)


@jvp_rule(np.log1p)
def log1p_jvp(dx, ans, x):
    return dx / (1.0 + x)


@vjp_rule(np.sqrt, elementwise=True, kind=elementwise)
def sqrt_vjp(g, ans, x):
    return (g * 0.5 / ans,)


@jvp_rule(np.sqrt)
def sqrt_jvp(dx, ans, x):
    return dx * 0.5 / ans


@vjp_rule(np.tanh, elementwise=True, kind=elementwise)
def tanh_vjp(g, ans, x):
    return (g * (1.0 - ans * ans),)


@jvp_rule(np.tanh)
def tanh_jvp(dx, ans, x):
    return dx * (1.0 - ans * ans)


@vjp_rule(np.sinh, elementwise=True, kind=elementwise)
def sinh_vjp(g, ans, x):
    return (g * np.cosh(x),)


@jvp_rule(np.sinh)
def sinh_jvp(dx, ans, x):
    return dx * np.cosh(x)


@vjp_rule(np.cosh, elementwise=True, kind=elementwise)
def cosh_vjp(g, ans, x):
    return (g * np.sinh(x),)


@jvp_rule(np.cosh)
def cosh_jvp(dx, ans, x):
    return dx * np.sinh(x)


@vjp_rule(np.arcsin, elementwise=True, kind=elementwise)
def arcsin_vjp(g, ans, x):
    return (g / np.sqrt(1.0 - x * x),)


@jvp_rule(np.arcsin)
def arcsin_jvp(dx, ans, x):
    return dx / np.sqrt(1.0 - x * x)


@vjp_rule(np.arccos, elementwise=True, kind=elementwise)
def arccos_vjp(g, ans, x):
    return (-g / np.sqrt(1.0 - x * x),)


@jvp_rule(np.arccos)
def arccos_jvp(dx, ans, x):
    return -dx / np.sqrt(1.0 - x * x)


@vjp_rule(np.arctan, elementwise=True, kind=elementwise)
def arctan_vjp(g, ans, x):
    return (g / (1.0 + x * x),)


@jvp_rule(np.arctan)
def arctan_jvp(dx, ans, x):
    return dx / (1.0 + x * x)


@vjp_rule(np.arctan2, broadcasts=True, elementwise=True, kind=elementwise)
def arctan2_vjp(g, ans, y, x):
    scale = g / (x * x + y * y)
    return (scale * x, -scale * y)


@jvp_rule(np.arctan2)
def arctan2_jvp(dy, dx, ans, y, x):
    return (dy * x - dx * y) / (x * x + y * y)


@vjp_rule(np.power, broadcasts=True, elementwise=True, kind=arithmetic)  # np.power(3, 2) is an int
def power_vjp(g, ans, x, y):
    # `y - (y != 0)`, not `y - 1`: 0 at y == 0, where 0 * np.power(0.0, -1.0) is NaN
    # (and np.power(3, 0 - 1) raises for integer x); log(1) for x == 0, where 0 ** y
    # is 0 for y > 0 (JAX's guards, in its `_pow_jvp_lhs` and `_pow_jvp_rhs`).
    return (g * y * np.power(x, y - (y != 0)), g * ans * np.log(x + (x == 0)))


@jvp_rule(np.power)
def power_jvp(dx, dy, ans, x, y):
    return dx * y * np.power(x, y - (y != 0)) + dy * ans * np.log(x + (x == 0))


@vjp_rule(np.hypot, broadcasts=True, elementwise=True, kind=elementwise)
def hypot_vjp(g, ans, x, y):
    # At the origin, a cone's tip, the derivative is 0, as for np.linalg.norm:
    # `ans == 0` turns the zero denominator into 1 where x and y are 0.
    scale = g / (ans + (ans == 0))
    return (scale * x, scale * y)


@jvp_rule(np.hypot)
def hypot_jvp(dx, dy, ans, x, y):
    return (dx * x + dy * y) / (ans + (ans == 0))


@vjp_rule(np.abs, elementwise=True, kind=arithmetic)  # np.abs(-3) is an int
def abs_vjp(g, ans, x):
    # abs'(0) = 0, the convention of ../shared/DESIGN.md: np.sign(0) is 0.
    return (g * np.sign(x),)


@jvp_rule(np.abs)
def abs_jvp(dx, ans, x):
    return dx * np.sign(x)


@vjp_rule(np.fabs, elementwise=True, kind=elementwise)
def fabs_vjp(g, ans, x):
    return (g * np.sign(x),)


@jvp_rule(np.fabs)
def fabs_jvp(dx, ans, x):
    return dx * np.sign(x)


@vjp_rule(np.exp2, elementwise=True, kind=elementwise)
def exp2_vjp(g, ans, x):
    return (g * ans * np.log(2.0),)


@jvp_rule(np.exp2)
def exp2_jvp(dx, ans, x):
    return dx * ans * np.log(2.0)


@vjp_rule(np.expm1, elementwise=True, kind=elementwise)
def expm1_vjp(g, ans, x):
    return (g * (ans + 1.0),)


@jvp_rule(np.expm1)
def expm1_jvp(dx, ans, x):
    return dx * (ans + 1.0)


@vjp_rule(np.log2, elementwise=True, kind=elementwise)
def log2_vjp(g, ans, x):
    return (g / (x * np.log(2.0)),)


@jvp_rule(np.log2)
def log2_jvp(dx, ans, x):
    return dx / (x * np.log(2.0))


@vjp_rule(np.log10, elementwise=True, kind=elementwise)
def log10_vjp(g, ans, x):
    return (g / (x * np.log(10.0)),)


@jvp_rule(np.log10)
def log10_jvp(dx, ans, x):
    return dx / (x * np.log(10.0))


@vjp_rule(np.cbrt, elementwise=True, kind=elementwise)
def cbrt_vjp(g, ans, x):
    return (g / (3.0 * ans * ans),)


@jvp_rule(np.cbrt)
def cbrt_jvp(dx, ans, x):
    return dx / (3.0 * ans * ans)


@vjp_rule(np.arcsinh, elementwise=True, kind=elementwise)
def arcsinh_vjp(g, ans, x):
    return (g / np.sqrt(x * x + 1.0),)


@jvp_rule(np.arcsinh)
def arcsinh_jvp(dx, ans, x):
    return dx / np.sqrt(x * x + 1.0)


@vjp_rule(np.arccosh, elementwise=True, kind=elementwise)
def arccosh_vjp(g, ans, x):
    return (g / np.sqrt(x * x - 1.0),)


@jvp_rule(np.arccosh)
def arccosh_jvp(dx, ans, x):
    return dx / np.sqrt(x * x - 1.0)


@vjp_rule(np.arctanh, elementwise=True, kind=elementwise)
def arctanh_vjp(g, ans, x):
    return (g / (1.0 - x * x),)


@jvp_rule(np.arctanh)
def arctanh_jvp(dx, ans, x):
    return dx / (1.0 - x * x)


# Angles: linear, so each rule converts the cotangent or tangent itself.
@vjp_rule(np.deg2rad, elementwise=True, kind=elementwise)
def deg2rad_vjp(g, ans, x):
    return (np.deg2rad(g),)


@jvp_rule(np.deg2rad)
def deg2rad_jvp(dx, ans, x):
    return np.deg2rad(dx)


@vjp_rule(np.radians, elementwise=True, kind=elementwise)
def radians_vjp(g, ans, x):
    return (np.radians(g),)


@jvp_rule(np.radians)
def radians_jvp(dx, ans, x):
    return np.radians(dx)


@vjp_rule(np.rad2deg, elementwise=True, kind=elementwise)
def rad2deg_vjp(g, ans, x):
    return (np.rad2deg(g),)


@jvp_rule(np.rad2deg)
def rad2deg_jvp(dx, ans, x):
    return np.rad2deg(dx)


@vjp_rule(np.degrees, elementwise=True, kind=elementwise)
def degrees_vjp(g, ans, x):
    return (np.degrees(g),)


@jvp_rule(np.degrees)
def degrees_jvp(dx, ans, x):
    return np.degrees(dx)


# ---------------------------------------------------------------- remainders, parts, special


@vjp_rule(np.remainder, broadcasts=True, elementwise=True, kind=arithmetic)  # also np.mod
def remainder_vjp(g, ans, x, y):
    # x - y * floor(x / y), with the floor locally constant (as `x % y`, and JAX);
    # `x // y` is NumPy's floor_divide, computed to agree with np.remainder.
    return (g, -g * (x // y))


@jvp_rule(np.remainder)
def remainder_jvp(dx, dy, ans, x, y):
    return dx - dy * (x // y)


@vjp_rule(np.fmod, broadcasts=True, elementwise=True, kind=arithmetic)
def fmod_vjp(g, ans, x, y):
    # x - y * trunc(x / y). The quotient from `ans`, exact, not np.trunc(x / y):
    # x / y rounds up to an integer where the true quotient is just below it
    # (np.fmod(1.0, 0.1) is 0.0999..., nine tenths and a remainder).
    return (g, -g * np.round((x - ans) / y))


@jvp_rule(np.fmod)
def fmod_jvp(dx, dy, ans, x, y):
    return dx - dy * np.round((x - ans) / y)


@vjp_rule(np.real, elementwise=True, kind=arithmetic)
def real_vjp(g, ans, x):
    # Of a real argument, the argument itself (adjoint differentiates real
    # functions only; np.imag of a real argument is 0: non-differentiable).
    return (g,)


@jvp_rule(np.real)
def real_jvp(dx, ans, x):
    return dx


@vjp_rule(np.conjugate, elementwise=True, kind=arithmetic)  # also np.conj
def conjugate_vjp(g, ans, x):
    # The argument itself, for a real argument; a complex one never reaches a
    # rule (complex arguments and constants are rejected when differentiating).
    return (g,)


@jvp_rule(np.conjugate)
def conjugate_jvp(dx, ans, x):
    return dx


@vjp_rule(np.real_if_close, kind=float_array)
def real_if_close_vjp(g, ans, a, tol=100):
    # Of a real argument, the argument itself (as an array).
    return (g, None)


@jvp_rule(np.real_if_close)
def real_if_close_jvp(da, ans, a, tol=100):
    return np.real_if_close(da, tol)


def _like_x(args, kwargs):
    """Arithmetic of the first argument alone: a float of a float, an array of an
    array (the others are settings, or the replacements of np.nan_to_num)."""
    return arithmetic(args[:1], kwargs)


@vjp_rule(np.nan_to_num, broadcasts=True, kind=_like_x)
def nan_to_num_vjp(g, ans, x, copy=True, nan=0.0, posinf=None, neginf=None):
    # 1 where x is finite, 0 where it is replaced; a replacement passed as a
    # positional argument gets the cotangents of the elements it replaces.
    return (finite_part(g, x, copy), None, g * np.isnan(x), g * np.isposinf(x),
            g * np.isneginf(x))


@jvp_rule(np.nan_to_num)
def nan_to_num_jvp(dx, dnan, dposinf, dneginf, ans, x, copy=True, nan=0.0, posinf=None,
                   neginf=None):
    return (finite_part(dx, x, copy) + dnan * np.isnan(x) + dposinf * np.isposinf(x)
            + dneginf * np.isneginf(x))


@vjp_rule(np.sinc, elementwise=True, kind=elementwise)
def sinc_vjp(g, ans, x):
    # Not (cos(pi x) - sinc(x)) / x, which is 0 / 0 at 0 and loses digits near it.
    return (g * sinc_derivative(x, 1),)


@jvp_rule(np.sinc)
def sinc_jvp(dx, ans, x):
    return dx * sinc_derivative(x, 1)


@vjp_rule(np.i0, elementwise=True, kind=float_array)  # np.i0(0.5) is a 0-d array
def i0_vjp(g, ans, x):
    # I_0' = I_1, which NumPy has not: bessel_i sums its series.
    return (g * bessel_i(x, 1),)


@jvp_rule(np.i0)
def i0_jvp(dx, ans, x):
    return dx * bessel_i(x, 1)


@vjp_rule(np.logaddexp, broadcasts=True, elementwise=True, kind=elementwise)
def logaddexp_vjp(g, ans, x, y):
    # e^x / (e^x + e^y) as exp(x - ans), at most 1: it never overflows.
    return (g * np.exp(x - ans), g * np.exp(y - ans))


@jvp_rule(np.logaddexp)
def logaddexp_jvp(dx, dy, ans, x, y):
    return dx * np.exp(x - ans) + dy * np.exp(y - ans)


@vjp_rule(np.logaddexp2, broadcasts=True, elementwise=True, kind=elementwise)
def logaddexp2_vjp(g, ans, x, y):
    return (g * np.exp2(x - ans), g * np.exp2(y - ans))


@jvp_rule(np.logaddexp2)
def logaddexp2_jvp(dx, dy, ans, x, y):
    return dx * np.exp2(x - ans) + dy * np.exp2(y - ans)
