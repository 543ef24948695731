"""Rules for Python's container builtins, and the constructors of fresh objects."""

import builtins

import numpy as np

from adjoint import runtime
from adjoint.rules import numpy_helpers
from adjoint.runtime import repeat_like
from adjoint.rules.registry import fresh, vjp_rule


@vjp_rule(builtins.sum)
def sum_vjp(g, ans, x):
    return (repeat_like(g, x),)


# Results that are new objects: generated code may write into them without a copy.
fresh(builtins.list, builtins.dict, np.zeros, np.ones, np.empty, np.full, np.zeros_like,
      np.ones_like, np.empty_like, np.full_like, np.array, np.copy, np.arange,
      np.linspace, np.eye, np.identity)
# The runtime helpers that make new cotangents (generated code, differentiated again,
# updates them in place too).
fresh(runtime.zeros_like, runtime.owned, runtime.spread, runtime.fill_like,
      numpy_helpers.unreduce)
