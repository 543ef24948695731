"""Functions that test_rules.py differentiates by hand (adjoint needs their source)."""

import math

import numpy as np

import adjoint


# ---------------------------------------------------------------- operator forms


def square(x):
    return x ** 2


def cube(x):
    return x ** 3


def reciprocal(x):
    return x ** -1


def root(x):
    return x ** 0.5


def two_to_the(x):
    return 2 ** x


def power(x, y):
    return x ** y


def quotient(x, y):
    return x / y


def constant_over(x):
    return 3.0 / x


def times_itself(x):
    return x * x


def used_three_times(x):
    return x * x * x + x


def folded_constants(x):
    return (2 * 3) * x + 1 ** 2 - x / (4 - 2) + 2.0 ** 3


def negations(x, y):
    return -x * +y - (-y)


def modulo(x):
    return x % 1.5


def floor_division(x, y):
    return x // y + x * y


# ---------------------------------------------------------------- kinks


def builtin_abs(x):
    return abs(x)


def builtin_abs_of_array(x):
    return np.sum(abs(x))


def numpy_abs(x):
    return np.sum(np.abs(x))


# ---------------------------------------------------------------- reductions


def total(x):
    return np.sum(x)


def average(x):
    return np.mean(x)


def weighted_total(x, w):
    return np.sum(x * w)


def inner(x, y):
    return np.dot(x, y)


def squared_norm(x):
    return np.dot(x, x)


# ---------------------------------------------------------------- floats with arrays


def float_times_array(a, x):
    return np.sum(a * x)


def array_times_float(x, a):
    return np.sum(x * a)


def float_and_array_both_orders(a, x):
    return np.sum(a - x) + np.sum(x - a) * a + np.sum(a / x) + np.sum(x / a)


def constants_with_array(x):
    return np.sum(2.5 * x + x * 0.5 - 1.5 / x + x / 4.0 + 1.5 ** x + x ** 2.0 - 3.0 - x)


# ---------------------------------------------------------------- int arguments


def int_polynomial(n):
    return n * n + 3 * n + 1


def int_math(n):
    return math.sin(n) + math.exp(n) * n


def int_numpy(n):
    return np.sin(n) + np.sqrt(n)


def int_division(n, m):
    return n / m + n // m


def int_power(n, m):
    return n ** m + 2 ** n


def int_mixed(n, x):
    return abs(n) * x - n


def int_numpy_power(n, x):
    return np.power(n, 2) * x


def int_numpy_abs(n, x):
    return np.abs(n) * x


def int_numpy_sum(n, x):
    return np.sum(n) * x


def int_numpy_sign(n, x):
    return np.sign(n) * x + x


# ---------------------------------------------------------------- NumPy (test_numpy_rules.py)


def relu_total(x):
    return np.sum(np.maximum(x, 0))


def relu(x):
    return np.maximum(x, 0.0)


def min_with_zero_total(x):
    return np.sum(np.minimum(0.0, x))


def maximum_with_itself(x):
    return np.sum(np.maximum(x, x))


def minimum_with_itself(x):
    return np.sum(np.minimum(x, x) * 2.0)


def clipped(x, low, high):
    return np.sum(np.clip(x, low, high))


def row_max_total(x, w):
    return np.sum(np.max(x, axis=1) * w)


def whole_max(x):
    return np.max(x)


def column_min_total(x):
    return np.sum(x.min(axis=0))


def product(x):
    return np.prod(x)


def column_products(x):
    return np.sum(np.prod(x, axis=0))


def logsumexp_rows(x, w):
    m = np.max(x, axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(x - m), axis=1, keepdims=True))
    return np.sum(lse[:, 0] * w)


def centered_both_ways(x, w):
    # Each keepdims reduction broadcasts against x; the two together only against
    # each other: x's shape for a and b, (rows, columns) for c, which x may not be.
    a = x - np.max(x, axis=1, keepdims=True)
    b = x * x.mean(0, keepdims=True)
    c = np.sum(x, axis=1, keepdims=True) - np.min(x, axis=0, keepdims=True)
    return np.sum(np.tanh(a) * w) + np.sum(b * w) + np.sum(c * c)


