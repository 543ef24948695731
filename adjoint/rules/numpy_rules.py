"""Rules for NumPy: elementwise ufuncs on scalars and arrays, whole-array reductions.

A result kind claims 'float' only where NumPy returns a float: `np.power(3, 2)` and
`np.sum` of ints are ints, and the optimizer drops `1.0 * v` only for float `v`.
"""

import numpy as np

from adjoint.rules.registry import (arithmetic, elementwise, integer, nondifferentiable,
                                    reduction, vjp_rule)


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


@vjp_rule(np.power, broadcasts=True, kind=arithmetic)  # np.power(3, 2) is an int
def power_vjp(g, ans, x, y):
    # `y - 1.0`, not `y - 1`: np.power(3, 0 - 1) raises for integer x.
    return (g * y * np.power(x, y - 1.0), g * ans * np.log(x))


@vjp_rule(np.hypot, broadcasts=True, kind=elementwise)
def hypot_vjp(g, ans, x, y):
    scale = g / ans
    return (scale * x, scale * y)


@vjp_rule(np.abs, kind=arithmetic)  # np.abs(-3) is an int
def abs_vjp(g, ans, x):
    # abs'(0) = 0, the convention of ../shared/DESIGN.md: np.sign(0) is 0.
    return (g * np.sign(x),)


def _sum_kind(args, kwargs):
    """A float scalar, but the sum of an int is an int."""
    kind = reduction(args, kwargs)
    return 'int' if kind is not None and args[0] == 'int' else kind


def _dot_kind(args, kwargs):
    """Unknown for arrays: a scalar for vectors, but an array for matrices."""
    return None if 'array' in args else arithmetic(args, kwargs)


@vjp_rule(np.sum, kind=_sum_kind)
def sum_vjp(g, ans, x):
    # Every element gets `g`. Adding to zeros_like keeps x's float dtype, and gives
    # a scalar, not a 0-d array, when x is a Python number.
    return (np.zeros_like(x) + g,)


@vjp_rule(np.mean, kind=reduction)
def mean_vjp(g, ans, x):
    return (np.zeros_like(x) + g / np.size(x),)


@vjp_rule(np.dot, kind=_dot_kind)
def dot_vjp(g, ans, x, y):
    # Vectors only: dot(x, y) = sum(x * y), and `g` is a scalar. Matrix products
    # need the transposed products and are not supported yet.
    return (g * y, g * x)


# np.sign and np.round keep an integer an integer; np.floor and np.ceil return floats.
nondifferentiable(np.sign, np.round, kind=arithmetic)
nondifferentiable(np.floor, np.ceil, kind=elementwise)
nondifferentiable(np.ndim, np.size, kind=integer)
nondifferentiable(np.shape, kind=lambda args, kwargs: None)
