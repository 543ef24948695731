"""Run adjoint's benchmarks and print a table of times and ratios.

    python benchmarks/run.py                  # all benchmarks, 2-4 minutes
    python benchmarks/run.py euler            # some, by name
    python benchmarks/run.py --quick          # a smoke run: small problems, 3 rounds
    python benchmarks/run.py --tools none     # without autograd, JAX and PyTorch
    python benchmarks/run.py --show-source    # also print each generated gradient
    python benchmarks/run.py --write          # also write results.md, results.json
                                              # and docs/benchmarks.png
    python benchmarks/run.py --wall           # wall-clock time instead of CPU time

See benchmarks/README.md for how to read the numbers.
"""

import argparse
import contextlib
import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# One BLAS thread, set before NumPy loads: the CPU-time clock adds up all threads, and
# matrices this small gain little from more; both gradients get the same BLAS.
for _variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_variable, '1')

import common  # noqa: E402
import compare  # noqa: E402
import compile_time  # noqa: E402
import euler  # noqa: E402
import linreg  # noqa: E402
import logistic  # noqa: E402
import mlp  # noqa: E402
import plot  # noqa: E402
import rosenbrock_nd  # noqa: E402
import scalar  # noqa: E402
import second_order  # noqa: E402
import tape  # noqa: E402

BENCHMARKS = {b.name: b for module in (scalar, euler, linreg, rosenbrock_nd, logistic, mlp)
              for b in module.BENCHMARKS}
MEMORY = {'euler': euler.STEPS, 'linreg_list': linreg.POINTS}  # tape reports to print
QUICK_STEPS = 10  # the tape reports' steps with --quick
# Peak memory of a call; timed again with glibc keeping freed memory.
PEAKS = ('linreg_numpy', 'rosenbrock_nd', 'logistic', 'mlp', 'mlp_arrays', 'mlp_plain_max')
SECOND_ORDER = 'hvp_rosenbrock'  # second_order.py: a table of its own
COMPILE_SIZES = (10, 100, 1000)  # statements; 5,000 take 20-30 s a shape here
TEN_LINES = 10  # the compile-time program whose first gradient has a target
TEN_LINES_TARGET = 0.005  # seconds
THOUSAND_TARGET = 0.5  # seconds to the first gradient of 1,000 statements
FLAT = 1.5  # "flat": the most ms per statement may grow from 100 statements on
RESULTS = os.path.join(HERE, 'results.md')
RESULTS_JSON = os.path.join(HERE, 'results.json')
PLOT = os.path.join(os.path.dirname(HERE), 'docs', 'benchmarks.png')


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('names', nargs='*', metavar='NAME',
                        help=f'benchmarks to run (default: all): '
                        f'{", ".join([*BENCHMARKS, SECOND_ORDER])}')
    parser.add_argument('--show-source', action='store_true',
                        help="print each benchmark's generated adjoint source")
    parser.add_argument('--rounds', type=int,
                        help=f'measurements per function (default {common.ROUNDS}, '
                        f'3 with --quick): the minimum time and the median ratio '
                        f'are reported')
    parser.add_argument('--wall', dest='timer', action='store_const', const='wall',
                        default='cpu', help='time with the wall clock instead of the '
                        "process's CPU time (see common.py)")
    parser.add_argument('--tools', default='all',
                        help='the other libraries to compare with, comma-separated, '
                        f'of {", ".join(compare.FACTORIES)}; "all" (the default: '
                        'those installed) or "none"')
    parser.add_argument('--compile-sizes', type=int, nargs='+', metavar='STATEMENTS',
                        help=f'sizes of the compile-time table (default '
                        f'{" ".join(map(str, COMPILE_SIZES))}; 5000 takes minutes)')
    parser.add_argument('--quick', action='store_true',
                        help='a smoke run: small problems, 3 rounds, 1 ms '
                        'measurements, one try of each first gradient; the numbers '
                        'mean little')
    parser.add_argument('--write', action='store_true',
                        help=f'also write the report to {os.path.relpath(RESULTS)}, '
                        f'every number to {os.path.relpath(RESULTS_JSON)} and the '
                        f'plot to {os.path.relpath(PLOT)}')
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS and n != SECOND_ORDER]
    if unknown:
        parser.error(f'unknown benchmark(s): {", ".join(unknown)}; '
                     f'choose from {", ".join(BENCHMARKS)}')
    if args.tools in ('all', 'none'):
        args.tools = list(compare.FACTORIES) if args.tools == 'all' else []
    else:
        args.tools = args.tools.split(',')
        wrong = [t for t in args.tools if t not in compare.FACTORIES]
        if wrong:
            parser.error(f'unknown tool(s): {", ".join(wrong)}; choose from '
                         f'{", ".join(compare.FACTORIES)}, all or none')
    if args.quick and args.write:
        parser.error('--quick numbers are not worth keeping: drop --write')
    if args.rounds is None:
        args.rounds = 3 if args.quick else common.ROUNDS
    if args.compile_sizes is None:
        args.compile_sizes = (TEN_LINES,) if args.quick else COMPILE_SIZES
    if args.quick:
        common.MIN_TIME = 0.001
        common.FIRST_REPEATS = 1
    return args


