"""Issue 15's benchmark: adjoint's gradients compiled with Numba, on loops.

    python benchmarks/numba_loops.py              # every workload, 2-3 minutes
    python benchmarks/numba_loops.py --quick      # a smoke run: small problems, seconds
    python benchmarks/numba_loops.py --tools none # without JAX
    python benchmarks/numba_loops.py --write      # also save numba_results.md and .json

`backend='numba'` is for the code one writes for Numba: loops over floats and
arrays. So the workloads are such loops, and the yardstick is the primal compiled
with `numba.njit`: issue 15 asks for a gradient within 2x of it, at least 5x faster
per call than `jax.jit(jax.grad)` on the Euler and the regression loops, and a
first call (adjoint's compile, Numba's, and the call) under a second.

Each workload is measured in one process, in interleaved rounds (common.py's
`time_calls`): the Python primal, `numba.njit(primal)`, adjoint's Python
gradient, adjoint's Numba gradient and, where JAX is installed, `jax.jit` of
`jax.grad` of the workload written with `jax.lax.fori_loop` (jax_loops.py), as
JAX users write loops. Times are minima over the rounds, ratios medians of the
ratios within a round, on the process's CPU time. Every gradient is checked first.

Numba and JAX are optional: without Numba this says so and exits 0; without JAX
its columns say so. See README.md, "Numba: numba_loops.py".
"""

import argparse
import contextlib
import dataclasses
import datetime
import importlib.metadata
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
for _variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_variable, '1')  # as in run.py: one thread, before NumPy

import numpy as np  # noqa: E402

import adjoint  # noqa: E402
from adjoint.testing import numerical_grad  # noqa: E402
import common  # noqa: E402
import compare  # noqa: E402 - also sets XLA's flags (one thread) before JAX loads
import euler  # noqa: E402
import linreg  # noqa: E402
import potential  # noqa: E402
import scalar  # noqa: E402

RESULTS = os.path.join(HERE, 'numba_results.md')
RESULTS_JSON = os.path.join(HERE, 'numba_results.json')
BUDGET = 2.0  # the most seconds spent measuring one function of one workload
COMPILE_REPEATS = 3  # fresh compiles timed, the least reported
UNROLLED_COMPILE_LIMIT = 30.0  # seconds: beyond this, the unrolled JAX loop is noted
RTOL_BACKENDS = 1e-10  # adjoint's Numba gradient against its Python gradient
RTOL_CHECK = 1e-5  # both against the hand-written one, that against central differences
RTOL_JAX = 1e-8  # JAX's gradient against the hand-written one (all float64)
RATIO_TARGET = 2.0  # adjoint+numba over numba.njit(primal), on the loops
JAX_TARGET = 5.0  # adjoint+numba at least this much faster than jax.jit(grad) ...
JAX_TARGET_ON = ('euler_1k', 'euler_100k', 'linreg_numpy')  # ... on these
FIRST_TARGET = 1.0  # seconds of adjoint+numba's compile and first call

# Each function of a round, in order; the JAX ones only where measured.
PY_PRIMAL, NB_PRIMAL, PY_GRAD, NB_GRAD = ('python primal', 'numba primal',
                                          'adjoint python', 'adjoint numba')
GENERATED = 'generated code alone'  # the Numba dispatcher adjoint+numba calls
JIT, UNROLLED = 'jax.jit(grad)', 'jax.jit(grad), unrolled'


@dataclasses.dataclass(frozen=True)
class Workload:
    """One row of the table.

    Attributes:
        name: the row's name.
        primal: the function adjoint differentiates, as written in its module.
        args: the arguments of every timed call.
        wrt: indices of the arguments differentiated.
        hand: a hand-written gradient, returning what `adjoint.grad(primal, wrt)`
            returns (the check compares it with finite differences too).
        note: what the row is, for the list under the table.
        loop: whether the target of 2x the Numba primal applies.
        jax: the name of its JAX version in jax_loops.VERSIONS, or None.
        unrolled: also time `jax.jit` of the plain Python loop (`primal` itself).
        small: the arguments `--quick` uses.
    """

    name: str
    primal: object
    args: tuple
    wrt: tuple
    hand: object
    note: str
    loop: bool = True
    jax: str = None
    unrolled: bool = False
    small: tuple = None


