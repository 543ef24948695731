"""Programs for tests/test_frontend_more.py: `assert` statements; loops:
variables first assigned inside a loop; functions as values; the builtin
iterators; helpers taking `*args` and `**kwargs`.

They live outside the test module, whose `assert`s pytest rewrites: adjoint reads
a function's source and checks that it is the code that runs.
"""

import math

import numpy as np

import adjoint

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


@program((V,), (V + 1.0,))
def assert_on_an_array(x):
    # The test is an array emitted code deletes after the line: it keeps its name.
    assert x[0:1] * 2.0, 'the first element is zero'
    return np.sum(x * x)


def bounded(x, n):
    s = 0.0
    for i in range(n):  # s is needed only by the assert
        s = s + x
        assert s < 10.0, 'too far'
    return x * 2.0


# ---------------------------------------------------------------- first assigned in a loop
# Each with a point where the loop runs no iteration and the read raises
# UnboundLocalError (`UNBOUND_AT`), or None where the read is then not reached.

UNBOUND_AT = {}


def unbound_at(*args):
    def register(fn):
        UNBOUND_AT[fn.__name__] = args
        return fn
    return register


@unbound_at(0.7, 0)
@program((0.7, 3), (-1.2, 1))
def last_term(x, n):
    for i in range(n):
        y = x * i
    return y


@unbound_at(np.ones((2, 3)), np.ones((3, 4)), np.ones(4), np.ones((4, 2)), np.ones(2), 0)
@program((np.full((2, 3), 0.4), np.linspace(-1.0, 1.0, 12).reshape(3, 4), np.ones(4) * 0.1,
          np.linspace(0.5, -0.5, 8).reshape(4, 2), np.array([0.2, -0.3]), 2),
         (np.eye(2, 3), np.ones((3, 4)) * 0.3, np.zeros(4), np.ones((4, 2)) * -0.2,
          np.zeros(2), 1), wrt=(0, 1, 2, 3, 4))
def mlp(inputs, W1, b1, W2, b2, layers):
    params = [(W1, b1), (W2, b2)][:layers]
    for W, b in params:
        outputs = np.tanh(inputs @ W + b)
        inputs = outputs
    return np.sum(outputs)


def mlp_of_params(params, inputs):
    for W, b in params:
        outputs = np.tanh(inputs @ W + b)
        inputs = outputs
    return np.sum(outputs)


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


@unbound_at(np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 2)), 0)
@program((np.full((2, 3), 0.3), np.linspace(-1.0, 1.0, 12).reshape(3, 4),
          np.linspace(0.5, -0.5, 8).reshape(4, 2), 2), wrt=(0, 1, 2))
def last_hidden_layer(x, W1, W2, layers):
    # The same, `h` first assigned in the loop (and no other value equal to it).
    for W in [W1, W2][:layers]:
        h = np.tanh(x @ W)
        x = h * 2.0
    return np.sum(h)


@unbound_at(0.7, 0)
@program((0.7, 3), (1.3, 1))
def index_after_the_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + x * x
    return s * i


@program((0.7, 3), (1.3, 0))
def index_bound_before_the_loop(x, n):
    i = 5
    for i in range(n):
        x = x * 1.5
    return x * i  # the last index, or 5 after no iteration


@unbound_at(0.5)
@program((5.0,), (1.5,))
def while_last(x):
    while x > 1.0:
        y = x * x
        x = x / 2.0
    return y


@unbound_at(0.7, 0, 2)
@program((0.7, 2, 3), (0.3, 3, 1))
def inner_read_after_the_outer_loop(x, n, m):
    for j in range(m):
        for i in range(n):
            z = math.sin(x * (i + j))
    return z * x


@unbound_at(0.7, 0)
@program((0.7, 2), (-0.4, 3))
def read_in_the_next_outer_iteration(x, n):
    s = 0.0
    for j in range(3):
        if j > 0:
            s = s + z * j
        for i in range(n):
            z = math.sin(x * (i + 1))
    return s


@program((0.3, 3), (0.3, 0))  # the read is not reached after no iteration
def read_in_one_branch_after(x, n):
    for i in range(n):
        y = math.exp(x * i)
    if n > 0:
        r = y * y
    else:
        r = x
    return r


