"""Programs for tests/test_frontend_more.py: `assert` statements, and loops.

They live outside the test module, whose `assert`s pytest rewrites: adjoint reads
a function's source and checks that it is the code that runs.
"""

import math

import numpy as np

PROGRAMS = []  # (function, points, wrt)


def program(*points, wrt=(0,)):
    """Register a program with the points (argument tuples) where it is checked."""
    def register(fn):
        PROGRAMS.append((fn, points, wrt))
        return fn
    return register


V = np.array([0.3, -0.7, 1.1])


# ---------------------------------------------------------------- assert


@program((2.0,), (0.4,))
def assert_first(x):
    assert x > 0.0, 'x must be positive'
    return math.log(x) * x


@program((0.7, 4), (1.3, 3))
def assert_in_loop(x, n):
    s = 0.0
    for i in range(n):
        assert s < 100.0, 'the sum diverges'
        s = s + x ** i
    return s


@program((0.5,), (-0.3,))
def assert_in_branches(x):
    if x > 0.0:
        assert x < 1.0, 'too large'
        y = math.sqrt(x)
    else:
        assert x > -1.0
        y = x * x
    return y


@program((8.0,), (20.0,), (0.5,))
def assert_in_while(x):
    while x > 1.0:
        assert x < 100.0
        x = x / 3.0
    return x * x


def checked_layer(h, w):
    for k in range(3):
        assert np.all(np.isfinite(h)), 'the activations are not finite'
        h = np.tanh(h * w + 0.1 * k)
    return h


@program((V, 0.7), (V * 2.0, -0.4), wrt=(0, 1))
def assert_in_a_helper(x, w):
    y = checked_layer(x, w)
    assert np.sum(y * y) < 2.5
    return np.sum(y * y)


@program((1.5,), (0.2,))
def assert_in_a_local_function(x):
    def positive_log(t):
        assert t > 0.0, 'log of a non-positive number'
        return math.log(t)
    return positive_log(x) + positive_log(x * x + 1.0)


@program((V,), (V - 0.5,))
def assert_with_a_computed_message(x):
    # The message divides by zero at x[0] == 1.0: Python computes it only when
    # the test fails, and so does the derivative.
    assert np.all(x < 5.0), 'bad: %s' % (1.0 / (x[0] - 1.0))
    return np.sum(np.sin(x) * x)


def bounded(x, n):
    s = 0.0
    for i in range(n):  # s is needed only by the assert
        s = s + x
        assert s < 10.0, 'too far'
    return x * 2.0


# ---------------------------------------------------------------- loops


@program((np.full((2, 3), 0.3), np.linspace(-1.0, 1.0, 12).reshape(3, 4),
          np.linspace(0.5, -0.5, 8).reshape(4, 2)), wrt=(0, 1, 2))
def hidden_layers_of_two_shapes(x, W1, W2):
    # `h` has another shape in each iteration, and the body does not read it: its
    # cotangent from an iteration is a zero of the shape it had on entry.
    h = x
    for W in [W1, W2]:
        h = np.tanh(x @ W)
        x = h * 2.0
    return np.sum(h)