def _euler_args(steps):
    return (0.5, 0.3, 0.01, steps)


WORKLOADS = [
    Workload('euler_1k', euler.euler, _euler_args(1000), (0, 1), euler.euler_grad,
             'explicit Euler, `y = y + dt * (-k * y + math.sin(y))`, 1,000 steps; '
             'd/d(y0, k)', jax='euler', unrolled=True, small=_euler_args(20)),
    Workload('euler_100k', euler.euler, _euler_args(100_000), (0, 1), euler.euler_grad,
             'the same loop, 100,000 steps', jax='euler', small=_euler_args(200)),
    Workload('linreg_numpy', linreg.linreg, linreg._arrays(linreg.POINTS), (0,),
             linreg.linreg_grad, 'squared error of a line through 100 points, an index '
             'loop over 1-D float arrays; d/dcoef', jax='linreg',
             small=linreg._arrays(10)),
    Workload('linreg_list', linreg.linreg, linreg._lists(linreg.POINTS), (0,),
             linreg.linreg_grad, 'the same loop over Python lists of floats (Numba '
             'unboxes a list on every call, a "reflected list")',
             small=linreg._lists(10)),
    Workload('potential_2d', potential.potential, potential.positions(), (0,),
             potential.potential_grad, f'potential energy of {potential.BODIES} bodies '
             f'in the plane: a double loop over the pairs, `pos[i, 0]` indexing a 2-D '
             f'array, `math.sqrt`; d/dpos', jax='potential',
             small=potential.positions(8)),
    Workload('rosenbrock', scalar.rosenbrock, (-1.2, 1.0), (0, 1), scalar.rosenbrock_grad,
             "Rosenbrock's function of two floats, no loop: mostly the cost of a call",
             loop=False, jax='rosenbrock'),
]


def _numba():
    try:
        import numba
    except ImportError:
        return None
    return numba


def _wrt(workload):
    return workload.wrt if len(workload.wrt) > 1 else workload.wrt[0]


def check(workload, python_grad, numba_grad):
    """Raise AssertionError unless adjoint's two gradients agree to rounding and
    both agree with the hand-written one, and that with central differences.

    A benchmark of a wrong gradient is useless; a Numba gradient that differs from
    the Python one is a bug in the backend.
    """
    from_numba, from_python = numba_grad(*workload.args), python_grad(*workload.args)
    n = len(workload.wrt)
    for k, got, want in zip(workload.wrt, common.as_tuple(from_numba, n),
                            common.as_tuple(from_python, n)):
        if np.shape(got) != np.shape(want) or not np.allclose(
                got, want, rtol=RTOL_BACKENDS, atol=0.0):
            raise AssertionError(f'{workload.name}: the gradient of argument {k} '
                                 f'differs between the backends\n  numba: {got!r}\n'
                                 f'  python: {want!r}')
    common.agrees_with_hand(workload, 'adjoint python', from_python, RTOL_CHECK)
    for k, _, hand in common.agrees_with_hand(workload, 'adjoint numba', from_numba,
                                                 RTOL_CHECK):
        differences = numerical_grad(workload.primal, workload.args, k)
        if not np.allclose(hand, differences, rtol=RTOL_CHECK, atol=1e-7):
            raise AssertionError(f'{workload.name}: hand-written gradient of argument '
                                 f'{k} is {hand!r}, finite differences say '
                                 f'{differences!r}')


def adjoint_numba_first_call(workload, clock, repeats):
    """(least seconds, every try, the last Derivative) of `adjoint.grad(...,
    backend='numba')` to its first result, each try after `adjoint.cache.clear()`.

    clear() drops the generated functions and the Numba twins kept on them, so each
    try parses, generates and has Numba compile anew. The last try's Derivative is
    the one timed: nothing clears the cache again before this workload is timed.
    """
    tries = []
    for _ in range(repeats):
        adjoint.cache.clear()
        start = clock()
        derivative = adjoint.grad(workload.primal, _wrt(workload), backend='numba')
        derivative(*workload.args)
        tries.append(clock() - start)
    return min(tries), tries, derivative


