"""The cache never hands back a stale derivative, and tells callees apart by object.

Each test changes something compiled code depends on — a helper's definition, a
global, a closure variable, the rule table — and checks, against finite
differences, both a derivative made before the change and one made after it, in
both modes.
"""

import importlib
import inspect
import itertools
import linecache
import sys
import types

import numpy as np
import pytest

import adjoint
from adjoint import cache
from adjoint.testing import check_grads, numerical_grad

_cells = itertools.count(1)


def run_cell(namespace, source):
    """Run `source` in `namespace` as a notebook does: under a name `inspect`
    finds in `linecache`."""
    filename = f'<notebook cell {next(_cells)}>'
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, 'exec'), namespace)  # noqa: S102


def notebook():
    module = types.ModuleType('notebook')
    module.__dict__['np'] = np
    return module.__dict__


def assert_derivatives_match(fn, held, points):
    """`fn`'s derivatives made now (`check_grads`, both modes), and the ones in
    `held` (a grad and a jvp made before a change), agree with finite differences."""
    for x in points:
        check_grads(fn, (x,))
        expected = numerical_grad(fn, (x,), 0)
        assert held['grad'](x) == pytest.approx(expected, rel=1e-6)
        assert held['jvp']((x,), (1.0,))[1] == pytest.approx(expected, rel=1e-6)


def held_derivatives(fn, x):
    held = {'grad': adjoint.grad(fn), 'jvp': adjoint.jvp(fn)}
    held['grad'](x)
    held['jvp']((x,), (1.0,))
    return held


POINTS = (0.7, -1.3)


# --- stale derivatives ----------------------------------------------------------


def test_a_helper_redefined_in_a_notebook_cell():
    ns = notebook()
    run_cell(ns, 'def helper(x):\n    return x * x\n\n'
                 'def outer(x):\n    return helper(x) + np.sin(x)\n')
    held = held_derivatives(ns['outer'], 0.5)
    assert_derivatives_match(ns['outer'], held, POINTS)
    run_cell(ns, 'def helper(x):\n    return x * x * x\n')
    assert_derivatives_match(ns['outer'], held, POINTS)


def test_a_helper_two_calls_deep_redefined():
    ns = notebook()
    run_cell(ns, 'def inner(x):\n    return np.cos(x)\n\n'
                 'def mid(x):\n    return inner(x) * x\n\n'
                 'def outer(x):\n    return mid(x) + x\n')
    held = held_derivatives(ns['outer'], 0.5)
    run_cell(ns, 'def inner(x):\n    return np.exp(x)\n')
    assert_derivatives_match(ns['outer'], held, POINTS)


def test_a_global_the_function_or_a_helper_reads():
    ns = notebook()
    run_cell(ns, 'SCALE = 2.0\nPOWER = 2\n\n'
                 'def helper(x):\n    return x ** POWER\n\n'
                 'def outer(x):\n    return SCALE * helper(x)\n')
    held = held_derivatives(ns['outer'], 0.5)
    ns['SCALE'] = 10.0
    assert_derivatives_match(ns['outer'], held, POINTS)
    ns['POWER'] = 3
    assert_derivatives_match(ns['outer'], held, POINTS)


def test_a_global_array_rebound_and_changed_in_place():
    ns = notebook()
    run_cell(ns, 'W = np.array([1.0, 2.0])\n\n'
                 'def outer(x):\n    return np.sum(W * x * x)\n')
    held = held_derivatives(ns['outer'], 0.5)
    ns['W'] = np.array([3.0, -1.0])
    assert_derivatives_match(ns['outer'], held, POINTS)
    ns['W'][0] = 7.0
    assert_derivatives_match(ns['outer'], held, POINTS)


def test_a_class_attribute_the_function_or_a_helper_reads():
    ns = notebook()
    run_cell(ns, 'class Base:\n    power = 2\n\n'
                 'class Config(Base):\n    scale = 2.0\n\n'
                 'def helper(x):\n    return x ** Config.power\n\n'
                 'def outer(x):\n    return Config.scale * helper(x)\n')
    held = held_derivatives(ns['outer'], 0.5)
    ns['Config'].scale = 10.0
    assert_derivatives_match(ns['outer'], held, POINTS)
    ns['Base'].power = 3  # inherited
    assert_derivatives_match(ns['outer'], held, POINTS)


def test_the_functions_own_defaults_changed():
    ns = notebook()
    run_cell(ns, 'def helper(x, n=2):\n    return x ** n\n\n'
                 'def outer(x, scale=2.0):\n    return scale * helper(x)\n')
    held = held_derivatives(ns['outer'], 0.5)
    ns['outer'].__defaults__ = (5.0,)
    assert_derivatives_match(ns['outer'], held, POINTS)
    ns['helper'].__defaults__ = (3,)
    assert_derivatives_match(ns['outer'], held, POINTS)


