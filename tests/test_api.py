"""The user-facing API: wrt handling, types of gradients, caching, errors, inspection."""

import linecache
import math
import re
import traceback

import numpy as np
import pytest

import adjoint
from adjoint import cache
from adjoint.testing import check_grads, numerical_grad
from tests import api_cases as cases
from transforms.analysis.kinds import dispatch_key, kind_of_value


def test_rosenbrock_known_values():
    df = adjoint.grad(cases.rosenbrock, wrt=(0, 1))
    assert df(-1.0, 2.0) == pytest.approx((396.0, 200.0))
    value, grads = adjoint.value_and_grad(cases.rosenbrock, wrt=(0, 1))(-1.0, 2.0)
    assert value == pytest.approx(104.0)
    assert grads == pytest.approx((396.0, 200.0))


@pytest.mark.parametrize('wrt, expected', [
    (0, 'x'), (1, 'y'), ('y', 'y'), (-1, 'y'), ((1, 0), ('y', 'x')), (('x', 1), ('x', 'y')),
])
def test_wrt_by_index_or_name(wrt, expected):
    df = adjoint.grad(cases.rosenbrock, wrt=wrt)
    got = df(0.5, 1.5)
    analytic = {'x': -2 * (1 - 0.5) - 400 * 0.5 * (1.5 - 0.25), 'y': 200 * (1.5 - 0.25)}
    if isinstance(expected, tuple):
        assert got == pytest.approx(tuple(analytic[e] for e in expected))
    else:
        assert got == pytest.approx(analytic[expected])


@pytest.mark.parametrize('wrt', [2, 'z', (0, 0), 1.5])
def test_bad_wrt_is_an_adjoint_error(wrt):
    with pytest.raises(adjoint.AdjointError, match='wrt'):
        adjoint.grad(cases.rosenbrock, wrt=wrt)


def test_defaults_and_keyword_arguments():
    df = adjoint.grad(cases.with_defaults, wrt=('x', 'y'))
    for x, y, power in [(1.5, 2.0, 3), (0.7, -1.2, 2)]:
        got = df(x, y, power=power)
        assert got == pytest.approx((power * x ** (power - 1) * y, x ** power))
    assert df(1.5) == pytest.approx((3 * 1.5 ** 2 * 2.0, 1.5 ** 3))
    assert df(x=1.5, y=2.0) == pytest.approx((3 * 1.5 ** 2 * 2.0, 1.5 ** 3))


def test_gradient_has_the_type_and_shape_of_its_argument():
    assert isinstance(adjoint.grad(cases.uses_global)(0.3), float)
    g = adjoint.grad(cases.mutates_nothing)(np.arange(6.0).reshape(2, 3))
    assert isinstance(g, np.ndarray) and g.shape == (2, 3)
    # An int argument is differentiated as a real number, and its gradient is a float.
    gn = adjoint.grad(cases.int_argument, wrt=0)(3, 2.5)
    assert isinstance(gn, float) and gn == pytest.approx(2.5)
    gx = adjoint.grad(cases.int_argument, wrt=1)(3, 2)
    assert gx == pytest.approx(4.0) and isinstance(gx, float)


def test_arguments_are_not_mutated():
    x = np.array([1.0, -2.0, 3.0])
    before = x.copy()
    check_grads(cases.mutates_nothing, (x,))
    np.testing.assert_array_equal(x, before)


def test_globals_and_closures_are_constants():
    assert adjoint.grad(cases.uses_global)(0.4) == pytest.approx(3.0 * math.cos(0.4))
    scaled = cases.make_closure(5.0)
    assert adjoint.grad(scaled)(2.0) == pytest.approx(20.0)


def test_lambda_in_a_file():
    assert adjoint.grad(cases.square)(3.0) == pytest.approx(6.0)


def test_loop_against_finite_differences():
    for x, n in [(0.3, 5), (1.7, 3), (0.9, 0)]:
        got = adjoint.grad(cases.loop_sum)(x, n)
        assert got == pytest.approx(numerical_grad(cases.loop_sum, (x, n), 0), abs=1e-7)


# ---------------------------------------------------------------- cache


def test_second_grad_is_a_cache_hit():
    def local(x):
        return x * x * x
    parses = cache.stats['parse']
    first = adjoint.grad(local)
    assert cache.stats['parse'] == parses + 1
    assert adjoint.grad(local) is first
    assert cache.stats['parse'] == parses + 1
    assert adjoint.grad(local, wrt=0) is first
    # Other options are another entry.
    assert adjoint.value_and_grad(local) is not first
    compiles = cache.stats['compile']
    first(2.0)
    first(3.0)
    assert cache.stats['compile'] == compiles + 1
    first(2)  # a new kind of argument (int): one more specialization
    assert cache.stats['compile'] == compiles + 2


