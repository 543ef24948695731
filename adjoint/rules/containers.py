"""Rules for Python's container builtins, and the constructors of fresh objects."""

import builtins

import numpy as np

from adjoint import runtime
from adjoint.rules import numpy_helpers
from adjoint.runtime import repeat_like
from adjoint.rules.registry import fresh, jvp_rule, vjp_rule


@vjp_rule(builtins.sum)
def sum_vjp(g, ans, x):
    return (repeat_like(g, x),)


@jvp_rule(builtins.sum)
def sum_jvp(dx, ans, x):
    # The tangent of a list is the list of its items' tangents: summed the same way.
    return sum(dx)


@vjp_rule(('method', 'copy'), kind=lambda args, kwargs: args[0] if args else None)
def copy_method_vjp(g, ans, x):
    # `x.copy()` of an array, a list or a dict: generated code copies before the
    # first write to an argument, and differentiated again meets those copies.
    return (g,)


@jvp_rule(('method', 'copy'))
def copy_method_jvp(dx, ans, x):
    return dx.copy()


# Results that are new objects: generated code may write into them without a copy.
fresh(builtins.list, builtins.dict, np.zeros, np.ones, np.empty, np.full, np.zeros_like,
      np.ones_like, np.empty_like, np.full_like, np.array, np.copy, np.arange,
      np.linspace, np.eye, np.identity)
# The runtime helpers that make new cotangents (generated code, differentiated again,
# updates them in place too).
fresh(runtime.zeros_like, runtime.owned, runtime.spread, runtime.fill_like,
      numpy_helpers.unreduce)
fresh(('method', 'copy'))  # two copies are two objects: never merged as one value
