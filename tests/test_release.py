"""Generated code deletes the arrays it no longer needs (transforms/analysis/release.py), and
`del` in a differentiated function means what it means in Python: the generated
code of one derivative is the input of the next."""

import ast

import numpy as np
import pytest

import adjoint
from adjoint import api, forward_mode
from adjoint.testing import numerical_grad
from tests import models
from tests.test_control_flow import PROGRAMS
from tests.test_golden import CASES
from tests.test_models import mlp_problem
from transforms.core.errors import UndefinedNameError, UnsupportedSyntaxError


def misplaced_deletes(source):
    """Problems with the top-level `del`s of a generated function: a name deleted
    that was never assigned, or read by a later statement before it is assigned
    again."""
    fn = ast.parse(source).body[0]
    assigned = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
    body = fn.body
    problems = []
    for k, stmt in enumerate(body):
        if not isinstance(stmt, ast.Delete):
            assigned |= {n.id for n in ast.walk(stmt)
                         if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            continue
        for name in (t.id for t in stmt.targets):
            if name not in assigned:
                problems.append(f'line {stmt.lineno}: `{name}` deleted, never assigned')
            for later in body[k + 1:]:
                names = [n for n in ast.walk(later) if isinstance(n, ast.Name) and n.id == name]
                if any(isinstance(n.ctx, ast.Load) for n in names):
                    problems.append(f'line {stmt.lineno}: `{name}` deleted, read on line '
                                    f'{later.lineno}')
                    break
                if names:  # assigned again
                    break
    return problems


def test_misplaced_deletes_can_be_found():
    bad = ('def g(x):\n    y = x * x\n    del y\n    z = y + 1\n    del w\n'
           '    y = z\n    del y\n    return z\n')
    assert misplaced_deletes(bad) == ['line 3: `y` deleted, read on line 4',
                                      'line 5: `w` deleted, never assigned']


def _source_after_call(derivative, args):
    derivative(*args)  # `.source` is the version these arguments' kinds ran
    return derivative.source


def _sources():
    """(id, generated source) of many functions, specialized to the kinds of their
    arguments: every golden case, control-flow program and model."""
    for case in CASES:
        yield f'{case.name} adjoint', api.derivative_source(case.fn, case.wrt, case.kinds)
        yield f'{case.name} tangent', forward_mode.tangent_source(case.fn, case.wrt,
                                                                  case.kinds)
    for param in PROGRAMS:
        fn, points, wrt = param.values
        yield fn.__name__, _source_after_call(adjoint.grad(fn, wrt=wrt), points[0])
    params, x, y = mlp_problem(0)
    arrays = [params[k] for k in ('W1', 'b1', 'W2', 'b2')]
    for fn, args, wrt in [(models.mlp_loss, (params, x, y), 0),
                          (models.mlp_loss_arrays, (*arrays, x, y), (0, 1, 2, 3))]:
        yield fn.__name__, _source_after_call(adjoint.grad(fn, wrt=wrt), args)
        tangents = tuple(a if k in (wrt if isinstance(wrt, tuple) else (wrt,)) else None
                         for k, a in enumerate(args))
        jvp = forward_mode.Jvp(fn)
        jvp(args, tangents)
        yield fn.__name__ + ' tangent', jvp.source


SOURCES = list(_sources())


@pytest.mark.parametrize('source', [s for _, s in SOURCES], ids=[i for i, _ in SOURCES])
def test_a_deleted_name_is_not_read_again(source):
    assert misplaced_deletes(source) == []


def test_arrays_are_released_in_both_modes():
    released = {i for i, source in SOURCES if '\n    del ' in source}
    assert {'tanh_layer adjoint', 'tanh_layer tangent', 'mlp_loss', 'mlp_loss tangent',
            'mlp_loss_arrays', 'mlp_loss_arrays tangent'} <= released


def test_the_mlp_gradient_releases_what_the_backward_sweep_no_longer_reads():
    args = mlp_problem(1)
    gradient = adjoint.grad(models.mlp_loss)
    got = gradient(*args)
    want = models.mlp_grad(*args)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-8, atol=1e-10)
    lines = gradient.source.splitlines()
    tanh = next(k for k, line in enumerate(lines) if line.strip().startswith('h = np.tanh('))
    assert lines[tanh + 1].strip().startswith('del ')  # the pre-activation goes at once


def test_scalars_and_generic_code_are_not_released():
    scalar = next(case for case in CASES if case.name == 'rosenbrock')
    assert 'del ' not in api.derivative_source(scalar.fn, scalar.wrt, scalar.kinds)
    assert 'del ' not in api.derivative_source(models.mlp_loss, 0, None)


def test_the_hessian_through_a_gradient_that_releases_arrays():
    def layer(w, x):
        h = np.tanh(w * x + 0.5)
        return np.sum(h * h * x)

    rng = np.random.default_rng(3)
    x = rng.normal(size=4)
    gradient = adjoint.grad(layer)
    for _ in range(2):
        w = rng.normal(size=4)
        gradient(w, x)
        assert 'del ' in gradient.source
        hessian = adjoint.hessian(layer)(w, x)
        columns = [numerical_grad(lambda w, x: gradient(w, x)[k], (w, x), 0) for k in range(4)]
        np.testing.assert_allclose(hessian, np.array(columns), rtol=1e-6, atol=1e-8)
        second = adjoint.grad(lambda w, x: np.sum(gradient(w, x) ** 2))(w, x)
        want = numerical_grad(lambda w, x: np.sum(gradient(w, x) ** 2), (w, x), 0)
        np.testing.assert_allclose(second, want, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- `del` in user code


def drops_a_temporary(x, w):
    y = np.sin(x * w)
    z = y * y
    del y
    return np.sum(z * w)


@pytest.mark.parametrize('seed', [0, 1])
def test_a_user_del_is_differentiated_like_the_function_without_it(seed):
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=3), float(rng.normal())
    bx, bw = adjoint.grad(drops_a_temporary, wrt=(0, 1))(x, w)
    np.testing.assert_allclose(bx, numerical_grad(drops_a_temporary, (x, w), 0), rtol=1e-6)
    assert bw == pytest.approx(numerical_grad(drops_a_temporary, (x, w), 1), rel=1e-6)


def reads_after_del(x):
    y = x * 2.0
    del y
    return y


def deletes_an_item(x):
    d = [x, x * x]
    del d[0]
    return d[0]


def deletes_in_a_branch(x):
    y = x * 2.0
    if x > 0.0:
        del y
    return y


@pytest.mark.parametrize('fn, error, message', [
    (reads_after_del, UndefinedNameError, 'it is deleted on line'),
    (deletes_an_item, UnsupportedSyntaxError, '`del` is supported for names only'),
    (deletes_in_a_branch, UndefinedNameError, 'only one branch'),
])
def test_a_misused_del_is_an_error_naming_the_line(fn, error, message):
    with pytest.raises(error) as info:
        adjoint.grad(fn)(1.0)
    text = str(info.value)
    assert message in text and 'test_release.py' in text
