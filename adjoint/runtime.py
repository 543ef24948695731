"""The few helpers generated code calls. Each is cheap when it has nothing to do."""

import numbers

import numpy as np

from transforms.core import primitives
from transforms.core.errors import AdjointError, NonScalarOutputError


_SCALARS = frozenset({float, int, np.float64, np.float32, np.int64})
_add_reduce = np.add.reduce  # `g.sum(axis)` without the method's Python layer


def unbroadcast(g, x):
    """Sum the cotangent `g` down to the shape of `x`, undoing NumPy broadcasting.

    Returns `g` itself when the shapes already agree; a Python float when `x` is a
    Python scalar. Generated code calls this after every broadcasting operation
    whose shapes it cannot tell apart, so two arrays are checked first.
    """
    if type(g) is np.ndarray and type(x) is np.ndarray:
        shape = x.shape
        if g.shape == shape:
            return g
        if g.ndim == len(shape) + 1 and 1 not in shape:
            return _add_reduce(g, 0)  # x was added to every row: a layer's bias
        return _summed_to(g, shape)
    if type(g) in _SCALARS and type(x) in _SCALARS:
        return g
    shape = np.shape(x)
    if np.shape(g) == shape:
        return g
    g = _summed_to(np.asarray(g), shape)
    if not shape and not isinstance(x, np.ndarray):
        return float(g)
    return g


def _summed_to(g, shape):
    """`g` summed over the axes broadcasting added to `shape`, in one reduction: the
    leading axes `shape` lacks, and those where it has size 1 and `g` has more."""
    extra = g.ndim - len(shape)
    if extra < 0:  # smaller than x: it broadcasts against x as it is
        return g
    axes = tuple(range(extra))
    for k, n in enumerate(shape):
        if n == 1 and g.shape[extra + k] != 1:
            axes += (extra + k,)
    if not axes:
        return g
    summed = _add_reduce(g, axis=axes)
    return summed if summed.shape == shape else summed.reshape(shape)


def power_or_inf(x, y):
    """`x ** y`, or the ±inf NumPy's `np.power` gives where Python's `**` raises
    ZeroDivisionError (`0.0 ** -0.5`): derivative rules of Python scalars call it
    where a derivative is infinite at a point where its function is defined
    (`math.sqrt`, `x ** 0.5` at 0), so that it is inf, as for `np.sqrt`, not an
    error (docs/rules.md, "At the edges of a domain")."""
    try:
        return x ** y
    except ZeroDivisionError:
        with np.errstate(divide='ignore'):
            return float(np.power(float(x), float(y)))


# `power_or_inf(x, c)` is `x ** c` for a constant c >= 0 (which never divides by
# zero): the optimizer rewrites it so, and folds `x ** 1` (transforms/opt/optimize.py).
power_or_inf.pow_for_nonnegative_constants = True


def spread(g, x):
    """A cotangent shaped like `x` with the number `g` everywhere, or `g` repeated
    where it is an array that broadcasts against `x`: a new float array (a float
    when `x` is a Python scalar). Reverse mode keeps the cotangent of a sum as one
    number, and that of a sum over an axis as the row or column it is, while only
    elementwise operations scale it (see transforms/ad/reverse/reverse_uniform.py), and
    spreads it where its shape matters."""
    shape = np.shape(x)
    if not shape and not isinstance(x, np.ndarray):
        return float(g)
    out = np.empty(shape)
    out[...] = g
    return out


def float_written(container):
    """Check, before a differentiated value is written into `container` (`y[i] =
    v`), that it is no array of ints or bools, where NumPy rounds the value: the
    derivative through a rounded write is 0 almost everywhere, rarely what is
    meant, and the derivative of the float write would be wrong.

    Raises:
        AdjointError: for an ndarray of integers or booleans.
    """
    if isinstance(container, np.ndarray) and container.dtype.kind in 'biu':
        raise AdjointError(
            f'a differentiated value is written into an array of dtype '
            f'{container.dtype}, which rounds it (its derivative is then 0 almost '
            f'everywhere): make the array float (np.zeros(n), np.zeros_like(x, '
            f'dtype=float), y.astype(float))')


