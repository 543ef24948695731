"""`raise` in a differentiated function: kept in the primal sweep, in both
modes and in derivatives of derivatives, so a derivative raises what and where
its function raises; on the other paths, checked against central differences."""

import re

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads
from tests import raise_cases as cases


@pytest.mark.parametrize('x', [0.5, 2.0])
def test_a_check_that_passes_leaves_the_derivative_of_the_path(x):
    check_grads(cases.checked_sqrt, (x,), order=2)
    check_grads(cases.raises_from, (x,), order=2)
    check_grads(cases.checked_in_a_loop, (x, 4))


@pytest.mark.parametrize('make', [
    lambda f: adjoint.grad(f), lambda f: adjoint.value_and_grad(f),
    lambda f: (lambda x: adjoint.jvp(f, (x,), (1.0,))), lambda f: adjoint.derivative(f),
    lambda f: adjoint.hessian(f), lambda f: adjoint.grad(adjoint.grad(f))])
def test_every_derivative_raises_what_the_function_raises(make):
    with pytest.raises(ValueError, match='checked_sqrt needs x >= 0') as info:
        make(cases.checked_sqrt)(-1.0)
    assert any('raise_cases.py:11' in note for note in info.value.__notes__)
    with pytest.raises(ArithmeticError, match='too large') as info:
        make(cases.raises_from)(6.0)
    assert isinstance(info.value.__cause__, OverflowError)


def test_a_raise_in_a_loop_and_in_a_helper():
    with pytest.raises(RuntimeError, match='diverged'):
        cases.checked_in_a_loop(1.5, 20)
    with pytest.raises(RuntimeError, match='diverged'):
        adjoint.grad(cases.checked_in_a_loop)(1.5, 20)
    with pytest.raises(RuntimeError, match='diverged'):
        adjoint.jvp(cases.checked_in_a_loop, (1.5, 20), (1.0, None))
    v = np.array([0.5, 2.0, 3.0])
    check_grads(cases.scaled_checked, (v, 1.5))
    with pytest.raises(ValueError, match='all entries must be positive'):
        adjoint.grad(cases.scaled_checked)(-v, 1.5)
    with pytest.raises(ValueError, match='all entries must be positive'):
        adjoint.jvp(cases.scaled_checked, (-v, 1.5), (v, 0.0))


def test_the_generated_code_raises_as_the_function_does():
    source = adjoint.grad(cases.raises_from).source
    assert '# line 17: raise ArithmeticError' in source
    assert re.search(r'^ +raise t\d+ from t\d+$', source, re.M)  # a statement, not a call
