"""Calls into user functions: helpers in other modules, recursion, keyword calls."""

import math

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads
from tests.calls_cases import models as m

POINTS = [(0.3, -0.2, 1.5, 0.4), (-1.1, 0.7, 0.2, -0.3)]


@pytest.mark.parametrize('point', POINTS)
def test_model_split_across_two_modules(point):
    check_grads(m.model, point, wrt=(0, 1))


@pytest.mark.parametrize('xs, ys', [([1.5, 0.5, -0.7], [0.4, 0.1, 0.0]), ([0.2], [1.0])])
def test_helper_called_in_a_loop(xs, ys):
    check_grads(m.model_in_loop, (0.3, -0.2, xs, ys), wrt=(0, 1))


@pytest.mark.parametrize('x, n', [(1.3, 4), (-0.7, 3), (2.0, 0)])
def test_recursive_power(x, n):
    got = adjoint.grad(m.power)(x, n)
    assert got == pytest.approx(n * x ** (n - 1) if n else 0.0)


@pytest.mark.parametrize('w, depth', [(0.7, 3), (-0.4, 2), (1.2, 0)])
def test_recursive_tree_sum(w, depth):
    check_grads(m.tree_sum, (w, depth), wrt=(0,))


@pytest.mark.parametrize('point', [(0.7, 3.0), (-2.0, 0.5)])
def test_keyword_arguments_and_defaults(point):
    check_grads(m.keyword_call, point)


@pytest.mark.parametrize('x', [0.7, -1.3])
def test_helper_returning_a_tuple_unpacked_by_the_caller(x):
    got = adjoint.grad(m.unpacks)(x)
    assert got == pytest.approx(2 * x + 3 * math.cos(x))


def test_helper_on_arrays():
    rng = np.random.default_rng(0)
    for _ in range(2):
        check_grads(m.uses_array_layer, (rng.normal(size=3), rng.normal(size=3)))


def test_generated_call_site_is_readable():
    df = adjoint.grad(m.model, wrt=(0, 1))
    df(0.3, -0.2, 1.5, 0.4)
    assert 't1, saved_affine = affine_forward(w, x, b)' in df.source
    assert 'bw, bb = affine_backward(saved_affine, bt1)' in df.source


def spread_call(w, x, b):
    args = (w, x)
    options = {'b': b}
    return m.squared_error(affine_of(*args, **options), 0.5) + math.hypot(*[x, w])


def affine_of(w, x, b=0.0):
    return w * x + b


@pytest.mark.parametrize('point', [(0.3, 1.2, -0.5), (-1.1, 0.4, 2.0)])
def test_star_arguments_of_a_tuple_list_or_dict_built_here(point):
    check_grads(spread_call, point, modes=('fwd', 'rev'))


def spread_of_an_argument(w, xs):
    return affine_of(w, *xs)


def test_star_arguments_of_unknown_length_are_an_error_naming_them():
    with pytest.raises(adjoint.UnsupportedSyntaxError, match=r'`\*xs` in a call needs a tuple'):
        adjoint.grad(spread_of_an_argument)(0.3, (1.0, 2.0))


def wrong_call(w, x):
    return affine_of(w, x, 1.0, 2.0)


@pytest.mark.parametrize('derivative', [adjoint.grad, adjoint.derivative])
def test_a_call_with_arguments_the_helper_does_not_take_names_it(derivative):
    with pytest.raises(adjoint.UnsupportedSyntaxError,
                       match=r'`affine_of` is called with arguments it does not take'):
        derivative(wrong_call)(0.3, 1.2)


# ---------------------------------------------------------------- *args of the function itself


def loss_of_packed(w, *layers, scale=1.0, **options):
    total = np.sum(np.tanh(layers[0] @ w) * layers[1]) * scale
    return total + options.get('shift', 0.0) * np.sum(w ** 2)


def sum_of_all(*xs):
    return xs[0] * xs[1] + np.sin(xs[2]) * len(xs)


@pytest.mark.parametrize('seed', [0, 1])
def test_the_differentiated_function_may_take_args_and_kwargs(seed):
    # autograd's tests differentiate `lambda *args: fun(...)`: a function of one
    # parameter per argument of the call, made for each way it is called.
    rng = np.random.default_rng(seed)
    w, a, b = rng.normal(size=3), rng.normal(size=(2, 3)), rng.normal(size=2)
    check_grads(loss_of_packed, (w, a, b), kwargs={'scale': 1.5, 'shift': 0.3}, order=2)
    check_grads(loss_of_packed, (w, a, b), order=2)
    check_grads(sum_of_all, tuple(rng.normal(size=3)), order=2)
    check_grads(sum_of_all, tuple(rng.normal(size=4)), order=2)
    gw, gb = adjoint.grad(loss_of_packed, wrt=(0, 2))(w, a, b)
    np.testing.assert_allclose(gb, np.tanh(a @ w), rtol=1e-12)
    assert adjoint.derivative(sum_of_all, wrt=1)(2.0, 3.0, 0.5) == pytest.approx(2.0)
    assert adjoint.hessian(sum_of_all)(2.0, 3.0, 0.5) == 0.0


def test_a_derivative_of_a_packing_function_shows_the_code_of_its_last_call():
    gradient = adjoint.grad(sum_of_all, wrt=2)
    with pytest.raises(adjoint.AdjointError, match='call it, then read .source'):
        gradient.source
    gradient(1.0, 2.0, 0.5)
    assert 'def grad_sum_of_all(xs_0, xs_1, xs_2)' in str(gradient.source)


def spread_of_a_packed_argument(*args):
    return sum_of_all(2.0 * args[0], *args[1:])


def test_spreading_what_it_packs_is_an_error_naming_the_line():
    with pytest.raises(adjoint.UnsupportedSyntaxError, match=r'`\*args\[1:\]` in a call'):
        adjoint.grad(spread_of_a_packed_argument)(0.3, 1.0, 2.0)


_NO_SOURCE = eval('lambda v: v * 2.0')  # made by eval: no source to read


def _calls_a_function_without_source(x):
    return _NO_SOURCE(x) + 1.0


def calls_a_helper_whose_callee_has_no_source(x):
    return _calls_a_function_without_source(x) * 3.0  # the line the error names


@pytest.mark.parametrize('derivative', [adjoint.grad, adjoint.derivative])
def test_a_callee_without_source_is_named_at_the_users_call(derivative):
    # It was named with no line: the call that reached it was in a helper, or in a
    # library's code (`scipy.linalg.solve_banded` calling `_solve_banded`).
    line = calls_a_helper_whose_callee_has_no_source.__code__.co_firstlineno + 1
    with pytest.raises(adjoint.NoSourceError,
                       match=rf'test_calls\.py:{line}: cannot read the source of `<lambda>`'
                             rf'[^\n]*\n    return _calls_a_function_without_source'):
        derivative(calls_a_helper_whose_callee_has_no_source)(0.5)