def zeros_like(x):
    """A zero cotangent for `x`, owned by the caller (safe to update in place).

    `0.0` for a scalar, a float array for an array, and for a container the same
    container of zeros: a list for a list or tuple, a dict with the same keys.
    """
    if isinstance(x, np.ndarray):
        return np.zeros(x.shape)
    if isinstance(x, (list, tuple)):
        return [zeros_like(item) for item in x]
    if isinstance(x, dict):
        return {key: zeros_like(value) for key, value in x.items()}
    if np.ndim(x) == 0:
        return 0.0
    return np.zeros(np.shape(x))


def float_tape(count):
    """A tape of `count` floats, written and read at the iteration's position, for
    a loop whose trip count is known (`backend='numba'`: see
    transforms/opt/array_tapes.py)."""
    return np.empty(count)


def int_tape(count):
    """A tape of `count` ints (see `float_tape`)."""
    return np.empty(count, dtype=np.int64)


def bool_tape(count):
    """A tape of `count` bools (see `float_tape`)."""
    return np.empty(count, dtype=np.bool_)


def owned(g):
    """A copy of cotangent `g` that generated code may update in place."""
    if isinstance(g, np.ndarray):
        return g.astype(float)
    if isinstance(g, (list, tuple)):
        return [owned(item) for item in g]
    if isinstance(g, dict):
        return {key: owned(value) for key, value in g.items()}
    return g


def add_at(buffer, index, g):
    """`buffer[index] += g`, right for every index: repeated integer indices add up
    (np.add.at), and list or dict elements are replaced, never changed in place
    (they may be shared). Returns `buffer`, updated in place: generated code
    writes `bx = add_at(bx, i, g)`, so that differentiating that code again sees
    the update (a second derivative)."""
    if isinstance(buffer, np.ndarray):
        if _basic(index):
            buffer[index] += g
        else:
            np.add.at(buffer, index, g)
    else:
        buffer[index] = add_cotangents(buffer[index], g)  # `+` would concatenate lists
    return buffer


add_at.updates_first_argument = True  # see transforms/backend/emit.py


def item_of(g, index, x):
    """`g[index]`, summed down to the shape of `x`, as a new object: the cotangent of
    the `x` that `add_at(buffer, index, x)` added in, or that `buffer[index] = x`
    wrote (broadcast to `buffer[index]`). A new object, not a view: the caller may
    clear or update `g[index]` next."""
    if isinstance(g, np.ndarray):
        part = g[index]
        if np.shape(part) != np.shape(x):
            return unbroadcast(part, x)
        return part.copy() if isinstance(part, np.ndarray) else part
    return g[index]


def written_part(g, index, x):
    """The cotangent of the `x` that `buffer[index] = x` wrote, from the buffer's
    cotangent `g`: `item_of`, but where `index` names a position more than once
    (`y[[0, 0]] = v`) only the last write reached it, as NumPy assigns in order:
    `v[0]` gets zero."""
    if isinstance(g, np.ndarray) and not _basic(index):
        part = _last_writes(g[index], g.shape, index)
        return unbroadcast(part, x) if np.shape(part) != np.shape(x) else part
    return item_of(g, index, x)


def scattered(g, buffer, index):
    """Zeros shaped like `buffer` with `g` written at `index` (`z[index] = g`): the
    adjoint of `written_part`, where a repeated position keeps the last write."""
    out = zeros_like(buffer)
    out[index] = g
    return out


def _last_writes(part, shape, index):
    """`part` = `g[index]` with zeros where a later element of `index` names the
    same position."""
    positions = np.arange(int(np.prod(shape))).reshape(shape)[index].ravel()
    if np.unique(positions).size == positions.size:
        return part
    _, last_from_end = np.unique(positions[::-1], return_index=True)
    kept = np.zeros(positions.size, dtype=bool)
    kept[positions.size - 1 - last_from_end] = True
    return part * kept.reshape(np.shape(part))


def _basic(index):
    if isinstance(index, tuple):
        return all(_basic(i) for i in index)
    return index is None or index is Ellipsis or isinstance(index, (int, slice, np.integer))


def fill_like(x, partial):
    """The cotangent of container `x` from the cotangents of some of its items.

    `partial` maps an index or key of `x` to its cotangent; the other items get
    zeros. The result has `x`'s structure: a list for a list or tuple (converted
    back to a tuple at the end), a dict for a dict, an array for an array.
    """
    if isinstance(x, dict) and len(partial) == len(x):
        return {key: partial[key] for key in x}  # the argument's key order
    buffer = zeros_like(x)
    for index, g in partial.items():
        add_at(buffer, index, g)
    return buffer