def kept_reductions(x, w):
    # Cotangents of reductions over an axis that broadcast back, through each kind
    # of consumer: elementwise with x's shape (exp), negation (a part of the
    # cotangent alone), another shape (w), x read twice, a mean, a non-elementwise
    # consumer (the matrix product), axes negative and in a tuple, no keepdims.
    e = np.exp(x)
    a = np.sum(e, axis=1, keepdims=True)
    b = np.sum(-e, axis=0)
    c = np.mean(x * w, axis=-1)
    d = np.sum(x @ x.T, axis=(0,), keepdims=True)
    f = x.sum(axis=(0, 1)) + np.sum(np.log(a)) + np.sum(b * b)
    return f + np.sum(c * c) + np.sum(d) + np.sum(np.sum(x, axis=1) * x[:, 0])


def kept_in_a_loop(x, n):
    s = 0.0
    for i in range(n):
        r = np.sum(np.sin(x) * (i + 1.0), axis=0)  # each iteration's cotangent
        s = s + np.sum(r * r)
    return s


def cross_entropy_stopped_max(logits, onehot):
    m = adjoint.stop_gradient(np.max(logits, axis=1, keepdims=True))
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(onehot * log_probs, axis=1))


def cross_entropy(logits, labels):
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(logits.shape[0]), labels])


def dense_layer(x, W, b):
    return np.sum(np.sum(np.tanh(x @ W + b), axis=0) ** 2)


def gather_squares(x, idx):
    return np.sum(x[idx] ** 2)


def split_unpacked(x):
    a, b, c = np.split(x, 3)
    return np.sum(a * 2.0) + np.sum(c ** 2)


def split_in_a_loop(x):
    total = 0.0
    for piece in np.split(x, 2, axis=1):
        total = total + np.sum(piece ** 2) * np.sum(piece)
    return total


def joined(a, b):
    return np.sum(np.concatenate([a, 2.0 * b]) ** 2)


def array_of_scalars(a, b):
    v = np.array([a, b, a * b])
    return np.sum(v * np.array([1.0, 2.0, 3.0]))


def scaled_total(x, a):
    return a * np.sum(x)


def variance(x):
    return np.var(x, axis=0, ddof=1).sum()


def matrix_functions(a):
    return np.linalg.det(a) + np.trace(np.linalg.inv(a)) + np.linalg.norm(a)


def solved(a, b):
    return np.sum(np.linalg.solve(a, b) ** 2)


def vector_norm(x):
    return np.linalg.norm(x)


def count_norm(x):
    return np.linalg.norm(x, ord=0)


def ellipsis_einsum(x):
    return np.sum(np.einsum('...i->...', x))


def spectrum_total(x):
    # np.fft has no rules (its results are complex, which adjoint does not differentiate).
    return np.sum(np.abs(np.fft.rfft(x)))


# ---------------------------------------------------------------- second derivatives


_X = np.linspace(-1.0, 1.0, 12).reshape(3, 4) ** 3
_Y = np.cos(np.arange(8.0)).reshape(4, 2)
_A = 3.0 * np.eye(3) + _X[:, :3]


def second_sum(a):
    return np.sum(np.sum(np.tanh(a * _X), axis=0) ** 2)


def second_mean_keepdims(a):
    return np.mean(np.mean(np.sin(a * _X), axis=1, keepdims=True) ** 2)


def second_max(a):
    return np.sum(np.max(np.sin(a * _X), axis=1) ** 2)


def second_matmul(a):
    return np.sum(np.tanh((a * _X) @ np.sin(a * _Y)) ** 2)


def second_dot_and_transpose(a):
    return np.sum(np.dot(np.sin(a * _X).T, a * _X) ** 2)


def second_shapes(a):
    v = np.reshape(np.sin(a * _X), (2, 6))
    w = np.transpose(np.tile(v, (1, 2)))
    return np.sum(np.concatenate([w, np.repeat(w, 2, axis=1)], axis=1) ** 2)


def second_split(a):
    p, q = np.split(np.sin(a * _X), 2, axis=1)
    return np.sum(p * q * q)


def second_broadcast(a):
    return np.sum(np.broadcast_to(np.sin(a * _X[0]), (3, 4)) ** 2 * _X)


def second_matrices(a):
    b = _A + a * _X[:, 1:]
    return np.linalg.det(b) + np.sum(np.linalg.inv(b)) + np.trace(b @ b)


def second_deviations(a):
    return np.sum(np.var(np.sin(a * _X), axis=0)) + np.sum(np.std(np.cos(a * _X), axis=1))


