"""Forward mode: tangents of the control-flow programs, derivatives of any order.

Every program of test_control_flow.py runs through `jvp`, at each of its points
and along a seeded random direction, and the tangent is checked twice: against
central finite differences along that direction, and by the dot-product test
against reverse mode, <grad f(x), t> = jvp(f)(x, t), which cross-checks the two
transformations (../shared/STYLE.md).
"""

import math

import numpy as np
import pytest

import adjoint
from adjoint.testing import numerical_grad
from tests.test_control_flow import PROGRAMS

RNG_SEED = 7


def direction(value, rng):
    """A random tangent shaped like `value` (None for an integer: not differentiated)."""
    if isinstance(value, (bool, int, np.integer)):
        return None
    if isinstance(value, np.ndarray):
        return rng.normal(size=value.shape)
    return float(rng.normal())


def directional_difference(fn, args, tangents, eps=1e-6):
    """Central differences of `fn` along `tangents` (None: that argument stays)."""
    def moved(sign):
        return tuple(a if t is None else a + sign * eps * t for a, t in zip(args, tangents))
    return (np.asarray(fn(*moved(1.0))) - np.asarray(fn(*moved(-1.0)))) / (2 * eps)


def differentiated_only(args, wrt, tangents):
    return tuple(t if k in wrt else None for k, t in enumerate(tangents))


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_tangent_matches_finite_differences_and_reverse_mode(fn, points, wrt):
    rng = np.random.default_rng(RNG_SEED)
    for args in points:
        tangents = differentiated_only(args, wrt, [direction(a, rng) for a in args])
        out, tangent = adjoint.jvp(fn, args, tangents)
        assert out == pytest.approx(fn(*args))
        np.testing.assert_allclose(tangent, directional_difference(fn, args, tangents),
                                   rtol=1e-5, atol=1e-6)
        grads = adjoint.grad(fn, wrt=tuple(wrt))(*args)
        pairing = sum(np.sum(g * tangents[k]) for g, k in zip(grads, wrt))
        assert tangent == pytest.approx(pairing, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_derivative_by_a_scalar_input(fn, points, wrt):
    k = wrt[0]
    for args in points:
        if not isinstance(args[k], float):
            continue
        got = adjoint.derivative(fn, wrt=k)(*args)
        assert got == pytest.approx(numerical_grad(fn, args, k), rel=1e-5, abs=1e-6)


# ---------------------------------------------------------------- the API


def rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def rosenbrock_hessian(x, y):
    return np.array([[2.0 - 400.0 * (y - 3.0 * x * x), -400.0 * x], [-400.0 * x, 200.0]])


def test_jvp_returns_the_value_and_the_tangent():
    out, tangent = adjoint.jvp(rosenbrock, (-1.0, 2.0), (1.0, 0.0))
    assert out == 104.0
    assert tangent == pytest.approx(396.0)
    out, tangent = adjoint.jvp(rosenbrock, (-1.0, 2.0), (0.0, 1.0))
    assert tangent == pytest.approx(200.0)


def test_a_none_tangent_leaves_an_argument_undifferentiated():
    out, tangent = adjoint.jvp(rosenbrock, (-1.0, 2.0), (None, 1.0))
    assert (out, tangent) == (104.0, pytest.approx(200.0))
    out, tangent = adjoint.jvp(rosenbrock, (-1.0, 2.0), (None, None))
    assert (out, tangent) == (104.0, 0.0)


def test_jvp_checks_its_arguments():
    with pytest.raises(adjoint.AdjointError, match='2 primals but 1 tangents'):
        adjoint.jvp(rosenbrock, (-1.0, 2.0), (1.0,))
    with pytest.raises(adjoint.AdjointError, match='shape'):
        adjoint.jvp(lambda x: np.sum(x), (np.ones(3),), (np.ones(2),))


def test_jvp_object_shows_the_generated_tangent_code():
    jvp = adjoint.jvp(rosenbrock)
    # Before a call: the code for arguments of unknown kind, each with a tangent.
    assert jvp.source.startswith('def jvp_rosenbrock(x, y, dx, dy):')
    jvp((-1.0, 2.0), (None, 1.0))
    assert jvp.source.startswith('def jvp_rosenbrock(x, y, dy):')
    assert adjoint.source(jvp) == jvp.source


def test_derivative_seeds_the_tangent_with_one():
    d = adjoint.derivative(rosenbrock)
    assert d(-1.0, 2.0) == pytest.approx(396.0)
    assert d.source.startswith('def derivative_rosenbrock(x, y):')
    assert 'dx' not in d.source.splitlines()[0]
    assert adjoint.derivative(rosenbrock, wrt='y')(-1.0, 2.0) == pytest.approx(200.0)
    assert adjoint.derivative(rosenbrock, wrt=(0, 1))(-1.0, 2.0) == \
        (pytest.approx(396.0), pytest.approx(200.0))


def test_derivative_refuses_an_array_input():
    with pytest.raises(adjoint.AdjointError, match='adjoint.jacobian'):
        adjoint.derivative(lambda x: x * 2.0)(np.ones(3))


def test_derivative_of_an_array_valued_function():
    def curve(t):
        return np.array([math.cos(t), math.sin(t), t * t])
    t = 0.4
    assert adjoint.derivative(curve)(t) == pytest.approx([-math.sin(t), math.cos(t), 2 * t])


def test_derivative_is_cached():
    assert adjoint.derivative(rosenbrock) is adjoint.derivative(rosenbrock)


# ---------------------------------------------------------------- higher order


@pytest.mark.parametrize('fn, derivatives', [
    (math.sin, (math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x))),
    (math.exp, (math.exp, math.exp, math.exp)),
], ids=['sin', 'exp'])
def test_second_and_third_derivatives_by_every_composition(fn, derivatives):
    def f(x):
        return fn(x)
    for x in (0.3, -1.1):
        assert adjoint.derivative(f)(x) == pytest.approx(derivatives[0](x))
        for outer, inner in [(adjoint.derivative, adjoint.derivative),
                             (adjoint.grad, adjoint.grad), (adjoint.derivative, adjoint.grad),
                             (adjoint.grad, adjoint.derivative)]:
            assert outer(inner(f))(x) == pytest.approx(derivatives[1](x))
        assert adjoint.derivative(adjoint.derivative(adjoint.derivative(f)))(x) == \
            pytest.approx(derivatives[2](x))
        assert adjoint.grad(adjoint.derivative(adjoint.grad(f)))(x) == \
            pytest.approx(derivatives[2](x))


