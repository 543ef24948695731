"""The IR and the passes: invariants after every pass, round trips, the printed form."""

import operator

import numpy as np
import pytest

import adjoint
from adjoint.rules import TABLE
from adjoint.testing import check_grads
from transforms import pipeline
from transforms.ad.reverse import reverse
from transforms.core import ir
from transforms.core.errors import InternalError
from transforms.core.verify import verify
from transforms.frontend import normalize, parse, ssa
from transforms.opt import optimize
from tests.ir_cases import PROGRAMS


def _names(wrt, fn):
    params = [p for p in fn.__code__.co_varnames[:fn.__code__.co_argcount]]
    return tuple(params[k] for k in wrt)


@pytest.mark.parametrize('fn, args, wrt', PROGRAMS,
                         ids=[f'{p[0].__name__}-{k}' for k, p in enumerate(PROGRAMS)])
def test_every_pass_keeps_the_invariants(fn, args, wrt):
    parsed = parse.parse_function(fn)
    primal = verify(ssa.build(normalize.normalize(parsed), parsed))
    prepared = verify(pipeline.prepare(primal))
    adjoint_ir, kinds = reverse.reverse(prepared, _names(wrt, fn), TABLE)
    verify(adjoint_ir)
    verify(optimize.optimize(adjoint_ir, kinds))


@pytest.mark.parametrize('fn, args, wrt', PROGRAMS,
                         ids=[f'{p[0].__name__}-{k}' for k, p in enumerate(PROGRAMS)])
def test_round_trip_without_differentiation(fn, args, wrt):
    compiled, source = pipeline.primal_function(fn)
    assert np.allclose(compiled(*args), fn(*args)), source


@pytest.mark.parametrize('fn, args, wrt', PROGRAMS,
                         ids=[f'{p[0].__name__}-{k}' for k, p in enumerate(PROGRAMS)])
def test_gradients_match_finite_differences(fn, args, wrt):
    check_grads(fn, args, wrt=wrt)


def test_optimizer_preserves_results():
    for fn, args, wrt in PROGRAMS:
        parsed = parse.parse_function(fn)
        primal = ssa.build(normalize.normalize(parsed), parsed)
        adjoint_ir, kinds = reverse.reverse(pipeline.prepare(primal), _names(wrt, fn), TABLE)
        plain = _run(adjoint_ir, parsed, args)
        optimized = _run(optimize.optimize(adjoint_ir, kinds), parsed, args)
        for a, b in zip(plain, optimized):
            np.testing.assert_allclose(a, b, rtol=1e-12)


def _run(fn_ir, parsed, args):
    from transforms.backend import emit
    from transforms.backend.compile import compile_function
    compiled = compile_function(emit.emit(fn_ir, parsed.defaults, parsed.kwdefaults))
    return compiled(*args)


def test_printed_ir_format():
    from tests.ir_cases import loops
    text = adjoint.ir(loops)
    assert text == (
        'def loops(x, n):\n'
        '  s_2, p_2 = for i in range(0, n, 1) carry (s = 0.0, p = 1.0):\n'
        '    t1 = mul(p, x)\n'
        '    s_1 = add(s, t1)\n'
        '    p_1 = mul(p, 0.5)\n'
        '    yield s_1, p_1\n'
        '  s_5, k_2 = while carry (s_3 = s_2, k = 0):\n'
        '    t2 = lt(s_3, 10.0)\n'
        '    yield t2\n'
        '  do:\n'
        '    t3 = mul(s_3, 2.0)\n'
        '    t4 = mul(x, x)\n'
        '    s_4 = add(t3, t4)\n'
        '    k_1 = add(k, 1)\n'
        '    yield s_4, k_1\n'
        '  t5 = add(s_5, k_2)\n'
        '  return t5\n')


def _with_user_t2(x):
    t2 = x + 1.0
    return t2 * x * 3.0


