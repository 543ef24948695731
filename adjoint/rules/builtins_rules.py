"""Rules for Python builtins."""

import builtins

import numpy as np

from adjoint import runtime
from adjoint.rules.registry import arithmetic, integer, jvp_rule, nondifferentiable, vjp_rule
from adjoint.runtime import power_or_inf
from transforms.kinds import ARRAYS


@vjp_rule(builtins.abs, kind=lambda args, kwargs: args[0] if args[0] != 'bool' else 'int')
def abs_vjp(g, ans, x):
    # abs'(0) = 0, the convention of ../shared/DESIGN.md.
    return (g * np.sign(x),)


@jvp_rule(builtins.abs)
def abs_jvp(dx, ans, x):
    return dx * np.sign(x)


@vjp_rule(builtins.pow, broadcasts=True, elementwise=True, kind=arithmetic)
def pow_vjp(g, ans, x, y):
    # pow(x, y) is x ** y (the three-argument form is integer-only): see operators.py.
    return (g * y * power_or_inf(x, y - (y != 0)), g * ans * np.log(x + (x == 0)))


@jvp_rule(builtins.pow)
def pow_jvp(dx, dy, ans, x, y):
    # As for the vjp: the term in dy needs x > 0, and is dropped when y is constant.
    return dx * y * power_or_inf(x, y - (y != 0)) + dy * ans * np.log(x + (x == 0))


@vjp_rule(builtins.float, kind=lambda args, kwargs: 'float')
def float_vjp(g, ans, x):
    # float(x) of a size-1 array: the cotangent has x's shape
    return (runtime.spread(g, x),)


@vjp_rule(builtins.float, kinds=('float',))
def float_of_float_vjp(g, ans, x):
    return (g,)


@jvp_rule(builtins.float)
def float_jvp(dx, ans, x):
    return float(dx)


def _round_kind(args, kwargs):
    """round(x) is an int; round(x, n) keeps x's kind; round(array) is an array."""
    if len(args) == 1 and not kwargs and args[0] in ('int', 'float', 'bool'):
        return 'int'
    return args[0] if args and args[0] in ARRAYS | {'int', 'float'} else None


nondifferentiable(builtins.len, builtins.int, builtins.range, kind=integer)
nondifferentiable(builtins.round, kind=_round_kind)
nondifferentiable(builtins.bool, builtins.isinstance, kind=lambda args, kwargs: 'bool')
