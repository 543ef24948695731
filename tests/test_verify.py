"""verify: each invariant, on hand-built IR, and the switch that runs it after
every pass (on for the whole test suite, see conftest.py)."""

import math
import operator
import os

import pytest

import adjoint
from adjoint.rules import TABLE
from transforms import pipeline
from transforms.ad import calls
from transforms.core import ir, verify as verify_module
from transforms.core.errors import InternalError
from transforms.core.verify import verify
from transforms.frontend.ssa import prim
from transforms.opt import optimize
from tests.calls_cases import models

X, N, C = ir.Var('x'), ir.Var('n'), ir.Var('c')
PARAMS = (ir.Param('x'), ir.Param('n'), ir.Param('c'))
NEG, ADD, LT = prim(operator.neg), prim(operator.add), prim(operator.lt)


def fn(*stmts, returns=(X,)):
    """f(x, n, c) with these statements, returning `returns`."""
    return ir.Function('f', PARAMS, ir.Block(tuple(stmts), tuple(returns)))


def let(target, *args, op=NEG):
    return ir.Let(target, op, tuple(args), line=7)


def if_(then, orelse, results=(), yields=((), ())):
    return ir.If(C, ir.Block(tuple(then), tuple(yields[0])),
                 ir.Block(tuple(orelse), tuple(yields[1])), tuple(results), line=5)


def for_(body, yields=(ir.Var('s_1'),), carried=('s',), inits=(X,), results=('s_2',),
         index='i'):
    return ir.For(index, ir.Const(0), N, ir.Const(1), tuple(carried), tuple(inits),
                  ir.Block(tuple(body), tuple(yields)), tuple(results), line=3)


def while_(test, body, test_yields=(ir.Var('t'),), yields=(ir.Var('s_1'),)):
    return ir.While(('s',), (X,), ir.Block(tuple(test), tuple(test_yields)),
                    ir.Block(tuple(body), tuple(yields)), ('s_2',), line=4)


def hook(body, yields=(ir.Var('g_1'),), results=()):
    return ir.Hook(X, 'g', ir.Block(tuple(body), tuple(yields)), line=6, results=results)


LOOP = for_([let('s_1', ir.Var('s'), ir.Var('i'), op=ADD)])
WHILE = while_([let('t', ir.Var('s'), N, op=LT)], [let('s_1', ir.Var('s'))])

BROKEN = {
    'not a statement': fn(let('y', X), 'y = -x'),
    'not an atom': fn(let('y', 'x')),
    'not a name': fn(ir.Let(3, NEG, (X,))),
    'not a `Global`': fn(ir.Let('y', operator.neg, (X,))),
    'not a (name, atom) pair': fn(ir.Let('y', NEG, (X,), kwargs=(X,))),
    '`y` is defined twice': fn(let('y', X), let('y', X)),
    '`x` is defined twice': fn(let('x', N)),
    '`i` is defined twice': fn(let('i', X), LOOP),
    '`s` is defined twice': fn(let('s', X), LOOP),
    '`g` is defined twice': fn(let('g', X), hook([let('g_1', ir.Var('g'))])),
    '`y` is read before it is defined': fn(let('z', ir.Var('y')), let('y', X)),
    '`s_1` is read before it is defined': fn(for_([])),
    # a branch reads what the other one defines
    '`a` is read in one branch of the `if` on line 5 but defined in the other':
        fn(if_([let('a', X)], [let('b', ir.Var('a'))])),
    '`b` is read in one branch of the `if` on line 5 but defined in the other':
        fn(if_([let('a', X), if_([let('b', X)], [])], [let('z', ir.Var('b'))])),
    # what a loop defines stays in it, even inside a branch, in a branch after it
    '`s_1` is read after the loop on line 3 but defined inside it':
        fn(LOOP, let('y', ir.Var('s_1'))),
    '`i` is read after the loop on line 3': fn(LOOP, let('y', ir.Var('i'))),
    '`s` is read after the loop on line 3': fn(LOOP, returns=(ir.Var('s'),)),
    '`s_1` is read after the loop': fn(if_([LOOP], [let('y', X)]),
                                       if_([let('z', ir.Var('s_1'))], [])),
    '`t` is read outside the `while` test on line 4':
        fn(while_([let('t', ir.Var('s'), N, op=LT)], [let('s_1', ir.Var('t'))])),
    '`t` is read after the loop on line 4': fn(WHILE, let('y', ir.Var('t'))),
    '`g_1` is read after the hook on line 6': fn(hook([let('g_1', ir.Var('g'))]),
                                                 returns=(ir.Var('g_1'),)),
    # arities
    'the body yields 2 values for its one return value': fn(returns=(X, N)),
    'the body yields 0 values': fn(returns=()),
    'the `then` branch on line 5 yields 0 values for 1':
        fn(if_([], [], results=('y',), yields=((), (X,)))),
    'the `else` branch on line 5 yields 2 values for 1':
        fn(if_([], [], results=('y',), yields=((X,), (X, N)))),
    'a loop on line 3 has 2 inits for 1 carried values':
        fn(for_([let('s_1', ir.Var('s'))], inits=(X, N))),
    'a loop on line 3 has 0 results for 1 carried values':
        fn(for_([let('s_1', ir.Var('s'))], results=())),
    'a loop body on line 3 yields 2 values for 1':
        fn(for_([let('s_1', ir.Var('s'))], yields=(ir.Var('s_1'), X))),
    'a loop body on line 4 yields 0 values for 1':
        fn(while_([let('t', ir.Var('s'), N, op=LT)], [], yields=())),
    'a `while` test on line 4 yields 2 values for 1':
        fn(while_([let('t', ir.Var('s'), N, op=LT)], [let('s_1', ir.Var('s'))],
                  test_yields=(ir.Var('t'), X))),
    'a `while` test on line 4 yields 0 values for 1':
        fn(while_([], [let('s_1', ir.Var('s'))], test_yields=())),
    'a hook body on line 6 yields 0 values for 1':
        fn(hook([let('g_1', ir.Var('g'))], yields=())),
    'a hook defines 1 values': fn(hook([let('g_1', ir.Var('g'))], results=('h',))),
}


