"""Small programs for the IR tests: straight-line code, branches, loops, swaps."""

import math

import numpy as np


def straight(x, y):
    a = x * y + math.sin(x)
    b = a / (1.0 + y * y)
    return b - x ** 3


def branches(x, y):
    if x > y:
        z = x * y
    elif x > 0:
        z = math.exp(x)
    else:
        z = -y
    w = z if z > 1 else z * z
    return w + (x if x > 0 and y > 0 else y)


def loops(x, n):
    s = 0.0
    p = 1.0
    for i in range(n):
        s = s + p * x
        p = p * 0.5
    k = 0
    while s < 10.0:
        s = s * 2.0 + x * x
        k = k + 1
    return s + k


def rotate(a, b, c, n):
    for i in range(n):
        a, b, c = b, c, a * 1.1
    return a * b + c


def nested(x, n):
    total = 0.0
    for i in range(n):
        row = 0.0
        for j in range(i, n):
            row = row + math.cos(x * j) * i
        total = total + row * row
    return total


def sequences(x, xs, ys):
    err = 0.0
    for a, b in zip(xs, ys):
        err = err + (b - a * x) ** 2
    for k, a in enumerate(reversed(xs)):
        err = err + k * a * x
    return err


def arrays(w, v):
    h = np.tanh(w * v + 0.5)
    return np.sum(h * h) + np.mean(np.exp(-w))


PROGRAMS = [
    (straight, (0.7, -1.3), (0, 1)),
    (branches, (2.0, 1.0), (0, 1)),
    (branches, (0.5, 1.0), (0, 1)),
    (branches, (-0.5, 2.0), (0, 1)),
    (loops, (0.3, 4), (0,)),
    (loops, (1.5, 0), (0,)),
    (rotate, (1.0, 2.0, 3.0, 4), (0, 1, 2)),
    (nested, (0.4, 4), (0,)),
    (sequences, (0.8, [1.0, 2.0, 3.0], [2.0, 3.5, 6.5]), (0,)),
    (arrays, (np.array([0.1, -0.4, 0.9]), np.array([1.0, 2.0, -1.0])), (0, 1)),
]