@unbound_at(0.5, [1.0, 2.0])
@program((0.5, [-1.0, 2.0, 3.0]), (-0.8, [0.0, 4.0, -1.0, 2.0]))
def previous_item(x, xs):
    total = 0.0
    for v in xs:
        if v > 0.0:
            total = total + (v * x - prev) ** 2
        prev = v * x
    return total


@unbound_at(0.5, [-1.0, -2.0])
@program((0.5, [1.0, -2.0, 3.0, -1.0]), (1.5, [2.0, -1.0]))
def last_positive(x, xs):
    for v in xs:
        if v > 0.0:
            last = v * x
    return last * x


def last_row(x, n):
    for i in range(n):
        h = np.tanh(x * (i + 1))
    return h


@unbound_at(V, 0)
@program((V, 3), (V * -2.0, 1))
def calls_a_helper(x, n):
    return np.sum(last_row(x, n) ** 2)


@unbound_at(0.7, 0)
@program((0.7, 3), (-0.2, 2))
def in_a_local_function(x, n):
    def last(t):
        for i in range(n):
            u = t * (i + 1.0)
        return u
    return last(x) * x


@unbound_at(0.7, 0)
@program((0.7, 8), (0.2, 4))
def with_break(x, n):
    for i in range(n):
        y = x * i
        if y > 3.0:
            break
    return y + i


@unbound_at(0.5, [])
@program((0.5, [1.0, 2.0]), (1.5, [3.0]))
def with_an_assert(x, xs):
    for v in xs:
        assert v > 0.0, 'log of a non-positive number'
        last = math.log(v) * x
    return last * x


# ---------------------------------------------------------------- functions as values


def _apply(f, x):
    return f(x) * 2.0


def _twice(f, x, scale=3.0):
    y = f(x)
    return f(y) * scale


def _predict(params, x, nonlinearity=np.tanh):
    for W, b in params:
        x = nonlinearity(x @ W + b)
    return x


def _cube(v):
    return v ** 3


LAYERS = [(np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]]), np.array([0.1, -0.2])),
          (np.array([[0.7], [-0.4]]), np.array([0.3]))]


@program((0.3,), (-1.1,))
def function_passed_to_a_helper(x):
    return _apply(np.tanh, x) + _apply(_cube, x)


@program((np.array([0.3, -0.7, 1.1]), np.sin), (np.array([0.2, 0.5, -0.4]), _cube),
         (np.array([1.3, -0.2, 0.4]), np.tanh))
def function_passed_in(x, nonlinearity):
    return np.sum(_predict(LAYERS, x, nonlinearity)) + np.sum(nonlinearity(x))


@program((np.array([0.3, -0.7, 1.1]),), (np.array([0.9, 0.1, -0.6]),))
def function_by_default(x):
    return np.sum(_predict(LAYERS, x))


@program((0.4, True), (0.4, False), (-1.2, True))
def function_chosen_by_a_condition(x, relu):
    act = np.tanh if relu else np.sin
    return act(x) * act(2.0 * x)


@program((0.4, 0), (0.4, 1), (0.9, 2))
def function_chosen_in_branches(x, which):
    if which == 0:
        act = math.exp
    elif which == 1:
        act = _cube
    else:
        act = np.cos
    return act(x) + x * act(x)


@program((0.5,), (-0.3,))
def functions_in_a_list(x):
    total = 0.0
    for f in [np.sin, np.cos, math.exp, _cube]:
        total = total + f(x) * x
    return total


@program((0.4,), (1.3,))
def lambda_passed_to_a_helper(x):
    w = 3.0 * x
    return _twice(lambda v: np.sin(v * w), x) + _apply(lambda v: v * v, x)


@program((0.4,), (-0.8,))
def local_def_passed_to_a_helper(x):
    def shifted(v):
        return v * v + x
    return _apply(shifted, x) + _twice(shifted, x, scale=0.5)


# ---------------------------------------------------------------- iterators


@program((np.array([0.3, -0.7, 1.1]),), (np.array([0.5, 0.2, 2.0]),))
def map_of_a_function(xs):
    return sum(map(np.sin, xs)) + max(map(abs, xs))


@program((0.4, [1.0, 3.0]), (-1.3, [2.0, 0.5]))
def map_of_a_lambda_over_two_lists(x, ys):
    return sum(map(lambda a, b: a * b * x, [x, x * x], ys))


@program((np.array([0.3, -0.7, 1.1]),), (np.array([-0.5, 0.2, 2.0]),))
def filter_of_a_lambda(xs):
    return sum(filter(lambda v: v > 0.0, xs)) * 2.0


