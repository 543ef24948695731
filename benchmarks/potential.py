"""The potential energy of N bodies in the plane, a double loop over the pairs;
d/d(positions).

Written as one writes a loop for Numba: explicit `for` loops, scalar indexing of
a 2-D array, `math.sqrt`. The softening (a small constant added to each squared
distance) keeps the energy finite where two bodies meet.
"""

import math

import numpy as np

BODIES = 50
SOFTENING = 0.01


def potential(pos):
    n = pos.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            e = e - 1.0 / math.sqrt(dx * dx + dy * dy + SOFTENING)
    return e


def potential_grad(pos):
    """One pass over the pairs: with r = sqrt(dx^2 + dy^2 + s), d(-1/r)/d(dx) is
    dx / r^3, added to body i's gradient and taken from body j's."""
    n = pos.shape[0]
    g = np.zeros_like(pos)
    for i in range(n):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            r2 = dx * dx + dy * dy + SOFTENING
            w = 1.0 / (r2 * math.sqrt(r2))
            g[i, 0] += w * dx
            g[i, 1] += w * dy
            g[j, 0] -= w * dx
            g[j, 1] -= w * dy
    return g


def positions(bodies=BODIES):
    """Bodies scattered over the unit square, the same ones every run."""
    return (np.random.default_rng(0).uniform(0.0, 1.0, (bodies, 2)),)
