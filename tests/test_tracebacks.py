"""Errors, warnings, print() and breakpoint() in generated code point at the user's lines.

An exception raised in generated code shows the generated line (from
`linecache`) and carries a note naming the user's file, line and source line; no
frame of adjoint's own sits between the caller's and the generated ones; a NumPy
warning raised there is shown at the user's line; `print` runs once per call and
`breakpoint` stops in generated code pdb can list.
"""

import inspect
import io
import linecache
import os
import pathlib
import re
import subprocess
import sys
import traceback
import warnings

import numpy as np
import pytest

import adjoint
import transforms
from transforms.core.errors import GENERATED_FILES

ROOT = pathlib.Path(__file__).resolve().parent.parent
OWN_DIRS = tuple(os.path.dirname(m.__file__) + os.sep for m in (adjoint, transforms))


def ratio(x, y):
    z = x * x
    return z / y


def pick(x, i):
    v = [x, x]
    return v[i] * x


def calls_pick(x, i):
    return pick(x, i) + x


def countdown(x, n, d):
    if n == 0:
        return x / d
    return countdown(x, n - 1, d) * x


def tenth(x):
    return np.sum(x * x) * x[10]


def log_loss(x):
    return np.sum(np.log(x) * x)


def calls_log_loss(x):
    return log_loss(x) + x[0]


def array_out(x):
    return x * x


class Model:
    def loss(self, x, y):
        return x * x / y


def line_of(fn, text):
    """The line number in this file of the line of `fn` that contains `text`."""
    lines, first = inspect.getsourcelines(fn)
    return first + next(k for k, line in enumerate(lines) if text in line)


def note_for(fn, text):
    """The note adjoint adds for an error raised in the code of `fn`'s line `text`."""
    return (f'adjoint: raised in the code generated for {__file__}:{line_of(fn, text)}\n'
            f'    {text}')


def run(script):
    """Run the Python file `script` with this adjoint, as a user would."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=60)


def generated_frames(error):
    return [f for f in traceback.extract_tb(error.__traceback__)
            if f.filename in GENERATED_FILES]


# Each raises in generated code: (call, the function and source line it comes from).
RAISING = {
    'grad': (lambda: adjoint.grad(ratio)(1.0, 0.0), ZeroDivisionError,
             ratio, 'return z / y'),
    'value_and_grad': (lambda: adjoint.value_and_grad(ratio, wrt=(0, 1))(1.0, 0.0),
                       ZeroDivisionError, ratio, 'return z / y'),
    'jvp': (lambda: adjoint.jvp(ratio, (1.0, 0.0), (1.0, 0.0)), ZeroDivisionError,
            ratio, 'return z / y'),
    'jvp object': (lambda: adjoint.jvp(ratio)((1.0, 0.0), (1.0, None)), ZeroDivisionError,
                   ratio, 'return z / y'),
    'derivative': (lambda: adjoint.derivative(ratio)(1.0, 0.0), ZeroDivisionError,
                   ratio, 'return z / y'),
    'vjp': (lambda: adjoint.vjp(ratio, 1.0, 0.0), ZeroDivisionError, ratio, 'return z / y'),
    'hessian': (lambda: adjoint.hessian(tenth)(np.ones(3)), IndexError,
                tenth, 'return np.sum(x * x) * x[10]'),
    'hvp': (lambda: adjoint.hvp(tenth)(np.ones(3), np.ones(3)), IndexError,
            tenth, 'return np.sum(x * x) * x[10]'),
    'grad of grad': (lambda: adjoint.grad(adjoint.grad(ratio))(1.0, 0.0),
                     ZeroDivisionError, ratio, 'return z / y'),
    'helper': (lambda: adjoint.grad(calls_pick)(1.0, 5), IndexError,
               pick, 'return v[i] * x'),
    'recursion': (lambda: adjoint.grad(countdown)(1.0, 3, 0.0), ZeroDivisionError,
                  countdown, 'return x / d'),
    'method': (lambda: adjoint.grad(Model().loss)(1.0, 0.0), ZeroDivisionError,
               Model.loss, 'return x * x / y'),
}


@pytest.mark.parametrize('case', RAISING)
def test_error_in_generated_code_is_noted_with_the_users_line(case):
    call, kind, fn, text = RAISING[case]
    with pytest.raises(kind) as info:
        call()
    error = info.value
    assert type(error) is kind
    assert error.__notes__ == [note_for(fn, text)]  # once, however many frames
    frames = generated_frames(error)
    assert frames, 'the traceback passes through generated code'
    failing = frames[-1]
    generated_line = linecache.getline(failing.filename, failing.lineno).strip()
    assert generated_line and failing.line == generated_line
    shown = ''.join(traceback.format_exception(error))
    assert generated_line in shown
    assert f'{__file__}:{line_of(fn, text)}' in shown


@pytest.mark.parametrize('case', RAISING)
def test_no_frame_of_adjoint_between_the_caller_and_generated_code(case):
    call, kind, _, _ = RAISING[case]
    with pytest.raises(kind) as info:
        call()
    files = [f.filename for f in traceback.extract_tb(info.value.__traceback__)]
    assert not [f for f in files if f.startswith(OWN_DIRS)]
    # this test's frame, the lambda's, then generated code
    assert files[:2] == [__file__, __file__] and files[2] in GENERATED_FILES


def test_the_message_and_type_are_those_python_gives():
    with pytest.raises(ZeroDivisionError) as plain:
        ratio(1.0, 0.0)
    with pytest.raises(ZeroDivisionError) as derived:
        adjoint.grad(ratio)(1.0, 0.0)
    assert str(derived.value) == str(plain.value)
    assert derived.value.args == plain.value.args
    assert getattr(plain.value, '__notes__', None) is None


def test_an_adjoint_error_raised_when_the_code_runs_shows_no_adjoint_frame():
    with pytest.raises(adjoint.NonScalarOutputError) as info:
        adjoint.grad(array_out)(np.ones(2))
    files = [f.filename for f in traceback.extract_tb(info.value.__traceback__)]
    assert not [f for f in files if f.startswith(OWN_DIRS)]
    assert info.value.__notes__ == [note_for(array_out, 'return x * x')]


def test_the_default_excepthook_prints_the_generated_line_and_the_note(tmp_path):
    """Python 3.11 and 3.12 print an uncaught exception without reading
    `linecache` for `<...>` file names; adjoint's hook prints it as 3.13 does."""
    script = tmp_path / 'fails.py'
    script.write_text(
        'import adjoint\n'
        '\n'
        'def ratio(x, y):\n'
        '    return x / y\n'
        '\n'
        'derivative = adjoint.grad(ratio)\n'
        'derivative(1.0, 2.0)\n'
        'print(derivative.source, flush=True)\n'
        'derivative(1.0, 0.0)\n')
    result = run(script)
    assert result.returncode == 1
    err = result.stderr.splitlines()
    at = next(k for k, line in enumerate(err) if line.strip().startswith('File "<adjoint'))
    assert err[at + 1].strip() and err[at + 1].strip() in result.stdout  # the generated line
    assert f'adjoint: raised in the code generated for {script}:4' in err
    assert '    return x / y' in err
    assert not [line for line in err if line.strip().startswith('File "' + OWN_DIRS[0])]
    assert not [line for line in err if line.strip().startswith('File "' + OWN_DIRS[1])]


