"""`python benchmarks/numba_loops.py --quick --tools none` runs to its end: every
workload is checked (adjoint's Numba gradient against its Python one, both
against the hand-written one, that against finite differences) and the report
printed. A smoke test of the benchmark, not a timing: no number in the report is
looked at. Skipped where Numba is not installed."""

import os
import pathlib
import subprocess
import sys

import pytest

pytest.importorskip('numba')

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKLOADS = ('euler_1k', 'euler_100k', 'linreg_numpy', 'linreg_list', 'potential_2d',
             'rosenbrock')


def test_quick_run_checks_every_workload_and_prints_the_targets():
    path = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get('PYTHONPATH')])])
    done = subprocess.run(
        [sys.executable, str(ROOT / 'benchmarks' / 'numba_loops.py'), '--quick',
         '--tools', 'none'],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, PYTHONPATH=path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'FAILED' not in done.stdout
    table = done.stdout.split('## Time per call\n')[1].strip().split('\n\n')[0]
    rows = [line.split('|')[1].strip() for line in table.splitlines()[2:]]
    assert rows == list(WORKLOADS)
    targets = done.stdout.split('## Targets\n')[1]
    for name in WORKLOADS:
        assert f'`{name}` adjoint+numba compile + first call' in targets