@pytest.mark.parametrize('message', BROKEN)
def test_each_broken_invariant_is_named(message):
    with pytest.raises(InternalError) as error:
        verify(BROKEN[message])
    assert str(error.value).startswith('f: ') and message in str(error.value)


def test_what_the_ir_may_do_passes():
    """Program order, not dominance: a branch reads what the same branch of an
    earlier `if` defined (the adjoint's backward branches do), and what follows
    an `if` reads its branches' values; a loop's body reads its index, its
    carried values and its test's condition's inputs; what follows reads its
    results; a hook's body reads its gradient."""
    ok = fn(if_([let('a', X)], [let('b', X)]),
            if_([let('a_1', ir.Var('a'))], [let('b_1', ir.Var('b'))]),
            let('y', ir.Var('a')),
            LOOP, let('z', ir.Var('s_2')),
            ir.replace(WHILE, results=('s_3',), carried=('s_4',),
                       test=ir.Block((let('t', ir.Var('s_4'), N, op=LT),), (ir.Var('t'),)),
                       body=ir.Block((let('s_5', ir.Var('s_4')),), (ir.Var('s_5'),))),
            hook([let('g_1', ir.Var('g'))]),
            returns=(ir.Var('s_3'),))
    assert verify(ok) is ok


def test_verification_is_on_in_the_test_suite():
    if os.environ.get('ADJOINT_VERIFY') == '0':
        pytest.skip('turned off with ADJOINT_VERIFY=0')
    assert os.environ.get('ADJOINT_VERIFY') == '1' and verify_module.ENABLED


def _fresh_function():
    def scaled_sine(x):
        return math.sin(x) * 2.0 + 1.0
    return scaled_sine


def test_a_pass_that_breaks_the_ir_is_named(monkeypatch):
    """A fold that replaces a value by an undefined one: the pipeline stops after
    `fold`, naming it, in both modes."""
    monkeypatch.setattr(verify_module, 'ENABLED', True)
    simplify = optimize.simplify

    def broken(stmt, kinds):
        if stmt.fn.value is operator.add:
            return ir.Var('nowhere')
        return simplify(stmt, kinds)
    monkeypatch.setattr(optimize, 'simplify', broken)
    for derivative, args in ((adjoint.value_and_grad, (0.5,)), (adjoint.jvp, ((0.5,), (1.0,)))):
        with pytest.raises(InternalError, match='after `optimize.fold`: .*`nowhere` is read '
                                                'before it is defined'):
            derivative(_fresh_function())(*args)


def test_a_callee_compiled_with_a_broken_pass_is_named(monkeypatch):
    """The same check runs where a helper's own derivative is compiled: a carry
    dropped with its results but not its yields."""
    monkeypatch.setattr(verify_module, 'ENABLED', True)
    drop = optimize._drop_invariant

    def broken(stmt, uses):
        out = drop(stmt, uses)
        return ir.replace(out, carried=out.carried[1:], inits=out.inits[1:]) \
            if out.carried else out
    monkeypatch.setattr(optimize, '_drop_invariant', broken)

    def helper(x, n):
        s = 0.0
        for i in range(n):
            s = s + x
        return s

    def calls_helper(x):
        return helper(x, 3) * 2.0
    with pytest.raises(InternalError, match='after `optimize.drop_invariant_carries`: '
                                            'value_and_grad_helper: a loop on line .* has 1 '
                                            'results for 0 carried values'):
        adjoint.grad(calls_helper)(0.5)


def test_with_checking_off_a_pass_is_not_verified(monkeypatch):
    monkeypatch.setattr(verify_module, 'ENABLED', False)
    bad = BROKEN['`y` is defined twice']
    assert verify_module.checked(lambda: bad)() is bad
    monkeypatch.setattr(verify_module, 'ENABLED', True)
    with pytest.raises(InternalError, match='after `test_verify.<lambda>`: f: `y` is '
                                            'defined twice'):
        verify_module.checked(lambda: bad)()


@pytest.mark.parametrize('callee', [models.power, models.tree_sum])
def test_a_recursive_callee_splits_into_valid_functions(callee):
    """The split of a recursive function's adjoint names its saved tuple apart
    from the saved tuples of its own calls."""
    primal, parsed = pipeline.primal_ir(callee)
    kinds = {'x': 'float', 'w': 'float', 'n': 'int', 'depth': 'int'}
    wrt = (primal.params[0].name,)
    adjoint_ir, _ = pipeline.adjoint_ir(primal, parsed, wrt, TABLE, kinds, seed_param=True)
    for part in calls.split(adjoint_ir, callee.__name__):
        verify(part)