def test_a_note_is_not_added_to_an_error_raised_outside_generated_code():
    def bad_wrt(x):
        return x
    with pytest.raises(adjoint.AdjointError) as info:
        adjoint.grad(bad_wrt, wrt='y')
    assert getattr(info.value, '__notes__', None) is None


# ---------------------------------------------------------------- linecache


def test_each_generated_source_has_its_own_file_name_which_outlives_checkcache():
    gradient, both = adjoint.grad(ratio), adjoint.value_and_grad(ratio, wrt=(0, 1))
    names = set()
    for derivative in (gradient, both):
        derivative(1.0, 2.0)
        code = next(iter(derivative._inline.values()))[0].__code__
        names.add(code.co_filename)
        linecache.checkcache()  # drops entries of files that do not exist, unless...
        assert ''.join(linecache.getlines(code.co_filename)) == derivative.source
    assert len(names) == 2


def test_each_comment_line_maps_to_the_line_it_names():
    def looped(x, n):
        s = 0.0
        for i in range(n):
            if x > i:
                s = s + x * i
            else:
                s = s - x
        return s * s
    derivative = adjoint.grad(looped)
    derivative(0.5, 3)
    code = next(iter(derivative._inline.values()))[0].__code__
    table = GENERATED_FILES[code.co_filename].lines
    lines = linecache.getlines(code.co_filename)
    assert len(table) == len(lines)
    comments = 0
    for text, line in zip(lines, table):
        if text.strip().startswith('#'):
            comments += 1
            assert text.split(':')[0].split()[-1] == str(line), text
    assert comments >= 6  # both sweeps of the loop, the branch and the return


# ---------------------------------------------------------------- warnings

ZERO_ONE = np.array([0.0, 1.0])  # np.log(0.0): RuntimeWarning, divide by zero