def numba_primal_first_call(workload, numba, clock, repeats):
    """(least seconds, the last dispatcher) of `numba.njit(primal)` to its first
    result: Numba's own compile, for comparison with adjoint's."""
    best = float('inf')
    for _ in range(repeats):
        start = clock()
        compiled = numba.njit(workload.primal)
        compiled(*workload.args)
        best = min(best, clock() - start)
    return best, compiled


def jax_gradients(workload, jax_loops, clock, repeats):
    """{column: (call, args, first-call seconds)} of JAX's jitted gradients of
    `workload`, each checked against the hand-written gradient, and {column: why
    not} for those that failed.

    The first call (tracing, XLA's compile, one call) of the `fori_loop` version is
    timed `repeats` times, each after `jax.clear_caches()`, the least kept; the
    last is the one timed. The unrolled loop, whose compile takes seconds, is
    compiled once, after it and without clearing the caches: nothing of it is in
    them, and clearing them would drop the `fori_loop` version's compiled code too
    (its next call compiles again, and was then timed 3x slower per call).
    """
    jax = jax_loops.jax
    static = tuple(k for k, a in enumerate(workload.args) if type(a) is int)
    args = compare._map_arrays(workload.args, jax.numpy.asarray)
    versions = [(JIT, jax_loops.VERSIONS[workload.jax], repeats, True)]
    if workload.unrolled:
        plain = compare.rebound(workload.primal, math=jax.numpy, np=jax.numpy)
        versions.append((UNROLLED, plain, 1, False))
    made, failed = {}, {}
    for column, fn, tries, clear in versions:
        try:
            best = float('inf')
            for _ in range(tries):
                if clear:
                    jax.clear_caches()
                gradient = jax.jit(jax.grad(fn, _wrt(workload)), static_argnums=static)

                def call(*args, gradient=gradient):
                    return jax.block_until_ready(gradient(*args))
                start = clock()
                result = call(*args)
                best = min(best, clock() - start)
            common.agrees_with_hand(workload, column, compare._to_numpy(result), RTOL_JAX)
        except Exception as error:  # noqa: BLE001 - a version JAX cannot run
            failed[column] = f'{type(error).__name__}: {error}'.splitlines()[0][:160]
            continue
        made[column] = (call, args, best)
    return made, failed


def measure(workload, numba, jax_loops, rounds, timer):
    """Check `workload`, then time its functions in interleaved rounds; returns
    every number as a dict (a row of the table, an entry of numba_results.json)."""
    clock = common.TIMERS[timer]
    repeats = common.FIRST_REPEATS
    first, tries, numba_grad = adjoint_numba_first_call(workload, clock, repeats)
    primal_first, numba_primal = numba_primal_first_call(workload, numba, clock, repeats)
    python_grad = adjoint.grad(workload.primal, _wrt(workload))
    check(workload, python_grad, numba_grad)
    calls = {PY_PRIMAL: (workload.primal, workload.args),
             NB_PRIMAL: (numba_primal, workload.args),
             PY_GRAD: (python_grad, workload.args), NB_GRAD: (numba_grad, workload.args),
             # What the Derivative calls once it has dispatched on the arguments'
             # kinds: the difference between the two is that dispatch.
             GENERATED: (numba_grad._last[0], workload.args)}
    first_call = {NB_GRAD: first, 'adjoint numba tries': tries, NB_PRIMAL: primal_first}
    skipped = {}
    if jax_loops is not None and workload.jax is not None:
        made, skipped = jax_gradients(workload, jax_loops, clock, repeats)
        for column, (call, args, seconds) in made.items():
            calls[column] = (call, args)
            first_call[column] = seconds
    names = list(calls)
    timings = common.time_calls(list(calls.values()), rounds, timer, [BUDGET] * len(names))
    k = {name: index for index, name in enumerate(names)}
    seconds = dict(zip(names, timings.best))
    speedup_over = {name: timings.ratio(k[name], k[NB_GRAD]) for name in names}
    return {'name': workload.name, 'note': workload.note, 'loop': workload.loop,
            'seconds': seconds,
            'to_numba_primal': {name: timings.ratio(k[name], k[NB_PRIMAL]) for name in names},
            'over_adjoint_numba': speedup_over,
            'rounds': {name: timings.measured(k[name]) for name in names},
            'first_call': first_call, 'skipped': skipped,
            'source': numba_grad.source}


