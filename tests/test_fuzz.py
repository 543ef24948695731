"""The differential fuzzer (tests/fuzz/): the CI seed range, and tests that the
generator and the checker themselves do what they claim, so that the fuzzer
cannot silently decay into one that finds nothing.

`python -m tests.fuzz --seeds 0:10000` runs the long version (docs/testing.md).
"""

import ast
import pathlib

import numpy as np
import pytest

import adjoint
from tests.fuzz import check as checker
from tests.fuzz.generate import CONSTRUCTS, Program, arguments, generate

CI_SEEDS = range(0, 200)


@pytest.fixture(scope='module')
def directory(tmp_path_factory):
    return tmp_path_factory.mktemp('fuzz')


def test_ci_seed_range(directory):
    failed = []
    for seed in CI_SEEDS:
        result = checker.check(generate(seed), directory, timeout=60)
        if result.failed:
            failed.append(result.report())
    assert not failed, f'{len(failed)} of {len(CI_SEEDS)} programs failed:\n\n' + \
        '\n\n'.join(failed)


# The generator.


def test_generator_is_deterministic():
    for seed in (0, 1, 17, 4242):
        first, second = generate(seed), generate(seed)
        assert first == second
    assert len({generate(seed).source for seed in range(20)}) == 20


def test_generated_programs_run(directory):
    """Every program is valid Python whose primal runs at its points; most give a
    finite value (a few overflow, and the checker skips those points)."""
    finite = 0
    for seed in range(100):
        program = generate(seed)
        f, _ = checker.load(program.source, directory, seed)
        with np.errstate(all='ignore'):
            values = [f(*arguments(program, point)) for point in program.points]
        assert all(np.shape(v) == () for v in values), program.source
        finite += all(np.isfinite(v) for v in values)
    assert finite >= 90


def test_a_seed_range_covers_every_construct():
    used = set()
    for seed in range(1000):
        used |= generate(seed).constructs
    assert used == CONSTRUCTS, f'never generated: {sorted(CONSTRUCTS - used)}'


