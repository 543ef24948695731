"""More of Python in a differentiated function: `assert` statements, and variables
first assigned inside a loop and read after it.

Each program (tests/frontend_cases.py) is checked against central finite
differences (`check_grads`, both modes) at several points, and its Hessian
(forward over reverse mode) against finite differences of its gradient. Where the
function raises — an `assert` that fails, a variable read after a loop that ran
no iteration — every derivative raises the same exception with the same message.
"""

import ast
import inspect

import numpy as np
import pytest

import adjoint
from adjoint.rules import TABLE
from adjoint.testing import check_grads
from tests import frontend_cases as cases
from transforms import pipeline

PROGRAMS = [pytest.param(fn, points, wrt, id=fn.__name__)
            for fn, points, wrt in cases.PROGRAMS]


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


def derivatives(fn, args):
    """Every API's derivative of `fn` in its first argument, as functions of `args`."""
    tangents = (np.ones_like(args[0]) if isinstance(args[0], np.ndarray) else 1.0,) + \
        (None,) * (len(args) - 1)
    first = adjoint.jacobian(fn) if isinstance(args[0], np.ndarray) else \
        adjoint.derivative(fn)
    return {'grad': adjoint.grad(fn), 'value_and_grad': adjoint.value_and_grad(fn),
            'forward': first, 'hessian': adjoint.hessian(fn),
            'jvp': lambda *a: adjoint.jvp(fn)(a, tangents)}


def raises_as_the_function(fn, args, exception):
    """Every derivative of `fn` at `args` raises what `fn` raises there, with its
    message."""
    with pytest.raises(exception) as primal:
        fn(*args)
    for name, derivative in derivatives(fn, args).items():
        with pytest.raises(exception) as info:
            derivative(*args)
        assert str(info.value) == str(primal.value), name


def source_of(fn, kinds, mode='grad', wrt='x'):
    """The generated gradient (or, for mode 'jvp', tangent) of `fn` for `kinds`."""
    if mode == 'jvp':
        return pipeline.tangent_stage_text(fn, 'emit', (wrt,), TABLE, kinds)
    return pipeline.stage_text(fn, 'emit', wrt, TABLE, kinds)


def primal_lines(source):
    """The lines of generated `source` before its backward sweep begins."""
    lines = source.splitlines()
    start = next((k for k, line in enumerate(lines) if '# adjoint of line' in line),
                 len(lines))
    return lines[:start]


def assert_lines(source):
    return [line for line in source.splitlines() if line.strip().startswith('assert ')]


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_gradient_matches_finite_differences(fn, points, wrt):
    for args in points:
        check_grads(fn, args, wrt=wrt)


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_hessian_matches_finite_differences_of_the_gradient(fn, points, wrt):
    for args in points:
        np.testing.assert_allclose(adjoint.hessian(fn)(*args), numerical_hessian(fn, args),
                                   rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_the_primal_round_trip_computes_the_same_values(fn, points, wrt):
    lowered, _ = pipeline.primal_function(fn)
    for args in points:
        np.testing.assert_array_equal(lowered(*args), fn(*args))


# ---------------------------------------------------------------- assert


@pytest.mark.parametrize('fn, args', [
    (cases.assert_first, (-1.0,)),
    (cases.assert_in_loop, (20.0, 4)),            # fails in the third iteration
    (cases.assert_in_branches, (1.5,)),
    (cases.assert_in_branches, (-1.5,)),
    (cases.assert_in_while, (200.0,)),
    (cases.assert_in_a_helper, (np.array([0.1, np.nan, 0.3]), 0.7)),
    (cases.assert_in_a_helper, (cases.V * 40.0, 3.0)),
    (cases.assert_in_a_local_function, (-2.0,)),
    (cases.with_an_assert, (0.5, [1.0, -2.0])),
], ids=lambda value: getattr(value, '__name__', ''))
def test_a_derivative_raises_where_its_assert_fails(fn, args):
    raises_as_the_function(fn, args, AssertionError)


def test_the_message_is_computed_only_when_the_assert_fails():
    x = np.array([1.0, 2.0, 3.0])  # the message would divide by zero
    check_grads(cases.assert_with_a_computed_message, (x,))
    with pytest.raises(AssertionError, match='bad: 0.25'):
        adjoint.grad(cases.assert_with_a_computed_message)(x + 4.0)


def test_the_assert_reads_as_the_user_wrote_it():
    source = source_of(cases.assert_first, {'x': 'float'})
    line = cases.assert_first.__code__.co_firstlineno + 2  # after `@program` and `def`
    assert f"    # line {line}: assert x > 0.0, 'x must be positive'\n" \
           f"    assert x > 0.0, 'x must be positive'\n" in source
    message = source_of(cases.assert_with_a_computed_message, {'x': 'vector'})
    assert "assert np.all(x < 5.0), 'bad: %s' % (1.0 / (x[0] - 1.0))\n" in message


@pytest.mark.parametrize('fn, kinds', [
    (cases.assert_in_loop, {'x': 'float', 'n': 'int'}),
    (cases.assert_in_while, {'x': 'float'}),
    (cases.assert_in_branches, {'x': 'float'}),
], ids=lambda value: getattr(value, '__name__', ''))
def test_an_assert_is_checked_in_the_primal_sweep_only(fn, kinds):
    source = source_of(fn, kinds)
    asserts = assert_lines(source)
    assert asserts and all(line in primal_lines(source) for line in asserts), source
    assert len(asserts) == len(assert_lines(inspect.getsource(fn)))
    assert len(assert_lines(source_of(fn, kinds, 'jvp'))) == len(asserts)


def test_an_assert_in_a_loop_is_checked_on_every_iteration():
    source = source_of(cases.assert_in_loop, {'x': 'float', 'n': 'int'})
    loop = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.For))
    assert any(isinstance(n, ast.Assert) for n in loop.body)


