"""The rule library against central finite differences: the registry sweep.

`test_every_rule_against_finite_differences` walks every vjp rule the built-in
library registers and checks it at random points of its domain (fixed seeds,
float64): on Python floats, and for primitives that accept arrays, on arrays of
several shapes, with broadcasting between two arguments of different shapes. The
checks (`CHECKS`, one or more calls per primitive) are in rules_checks.py and
numpy_checks.py; a rule without one fails the sweep: a missing check is a failing
test. Primitives declared non-differentiable are swept the same way
(`NONDIFFERENTIABLE`): their gradient contribution must be zero. Methods (`x.sum()`)
and the runtime helpers generated code calls are rules too, and are swept alike.

adjoint differentiates source code, so the functions checked are generated as
source — small wrappers per check — into a module in a temporary directory. An
array output is reduced with `np.sum(out * w)`, `w` a fixed random array, so the
cotangent of every element is checked. The registry, the wrappers and the points
are shared with the forward sweep, test_jvp_rules.py (see rule_sweep.py).
"""

import math
import warnings

import numpy as np
import pytest

import adjoint
from adjoint.rules.docs import label
from adjoint.testing import check_grads
from tests import rules_cases as cases
from tests.rule_sweep import (CHECKS, DIFFERENTIABLE, LIBRARY, NONDIFFERENTIABLE,
                              NOT_DIFFERENTIABLE, SCALAR_POINTS, checks_of, rng_for,
                              rule_with_checks, same_primitive, sample_points,
                              wrapper_name)
from adjoint.rules import TABLE
from transforms import pipeline
from transforms.core import ir
from transforms.core.rules import primitive_key
from transforms.prepare import known_objects


@pytest.fixture
def wrappers(rule_wrappers):
    return rule_wrappers


# ---------------------------------------------------------------- the sweep


@pytest.mark.parametrize('name', DIFFERENTIABLE)
def test_every_rule_against_finite_differences(name, wrappers):
    primitive, rule = rule_with_checks(name, 'vjp')
    rng = rng_for(name)
    for k, check in enumerate(checks_of(primitive)):
        scalar_fn = getattr(wrappers, wrapper_name('scalar', name, k))
        array_fn = getattr(wrappers, wrapper_name('array', name, k))
        for kind, args, weights in sample_points(check, scalar_fn, rng):
            if kind == 'array':
                check_grads(array_fn, args + (weights,), wrt=tuple(range(len(args))))
            else:
                check_scalar_point(f'{name} in `{check.call}`', scalar_fn, args)


def check_scalar_point(name, fn, args):
    """A point of Python floats, or of Python ints.

    An int argument is differentiated as a real: its gradient is a float, equal to
    the gradient at the same point given as floats.
    """
    wrt = tuple(range(len(args)))
    grads = adjoint.grad(fn, wrt=wrt)(*args)
    expected = check_grads(fn, tuple(map(float, args)), wrt=wrt)
    for g, e in zip(grads, expected):
        assert isinstance(g, float), f'{name}{args}: gradient {g!r} is not a float'
        assert g == pytest.approx(e, rel=1e-12, abs=1e-15), (name, args)


@pytest.mark.parametrize('name', sorted(label(p) for p in [*CHECKS, *NONDIFFERENTIABLE]))
def test_each_wrapper_calls_its_primitive(name, wrappers):
    # A check whose source never reaches the primitive (say, if `+x` were dropped
    # while parsing) would pass without testing the rule.
    primitive, _ = LIBRARY[name]
    kind = 'scalar' if primitive in CHECKS else 'constant'
    for k in range(len(checks_of(primitive)) if primitive in CHECKS else 1):
        primal, _ = pipeline.primal_ir(getattr(wrappers, wrapper_name(kind, name, k)))
        # As the compiler sees it: `np.r_[x]` is a call of r_, `norm.logpdf` not a method.
        primal = known_objects.resolve_known_objects(primal, TABLE)
        called = [primitive_key(s) for s in ir.walk(primal.body) if isinstance(s, ir.Let)]
        assert any(same_primitive(key, primitive) for key in called), (name, k, called)


def test_every_check_belongs_to_a_registered_rule():
    checked = {label(p) for p in CHECKS}
    assert checked <= set(DIFFERENTIABLE), checked - set(DIFFERENTIABLE)
    constant = {label(p) for p in NONDIFFERENTIABLE}
    assert constant <= set(NOT_DIFFERENTIABLE), constant - set(NOT_DIFFERENTIABLE)


