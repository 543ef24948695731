"""Functions differentiated with `backend='numba'` in tests/test_numba.py: the
kinds Numba compiles (numbers, float arrays, lists and tuples of them) through
loops, branches and helpers, as a simulation would write them."""

import math
from math import sqrt

import numpy as np


def euler(y, k, dt=0.01, n=200):
    for i in range(n):
        y = y + dt * (-k * y + np.sin(y))
    return y


def euler_math(y, k):
    dt = 0.05
    for i in range(3, 60, 4):  # a range with a start and a step
        y = y + dt * (-k * y + math.sin(y) * i * 0.01)
    return y


def countdown(x, a):
    s = 0.0
    for i in range(20, 2, -3):  # a negative step
        s = s + math.cos(x * i) * a
    return s * x


def piecewise(x, y):
    if x > 0.0:
        z = x * y
    else:
        z = math.exp(x) - y
    return z * z + y


def doubling(x, a):
    while x < 10.0:
        x = x * 2.0 + a
    return x


def _step(y, k):
    return y + 0.02 * (math.tanh(k * y) - y)


def with_helper(y, k):
    for i in range(30):
        y = _step(y, k)
    return y * y


def oscillator(x, v, k):
    dt = 0.01
    for i in range(100):
        a = -k * x - 0.1 * v
        v = v + dt * a
        x = x + dt * v
    return x * x + v


def nested(x, a):
    s = 0.0
    for i in range(4):
        for j in range(3):
            s = s + math.sin(x * i + a * j)
    return s


def regression(w, b, xs, ys):
    loss = 0.0
    for x, t in zip(xs, ys):
        r = w * x + b - t
        loss = loss + r * r
    return loss


def tuple_state(state, k):
    x, v = state
    for i in range(50):
        x, v = x + 0.01 * v, v - 0.01 * k * x
    return x * v


def vector_loss(x, w):
    return np.sum(np.tanh(x * w) ** 2) + x[0] * w


def stencil(u, c):
    for step in range(10):
        u = u + c * (np.roll(u, 1) - 2.0 * u + np.roll(u, -1))
    return np.sum(u * u)


def matrix_loss(W, x):
    h = np.tanh(W @ x)
    return np.sum(h * h)


def nbody_loop(pos, m):
    e = 0.0
    n = pos.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            e = e - m * m / math.sqrt(d * d + 0.1)
    return e


def vector_out(x, a):
    return np.sin(x) * a


def reciprocal(x):
    return 1.0 / x


G = np.ones(3)


def reads_global_array(x):
    return np.sum(G * x)


def keyed(params, x):
    return params['w'] * x


def calls_sorted(x, a):
    s = 0.0
    for v in sorted([x, a]):
        s = s + v * v
    return s


def log_twice(x):
    return math.log(x) * 2.0  # its gradient, 2 / x, needs no log: it must still raise


def sqrt_imported(x):
    return sqrt(x) + x


def exp_scaled(x):
    return math.exp(x) * 1e-300


def integer_powers(x, a):
    # an int carried round the loop that the backward sweep reads: a tape of ints
    s = 0.0
    m = 1
    for i in range(12):
        m = (m * 3) % 5
        s = s + a * x ** m
    return s


def clipped_steps(x, a):
    # the branch each iteration took, which the backward sweep reads: a tape of bools
    for i in range(40, 2, -3):
        y = x * a + 0.01 * i
        if y > 1.0:
            x = x - 0.05 * y
        else:
            x = x + 0.01 * y * y
    return x


def nested_carried(x, a):
    # the inner loop's tape is pushed a varying number of times per outer iteration
    s = 0.5
    for i in range(4):
        s = s * a
        for j in range(i):
            s = s + math.sin(s * x + j)
    return s


def euler_steps(y, k, dt, n):
    # a range with a start and a step that are not constants
    for i in range(n, 2 * n + 5, 2):
        y = y + dt * (-k * y + np.sin(y)) * i
    return y


def relu_energy(x, w):
    # np.maximum's cotangent share (`max_share`), with a tie broken to 0 at 0
    h = np.maximum(x * w, 0.0)
    return np.sum(h * h)


def ties_split(x, a):
    # both arguments differentiated: a tie splits the cotangent equally
    return np.sum(np.maximum(x * a, x[::-1] * a))


def list_total(x, y):
    # the builtin sum of a list of floats (`repeat_like`)
    xs = [x, y, x * y]
    return sum(xs) * x


def array_total(x, a):
    # the builtin sum of an array (`repeat_like`)
    return sum(x * a) * a


def written_into_ints(x, a):
    y = np.zeros(3, dtype=np.int64)
    y[0] = a * x[0]  # rounded: the check of `float_written` raises
    return np.sum(y * x)


def row_sums(x, w):
    # a sum over one axis: its cotangent put back along it (`keep_dims`, `unreduce`)
    r = np.sum(x * w, axis=1)
    c = np.sum(np.sin(x), axis=-2)
    return np.sum(r * r) + np.sum(c * w)