def test_arrays_and_lists_dispatch_on_their_kinds():
    # Their type does not decide their kind (dtype, items): each call looks at the
    # kinds, and a new kind compiles a new version, with code specialized to it.
    def local(x, ys):
        return x * ys[0]
    df = adjoint.grad(local)
    compiles = cache.stats['compile']
    assert df(2.0, [3.0]) == 3.0
    assert df(2.0, [4.0]) == 4.0
    assert cache.stats['compile'] == compiles + 1
    assert df(2.0, np.array([5.0])) == 5.0
    assert df(2.0, np.array([6.0])) == 6.0
    assert cache.stats['compile'] == compiles + 2
    assert df(2.0, np.array([7])) == 7.0  # an int array is another kind
    assert cache.stats['compile'] == compiles + 3
    assert df(2.0, [np.array(8.0)]) == 8.0  # a list of floats, as [3.0] was
    assert cache.stats['compile'] == compiles + 3


def test_kinds_of_values():
    assert kind_of_value(1.5) == kind_of_value(np.float64(1.5)) == 'float'
    assert kind_of_value(3) == kind_of_value(np.int64(3)) == 'int'
    assert kind_of_value(True) == 'bool' and kind_of_value(np.True_) is None
    assert kind_of_value(np.zeros(2)) == 'vector' and kind_of_value(np.zeros(())) == 'float'
    assert kind_of_value(np.zeros((2, 3))) == 'matrix'
    assert kind_of_value(np.zeros((1, 1, 1))) == 'array'
    assert kind_of_value(np.zeros(2, int)) is None and kind_of_value(np.ndarray) is None
    assert kind_of_value([1.0, 2]) == ('list', 'float')
    assert kind_of_value(()) == ('tuple', None)
    assert kind_of_value({'a': 1.0}) == ('dict', 'float', (('a', 'float'),))
    assert kind_of_value({'W': np.zeros((2, 3)), 'b': np.zeros(3)}) == \
        ('dict', 'array', (('W', 'matrix'), ('b', 'vector')))
    assert kind_of_value({'W': np.zeros(3), 'lr': 0.1}) == \
        ('dict', None, (('W', 'vector'), ('lr', 'float')))
    assert kind_of_value('text') is None and kind_of_value(None) is None


def test_specialize_takes_the_kinds_values_have():
    # Every kind a value has can be named, containers included: the command line's
    # --kinds list[float] and dict[W=matrix,...] reach the compiler as these.
    def local(xs, params):
        return xs[0] * np.sum(params['W'] @ params['b'])
    xs, params = [2.0, 3.0], {'W': np.ones((2, 2)), 'b': np.arange(2.0)}
    df = adjoint.grad(local, wrt=(0, 1))
    df(xs, params)
    kinds = {'xs': kind_of_value(xs), 'params': kind_of_value(params)}
    assert adjoint.api.specialize(local, (0, 1), kinds)[1] == df.source
    for kind in (('list', None), ('tuple', 'float'), ('dict', 'array'),
                 ('list', 'vector')):
        adjoint.api.specialize(local, 0, {'xs': kind})  # compiles
    for kind in ('complex', ('list', 'complex'), ('set', 'float'), ('dict', None, 'W'),
                 ('dict', 'float', (('W', 'matrix'),)), ['list', 'float']):
        with pytest.raises(adjoint.AdjointError, match='unknown kind'):
            adjoint.api.specialize(local, 0, {'xs': kind})


def test_equal_dispatch_keys_mean_equal_kinds():
    values = [1.5, np.float64(1.5), 3, np.int64(3), True, np.True_, None, 'text',
              np.zeros(2), np.zeros(3), np.zeros(()), np.zeros((2, 3)), np.zeros((1, 1, 1)),
              np.zeros(2, int), np.zeros(2, np.float32), np.ma.zeros(2), np.ndarray,
              [1.0, 2], [np.zeros(2)], (), (1,), {'a': 1.0}, {'W': np.zeros(3), 'lr': 0.1},
              {'W': np.zeros((2, 3)), 'lr': 0.1}, {'lr': 0.1, 'W': np.zeros(3)}, {}]
    keys = {}
    for value in values:
        keys.setdefault(dispatch_key((value,)), set()).add(repr(kind_of_value(value)))
    assert all(len(kinds) == 1 for kinds in keys.values()), keys
    assert len(keys) > len({repr(kind_of_value(v)) for v in values})  # keys are finer
    assert dispatch_key((1.5, np.zeros(2))) != dispatch_key((1.5, np.zeros((2, 2))))


