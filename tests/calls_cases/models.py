"""Models that call helper functions, including recursive ones."""

import math

import numpy as np

from tests.calls_cases.layers import affine, array_layer, squash, squared_error


def model(w, b, x, y):
    h = squash(affine(w, x, b))
    return squared_error(h, y)


def model_in_loop(w, b, xs, ys):
    total = 0.0
    for i in range(len(xs)):
        total = total + squared_error(squash(affine(w, xs[i], b)), ys[i])
    return total


def power(x, n):
    if n == 0:
        return 1.0
    return x * power(x, n - 1)


def tree_sum(w, depth):
    if depth == 0:
        return w
    return math.sin(tree_sum(w, depth - 1)) + w * tree_sum(w * 0.5, depth - 1)


def keyword_call(w, x):
    return affine(x=x, w=w, b=0.5) * 2.0


def helper_returns_tuple(x):
    return x * x, math.sin(x)


def unpacks(x):
    a, b = helper_returns_tuple(x)
    return a + b * 3.0


def uses_array_layer(w, x):
    return np.sum(array_layer(w, x))


SCALE = 2.5


def make_scaled(factor):
    def scaled(x):
        return factor * x * x
    return scaled


def with_local_lambda(w, x):
    act = lambda z: np.tanh(z) * z  # noqa: E731
    h = act(w * x - 0.5)
    return np.sum(h * h) * SCALE


def with_nested_def(w, x):
    def layer(v, scale=2.0):
        out = 0.0
        for k in range(3):
            out = out + math.sin(v * k) * scale
        return out
    return layer(w * x) + layer(w, scale=0.5)


def detached(x, y):
    return adjoint_stop(x * y) * x + y


class Model:
    def __init__(self, w):
        self.w = w

    def loss(self, x):
        return np.sum((self.w * x - 1.0) ** 2)


def adjoint_stop(v):
    import adjoint
    return adjoint.stop_gradient(v)
