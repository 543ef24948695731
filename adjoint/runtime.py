"""The few helpers generated code calls. Each is cheap when it has nothing to do."""

import numpy as np

from transforms.errors import NonScalarOutputError


def unbroadcast(g, x):
    """Sum the cotangent `g` down to the shape of `x`, undoing NumPy broadcasting.

    Returns `g` itself when the shapes already agree; a Python float when `x` is a
    Python scalar.
    """
    shape = np.shape(x)
    if np.shape(g) == shape:
        return g
    g = np.asarray(g)
    extra = g.ndim - len(shape)
    if extra > 0:
        g = g.sum(axis=tuple(range(extra)))
    axes = tuple(k for k, n in enumerate(shape) if n == 1 and g.shape[k] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    if not shape and not isinstance(x, np.ndarray):
        return float(g)
    return g


def zeros_like(x):
    """A zero cotangent for `x`: `0.0` for a scalar, a float array of its shape else."""
    if isinstance(x, np.ndarray):
        return np.zeros(x.shape)
    if np.ndim(x) == 0:
        return 0.0
    return np.zeros(np.shape(x))


def scalar_seed(y, name):
    """The seed 1.0 of the backward sweep, after checking the output is a scalar."""
    if np.ndim(y) == 0 and np.isrealobj(y):
        return 1.0
    shape = np.shape(y)
    raise NonScalarOutputError(
        f'adjoint.grad needs `{name}` to return a real scalar, but it returned '
        f'{type(y).__name__} of shape {shape}; reduce it to a scalar (e.g. np.sum), '
        f'or use adjoint.vjp / adjoint.jacobian for non-scalar outputs')