def syntax(source):
    """The constructs of `CONSTRUCTS` that can be read off the syntax tree."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If):
            found.add('if')
            if node.orelse and isinstance(node.orelse[0], ast.If) and len(node.orelse) == 1:
                found.add('elif')
        found |= {name for kind, name in [
            (ast.IfExp, 'ifexp'), (ast.While, 'while'), (ast.Break, 'break'),
            (ast.Continue, 'continue'), (ast.ListComp, 'listcomp'), (ast.Dict, 'dict_build'),
            (ast.AugAssign, 'augassign')] if isinstance(node, kind)}
        if isinstance(node, ast.For):
            iterable = node.iter
            if isinstance(iterable, ast.Call) and getattr(iterable.func, 'id', '') == 'range':
                found.add('for_range')
            elif isinstance(iterable, ast.List):
                found.add('for_list')
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple) and \
                isinstance(node.value, ast.Tuple):
            names = [getattr(e, 'id', None) for e in node.targets[0].elts]
            values = [getattr(e, 'id', None) for e in node.value.elts]
            if len(names) == 2 and names == values[::-1] and None not in names:
                found.add('swap')
        if isinstance(node, ast.Attribute) and node.attr == 'append':
            found.add('list_append')
        if isinstance(node, ast.Attribute) and node.attr == 'copy':
            is_np = isinstance(node.value, ast.Name) and node.value.id == 'np'
            found.add('copy_np' if is_np else 'copy_method')
    return found


def test_claimed_constructs_are_in_the_source():
    """What a program says it uses is there, and the other way round, for the
    constructs visible in the syntax."""
    visible = {'if', 'elif', 'ifexp', 'while', 'break', 'continue', 'for_range', 'swap',
               'list_append', 'copy_method', 'copy_np'}
    for seed in range(150):
        program = generate(seed)
        seen = syntax(program.source)
        claimed = program.constructs
        assert (seen & visible) == (claimed & visible), (seed, program.source)
        # These may also come from the result line, so only one way round.
        for name in ('listcomp', 'dict_build', 'augassign', 'for_list'):
            if name in claimed:
                assert name in seen or name == 'for_list', (seed, name)


def test_no_aliasing_means_no_aliased_writes():
    for seed in range(200):
        assert 'write_alias' not in generate(seed, aliasing=False).constructs


# The checker, on programs whose outcome is known.


def program_of(source, *point):
    params = tuple((name, np.shape(value)) for name, value in zip('xyz', point))
    values = tuple(np.asarray(v).tolist() if np.ndim(v) else v for v in point)
    return Program(-1, 'import math\n\nimport numpy as np\n\n\n' + source, params,
                   (values,), frozenset())


SMOOTH = program_of('def f(x, y):\n    return np.sum(np.sin(x) * y) + y ** 3\n',
                    np.array([0.3, -0.4, 1.1]), 0.7)


def test_a_right_program_is_ok(directory):
    result = checker.check(SMOOTH, directory)
    assert {api: outcome for api, (outcome, _) in result.apis.items()} == \
        dict.fromkeys(checker.APIS, 'ok')


def test_a_wrong_gradient_is_wrong(directory, monkeypatch):
    real = adjoint.grad

    def off_by_a_bit(fn, wrt=0, **kwargs):
        derivative = real(fn, wrt, **kwargs)
        return lambda *args: tuple(g * (1.0 + 1e-4) for g in derivative(*args))
    monkeypatch.setattr(adjoint, 'grad', off_by_a_bit)
    outcome, detail = checker.check(SMOOTH, directory, ('grad',)).apis['grad']
    assert outcome == 'WRONG' and 'finite differences' in detail


def test_a_mutated_argument_is_wrong(directory, monkeypatch):
    real = adjoint.jvp

    def mutating(fn, primals, tangents):
        primals[0][0] = 5.0
        return real(fn, primals, tangents)
    monkeypatch.setattr(adjoint, 'jvp', mutating)
    outcome, detail = checker.check(SMOOTH, directory, ('jvp',)).apis['jvp']
    assert outcome == 'WRONG' and 'changed argument x' in detail


def test_a_value_other_than_the_primal_is_wrong(directory, monkeypatch):
    real = adjoint.vjp

    def shifted(fn, *primals):
        out, pullback = real(fn, *primals)
        return out + 1e-9, pullback
    monkeypatch.setattr(adjoint, 'vjp', shifted)
    outcome, detail = checker.check(SMOOTH, directory, ('vjp',)).apis['vjp']
    assert outcome == 'WRONG' and 'returned the value' in detail


@pytest.mark.parametrize('error, outcome', [
    (lambda path: adjoint.UnsupportedSyntaxError('no', path, 7, 'x'), 'rejected'),
    (lambda path: adjoint.AdjointError('no line here'), 'BADERROR'),
    (lambda path: adjoint.InternalError('oops'), 'CRASH'),
    (lambda path: KeyError('t3'), 'CRASH'),
])
def test_errors_are_classified(directory, monkeypatch, error, outcome):
    def raising(fn, wrt=0, **kwargs):
        raise error(fn.__code__.co_filename)
    monkeypatch.setattr(adjoint, 'grad', raising)
    assert checker.check(SMOOTH, directory, ('grad',)).apis['grad'][0] == outcome


def test_a_point_next_to_a_branch_is_skipped(directory):
    near = program_of('def f(x):\n    if x > 0.0:\n        return 2.0 * x\n    return x\n', 3e-6)
    assert checker.check(near, directory, ('grad',)).outcome == 'skipped'
    far = program_of('def f(x):\n    if x > 0.0:\n        return 2.0 * x\n    return x\n', 0.1)
    assert checker.check(far, directory, ('grad',)).outcome == 'ok'


def test_a_kink_at_the_point_is_skipped(directory):
    """Central differences straddle a kink evenly at both step sizes (and agree);
    the second differences do not."""
    kink = program_of('def f(x):\n    return np.sum(np.maximum(x, 0.0)) + x[1]\n',
                      np.array([1e-9, 0.5]))
    assert checker.check(kink, directory, ('grad',)).outcome == 'skipped'


def test_the_command_line_counts_outcomes(capsys):
    from tests.fuzz.__main__ import main
    main(['--seeds', '3:5', '--jobs', '1', '--apis', 'grad,jvp', '--quiet'])
    out = capsys.readouterr().out
    assert out.startswith('2 programs (seeds 3:5, aliasing on)')
    assert 'grad ' in out and 'jvp ' in out and 'hessian' not in out


def test_the_shrinker_keeps_the_failure_and_drops_the_rest(directory, monkeypatch):
    """With a `grad` made wrong for any function whose source calls `np.tanh`, the
    shrinker cuts a program down to little more than that call."""
    import inspect

    from tests.fuzz.shrink import failures, shrink
    real = adjoint.grad

    def wrong_on_tanh(fn, wrt=0, **kwargs):
        derivative = real(fn, wrt, **kwargs)
        if 'np.tanh' not in inspect.getsource(fn):
            return derivative
        return lambda *args: tuple(g * 2.0 for g in derivative(*args))
    monkeypatch.setattr(adjoint, 'grad', wrong_on_tanh)
    program = program_of(
        'def f(x, y):\n'
        '    a = np.sum(x * x)\n'
        '    for i in range(2):\n'
        '        a = a + math.sin(y) * i\n'
        '    if y > 0.0:\n'
        '        b = np.tanh(y) + a\n'
        '    else:\n'
        '        b = a\n'
        '    return a * b + y\n', np.array([0.5, 1.0, -0.5]), 0.4)
    result = checker.check(program, directory, ('grad',))
    [wanted] = failures(result)
    assert wanted == 'grad WRONG derivative'
    small = shrink(program, wanted, directory)
    assert 'np.tanh' in small and 'for' not in small and 'sin' not in small, small
    assert len(small) < len(program.source) / 2, small