def test_printed_ir_numbers_temporaries_canonically():
    from tests.ir_cases import loops
    from transforms.core import substitute
    primal, _ = pipeline.primal_ir(loops)
    # What another pass's extra temporaries would do: the same program, renumbered.
    shifted = {f't{k}': f't{k + 40}' for k in range(1, 6)}
    renamed = primal.replace(body=substitute.block(
        primal.body, {old: ir.Var(new) for old, new in shifted.items()}, shifted))
    assert ir.format_function(renamed) == ir.format_function(primal)
    assert 't41' not in ir.format_function(renamed)
    # A variable the user named like a temporary keeps its name; none becomes it.
    text = adjoint.ir(_with_user_t2)
    assert '  t2 = add(x, 1.0)\n' in text
    assert text.count('t2 = ') == 1 and '  t1 = mul(t2, x)\n' in text and ' t3 = ' in text


def test_verify_names_the_culprit():
    bad = ir.Function('f', (ir.Param('x'),), ir.Block(
        (ir.Let('y', ir.Global('mul', None), (ir.Var('z'), ir.Var('x')), line=3),),
        (ir.Var('y'),)))
    with pytest.raises(InternalError, match='`z` is read before it is defined'):
        verify(bad)
    twice = ir.Function('f', (ir.Param('x'),), ir.Block(
        (ir.Let('x', ir.Global('neg', None), (ir.Var('x'),), line=2),), (ir.Var('x'),)))
    with pytest.raises(InternalError, match='`x` is defined twice'):
        verify(twice)


def test_only_loop_values_are_taped():
    from tests.ir_cases import rotate
    df = adjoint.grad(rotate, wrt=(0, 1, 2))
    df(1.0, 2.0, 3.0, 3)
    tapes = [line for line in df.source.splitlines() if 'tape_' in line and '= []' in line]
    assert tapes == []  # rotate's backward sweep reads no primal value
    from tests.ir_cases import loops
    df = adjoint.grad(loops)
    df(0.3, 4)
    saved = [line.split('.append(')[1].rstrip(')') for line in df.source.splitlines()
             if '.append(' in line]
    # p is carried through the first loop and read by its backward sweep; nothing
    # defined outside a loop, no integer counter, and not s (the while loop's
    # backward sweep multiplies by constants only) is saved.
    assert saved == ['p']
    assert 'bk' not in df.source and 'bi' not in df.source


# ---------------------------------------------------------------- slices and repeated reads


def two_reads_of_a_slice(x):
    return np.sum(x[:-1] * x[1:]) + np.sum(x[:-1] ** 3) + np.sum(x[-2:]) - x[::-1][0]


def test_negative_slice_bounds_are_constants_and_repeated_reads_merge():
    text = adjoint.ir(two_reads_of_a_slice)
    assert '= slice(' not in text and 'getitem(x, slice(None, -1, None))' in text
    x = np.linspace(-1.0, 2.0, 6)
    check_grads(two_reads_of_a_slice, (x,))
    check_grads(two_reads_of_a_slice, (x[:2],))
    df = adjoint.grad(two_reads_of_a_slice)
    df(x)
    # One read of x[:-1]; its two cotangents add up before one update of the buffer.
    code = '\n'.join(line for line in df.source.splitlines() if '#' not in line)
    assert code.count('x[:-1]') == 2  # the read and `bx[:-1] += ...`
    assert code.count('bx[:-1] +=') == 1 and 'add_at' not in code


def reads_around_a_method_call(x):
    a = [x, 2.0 * x]
    b = a[0]
    a.reverse()
    return b * a[0]


def test_reads_are_not_merged_across_a_call_that_may_change_the_container():
    lowered, _ = pipeline.primal_function(reads_around_a_method_call)
    assert lowered(3.0) == reads_around_a_method_call(3.0) == 18.0


@pytest.mark.parametrize('derivative', [adjoint.grad, adjoint.derivative])
def test_a_method_changing_a_differentiated_value_in_place_is_an_error(derivative):
    with pytest.raises(adjoint.UnsupportedSyntaxError, match=r'`\.reverse\(\)` changes a '
                       r'differentiated value in place.*xs\[::-1\]') as info:
        derivative(reads_around_a_method_call)(3.0)
    assert info.value.line == reads_around_a_method_call.__code__.co_firstlineno + 3


