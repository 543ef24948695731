"""A notebook session, cell by cell: define, differentiate, redefine a helper,
change a global, register a rule, differentiate again. At every step every
derivative API — made anew and made before — agrees with finite differences.
(Second derivatives of a function calling a helper are not supported yet: issue
11, "Higher order through branches and helpers".)"""

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads, numerical_grad
from tests.test_cache import notebook, run_cell

POINTS = ((0.4, np.array([0.3, -1.2, 0.8])), (-0.9, np.array([1.1, 0.2, -0.5])))


def check_step(ns, held):
    """Every derivative of `ns['loss']`, new and `held`, against finite differences."""
    loss = ns['loss']
    for a, x in POINTS:
        check_grads(loss, (a, x))
        want_a = numerical_grad(loss, (a, x), 0)
        want_x = numerical_grad(loss, (a, x), 1)
        got_a, got_x = held['grad'](a, x)
        assert got_a == pytest.approx(want_a, rel=1e-6)
        np.testing.assert_allclose(got_x, want_x, rtol=1e-6, atol=1e-9)
        value, (got_a, _) = held['value_and_grad'](a, x)
        assert value == pytest.approx(loss(a, x))
        assert got_a == pytest.approx(want_a, rel=1e-6)
        _, tangent = held['jvp']((a, x), (1.0, np.zeros(3)))
        assert tangent == pytest.approx(want_a, rel=1e-6)
        _, pullback = adjoint.vjp(loss, a, x)
        assert pullback(1.0)[0] == pytest.approx(want_a, rel=1e-6)
        assert held['derivative'](a, x) == pytest.approx(want_a, rel=1e-6)


def test_a_notebook_session():
    ns = notebook()
    run_cell(ns, 'SCALE = 2.0\n\n'
                 'def helper(a, x):\n    return np.tanh(a * x)\n\n'
                 'def loss(a, x):\n    return SCALE * np.sum(helper(a, x) ** 2)\n')
    held = {'grad': adjoint.grad(ns['loss'], wrt=(0, 1)),
            'value_and_grad': adjoint.value_and_grad(ns['loss'], wrt=(0, 1)),
            'jvp': adjoint.jvp(ns['loss']),
            'derivative': adjoint.derivative(ns['loss'])}
    check_step(ns, held)

    run_cell(ns, 'def helper(a, x):\n    return np.sin(a * x) * x\n')  # redefine a helper
    check_step(ns, held)

    run_cell(ns, 'SCALE = 10.0\n')  # change a global
    check_step(ns, held)

    run_cell(ns, 'def shrink(v):\n    return v / 3.0\n\n'  # a new helper, then its rule
                 'def loss(a, x):\n    return SCALE * np.sum(shrink(helper(a, x)) ** 2)\n')
    held = {'grad': adjoint.grad(ns['loss'], wrt=(0, 1)),
            'value_and_grad': adjoint.value_and_grad(ns['loss'], wrt=(0, 1)),
            'jvp': adjoint.jvp(ns['loss']),
            'derivative': adjoint.derivative(ns['loss'])}
    check_step(ns, held)

    @adjoint.vjp_rule(ns['shrink'])
    def shrink_vjp(g, ans, v):
        return (g / 3.0,)

    @adjoint.jvp_rule(ns['shrink'])
    def shrink_jvp(dv, ans, v):
        return dv / 3.0

    check_step(ns, held)
    assert 'shrink_forward' not in held['grad'].source  # the rule is inlined now