def test_redefining_a_function_gives_a_fresh_derivative():
    derivatives = []
    for power in (2, 3):
        namespace = {}
        exec(f'def f(x):\n    return x ** {power}\n', namespace)  # noqa: S102
        # exec'd code has no source file: the error says what to do.
        with pytest.raises(adjoint.NoSourceError, match='no source|source'):
            adjoint.grad(namespace['f'])
    scaled_a, scaled_b = cases.make_closure(2.0), cases.make_closure(3.0)
    derivatives = [adjoint.grad(scaled_a), adjoint.grad(scaled_b)]
    assert derivatives[0] is not derivatives[1]
    assert derivatives[0](1.0) == pytest.approx(4.0)
    assert derivatives[1](1.0) == pytest.approx(6.0)


# ---------------------------------------------------------------- inspection


def test_source_and_ir_are_inspectable():
    df = adjoint.grad(cases.rosenbrock, wrt=(0, 1))
    df(1.0, 2.0)
    assert adjoint.source(df) == df.source
    assert df.source.startswith('def grad_rosenbrock(x, y):')
    assert '# adjoint of line' in df.source
    assert 'return' in df.ir
    text = adjoint.ir(cases.rosenbrock)
    assert text.splitlines()[0] == 'def rosenbrock(x, y):'
    assert 'pow(x, 2)' in text


def test_verbose_prints_the_source(capsys):
    def cube(x):
        return x * x * x
    adjoint.grad(cube, verbose=True)(2.0)
    assert 'def grad_cube(x):' in capsys.readouterr().out


def test_generated_code_is_in_linecache_and_tracebacks():
    df = adjoint.grad(cases.loop_sum)
    df(0.5, 3)
    code = df._by_kinds[next(iter(df._by_kinds))][0][0].__code__
    lines = linecache.getlines(code.co_filename)
    assert ''.join(lines) == df.source
    with pytest.raises(TypeError) as info:
        df(np.ones(2), 2)  # math.sin of an array fails inside the generated code
    frames = traceback.extract_tb(info.value.__traceback__)
    generated = [f for f in frames if f.filename.startswith('<adjoint')]
    assert generated and 'math.' in generated[-1].line  # the failing generated line


def test_source_of_something_else_is_an_error():
    with pytest.raises(adjoint.AdjointError, match='not made by adjoint'):
        adjoint.source(print)


# ---------------------------------------------------------------- errors


def test_builtin_has_no_source():
    with pytest.raises(adjoint.NoSourceError, match='math.sin|sin') as info:
        adjoint.grad(math.sin)
    assert 'vjp_rule' in str(info.value) or 'def' in str(info.value)


def test_non_scalar_output():
    df = adjoint.grad(cases.array_output)
    assert df(2.0) == pytest.approx(2.0)  # a scalar in, a scalar out: fine
    with pytest.raises(adjoint.NonScalarOutputError, match='scalar'):
        df(np.ones(3))


def test_unknown_callable_names_it_and_the_line():
    with pytest.raises(adjoint.UnknownCallableError) as info:
        adjoint.grad(cases.unknown_call)(np.eye(2))
    message = str(info.value)
    assert 'cond' in message and 'api_cases.py' in message
    assert 'vjp_rule' in message
    assert 'np.linalg.cond(x)' in message  # the offending source line


def test_unsupported_syntax_names_file_line_and_source():
    with pytest.raises(adjoint.UnsupportedSyntaxError) as info:
        adjoint.grad(cases.unsupported_syntax)
    error = info.value
    assert error.filename.endswith('api_cases.py')
    assert 'with open' in str(error)
    assert error.line == cases.unsupported_syntax.__code__.co_firstlineno + 1


def test_a_variable_assigned_only_in_a_loop_is_unbound_after_no_iteration():
    df = adjoint.grad(cases.undefined_after_loop)
    assert df(2.0, 3) == 2.0  # y = x * 2, from the last iteration
    with pytest.raises(UnboundLocalError, match="local variable 'y'"):
        df(2.0, 0)


def test_generator_expression_over_a_list():
    g = adjoint.grad(cases.generator_expression)([1.0, -2.0, 3.5])
    assert isinstance(g, list) and g == pytest.approx([2.0, -4.0, 7.0])


def test_set_comprehensions_are_rejected_clearly():
    with pytest.raises(adjoint.UnsupportedSyntaxError, match='set and dict comprehensions'):
        adjoint.grad(cases.set_comprehension)