def _us(seconds):
    """Microseconds, to three or four significant figures."""
    if seconds is None:
        return '–'
    value = seconds * 1e6
    if value >= 99.95:  # where three figures would need a decimal point and no decimals
        return f'{value:,.0f}'
    return f'{value:#.3g}'


def table(results, jax_status):
    """The Markdown table of the report: one row per workload.

    Args:
        results: `measure`'s dicts.
        jax_status: what the JAX columns say where JAX did not run (None where it
            did: then a workload without a JAX version says '–').
    """
    head = ['workload', 'numba primal µs', 'adjoint+numba µs', 'ratio to numba primal',
            'python primal µs', 'adjoint python µs', 'speedup numba vs python gradient',
            'jax.jit(grad) µs', 'adjoint+numba speedup over jax',
            'adjoint+numba compile+first s', 'jax compile+first s']
    rows = []
    for r in results:
        s, first = r['seconds'], r['first_call']
        if JIT in s:
            jax_cells = [_us(s[JIT]), f'{r["over_adjoint_numba"][JIT]:.1f}x',
                         f'{first[JIT]:.2f}']
        else:
            why = jax_status or ('failed' if JIT in r['skipped'] else '–')
            jax_cells = [why, why, why]
        rows.append([r['name'], _us(s[NB_PRIMAL]), _us(s[NB_GRAD]),
                     f'{r["to_numba_primal"][NB_GRAD]:.2f}x', _us(s[PY_PRIMAL]),
                     _us(s[PY_GRAD]), f'{r["over_adjoint_numba"][PY_GRAD]:.1f}x',
                     jax_cells[0], jax_cells[1], f'{first[NB_GRAD]:.2f}', jax_cells[2]])
    return common.markdown(head, rows)


def dispatch_table(results):
    """Where adjoint+numba's time goes: the generated code, compiled by Numba and
    called directly, and the `adjoint.Derivative`'s dispatch around it."""
    head = ['workload', 'numba primal µs', 'generated code alone µs', 'over numba primal',
            'adjoint+numba µs', 'over numba primal', 'dispatch µs']
    rows = []
    for r in results:
        s, to_primal = r['seconds'], r['to_numba_primal']
        rows.append([r['name'], _us(s[NB_PRIMAL]), _us(s[GENERATED]),
                     f'{to_primal[GENERATED]:.2f}x', _us(s[NB_GRAD]),
                     f'{to_primal[NB_GRAD]:.2f}x', _us(s[NB_GRAD] - s[GENERATED])])
    return common.markdown(head, rows)


def _tries():
    return 'one try' if common.FIRST_REPEATS == 1 else f'{common.FIRST_REPEATS} tries'


