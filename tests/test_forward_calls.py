"""Forward mode through user code: helpers in other modules, recursion, closures,
local functions, methods, user jvp rules, stop_gradient and hooks.

Each case is checked in both modes against finite differences, and the two modes
against each other (`check_grads(..., modes=('fwd', 'rev'))`).
"""

import math

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads
from tests import user_rules_cases as cases
from tests.calls_cases import models as m

BOTH = ('fwd', 'rev')
POINTS = [(0.3, -0.2, 1.5, 0.4), (-1.1, 0.7, 0.2, -0.3)]


@pytest.mark.parametrize('point', POINTS)
def test_model_split_across_two_modules(point):
    check_grads(m.model, point, wrt=(0, 1), modes=BOTH)


@pytest.mark.parametrize('xs, ys', [([1.5, 0.5, -0.7], [0.4, 0.1, 0.0]), ([0.2], [1.0])])
def test_helper_called_in_a_loop(xs, ys):
    check_grads(m.model_in_loop, (0.3, -0.2, xs, ys), wrt=(0, 1), modes=BOTH)


@pytest.mark.parametrize('x, n', [(1.3, 4), (-0.7, 3), (2.0, 0)])
def test_recursive_power(x, n):
    assert adjoint.derivative(m.power)(x, n) == pytest.approx(n * x ** (n - 1) if n else 0.0)


@pytest.mark.parametrize('w, depth', [(0.7, 3), (-0.4, 2), (1.2, 0)])
def test_recursive_tree_sum(w, depth):
    check_grads(m.tree_sum, (w, depth), wrt=(0,), modes=BOTH)


@pytest.mark.parametrize('point', [(0.7, 3.0), (-2.0, 0.5)])
def test_keyword_arguments_and_defaults(point):
    check_grads(m.keyword_call, point, modes=BOTH)


@pytest.mark.parametrize('x', [0.7, -1.3])
def test_helper_returning_a_tuple_unpacked_by_the_caller(x):
    assert adjoint.derivative(m.unpacks)(x) == pytest.approx(2 * x + 3 * math.cos(x))


def test_helper_on_arrays_local_lambda_and_nested_def():
    rng = np.random.default_rng(0)
    for _ in range(2):
        check_grads(m.uses_array_layer, (rng.normal(size=3), rng.normal(size=3)), modes=BOTH)
        check_grads(m.with_local_lambda, (rng.normal(size=3), rng.normal(size=3)), modes=BOTH)
    check_grads(m.with_nested_def, (0.3, 1.2), modes=BOTH)


def test_closure_over_a_constant():
    scaled = m.make_scaled(3.0)
    assert adjoint.derivative(scaled)(0.7) == pytest.approx(6.0 * 0.7)


def test_method_of_a_small_class():
    w, x = np.array([0.5, 2.0]), np.array([1.0, 2.0])
    model = m.Model(w)
    t = np.array([0.3, -1.0])
    _, tangent = adjoint.jvp(model.loss, (x,), (t,))
    assert tangent == pytest.approx(np.dot(2 * (w * x - 1.0) * w, t))


def test_generated_call_site_is_readable():
    jvp = adjoint.jvp(m.model)
    jvp((0.3, -0.2, 1.5, 0.4), (1.0, 1.0, None, None))
    assert 't1, dt1 = affine_jvp(w, x, b, dw, db)' in jvp.source


# ---------------------------------------------------------------- user rules


def softplus(x):
    return math.log1p(math.exp(x))


@adjoint.jvp_rule(softplus)
def softplus_jvp(dx, ans, x):
    # Deliberately not the true derivative: shows the rule wins over the body.
    return dx * 42.0


def uses_softplus(x):
    return softplus(x) * 3.0


CALLS = {'tangent': 0}


def counted(x):
    return x * x


@adjoint.jvp_rule(counted)
def counted_jvp(dx, ans, x):
    # A branch and a side effect: the rule cannot be inlined, so it is called.
    CALLS['tangent'] += 1
    if x > 0:
        return 2.0 * x * dx
    return 2.0 * x * dx


def uses_counted(x):
    s = 0.0
    for i in range(3):
        s = s + counted(x * i)
    return s


def test_a_registered_jvp_rule_wins_over_the_callee_source():
    assert adjoint.derivative(uses_softplus)(0.3) == pytest.approx(3.0 * 42.0)
    # Reverse mode has no rule for softplus: it still differentiates the source.
    assert adjoint.grad(uses_softplus)(0.3) == pytest.approx(3.0 / (1.0 + math.exp(-0.3)))


