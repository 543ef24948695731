"""The `adjoint` command line, run as users run it: console script and `python -m`.

Subprocesses cost a NumPy import each, so only the end-to-end runs use them; the
option and error handling is tested in-process through `cli.main(argv)`.
"""

import pathlib
import re
import subprocess
import sys

import pytest

import adjoint
from adjoint import cli
from adjoint.testing import numerical_grad
from examples import rosenbrock

ROOT = pathlib.Path(__file__).resolve().parent.parent
RELATIVE = 'examples/rosenbrock.py:rosenbrock'  # for subprocesses, run in ROOT
EXAMPLE = f'{ROOT}/{RELATIVE}'
SCRIPT = pathlib.Path(sys.executable).with_name('adjoint')


def run(*argv, command=(sys.executable, '-m', 'adjoint')):
    return subprocess.run([*command, *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


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
