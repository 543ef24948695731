"""Rules for NumPy's reductions, as functions and as methods: `np.sum(x, axis=1)`
and `x.sum(axis=1)` share one rule.

`axis` may be None, an int (negative too) or a tuple; `keepdims` is a keyword.
The cotangent `g` has the reduced shape; `keep_dims` puts the reduced axes back so
it broadcasts against `x`, and `unreduce` also repeats it to `x`'s full shape.
When `g` is one number for the whole result (the seed 1.0 of `np.sum(x)`, or the
cotangent of a sum of a sum), the uniform rules say which one number stands for
the whole cotangent of `x`, and no array is made.
"""

import numpy as np

from adjoint.rules.numpy_helpers import (keep_dims, prod_of_others, reduced_size,
                                         share_of_extremum, unreduce)
from adjoint.rules.numpy_kinds import averaged, method, summed
from adjoint.rules.registry import jvp_rule, uniform_rule, vjp_rule


@vjp_rule(np.sum, kind=summed)
@vjp_rule(('method', 'sum'), kind=method(summed))
def sum_vjp(g, ans, x, axis=None, *, keepdims=False):
    return (unreduce(g, x, axis, keepdims),)


@jvp_rule(np.sum)
@jvp_rule(('method', 'sum'))
def sum_jvp(dx, ans, x, axis=None, *, keepdims=False):
    return np.sum(dx, axis=axis, keepdims=keepdims)


@uniform_rule(np.sum)
@uniform_rule(('method', 'sum'))
def sum_uniform(g, ans, x, axis=None, *, keepdims=False):
    return (g,)


@uniform_rule(np.mean)
@uniform_rule(('method', 'mean'))
def mean_uniform(g, ans, x, axis=None, *, keepdims=False):
    return (g / reduced_size(x, axis),)


@vjp_rule(np.mean, kind=averaged)
@vjp_rule(('method', 'mean'), kind=method(averaged))
def mean_vjp(g, ans, x, axis=None, *, keepdims=False):
    return (unreduce(g / reduced_size(x, axis), x, axis, keepdims),)


@vjp_rule(np.prod, kind=summed)
@vjp_rule(('method', 'prod'), kind=method(summed))
def prod_vjp(g, ans, x, axis=None, *, keepdims=False):
    # Not `g * ans / x`, which is nan where x has a zero.
    return (keep_dims(g, x, axis, keepdims) * prod_of_others(x, axis),)


@vjp_rule(np.max, kind=summed)
@vjp_rule(np.amax, kind=summed)
@vjp_rule(np.min, kind=summed)
@vjp_rule(np.amin, kind=summed)
@vjp_rule(('method', 'max'), kind=method(summed))
@vjp_rule(('method', 'min'), kind=method(summed))
def extremum_vjp(g, ans, x, axis=None, *, keepdims=False):
    # The elements equal to the result get it; k tied elements get 1/k each.
    return (keep_dims(g, x, axis, keepdims) * share_of_extremum(x, ans, axis, keepdims),)


@vjp_rule(np.var, kind=averaged)
@vjp_rule(('method', 'var'), kind=method(averaged))
def var_vjp(g, ans, x, axis=None, *, ddof=0, keepdims=False):
    centered = x - np.mean(x, axis=axis, keepdims=True)
    scale = 2.0 / (reduced_size(x, axis) - ddof)
    return (keep_dims(g, x, axis, keepdims) * centered * scale,)


@vjp_rule(np.std, kind=averaged)
@vjp_rule(('method', 'std'), kind=method(averaged))
def std_vjp(g, ans, x, axis=None, *, ddof=0, keepdims=False):
    # std = sqrt(var): the var rule times 1 / (2 std). Infinite where std is 0.
    centered = x - np.mean(x, axis=axis, keepdims=True)
    scale = 1.0 / (reduced_size(x, axis) - ddof)
    return (keep_dims(g / ans, x, axis, keepdims) * centered * scale,)