def test_a_closure_variable_rebound():
    scale = 2.0

    def outer(x):
        return scale * x * x

    held = held_derivatives(outer, 0.5)
    scale = 5.0  # noqa: F841 - read by `outer`
    assert_derivatives_match(outer, held, POINTS)


def test_a_builtin_shadowed_by_a_global():
    ns = notebook()
    run_cell(ns, 'def outer(x):\n    return abs(x) * x\n')
    held = held_derivatives(ns['outer'], 0.5)
    run_cell(ns, 'def abs(x):\n    return x * x\n')
    assert_derivatives_match(ns['outer'], held, POINTS)


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, 'dont_write_bytecode', True)
    yield tmp_path
    for name in ('cache_reloaded', 'cache_helpers', 'cache_user'):
        sys.modules.pop(name, None)


def test_a_module_reloaded(module_dir):
    path = module_dir / 'cache_reloaded.py'
    path.write_text('import math\n\ndef helper(x):\n    return math.sin(x)\n\n'
                    'def outer(x):\n    return helper(x) * x\n')
    module = importlib.import_module('cache_reloaded')
    held = held_derivatives(module.outer, 0.5)
    path.write_text('import math\n\ndef helper(x):\n    return math.exp(2.0 * x)\n\n'
                    'def outer(x):\n    return helper(x) * x\n')
    importlib.invalidate_caches()
    importlib.reload(module)
    assert_derivatives_match(module.outer, held, POINTS)


def test_a_helper_module_reloaded_under_a_caller_in_another(module_dir):
    helpers = module_dir / 'cache_helpers.py'
    helpers.write_text('SCALE = 2.0\n\ndef helper(x):\n    return x * x\n')
    (module_dir / 'cache_user.py').write_text(
        'import cache_helpers\n\n'
        'def outer(x):\n    return cache_helpers.helper(x) * cache_helpers.SCALE\n')
    import cache_helpers
    import cache_user
    held = held_derivatives(cache_user.outer, 0.5)
    helpers.write_text('SCALE = 3.0\n\ndef helper(x):\n    return x * x * x * x\n')
    importlib.invalidate_caches()
    importlib.reload(cache_helpers)
    assert_derivatives_match(cache_user.outer, held, POINTS)


def test_a_rule_registered_after_a_caller_two_calls_up_was_compiled():
    ns = notebook()
    run_cell(ns, 'def inner(x):\n    return x * x\n\n'
                 'def mid(x):\n    return inner(x) * np.sin(x)\n\n'
                 'def outer(x):\n    return mid(x) + x\n')
    held = held_derivatives(ns['outer'], 0.5)
    assert_derivatives_match(ns['outer'], held, POINTS)
    # A rule that is not `inner`'s derivative: what the callers use is the rule.
    sin, cos = np.sin, np.cos

    @adjoint.vjp_rule(ns['inner'])
    def inner_vjp(g, ans, x):
        return (g * 3.0 * x,)

    @adjoint.jvp_rule(ns['inner'])
    def inner_jvp(dx, ans, x):
        return dx * 3.0 * x

    for x in POINTS:
        want = 3.0 * x * sin(x) + x * x * cos(x) + 1.0
        assert held['grad'](x) == pytest.approx(want)
        assert held['jvp']((x,), (1.0,))[1] == pytest.approx(want)
        assert adjoint.grad(ns['outer'])(x) == pytest.approx(want)
        assert adjoint.jvp(ns['outer'], (x,), (1.0,))[1] == pytest.approx(want)


def test_a_rule_registered_for_a_helper_adjoint_cannot_read():
    ns = notebook()
    run_cell(ns, 'def inner(x):\n    try:\n        return x * x\n    finally:\n        pass\n\n'
                 'def mid(x):\n    return inner(x) * np.sin(x)\n\n'
                 'def outer(x):\n    return mid(x) + x\n')
    held = {'grad': adjoint.grad(ns['outer']), 'jvp': adjoint.jvp(ns['outer'])}
    with pytest.raises(adjoint.UnsupportedSyntaxError):
        held['grad'](0.5)

    @adjoint.vjp_rule(ns['inner'])
    def inner_vjp(g, ans, x):
        return (g * 2.0 * x,)

    @adjoint.jvp_rule(ns['inner'])
    def inner_jvp(dx, ans, x):
        return dx * 2.0 * x

    assert_derivatives_match(ns['outer'], held, POINTS)


def test_clear_forgets_every_compiled_function():
    ns = notebook()
    run_cell(ns, 'def helper(x):\n    return x * x\n\n'
                 'def outer(x):\n    return helper(x) + x\n')
    held = held_derivatives(ns['outer'], 0.5)
    cache.clear()
    assert not cache.CACHE._entries
    compiled = cache.stats['compile']
    assert held['grad'](0.5) == pytest.approx(2.0)
    assert held['jvp']((0.5,), (1.0,))[1] == pytest.approx(2.0)
    assert cache.stats['compile'] == compiled + 2  # the held grad and jvp compile again
    assert cache.CACHE._entries  # and so do the helper's pair and tangent function