def test_the_optimizer_keeps_an_assert_whose_value_nothing_needs():
    assert adjoint.grad(cases.bounded)(1.0, 3) == 2.0
    for derivative in (adjoint.grad, adjoint.derivative, adjoint.hessian):
        with pytest.raises(AssertionError, match='too far'):
            derivative(cases.bounded)(4.0, 3)


def test_a_helper_checks_its_assert_in_its_forward_function_only():
    forward, backward = pipeline._compile_pair(cases.checked_layer, ('h', 'w'),
                                               {'h': 'vector', 'w': 'float'}, TABLE,
                                               'checked_layer')[2]
    assert "assert np.all(np.isfinite(h)), 'the activations are not finite'" in forward
    assert not assert_lines(backward)


# ---------------------------------------------------------------- first assigned in a loop


UNBOUND = [pytest.param(getattr(cases, name), args, id=name)
           for name, args in cases.UNBOUND_AT.items()]


@pytest.mark.parametrize('fn, args', UNBOUND)
def test_read_after_no_iteration_raises_unbound_local_error(fn, args):
    raises_as_the_function(fn, args, UnboundLocalError)


@pytest.mark.parametrize('fn, args', UNBOUND)
def test_the_primal_round_trip_raises_as_the_function(fn, args):
    lowered, _ = pipeline.primal_function(fn)
    with pytest.raises(UnboundLocalError) as primal:
        fn(*args)
    with pytest.raises(UnboundLocalError, match=str(primal.value)):
        lowered(*args)


def test_a_variable_holds_the_value_of_the_last_iteration():
    assert adjoint.value_and_grad(cases.last_term)(0.5, 4) == (1.5, 3.0)
    assert adjoint.grad(cases.read_in_one_branch_after)(0.3, 0) == 1.0  # not read


def test_the_loop_index_after_the_loop_is_its_last_value_or_the_one_before():
    assert adjoint.grad(cases.index_after_the_loop)(0.5, 3) == pytest.approx(2 * 0.5 * 3 * 2)
    assert adjoint.grad(cases.index_bound_before_the_loop)(0.5, 3) == \
        pytest.approx(1.5 ** 3 * 2)
    assert adjoint.grad(cases.index_bound_before_the_loop)(0.5, 0) == 5.0


def test_last_term_reads_as_the_user_wrote_it():
    """`y` starts as UNBOUND, the loop assigns it, and its read checks it; it
    stays a float, so the seed is 1.0 and the zero of its cotangent 0.0."""
    source = source_of(cases.last_term, {'x': 'float', 'n': 'int'})
    line = cases.last_term.__code__.co_firstlineno + 3
    assert '    y = UNBOUND\n    for i in range(n):\n' in source
    assert f"    # line {line + 2}: return y\n    check_bound(y, 'y')\n" in source
    assert 'scalar_seed' not in source and 'zeros_like' not in source, source
    assert "by, bx = 1.0, 0.0" in source
    tangent = source_of(cases.last_term, {'x': 'float', 'n': 'int'}, 'jvp')
    assert 'y, dy = UNBOUND, UNBOUND' in tangent  # UNBOUND has no derivative
    assert "check_bound(y, 'y')" in tangent


def test_the_layers_of_an_mlp_carry_one_cotangent():
    """`outputs` is `inputs` once a layer ran: the backward loop carries the
    cotangent of one of them, as a hand-written gradient does."""
    source = source_of(cases.mlp_of_params, {'params': ('list', ('tuple', 'array')),
                                             'inputs': 'matrix'}, wrt=('params', 'inputs'))
    assert "check_bound(outputs, 'outputs')" in source
    assert 'boutputs' not in source and source.count('UNBOUND') == 1, source
    rng = np.random.default_rng(3)
    params = [(rng.normal(size=(3, 4)), rng.normal(size=4)),
              (rng.normal(size=(4, 2)), rng.normal(size=2))]
    x = rng.normal(size=(5, 3))
    bparams, bx = adjoint.grad(cases.mlp_of_params, wrt=(0, 1))(params, x)
    expected = adjoint.grad(cases.mlp, wrt=(0, 1, 2, 3, 4))(x, *params[0], *params[1], 2)
    np.testing.assert_allclose(bx, expected[0])
    for got, want in zip([a for layer in bparams for a in layer], expected[1:]):
        np.testing.assert_allclose(got, want)
    with pytest.raises(UnboundLocalError, match="'outputs'"):
        adjoint.grad(cases.mlp_of_params, wrt=(0, 1))([], x)