def test_a_slice_of_a_float_array_is_an_array():
    from transforms.analysis.kinds import infer_kinds

    def slices(x, i):
        return x[1:], x[..., :2], x[i], x[0], x[1:, 0]
    primal, _ = pipeline.primal_ir(slices)
    kinds = infer_kinds(primal, {'x': 'array', 'i': 'int'}, TABLE)
    items = [s.target for s in primal.body.stmts if s.fn.value is operator.getitem]
    assert [kinds[t] for t in items] == ['array', 'array', None, None, None]


def test_shape_classes():
    from transforms.analysis.kinds import infer_kinds
    from transforms.analysis.shapes import same_shape, shape_classes

    def shaped(x, y, c):
        a = x[1:]
        b = x[:-1] * 2.0
        d = np.tanh(a - b ** 2) + c  # one class with a and b
        e = x[2:-1]
        f = x[:-3]  # with e
        g = x[-2:]  # max(len - 2, 0) rows is not min(2, len)
        h = x[:-2]
        k = a + y  # y may broadcast a: its own class
        m = np.linalg.solve(d, d)  # broadcasts, but not elementwise
        return a, b, d, e, f, g, h, k, m
    primal, _ = pipeline.primal_ir(shaped)
    kinds = infer_kinds(primal, {'x': 'array', 'y': 'array', 'c': 'float'}, TABLE)
    classes = shape_classes(primal, kinds, TABLE)
    assert same_shape(classes, 'a', 'b') and same_shape(classes, 'd', 'a')
    assert same_shape(classes, 'e', 'f')
    assert not same_shape(classes, 'g', 'h') and not same_shape(classes, 'e', 'a')
    assert not same_shape(classes, 'k', 'a') and not same_shape(classes, 'm', 'd')


def test_shape_classes_of_reductions_kept_as_dimensions():
    from transforms.analysis.kinds import infer_kinds
    from transforms.analysis.shapes import same_shape, shape_classes

    def centered(x, y):
        rows = np.max(x, axis=1, keepdims=True)
        a = x - rows  # x's shape
        b = np.exp(a) / np.sum(np.exp(a), axis=1, keepdims=True)  # a's shape
        c = x - x.mean(1, keepdims=True)  # the method, axis by position
        cols = np.sum(x, axis=0, keepdims=True)
        d = rows - cols  # (n, 1) - (1, m): neither's shape
        e = np.log(rows)  # rows' shape, not x's
        f = np.sum(x, axis=1, keepdims=True)  # rows' shape
        g = y - rows  # y may be larger than x
        h = x - np.sum(x, axis=1)  # no keepdims: it may not broadcast against x
        return a, b, c, d, e, f, g, h
    primal, _ = pipeline.primal_ir(centered)
    kinds = infer_kinds(primal, {'x': 'matrix', 'y': 'matrix'}, TABLE)
    classes = shape_classes(primal, kinds, TABLE)
    assert same_shape(classes, 'a', 'x') and same_shape(classes, 'b', 'x')
    assert same_shape(classes, 'c', 'x') and same_shape(classes, 'e', 'rows')
    assert same_shape(classes, 'f', 'rows') and not same_shape(classes, 'cols', 'rows')
    for other in ('d', 'e', 'g', 'h', 'rows'):
        assert not same_shape(classes, other, 'x'), other
    assert not same_shape(classes, 'd', 'rows') and not same_shape(classes, 'd', 'cols')


def test_constants_of_repeated_scalings_are_folded():
    def scaled(x):
        return np.sum((-200.0 * x) * 2 + 3 * (0.5 * x))
    x = np.linspace(-1.0, 1.0, 4)
    assert scaled(x) == pytest.approx(np.sum(-398.5 * x))
    primal, parsed = pipeline.primal_ir(scaled)
    optimized = optimize.optimize(pipeline.prepare(primal), {'x': 'array'})
    constants = [a.value for s in optimized.body.stmts for a in s.args
                 if isinstance(a, ir.Const) and type(a.value) is float]
    assert constants == [-400.0, 1.5]
    check_grads(scaled, (x,))
