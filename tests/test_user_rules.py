"""User-defined rules, stop_gradient, closures, local functions and methods."""

import re

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads
from tests import user_rules_cases as cases
from tests.calls_cases import models as m


def test_a_rule_is_inlined_like_the_built_in_ones():
    x = np.array([0.5, -1.0, 2.0])
    df = adjoint.grad(cases.uses_logsumexp)
    check_grads(cases.uses_logsumexp, (x,))
    assert 'np.exp(' in df.source and 'logsumexp_forward' not in df.source


def test_a_registered_rule_wins_over_the_callee_source():
    assert adjoint.grad(cases.uses_softplus)(0.3) == pytest.approx(3.0 * 42.0)


def test_a_rule_that_cannot_be_inlined_is_called():
    before = cases.CALLS['called_rule']
    df = adjoint.grad(cases.uses_counted)
    assert df(0.7) == pytest.approx(sum(2 * 0.7 * i * i for i in range(3)))
    assert cases.CALLS['called_rule'] == before + 3  # once per loop iteration
    assert 'counted_vjp(' in df.source


@pytest.mark.parametrize('point', [(0.5, 2.0), (-1.5, 0.25)])
def test_stop_gradient(point):
    x, y = point
    gx, gy = adjoint.grad(cases.detached, wrt=(0, 1))(x, y)
    # The product x * y is a constant: d/dx = x * y, d/dy = 1.
    assert gx == pytest.approx(x * y) and gy == pytest.approx(1.0)
    assert cases.detached(x, y) == pytest.approx(x * y * x + y)


def test_closure_over_a_constant():
    scaled = m.make_scaled(3.0)
    for x in (0.7, -2.0):
        assert adjoint.grad(scaled)(x) == pytest.approx(6.0 * x)


def test_local_lambda():
    rng = np.random.default_rng(1)
    for _ in range(2):
        check_grads(m.with_local_lambda, (rng.normal(size=3), rng.normal(size=3)))
    df = adjoint.grad(m.with_local_lambda)
    df(np.ones(2), np.ones(2))
    assert 'h = ' in df.source  # the lambda's result keeps the user's name


@pytest.mark.parametrize('point', [(0.3, 1.2), (-0.8, 0.4)])
def test_nested_def_with_a_loop_and_defaults(point):
    check_grads(m.with_nested_def, point)


def test_method_of_a_small_class():
    w = np.array([0.5, 2.0])
    model = m.Model(w)
    x = np.array([1.0, 2.0])
    got = adjoint.grad(model.loss)(x)
    np.testing.assert_allclose(got, 2 * (w * x - 1.0) * w)
    assert 'self.w' in adjoint.grad(model.loss).source


def test_unknown_c_function_points_at_the_rule_decorator():
    with pytest.raises(adjoint.UnknownCallableError, match=r'vjp_rule\(np\.linalg\.cond\)'):
        from tests import api_cases
        adjoint.grad(api_cases.unknown_call)(np.eye(2))


def test_a_function_without_a_rule_held_in_a_variable_is_named_by_what_it_is():
    from tests import api_cases
    with pytest.raises(adjoint.UnknownCallableError,
                       match=r'no derivative rule for `conditioning` \(numpy\.linalg\.cond\), .*'
                             r'register one with @adjoint\.vjp_rule\(numpy\.linalg\.cond\)'):
        adjoint.grad(api_cases.unknown_call_through_a_variable)(np.eye(2))


@pytest.mark.parametrize('x, n', [(0.5, 3), (2.0, 1), (0.1, 0)])
def test_gradient_clipping_hook_in_a_loop(x, n):
    got = adjoint.grad(cases.clipped_loop)(x, n)
    expected = 1.0
    for _ in range(n):  # the hook clips the adjoint of y after every step
        expected = min(expected, 2.0) * 3.0
    assert got == pytest.approx(expected)
    # Outside differentiation the block does nothing: the value is x * 3**n.
    assert cases.clipped_loop(x, n) == pytest.approx(x * 3.0 ** n)


def test_hook_sees_the_adjoint_and_does_nothing_outside_differentiation():
    cases.SEEN.clear()
    assert cases.printed(1.5) == pytest.approx(11.25)
    assert cases.SEEN == []
    assert adjoint.grad(cases.printed)(1.5) == pytest.approx(15.0)
    assert cases.SEEN == [pytest.approx(5.0)]  # d(5y)/dy, seen at the hook


def blend(x, y):
    return 0.5 * (x + y)


@adjoint.vjp_rule(blend)
def blend_vjp(g, ans, x, y, *, active_y=True):
    # Deliberately odd: x's share depends on whether y is differentiated too.
    return (g * (0.5 if active_y else 10.0), g * 0.5)


@adjoint.jvp_rule(blend)
def blend_jvp(dx, dy, ans, x, y, *, active_y=True):
    return dx * (0.5 if active_y else 10.0) + dy * 0.5


def blend_with_constant(x):
    return blend(x, 3.0)


def blend_with_itself(x):
    return blend(x, x * 2.0)


def test_a_rule_can_ask_which_arguments_are_differentiated():
    assert adjoint.grad(blend_with_constant)(0.7) == pytest.approx(10.0)
    assert adjoint.grad(blend_with_itself)(0.7) == pytest.approx(0.5 + 0.5 * 2.0)
    assert adjoint.derivative(blend_with_constant)(0.7) == pytest.approx(10.0)
    assert adjoint.derivative(blend_with_itself)(0.7) == pytest.approx(0.5 + 0.5 * 2.0)
    # The rule branches, so it is called, and told that y is a constant:
    assert 'x, 3.0, active_y=False)' in adjoint.grad(blend_with_constant).source


@pytest.mark.parametrize('seed', [0, 1])
def test_a_rule_for_argument_kinds_is_used_for_those_kinds_only(seed):
    rng = np.random.default_rng(seed)
    df = adjoint.grad(cases.uses_scaled_rows, wrt=(0, 1))
    x, w = rng.normal(size=(4, 3)), rng.normal(size=3)
    check_grads(cases.uses_scaled_rows, (x, w))
    df(x, w)
    # the matrix rule: w's cotangent is a sum over the rows
    assert re.search(r'bw = (np\.sum\(\w+, |\w+\.sum\()axis=0\)', df.source), df.source
    assert 'unbroadcast' not in df.source, df.source
    stack = rng.normal(size=(2, 4, 3))
    check_grads(cases.uses_scaled_rows, (stack, w))
    df(stack, w)
    assert 'unbroadcast' in df.source  # the general rule, for an array of 3 dimensions


@pytest.mark.parametrize('shapes', [((3,), (3, 3), (3,)), ((2, 3), (3, 4), (4, 2)),
                                    ((3,), (3, 4), (4, 2)), ((2, 3), (3, 3), (3,))])
def test_products_of_matrices_and_vectors(shapes):
    # Two matrices take the plain rule, `g @ y.T` and `x.T @ g`; vectors the helpers.
    rng = np.random.default_rng(len(shapes[0]) + 2 * len(shapes[2]))
    args = tuple(rng.normal(size=s) for s in shapes)
    check_grads(cases.bilinear, args)
    df = adjoint.grad(cases.bilinear, wrt=(0, 1, 2))
    df(*args)
    both_matrices = len(shapes[0]) == 2
    assert ('.T' in df.source) == both_matrices, df.source
