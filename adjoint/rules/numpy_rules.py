"""Rules for NumPy: elementwise ufuncs on scalars and arrays, whole-array reductions."""

import numpy as np

from adjoint.rules.registry import (elementwise, integer, nondifferentiable, reduction,
                                    vjp_rule)


@vjp_rule(np.sin, kind=elementwise)
def sin_vjp(g, ans, x):
    return (g * np.cos(x),)


@vjp_rule(np.cos, kind=elementwise)
def cos_vjp(g, ans, x):
    return (-g * np.sin(x),)


@vjp_rule(np.tan, kind=elementwise)
def tan_vjp(g, ans, x):
    return (g * (1.0 + ans * ans),)


@vjp_rule(np.exp, kind=elementwise)
def exp_vjp(g, ans, x):
    return (g * ans,)


@vjp_rule(np.log, kind=elementwise)
def log_vjp(g, ans, x):
    return (g / x,)


@vjp_rule(np.log1p, kind=elementwise)
def log1p_vjp(g, ans, x):
    return (g / (1.0 + x),)


@vjp_rule(np.sqrt, kind=elementwise)
def sqrt_vjp(g, ans, x):
    return (g * 0.5 / ans,)


@vjp_rule(np.tanh, kind=elementwise)
def tanh_vjp(g, ans, x):
    return (g * (1.0 - ans * ans),)


@vjp_rule(np.sinh, kind=elementwise)
def sinh_vjp(g, ans, x):
    return (g * np.cosh(x),)


@vjp_rule(np.cosh, kind=elementwise)
def cosh_vjp(g, ans, x):
    return (g * np.sinh(x),)


@vjp_rule(np.arcsin, kind=elementwise)
def arcsin_vjp(g, ans, x):
    return (g / np.sqrt(1.0 - x * x),)


@vjp_rule(np.arccos, kind=elementwise)
def arccos_vjp(g, ans, x):
    return (-g / np.sqrt(1.0 - x * x),)


@vjp_rule(np.arctan, kind=elementwise)
def arctan_vjp(g, ans, x):
    return (g / (1.0 + x * x),)


@vjp_rule(np.arctan2, broadcasts=True, kind=elementwise)
def arctan2_vjp(g, ans, y, x):
    scale = g / (x * x + y * y)
    return (scale * x, -scale * y)


@vjp_rule(np.power, broadcasts=True, kind=elementwise)
def power_vjp(g, ans, x, y):
    return (g * y * np.power(x, y - 1), g * ans * np.log(x))


@vjp_rule(np.hypot, broadcasts=True, kind=elementwise)
def hypot_vjp(g, ans, x, y):
    scale = g / ans
    return (scale * x, scale * y)


@vjp_rule(np.abs, kind=elementwise)
def abs_vjp(g, ans, x):
    # abs'(0) = 0, the convention of ../shared/DESIGN.md: np.sign(0) is 0.
    return (g * np.sign(x),)


@vjp_rule(np.sum, kind=reduction)
def sum_vjp(g, ans, x):
    return (np.full(np.shape(x), g),)


@vjp_rule(np.mean, kind=reduction)
def mean_vjp(g, ans, x):
    return (np.full(np.shape(x), g / np.size(x)),)


@vjp_rule(np.dot, kind=reduction)
def dot_vjp(g, ans, x, y):
    # For vectors: dot(x, y) = sum(x * y).
    return (g * y, g * x)


nondifferentiable(np.sign, np.floor, np.ceil, np.round, kind=elementwise)
nondifferentiable(np.shape, np.ndim, np.size, kind=lambda args, kwargs: None)
