"""outputs: what a derivative's function may return, checked where the API runs it."""

import numbers

import numpy as np

from adjoint.runtime import _SCALARS
from transforms.errors import AdjointError


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
