"""Second derivatives of Rosenbrock's function in 1,000 dimensions: `hvp` and `hessian`.

`adjoint.hvp(f)(x, v)` is one forward-mode pass over the generated gradient (forward
over reverse), without forming the Hessian; `adjoint.hessian(f)(x)` is one such pass
per element of `x`. Both are timed next to the gradient and to hand-written
closed forms (the Hessian is tridiagonal), after checking all of them against the
closed form.
"""

import numpy as np

import adjoint

N = 1000


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def hessian_bands(x):
    """The diagonal and the off-diagonal of the tridiagonal Hessian."""
    diagonal = np.zeros_like(x)
    diagonal[:-1] = 1200.0 * x[:-1] ** 2 - 400.0 * x[1:] + 2.0
    diagonal[1:] += 200.0
    return diagonal, -400.0 * x[:-1]


def hand_hvp(x, v):
    diagonal, off = hessian_bands(x)
    out = diagonal * v
    out[:-1] += off * v[1:]
    out[1:] += off * v[:-1]
    return out


def hand_hessian(x):
    diagonal, off = hessian_bands(x)
    return np.diag(diagonal) + np.diag(off, 1) + np.diag(off, -1)


def point():
    rng = np.random.default_rng(0)
    return rng.uniform(-2.0, 2.0, N), rng.normal(size=N)


def check(x, v, hvp, hessian):
    """Raise AssertionError unless both agree with the closed form."""
    if not np.allclose(hvp(x, v), hand_hvp(x, v), rtol=1e-10, atol=1e-8):
        raise AssertionError('hvp: adjoint and the closed form differ')
    if not np.allclose(hessian(x), hand_hessian(x), rtol=1e-10, atol=1e-8):
        raise AssertionError('hessian: adjoint and the closed form differ')


def report(time_calls, section, rounds, timer):
    """Print the table of times and ratios; returns {function: seconds per call}."""
    x, v = point()
    gradient = adjoint.grad(rosenbrock)
    hvp, hessian = adjoint.hvp(rosenbrock), adjoint.hessian(rosenbrock)
    check(x, v, hvp, hessian)
    rows = [('adjoint gradient', gradient, (x,)), ('adjoint hvp', hvp, (x, v)),
            ('hand-written hvp', hand_hvp, (x, v)), ('adjoint hessian', hessian, (x,)),
            ('hand-written hessian', hand_hessian, (x,))]
    times = time_calls([(fn, args) for _, fn, args in rows], rounds, timer).best
    section(f'hvp_rosenbrock: second derivatives, N = {N}')
    print('| function | time per call | / adjoint gradient |')
    print('|---|---:|---:|')
    for (name, _, _), seconds in zip(rows, times):
        print(f'| {name} | {_time(seconds)} | {seconds / times[0]:.1f}x |')
    print(f'\nThe hvp costs {times[1] / times[2]:.2f}x the hand-written one; the full '
          f'Hessian costs {times[3] / times[1]:.0f}x the hvp ({N} forward passes and the '
          f'stacking of their columns). Both were checked against the closed form first.')
    return {name: seconds for (name, _, _), seconds in zip(rows, times)}


def _time(seconds):
    return f'{seconds * 1e3:,.2f} ms' if seconds >= 1e-3 else f'{seconds * 1e6:,.1f} us'
