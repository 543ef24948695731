"""Numba implementations of the helpers in runtime.py that code for numbers and
float arrays calls, so that code compiled with `backend='numba'` can call them.

Each is a `numba.extending.overload` of the Python helper: in compiled code a
call of `runtime.unbroadcast` runs the implementation here, picked by the types
Numba infers, so the generated source is the same for both backends. They cover
numbers and float arrays of up to two dimensions where a helper must reduce; a
helper called with anything else fails to compile, and `numba_backend` reports
that with the user's line. Importing this module registers them (it imports
Numba: only `numba_backend` imports it).
"""

import math

import numba
import numpy as np
from numba import types
from numba.extending import overload
from numba.np.unsafe.ndarray import to_fixed_tuple

from adjoint import runtime
from adjoint.rules import linalg_helpers, numpy_helpers
from transforms.core import primitives
from transforms.core.errors import AdjointError, NonScalarOutputError


def _is_array(t):
    return isinstance(t, types.Array)


def _is_number(t):
    return isinstance(t, (types.Number, types.Boolean))


@overload(runtime.unbroadcast)
def _unbroadcast(g, x):
    if _is_number(g) and _is_number(x):
        return lambda g, x: g
    if _is_array(g) and _is_number(x):
        return lambda g, x: g.sum()
    if _is_number(g) and _is_array(x):
        return lambda g, x: g  # it broadcasts against x as it is
    if not (_is_array(g) and _is_array(x)):
        return None
    if g.ndim < x.ndim:
        return lambda g, x: g
    if x.ndim == 0:
        return lambda g, x: np.asarray(g.sum())
    if x.ndim == 1 and g.ndim == 1:
        def unbroadcast_1(g, x):
            if g.shape[0] == x.shape[0]:
                return np.asarray(g, dtype=np.float64)
            out = np.empty(1)
            out[0] = g.sum()
            return out
        return unbroadcast_1
    if x.ndim == 1 and g.ndim == 2:
        def unbroadcast_2_1(g, x):
            summed = g.sum(axis=0)
            if summed.shape[0] == x.shape[0]:
                return summed
            out = np.empty(1)
            out[0] = summed.sum()
            return out
        return unbroadcast_2_1
    if x.ndim == 2 and g.ndim == 2:
        def unbroadcast_2(g, x):
            if g.shape == x.shape:
                return np.asarray(g, dtype=np.float64)
            rows, cols = x.shape
            out = np.zeros(x.shape)
            for i in range(g.shape[0]):
                for j in range(g.shape[1]):
                    out[i % rows, j % cols] += g[i, j]
            return out
        return unbroadcast_2
    return None  # more dimensions: not compiled (numba_backend says so)


@overload(runtime.float_tape)
def _float_tape(count):
    return lambda count: np.empty(count)


@overload(runtime.int_tape)
def _int_tape(count):
    return lambda count: np.empty(count, dtype=np.int64)


@overload(runtime.bool_tape)
def _bool_tape(count):
    return lambda count: np.empty(count, dtype=np.bool_)


@overload(runtime.float_written)
def _float_written(container):
    """The check before a differentiated value is written into an array: Python's
    error, with its message, for an array of ints or bools."""
    if _is_array(container) and isinstance(container.dtype, (types.Integer, types.Boolean)):
        try:
            runtime.float_written(np.zeros(0, dtype=str(container.dtype)))
        except AdjointError as error:
            message = str(error)

        def rounds(container):
            raise AdjointError(message)
        return rounds
    return lambda container: None


@overload(runtime.repeat_like)
def _repeat_like(g, x):
    """The cotangent of `sum(x)`: `g` for each item of an array, or of a list of
    numbers."""
    if not _is_number(g):
        return None
    if _is_array(x):
        return lambda g, x: np.zeros(x.shape) + g
    if isinstance(x, types.List) and _is_number(x.dtype):
        return lambda g, x: [g] * len(x)
    return None


@overload(numpy_helpers.max_share)
def _max_share(x, y, split=False):
    """The share of `np.maximum(x, y)`'s cotangent that goes to `x`, as floats
    (Python's is bools where `split` is False: the same numbers once multiplied by
    the cotangent)."""
    if not ((_is_number(x) or _is_array(x)) and (_is_number(y) or _is_array(y))):
        return None

    def max_share(x, y, split=False):
        above = (x > y) * 1.0
        if split:
            return above + 0.5 * (x == y)
        return above
    return max_share


