"""Straight-line golden cases: no branches, no loops.

Their adjoints must contain no zero-initialized adjoints and no unused statements
(`tests/test_golden.py` asserts it). Add new cases at the end: the generated code
cites line numbers of this file.
"""

import math

import numpy as np

ARGS = {
    'tanh_layer': [
        (np.array([0.5, -1.0, 2.0]), 0.3, np.array([1.0, 0.25, -0.5])),
        (np.array([-0.2, 0.7, 1.1]), -0.4, np.array([0.3, -1.5, 0.8])),
    ],
}
WRT = {'tanh_layer': ('w', 'b')}


def rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def gaussian(x):
    return x * math.exp(-x * x / 2.0)


def trig(x, y):
    return math.sin(x) * math.cos(y) + math.sin(x * y)


def used_twice(x, y):
    z = math.sin(x)
    return z * y + z


def tanh_layer(w, b, x):
    h = np.tanh(w * x + b)
    return np.sum(h * h)


def ratio(x, y):
    return (x + 1.0) / (y * y + 2.0) - 3.0 / x
