"""Functions the API and IR tests differentiate (they need real source files)."""

import math

import numpy as np

SCALE = 3.0


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def with_defaults(x, y=2.0, *, power=3):
    return x ** power * y


def uses_global(x):
    return SCALE * math.sin(x)


def make_closure(a):
    def scaled(x):
        return a * x * x
    return scaled


def array_output(x):
    return x * 2.0


def unknown_call(x):
    return np.linalg.cond(x)


def int_argument(n, x):
    return n * x + x


def mutates_nothing(x):
    y = x * 2.0
    return np.sum(y * x)


def loop_sum(x, n):
    s = 0.0
    for i in range(n):
        s = s + math.sin(x * i)
    return s


square = lambda x: x * x  # noqa: E731


def unsupported_syntax(x):
    with open('f') as handle:  # noqa: F841
        pass
    return x


def undefined_after_loop(x, n):
    for i in range(n):
        y = x * i
    return y


def generator_expression(xs):
    return sum(x * x for x in xs)


def set_comprehension(xs):
    return sum({x * x for x in xs})


def clip_keyword(x):
    return np.sum(np.clip(x, min=0.0))


def dict_order(params):
    b = params["b"]
    w = params["w"]
    return b + 2.0 * w


def returns_none(x):
    y = x * 2.0  # noqa: F841 - the value is never returned
    return None


def returns_string(x):
    return 'large' if x > 1.0 else 'small'


def returns_constant_array(x):
    return np.ones(3) + 0.0 * math.floor(x)


def returns_int(x):
    return math.floor(x)


def squared_norm(x):
    return np.sum(x * x)


conditioning = np.linalg.cond  # a function without a rule, held in a variable


def unknown_call_through_a_variable(x):
    return conditioning(x)