@pytest.mark.parametrize('call, fn', [
    (lambda: adjoint.grad(log_loss)(ZERO_ONE), log_loss),
    (lambda: adjoint.grad(calls_log_loss)(ZERO_ONE), log_loss),
    (lambda: adjoint.jvp(log_loss, (ZERO_ONE,), (ZERO_ONE,)), log_loss),
], ids=['grad', 'helper', 'jvp'])
def test_a_numpy_warning_in_generated_code_points_at_the_users_line(call, fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        call()
    divide = [w for w in caught if 'divide by zero' in str(w.message)]
    assert divide and all(w.category is RuntimeWarning for w in divide)
    assert {(w.filename, w.lineno) for w in divide} == \
        {(__file__, line_of(fn, 'return np.sum(np.log(x) * x)'))}


def test_a_shown_warning_shows_the_users_line(tmp_path):
    script = tmp_path / 'warns.py'
    script.write_text(
        'import numpy as np\n'
        'import adjoint\n'
        '\n'
        'def loss(x):\n'
        '    return np.sum(np.log(x) * x)\n'
        '\n'
        'adjoint.grad(loss)(np.array([0.0, 1.0]))\n')
    result = run(script)
    assert result.returncode == 0, result.stderr
    err = result.stderr.splitlines()
    shown = err.index(f'{script}:5: RuntimeWarning: divide by zero encountered in log')
    assert err[shown + 1] == '  return np.sum(np.log(x) * x)'


def test_a_warning_made_an_error_carries_the_note():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        with pytest.raises(RuntimeWarning) as info:
            adjoint.grad(log_loss)(ZERO_ONE)
    assert info.value.__notes__ == [note_for(log_loss, 'return np.sum(np.log(x) * x)')]


def test_a_warning_from_elsewhere_is_left_as_it_is():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        warnings.warn('plain', UserWarning)
        line = sys._getframe().f_lineno - 1
    assert [(w.filename, w.lineno) for w in caught] == [(__file__, line)]


# ---------------------------------------------------------------- print, breakpoint


def prints_each_step(x, n):
    s = 0.0
    for i in range(n):
        print('step', i)
        s = s + x * i
    return s * s


def prints_in_helper(x):
    print('helper at', x)
    return x * x


def calls_printing_helper(x):
    return prints_in_helper(x) + x


def test_print_runs_once_per_call_in_the_primal_sweep(capsys):
    derivative = adjoint.grad(prints_each_step)
    assert derivative(0.5, 2) == pytest.approx(2 * 0.5 * 1.0)
    assert capsys.readouterr().out == 'step 0\nstep 1\n'
    derivative(0.5, 3)
    assert capsys.readouterr().out == 'step 0\nstep 1\nstep 2\n'
    calls = [line for line in derivative.source.splitlines() if line.strip().startswith('print(')]
    assert len(calls) == 1  # in the primal sweep only


@pytest.mark.parametrize('call, expected', [
    (lambda: adjoint.grad(calls_printing_helper)(0.5), 2.0),
    (lambda: adjoint.jvp(calls_printing_helper, (0.5,), (1.0,))[1], 2.0),
    (lambda: adjoint.hessian(calls_printing_helper)(0.5), 2.0),
    (lambda: adjoint.vjp(calls_printing_helper, 0.5)[1](1.0)[0], 2.0),
], ids=['grad', 'jvp', 'hessian', 'vjp'])
def test_print_in_a_helper_runs_once(capsys, call, expected):
    assert call() == pytest.approx(expected)
    assert capsys.readouterr().out == 'helper at 0.5\n'


def stops(x):
    y = x * x
    breakpoint()
    return y * x


def test_breakpoint_stops_in_generated_code_pdb_can_list(monkeypatch):
    import pdb
    shown = io.StringIO()
    stopped = []

    def hook(*args, **kwargs):
        frame = sys._getframe(1)
        stopped.append(frame.f_code.co_filename)
        debugger = pdb.Pdb(stdin=io.StringIO('list\ncontinue\n'), stdout=shown,
                           nosigint=True)
        debugger.use_rawinput = False
        debugger.set_trace(frame)

    monkeypatch.setattr(sys, 'breakpointhook', hook)
    derivative = adjoint.grad(stops)
    assert derivative(2.0) == pytest.approx(12.0)
    assert len(stopped) == 1 and stopped[0] in GENERATED_FILES
    listed = shown.getvalue()
    generated = linecache.getlines(stopped[0])
    called = next(k for k, line in enumerate(generated, 1) if line.strip() == 'breakpoint()')
    # `list` shows the generated lines around the one pdb stopped at: the call
    # (Python 3.13) or the line after it (3.11, 3.12)
    assert re.search(rf'^ *{called}  (->)?\t{re.escape(generated[called - 1].rstrip())}$',
                     listed, re.MULTILINE)
    at = re.search(r'^ *(\d+)  ->\t(.*)$', listed, re.MULTILINE)
    assert int(at[1]) >= called and at[2] == generated[int(at[1]) - 1].rstrip()