@pytest.mark.parametrize('n', [2, 3, 5])
def test_derivatives_of_a_power(n):
    def power(x):
        return x ** n
    x = 1.3
    second = adjoint.derivative(adjoint.grad(power))(x)
    third = adjoint.derivative(adjoint.derivative(adjoint.grad(power)))(x)
    assert second == pytest.approx(n * (n - 1) * x ** (n - 2))
    assert third == pytest.approx(n * (n - 1) * (n - 2) * x ** (n - 3))


@pytest.mark.parametrize('point', [(-1.0, 2.0), (0.5, 0.3), (1.2, -0.7)])
def test_hessian_of_rosenbrock_is_the_analytic_one(point):
    blocks = adjoint.hessian(rosenbrock, wrt=(0, 1))(*point)
    np.testing.assert_allclose(np.array(blocks), rosenbrock_hessian(*point), rtol=1e-12)
    assert adjoint.hessian(rosenbrock)(*point) == pytest.approx(rosenbrock_hessian(*point)[0, 0])


def loop_and_branch(x, n):
    s = 0.0
    for i in range(n):
        if s < 2.0:
            s = s + np.sum(x * x) * (i + 1)
        else:
            s = s * np.sum(x)
    return s


def test_hessian_of_a_loop_with_a_branch_against_differences_of_the_gradient():
    rng = np.random.default_rng(0)
    gradient = adjoint.grad(loop_and_branch)
    for _ in range(2):
        x = rng.uniform(0.2, 0.8, size=3)
        hessian = adjoint.hessian(loop_and_branch)(x, 4)
        columns = []
        for k in range(3):
            e = np.zeros(3)
            e[k] = 1e-6
            columns.append((gradient(x + e, 4) - gradient(x - e, 4)) / 2e-6)
        np.testing.assert_allclose(hessian, np.column_stack(columns), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize('mode', ['forward', 'reverse', 'auto'])
def test_jacobian_of_a_gradient_is_the_hessian_in_every_mode(mode):
    # Reverse mode calls one pullback per output element; the gradient's loop tapes
    # must survive every call.
    x = np.array([0.3, 0.5, 0.7])
    jacobian = adjoint.jacobian(adjoint.grad(loop_and_branch), mode=mode)(x, 4)
    np.testing.assert_allclose(jacobian, adjoint.hessian(loop_and_branch)(x, 4), rtol=1e-10)


def test_hvp_is_the_hessian_times_the_vector():
    rng = np.random.default_rng(1)
    x, v = rng.uniform(0.2, 0.8, size=3), rng.normal(size=3)
    np.testing.assert_allclose(adjoint.hvp(loop_and_branch)(x, 4, v),
                               adjoint.hessian(loop_and_branch)(x, 4) @ v, rtol=1e-12)
    assert adjoint.hvp(rosenbrock, wrt=(0, 1))(-1.0, 2.0, (1.0, 0.0)) == \
        (pytest.approx(402.0), pytest.approx(400.0))


# ---------------------------------------------------------------- Jacobians


ARM_POINTS = [(0.3, -0.5, 1.1), (1.2, 0.4, -0.9), (0.0, 0.0, 0.0)]


@pytest.mark.parametrize('mode', ['forward', 'reverse', 'auto'])
@pytest.mark.parametrize('q', ARM_POINTS)
def test_robot_arm_jacobian_is_the_analytic_one_in_every_mode(q, mode):
    from tests import jacobian_cases as c
    columns = adjoint.jacobian(c.robot_arm, wrt=(0, 1, 2), mode=mode)(*q)
    np.testing.assert_allclose(np.column_stack(columns), c.arm_jacobian(*q), atol=1e-12)
    vector = adjoint.jacobian(c.robot_arm_vector, mode=mode)(np.array(q))
    np.testing.assert_allclose(vector, c.arm_jacobian(*q), atol=1e-12)


@pytest.mark.parametrize('mode', ['forward', 'reverse'])
def test_jacobian_shape_is_the_output_shape_then_the_input_shape(mode):
    from tests import jacobian_cases as c
    x = np.random.default_rng(3).normal(size=(2, 3))
    got = adjoint.jacobian(c.elementwise, mode=mode)(x, 0.7)
    assert got.shape == (2, 3, 2, 3)
    expected = np.zeros((2, 3, 2, 3))
    for index in np.ndindex(2, 3):
        expected[index + index] = 0.7 * (1.0 - np.tanh(0.7 * x[index]) ** 2) + 1.0
    np.testing.assert_allclose(got, expected, atol=1e-12)
    assert adjoint.jacobian(c.elementwise, wrt='w', mode=mode)(x, 0.7).shape == (2, 3)


def test_auto_mode_picks_the_cheaper_direction():
    wide = adjoint.jacobian(lambda x: np.sum(x * x), mode='auto')
    wide(np.ones(5))
    assert 'backward' in wide.source  # one output, five inputs: one pullback
    tall = adjoint.jacobian(lambda t: np.array([t, t * t, t * t * t]), mode='auto')
    tall(0.5)
    assert tall.source.startswith('def jvp_')  # one input, three outputs: one jvp


def test_jacobian_rejects_an_unknown_mode():
    with pytest.raises(adjoint.AdjointError, match='the modes are'):
        adjoint.jacobian(rosenbrock, mode='sideways')


# ---------------------------------------------------------------- derivatives inside code


def test_a_gradient_called_inside_differentiated_code():
    gradient = adjoint.grad(loop_and_branch)
    v = np.array([0.5, -1.0, 2.0])

    def directional(x):
        return np.sum(gradient(x, 4) * v)
    x = np.array([0.3, 0.5, 0.7])
    np.testing.assert_allclose(adjoint.grad(directional)(x),
                               adjoint.hessian(loop_and_branch)(x, 4) @ v, rtol=1e-10)
    out, tangent = adjoint.jvp(directional, (x,), (v,))
    assert tangent == pytest.approx(v @ adjoint.hessian(loop_and_branch)(x, 4) @ v)


def test_a_derivative_called_inside_differentiated_code():
    slope = adjoint.derivative(rosenbrock)

    def steepness(x, y):
        return slope(x, y) ** 2
    point = (0.5, 0.3)
    expected = 2 * slope(*point) * rosenbrock_hessian(*point)[0]
    assert adjoint.grad(steepness, wrt=(0, 1))(*point) == \
        (pytest.approx(expected[0]), pytest.approx(expected[1]))


def branch_in_a_loop(x, n):
    s = 0.0
    for i in range(n):
        if s < 2.0:
            s = s + x * x * (i + 1)
        else:
            s = s * x
    return s


@pytest.mark.parametrize('x', [0.7, 0.3])
def test_second_derivative_through_tapes_of_a_branch_in_a_loop(x):
    """grad(grad(f)) tapes the first gradient's tapes (lists); updating one of them
    in place after saving it would change the saved copy."""
    gradient = adjoint.grad(branch_in_a_loop)
    expected = (gradient(x + 1e-6, 4) - gradient(x - 1e-6, 4)) / 2e-6
    assert adjoint.grad(adjoint.grad(branch_in_a_loop))(x, 4) == pytest.approx(expected)
    assert adjoint.derivative(adjoint.grad(branch_in_a_loop))(x, 4) == pytest.approx(expected)
