"""Second derivatives wherever the first one works: through branches and helpers.

A second derivative differentiates generated code: the gradient's backward
branches read what their forward branch defined, and it calls each helper's
forward/backward pair. Every second-derivative API is checked here against
central differences of the first derivative, at points on both sides of each
branch (issue 11, "Higher order through branches and helpers").
"""

import math

import numpy as np
import pytest

import adjoint
from transforms.core.errors import UndefinedNameError

EPS = 1e-6


def branches(x):
    if x > 1.0:
        y = x * x * x
    elif x > 0.0:
        y = math.sin(x) * x
    else:
        y = math.exp(x) * x
    return y * x


def if_elif_without_else(x):
    y = x * 2.0
    if x > 1.0:
        y = x * x * x
    elif x < 0.3:
        y = math.exp(0.5 * x)
    return y * math.cos(x)


def early_return(x):
    if x > 0.5:
        return math.sin(x) * x * x
    y = x * x
    if y > 0.1:
        return y * math.tanh(x)
    return y * y * y


def helper_with_a_branch(x):
    if x > 0.4:
        return math.sin(x) * x
    return x * x * x


def calls_a_branching_helper(x):
    return helper_with_a_branch(x) * x + helper_with_a_branch(x * 0.5)


def inner_helper(x):
    return math.tanh(x) * x


def outer_helper(x):
    if x > 0.2:
        return inner_helper(x) * math.cos(x)
    return inner_helper(x * x)


def nested_helpers(x):
    return outer_helper(x) + x * outer_helper(x * 0.7)


def same_condition_twice(x):
    """A value bound in one branch, read in the same branch of a later `if`."""
    c = x > 0.5
    if c:
        a = math.sin(x) * x
    z = x * x
    if c:
        z = z + a * a
    else:
        z = z * x
    return z


SCALAR_CASES = [
    (branches, (1.5, 0.6, -0.7)),
    (if_elif_without_else, (1.4, 0.7, 0.1)),
    (early_return, (0.9, 0.4, 0.2)),
    (calls_a_branching_helper, (1.2, 0.6, 0.3)),
    (nested_helpers, (0.9, 0.25, 0.1)),
    (same_condition_twice, (0.9, 0.2)),
]


def loop_with_branches(x):
    s = 0.0
    for i in range(3):
        if x[i] > 0.0:
            s = s + x[i] ** 3 * x[(i + 1) % 3]
        elif x[i] > -0.5:
            s = s + math.sin(x[i]) * x[0]
        else:
            s = s - x[i] * x[i] * x[2]
    return s


def pair_term(a, b):
    if a > b:
        return math.sin(a) * b * b
    return a * a * math.cos(b)


def helper_in_a_loop(x):
    s = 0.0
    for i in range(2):
        s = s + pair_term(x[i], x[i + 1])
        if s > 1.0:
            return s * x[0]
    return s + pair_term(x[0], 0.5)


def constant_elif(x):
    # the `elif` folds to a constant: its branch is the code in both sweeps
    if x[0] > 1.0:
        p = np.sum(x * x) * x[0]
    elif math.log(1.0 + 0.5 ** 2) > 0.25:
        p = np.mean(np.ones((2, 3)) @ (x * x))
    else:
        p = x[1]
    return p + np.sum(x)


def sum_of_comprehension(x):
    # a list cotangent popped in the backward sweep: its items are not views
    return np.sum(np.array([x[2] * e for e in x])) + np.sum(np.sin(x))


def written_items_then_read(v):
    # the gradient reads `by6[2]`, then clears it: read again at second order
    # (the fuzzer's seed 30008)
    x, y, z = v[0], v[1:7].reshape(2, 3), v[7:]
    v2 = y[0, 1]
    y4 = np.copy(y)
    y4[1, 2] = z[0]
    y6 = z + 0.0
    y6[2] = np.sum(y * y4)
    v7 = 0.5 * y[1, 1]
    y6 = np.array([v7, v2, x]) * np.sqrt(1.0 + y6 ** 2)
    return np.sum(np.sin(y6)) + v2 * x


