"""`python benchmarks/run.py --quick` runs to its end: every benchmark is checked
(adjoint's gradient against the hand-written one, that against finite
differences) and the report printed. A smoke test of the harness, not a timing:
no number in the report is looked at, and no optional library is used."""

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKLOADS = ('rosenbrock', 'goldstein_price', 'gauss', 'euler', 'linreg_list',
             'rosenbrock_nd', 'logistic', 'mlp')


def test_quick_run_checks_every_workload_and_prints_each_section():
    path = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get('PYTHONPATH')])])
    done = subprocess.run(
        [sys.executable, str(ROOT / 'benchmarks' / 'run.py'), '--quick', '--tools', 'none'],
        capture_output=True, text=True, timeout=120, env=dict(os.environ, PYTHONPATH=path))
    assert done.returncode == 0, done.stderr
    table = done.stdout.split('## Time per call\n')[1].strip().split('\n\n')[0]
    rows = [line.split('|')[1].strip() for line in table.splitlines()[2:]]
    assert [name for name in rows if name in WORKLOADS] == list(WORKLOADS)
    for section in ('## Compile time', '## Targets', '## Peak memory of one call'):
        assert section in done.stdout
    assert 'first gradient of a 10-statement function' in done.stdout