@overload(runtime.scalar_seed)
def _scalar_seed(y, name):
    if _is_number(y):
        return lambda y, name: 1.0
    if _is_array(y):
        def seed(y, name):
            if y.size != 1:
                raise NonScalarOutputError(
                    'adjoint.grad needs the function to return a real scalar (or an '
                    'array of one element); use adjoint.vjp or adjoint.jacobian for '
                    'non-scalar outputs')
            return np.ones(y.shape)
        return seed
    return None


@overload(runtime.zeros_like)
def _zeros_like(x):
    if _is_number(x):
        return lambda x: 0.0
    if _is_array(x):
        return lambda x: np.zeros(x.shape)
    return None


@overload(runtime.owned)
def _owned(g):
    if _is_number(g):
        return lambda g: g
    if _is_array(g):
        return lambda g: g.astype(np.float64)
    return None


@overload(runtime.spread)
def _spread(g, x):
    if _is_number(x) and _is_number(g):
        return lambda g, x: float(g)
    if _is_array(x) and _is_number(g):
        return lambda g, x: np.full(x.shape, float(g))
    if _is_array(x) and _is_array(g):
        return lambda g, x: np.broadcast_to(g, x.shape).astype(np.float64)
    return None


@overload(runtime.power_or_inf)
def _power_or_inf(x, y):
    if _is_number(x) and _is_number(y):
        return lambda x, y: np.power(float(x), float(y))  # inf where `**` would raise
    return None


@overload(runtime.add_at)
def _add_at(buffer, index, g):
    if not _is_array(buffer):
        return None
    if isinstance(index, types.Integer) or (
            isinstance(index, types.BaseTuple) and
            all(isinstance(i, (types.Integer, types.SliceType)) for i in index)):
        def add_at(buffer, index, g):
            buffer[index] += g
            return buffer
        return add_at
    return None  # an index array: np.add.at, which Numba does not compile


@overload(runtime.add_cotangents)
def _add_cotangents(a, b):
    if (_is_number(a) or _is_array(a)) and (_is_number(b) or _is_array(b)):
        return lambda a, b: a + b
    return None


@overload(primitives.check_unpack)
def _check_unpack(items, count):
    if isinstance(items, types.BaseTuple):
        found = len(items)  # known when Numba compiles it

        def check_unpack(items, count):
            if found > count:
                raise ValueError('too many values to unpack')
            if found < count:
                raise ValueError('not enough values to unpack')
        return check_unpack
    if isinstance(items, (types.List, types.Array)):
        def check_sized(items, count):
            if len(items) > count:
                raise ValueError('too many values to unpack')
            if len(items) < count:
                raise ValueError('not enough values to unpack')
        return check_sized
    return None


def _ndims(*values):
    return tuple(v.ndim if _is_array(v) else 0 for v in values)


@overload(linalg_helpers.matmul_grad_left)
def _matmul_grad_left(g, x, y):
    """`g @ y.T` for the matrices and vectors of `x @ y`."""
    shapes = _ndims(x, y)
    if shapes == (2, 2):
        return lambda g, x, y: g @ np.ascontiguousarray(y.T)
    if shapes == (2, 1):
        return lambda g, x, y: np.outer(g, y)
    if shapes == (1, 2):
        return lambda g, x, y: y @ g
    if shapes == (1, 1):
        return lambda g, x, y: g * y
    return None  # stacks of matrices: not compiled


@overload(linalg_helpers.matmul_grad_right)
def _matmul_grad_right(g, x, y):
    """`x.T @ g` for the matrices and vectors of `x @ y`."""
    shapes = _ndims(x, y)
    if shapes in ((2, 2), (2, 1)):
        return lambda g, x, y: np.ascontiguousarray(x.T) @ g
    if shapes == (1, 2):
        return lambda g, x, y: np.outer(x, g)
    if shapes == (1, 1):
        return lambda g, x, y: g * x
    return None


def _floats_tuple(t):
    return isinstance(t, types.UniTuple) and _is_number(t.dtype)