def _pieces(a):
    k = 0
    while k < 1:
        return np.ones((2, 3)) * a
    return np.ones(3)


def helper_of_a_row_item(x):
    # the helper's backward pops its saved values: the caller does not copy them
    p = x[::2]
    return np.sum(np.sin(_pieces(p[1]))) + np.sum(x * x)


VECTOR_CASES = [
    (loop_with_branches, ([0.4, -0.2, 0.9], [-0.8, 0.6, -0.3], [0.2, 0.3, 0.5])),
    (helper_in_a_loop, ([0.9, 0.3, -0.4], [0.1, 0.6, 0.2], [1.4, 1.2, 0.9])),
    (constant_elif, ([1.5, 0.3, -0.4], [0.1, 0.6, 0.2])),
    (sum_of_comprehension, ([0.9, 0.3, -0.4], [0.1, -0.6, 1.2])),
    (written_items_then_read, ([0.9, 0.3, -0.4, 0.5, -0.2, 0.7, 0.1, -0.6, 1.2, 0.3],
                               [-0.3, 0.8, 0.2, -0.5, 0.6, 0.1, 0.4, 0.2, -0.9, 1.1])),
    (helper_of_a_row_item, ([0.9, 0.3, -0.4], [0.1, -0.6, 1.2])),
]


def gradient_difference(gradient, x):
    """d gradient / dx by central differences: a float for a float, else the
    matrix whose column k is the derivative along x[k]."""
    if isinstance(x, float):
        return (gradient(x + EPS) - gradient(x - EPS)) / (2 * EPS)
    columns = []
    for k in range(x.size):
        e = np.zeros_like(x)
        e[k] = EPS
        columns.append((gradient(x + e) - gradient(x - e)) / (2 * EPS))
    return np.column_stack(columns)


