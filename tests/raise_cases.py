"""Functions that raise, as input checks do: differentiated, they raise where
they raise, and otherwise have the derivative of the path that ran."""

import math

import numpy as np


def checked_sqrt(x):
    if x < 0.0:
        raise ValueError('checked_sqrt needs x >= 0')
    return math.sqrt(x) * x


def raises_from(x):
    if x > 5.0:
        raise ArithmeticError('too large') from OverflowError('x > 5')
    return x ** 3


def checked_in_a_loop(x, n):
    total = 0.0
    for i in range(n):
        total = total + x * i + np.sin(x * i)
        if total > 100.0:
            raise RuntimeError('diverged')
    return total


def scaled_checked(v, s):
    return np.sum(check_positive(v) * s)


def check_positive(v):
    if np.any(v <= 0.0):
        raise ValueError('all entries must be positive')
    return np.log(v)