def second_selection(a):
    x = a * _X
    return np.sum(np.where(_X > 0, np.sin(x), x) ** 2 + np.clip(x, -0.3, 0.3) ** 2
                  + np.maximum(x, 0.0) ** 3)


def second_prod(a):
    return np.sum(np.prod(np.sin(a * _X), axis=0))


def second_einsum(a):
    return np.sum(np.einsum('ij,jk->ik', np.sin(a * _X), np.cos(a * _Y)) ** 2) + \
        np.einsum('ii->', np.sin(a * _A))


def second_norm(a):
    x = np.sin(a * _X)
    return np.linalg.norm(x) + np.sum(np.linalg.norm(x, axis=1) ** 3) + \
        np.linalg.norm(np.sin(a * _X[0]), ord=1) ** 2


def row_assigned(x):
    y = x * 1.0
    y[0] = y[0] * 3.0
    return np.sum(y * y)


def second_solve(a):
    b = _A + a * _X[:, 1:]
    return np.sum(np.linalg.solve(b, np.sin(a * _X[:, 0])) ** 2) + \
        np.sum(np.linalg.solve(b, np.cos(a * _X)))


def array_or_scalar(x):
    if isinstance(x, np.ndarray):
        return np.sum(x * x)
    return x * x


# ---------------------------------------------------------------- kinds of products
# A scalar times a product whose kind was declared wrong got no `unbroadcast`.


def outer_scaled(a, x):
    return np.sum(np.outer(x, x) * a)


def outer_of_scalars_scaled(a, b):
    return np.sum(np.outer(a, b) * a)


def vdot_scaled(a, m, v):
    return np.vdot(m, v) * a + np.sum(v)


def tensordot_scaled(a, m):
    return np.tensordot(m, m) * a + np.sum(m)


# ---------------------------------------------------------------- at the edges of a domain


def std_of_all(x):
    return np.std(x)


def std_of_rows(x):
    return np.sum(np.std(x, axis=1) * np.array([1.0, 2.0]))


def to_the_zeroth(x):
    return np.sum(np.power(x, 0.0) * x)


def zero_to_the(y):
    return np.power(0.0, y) + 0.0 ** y + y


def integer_powers(x):
    return x ** 0 + x ** 1 + x ** 2 + pow(x, 0) + math.pow(x, 0.0) * x


def math_root(x):
    return math.sqrt(x)


def operator_root(x):
    return x ** 0.5


def root_by_pow(x):
    return math.pow(x, 0.5) + pow(x, 0.5)


def math_hypot(x, y):
    return math.hypot(x, y)


def numpy_hypot(x, y):
    return np.sum(np.hypot(x, y))


def math_asin(x):
    return math.asin(x)


def math_acos(x):
    return math.acos(x)


def math_atan2(x, y):
    return math.atan2(x, y)


def deviations_of_one(x):
    return np.var(x, ddof=1) + np.std(x, ddof=1) + x[0]


# ---------------------------------------------------------------- differentiated indices


def r_of_an_array(x):
    return np.sum(np.r_[x] * x)


def r_of_an_array_a_scalar_and_a_range(x):
    return np.sum(np.r_[x, 1.0, 0:3] * 2.0)


def c_of_an_array(x):
    return np.sum(np.c_[x, x] * 2.0)


def keyed_by_a_float(x):
    table = {1.0: 2.0, 2.0: 3.0}
    return table[x] * x


def written_at_a_float(x):
    table = {}
    table[x] = x
    return table[x] * 2.0


def indexed_without_derivatives(x, i):
    return x[i] * 2.0 + np.sum(x[x > 0.0]) + x[int(x[0] > 0.0)] * x[np.argmax(x)]


# ---------------------------------------------------------------- np.einsum's sublist form


def sublist_einsum_first(x):
    return np.sum(np.einsum(x, [0, 1], [1, 0]) * np.arange(4.0).reshape(2, 2))


def sublist_einsum_second(x):
    return np.sum(np.einsum(_A[:2, :2], [0, 1], x, [1], [0]) ** 2)


# ---------------------------------------------------------------- joining the rows of an array


def hstack_of_a_vector(x):
    return np.sum(np.hstack(x) * 2.0 * x[0])


def joined_rows(x):
    return np.sum(np.concatenate(x) ** 2) + np.sum(np.vstack(x) * np.stack(x, axis=-1).T)


def at_least_1d_of_two(x):
    return np.sum(np.atleast_1d(x, 2.0 * x)[1])