def _show_source(bench):
    grad_fn = bench.adjoint_grad()
    grad_fn(*bench.args)  # `.source` shows the version these argument kinds run
    common.section(f'{bench.name}: generated gradient')
    print('```python')
    print(grad_fn.source.rstrip())
    print('```')
    print(f'\nHand-written gradient: {bench.note}.')


def _target(what, value, target, unit='x'):
    """Print one met/MISSED line; returns it as a dict for results.json."""
    met = value <= target
    shown = (f'{value * 1e3:.1f} ms' if unit == 's' else f'{value:.2f}x')
    limit = (f'{target * 1e3:g} ms' if unit == 's' else f'{target:.2f}x')
    print(f'- {what}: {shown}, target <= {limit}: {"met" if met else "MISSED"}')
    return {'what': what, 'value': value, 'target': target, 'met': met}


def _hand_targets(benches, results, where=''):
    return [_target(f'`{b.name}` adjoint/hand{where}', r.to_hand, b.target)
            for b, r in zip(benches, results) if b.target is not None]


def _result_data(bench, result):
    return {'name': result.name, 'note': bench.note, 'seconds': result.seconds,
            'to_primal': result.to_primal, 'adjoint_to_hand': result.to_hand,
            'rounds': result.rounds, 'first_call': result.first_call,
            'skipped': result.skipped}


def _gradients(benches, args, tools, data):
    """The table of gradient timings."""
    common.section('Time per call')
    results = [common.measure(b, args.rounds, args.timer, tools if b.compare else (),
                              first=True) for b in benches]
    print(common.table(results))
    clock = 'CPU time of the process' if args.timer == 'cpu' else 'wall-clock time'
    print(f'\n{args.rounds} rounds, each measuring every function in turn for '
          f'>= {common.MIN_TIME * 1e3:g} ms ({clock}) each: times are the minimum, '
          f'ratios the median of the ratios within a round. Every gradient was '
          f'checked first against the hand-written one and finite differences. '
          f'"first gradient": the least of {common.FIRST_REPEATS} tries of '
          f'`adjoint.grad(f)(*args)` after `adjoint.cache.clear()`: parse, compile '
          f'and one call.')
    data['benchmarks'] = [_result_data(b, r) for b, r in zip(benches, results)]
    if tools:
        _comparison(benches, results, tools)
    arrays = [b for b in benches if b.name in PEAKS]
    if arrays and common.keep_freed_memory():
        common.section('Time per call, glibc keeping freed memory')
        kept = [common.measure(b, args.rounds, args.timer) for b in arrays]
        print(common.table(kept))
        print('\nMeasured as above, after `mallopt` told glibc to keep the memory a '
              'call frees instead of giving the top of the heap back to the system '
              '(see README.md, "How to read the table"): the cost of the code itself.\n')
        data['kept_freed_memory'] = [_result_data(b, r) for b, r in zip(arrays, kept)]
        data['targets'] += _hand_targets(arrays, kept, ', glibc keeping freed memory')
    return results