@pytest.mark.parametrize('name', NOT_DIFFERENTIABLE)
def test_nondifferentiable_primitives_contribute_nothing(name, wrappers):
    primitive, _ = LIBRARY[name]
    if primitive not in NONDIFFERENTIABLE:
        pytest.fail(f'{name} is declared non-differentiable but has no check: '
                    f'add it to NONDIFFERENTIABLE in tests/rules_checks.py')
    fn = getattr(wrappers, wrapper_name('constant', name))
    rng = rng_for(name)
    for _ in range(SCALAR_POINTS):
        x = float(rng.uniform(-2.0, 2.0))
        g = adjoint.grad(fn)(x)
        assert g == 3.0 and isinstance(g, float), (name, x, g)
        # Between its jumps the primitive is constant: finite differences agree.
        check_grads(fn, (x,))


# ---------------------------------------------------------------- operator forms


def by_function(names, rows):
    """`pytest.mark.parametrize` over rows that start with a function, named by it."""
    return pytest.mark.parametrize(names, rows, ids=[row[0].__name__ for row in rows])


@by_function('fn, points, derivative', [
    (cases.square, (-3.0, 0.0, 1.7), lambda x: 2 * x),
    (cases.cube, (-2.0, 0.5), lambda x: 3 * x ** 2),
    (cases.reciprocal, (-2.0, 0.5), lambda x: -x ** -2),
    (cases.root, (0.25, 4.0), lambda x: 0.5 * x ** -0.5),
    (cases.two_to_the, (-1.0, 3.0), lambda x: 2 ** x * math.log(2)),
    (cases.constant_over, (-2.0, 0.5), lambda x: -3.0 / x ** 2),
    (cases.times_itself, (-1.5, 2.0), lambda x: 2 * x),
    (cases.used_three_times, (-1.5, 2.0), lambda x: 3 * x ** 2 + 1),
    (cases.folded_constants, (-1.5, 2.0), lambda x: 6 - 0.5),
    (cases.modulo, (-1.0, 2.0), lambda x: 1.0),
])
def test_operator_forms_of_one_argument(fn, points, derivative):
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # e.g. no log of the negative base of x ** 2
        for x in points:
            g = adjoint.grad(fn)(x)
            assert isinstance(g, float) and g == pytest.approx(derivative(x), rel=1e-12)
            if x != 0.0:
                check_grads(fn, (x,))


@by_function('fn, points, derivative', [
    (cases.power, ((2.0, 3.0), (0.5, -1.5), (1.3, 0.0)),
     lambda x, y: (y * x ** (y - 1), x ** y * math.log(x))),
    (cases.quotient, ((1.0, 4.0), (-3.0, 0.5)), lambda x, y: (1 / y, -x / y ** 2)),
    (cases.negations, ((1.0, 4.0), (-3.0, 0.5)), lambda x, y: (-y, 1 - x)),
    (cases.floor_division, ((2.5, 0.7), (-1.3, 0.4)), lambda x, y: (y, x)),
])
def test_operator_forms_of_two_arguments(fn, points, derivative):
    for x, y in points:
        got = adjoint.grad(fn, wrt=(0, 1))(x, y)
        assert got == pytest.approx(derivative(x, y), rel=1e-12)
        check_grads(fn, (x, y))


def test_power_of_a_negative_base_with_a_constant_exponent():
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # the exponent's cotangent (a log) is not computed
        assert adjoint.grad(cases.power)(-2.0, 3) == pytest.approx(12.0)
        assert adjoint.grad(cases.power)(-2.0, 2.0) == pytest.approx(-4.0)


# ---------------------------------------------------------------- kinks


def test_abs_has_derivative_zero_at_zero():
    df = adjoint.grad(cases.builtin_abs)
    assert [df(x) for x in (-2.5, 0.0, 1.5)] == [-1.0, 0.0, 1.0]
    x = np.array([[-1.5, 0.0, 2.0], [0.0, 3.0, -0.1]])
    np.testing.assert_array_equal(adjoint.grad(cases.numpy_abs)(x), np.sign(x))
    np.testing.assert_array_equal(adjoint.grad(cases.builtin_abs_of_array)(x), np.sign(x))


