"""`backend='numba'` (adjoint/numba_backend.py): the same numbers as the Python
backend, to rounding, for every API; finite differences at two points; the
source Numba compiles; the cache; and clean errors for what Numba cannot compile.

Skipped where Numba is not installed (it is an optional extra; CI installs it on
one Python version).
"""

import importlib
import re
import sys

import numpy as np
import pytest

numba = pytest.importorskip('numba')

import adjoint  # noqa: E402
from adjoint import cache, numba_backend, runtime  # noqa: E402
from adjoint.testing import numerical_grad  # noqa: E402
from tests import numba_cases as cases  # noqa: E402

# name -> two points; every argument that is not a list is differentiated.
POINTS = {
    'euler': [(0.5, 0.3), (-1.2, 0.7)],
    'euler_math': [(0.4, 0.2), (1.5, -0.3)],
    'countdown': [(0.3, 1.2), (-0.7, 0.4)],
    'piecewise': [(0.5, 1.5), (-0.8, 0.3)],  # both branches
    'doubling': [(0.7, 0.3), (3.1, 1.1)],
    'with_helper': [(0.4, 0.8), (-0.9, 1.3)],
    'oscillator': [(1.0, 0.0, 2.0), (0.3, -0.5, 0.7)],
    'nested': [(0.3, 0.2), (1.1, -0.6)],
    'regression': [(0.5, 0.1, [1.0, 2.0, 3.0], [2.0, 4.1, 5.9]),
                   (-1.0, 2.0, [0.5, -1.5], [1.0, 0.0])],
    'vector_loss': [(np.array([0.1, 0.2, 0.3]), 0.7), (np.array([-1.0, 0.5]), -0.2)],
    'matrix_loss': [(np.arange(6.0).reshape(2, 3) / 5, np.array([0.3, -0.2, 0.5])),
                    (np.ones((3, 2)) * 0.1, np.array([1.0, -2.0]))],
    'nbody_loop': [(np.array([0.0, 1.0, 2.5]), 1.5), (np.array([0.3, -0.4, 0.9, 2.0]), 0.6)],
    'integer_powers': [(0.7, 1.3), (-1.1, 0.4)],
    'clipped_steps': [(0.7, 1.3), (0.2, 0.5)],  # both branches
    'nested_carried': [(0.3, 0.9), (-0.8, 1.1)],
    'relu_energy': [(np.array([0.5, -1.0, 2.0]), 1.5), (np.array([-0.3, 0.7]), -0.8)],
    'ties_split': [(np.array([1.0, 2.0, 1.0]), 0.7), (np.array([0.5, -1.0, 2.0, 0.5]), 1.3)],
    'list_total': [(0.5, 1.5), (-1.2, 0.3)],
    'row_sums': [(np.arange(6.0).reshape(2, 3) / 5, 0.7), (np.ones((3, 2)) * 0.3, -1.1)],
    'array_total': [(np.array([0.5, -1.0, 2.0]), 1.5), (np.array([-0.3, 0.7]), -0.8)],
}
CASES = [(name, k) for name in POINTS for k in range(2)]


def _wrt(args):
    return tuple(k for k, arg in enumerate(args) if not isinstance(arg, list))


def _same(a, b):
    """Equal to rounding, item by item, through tuples."""
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
        return
    assert np.shape(a) == np.shape(b)
    np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize('name,k', CASES)
