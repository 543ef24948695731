"""Squared error of a line through 100 points, written as an index loop; d/dcoef.

Two variants of the same function: `xs`, `ys` as Python lists of floats, and as
1-D NumPy float arrays (where each `xs[i]` is a NumPy scalar).
"""

import numpy as np

from common import Benchmark

POINTS = 100


def linreg(coef, xs, ys):
    error = 0.0
    for i in range(len(ys)):
        error += (ys[i] - xs[i] * coef) ** 2
    return error


def linreg_grad(coef, xs, ys):
    """The gradient as one would write it: each point's term is independent of the
    others, so one forward loop accumulates d/dcoef (ys[i] - xs[i]*coef)**2 and
    nothing needs to be stored or walked back."""
    g = 0.0
    for i in range(len(ys)):
        x = xs[i]
        g -= 2.0 * (ys[i] - x * coef) * x
    return g


def _arrays(points):
    rng = np.random.default_rng(0)
    xs = np.linspace(0.0, 1.0, points)
    ys = 2.0 * xs + 0.5 + 0.1 * rng.standard_normal(points)
    return 1.5, xs, ys


def _lists(points):
    coef, xs, ys = _arrays(points)
    return coef, xs.tolist(), ys.tolist()


BENCHMARKS = [
    Benchmark('linreg_list', linreg, _lists(POINTS), (0,), linreg_grad,
              'one forward loop accumulating the gradient; lists of floats',
              sized=_lists, target=1.5, compare=True,
              small=_lists(10)),
    Benchmark('linreg_numpy', linreg, _arrays(POINTS), (0,), linreg_grad,
              'the same loop over 1-D float arrays', sized=_arrays, target=1.5,
              small=_arrays(10)),
]
