"""More of Python in a differentiated function: `assert` statements.

Each program is checked against central finite differences (`check_grads`, both
modes) at several points, and its Hessian (forward over reverse mode) against
finite differences of its gradient; where the function raises, every derivative
raises the same exception with the same message, at the same point.
"""

import ast
import inspect

import numpy as np
import pytest

import adjoint
from adjoint.rules import TABLE
from adjoint.api import derivative_source
from adjoint.testing import check_grads
from tests import frontend_cases
from transforms import calls, pipeline

from tests.frontend_cases import (V, assert_first, assert_in_a_helper,
                                  assert_in_a_local_function, assert_in_branches,
                                  assert_in_loop, assert_in_while,
                                  assert_with_a_computed_message, bounded, checked_layer)

PROGRAMS = [pytest.param(fn, points, wrt, id=fn.__name__)
            for fn, points, wrt in frontend_cases.PROGRAMS]


def numerical_hessian(fn, args, eps=1e-5):
    """Central differences of adjoint's gradient of `fn` in its first argument."""
    gradient = adjoint.grad(fn)
    x = np.array(args[0], dtype=float)
    columns = []
    for index in np.ndindex(x.shape):
        sides = []
        for sign in (1.0, -1.0):
            moved = x.copy()
            moved[index] += sign * eps
            arg = moved if isinstance(args[0], np.ndarray) else float(moved)
            sides.append(np.asarray(gradient(arg, *args[1:])))
        columns.append((sides[0] - sides[1]) / (2 * eps))
    if not isinstance(args[0], np.ndarray):
        return float(columns[0])
    return np.stack(columns, axis=-1).reshape(x.shape + x.shape)


def check_hessian(fn, args):
    np.testing.assert_allclose(adjoint.hessian(fn)(*args), numerical_hessian(fn, args),
                               rtol=1e-5, atol=1e-6)


def raises_as_the_function(fn, args, exception):
    """Every derivative of `fn` at `args` raises what `fn` raises there, with its
    message."""
    with pytest.raises(exception) as primal:
        fn(*args)
    tangents = tuple(np.ones_like(a) if isinstance(a, np.ndarray) else
                     1.0 if isinstance(a, float) else None for a in args)
    derivatives = [adjoint.grad(fn), adjoint.value_and_grad(fn), adjoint.derivative(fn),
                   adjoint.hessian(fn), lambda *a: adjoint.jvp(fn)(a, tangents)]
    if isinstance(args[0], np.ndarray):
        derivatives[2] = adjoint.jacobian(fn)
    for derivative in derivatives:
        with pytest.raises(exception) as info:
            derivative(*args)
        assert str(info.value) == str(primal.value)


def primal_lines(source):
    """The lines of generated `source` before its backward sweep begins."""
    lines = source.splitlines()
    start = next((k for k, line in enumerate(lines) if '# adjoint of line' in line),
                 len(lines))
    return lines[:start]


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_gradient_matches_finite_differences(fn, points, wrt):
    for args in points:
        check_grads(fn, args, wrt=wrt)


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_hessian_matches_finite_differences_of_the_gradient(fn, points, wrt):
    for args in points:
        check_hessian(fn, args)


@pytest.mark.parametrize('fn, args', [
    (assert_first, (-1.0,)),
    (assert_in_loop, (20.0, 4)),            # fails in the third iteration
    (assert_in_branches, (1.5,)),
    (assert_in_branches, (-1.5,)),
    (assert_in_while, (200.0,)),
    (assert_in_a_helper, (np.array([0.1, np.nan, 0.3]), 0.7)),
    (assert_in_a_helper, (V * 40.0, 3.0)),
    (assert_in_a_local_function, (-2.0,)),
])
def test_a_derivative_raises_where_its_assert_fails(fn, args):
    raises_as_the_function(fn, args, AssertionError)


def test_the_message_is_computed_only_when_the_assert_fails():
    x = np.array([1.0, 2.0, 3.0])  # the message would divide by zero
    check_grads(assert_with_a_computed_message, (x,))
    with pytest.raises(AssertionError, match='bad: 0.25'):
        adjoint.grad(assert_with_a_computed_message)(x + 4.0)


def test_the_assert_reads_as_the_user_wrote_it():
    source = derivative_source(assert_first, kinds={'x': 'float'})
    line = assert_first.__code__.co_firstlineno + 2  # after `@program` and `def`
    assert f"    # line {line}: assert x > 0.0, 'x must be positive'\n" \
           f"    assert x > 0.0, 'x must be positive'\n" in source
    message = derivative_source(assert_with_a_computed_message,
                                        kinds={'x': 'vector'})
    assert "assert np.all(x < 5.0), 'bad: %s' % (1.0 / (x[0] - 1.0))\n" in message


@pytest.mark.parametrize('fn, kinds', [
    (assert_in_loop, {'x': 'float', 'n': 'int'}),
    (assert_in_while, {'x': 'float'}),
    (assert_in_branches, {'x': 'float'}),
])
def test_an_assert_is_checked_in_the_primal_sweep_only(fn, kinds):
    source = derivative_source(fn, kinds=kinds)
    asserts = assert_lines(source)
    assert asserts and all(line in primal_lines(source) for line in asserts), source
    assert len(asserts) == len(assert_lines(inspect.getsource(fn)))
    tangent = pipeline.tangent_stage_text(fn, 'emit', ('x',), TABLE, kinds)
    assert len(assert_lines(tangent)) == len(asserts)


def assert_lines(source):
    return [line for line in source.splitlines() if line.strip().startswith('assert ')]


def test_an_assert_in_a_loop_is_checked_on_every_iteration():
    source = derivative_source(assert_in_loop, kinds={'x': 'float', 'n': 'int'})
    loop = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.For))
    assert any(isinstance(n, ast.Assert) for n in loop.body)


def test_the_optimizer_keeps_an_assert_whose_value_nothing_needs():
    assert adjoint.grad(bounded)(1.0, 3) == 2.0
    with pytest.raises(AssertionError, match='too far'):
        adjoint.grad(bounded)(4.0, 3)
    with pytest.raises(AssertionError, match='too far'):
        adjoint.hessian(bounded)(4.0, 3)


def test_a_helper_checks_its_assert_in_its_forward_function_only():
    forward, backward = calls._compile_pair(checked_layer, ('h', 'w'),
                                            {'h': 'vector', 'w': 'float'}, TABLE,
                                            'checked_layer')[2]
    assert "assert np.all(np.isfinite(h)), 'the activations are not finite'" in forward
    assert not assert_lines(backward)