def _comparison(benches, results, tools):
    """The tables of every library's gradient, as ratios to the primal and times."""
    names = ['hand', 'adjoint'] + [t.name for t in tools]
    compared = [(b, r) for b, r in zip(benches, results) if b.compare]
    common.section('Compared with other libraries')
    print('Time of each gradient over the time of the primal, measured in the same '
          'rounds (the median of the ratios within a round):\n')
    rows = [[b.name] + [f'{r.to_primal[n]:.2f}x' if n in r.to_primal else '–'
                        for n in names] for b, r in compared]
    print(common.markdown(['benchmark', *names], rows))
    print('\nTime per call (the minimum over the rounds); the last column is the first '
          'call of `jax.jit(grad)`: tracing, XLA\'s compile and one call:\n')
    jit = 'jax.jit(grad)'
    head = ['benchmark', 'primal', *names] + (['jit first call'] if any(
        t.name == jit for t in tools) else [])
    rows = []
    for b, r in compared:
        row = [b.name, common.us(r.primal)] + [common.us(r.seconds.get(n)) for n in names]
        if len(head) > len(names) + 2:
            row.append(common.us(r.first_call.get(jit)))
        rows.append(row)
    print(common.markdown(head, rows))
    print('\nHow each library is called (the arguments made once, before timing):\n')
    for tool in tools:
        print(f'- {tool.name} {tool.version}: {compare.HOW_CALLED[tool.name]}')
    few = sorted({f'{n} on `{b.name}` ({r.rounds[n]})' for b, r in compared
                  for n in r.rounds if r.rounds[n] < max(r.rounds.values())})
    if few:
        print(f'\nMeasured in fewer rounds, to keep the run short (a call of these takes '
              f'long; see common.py): {", ".join(few)}.')
    skipped = [f'- {name} not timed on `{b.name}`: {why}' for b, r in compared
               for name, why in r.skipped.items()]
    if skipped:
        print('\n' + '\n'.join(skipped))


def _compile_section(args, clock, data):
    common.section('Compile time')
    sizes = ', '.join(map(str, args.compile_sizes))
    print(f'Time to the first gradient of generated functions of {sizes} statements '
          '(`compile_time.py`: straight-line code, an `if` per block, a `for` per '
          f'block), on the clock of the tables above; the least of '
          f'{common.FIRST_REPEATS} tries up to 100 statements, one try above.\n')
    print(compile_time.HEAD)
    rows = []
    for shape, size, seconds in compile_time.measure(args.compile_sizes, clock,
                                                     common.FIRST_REPEATS):
        print(compile_time.row(shape, size, seconds), flush=True)
        rows.append({'shape': shape, 'statements': size, 'seconds': seconds,
                     'ms_per_statement': seconds * 1e3 / size})
    data['compile_time'] = rows
    return rows


def _issue_targets(benches, results, compiled):
    """The targets of issue 14 (and the benchmarks' own), as met/MISSED lines."""
    common.section('Targets')
    lines = _hand_targets(benches, results)
    for b, r in zip(benches, results):
        if b.target_primal is not None:
            lines.append(_target(f'`{b.name}` adjoint/primal', r.to_primal['adjoint'],
                                 b.target_primal))
            jit = r.to_primal.get('jax.jit(grad)')
            if jit is not None:
                lines.append(_target(f'`{b.name}` adjoint/primal, at most jax.jit(grad)/primal',
                                     r.to_primal['adjoint'], jit))
        if b.first_target is not None and r.first_call.get('adjoint') is not None:
            lines.append(_target(f'`{b.name}` first gradient', r.first_call['adjoint'],
                                 b.first_target, 's'))
    for row in compiled:
        if row['shape'] == 'straight' and row['statements'] == TEN_LINES:
            lines.append(_target(f'first gradient of a {TEN_LINES}-statement function',
                                 row['seconds'], TEN_LINES_TARGET, 's'))
        if row['statements'] == 1000:
            lines.append(_target(f'first gradient of 1,000 statements, {row["shape"]}',
                                 row['seconds'], THOUSAND_TARGET, 's'))
    for shape in compile_time.SHAPES:
        per = {row['statements']: row['ms_per_statement'] for row in compiled
               if row['shape'] == shape and row['statements'] >= 100}
        if 100 in per and 5000 in per:
            lines.append(_target(f'ms per statement at 5,000 over at 100, {shape}',
                                 per[5000] / per[100], FLAT))
    if not any(row['statements'] == 5000 for row in compiled):
        print('- ms per statement flat from 100 to 5,000 statements: not measured '
              '(`--compile-sizes 10 100 1000 5000`, or `compile_time.py`)')
    return lines