@overload(runtime.fill_like)
def _fill_like(x, partial):
    """The cotangent of a tuple of numbers from those of some of its items: an
    array, which `like` makes the tuple."""
    if _floats_tuple(x) and isinstance(partial, types.DictType):
        n = x.count

        def fill_like(x, partial):
            out = np.zeros(n)
            for index, g in partial.items():
                out[index] += g
            return out
        return fill_like
    return None


@overload(runtime.like)
def _like(g, x):
    if _floats_tuple(x) and _is_array(g) and g.ndim == 1:
        n = x.count
        return lambda g, x: to_fixed_tuple(g, n)
    if (_is_number(g) or _is_array(g)) and (_is_number(x) or _is_array(x)):
        return lambda g, x: g
    return None


def _is_none(t):
    return t is None or isinstance(t, (types.NoneType, types.Omitted))


@overload(numpy_helpers.reduced_size)
def _reduced_size(x, axis=None):
    if _is_array(x) and _is_none(axis):
        return lambda x, axis=None: x.size
    if _is_array(x) and isinstance(axis, types.Integer):
        return lambda x, axis=None: x.shape[axis]
    return None


def _is_true(t):
    """A literal True (Numba types a constant argument as a literal first: see
    `prefer_literal`)."""
    return isinstance(t, types.BooleanLiteral) and t.literal_value


def _is_false(t):
    """False, given or left out (Numba passes a default left out as the value)."""
    return t is False or isinstance(t, types.Omitted) and t.value is False or \
        isinstance(t, types.BooleanLiteral) and not t.literal_value


def _one_axis_of(g, x, axis, keepdims):
    """`g` is the cotangent of a reduction of array `x` over one int `axis`."""
    return _is_array(g) and _is_array(x) and isinstance(axis, types.Integer) and (
        _is_true(keepdims) and g.ndim == x.ndim or _is_false(keepdims) and g.ndim == x.ndim - 1)


@overload(numpy_helpers.keep_dims, prefer_literal=True)
def _keep_dims(g, x, axis=None, keepdims=False):
    """The cotangent of a reduction over one axis with that axis put back."""
    if not _one_axis_of(g, x, axis, keepdims):
        return None
    if _is_true(keepdims):
        return lambda g, x, axis=None, keepdims=False: g
    return lambda g, x, axis=None, keepdims=False: np.expand_dims(g, axis)


@overload(numpy_helpers.unreduce, prefer_literal=True)
def _unreduce(g, x, axis=None, keepdims=False):
    """The cotangent of a sum over all of `x`, `g` everywhere; or over one axis,
    `g` repeated along it."""
    if _is_none(axis) and _is_number(g):
        if _is_number(x):
            return lambda g, x, axis=None, keepdims=False: float(g)
        if _is_array(x):
            return lambda g, x, axis=None, keepdims=False: np.full(x.shape, float(g))
        return None
    if not _one_axis_of(g, x, axis, keepdims):
        return None
    if _is_true(keepdims):
        return lambda g, x, axis=None, keepdims=False: np.broadcast_to(g, x.shape).copy()
    return lambda g, x, axis=None, keepdims=False: np.broadcast_to(
        np.expand_dims(g, axis), x.shape).copy()


@overload(primitives.item_before)
def _item_before(container, index):
    if _is_array(container) or isinstance(container, types.List):
        return lambda container, index: container[index]
    return None


def _basic_index(index):
    """An index Numba reads a view or an item with: ints and slices."""
    if isinstance(index, (types.Integer, types.SliceType)):
        return True
    return isinstance(index, types.BaseTuple) and \
        all(isinstance(i, (types.Integer, types.SliceType)) for i in index)


def _part_like(part, x):
    """`item_of`'s last step: `part` as the cotangent of `x` (compiled only)."""
    raise NotImplementedError  # pragma: no cover - Numba runs the overload


@overload(_part_like)
def _part_like_compiled(part, x):
    if _is_number(part):
        return lambda part, x: part
    if _is_array(part) and _is_number(x):
        return lambda part, x: part.sum()
    if _is_array(part) and _is_array(x):
        def part_like(part, x):
            if part.shape == x.shape:
                return np.asarray(part.copy(), dtype=np.float64)
            return np.asarray(runtime.unbroadcast(part, x), dtype=np.float64)
        return part_like
    return None