# The adjoint of `xs[index] = value` on a list or dict, whose item's cotangent is not
# a number (see transforms/ad/reverse/reverse_containers.py): `replaced` is what the write
# replaced (`primitives.item_before`), so the cotangent of the container before it
# has that item's shape, and, for a slice of a list, its length.


def _written_range(buffer, index, replaced, value):
    """Where the items of `value` are in a list after `xs[index] = value`, whose
    cotangent is `buffer`, for a slice that `value` may have resized; `index`
    itself for a key, an integer or an extended slice (which keep the length)."""
    if isinstance(buffer, dict) or not isinstance(index, slice) or \
            index.step not in (None, 1):
        return index
    before = len(buffer) - len(value) + len(replaced)
    start = index.indices(before)[0]
    return slice(start, start + len(value))


def written_items(buffer, index, replaced, value):
    """The cotangent of `value` in `xs[index] = value`, from the list's `buffer`."""
    part = buffer[_written_range(buffer, index, replaced, value)]
    return like(list(part), value) if isinstance(index, slice) else part


def placed_items(g, buffer, index, replaced, value):
    """Zeros like `buffer` with `g` where `written_items` reads: its adjoint. An
    array `g` is copied in, so the new list is no view of it (tests/test_views.py)."""
    out = zeros_like(buffer)
    out[_written_range(buffer, index, replaced, value)] = \
        g.copy() if isinstance(g, np.ndarray) else g
    return out


def clear_written(buffer, index, replaced, value):
    """The cotangent of the container before `xs[index] = value` from `buffer`,
    its cotangent after, once `value` has taken its part: what the write
    replaced gets zeros of its own shape (an array, a list, fewer or more items
    for a slice), not the number `0.0`; a key the write added to a dict is
    removed. Returns `buffer`, updated in place, as `add_at` does."""
    if replaced is primitives.NO_ITEM:
        del buffer[index]
    else:
        buffer[_written_range(buffer, index, replaced, value)] = zeros_like(replaced)
    return buffer


clear_written.updates_first_argument = True  # like `add_at`


def restore_written(g, index, replaced, value):
    """The adjoint of `clear_written`: a new `g` (the cotangent of the container
    before the write) with zeros of `value`'s shape where the write put it."""
    out = dict(g) if isinstance(g, dict) else list(g)
    if isinstance(out, list) and isinstance(index, slice) and index.step in (None, 1):
        start = index.indices(len(g))[0]
        index = slice(start, start + len(replaced))
    out[index] = zeros_like(value)
    return out


def split_concatenated(g, xs):
    """The cotangents of `xs` and `zs` in `xs + zs` (lists or tuples), from the
    cotangent `g` of the concatenation: `g` split at `len(xs)`."""
    return g[:len(xs)], g[len(xs):]


def concatenated(first, second):
    """`first + second` of two cotangents of lists (lists, or arrays from a rule):
    the adjoint of `split_concatenated`."""
    return list(first) + list(second)


