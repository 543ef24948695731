"""The `adjoint` command line, run as users run it: console script and `python -m`.

Subprocesses cost a NumPy import each, so only the end-to-end runs use them; the
option and error handling is tested in-process through `cli.main(argv)`.
"""

import io
import os
import pathlib
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import adjoint
from adjoint import cli
from adjoint.testing import numerical_grad
from examples import rosenbrock
from transforms.analysis.kinds import kind_of_value

ROOT = pathlib.Path(__file__).resolve().parent.parent
RELATIVE = 'examples/rosenbrock.py:rosenbrock'  # for subprocesses, run in ROOT
EXAMPLE = f'{ROOT}/{RELATIVE}'
SCRIPT = pathlib.Path(sys.executable).with_name('adjoint')


def run(*argv, command=(sys.executable, '-m', 'adjoint'), stdin=None):
    """`adjoint ARGV` in a subprocess, given `stdin` (text) or nothing on standard input."""
    return subprocess.run([*command, *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, input=stdin,
                          stdin=subprocess.DEVNULL if stdin is None else None)


def main(capsys, *argv):
    """`adjoint ARGV` in-process: (exit status, stdout, stderr)."""
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# ------------------------------------------------------------------- end to end


def test_python_m_adjoint_ir_matches_golden(golden):
    result = run('ir', RELATIVE)
    assert (result.returncode, result.stderr) == (0, '')
    golden('cli/rosenbrock_ir.txt', result.stdout)
    assert result.stdout == adjoint.ir(rosenbrock.rosenbrock)


@pytest.mark.skipif(not SCRIPT.exists(), reason='console script not installed (pip install -e .)')
def test_console_script_grad_matches_golden(golden):
    result = run('grad', RELATIVE, '--wrt', 'x,y', '--kinds', 'float', command=(str(SCRIPT),))
    assert (result.returncode, result.stderr) == (0, '')
    golden('cli/rosenbrock_grad.py', result.stdout)


def test_grad_output_is_the_code_that_runs(capsys):
    """The printed source is what `grad` compiles for float arguments, and it is right."""
    status, out, _ = main(capsys, 'grad', EXAMPLE, '--wrt', 'x,y', '--kinds', 'float')
    df = adjoint.grad(rosenbrock.rosenbrock, wrt=('x', 'y'))
    point = (-0.7, 1.3)
    assert df(*point) == pytest.approx(
        [numerical_grad(rosenbrock.rosenbrock, point, k) for k in (0, 1)], rel=1e-6)
    assert (status, out) == (0, df.source)


def test_generic_and_value_variants(capsys, golden):
    status, out, _ = main(capsys, 'grad', EXAMPLE, '--wrt', '0,1', '--value')
    assert status == 0
    golden('cli/rosenbrock_value_generic.py', out)
    assert 'def value_and_grad_rosenbrock(x, y):' in out and 'unbroadcast(' in out


def test_error_in_subprocess_is_one_line_without_traceback():
    result = run('grad', 'examples/no_such_file.py:f')
    assert result.returncode == 2
    assert result.stdout == ''
    assert result.stderr == 'adjoint: error: examples/no_such_file.py: no such file\n'


def test_help_documents_every_option():
    result = run('grad', '--help')
    assert result.returncode == 0
    for option in ('--wrt', '--kinds', '--value', '--stage', '--traceback', 'FILE.py:FUNCTION'):
        assert option in result.stdout
    assert 'exit status' in run('--help').stdout


# ---------------------------------------------------------------------- options


@pytest.mark.parametrize('stage, expected', [
    ('parse', 'return (1.0 - x) ** 2'), ('normalize', 'def rosenbrock(x, y):'),
    ('ssa', 't1 = sub(1.0, x)'),
])
def test_ir_stages(capsys, stage, expected):
    status, out, _ = main(capsys, 'ir', EXAMPLE, '--stage', stage)
    assert status == 0 and expected in out and out.endswith('\n')


def test_grad_stages(capsys):
    def stage(name):
        status, out, _ = main(capsys, 'grad', EXAMPLE, '--wrt', 'x,y', '--kinds', 'float',
                              '--stage', name)
        assert status == 0
        return out
    reverse, optimized, emitted = stage('reverse'), stage('optimize'), stage('emit')
    for ir_text in (reverse, optimized):  # IR: two-space indents, operations as calls
        assert ir_text.startswith('def grad_rosenbrock(x, y):\n  ') and ' = mul(' in ir_text
    assert len(optimized.splitlines()) < len(reverse.splitlines())
    assert emitted == adjoint.api.derivative_source(
        rosenbrock.rosenbrock, ('x', 'y'), {'x': 'float', 'y': 'float'})
    assert stage('ssa') == adjoint.ir(rosenbrock.rosenbrock)


def test_one_wrt_gives_a_bare_gradient_and_indices_work(capsys):
    _, by_name, _ = main(capsys, 'grad', EXAMPLE, '--wrt', 'y', '--kinds', 'float')
    _, by_index, _ = main(capsys, 'grad', EXAMPLE, '--wrt', '-1', '--kinds', 'float')
    assert by_name == by_index
    assert 'grads' not in by_name and re.search(r'\n    return \w+\n$', by_name)


def test_kinds_specialize(capsys, tmp_path):
    model = tmp_path / 'model.py'
    model.write_text('import numpy as np\n\n\ndef f(w, b, x):\n'
                     '    return np.sum(np.tanh(w * x + b))\n')
    _, generic, _ = main(capsys, 'grad', f'{model}:f', '--wrt', 'w,b')
    _, special, _ = main(capsys, 'grad', f'{model}:f', '--wrt', 'w,b',
                         '--kinds', 'w=array,b=float,x=array')
    assert 'scalar_seed' in generic and 'scalar_seed' not in special
    _, unknown, _ = main(capsys, 'grad', f'{model}:f', '--wrt', 'w,b', '--kinds', 'unknown')
    assert unknown == generic


def test_the_file_imports_its_neighbours_and_its_main_block_does_not_run(capsys, tmp_path):
    (tmp_path / 'helper.py').write_text('SCALE = 3.0\n')
    (tmp_path / 'model.py').write_text(
        'from helper import SCALE\n\n\ndef loss(x):\n    return SCALE * x * x\n\n\n'
        'if __name__ == "__main__":\n    print("main ran")\n')
    status, out, err = main(capsys, 'grad', f'{tmp_path / "model.py"}:loss', '--kinds', 'float')
    assert (status, err) == (0, '')
    assert 'main ran' not in out and 'def grad_loss(x):' in out


def test_module_target(capsys):
    status, out, _ = main(capsys, 'ir', 'examples.rosenbrock:rosenbrock')
    assert status == 0 and out.startswith('def rosenbrock(x, y):')


# ------------------------------------------------------------------------ errors


def error_of(capsys, *argv):
    status, out, err = main(capsys, *argv)
    assert status == 2, err
    assert out == ''
    assert err.count('\n') == 1 and err.startswith('adjoint: error: '), err
    assert 'Traceback' not in err
    return err


def write(tmp_path, text):
    path = tmp_path / 'model.py'
    path.write_text(text)
    return path


def test_missing_file(capsys):
    assert 'nope.py: no such file' in error_of(capsys, 'ir', 'nope.py:f')


def test_missing_function_lists_the_functions(capsys):
    err = error_of(capsys, 'grad', f'{ROOT}/examples/rosenbrock.py:banana')
    assert "no function 'banana'" in err and 'rosenbrock' in err and 'descend' in err


def test_missing_function_part(capsys):
    assert 'expected FILE.py:FUNCTION' in error_of(capsys, 'ir', f'{ROOT}/examples/rosenbrock.py')


def test_not_a_function(capsys):
    assert 'is not a function but an object of type module' in error_of(capsys, 'ir', f'{ROOT}/examples/rosenbrock.py:adjoint')


def test_unsupported_syntax_names_construct_file_and_line(capsys, tmp_path):
    path = write(tmp_path, 'def f(x):\n    with open("a") as h:\n        pass\n    return x\n')
    err = error_of(capsys, 'grad', f'{path}:f')
    assert f'{path}:2:' in err and '`with`' in err


def test_syntax_error_in_the_file(capsys, tmp_path):
    path = write(tmp_path, 'def f(x):\n    return x +\n')
    err = error_of(capsys, 'ir', f'{path}:f')
    assert f'{path}:2:' in err and 'invalid syntax' in err


def test_file_that_raises_on_import(capsys, tmp_path):
    path = write(tmp_path, 'import no_such_module_here\n')
    assert 'ModuleNotFoundError' in error_of(capsys, 'ir', f'{path}:f')


def test_no_rule(capsys, tmp_path):
    path = write(tmp_path, 'import math\n\nimport numpy as np\n\nSIN = np.vectorize(math.sin)'
                           '\n\n\ndef f(x):\n    return np.sum(SIN(x))\n')
    err = error_of(capsys, 'grad', f'{path}:f')
    assert f'{path}:9:' in err and 'no derivative rule for `SIN`' in err


@pytest.mark.parametrize('argv, message', [
    (('--wrt', 'z'), "wrt='z' is not a parameter"),
    (('--wrt', 'x,,y'), '--wrt'),
    (('--kinds', 'q=float'), "'q' is not a parameter"),
    (('--kinds', 'floaty'), "unknown kind 'floaty'"),
])
def test_bad_options(capsys, argv, message):
    assert message in error_of(capsys, 'grad', EXAMPLE, *argv)


def test_traceback_option_shows_the_traceback(capsys):
    status, _, err = main(capsys, 'ir', 'nope.py:f', '--traceback')
    assert status == 2 and 'Traceback' in err and err.endswith('no such file\n')


def test_bad_target_file_is_a_usage_error_not_an_internal_one(capsys, tmp_path):
    err = error_of(capsys, 'grad', f'{ROOT}/README.md:f')
    assert 'README.md is not a Python file' in err
    assert 'FILE.py:FUNCTION, MODULE:FUNCTION, or -:FUNCTION' in err
    assert 'is a directory' in error_of(capsys, 'ir', f'{tmp_path}:f')
    assert 'not a Python file' in error_of(capsys, 'ir', f'{tmp_path}/notes.txt:f')


def test_bad_target_in_a_subprocess_exits_2():
    result = run('grad', 'README.md:f')
    assert result.returncode == 2 and 'internal error' not in result.stderr
    assert result.stderr.startswith('adjoint: error: README.md is not a Python file')


# ---------------------------------------------------------------- standard input


def stdin_main(capsys, monkeypatch, text, *argv):
    monkeypatch.setattr(sys, 'stdin', io.StringIO(text))
    return main(capsys, *argv)


MODEL = ('import numpy as np\n\n\ndef f(x, y):\n    return np.sin(x) * y + x ** 2\n\n\n'
         'def g(x):\n    with open(x):\n        pass\n    return x\n')


def test_stdin_program_gives_the_code_its_file_gives(capsys, monkeypatch, tmp_path):
    path = write(tmp_path, MODEL)
    for command in (('grad', '--kinds', 'float', '--wrt', 'x,y'), ('ir',), ('jvp',)):
        status, from_stdin, err = stdin_main(capsys, monkeypatch, MODEL, command[0], '-:f',
                                             *command[1:])
        assert (status, err) == (0, '')
        _, from_file, _ = main(capsys, command[0], f'{path}:f', *command[1:])
        assert from_stdin == from_file and 'def ' in from_stdin


def test_stdin_function_is_differentiated_right(capsys, monkeypatch):
    status, out, _ = stdin_main(capsys, monkeypatch, MODEL, 'grad', '-:f', '--kinds', 'float')
    assert status == 0
    namespace = {'np': np}
    exec(out, namespace)  # noqa: S102 - the generated code, printed
    point = (0.3, -1.7)
    assert namespace['grad_f'](*point) == pytest.approx(np.cos(0.3) * -1.7 + 0.6)


def test_stdin_end_to_end(tmp_path):
    text = (ROOT / 'examples/rosenbrock.py').read_text()
    result = run('grad', '-:rosenbrock', '--kinds', 'float', '--wrt', 'x,y', stdin=text)
    assert (result.returncode, result.stderr) == (0, '')
    assert result.stdout == run('grad', RELATIVE, '--kinds', 'float', '--wrt', 'x,y').stdout


@pytest.mark.parametrize('text, argv, message', [
    (MODEL, ('grad', '-:g'), '<stdin>:9: '),
    (MODEL, ('grad', '-:h'), "<stdin> has no function 'h'; it defines: f, g"),
    ('def f(x):\n    return x +\n', ('ir', '-:f'), '<stdin>:2: invalid syntax'),
    ('', ('ir', '-:f'), 'standard input, which is empty'),
])
def test_stdin_errors_name_stdin(capsys, monkeypatch, text, argv, message):
    monkeypatch.setattr(sys, 'stdin', io.StringIO(text))
    assert message in error_of(capsys, *argv)


# -------------------------------------------------------------- container kinds


@pytest.mark.parametrize('spelling, value', [
    ('list[float]', [1.0, 2.0]),
    ('tuple[int]', (1, 2)),
    ('list[tuple[array]]', [(np.ones((2, 2)), np.ones(2))]),
    ('dict[W=matrix,b=vector]', {'W': np.ones((2, 2)), 'b': np.ones(2)}),
    ('dict[ W = matrix , b=list[float] ]', {'W': np.ones((2, 2)), 'b': [1.0]}),
])
def test_container_kinds_are_the_kinds_of_such_values(spelling, value):
    assert cli.parse_kinds(f'p={spelling}', ['p', 'q']) == {'p': kind_of_value(value)}


def test_container_kinds_without_items_or_keys():
    assert cli.parse_kinds('list,q=dict[float]', ['p', 'q']) == \
        {'p': ('list', None), 'q': ('dict', 'float')}


def test_container_kinds_give_the_code_a_call_compiles(capsys, tmp_path):
    path = write(tmp_path, 'import numpy as np\n\n\ndef f(xs, p):\n'
                           '    return xs[0] * xs[1] + np.sum(np.tanh(p["W"] @ p["b"]))\n')
    sys.path.insert(0, str(tmp_path))
    try:
        fn = cli.load_target(f'{path}:f')
    finally:
        sys.path.remove(str(tmp_path))
    status, out, _ = main(capsys, 'grad', f'{path}:f', '--wrt', 'xs,p', '--kinds',
                          'xs=list[float],p=dict[W=matrix,b=vector]')
    df = adjoint.grad(fn, wrt=('xs', 'p'))
    df([1.0, 2.0], {'W': np.ones((2, 2)), 'b': np.ones(2)})
    assert status == 0 and out == df.source
    _, generic, _ = main(capsys, 'grad', f'{path}:f', '--wrt', 'xs,p')
    assert generic != out


@pytest.mark.parametrize('kinds, message', [
    ('x=list[float', 'unbalanced brackets'),
    ('x=list[float]]', 'unbalanced brackets'),
    ('x=list[float,int]', 'take one item kind'),
    ('x=dict[=float]', 'KEY=KIND pairs'),
    ('x=dict[a=float,a=int]', 'names a key twice'),
    ('x=set[float]', "unknown kind 'set[float]'"),
    ('x=list[complex]', "unknown kind 'complex'"),
])
def test_bad_container_kinds(capsys, kinds, message):
    assert message in error_of(capsys, 'grad', EXAMPLE, '--kinds', kinds)


def test_help_names_the_container_kinds():
    shown = ' '.join(run('grad', '--help').stdout.split())
    assert 'list[KIND], tuple[KIND], dict[KIND], dict[KEY=KIND,...]' in shown


# ------------------------------------------------------------------------ --dot


def dot_of(capsys, target):
    status, out, err = main(capsys, 'ir', target, '--dot')
    assert (status, err) == (0, '')
    return out


def test_dot_is_a_digraph_of_the_functions_operations(capsys):
    out = dot_of(capsys, f'{ROOT}/examples/oscillator.py:simulate')
    assert out.startswith('digraph "simulate" {\n') and out.endswith('}\n')
    assert out.count('{') == out.count('}')
    declared = set(re.findall(r'^\s*("[^"]+") \[label=', out, flags=re.MULTILINE))
    edges = re.findall(r'^\s*("[^"]+") -> ("[^"]+")', out, flags=re.MULTILINE)
    assert edges and all(a in declared and b in declared for a, b in edges)
    from examples import oscillator
    operations = [line.strip() for line in adjoint.ir(oscillator.simulate).splitlines()
                  if re.fullmatch(r'\s+\w+ = \w+\(.*\)', line)]
    assert len(operations) > 5
    for operation in operations:  # each operation a node labelled as the IR prints it
        assert f'[label="{operation}"]' in out
    assert 'subgraph "cluster:' in out and 'label="for _ in range(0, steps, 1)"' in out
    for param in ('k', 'damping', 'x0', 'steps', 'dt'):
        assert f'"{param}" [label="{param}", shape=ellipse]' in out
    assert '"x" -> "t2"' in out  # data flow: x is read by t2 = mul(t1, x)


def test_dot_draws_branches_and_while_loops(capsys, tmp_path):
    path = write(tmp_path, 'def f(x, n):\n    s = 0.0\n    i = 0\n    while i < n:\n'
                           '        s = s + x * i\n        i = i + 1\n    if s > 0.0:\n'
                           '        s = s * s\n    return s\n')
    out = dot_of(capsys, f'{path}:f')
    for label in ('while', 'test', 'do', 'then', 'init', 'next', 'final', 'else'):
        assert f'label="{label}"' in out
    assert '"s_3" -> "s_4" [label="then"]' in out and '"s_2" -> "s_4" [label="else"]' in out


def test_dot_draws_a_gradient_hook(capsys, tmp_path):
    path = write(tmp_path, 'import adjoint\nimport numpy as np\n\n\ndef f(x):\n'
                           '    y = np.sin(x)\n    with adjoint.insert_grad_of(y) as g:\n'
                           '        g = g * 2.0\n    return y * y\n')
    out = dot_of(capsys, f'{path}:f')
    assert 'label="on adjoint of y as g"' in out and '"g" -> "g_1"' in out


@pytest.mark.skipif(shutil.which('dot') is None, reason='Graphviz (dot) is not installed')
@pytest.mark.parametrize('target', ['examples/oscillator.py:simulate',
                                    'examples/gaussian.py:log_likelihood',
                                    'examples/neural_net.py:neural_net_predict'])
def test_graphviz_reads_the_dot(target):
    out = run('ir', target, '--dot').stdout
    result = subprocess.run(['dot', '-Tsvg'], input=out, capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stderr) == (0, '')
    assert '<svg' in result.stdout


def test_dot_only_draws_the_ir(capsys):
    assert '--dot draws the IR' in error_of(capsys, 'ir', EXAMPLE, '--dot', '--stage', 'parse')


# ----------------------------------------------------------------------- colour


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_no_colour_when_not_a_terminal(capsys):
    _, out, _ = main(capsys, 'grad', EXAMPLE, '--kinds', 'float')
    assert '\x1b' not in out and out.startswith('def grad_rosenbrock(x, y):')


def test_colour_on_a_terminal_unless_no_color(monkeypatch):
    pytest.importorskip('pygments')
    monkeypatch.delenv('NO_COLOR', raising=False)
    monkeypatch.setenv('TERM', 'xterm')
    text = adjoint.api.derivative_source(rosenbrock.rosenbrock, 0, {'x': 'float'})
    shown = cli.highlighted(text, Terminal(), 'auto')
    assert '\x1b[' in shown and re.sub(r'\x1b\[[0-9;]*m', '', shown) == text
    assert cli.highlighted(text, io.StringIO(), 'auto') == text
    assert cli.highlighted(text, Terminal(), 'never') == text
    assert '\x1b[' in cli.highlighted(text, io.StringIO(), 'always')
    monkeypatch.setenv('NO_COLOR', '1')
    assert cli.highlighted(text, Terminal(), 'auto') == text
    assert '\x1b[' in cli.highlighted(text, Terminal(), 'always')  # the option wins
    monkeypatch.setenv('NO_COLOR', '')  # no-color.org: set to the empty string is unset
    assert '\x1b[' in cli.highlighted(text, Terminal(), 'auto')


@pytest.mark.skipif(not hasattr(os, 'openpty'), reason='no pseudo-terminals here')
@pytest.mark.parametrize('no_color', [None, '1'])
def test_colour_end_to_end_on_a_pseudo_terminal(no_color):
    pytest.importorskip('pygments')
    env = {key: value for key, value in os.environ.items() if key != 'NO_COLOR'}
    env['TERM'] = 'xterm'
    if no_color:
        env['NO_COLOR'] = no_color
    leader, follower = os.openpty()
    try:
        result = subprocess.run([sys.executable, '-m', 'adjoint', 'ir', RELATIVE], cwd=ROOT,
                                stdout=follower, stderr=subprocess.PIPE, env=env,
                                stdin=subprocess.DEVNULL, timeout=60)
        os.close(follower)
        shown = b''
        while chunk := read_or_nothing(leader):
            shown += chunk
    finally:
        os.close(leader)
    assert result.returncode == 0
    assert (b'\x1b[' in shown) is (no_color is None)
    assert re.sub(rb'\x1b\[[0-9;]*m', b'', shown).replace(b'\r\n', b'\n').decode() == \
        adjoint.ir(rosenbrock.rosenbrock)


def read_or_nothing(fd):
    try:
        return os.read(fd, 65536)
    except OSError:  # Linux: EIO once the other end is closed and all is read
        return b''