@program((0.7,), (-0.4,))
def zip_enumerate_reversed_as_values(x):
    pairs = list(zip([x, 2.0 * x], [3.0, x]))
    counted = tuple(enumerate([x, x * x], start=2))
    backwards = list(reversed([x, x ** 2, x ** 3]))
    return (pairs[0][0] * pairs[1][1] + counted[1][0] * counted[1][1] +
            backwards[0] * backwards[2])


@program((0.7, [0.5, 2.0]), (-0.4, [1.5, 0.3]))
def enumerate_from_one(x, xs):
    total = 0.0
    for k, v in enumerate(xs, 1):
        total = total + k * v * x
    return total


@program((0.7,), (1.3,))
def zip_of_a_starred_list(x):
    pairs = [(x, 2.0), (3.0, x * x), (x, x)]
    firsts, seconds = zip(*pairs)
    total = 0.0
    for a, b, c in zip(*pairs):
        total = total + a * b * c
    return total + firsts[2] * seconds[1]


# ---------------------------------------------------------------- *args and **kwargs


def _concat_and_multiply(weights, *args):
    cat_state = np.hstack(args + (np.ones((args[0].shape[0], 1)),))
    return np.dot(cat_state, weights)


def _scaled_sum(x, *terms, scale=1.0, **weights):
    total = x * scale
    for t in terms:
        total = total + t
    return total + x * weights.get('extra', 0.0) * weights['w']


def _inner(x, scale=1.0, shift=0.0):
    return np.sin(x * scale) + shift


def _outer(x, **options):
    return _inner(x, **options) * 2.0


W_CELL = np.array([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6], [0.1, 0.2]])


@program((np.array([[0.3], [-0.7]]), np.array([[0.5, 0.1], [-0.2, 0.9]])),
         (np.array([[1.1], [0.2]]), np.array([[-0.4, 0.3], [0.6, -0.1]])), wrt=(0, 1))
def star_args_helper(x, h):
    return np.sum(np.tanh(_concat_and_multiply(W_CELL, x, h)))


@program((0.4, 1.5), (-0.9, 0.3), wrt=(0, 1))
def star_args_and_keywords(x, y):
    return _scaled_sum(x, y, x * y, scale=y, w=x) + _scaled_sum(y, w=2.0, extra=x)


@program((0.4, 1.7), (-0.9, 0.3), wrt=(0, 1))
def keywords_passed_on(x, s):
    return _outer(x, scale=s, shift=x * s) + _outer(x)


def calls_a_made_function(x):
    return np.vectorize(math.erf)(x) * x


def held_iterator_of_data(x, ys):
    weights = map(abs, ys)  # data only: Python runs it
    return x * sum(weights)


def held_iterator(x):
    sines = map(math.sin, [x, 2.0 * x])
    return sum(sines)


def _star_passed(W, *parts):
    return _concat_and_multiply(W, *parts)


def star_args_passed_on(x):
    return _star_passed(2.0, x)


def _gmm_parts(params):
    return params['a'], params['b'], params['c']


@program((np.array([0.3, -0.7, 1.1]),), (np.array([0.9, 0.1, -0.6]),))
def zip_of_a_starred_helper_result(x):
    params = {'a': np.stack([x, x * 2.0]), 'b': np.stack([np.sin(x), x * x]),
              'c': np.array([1.0, 3.0])}
    total = 0.0
    for a, b, c in zip(*_gmm_parts(params)):
        total = total + np.sum(a * b) * c
    return total


# ---------------------------------------------------------------- derivatives made inside


def _bump(x):
    return np.sin(x) * x


@program((0.7,), (-1.2,))
def gradient_made_inside(x):
    slope = adjoint.grad(_bump)
    return slope(x) * 2.0 + adjoint.derivative(_bump)(x * x)


@program((0.4,), (1.1,))
def value_and_gradient_made_inside(x):
    value, slope = adjoint.value_and_grad(_bump)(x)
    return value * slope


@program((0.4, 1.5), (-0.9, 0.3), wrt=(0, 1))
def spread_of_a_list_changed_by_index(x, y):
    args = list((x, y, x * y))
    args[1] = np.sin(args[1])
    return _weighted_sum(*args)


def _weighted_sum(a, b, c):
    return a + 2.0 * b + 3.0 * c
