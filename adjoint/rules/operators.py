"""Rules for Python's operators (`a * b` is `operator.mul(a, b)` in the IR)."""

import operator

import numpy as np

from adjoint.rules.registry import (arithmetic, boolean, jvp_rule, nondifferentiable,
                                    true_division, vjp_rule)
from adjoint.runtime import power_or_inf


@vjp_rule(operator.add, broadcasts=True, elementwise=True, kind=arithmetic)
def add_vjp(g, ans, x, y):
    return (g, g)


@vjp_rule(operator.sub, broadcasts=True, elementwise=True, kind=arithmetic)
def sub_vjp(g, ans, x, y):
    return (g, -g)


@vjp_rule(operator.mul, broadcasts=True, elementwise=True, kind=arithmetic)
def mul_vjp(g, ans, x, y):
    return (g * y, g * x)


@vjp_rule(operator.truediv, broadcasts=True, elementwise=True, kind=true_division)
def truediv_vjp(g, ans, x, y):
    gx = g / y
    return (gx, -gx * ans)


@vjp_rule(operator.pow, broadcasts=True, elementwise=True, kind=arithmetic)
@vjp_rule(power_or_inf, broadcasts=True, elementwise=True, kind=arithmetic)
def pow_vjp(g, ans, x, y):
    # d(x**y)/dy = x**y log(x): defined for x > 0 (and used only when y varies).
    # As in JAX, the guards give 0 for d/dx at y == 0 (not 0 * inf at x == 0) and
    # for d/dy at x == 0 (0 ** y is 0), and `power_or_inf` gives inf for 0 ** -0.5.
    return (g * y * power_or_inf(x, y - (y != 0)), g * ans * np.log(x + (x == 0)))


@vjp_rule(operator.mod, broadcasts=True, elementwise=True, kind=arithmetic)
def mod_vjp(g, ans, x, y):
    # x % y = x - y * (x // y) in Python and NumPy, and x // y is locally constant.
    return (g, -g * (x // y))


@vjp_rule(operator.neg, elementwise=True, kind=arithmetic)
def neg_vjp(g, ans, x):
    return (-g,)


@vjp_rule(operator.pos, elementwise=True, kind=arithmetic)
def pos_vjp(g, ans, x):
    return (g,)


@jvp_rule(operator.add)
def add_jvp(dx, dy, ans, x, y):
    return dx + dy


@jvp_rule(operator.sub)
def sub_jvp(dx, dy, ans, x, y):
    return dx - dy


@jvp_rule(operator.mul)
def mul_jvp(dx, dy, ans, x, y):
    return dx * y + x * dy


@jvp_rule(operator.truediv)
def truediv_jvp(dx, dy, ans, x, y):
    return (dx - ans * dy) / y


@jvp_rule(operator.pow)
@jvp_rule(power_or_inf)
def pow_jvp(dx, dy, ans, x, y):
    # As for the vjp: the term in dy needs x > 0, and is dropped when y is constant.
    return dx * y * power_or_inf(x, y - (y != 0)) + dy * ans * np.log(x + (x == 0))


@jvp_rule(operator.mod)
def mod_jvp(dx, dy, ans, x, y):
    return dx - dy * (x // y)


@jvp_rule(operator.neg)
def neg_jvp(dx, ans, x):
    return -dx


@jvp_rule(operator.pos)
def pos_jvp(dx, ans, x):
    return dx


# x // y is piecewise constant: its derivative is zero wherever it exists.
nondifferentiable(operator.floordiv, kind=arithmetic)
nondifferentiable(operator.lt, operator.le, operator.gt, operator.ge, operator.eq,
                  operator.ne, kind=boolean)
nondifferentiable(operator.not_, operator.is_, operator.is_not, operator.contains,
                  kind=lambda args, kwargs: 'bool')
