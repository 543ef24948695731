"""outputs: what a derivative's function may return, and the tangents and
cotangents that go with an argument or output, checked where the API runs it."""

import numbers

import numpy as np

from adjoint.runtime import _SCALARS
from transforms.core.errors import AdjointError


def check_output(y, api, name):
    """`y` if it is an output a derivative can have: real numbers and arrays, or
    tuples, lists and dicts of them. None, a string or another object has no
    tangent or cotangent: an error, never a zero derivative."""
    if type(y) in _SCALARS:
        return y
    if isinstance(y, (tuple, list)):
        for item in y:
            check_output(item, api, name)
        return y
    if isinstance(y, dict):
        for item in y.values():
            check_output(item, api, name)
        return y
    if isinstance(y, (numbers.Real, np.ndarray, np.generic)) and \
            np.asarray(y).dtype.kind in 'biuf':
        return y
    what = repr(y) if y is None or isinstance(y, str) else f'a {type(y).__name__}'
    raise AdjointError(
        f'adjoint.{api} needs `{name}` to return real numbers or arrays (or tuples, lists '
        f'or dicts of them), but it returned {what}, which has no derivative; return the '
        f'numbers the derivative is of')


def _numeric(x):
    return isinstance(x, (numbers.Real, np.ndarray, np.generic))


def _described(x):
    """What `x` is, for an error: 'has shape (3,)', 'is None', 'is a tuple of 2 items'."""
    if _numeric(x):
        return f'has shape {np.shape(x)}'
    if isinstance(x, (tuple, list, dict)):
        return f'is a {type(x).__name__} of {len(x)} item{"" if len(x) == 1 else "s"}'
    return 'is None' if x is None else f'is a {type(x).__name__}'


def mismatch(value, reference, path=''):
    """The first place where the tangent or cotangent `value` is not shaped like
    `reference` (the argument or output it belongs to), or None where it is.

    That of a container is the same kind of container (a list and a tuple may
    stand for each other) holding one for each item, shaped like it, as in JAX;
    for a tuple or list that makes one array (of numbers, or of arrays of one
    shape) an array of that shape will do too. An item that has no derivative (a
    string, None) takes anything, and may be left out of a dict. Unchecked, a
    wrong shape would broadcast through the generated code into a derivative of
    the wrong shape, and a None into nan.

    Returns:
        None, or `(path, found, expected)`: where (`''`, `'[1]'`, `"['W']"`), and
        what `value` and `reference` are there (`'has shape (1,)'`, `'is None'`).
    """
    if isinstance(reference, (tuple, list)):
        if isinstance(value, (tuple, list)):
            if len(value) != len(reference):
                return path, _described(value), _described(reference)
            for k, (item, reference_item) in enumerate(zip(value, reference)):
                found = mismatch(item, reference_item, f'{path}[{k}]')
                if found is not None:
                    return found
            return None
        if isinstance(value, np.ndarray) and value.shape == _regular_shape(reference):
            return None
        return path, _described(value), _described(reference)
    if isinstance(reference, dict):
        if not isinstance(value, dict):
            return path, _described(value), _described(reference)
        for key in value:
            if key not in reference:
                return f'{path}[{key!r}]', 'is given', 'has no such key'
        for key, reference_item in reference.items():
            if key not in value:
                if _numeric(reference_item) or isinstance(reference_item, (tuple, list, dict)):
                    return f'{path}[{key!r}]', 'is missing', _described(reference_item)
                continue
            found = mismatch(value[key], reference_item, f'{path}[{key!r}]')
            if found is not None:
                return found
        return None
    if not _numeric(reference):
        return None  # a string or None has no derivative: anything stands for its zero
    if not _numeric(value) or np.shape(value) != np.shape(reference):
        return path, _described(value), _described(reference)
    return None


def _regular_shape(x):
    """The shape of the float array `x` makes, or None if it makes none (its
    items have different shapes, or are not numbers)."""
    try:
        return np.asarray(x, dtype=float).shape
    except (ValueError, TypeError):
        return None


def array_shape(value, api, what, fix):
    """The shape of `value`, or of the array a tuple or list of numbers (or of
    arrays of one shape) makes, which a Jacobian or Hessian counts it as.

    Raises:
        AdjointError: for a container that makes no array of numbers: items of
            different shapes, or a dict. `what` names the value, `fix` says what
            to do instead.
    """
    if not isinstance(value, (tuple, list, dict)):
        return np.shape(value)
    shape = None if isinstance(value, dict) else _regular_shape(value)
    if shape is None:
        holds = 'is a dict, which makes' if isinstance(value, dict) else \
            'holds items of different shapes (or dicts), which make'
        raise AdjointError(
            f'adjoint.{api} counts a tuple or list as the one array np.asarray makes of '
            f'it, but {what} {holds} no array; {fix}, or use adjoint.vjp or adjoint.jvp, '
            f'which take containers of arrays of any shapes')
    return shape


def shaped_like(block, reference):
    """The array `block`, of the shape `array_shape(reference)` gives, as a value of
    `reference`'s type: a tuple or list of its rows for a tuple or list, a float
    for a number, the array for an array. A Jacobian makes its unit tangents and
    cotangents so: what the generated code is specialized to."""
    if isinstance(reference, (tuple, list)):
        return type(reference)(shaped_like(block[k], item) for k, item in enumerate(reference))
    if isinstance(reference, np.ndarray):
        return np.asarray(block)
    return float(block)


def copied_lists(value):
    """`value` with every list in it (tapes, tapes of tapes) copied; arrays and
    other objects, which a backward sweep does not change, shared: a pullback
    pops the tapes its forward sweep saved, and may be called more than once."""
    if isinstance(value, list):
        return [copied_lists(item) for item in value]
    if isinstance(value, tuple):
        return tuple(copied_lists(item) for item in value)
    return value
