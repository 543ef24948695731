"""Run adjoint's benchmarks and print a table of times and ratios.

    python benchmarks/run.py                  # all benchmarks
    python benchmarks/run.py euler            # some, by name
    python benchmarks/run.py --show-source    # also print each generated gradient
    python benchmarks/run.py --write          # also write benchmarks/results.md
    python benchmarks/run.py --wall           # wall-clock time instead of CPU time

See benchmarks/README.md for how to read the numbers.
"""

import argparse
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# One BLAS thread, set before NumPy loads: the CPU-time clock adds up all threads, and
# matrices this small gain little from more; both gradients get the same BLAS.
for _variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_variable, '1')

import common  # noqa: E402
import euler  # noqa: E402
import linreg  # noqa: E402
import mlp  # noqa: E402
import rosenbrock_nd  # noqa: E402
import second_order  # noqa: E402
import tape  # noqa: E402

BENCHMARKS = {b.name: b for module in (euler, linreg, rosenbrock_nd, mlp)
              for b in module.BENCHMARKS}
MEMORY = {'euler': euler.STEPS, 'linreg_list': linreg.POINTS}  # tape reports to print
# Peak memory of a call; timed again with glibc keeping freed memory.
PEAKS = ('linreg_numpy', 'rosenbrock_nd', 'mlp', 'mlp_arrays', 'mlp_plain_max')
SECOND_ORDER = 'hvp_rosenbrock'  # second_order.py: a table of its own
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results.md')


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('names', nargs='*', metavar='NAME',
                        help=f'benchmarks to run (default: all): '
                        f'{", ".join([*BENCHMARKS, SECOND_ORDER])}')
    parser.add_argument('--show-source', action='store_true',
                        help="print each benchmark's generated adjoint source")
    parser.add_argument('--rounds', type=int, default=common.ROUNDS,
                        help='measurements per function: the minimum time and the '
                        'median ratio are reported')
    parser.add_argument('--wall', dest='timer', action='store_const', const='wall',
                        default='cpu', help='time with the wall clock instead of the '
                        "process's CPU time (see common.py)")
    parser.add_argument('--write', action='store_true',
                        help=f'also write the report to {os.path.relpath(RESULTS)}')
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS and n != SECOND_ORDER]
    if unknown:
        parser.error(f'unknown benchmark(s): {", ".join(unknown)}; '
                     f'choose from {", ".join(BENCHMARKS)}')
    return args


def _show_source(bench):
    grad_fn = bench.adjoint_grad()
    grad_fn(*bench.args)  # `.source` shows the version these argument kinds run
    common.section(f'{bench.name}: generated gradient')
    print('```python')
    print(grad_fn.source.rstrip())
    print('```')
    print(f'\nHand-written gradient: {bench.note}.')


def _targets(benches, results):
    for bench, result in zip(benches, results):
        if bench.target is not None:
            verdict = 'met' if result.to_hand <= bench.target else 'MISSED'
            print(f'- `{bench.name}`: adjoint/hand {result.to_hand:.2f}x, target '
                  f'<= {bench.target:.2f}x: {verdict}')


def _gradients(benches, args):
    """The table of gradient timings, and the targets."""
    common.section('Time per call')
    results = [common.measure(b, args.rounds, args.timer) for b in benches]
    print(common.table(results))
    clock = 'CPU time of the process' if args.timer == 'cpu' else 'wall-clock time'
    print(f'\n{args.rounds} rounds, each measuring the three functions in turn for '
          f'>= {common.MIN_TIME * 1e3:g} ms ({clock}) each: times are the minimum, '
          f'ratios the median of the ratios within a round. Every gradient was '
          f'checked first against the hand-written one and finite differences.\n')
    _targets(benches, results)
    arrays = [b for b in benches if b.name in PEAKS]
    if arrays and common.keep_freed_memory():
        common.section('Time per call, glibc keeping freed memory')
        results = [common.measure(b, args.rounds, args.timer) for b in arrays]
        print(common.table(results))
        print('\nMeasured as above, after `mallopt` told glibc to keep the memory a '
              'call frees instead of giving the top of the heap back to the system '
              '(see README.md, "How to read the table"): the cost of the code itself.\n')
        _targets(arrays, results)


def report(args):
    """Print the whole report."""
    benches = [BENCHMARKS[n] for n in (args.names or BENCHMARKS) if n in BENCHMARKS]
    print('# adjoint benchmarks\n')
    print(common.machine())
    if args.show_source:
        for bench in benches:
            _show_source(bench)
    if benches:
        _gradients(benches, args)
    peaks = [b for b in benches if b.name in PEAKS]
    if peaks:
        common.section('Peak memory of one call')
        tape.report_peaks(peaks)
    for bench in benches:
        if bench.name in MEMORY:
            common.section(f'{bench.name}: memory of the backward sweep')
            tape.report(bench, MEMORY[bench.name])
    if not args.names or SECOND_ORDER in args.names:
        # A Hessian takes 60 ms: a tenth of the rounds.
        second_order.report(common.time_calls, common.section, max(args.rounds // 10, 3),
                            args.timer)


class _Tee(io.TextIOBase):
    """Writes to the terminal as it goes, and keeps a copy for results.md."""

    def __init__(self, stream):
        self.stream = stream
        self.copy = io.StringIO()

    def write(self, text):
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()


def main(argv=None):
    args = _arguments(argv)
    if not args.write:
        report(args)
        return 0
    tee = _Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):
        report(args)
    with open(RESULTS, 'w') as f:
        f.write(tee.copy.getvalue())
    return 0


if __name__ == '__main__':
    sys.exit(main())