@pytest.mark.parametrize('fn, points', SCALAR_CASES, ids=lambda c: getattr(c, '__name__', ''))
def test_every_second_derivative_of_a_scalar_function(fn, points):
    gradient = adjoint.grad(fn)
    for x in points:
        expected = gradient_difference(gradient, x)
        assert adjoint.grad(adjoint.grad(fn))(x) == pytest.approx(expected, rel=1e-6, abs=1e-7)
        assert adjoint.hessian(fn)(x) == pytest.approx(expected, rel=1e-6, abs=1e-7)
        assert adjoint.derivative(adjoint.grad(fn))(x) == pytest.approx(expected, rel=1e-6,
                                                                         abs=1e-7)
        assert adjoint.derivative(adjoint.derivative(fn))(x) == pytest.approx(
            expected, rel=1e-6, abs=1e-7)
        for mode in ('forward', 'reverse'):
            assert adjoint.jacobian(adjoint.grad(fn), mode=mode)(x) == pytest.approx(
                expected, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize('fn, points', VECTOR_CASES, ids=lambda c: getattr(c, '__name__', ''))
def test_every_second_derivative_of_a_function_of_a_vector(fn, points):
    gradient = adjoint.grad(fn)
    rng = np.random.default_rng(11)
    for point in points:
        x = np.array(point)
        expected = gradient_difference(gradient, x)
        np.testing.assert_allclose(adjoint.hessian(fn)(x), expected, rtol=1e-6, atol=1e-7)
        for mode in ('forward', 'reverse'):
            np.testing.assert_allclose(adjoint.jacobian(adjoint.grad(fn), mode=mode)(x),
                                       expected, rtol=1e-6, atol=1e-7)
        v = rng.normal(size=x.size)
        np.testing.assert_allclose(adjoint.hvp(fn)(x, v), expected @ v, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize('x', [0.9, 0.2])
def test_a_value_read_in_the_same_branch_of_a_later_if_in_both_modes(x):
    # Reverse mode must carry the cotangent of `a` from the second `if` back into
    # the first: `a` is yielded by the first `if`, None on its other branch.
    expected = (same_condition_twice(x + EPS) - same_condition_twice(x - EPS)) / (2 * EPS)
    assert adjoint.grad(same_condition_twice)(x) == pytest.approx(expected, rel=1e-7)
    assert adjoint.jvp(same_condition_twice, (x,), (1.0,))[1] == pytest.approx(expected,
                                                                               rel=1e-7)


def rebinds_in_a_loop(x, n):
    c = x > 0.0
    if c:
        a = x * 2.0
    s = 0.0
    for i in range(n):
        if c:
            s = s + a  # from the second iteration on, the `a` of the line below
        a = x * 3.0
    return s


def test_a_branch_value_a_loop_rebinds_is_not_read_from_before_the_loop():
    with pytest.raises(UndefinedNameError) as error:
        adjoint.grad(rebinds_in_a_loop)(1.0, 3)
    assert 'test_higher_order.py' in str(error.value)
    assert 's = s + a' in str(error.value)


def ranked(x):
    return np.sum(x * x)


@adjoint.vjp_rule(ranked)
def ranked_vjp(g, ans, x):
    # np.linalg.cond has no rules in either mode: the gradient works, its derivative not.
    return (g * np.linalg.cond(np.outer(x, x) + 3.0) * 0.0 + 2.0 * g * x,)


def calls_ranked(x):
    y = x * 3.0
    return ranked(y) * 0.5


@pytest.mark.parametrize('second', [
    adjoint.hessian, lambda f: adjoint.jacobian(adjoint.grad(f), mode='reverse')])
def test_a_second_derivative_that_cannot_be_made_names_the_users_line(second):
    x = np.array([0.3, -0.4, 0.8])
    np.testing.assert_allclose(adjoint.grad(calls_ranked)(x), 9.0 * x)
    with pytest.raises(adjoint.AdjointError) as error:
        second(calls_ranked)(x)
    message = str(error.value)
    assert f'test_higher_order.py:{calls_ranked.__code__.co_firstlineno + 2}:' in message
    assert 'return ranked(y) * 0.5' in message and 'np.linalg.cond' in message
    assert '<adjoint' not in message


class Spring:
    """A model whose loss is a method: its derivatives take `self` as a constant."""

    def __init__(self, stiffness):
        self.stiffness = stiffness

    def energy(self, w):
        return self.stiffness * np.sum(w ** 3) + np.sum(np.sin(w))

    def scalar_energy(self, x):
        return self.stiffness * x ** 3 * np.cos(x)


@pytest.mark.parametrize('seed', [0, 1])
def test_second_derivatives_of_a_bound_method(seed):
    model = Spring(1.5 + seed)
    w = np.random.default_rng(seed).normal(size=3)
    want = np.diag(6 * model.stiffness * w - np.sin(w))  # the energy is separable
    np.testing.assert_allclose(adjoint.hessian(model.energy)(w), want, rtol=1e-10)
    np.testing.assert_allclose(adjoint.jacobian(adjoint.grad(model.energy))(w), want,
                               rtol=1e-10)
    v = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(adjoint.hvp(model.energy)(w, v), want @ v, rtol=1e-10)
    _, tangent = adjoint.jvp(adjoint.grad(model.energy), (w,), (v,))
    np.testing.assert_allclose(tangent, want @ v, rtol=1e-10)
    x, h = 0.3 + seed, 1e-5
    first = adjoint.grad(model.scalar_energy)
    by_differences = (first(x + h) - first(x - h)) / (2 * h)
    assert adjoint.grad(first)(x) == pytest.approx(by_differences, rel=1e-6)
    assert adjoint.derivative(first)(x) == pytest.approx(by_differences, rel=1e-6)


def test_the_hessian_of_an_empty_array_is_empty():
    def total(x, scale):
        return np.sum(np.sin(x)) * scale ** 2

    assert adjoint.hessian(total)(np.ones(0), 2.0).shape == (0, 0)
    blocks = adjoint.hessian(total, wrt=(0, 1))(np.ones(0), 2.0)
    assert [[np.shape(b) for b in row] for row in blocks] == [[(0, 0), (0,)], [(0,), ()]]
    assert blocks[1][1] == pytest.approx(2.0 * np.sum(np.sin(np.ones(0))))
