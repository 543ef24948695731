"""vjp (non-scalar outputs) and reverse-mode Jacobians."""

import numpy as np
import pytest

import adjoint
from adjoint.api import jacobian_reverse
from adjoint.testing import numerical_grad
from tests import jacobian_cases as c

ANGLES = [(0.3, -0.5, 1.1), (1.2, 0.4, -0.9), (0.0, 0.0, 0.0)]


def _numerical_jacobian(fn, args, k, eps=1e-6):
    columns = []
    x = np.atleast_1d(np.asarray(args[k], dtype=float)).ravel()
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = eps
        shift = lambda d: args[:k] + ((x + d).reshape(np.shape(args[k])) if np.ndim(args[k])  # noqa: E731
                                      else float(x[0] + d[0]),) + args[k + 1:]
        up, down = np.asarray(fn(*shift(step)), float), np.asarray(fn(*shift(-step)), float)
        columns.append((up - down) / (2 * eps))
    return np.stack(columns, axis=-1).reshape(np.shape(fn(*args)) + np.shape(args[k]))


@pytest.mark.parametrize('q', ANGLES)
def test_robot_arm_jacobian_matches_the_analytic_one(q):
    columns = [jacobian_reverse(c.robot_arm, wrt=k)(*q) for k in range(3)]
    np.testing.assert_allclose(np.column_stack(columns), c.arm_jacobian(*q), atol=1e-12)
    together = jacobian_reverse(c.robot_arm, wrt=(0, 1, 2))(*q)
    np.testing.assert_allclose(np.column_stack(together), c.arm_jacobian(*q), atol=1e-12)


@pytest.mark.parametrize('q', ANGLES)
def test_jacobian_of_a_vector_function_returning_a_tuple(q):
    got = jacobian_reverse(c.robot_arm_vector)(np.array(q))
    assert got.shape == (3, 3)
    np.testing.assert_allclose(got, c.arm_jacobian(*q), atol=1e-12)


def test_jacobian_shape_is_output_shape_plus_input_shape():
    rng = np.random.default_rng(3)
    for x in (rng.normal(size=3), rng.normal(size=(2, 3))):
        got = jacobian_reverse(c.elementwise)(x, 0.7)
        assert got.shape == x.shape + x.shape
        np.testing.assert_allclose(got, _numerical_jacobian(c.elementwise, (x, 0.7), 0),
                                   atol=1e-7)
        w_column = jacobian_reverse(c.elementwise, wrt=1)(x, 0.7)
        assert w_column.shape == x.shape


def test_vjp_with_an_array_cotangent_is_the_dot_product_of_the_jacobian():
    rng = np.random.default_rng(4)
    x, w = rng.normal(size=4), 1.3
    out, pullback = adjoint.vjp(c.elementwise, x, w)
    np.testing.assert_allclose(out, c.elementwise(x, w))
    for _ in range(2):
        cotangent = rng.normal(size=4)
        bx, bw = pullback(cotangent)
        scalar = lambda x, w: float(np.dot(c.elementwise(x, w), cotangent))  # noqa: E731
        np.testing.assert_allclose(bx, numerical_grad(scalar, (x, w), 0), atol=1e-7)
        assert bw == pytest.approx(numerical_grad(scalar, (x, w), 1), abs=1e-7)
    assert 'elementwise_backward' in pullback.source


def running_product(x, n):
    p = x
    for _ in range(n):
        if np.sum(p) > 1.0:
            p = p * 0.5
        p = p * x
    return p


def test_a_pullback_of_a_loop_can_be_called_again():
    # The backward sweep pops the tapes of the forward sweep; each call needs its own.
    x = np.array([0.9, 0.5, 0.7])
    out, pullback = adjoint.vjp(running_product, x, 4)
    np.testing.assert_allclose(out, running_product(x, 4))
    first = pullback(np.array([1.0, 0.0, 0.0]))[0]
    again = pullback(np.array([1.0, 0.0, 0.0]))[0]
    np.testing.assert_array_equal(first, again)
    for k in range(3):
        row = pullback(np.eye(3)[k])[0]
        numeric = numerical_grad(lambda x, n: running_product(x, n)[k], (x, 4), 0)
        np.testing.assert_allclose(row, numeric, rtol=1e-6, atol=1e-8)
