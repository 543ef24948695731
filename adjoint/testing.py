"""Gradient checking against central finite differences, for tests and users.

In the spirit of `jax.test_util.check_grads` and `torch.autograd.gradcheck`:

    >>> import adjoint.testing
    >>> adjoint.testing.check_grads(lambda x: x * x, (3.0,))  # doctest: +SKIP
"""

import numpy as np

from adjoint.api import grad
from adjoint.forward_mode import jvp


def numerical_grad(fn, args, k, eps=1e-6, kwargs=None):
    """The central-difference gradient of `fn`, whose result is one number (or an
    array of one element, as for `grad`), with respect to `args[k]`."""
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
            # .item(): a result of one element may be an array (keepdims=True)
            values.append(np.asarray(fn(*shifted, **kwargs), dtype=float).item())
        out[index] = (values[0] - values[1]) / (2 * eps)
    return out if isinstance(x, np.ndarray) else float(out)


def check_grads(fn, args, wrt=None, kwargs=None, rtol=1e-5, atol=1e-6, eps=1e-6,
                modes=('fwd', 'rev')):
    """Assert that adjoint's derivatives of `fn` at `args` match finite differences.

    Args:
        fn: a scalar-valued function.
        args: a tuple of arguments (floats or float arrays).
        wrt: indices to check; all arguments by default.
        kwargs: keyword arguments passed through unchanged (reverse mode only).
        modes: 'rev' checks the gradient (`grad`) element by element; 'fwd' checks
            the tangent (`jvp`) along a seeded random direction of the `wrt`
            arguments; with both (the default, as in `jax.test_util.check_grads`),
            the two modes must also agree with each other.

    Returns:
        The gradients adjoint computed, as a tuple (one per `wrt` index), if 'rev'
        is among the modes.

    Raises:
        AssertionError: naming the argument and showing both derivatives.
    """
    args = tuple(args)
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    expected = [numerical_grad(fn, args, k, eps, kwargs) for k in wrt]
    got = None
    if 'rev' in modes:
        got = grad(fn, wrt=wrt)(*args, **(kwargs or {}))
        for k, g, e in zip(wrt, got, expected):
            if np.shape(g) != np.shape(args[k]):
                raise AssertionError(f'gradient of argument {k} has shape {np.shape(g)}, '
                                     f'the argument has shape {np.shape(args[k])}')
            if not np.allclose(g, e, rtol=rtol, atol=atol):
                raise AssertionError(f'gradient of argument {k} of {fn.__name__} at {args}:\n'
                                     f'  adjoint:            {g}\n'
                                     f'  finite differences: {e}')
    if 'fwd' in modes:
        _check_tangent(fn, args, wrt, expected, got, rtol, atol)
    return got


def _check_tangent(fn, args, wrt, expected, grads, rtol, atol):
    """The jvp along a random direction against the finite-difference gradient (and
    against the reverse-mode gradient, when there is one: <grad, t> = jvp)."""
    rng = np.random.default_rng(len(args))
    tangents = [None] * len(args)
    for k in wrt:
        t = rng.normal(size=np.shape(args[k]))
        tangents[k] = t if isinstance(args[k], np.ndarray) else float(t)
    _, tangent = jvp(fn, args, tangents)
    want = sum(float(np.sum(e * tangents[k])) for k, e in zip(wrt, expected))
    if not np.allclose(tangent, want, rtol=rtol, atol=atol):
        raise AssertionError(f'tangent of {fn.__name__} at {args} along {tangents}:\n'
                             f'  adjoint:            {tangent}\n'
                             f'  finite differences: {want}')
    if grads is not None:
        pairing = sum(float(np.sum(g * tangents[k])) for k, g in zip(wrt, grads))
        if not np.allclose(tangent, pairing, rtol=1e-9, atol=1e-12):
            raise AssertionError(f'forward and reverse mode disagree for {fn.__name__} at '
                                 f'{args}: jvp {tangent}, <grad, t> {pairing}')
