"""Rules for NumPy's functions that select among their arguments (`np.maximum`,
`np.fmax`, `np.clip`, `np.where`, `np.select`) and that build arrays from values
(`np.full`, `np.copy`, `np.linspace`).

Where the selection switches, the derivative follows the conventions of
../../shared/DESIGN.md, in both modes alike (see `max_share` and `inside`).
"""

import numpy as np

from adjoint.rules.numpy_helpers import (broadcast_like, choice_index, inside, max_share,
                                         nan_loses, select, selected, unselect)
from adjoint.rules.numpy_kinds import FLOATS, array_of_items, float_array, method
from adjoint.rules.registry import arithmetic, jvp_rule, vjp_rule
from adjoint.runtime import unbroadcast
from transforms.analysis.kinds import ARRAYS, SCALARS


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


# np.fmax and np.fmin: np.maximum and np.minimum, but where one argument is NaN
# they return the other, which gets the cotangent (`nan_loses`).
@vjp_rule(np.fmax, broadcasts=True, elementwise=True, kind=arithmetic)
def fmax_vjp(g, ans, x, y, *, active_x=True, active_y=True):
    return (g * (max_share(x, y, active_y) + nan_loses(x, y)),
            g * (max_share(y, x, active_x) + nan_loses(y, x)))


@jvp_rule(np.fmax)
def fmax_jvp(dx, dy, ans, x, y, *, active_x=True, active_y=True):
    return (dx * (max_share(x, y, active_y) + nan_loses(x, y))
            + dy * (max_share(y, x, active_x) + nan_loses(y, x)))


@vjp_rule(np.fmin, broadcasts=True, elementwise=True, kind=arithmetic)
def fmin_vjp(g, ans, x, y, *, active_x=True, active_y=True):
    return (g * (max_share(y, x, active_y) + nan_loses(x, y)),
            g * (max_share(x, y, active_x) + nan_loses(y, x)))


@jvp_rule(np.fmin)
def fmin_jvp(dx, dy, ans, x, y, *, active_x=True, active_y=True):
    return (dx * (max_share(y, x, active_y) + nan_loses(x, y))
            + dy * (max_share(x, y, active_x) + nan_loses(y, x)))


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


def _selected_kind(args, kwargs):
    """`np.select(condlist, choicelist, default)`: a float array of float choices."""
    return array_of_items(args[1:], kwargs)


@vjp_rule(np.select, kind=_selected_kind)
def select_vjp(g, ans, condlist, choicelist, default=0):
    which = choice_index(condlist)
    return (None, unselect(g, which, choicelist), unbroadcast(g * (which < 0), default))


@jvp_rule(np.select)
def select_jvp(dchoicelist, ddefault, ans, condlist, choicelist, default=0):
    which = choice_index(condlist)
    return selected(which, dchoicelist) + ddefault * (which < 0)


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


def _linspace_kind(args, kwargs):
    """`np.linspace(start, stop, ...)`: a vector between two numbers, 'array'
    between float arrays (with an axis of samples)."""
    if len(args) < 2 or 'dtype' in kwargs:
        return None
    if all(k in SCALARS for k in args[:2]) and 'axis' not in kwargs:
        return 'vector'
    return 'array' if all(k in FLOATS | SCALARS for k in args[:2]) else None


@vjp_rule(np.linspace, kind=_linspace_kind)
def linspace_vjp(g, ans, start, stop, num=50, endpoint=True, *, axis=0):
    # ans = start + (stop - start) * t, t from 0 to 1 along `axis`. No `retstep`
    # (a tuple result) nor `dtype`: a call with them is rejected where the rule
    # is inlined.
    t = np.linspace(0.0, 1.0, num, endpoint)
    samples = np.moveaxis(g, axis, -1)
    return (unbroadcast(samples @ (1.0 - t), start), unbroadcast(samples @ t, stop))


@jvp_rule(np.linspace)
def linspace_jvp(dstart, dstop, ans, start, stop, num=50, endpoint=True, *, axis=0):
    # Samples last, broadcast there to the full shape (where a zero tangent of
    # one end dropped out of the sum), then moved to `axis`.
    t = np.linspace(0.0, 1.0, num, endpoint)
    samples = np.expand_dims(dstart, -1) * (1.0 - t) + np.expand_dims(dstop, -1) * t
    return np.moveaxis(broadcast_like(samples, np.moveaxis(ans, axis, -1)), -1, axis)