# ---------------------------------------------------------------- reductions


@pytest.mark.parametrize('shape', [(5,), (2, 3)])
def test_sum_and_mean_of_whole_arrays(shape):
    rng = np.random.default_rng(7)
    for _ in range(2):
        x, w = rng.normal(size=shape), rng.normal(size=shape)
        np.testing.assert_array_equal(adjoint.grad(cases.total)(x), np.ones(shape))
        np.testing.assert_allclose(adjoint.grad(cases.average)(x),
                                   np.full(shape, 1.0 / x.size), rtol=1e-15)
        np.testing.assert_allclose(adjoint.grad(cases.weighted_total)(x, w), w, rtol=1e-15)
        for fn in (cases.total, cases.average):
            check_grads(fn, (x,))
        check_grads(cases.weighted_total, (x, w))


def test_dot_of_vectors():
    rng = np.random.default_rng(8)
    for n in (1, 4):
        x, y = rng.normal(size=n), rng.normal(size=n)
        gx, gy = adjoint.grad(cases.inner, wrt=(0, 1))(x, y)
        np.testing.assert_array_equal(gx, y)
        np.testing.assert_array_equal(gy, x)
        np.testing.assert_allclose(adjoint.grad(cases.squared_norm)(x), 2 * x, rtol=1e-15)
        check_grads(cases.inner, (x, y))
        check_grads(cases.squared_norm, (x,))


# ---------------------------------------------------------------- floats with arrays


@pytest.mark.parametrize('fn', [cases.float_times_array, cases.float_and_array_both_orders])
def test_python_float_and_array_in_both_orders(fn):
    rng = np.random.default_rng(9)
    for shape in ((3,), (2, 3)):
        a, x = float(rng.uniform(0.5, 2.0)), rng.uniform(0.5, 2.0, size=shape)
        ga, gx = check_grads(fn, (a, x))
        assert isinstance(ga, float) and gx.shape == shape
        gx, ga = check_grads(cases.array_times_float, (x, a))
        assert isinstance(ga, float) and gx.shape == shape
        np.testing.assert_allclose(gx, np.full(shape, a), rtol=1e-15)
        assert ga == pytest.approx(np.sum(x), rel=1e-12)


def test_constants_with_an_array():
    x = np.array([[0.5, 1.0, 2.0], [-0.5, -1.5, 3.0]])
    expected = 2.5 + 0.5 + 1.5 / x ** 2 + 0.25 + 1.5 ** x * math.log(1.5) + 2 * x - 1
    np.testing.assert_allclose(adjoint.grad(cases.constants_with_array)(x), expected,
                               rtol=1e-13)
    check_grads(cases.constants_with_array, (x,))


# ---------------------------------------------------------------- int arguments


@by_function('fn, args, derivative', [
    (cases.int_polynomial, (3,), lambda n: (2 * n + 3,)),
    (cases.int_math, (2,), lambda n: (math.cos(n) + math.exp(n) * (n + 1),)),
    (cases.int_numpy, (2,), lambda n: (math.cos(n) + 0.5 / math.sqrt(n),)),
    (cases.int_division, (7, 2), lambda n, m: (1 / m, -n / m ** 2)),
    (cases.int_power, (2, 3),
     lambda n, m: (m * n ** (m - 1) + 2 ** n * math.log(2), n ** m * math.log(n))),
    (cases.int_mixed, (-3, 2), lambda n, x: (-x - 1, 3)),
    # np.power(-3, 2) is an int: the optimizer must not drop `1.0 *` from x's gradient.
    (cases.int_numpy_power, (-3, 2), lambda n, x: (2 * n * x, n * n)),
    (cases.int_numpy_abs, (-3, 2), lambda n, x: (-x, 3)),
    (cases.int_numpy_sum, (-3, 2), lambda n, x: (x, n)),
    (cases.int_numpy_sign, (-3, 2), lambda n, x: (0, 0)),
])
def test_int_arguments_are_differentiated_as_reals(fn, args, derivative):
    wrt = tuple(range(len(args)))
    grads = adjoint.grad(fn, wrt=wrt)(*args)
    assert grads == pytest.approx(derivative(*args), rel=1e-12)
    for g in grads:
        assert isinstance(g, float), f'{fn.__name__}{args}: gradient {g!r} is not a float'
    check_grads(fn, tuple(map(float, args)))