def notes(results, workloads, rounds, timer, quick):
    """The lines under the table: what each row is and how it was measured."""
    print('\nWorkloads:\n')
    for w in workloads:
        print(f'- `{w.name}`: {w.note}.')
    if quick:
        print('\n--quick: each workload on its small problem (Euler: 20 and 200 steps; '
              'the regression: 10 points; the potential: 8 bodies), under the names of '
              'the full run.')
    clock = 'CPU time of the process' if timer == 'cpu' else 'wall-clock time'
    print(f'\nUp to {rounds} rounds, each measuring every function in turn for '
          f'>= {common.MIN_TIME * 1e3:g} ms ({clock}); a function is measured in only '
          f'as many rounds as fit in {BUDGET:g} s (at least {common.MIN_ROUNDS}). Times '
          f'are the minimum, ratios and speedups the median within a round. "adjoint+'
          f'numba" calls the `adjoint.Derivative` of `backend=\'numba\'` (its dispatch '
          f'included), warm; its compile+first is the least of {_tries()} of '
          f'`adjoint.grad(f, wrt, backend=\'numba\')(*args)` after '
          f'`adjoint.cache.clear()` (generating the code, Numba\'s compile, one call). '
          f'"jax.jit(grad)" is `jax.jit(jax.grad(f))` of jax_loops.py\'s `fori_loop` '
          f'version, in float64, each call ending in `jax.block_until_ready`; its '
          f'compile+first is the least of {_tries()} of the first call after '
          f'`jax.clear_caches()`. Every gradient was checked first: adjoint\'s Numba '
          f'gradient against its Python one (rtol {RTOL_BACKENDS:g}), both against the '
          f'hand-written one and that against central differences (rtol '
          f'{RTOL_CHECK:g}), JAX\'s against the hand-written one (rtol {RTOL_JAX:g}).')
    tries = ', '.join(f'{t:.2f}' for t in results[0]['first_call']['adjoint numba tries'])
    print(f'\nThe first try pays for loading Numba\'s own compiler as well: '
          f'`{results[0]["name"]}`\'s tries took {tries} s. `numba.njit(primal)` to its '
          f'first result, for comparison: ' + ', '.join(
              f'`{r["name"]}` {r["first_call"][NB_PRIMAL]:.2f} s' for r in results) + '.')
    for r in results:
        if UNROLLED in r['seconds']:
            first = r['first_call'][UNROLLED]
            over = '' if first <= UNROLLED_COMPILE_LIMIT else \
                f' (over the {UNROLLED_COMPILE_LIMIT:g} s a compile should take)'
            print(f'\n`jax.jit` of the plain Python loop (unrolled: one copy of the body '
                  f'per step) on `{r["name"]}`: {_us(r["seconds"][UNROLLED])} µs per '
                  f'call, compile+first {first:.1f} s{over}; adjoint+numba is '
                  f'{r["over_adjoint_numba"][UNROLLED]:.1f}x faster per call.')
        for column, why in r['skipped'].items():
            print(f'\n{column} not timed on `{r["name"]}`: {why}')


def _target(what, value, target, met, unit):
    line = f'- {what}: {value:.2f}{unit}, target {target}: {"met" if met else "MISSED"}'
    print(line)
    return {'what': what, 'value': value, 'target': target, 'met': met}


def targets(results, jax_status):
    """Issue 15's targets, as met/MISSED lines; returns them for numba_results.json."""
    common.section('Targets')
    lines = []
    for r in results:
        if r['loop']:
            ratio = r['to_numba_primal'][NB_GRAD]
            lines.append(_target(f'`{r["name"]}` adjoint+numba / numba primal', ratio,
                                 f'<= {RATIO_TARGET:g}x', ratio <= RATIO_TARGET, 'x'))
    for r in results:
        if r['name'] not in JAX_TARGET_ON:
            continue
        what = f'`{r["name"]}` adjoint+numba speedup over jax.jit(grad)'
        if JIT not in r['seconds']:
            print(f'- {what}: not measured ({jax_status or r["skipped"].get(JIT)})')
            continue
        speedup = r['over_adjoint_numba'][JIT]
        lines.append(_target(what, speedup, f'>= {JAX_TARGET:g}x', speedup >= JAX_TARGET,
                             'x'))
    for r in results:
        first = r['first_call'][NB_GRAD]
        lines.append(_target(f'`{r["name"]}` adjoint+numba compile + first call', first,
                             f'< {FIRST_TARGET:g} s', first < FIRST_TARGET, ' s'))
    return lines


def _jax_loops(args):
    """(the jax_loops module or None, what the JAX columns say if None)."""
    if args.quick or args.tools == 'none':
        return None, 'not run'
    try:
        import jax_loops
    except ImportError:
        return None, 'not installed'
    return jax_loops, None


def versions(jax_loops):
    """The libraries' versions and the commit measured, for numba_results.json."""
    found = {'adjoint': adjoint.__version__}
    for name in ('numba', 'llvmlite', 'numpy', 'jax', 'jaxlib'):
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    try:
        found['commit'] = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=HERE,
                                         capture_output=True, text=True,
                                         check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found['commit'] = None
    found['jax_measured'] = jax_loops is not None
    return found