def test_a_jvp_rule_that_cannot_be_inlined_is_called():
    before = CALLS['tangent']
    d = adjoint.derivative(uses_counted)
    assert d(0.7) == pytest.approx(sum(2 * 0.7 * i * i for i in range(3)))
    assert CALLS['tangent'] == before + 3
    assert 'counted_jvp(' in d.source


def test_a_user_jvp_rule_inlined():
    def logsumexp(x):
        m_ = np.max(x)
        return m_ + np.log(np.sum(np.exp(x - m_)))

    @adjoint.jvp_rule(logsumexp)
    def logsumexp_jvp(dx, ans, x):
        return np.sum(dx * np.exp(x - ans))

    def uses(x):
        return logsumexp(x * 2.0)
    x, t = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.5, -0.3])
    jvp = adjoint.jvp(uses)
    _, tangent = jvp((x,), (t,))
    softmax = np.exp(2 * x) / np.sum(np.exp(2 * x))
    assert tangent == pytest.approx(np.sum(softmax * 2.0 * t))
    assert 'np.exp(' in jvp.source and 'logsumexp_jvp' not in jvp.source


@pytest.mark.parametrize('point', [(0.5, 2.0), (-1.5, 0.25)])
def test_stop_gradient(point):
    x, y = point
    assert adjoint.derivative(cases.detached)(x, y) == pytest.approx(x * y)
    assert adjoint.derivative(cases.detached, wrt=1)(x, y) == pytest.approx(1.0)


def test_a_hook_does_nothing_in_forward_mode():
    cases.SEEN.clear()
    assert adjoint.derivative(cases.printed)(1.5) == pytest.approx(15.0)
    assert cases.SEEN == []
    assert adjoint.derivative(cases.clipped_loop)(0.5, 3) == pytest.approx(27.0)


# ---------------------------------------------------------------- containers


def built_from_lists(xs, w):
    ys = []
    for x in xs:
        ys.append(x * w)
    zs = [y * y for y in ys]
    zs[0] = zs[0] * 3.0
    a, b = zs[0], zs[-1]
    return zs[0] + zs[1] + zs[2] + a * b


def test_lists_appended_comprehended_and_written():
    xs, dxs = [1.0, 2.0, 3.0], [0.1, 0.2, -0.3]
    jvp = adjoint.jvp(built_from_lists)
    for w in (0.5, -1.2):
        _, tangent = jvp((xs, w), (dxs, 1.0))
        eps = 1e-6
        moved = [built_from_lists([x + s * eps * d for x, d in zip(xs, dxs)], w + s * eps)
                 for s in (1.0, -1.0)]
        assert tangent == pytest.approx((moved[0] - moved[1]) / (2 * eps), rel=1e-6)
    assert 'dys = []' in jvp.source and 'dzs[0] = dt' in jvp.source
    assert xs == [1.0, 2.0, 3.0] and dxs == [0.1, 0.2, -0.3]  # never mutated


def dict_model(params, x):
    h = np.tanh(params['w'] * x + params['b'])
    out = {'h': h, 'scale': params['w'] * 2.0}
    return np.sum(out['h'] * out['scale'])


def test_dict_arguments_and_locals():
    rng = np.random.default_rng(5)
    params = {'w': rng.normal(size=3), 'b': 0.3}
    x = rng.normal(size=3)
    dparams = {'w': rng.normal(size=3), 'b': 0.7}
    _, tangent = adjoint.jvp(dict_model, (params, x), (dparams, None))
    gradient = adjoint.grad(dict_model)(params, x)
    assert tangent == pytest.approx(np.dot(gradient['w'], dparams['w']) +
                                    gradient['b'] * dparams['b'])


def _layer_energy(W, x):
    a = W @ x
    h = np.tanh(a)
    return np.sum(h * h)


def uses_layer_energy(W, x):
    return _layer_energy(W, x) * 2.0


def test_a_helpers_tangent_function_releases_its_arrays_as_the_top_level_does():
    # It was emitted without the kinds of its values: no `del` of the arrays it
    # no longer needs, where the top level's tangent has them.
    W, x = np.full((3, 2), 0.1), np.array([1.0, 2.0])
    check_grads(uses_layer_energy, (W, x), modes=('fwd',))
    d = adjoint.jacfwd(uses_layer_energy, argnums=(0, 1))
    d(W, x)
    (source,) = d.helpers.values()
    assert 'def _layer_energy_jvp(' in source
    assert 'del a, da' in source