def test_a_hit_does_no_work_and_checks_nothing_without_globals():
    def rosenbrock(x, y):
        return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2

    gradient = adjoint.grad(rosenbrock, wrt=(0, 1))
    gradient(0.5, 0.7)
    before = dict(cache.stats)
    assert gradient(0.3, 0.2) == pytest.approx((-2 * 0.7 - 400 * 0.3 * (0.2 - 0.09),
                                                200 * (0.2 - 0.09)))
    assert dict(cache.stats) == before
    (compiled, checks, _), = gradient._inline.values()  # the fast path's one version
    assert not checks
    assert 'valid' not in inspect.getsource(type(gradient).__call__)


# --- callees are told apart by the function object -----------------------------


def test_two_modules_with_a_function_of_the_same_name(module_dir):
    (module_dir / 'cache_helpers.py').write_text('def loss(x):\n    return x * x\n')
    (module_dir / 'cache_user.py').write_text(
        'import math\n\ndef loss(x, y):\n    return math.sin(x * y)\n')
    import cache_helpers
    import cache_user

    def total(x):
        return cache_helpers.loss(x) + cache_user.loss(x, 2.0)

    for x in POINTS:
        check_grads(total, (x,))


def test_a_function_calling_another_of_its_own_name(module_dir):
    (module_dir / 'cache_helpers.py').write_text('def loss(x):\n    return x * x\n')
    import cache_helpers

    def loss_of_two(x, y):
        return cache_helpers.loss(x) * y

    loss_of_two.__name__ = 'loss'

    def total(x, y):
        return loss_of_two(x, y) + cache_helpers.loss(y)

    for point in ((0.7, 1.5), (-1.3, 0.4)):
        check_grads(total, point)


def make_loss(scale):
    def loss(x):  # the closure is named like the function that calls it
        return scale * x * x
    return loss


inner_loss = make_loss(3.0)


def loss(x, y):
    return inner_loss(x) * y


def test_a_closure_named_like_its_caller():
    for point in ((0.7, 1.5), (-1.3, 0.4)):
        check_grads(loss, point)


def test_closures_sharing_code_with_different_cells():
    double, triple = make_loss(2.0), make_loss(3.0)

    def both(x):
        return double(x) * triple(x) + triple(x)

    for x in POINTS:
        check_grads(both, (x,))


# --- each lambda is the one it is ------------------------------------------------


square, cube = lambda x: x * x, lambda x: x ** 3
plus, times = lambda x, y: x + y * y, lambda x, y: x * y * y


@pytest.mark.parametrize('fn', [square, cube], ids=['square', 'cube'])
def test_two_lambdas_on_one_line(fn):
    for x in POINTS:
        check_grads(fn, (x,))


@pytest.mark.parametrize('fn', [plus, times], ids=['plus', 'times'])
def test_two_lambdas_of_two_parameters_on_one_line(fn):
    check_grads(fn, (0.7, -1.3))
    check_grads(fn, (2.0, 0.5))


def nested_lambdas():
    if True:
        first, second = lambda x: x * 5.0, lambda x: np.exp(x) * 2.0
    return first, second


@pytest.mark.parametrize('k', [0, 1])
def test_two_lambdas_on_one_line_nested_in_a_function(k):
    fn = nested_lambdas()[k]
    for x in POINTS:
        check_grads(fn, (x,))


def test_a_lambda_whose_line_does_not_parse_alone_is_rejected():
    first, second = (lambda y: y + 1.0,
                     lambda y: y * 2.0)
    assert adjoint.grad(first)(3.0) == 1.0
    with pytest.raises(adjoint.NoSourceError, match='could not be parsed on its own'):
        adjoint.grad(second)(3.0)


def test_a_function_made_by_exec_is_rejected():
    namespace = {}
    exec('def h(x):\n    return x * 2.0\n', namespace)  # noqa: S102
    with pytest.raises(adjoint.NoSourceError, match='made with exec'):
        adjoint.grad(namespace['h'])(3.0)


def test_a_function_whose_asserts_pytest_rewrote_is_read():
    """pytest rewrites the asserts of test modules, which changes their code: a
    function with an `assert`, defined in a test, is still its source's."""
    def positive_square(x):
        assert x > 0, 'x must be positive'
        return x * x

    assert '@py_assert1' in positive_square.__code__.co_varnames  # rewritten here
    assert adjoint.grad(positive_square)(3.0) == 6.0
    with pytest.raises(AssertionError):
        adjoint.grad(positive_square)(-1.0)
