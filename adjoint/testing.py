"""Gradient checking against central finite differences, for tests and users.

In the spirit of `jax.test_util.check_grads` and `torch.autograd.gradcheck`:

    >>> import adjoint.testing
    >>> adjoint.testing.check_grads(lambda x: x * x, (3.0,))  # doctest: +SKIP
"""

import numpy as np

from adjoint.api import grad


def numerical_grad(fn, args, k, eps=1e-6, kwargs=None):
    """The central-difference gradient of scalar `fn` with respect to `args[k]`."""
    kwargs = kwargs or {}
    x = args[k]
    base = np.array(x, dtype=float)
    out = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        values = []
        for sign in (1.0, -1.0):
            moved = base.copy()
            moved[index] += sign * eps
            arg = moved if isinstance(x, np.ndarray) else float(moved)
            shifted = args[:k] + (arg,) + args[k + 1:]
            values.append(float(fn(*shifted, **kwargs)))
        out[index] = (values[0] - values[1]) / (2 * eps)
    return out if isinstance(x, np.ndarray) else float(out)


def check_grads(fn, args, wrt=None, kwargs=None, rtol=1e-5, atol=1e-6, eps=1e-6):
    """Assert that adjoint's gradient of `fn` at `args` matches finite differences.

    Args:
        fn: a scalar-valued function.
        args: a tuple of arguments (floats or float arrays).
        wrt: indices to check; all arguments by default.
        kwargs: keyword arguments passed through unchanged.

    Returns:
        The gradients adjoint computed, as a tuple (one per `wrt` index).

    Raises:
        AssertionError: naming the argument and showing both gradients.
    """
    args = tuple(args)
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    got = grad(fn, wrt=wrt)(*args, **(kwargs or {}))
    for k, g in zip(wrt, got):
        expected = numerical_grad(fn, args, k, eps, kwargs)
        if np.shape(g) != np.shape(args[k]):
            raise AssertionError(f'gradient of argument {k} has shape {np.shape(g)}, '
                                 f'the argument has shape {np.shape(args[k])}')
        if not np.allclose(g, expected, rtol=rtol, atol=atol):
            raise AssertionError(f'gradient of argument {k} of {fn.__name__} at {args}:\n'
                                 f'  adjoint:            {g}\n'
                                 f'  finite differences: {expected}')
    return got
