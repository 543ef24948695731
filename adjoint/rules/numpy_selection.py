"""Rules for NumPy's functions that select among their arguments (`np.maximum`,
`np.clip`, `np.where`) and that build arrays from a value (`np.full`, `np.copy`).

Where the selection switches, the derivative follows the conventions of
../../shared/DESIGN.md, in both modes alike (see `max_share` and `inside`).
"""

import numpy as np

from adjoint.rules.numpy_helpers import inside, max_share, select
from adjoint.rules.numpy_kinds import float_array, method
from adjoint.rules.registry import arithmetic, jvp_rule, vjp_rule
from transforms.kinds import ARRAYS


# ---------------------------------------------------------------- selection


@vjp_rule(np.maximum, broadcasts=True, elementwise=True, kind=arithmetic)
def maximum_vjp(g, ans, x, y, *, active_x=True, active_y=True):
    # A tie is split between two differentiated arguments (the compiler says which).
    return (g * max_share(x, y, active_y), g * max_share(y, x, active_x))


@jvp_rule(np.maximum)
def maximum_jvp(dx, dy, ans, x, y, *, active_x=True, active_y=True):
    return dx * max_share(x, y, active_y) + dy * max_share(y, x, active_x)


@vjp_rule(np.minimum, broadcasts=True, elementwise=True, kind=arithmetic)
def minimum_vjp(g, ans, x, y, *, active_x=True, active_y=True):
    return (g * max_share(y, x, active_y), g * max_share(x, y, active_x))


@jvp_rule(np.minimum)
def minimum_jvp(dx, dy, ans, x, y, *, active_x=True, active_y=True):
    return dx * max_share(y, x, active_y) + dy * max_share(x, y, active_x)


@vjp_rule(np.clip, broadcasts=True, elementwise=True, kind=arithmetic)
def clip_vjp(g, ans, x, a_min=None, a_max=None):
    # At a bound, no argument gets the cotangent (see `inside`).
    return (g * inside(x, a_min, a_max), g * (x < a_min), g * (x > a_max))


@jvp_rule(np.clip)
def clip_jvp(dx, da_min, da_max, ans, x, a_min=None, a_max=None):
    return dx * inside(x, a_min, a_max) + da_min * (x < a_min) + da_max * (x > a_max)


@vjp_rule(('method', 'clip'), broadcasts=True, kind=method(arithmetic))
def clip_method_vjp(g, ans, x, min=None, max=None):
    # np.clip's rule, with the method's names for the bounds (x.clip(max=1.0)).
    return (g * inside(x, min, max), g * (x < min), g * (x > max))


@jvp_rule(('method', 'clip'))
def clip_method_jvp(dx, dmin, dmax, ans, x, min=None, max=None):
    return dx * inside(x, min, max) + dmin * (x < min) + dmax * (x > max)


def _where_kind(args, kwargs):
    """Like arithmetic on `x` and `y`, but an array condition makes an array."""
    kind = arithmetic(args[1:], kwargs)
    return kind if kind in ARRAYS or args[0] in ('bool', 'int', 'float') else None


@vjp_rule(np.where, broadcasts=True, kind=_where_kind)
def where_vjp(g, ans, condition, x, y):
    return (None, np.where(condition, g, 0.0), np.where(condition, 0.0, g))


@jvp_rule(np.where)
def where_jvp(dx, dy, ans, condition, x, y):
    # np.where(condition, dx, dy), as two sides of which a zero one drops out.
    return select(condition, dx) + select(np.logical_not(condition), dy)


# ---------------------------------------------------------------- constructors


@vjp_rule(np.full, kind=lambda args, kwargs: None)  # the dtype of fill_value
def full_vjp(g, ans, shape, fill_value):
    return (None, np.sum(g))


@jvp_rule(np.full)
def full_jvp(dfill_value, ans, shape, fill_value):
    return np.full(shape, dfill_value)


@vjp_rule(np.full_like, kind=lambda args, kwargs: None)
def full_like_vjp(g, ans, x, fill_value):
    return (None, np.sum(g))


@jvp_rule(np.full_like)
def full_like_jvp(dfill_value, ans, x, fill_value):
    # A float tangent, even where x (and so the result) is an int array.
    return np.full(np.shape(ans), dfill_value)


@vjp_rule(np.copy, kind=float_array)
def copy_vjp(g, ans, x):
    return (g,)


@jvp_rule(np.copy)
def copy_jvp(dx, ans, x):
    return np.copy(dx)
