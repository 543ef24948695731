"""Rosenbrock's function in 1,000 dimensions, vectorized with slices; d/dx."""

import numpy as np

from common import Benchmark

N = 1000


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def rosenbrock_grad(x):
    """x[i] appears in term i (as x[i]) and in term i-1 (as x[i+1]): the gradient
    is the sum of the two pieces, written into one array."""
    head = x[:-1]
    r = x[1:] - head * head
    g = np.empty_like(x)
    g[:-1] = -400.0 * head * r - 2.0 * (1.0 - head)
    g[-1] = 0.0
    g[1:] += 200.0 * r
    return g


def _point(n=N):
    return (np.random.default_rng(0).uniform(-2.0, 2.0, n),)


BENCHMARKS = [
    Benchmark('rosenbrock_nd', rosenbrock, _point(), (0,), rosenbrock_grad,
              'two slices of one residual array written into an empty array', target=1.2,
              compare=True, small=_point(10)),
]