def test_grad_matches_python_and_finite_differences(name, k):
    fn, args = getattr(cases, name), POINTS[name][k]
    wrt = _wrt(args)
    compiled = adjoint.grad(fn, wrt=wrt, backend='numba')(*args)
    _same(adjoint.grad(fn, wrt=wrt)(*args), compiled)
    for i, arg in zip(wrt, compiled):
        np.testing.assert_allclose(arg, numerical_grad(fn, args, i), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('name', list(POINTS))
def test_value_and_grad_vjp_and_jvp_match_python(name):
    fn, args = getattr(cases, name), POINTS[name][0]
    wrt = _wrt(args)
    _same(adjoint.value_and_grad(fn, wrt=wrt)(*args),
          adjoint.value_and_grad(fn, wrt=wrt, backend='numba')(*args))
    if len(wrt) == len(args):
        rng = np.random.default_rng(0)
        tangents = tuple(rng.normal(size=np.shape(a)) if np.ndim(a) else float(rng.normal())
                         for a in args)
        _same(adjoint.jvp(fn, args, tangents),
              adjoint.jvp(fn, args, tangents, backend='numba'))
        out, pullback = adjoint.vjp(fn, *args)
        out_numba, pullback_numba = adjoint.vjp(fn, *args, backend='numba')
        _same(out, out_numba)
        _same(pullback(1.0), pullback_numba(1.0))


@pytest.mark.parametrize('name', ['euler', 'piecewise', 'oscillator', 'nested'])
def test_derivative_hessian_and_hvp_match_python(name):
    fn, args = getattr(cases, name), POINTS[name][1]
    _same(adjoint.derivative(fn, 1)(*args), adjoint.derivative(fn, 1, backend='numba')(*args))
    wrt = tuple(range(len(args)))
    _same(adjoint.hessian(fn, wrt)(*args), adjoint.hessian(fn, wrt, backend='numba')(*args))
    v = tuple(0.5 + k for k in wrt)
    _same(adjoint.hvp(fn, wrt)(*args, v), adjoint.hvp(fn, wrt, backend='numba')(*args, v))


@pytest.mark.parametrize('name, made', [
    ('euler', [r'tape_y = float_tape\(steps\)']),
    ('integer_powers', [r'tape_m = int_tape\(12\)', r'tape_t\d+ = float_tape\(12\)']),
    ('clipped_steps', [r'tape_x = float_tape\(13\)', r'tape_t\d+ = bool_tape\(13\)']),
])
def test_tapes_of_numbers_of_a_counted_loop_are_arrays(name, made):
    fn, args = getattr(cases, name), POINTS[name][0]
    source = adjoint.grad(fn, wrt=_wrt(args), backend='numba').source
    for pattern in made:
        assert re.search(pattern, source), pattern
    assert '.append(' not in source and '.pop()' not in source
    python_source = adjoint.grad(fn, wrt=_wrt(args)).source
    assert '_tape(' not in python_source  # lists, which Python appends to faster
    assert python_source.count(' = []') == source.count('_tape(')


def test_a_tape_of_an_inner_loop_stays_a_list():
    source = adjoint.grad(cases.nested_carried, wrt=(0, 1), backend='numba').source
    assert 'tape_s_1 = []' in source or 'tape_s = []' in source
    assert 'tape_s.append(' in source or 'tape_s_1.append(' in source


@pytest.mark.parametrize('n', [0, -2, 1, 3])
def test_array_tapes_of_loops_that_run_no_or_few_times(n):
    args = (0.5, 0.3, 0.01, n)
    for fn in (cases.euler, cases.euler_steps):
        _same(adjoint.grad(fn, wrt=(0, 1))(*args),
              adjoint.grad(fn, wrt=(0, 1), backend='numba')(*args))


def test_a_write_that_rounds_raises_the_python_backends_error():
    x = np.array([0.5, -1.0, 2.0])
    with pytest.raises(adjoint.AdjointError) as python_error:
        adjoint.grad(cases.written_into_ints, wrt=(0, 1))(x, 1.5)
    with pytest.raises(adjoint.AdjointError) as numba_error:
        adjoint.grad(cases.written_into_ints, wrt=(0, 1), backend='numba')(x, 1.5)
    assert str(numba_error.value) == str(python_error.value)
    assert 'array of dtype int64, which rounds it' in str(numba_error.value)


@pytest.mark.parametrize('axis, keepdims', [(1, False), (0, False), (-1, False), (-2, True),
                                           (1, True)])
def test_the_cotangent_of_a_reduction_over_one_axis_is_put_back_as_in_python(axis, keepdims):
    importlib.import_module('adjoint.numba_runtime')  # registers the Numba versions
    from adjoint.rules.numpy_helpers import keep_dims, unreduce
    x = np.arange(6.0).reshape(2, 3)
    g = np.sum(x, axis=axis, keepdims=keepdims) * 0.5 + 1.0
    if keepdims:
        put_back = numba.njit(lambda g, x, axis: (keep_dims(g, x, axis, True),
                                                  unreduce(g, x, axis, True)))
    else:
        put_back = numba.njit(lambda g, x, axis: (keep_dims(g, x, axis), unreduce(g, x, axis)))
    kept, spread = put_back(g, x, axis)
    np.testing.assert_array_equal(kept, keep_dims(g, x, axis, keepdims))
    np.testing.assert_array_equal(spread, unreduce(g, x, axis, keepdims))
    assert spread.shape == x.shape and spread.flags.writeable


def test_a_tuple_argument_gets_a_tuple_gradient():
    g = adjoint.grad(cases.tuple_state, wrt=(0, 1), backend='numba')
    _same(adjoint.grad(cases.tuple_state, wrt=(0, 1))((1.0, 0.5), 2.0), g((1.0, 0.5), 2.0))
    assert isinstance(g((1.0, 0.5), 2.0)[0], tuple)


def test_source_is_what_numba_compiled():
    g = adjoint.grad(cases.countdown, wrt=(0, 1), backend='numba')
    g(0.3, 1.2)
    source = g.source
    assert 'reversed(' not in source
    assert 'for i in range(20 + (len(range(20, 2, -3)) - 1) * -3, 20 - -3, --3):' in source
    assert '# adjoint of line' in source  # comments kept
    python_function = g._last[0].py_func  # the dispatcher compiles this function
    assert python_function.__adjoint_source__ == source
    helpers = adjoint.grad(cases.with_helper, backend='numba')
    helpers(0.4, 0.8)
    assert helpers.helpers and all('reversed(' not in h for h in helpers.helpers.values())


def test_compiled_once_per_kinds_and_kept_apart_from_python():
    cache.clear()
    g = adjoint.grad(cases.euler, wrt=(0, 1), backend='numba')
    assert g is adjoint.grad(cases.euler, wrt=(0, 1), backend='numba')
    assert g is not adjoint.grad(cases.euler, wrt=(0, 1))
    g(0.5, 0.3)
    compiled = cache.stats['compile']
    first = g._last[0]
    assert isinstance(first, numba.core.registry.CPUDispatcher)
    g(0.7, 0.1)
    assert cache.stats['compile'] == compiled and g._last[0] is first
    assert type(adjoint.grad(cases.euler, wrt=(0, 1))(0.5, 0.3)[1]) is not float
    assert type(g(0.5, 0.3)[1]) is float  # Numba's float, the same number


def test_a_changed_global_is_seen(tmp_path, monkeypatch):
    """Numba freezes the globals it reads; adjoint folds numbers it reads into the
    code and checks them on each call, so the compiled code is never stale."""
    (tmp_path / 'numba_globals.py').write_text('K = 2.0\n\n\ndef f(x):\n    return K * x * x\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module('numba_globals')
    try:
        g = adjoint.grad(module.f, backend='numba')
        assert g(3.0) == 12.0
        module.K = 5.0
        assert g(3.0) == 30.0
    finally:
        sys.modules.pop('numba_globals')


def test_a_derivative_raises_where_its_function_raises():
    with pytest.raises(ZeroDivisionError):
        cases.reciprocal(0.0)
    with pytest.raises(ZeroDivisionError):
        adjoint.grad(cases.reciprocal, backend='numba')(0.0)
    assert adjoint.grad(cases.reciprocal, backend='numba')(0.5) == -4.0


@pytest.mark.parametrize('name,x,error', [('log_twice', -1.0, ValueError),
                                          ('sqrt_imported', -4.0, ValueError),
                                          ('exp_scaled', 1000.0, OverflowError)])
def test_math_raises_as_in_python_where_numba_would_not(name, x, error):
    """Numba's math.log(-1.0) is NaN; Python's raises, so the derivative must."""
    fn = getattr(cases, name)
    with pytest.raises(error):
        fn(x)
    for backend in ('python', 'numba'):
        with pytest.raises(error):
            adjoint.grad(fn, backend=backend)(x)
    assert adjoint.grad(fn, backend='numba')(2.0) == adjoint.grad(fn)(2.0)


def test_a_dict_argument_is_rejected_naming_it():
    with pytest.raises(adjoint.BackendError, match=r"`params` of `keyed` is a dict.*"
                                                   r"backend='python'"):
        adjoint.grad(cases.keyed, backend='numba')({'w': 2.0}, 3.0)


def test_a_global_array_is_rejected_naming_it():
    with pytest.raises(adjoint.BackendError, match=r'array `G`, a global.*pass `G` as an '
                                                   r'argument'):
        adjoint.grad(cases.reads_global_array, backend='numba')(np.ones(3))


def test_what_numba_cannot_compile_names_the_users_line():
    with pytest.raises(adjoint.BackendError) as info:
        adjoint.grad(cases.calls_sorted, backend='numba')(0.3, 0.5)
    message = str(info.value)
    assert "Numba cannot compile Untyped global name 'sort_order'" in message
    assert 'numba_cases.py:' in message and '`for v in sorted([x, a]):`' in message
    assert "backend='python'" in message and '\x1b[' not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    # the Python backend runs it
    assert adjoint.grad(cases.calls_sorted, wrt=(0, 1))(0.3, 0.5) == (0.6, 1.0)


def test_an_unknown_backend_and_a_missing_numba_are_clear(monkeypatch):
    with pytest.raises(adjoint.AdjointError, match="unknown backend 'jax'"):
        adjoint.grad(cases.euler, backend='jax')
    real = importlib.import_module

    def without_numba(name, *args):
        if name == 'numba':
            raise ImportError('No module named numba')
        return real(name, *args)

    monkeypatch.setattr(numba_backend.importlib, 'import_module', without_numba)
    for make in (lambda: adjoint.grad(cases.doubling, backend='numba'),
                 lambda: adjoint.jvp(cases.doubling, backend='numba'),
                 lambda: adjoint.vjp(cases.doubling, 1.0, 2.0, backend='numba'),
                 lambda: adjoint.derivative(cases.doubling, backend='numba')):
        with pytest.raises(adjoint.AdjointError, match=r'pip install "adjoint\[numba\]"'):
            make()


@pytest.mark.parametrize('args', [(), (5,), (2, 9), (9, 2), (1, 10, 3), (10, 1, -3),
                                  (0, 0), (4, 4, 2), (-3, 7, 4), (7, -3, -4), (5, 0, -1)])
def test_a_reversed_range_counts_down_alike(args):
    text = ', '.join(map(str, args)) if args else 'n'
    source = f'def f(n):\n    out = []\n    for i in reversed(range({text})):\n' \
             f'        out.append(i)\n    return out\n'
    rewritten, _ = numba_backend.numba_source(source, (None,) * 5)
    assert 'reversed' not in rewritten
    namespace = {}
    exec(rewritten, namespace)  # noqa: S102
    n = 6
    assert namespace['f'](n) == list(reversed(range(*(args or (n,)))))


def test_del_goes_and_lines_follow():
    source = ('def f(x):\n    t1 = x * 2.0\n    # line 3\n    y = t1 + 1.0\n    del t1\n'
              '    if y > 0.0:\n        del y\n    return x\n')
    rewritten, lines = numba_backend.numba_source(source, (1, 2, 3, 3, 3, 4, 4, 5))
    assert rewritten == ('def f(x):\n    t1 = x * 2.0\n    # line 3\n    y = t1 + 1.0\n'
                         '    if y > 0.0:\n        pass\n    return x\n')
    assert lines == (1, 2, 3, 3, 4, 4, 5)


@pytest.mark.parametrize('g_shape,x_shape', [((), ()), ((3,), ()), ((), (3,)), ((3,), (3,)),
                                             ((3,), (1,)), ((4, 3), (3,)), ((4, 3), (1,)),
                                             ((4, 3), (4, 3)), ((4, 3), (1, 3)),
                                             ((4, 3), (4, 1)), ((4, 3), (1, 1))])
def test_unbroadcast_compiled_agrees_with_python(g_shape, x_shape):
    rng = np.random.default_rng(1)
    g = rng.normal(size=g_shape) if g_shape else 1.5
    x = rng.normal(size=x_shape) if x_shape else 0.5

    @numba.njit
    def compiled(g, x):
        return runtime.unbroadcast(g, x)

    _same(runtime.unbroadcast(g, x), compiled(g, x))