def repeated(g, like_g):
    """`g`, a list's cotangent, repeated to the length of `like_g`: the adjoint of
    `unrepeated`."""
    return list(g) * (len(like_g) // max(len(g), 1))


def unrepeated(g, xs):
    """The cotangent of `xs` in `xs * n` (a list or tuple repeated): the sum of the
    `n` chunks of its cotangent `g`, item by item."""
    size = len(xs)
    total = g[:size]
    for start in range(size, len(g), max(size, 1)):
        total = add_cotangents(total, g[start:start + size])
    return total


def add_cotangents(a, b):
    """`a + b` for cotangents, item by item for lists and dicts.

    A scalar zero plus a container is the container: the zero that stands for
    a popped item (`drop_last`), whose kind the backward sweep does not know,
    when the item is a tuple — a callee's saved values on a tape, in a second
    derivative.
    """
    if isinstance(b, (list, dict)) and isinstance(a, (int, float)) and a == 0:
        return b
    if isinstance(a, (list, tuple)):  # a tuple's cotangent may be a tuple: not `+`
        return [add_cotangents(u, v) for u, v in zip(a, b)]
    if isinstance(a, dict):
        return {key: add_cotangents(a[key], b[key]) if key in b else a[key] for key in a}
    return a + b


def like(g, x):
    """Cotangent `g` in the type of `x`: a tuple for a tuple, a list of items for a
    list (the rule of `np.array(xs)` or `np.sum(xs)` gives an array; its items are
    floats where they are numbers), an array for an array."""
    if isinstance(x, (list, tuple)) and isinstance(g, np.ndarray) and g.ndim:
        if g.ndim == 1:
            items = [float(item) for item in g]
        elif len(g) == len(x):  # rows of a list of lists
            items = [like(item, x_item) for item, x_item in zip(g, x)]
        else:
            items = list(g)
        return tuple(items) if isinstance(x, tuple) else items
    if isinstance(x, tuple) and isinstance(g, list):
        return tuple(g)
    if isinstance(x, np.ndarray) and isinstance(g, (list, tuple)):
        return np.array(g, dtype=float)
    return g


def deep_like(g, x):
    """Derivative `g` in the containers of `x` at every depth: what a derivative
    returns for an argument, and the zero tangent of a container, are shaped like
    it (a list of `(W, b)` tuples gets a list of tuples, as in JAX's pytrees),
    where the generated code builds a container's cotangent of lists (updated in
    place) and `like` changes only the outermost container."""
    if isinstance(x, (tuple, list)) and (isinstance(g, (list, tuple)) or
                                         isinstance(g, np.ndarray) and g.ndim) and \
            len(g) == len(x):
        return type(x)(deep_like(item, x_item) for item, x_item in zip(g, x))
    if isinstance(x, dict) and isinstance(g, dict):
        return {key: deep_like(item, x[key]) if key in x else item for key, item in g.items()}
    return like(g, x)


def sequence_tangent(t, xs):
    """The tangent of `sequence_of(xs)`, what `for x in xs` walks, from the tangent
    `t` of `xs`: `t` for a sequence; zeros for the keys of a dict, which have none."""
    return [0.0] * len(xs) if isinstance(xs, dict) else t


def sequence_cotangent(g, xs):
    """What the cotangent `g` of `sequence_of(xs)` gives `xs`: `g` for a sequence;
    zeros for a dict, whose keys are walked and carry no derivative."""
    return zeros_like(xs) if isinstance(xs, dict) else g


def repeat_like(g, x):
    """The cotangent of `sum(x)` for a list or array `x`: `g` for every item."""
    if isinstance(x, (list, tuple)):
        return [g] * len(x)
    return np.zeros(np.shape(x)) + g


def scalar_seed(y, name):
    """The seed of the backward sweep, after checking the output is one real
    number: 1.0 for a Python or NumPy int or float (or bool), or a 0-d array of
    them; ones of its shape for an array of one element (`np.sum(x,
    keepdims=True)`, a `(1, 1)` log-likelihood), which autograd and PyTorch take
    as a scalar too, so the backward sweep sees a cotangent of its shape. None,
    a string, an object array or a larger array is an error, not a zero
    gradient."""
    if type(y) in _SCALARS or (isinstance(y, (numbers.Real, np.ndarray, np.generic)) and
                               np.size(y) == 1 and np.asarray(y).dtype.kind in 'biuf'):
        return np.ones(np.shape(y)) if np.ndim(y) else 1.0
    if isinstance(y, (np.ndarray, np.generic)) and np.size(y) == 1:
        what = f'{type(y).__name__} of dtype {y.dtype}'
        fix = 'return a real number'
    elif isinstance(y, (tuple, list)) and len(y) == 2 and \
            isinstance(y[0], (numbers.Real, np.ndarray, np.generic)) and np.size(y[0]) == 1:
        what = f'a {type(y).__name__} of 2 items'
        fix = ('for a function returning (loss, aux), pass has_aux=True (as for '
               'jax.grad); otherwise reduce it to a scalar')
    elif isinstance(y, (np.ndarray, list, tuple)):
        what = f'{type(y).__name__} of {_shape_shown(y)}'
        fix = 'reduce it to a scalar (e.g. np.sum)'
    else:
        what = repr(y) if y is None or isinstance(y, str) else type(y).__name__
        fix = 'return a real number'
    raise NonScalarOutputError(
        f'adjoint.grad needs `{name}` to return a real scalar (or an array of one '
        f'element), but it returned {what}; {fix}, or use adjoint.vjp / adjoint.jacobian '
        f'for non-scalar outputs')


def _shape_shown(y):
    """'shape (2, 3)', or for a tuple or list whose items have different shapes
    (which NumPy cannot make one array of), how many items it has."""
    try:
        return f'shape {np.shape(y)}'
    except ValueError:
        return f'{len(y)} items of different shapes'
