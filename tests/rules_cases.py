"""Functions that test_rules.py differentiates by hand (adjoint needs their source)."""

import math

import numpy as np


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
