"""The README and the docs run: every example is executed and its output compared.

In README.md and docs/*.md:

- a ```python block runs (the blocks of one file share one namespace, in order);
  a ```text block right after it (only blank lines between) is its exact stdout;
- a ```console block holds `$ adjoint ...` (or `$ python -m adjoint ...`)
  commands, each followed by its exact output (stdout, then stderr), run in the
  repository root; a command may end in `< FILE`, read as its standard input;
- other blocks (```bash set-up commands, ```py fragments) are not run;
- a ```python block whose first line is `# needs numba` (an optional extra) runs,
  and its output is checked, only where that package is installed.

Functions defined in a block get their source from that block, so the line
numbers adjoint cites in generated code count from the block's first line.
`pytest tests/test_readme.py --regen-golden` rewrites the output blocks.
"""

import contextlib
import importlib.util
import io
import linecache
import os
import pathlib
import re
import shlex
import subprocess
import sys
import unittest.mock

import pytest

from adjoint import cache, cli
from tests.conftest import regenerating

ROOT = pathlib.Path(__file__).resolve().parent.parent
FILES = [ROOT / 'README.md', *sorted((ROOT / 'docs').glob('*.md'))]
NEEDS = re.compile(r'# needs (\w+)')
FENCE = re.compile(r'^```(\w*)[^\n]*\n(.*?)^```[ \t]*$', re.M | re.S)


def blocks(text):
    """[(language, body, body start, body end, fence start, fence end)]."""
    return [(m.group(1), m.group(2), m.start(2), m.end(2), m.start(), m.end())
            for m in FENCE.finditer(text)]


def run_python(code, namespace, label):
    """Run `code` as if from a file named `label`; returns what it printed (ending
    in one newline: a trailing blank line from printing source is not shown)."""
    lines = code.splitlines(keepends=True)
    linecache.cache[label] = (len(code), None, lines, label)  # inspect.getsource finds it
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, label, 'exec'), namespace)  # noqa: S102 - our own docs
    printed = out.getvalue().rstrip('\n')
    return printed + '\n' if printed else ''


def run_console(body):
    """The console block `body` with each command's output replaced by what it prints."""
    result = []
    for line in body.splitlines():
        if not line.startswith('$ '):
            continue
        result.append(line)
        argv = shlex.split(line[2:])
        if argv[:3] == ['python', '-m', 'adjoint']:
            argv = argv[3:]
        elif argv[0] == 'adjoint':
            argv = argv[1:]
        else:
            raise AssertionError(f'console blocks run only adjoint commands: {line}')
        stdin = io.StringIO()
        if argv[-2:-1] == ['<']:  # `adjoint ir -:f < FILE`: FILE on standard input
            stdin = io.StringIO(pathlib.Path(argv[-1]).read_text())
            argv = argv[:-2]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                unittest.mock.patch('sys.stdin', stdin):
            cli.main(argv)
        result.extend((out.getvalue() + err.getvalue()).rstrip('\n').splitlines())
    return '\n'.join(result) + '\n'


def expected_and_actual(path):
    """[(expected text, actual text, start, end)] for every checked block of `path`."""
    text = path.read_text()
    found = blocks(text)
    namespace = {'__name__': f'docs_{path.stem}'}
    checks = []
    examples = 0
    for k, (language, body, start, end, _, fence_end) in enumerate(found):
        if language == 'python':
            examples += 1
            needs = NEEDS.match(body)
            if needs and importlib.util.find_spec(needs.group(1)) is None:
                continue
            printed = run_python(body, namespace, f'<{path.name} example {examples}>')
            after = found[k + 1] if k + 1 < len(found) else None
            if after and after[0] == 'text' and not text[fence_end:after[4]].strip():
                checks.append((after[1], printed, after[2], after[3]))
            elif printed:
                checks.append(('', printed, None, None))  # printed with nowhere to show it
        elif language == 'console':
            checks.append((body, run_console(body), start, end))
    return checks


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    cache.clear()  # `.source` shows the version that ran last: start from a clean slate


@pytest.mark.parametrize('path', FILES, ids=lambda p: p.name)
def test_examples_print_what_the_text_says(path, in_root, request):
    checks = expected_and_actual(path)
    if regenerating(request.config):
        text = path.read_text()
        for expected, actual, start, end in sorted(checks, key=lambda c: -(c[2] or 0)):
            if start is not None:
                text = text[:start] + actual + text[end:]
        path.write_text(text)
        return
    for expected, actual, start, _ in checks:
        assert start is not None, f'{path.name}: a python block printed but no ```text ' \
                                  f'block follows it:\n{actual}'
        assert actual == expected, f'{path.name}: an example prints something else ' \
                                   f'(rerun with --regen-golden after review)'


def test_readme_has_the_two_setup_commands():
    text = (ROOT / 'README.md').read_text()
    assert 'pip install . && python examples/rosenbrock.py' in text
    assert 'pip install -e ".[test]" && pytest' in text


def test_docs_links_resolve():
    for path in FILES:
        for target in re.findall(r'\]\(([^)#:]+)(?:#[^)]*)?\)', path.read_text()):
            assert (path.parent / target).exists(), f'{path.name} links to missing {target}'


def test_examples_run_as_scripts():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    shows = {'rosenbrock': 'def grad_', 'gaussian': 'def grad_', 'oscillator': 'def grad_',
             'micrograd_explained': 'def grad_', 'robot_arm': 'def jvp_hand',
             'mlp_training': 'training accuracy'}
    for name, shown in shows.items():
        result = subprocess.run([sys.executable, f'examples/{name}.py'], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert shown in result.stdout


def test_pdb_lists_and_steps_through_generated_lines():
    """docs/usage.md promises that pdb shows the generated code."""
    import pdb
    from adjoint import api
    from examples import rosenbrock
    fn, source, _ = api.specialize(rosenbrock.rosenbrock, ('x', 'y'),
                                   {'x': 'float', 'y': 'float'})
    out = io.StringIO()
    debugger = pdb.Pdb(stdin=io.StringIO('list\nnext\nnext\np t1\ncontinue\n'), stdout=out,
                       nosigint=True)
    debugger.use_rawinput = False
    assert debugger.runcall(fn, -1.0, 2.0) == pytest.approx((396.0, 200.0))
    shown = out.getvalue()
    assert re.search(r'<adjoint \d+: grad_rosenbrock>\(\d+\)grad_rosenbrock\(\)', shown)
    for line in source.splitlines()[:4]:
        assert line in shown  # `list` printed the generated lines
    # `p t1` after the first statement (t1 = 1.0 - x) prints 2.0 after the prompt
    assert re.search(r'^(\(Pdb\) )?2\.0$', shown, re.MULTILINE)
