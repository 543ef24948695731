"""The calls and subscripts of global objects that the rule table knows
(transforms/prepare/known_objects.py): a method of a module-level instance with a rule of
its own, as `scipy.stats.norm.logpdf` is (test_scipy_rules.py), and `np.r_[...]`
(test_numpy_forms.py). Here with objects of the test's own.
"""

import pytest

import adjoint
from adjoint.rules import TABLE
from adjoint.rules.registry import freezes_arguments
from adjoint.testing import check_grads
from transforms import pipeline
from transforms.core import ir
from transforms.prepare import known_objects


class Spring:
    """An object whose method has a rule: its energy, 0.5 k x^2."""

    def __init__(self, stiffness):
        self.stiffness = stiffness
        self.reads = 0

    def energy(self, x):
        return 0.5 * self.stiffness * x * x

    @property
    def measured(self):
        self.reads += 1  # compiling must not run a property
        return self.energy


SPRING = Spring(3.0)


@adjoint.vjp_rule(SPRING.energy)
def spring_energy_vjp(g, ans, x):
    return (g * SPRING.stiffness * x,)


@adjoint.jvp_rule(SPRING.energy)
def spring_energy_jvp(dx, ans, x):
    return dx * SPRING.stiffness * x


def stored(x):
    return SPRING.energy(x) + 2.0 * x


def measured(x):
    return SPRING.measured(x)


def test_a_method_of_an_instance_with_a_rule_is_called_as_that_primitive():
    primal, _ = pipeline.primal_ir(stored)
    resolved = known_objects.resolve_known_objects(primal, TABLE)
    called = [s.fn.value for s in ir.walk(resolved.body) if isinstance(s, ir.Let)]
    assert SPRING.energy in called  # a bound method: equal to the rule's key
    for x in (0.5, -1.5):
        check_grads(stored, (x,))
        assert adjoint.grad(stored)(x) == 3.0 * x + 2.0


def test_a_property_is_not_read_while_compiling():
    # `SPRING.measured(x)` reads a property, then calls what it returns: no rule is
    # the property's, so it stays a method call, which has none.
    with pytest.raises(adjoint.UnknownCallableError, match=r'\.measured\(\)'):
        adjoint.grad(measured)(1.0)
    assert SPRING.reads == 0


class Springs:
    """A family of springs, as a distribution of `scipy.stats` is a family of
    distributions: `SPRINGS.energy(x, k)`, and `SPRINGS(k)` a spring frozen at k."""

    def __call__(self, stiffness):
        return Spring(stiffness)

    def energy(self, x, stiffness):
        return 0.5 * stiffness * x * x


SPRINGS = Springs()
freezes_arguments(SPRINGS)


@adjoint.vjp_rule(SPRINGS.energy)
def springs_energy_vjp(g, ans, x, stiffness):
    return (g * stiffness * x, 0.5 * g * x * x)


@adjoint.jvp_rule(SPRINGS.energy)
def springs_energy_jvp(dx, dstiffness, ans, x, stiffness):
    return dx * stiffness * x + 0.5 * dstiffness * x * x


def frozen(x, k):
    spring = SPRINGS(k)
    return spring.energy(x) + SPRINGS(2.0 * k).energy(x)


def frozen_then_passed(x, k):
    return _energy_of(SPRINGS(k), x)


def _energy_of(spring, x):
    return spring.energy(x)


def test_a_method_of_a_value_frozen_by_a_known_object_calls_its_method():
    primal, _ = pipeline.primal_ir(frozen)
    resolved = known_objects.resolve_known_objects(primal, TABLE)
    calls = [s for s in ir.walk(resolved.body) if isinstance(s, ir.Let)
             and s.fn.value == SPRINGS.energy]
    # The frozen argument after the method's own: SPRINGS.energy(x, k).
    assert [[str(a) for a in s.args][0] for s in calls] == ['x', 'x'] and \
        str(calls[0].args[1]) == 'k'
    for point in ((0.5, 3.0), (-1.5, 0.7)):
        check_grads(frozen, point)
        x, k = point
        assert adjoint.grad(frozen, wrt=(0, 1))(x, k) == pytest.approx((3.0 * k * x, 1.5 * x * x))


def test_a_frozen_value_passed_on_keeps_its_method_call():
    with pytest.raises(adjoint.UnknownCallableError, match=r'\.energy\(\)'):
        adjoint.grad(frozen_then_passed, wrt=(0, 1))(0.5, 3.0)