def report(args, numba):
    """Print the report; returns (every number as a dict, whether all checks passed)."""
    workloads = [dataclasses.replace(w, args=w.small) if args.quick and w.small else w
                 for w in WORKLOADS]
    jax_loops, jax_status = _jax_loops(args)
    data = {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
            'machine': common.machine_info(), 'versions': versions(jax_loops),
            'settings': {'rounds': args.rounds, 'timer': args.timer, 'quick': args.quick,
                         'min_time': common.MIN_TIME, 'budget': BUDGET}}
    print('# adjoint with backend=\'numba\', on loops\n')
    print(common.machine())
    if jax_loops is not None:
        jax_version = jax_loops.jax.__version__
    elif jax_status == 'not run':
        jax_version = f'not run ({"--quick" if args.quick else "--tools none"})'
    else:
        jax_version = jax_status
    print(f'Numba {numba.__version__}; JAX {jax_version}.')
    results, failed = [], []
    for workload in workloads:
        print(f'measuring {workload.name} ...', file=sys.stderr, flush=True)
        try:
            results.append(measure(workload, numba, jax_loops, args.rounds, args.timer))
        except Exception as error:  # noqa: BLE001 - a failed check or a crash: FAILED
            print(f'\nFAILED: {workload.name}: {type(error).__name__}: {error}')
            failed.append(workload.name)
    data['workloads'] = results
    data['failed'] = failed
    if results:
        common.section('Time per call')
        print(table(results, jax_status))
        notes(results, [w for w in workloads if w.name not in failed], args.rounds,
              args.timer, args.quick)
        common.section('Where the time goes')
        print(dispatch_table(results))
        print('\n"generated code alone" calls the Numba dispatcher of the generated '
              'gradient (what `.source` shows) directly, without the Derivative, which '
              'first looks up the compiled version by the kinds of the arguments; '
              '"dispatch" is the difference of the two minima: for calls of a '
              'hundred microseconds and more it is within the noise.')
        data['targets'] = targets(results, jax_status)
    data['machine']['load_average_end'] = common.machine_info()['load_average']
    end = ', '.join(f'{x:.2f}' for x in data['machine']['load_average_end'])
    print(f'\nLoad average at the end: {end}.')
    if failed:
        print(f'\nFAILED: {", ".join(failed)}')
    return data, not failed


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true',
                        help='a smoke run: small problems, 3 rounds, 1 ms measurements, '
                        'one compile each, no JAX; the numbers mean little')
    parser.add_argument('--tools', choices=('jax', 'none'), default='jax',
                        help='compare with jax.jit(jax.grad) where JAX is installed '
                        '(the default), or not')
    parser.add_argument('--rounds', type=int,
                        help=f'rounds (default {common.ROUNDS}, 3 with --quick)')
    parser.add_argument('--wall', dest='timer', action='store_const', const='wall',
                        default='cpu', help='time with the wall clock instead of the '
                        "process's CPU time (see common.py)")
    parser.add_argument('--write', action='store_true',
                        help=f'also write the report to {os.path.relpath(RESULTS)} and '
                        f'every number to {os.path.relpath(RESULTS_JSON)}')
    args = parser.parse_args(argv)
    if args.quick and args.write:
        parser.error('--quick numbers are not worth keeping: drop --write')
    if args.rounds is None:
        args.rounds = 3 if args.quick else common.ROUNDS
    if args.quick:
        common.MIN_TIME = 0.001
        common.FIRST_REPEATS = 1
    else:
        common.FIRST_REPEATS = COMPILE_REPEATS
    return args


def main(argv=None):
    args = _arguments(argv)
    numba = _numba()
    if numba is None:
        print("Numba is not installed, so there is nothing to measure: backend='numba' "
              "needs it (pip install \"adjoint[numba]\").")
        return 0
    if not args.write:
        return 0 if report(args, numba)[1] else 1
    tee = common.Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):
        data, passed = report(args, numba)
    with open(RESULTS, 'w') as f:
        f.write(tee.copy.getvalue())
    with open(RESULTS_JSON, 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
    print(f'Wrote {os.path.relpath(RESULTS)}, {os.path.relpath(RESULTS_JSON)}.')
    return 0 if passed else 1


if __name__ == '__main__':
    sys.exit(main())
