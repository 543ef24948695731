"""Explicit Euler, 1,000 steps of `y' = -k y + sin(y)`, gradient w.r.t. `y0` and `k`."""

import math

from common import Benchmark

STEPS = 1000


def euler(y0, k, dt, n):
    y = y0
    for i in range(n):
        y = y + dt * (-k * y + math.sin(y))
    return y


def euler_grad(y0, k, dt, n):
    """Reverse mode by hand: keep the ys of the forward pass, then walk them back.

    With y' = y + dt * (-k * y + sin(y)):
    dy'/dy = 1 + dt * (cos(y) - k) and dy'/dk = -dt * y.
    """
    ys = []
    y = y0
    for i in range(n):
        ys.append(y)
        y = y + dt * (-k * y + math.sin(y))
    by = 1.0
    bk = 0.0
    for y in reversed(ys):
        g = by * dt
        bk -= g * y
        by += g * (math.cos(y) - k)
    return by, bk


BENCHMARKS = [
    Benchmark('euler', euler, (0.5, 0.3, 0.01, STEPS), (0, 1), euler_grad,
              'forward pass appends y to a list; reverse loop over reversed(ys)',
              sized=lambda steps: (0.5, 0.3, 0.01, steps), target=1.5, compare=True,
              small=(0.5, 0.3, 0.01, 20)),
]