def test_arguments_a_rule_does_not_take_are_a_source_error():
    with pytest.raises(adjoint.UnsupportedSyntaxError, match='np.clip.*min') as info:
        adjoint.grad(cases.clip_keyword)(np.ones(2))
    assert info.value.filename.endswith('api_cases.py')


def test_dict_gradient_keeps_the_argument_key_order():
    params = {'w': 0.5, 'b': -1.0}
    grads = adjoint.grad(cases.dict_order)(params)
    assert list(grads) == ['w', 'b'] and grads == pytest.approx({'w': 2.0, 'b': 1.0})


def test_a_dict_gradient_is_written_out_when_every_key_has_one():
    # The kind knows the keys: `bparams = {'w': ..., 'b': ...}` in the argument's
    # order; with a key unused, the others are filled in with zeros at run time.
    params = {'w': 0.5, 'b': -1.0}
    df = adjoint.grad(cases.dict_order)
    assert df(params) == pytest.approx({'w': 2.0, 'b': 1.0})
    assert re.search(r"bparams = \{'w': [\w.]+, 'b': [\w.]+\}", df.source), df.source
    with_unused = {'b': -1.0, 'w': 0.5, 'lr': 0.1}
    grads = df(with_unused)
    assert list(grads) == ['b', 'w', 'lr'] and grads == pytest.approx(
        {'b': 1.0, 'w': 2.0, 'lr': 0.0})
    assert 'fill_like(params' in df.source, df.source


@pytest.mark.parametrize('fn, shown', [
    (cases.returns_none, 'None'), (cases.returns_string, "'large'"),
    (cases.returns_constant_array, 'ndarray of shape (3,)')])
def test_an_output_without_a_derivative_must_still_be_a_scalar(fn, shown):
    # Its gradient would be zero, but what it returns is no number to differentiate.
    for derivative in (adjoint.grad(fn), adjoint.value_and_grad(fn)):
        with pytest.raises(adjoint.NonScalarOutputError, match=re.escape(shown)):
            derivative(1.5)


def test_an_int_output_without_a_derivative_has_gradient_zero():
    assert adjoint.grad(cases.returns_int)(1.5) == 0.0
    assert adjoint.value_and_grad(cases.returns_int)(2.5) == (2, 0.0)


@pytest.mark.filterwarnings('ignore::PendingDeprecationWarning')  # np.matrix
@pytest.mark.parametrize('subclass', [
    lambda a: np.matrix(a), lambda a: np.ma.masked_array(a, mask=np.eye(2, dtype=bool))],
    ids=['matrix', 'masked'])
def test_an_ndarray_subclass_argument_is_rejected_in_every_mode(subclass):
    # `x * x` of an np.matrix is a matrix product: its gradient is not 2 * x.
    plain = np.array([[1.0, 2.0], [3.0, 4.0]])
    value = subclass(plain)
    calls = [lambda: adjoint.grad(cases.squared_norm)(value),
             lambda: adjoint.value_and_grad(cases.squared_norm)(value),
             lambda: adjoint.jvp(cases.squared_norm)((value,), (plain,)),
             lambda: adjoint.vjp(cases.squared_norm, value),
             lambda: adjoint.hessian(cases.squared_norm)(value),
             lambda: adjoint.grad(cases.dict_order)({'w': value, 'b': 1.0})]
    for point in (plain, -2.0 * plain):  # a plain array first: it must not open the cache
        check_grads(cases.squared_norm, (point,))
        for call in calls:
            with pytest.raises(adjoint.AdjointError, match=r'np\.asarray\(\w+\)'):
                call()


@pytest.mark.filterwarnings('ignore::PendingDeprecationWarning')  # np.matrix
@pytest.mark.parametrize('subclass', [
    lambda a: np.matrix(a), lambda a: np.ma.masked_array(a, mask=np.eye(2, dtype=bool))],
    ids=['matrix', 'masked'])
def test_an_ndarray_subclass_read_as_a_global_or_closure_is_rejected(subclass):
    """The same operators as an argument's: the line reading it is an error."""
    constant = subclass(np.array([[1.0, 2.0], [3.0, 4.0]]))

    def reads_closure(x):
        return np.sum(constant * x)

    x = np.array([[1.0, 0.5], [0.2, 0.3]])
    for call in (lambda: adjoint.grad(reads_closure)(x),
                 lambda: adjoint.jvp(reads_closure)((x,), (x,))):
        with pytest.raises(adjoint.UnsupportedSyntaxError,
                           match=r'test_api\.py:\d+: `constant` is a .*np\.asarray\(constant\)'):
            call()
