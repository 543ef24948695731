"""Rules for Python builtins."""

import builtins

import numpy as np

from adjoint.rules.registry import integer, nondifferentiable, vjp_rule


@vjp_rule(builtins.abs, kind=lambda args, kwargs: args[0] if args[0] != 'bool' else 'int')
def abs_vjp(g, ans, x):
    # abs'(0) = 0, the convention of ../shared/DESIGN.md.
    return (g * np.sign(x),)


@vjp_rule(builtins.float, kind=lambda args, kwargs: 'float')
def float_vjp(g, ans, x):
    return (g,)


nondifferentiable(builtins.len, builtins.int, builtins.round, builtins.range, kind=integer)
nondifferentiable(builtins.bool, builtins.isinstance, kind=lambda args, kwargs: 'bool')