def report(args):
    """Print the whole report; returns every number as a dict (results.json)."""
    clock = common.TIMERS[args.timer]
    benches = [BENCHMARKS[n] for n in (args.names or BENCHMARKS) if n in BENCHMARKS]
    if args.quick:
        benches = [b.shrunk() for b in benches]
    data = {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
            'machine': common.machine_info(),
            'settings': {'rounds': args.rounds, 'timer': args.timer,
                         'min_time': common.MIN_TIME, 'tool_budget': common.TOOL_BUDGET,
                         'quick': args.quick},
            'targets': []}
    print('# adjoint benchmarks\n')
    print(common.machine())
    tools, missing = compare.available(args.tools) if any(b.compare for b in benches) \
        else ([], {})
    data['tools'] = {**{t.name: t.version for t in tools}, **missing}
    if args.tools:
        print('\nCompared with: ' + ', '.join(
            [f'{t.name} {t.version}' for t in tools] +
            [f'{name} ({why})' for name, why in missing.items()]) + '.')
    if args.show_source:
        for bench in benches:
            _show_source(bench)
    results = _gradients(benches, args, tools, data) if benches else []
    peaks = [b for b in benches if b.name in PEAKS]
    if peaks:
        common.section('Peak memory of one call')
        data['peak_memory'] = tape.report_peaks(peaks)
    data['tapes'] = {}
    for bench in benches:
        if bench.name in MEMORY:
            common.section(f'{bench.name}: memory of the backward sweep')
            steps = QUICK_STEPS if args.quick else MEMORY[bench.name]
            data['tapes'][bench.name] = tape.report(bench, steps)
    if not args.names or SECOND_ORDER in args.names:
        # A Hessian takes 60 ms: a tenth of the rounds.
        data['second_order'] = second_order.report(
            common.time_calls, common.section, max(args.rounds // 10, 3), args.timer)
    compiled = _compile_section(args, clock, data) if not args.names else []
    data['targets'] = _issue_targets(benches, results, compiled) + data['targets']
    data['machine']['load_average_end'] = common.machine_info()['load_average']
    end = ', '.join(f'{x:.2f}' for x in data['machine']['load_average_end'])
    print(f'\nLoad average at the end: {end}.')
    return data


def main(argv=None):
    args = _arguments(argv)
    if not args.write:
        report(args)
        return 0
    tee = common.Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):
        data = report(args)
    with open(RESULTS, 'w') as f:
        f.write(tee.copy.getvalue())
    with open(RESULTS_JSON, 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
    title = (f'{data["date"][:10]}, {data["machine"]["processor"]}, '
             f'{data["machine"]["cpus"]} CPUs, {args.rounds} rounds')
    # The benchmarks the other libraries ran on, if they ran; else every one.
    compared = [b for b in data['benchmarks'] if set(b['to_primal']) - set(plot.OWN)]
    why_not = plot.write(compared or data['benchmarks'], PLOT, title)
    print(f'Plot: {why_not}; {os.path.relpath(PLOT)} not written.' if why_not else
          f'Wrote {os.path.relpath(RESULTS)}, {os.path.relpath(RESULTS_JSON)}, '
          f'{os.path.relpath(PLOT)}.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
