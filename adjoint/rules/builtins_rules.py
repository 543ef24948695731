"""Rules for Python builtins."""

import builtins
import functools

import numpy as np

from adjoint import runtime
from adjoint.rules.numpy_helpers import extremum_shares, items_like, shared_tangent
from adjoint.rules.registry import (arithmetic, integer, jvp_rule, nondifferentiable,
                                    sequence_item, vjp_rule)
from adjoint.runtime import power_or_inf
from transforms.analysis import kinds
from transforms.analysis.kinds import ARRAYS, SCALARS


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


def _extremum_kind(args, kwargs):
    """`max(a, b, ...)` is one of its arguments, `max(xs)` one of the items of `xs`
    (or `default`): a number where all of them are."""
    candidates = args if len(args) > 1 else [sequence_item(a) for a in args]
    candidates = [k for k in candidates if k != 'empty']  # `max([], default=x)`
    if 'default' in kwargs:
        candidates.append(kwargs['default'])
    kind = functools.reduce(kinds.join, candidates) if candidates else None
    return kind if kind in SCALARS else None


@vjp_rule(builtins.max, kind=_extremum_kind)
@vjp_rule(builtins.min, kind=_extremum_kind)
def extremum_vjp(g, ans, x, y=None, z=None, u=None, v=None, w=None, default=None, *,
                 key=None, active_x=True, active_y=True, active_z=True, active_u=True,
                 active_v=True, active_w=True):
    # The arguments equal to the result share its cotangent (`extremum_shares`: ties
    # split, but not with a constant); the flags of the differentiated ones make one
    # bitmask, which the optimizer folds to a number. Of one list, x gets a list.
    # `default` follows the places, so that a differentiated one, passed by keyword,
    # is given its cotangent there (transforms/core/rules.py, `keywords_in_place`).
    s = extremum_shares(ans, x, y=y, z=z, u=u, v=v, w=w, key=key, default=default,
                        differentiated=active_x + 2 * active_y + 4 * active_z +
                        8 * active_u + 16 * active_v + 32 * active_w)
    return (items_like(g * s[0], x), g * s[1], g * s[2], g * s[3], g * s[4], g * s[5],
            g * s[6])


@jvp_rule(builtins.max)
@jvp_rule(builtins.min)
def extremum_jvp(dx, dy, dz, du, dv, dw, ddefault, ans, x, y=None, z=None, u=None, v=None,
                 w=None, default=None, *, key=None, active_x=True, active_y=True,
                 active_z=True, active_u=True, active_v=True, active_w=True):
    s = extremum_shares(ans, x, y=y, z=z, u=u, v=v, w=w, key=key, default=default,
                        differentiated=active_x + 2 * active_y + 4 * active_z +
                        8 * active_u + 16 * active_v + 32 * active_w)
    return shared_tangent(dx, s[0]) + dy * s[1] + dz * s[2] + du * s[3] + dv * s[4] + \
        dw * s[5] + ddefault * s[6]


def _round_kind(args, kwargs):
    """round(x) is an int; round(x, n) keeps x's kind; round(array) is an array."""
    if len(args) == 1 and not kwargs and args[0] in ('int', 'float', 'bool'):
        return 'int'
    return args[0] if args and args[0] in ARRAYS | {'int', 'float'} else None


nondifferentiable(builtins.len, builtins.int, builtins.range, kind=integer)
nondifferentiable(builtins.round, kind=_round_kind)
nondifferentiable(builtins.bool, builtins.isinstance, kind=lambda args, kwargs: 'bool')