@overload(runtime.item_of)
def _item_of(g, index, x):
    if _is_array(g) and _basic_index(index):
        return lambda g, index, x: _part_like(g[index], x)
    if isinstance(g, types.List) and isinstance(index, types.Integer):
        return lambda g, index, x: g[index]
    return None


@overload(runtime.written_part)
def _written_part(g, index, x):
    # A basic index names each position once, so the write reached all of it.
    if _is_array(g) and _basic_index(index):
        return lambda g, index, x: _part_like(g[index], x)
    return None


# ---------------------------------------------------------------- math, as Python raises
#
# Numba's `math.log(-1.0)` is NaN and its `math.exp(1000.0)` inf, where Python
# raises: a derivative must raise where its function raises, and the gradient of
# `math.log(x)` alone is `1 / x`, a number at -1.0. So the Numba twin of generated
# code reads `math` as `MATH`: the `math` module with these in place of the
# functions that raise, each Numba's own function behind Python's check.


@numba.njit
def _sqrt(x):
    if x < 0.0:
        raise ValueError('math domain error')
    return math.sqrt(x)


@numba.njit
def _log(x, base=None):
    if x <= 0.0:
        raise ValueError('math domain error')
    if base is None:
        return math.log(x)
    if base <= 0.0:
        raise ValueError('math domain error')
    if base == 1.0:
        raise ZeroDivisionError('float division by zero')
    return math.log(x) / math.log(base)


@numba.njit
def _log2(x):
    if x <= 0.0:
        raise ValueError('math domain error')
    return math.log2(x)


@numba.njit
def _log10(x):
    if x <= 0.0:
        raise ValueError('math domain error')
    return math.log10(x)


@numba.njit
def _log1p(x):
    if x <= -1.0:
        raise ValueError('math domain error')
    return math.log1p(x)


@numba.njit
def _acos(x):
    if x < -1.0 or x > 1.0:
        raise ValueError('math domain error')
    return math.acos(x)


@numba.njit
def _asin(x):
    if x < -1.0 or x > 1.0:
        raise ValueError('math domain error')
    return math.asin(x)


@numba.njit
def _acosh(x):
    if x < 1.0:
        raise ValueError('math domain error')
    return math.acosh(x)


@numba.njit
def _atanh(x):
    if x <= -1.0 or x >= 1.0:
        raise ValueError('math domain error')
    return math.atanh(x)


@numba.njit
def _in_range(y, x):
    """`y`, a function's value at `x`, unless it overflowed, as Python raises."""
    if math.isinf(y) and not math.isinf(x):
        raise OverflowError('math range error')
    return y


@numba.njit
def _exp(x):
    return _in_range(math.exp(x), x)


@numba.njit
def _expm1(x):
    return _in_range(math.expm1(x), x)


@numba.njit
def _cosh(x):
    return _in_range(math.cosh(x), x)


@numba.njit
def _sinh(x):
    return _in_range(math.sinh(x), x)


@numba.njit
def _pole(x):
    return x <= 0.0 and math.floor(x) == x


@numba.njit
def _gamma(x):
    if _pole(x):
        raise ValueError('math domain error')
    return _in_range(math.gamma(x), x)


@numba.njit
def _lgamma(x):
    if _pole(x):
        raise ValueError('math domain error')
    return math.lgamma(x)


@numba.njit
def _fmod(x, y):
    if y == 0.0:
        raise ValueError('math domain error')
    return math.fmod(x, y)


@numba.njit
def _pow(x, y):
    if x == 0.0 and y < 0.0:
        raise ValueError('math domain error')
    if x < 0.0 and math.floor(y) != y:
        raise ValueError('math domain error')
    return math.pow(x, y)


CHECKED_MATH = {'sqrt': _sqrt, 'log': _log, 'log2': _log2, 'log10': _log10,
                'log1p': _log1p, 'acos': _acos, 'asin': _asin, 'acosh': _acosh,
                'atanh': _atanh, 'exp': _exp, 'expm1': _expm1, 'cosh': _cosh,
                'sinh': _sinh, 'gamma': _gamma, 'lgamma': _lgamma, 'fmod': _fmod,
                'pow': _pow}
MATH = type(math)('math')  # named `math`, as `.source` shows it
MATH.__dict__.update({name: getattr(math, name) for name in dir(math)
                      if not name.startswith('_')})
MATH.__dict__.update(CHECKED_MATH)