@pytest.mark.parametrize('fn, kinds', [
    (cases.previous_item, {'x': 'float', 'xs': ('list', 'float')}),
    (cases.read_in_the_next_outer_iteration, {'x': 'float', 'n': 'int'}),
    (cases.while_last, {'x': 'float'}),
    (cases.last_positive, {'x': 'float', 'xs': ('list', 'float')}),
], ids=lambda value: getattr(value, '__name__', ''))
def test_the_unbound_start_leaves_kinds_known(fn, kinds):
    """UNBOUND joins with nothing: a float carried from it stays a float."""
    for mode in ('grad', 'jvp'):
        source = source_of(fn, kinds, mode)
        for generic in ('scalar_seed', 'unbroadcast', 'zeros_like'):
            assert generic not in source, source


def test_a_read_in_the_next_iteration_is_checked_where_it_is_read():
    source = source_of(cases.previous_item, {'x': 'float', 'xs': ('list', 'float')})
    branch = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.If))
    assert "check_bound(prev, 'prev')" in ast.unparse(branch.body)
    assert adjoint.grad(cases.previous_item)(0.5, [-1.0, 2.0]) == \
        pytest.approx(2 * (2.0 * 0.5 + 0.5) * 3.0)


# ---------------------------------------------------------------- functions as values


def test_each_function_passed_in_gets_its_own_version():
    gradient = adjoint.grad(cases.function_passed_in)
    x = np.array([0.3, -0.7, 1.1])
    sines = gradient(x, np.sin)
    cubes = gradient(x, cases._cube)
    again = gradient(x, np.sin)  # the fast path tells the functions apart
    np.testing.assert_array_equal(sines, again)
    assert not np.allclose(sines, cubes)
    check_grads(cases.function_passed_in, (x, np.sin), wrt=(0,))
    check_grads(cases.function_passed_in, (x, cases._cube), wrt=(0,))


def test_a_call_of_a_function_chosen_at_run_time_tests_which_it_is():
    source = source_of(cases.function_chosen_by_a_condition, {'x': 'float', 'relu': 'bool'})
    assert 'is_sin = act is np.sin\n' in source
    assert 'np.tanh(x)' in source and 'np.sin(x)' in source
    assert 'call(' not in source


def test_a_lambda_passed_to_a_helper_reads_the_callers_variables():
    source = source_of(cases.lambda_passed_to_a_helper, {'x': 'float'})
    code = [line for line in source.splitlines()[1:] if not line.strip().startswith('#')]
    assert '    y = np.sin(t1)' in code  # the helper's own variable name
    assert not any('_twice' in line or 'lambda' in line for line in code)  # inlined


def test_a_helper_given_a_lambda_keeps_its_own_globals(tmp_path, monkeypatch):
    # `_apply` reads `scale` from its own module; the caller has another `scale`.
    helper = tmp_path / 'helper_module.py'
    helper.write_text('scale = 10.0\n\ndef apply(f, x):\n    return f(x) * scale\n')
    caller = tmp_path / 'caller_module.py'
    caller.write_text('from helper_module import apply\nscale = 0.5\n\n'
                      'def loss(x):\n    return apply(lambda v: v * v * scale, x)\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    import caller_module
    assert adjoint.grad(caller_module.loss)(3.0) == 10.0 * 0.5 * 2 * 3.0
    check_grads(caller_module.loss, (3.0,))


def test_a_call_of_a_function_not_known_when_compiling_is_rejected():
    with pytest.raises(adjoint.UnsupportedSyntaxError,
                       match=r'frontend_cases\.py:\d+: calling this value is not supported'):
        adjoint.grad(cases.calls_a_made_function)(0.3)


def test_a_held_iterator_is_left_to_python():
    assert adjoint.grad(cases.held_iterator_of_data)(0.5, [1.0, 2.0]) == 3.0
    with pytest.raises(adjoint.UnknownCallableError, match='no derivative rule for `map`'):
        adjoint.grad(cases.held_iterator)(0.5)


def test_star_args_pass_through_needs_the_tuple_built_here():
    with pytest.raises(adjoint.UnsupportedSyntaxError,
                       match=r'`\*parts` in a call needs a tuple or list built in this '
                             r'function'):
        adjoint.grad(cases.star_args_passed_on)(0.5)


def test_a_helper_with_star_args_is_called_packed():
    source = source_of(cases.star_args_helper, {'x': 'matrix', 'h': 'matrix'})
    assert '    args = (x, h)\n' in source
    assert '_concat_and_multiply_forward(W_CELL, args)' in source
    lowered, _ = pipeline.primal_function(cases.star_args_helper)
    x, h = np.array([[0.3], [-0.7]]), np.array([[0.5, 0.1], [-0.2, 0.9]])
    assert lowered(x, h) == cases.star_args_helper(x, h)
