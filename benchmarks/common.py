"""What every benchmark shares: its description, the gradient check, the timer.

A benchmark is a primal function, the arguments to call it with, which of them to
differentiate, and a hand-written gradient of the same function. `measure` checks
adjoint's gradient against the hand-written one (and both against central finite
differences), then times the three side by side in one process.

Timing pairs the three functions: each round times primal, adjoint and
hand-written one after the other (in an order that rotates from round to round),
each for `loops` calls in a row, enough for at least `MIN_TIME` seconds. The time
per call reported is the minimum over `rounds` rounds, as `timeit` reports it
(noise only ever adds time); the ratios are the medians of the ratios within each
round. Two things move the speed of the same code here, and each round is made
to see a different sample of both:

- The machine: on a virtual machine the speed of one loop drifts by half from
  one second to the next (np.tanh of a 64x128 array: 117 to 222 us within 4 s).
  Minima of two functions measured seconds apart can come from different
  speeds; a ratio of two measurements milliseconds apart does not.
- Where malloc puts the arrays: an elementwise operation whose input and output
  lie a multiple of 4 KiB apart (plus a little) runs slower, as the processor
  takes the store for one that may alias the next load. Which arrays land there
  depends on what was allocated before; with the heap one way the MLP's gradient
  took 1.9x the hand-written one for as long as it was measured, with it another
  way 1.35x. Each round first allocates a spacer of a random size below
  `SPACER_BYTES`, so the rounds sample many layouts, and the median is the
  typical one.

Measured so, the ratios move by about 0.05x from run to run.

The other libraries (`compare.py`) are measured in the same rounds, as more
functions of the round. One whose call takes long (JAX's eager `grad` of a
1,000-step loop takes most of a second) is measured in only as many rounds,
spread over the run, as fit in `TOOL_BUDGET` seconds (at least `MIN_ROUNDS`);
its ratio is the median over the rounds that measured it, each against the
primal of the same round.

The clock is the process's CPU time by default: for single-threaded code it equals
wall time on an idle machine, and it does not count the time the process waits
while other processes run, which on a busy machine with few cores can double
wall-clock times. `timer='wall'` uses `time.perf_counter`, as `timeit` does.
"""

import ctypes
import dataclasses
import io
import os
import platform
import random
import statistics
import time
import timeit

import numpy as np

import adjoint
from adjoint.testing import numerical_grad

MIN_TIME = 0.005  # seconds per measurement
ROUNDS = 100
TOOL_BUDGET = 2.0  # seconds of measuring another library's gradient, per benchmark
MIN_ROUNDS = 3  # rounds that measure a function, however slow
FIRST_REPEATS = 3  # fresh compiles timed for the first-gradient column
SPACER_BYTES = 64 * 1024  # the most a round moves the heap by
TIMERS = {'cpu': time.process_time, 'wall': time.perf_counter}


_DERIVATIVES = {}  # benchmark name -> its adjoint.Derivative


@dataclasses.dataclass(frozen=True)
class Benchmark:
    """One row of the table.

    Attributes:
        name: the row's name, and what `run.py NAME` selects.
        primal: the function to differentiate, written in a file (adjoint reads it).
        args: the arguments every timed call receives.
        wrt: indices of the arguments to differentiate.
        hand: a hand-written gradient with `primal`'s signature, returning what
            `adjoint.grad(primal, wrt)` returns (a tuple when `wrt` has two or more).
        note: one line saying what the hand-written gradient does.
        sized: `steps -> args` of the same problem with `steps` loop iterations,
            for measuring how memory grows with the trip count.
        target: the adjoint/hand-written time ratio this benchmark should stay under.
        target_primal: the adjoint/primal time ratio it should stay under.
        first_target: the seconds its first gradient (compile included) should
            stay under.
        compare: whether the other libraries (`compare.py`) are timed on it too.
        small: the arguments of a smaller problem, for `run.py --quick`.
    """

    name: str
    primal: object
    args: tuple
    wrt: tuple
    hand: object
    note: str = ''
    sized: object = None
    target: float = None
    target_primal: float = None
    first_target: float = None
    compare: bool = False
    small: tuple = None

    def shrunk(self):
        """This benchmark on its small problem (itself if it has none)."""
        if self.small is None:
            return self
        return dataclasses.replace(self, args=self.small)

    def adjoint_grad(self):
        """This benchmark's own `adjoint.Derivative` (what `adjoint.grad` returns).

        Not the one `adjoint.grad` caches per function: `linreg_list` and
        `linreg_numpy` share a function, and `.source` shows the version that was
        compiled or dispatched last, which a call served from the per-type fast path
        does not update. A Derivative only ever called with one benchmark's
        arguments shows that benchmark's code.
        """
        made = _DERIVATIVES.get(self.name)
        if made is None:
            wrt = self.wrt if len(self.wrt) > 1 else self.wrt[0]
            made = _DERIVATIVES[self.name] = adjoint.Derivative(self.primal, wrt)
        return made


@dataclasses.dataclass(frozen=True)
class Result:
    """What `measure` found for one benchmark.

    Attributes:
        name: the benchmark's name.
        seconds: {function: the minimum seconds per call}, for 'primal', 'hand',
            'adjoint' and each other library measured.
        to_primal: {function: the median over the rounds of its time over the
            primal's in the same round}.
        to_hand: the same median of adjoint's time over the hand-written one's.
        rounds: {function: how many rounds measured it}.
        first_call: {function: seconds of its first call}: for 'adjoint' a fresh
            `adjoint.grad` (parse and compile included), for `jax.jit(grad)`
            tracing and XLA's compile, for the other libraries the call that
            checks their gradient; None where not measured.
        skipped: {library: why it was not timed on this benchmark}.
    """

    name: str
    seconds: dict
    to_primal: dict
    to_hand: float
    rounds: dict
    first_call: dict = dataclasses.field(default_factory=dict)
    skipped: dict = dataclasses.field(default_factory=dict)

    @property
    def primal(self):
        return self.seconds['primal']

    @property
    def adjoint(self):
        return self.seconds['adjoint']

    @property
    def hand(self):
        return self.seconds['hand']


@dataclasses.dataclass(frozen=True)
class Timings:
    """What `time_calls` measured: `rounds[r][k]`, seconds per call of function k
    in round r, or None where round r did not measure it."""

    rounds: list

    @property
    def best(self):
        """The minimum seconds per call of each function."""
        return [min(t for t in column if t is not None) for column in zip(*self.rounds)]

    def ratio(self, k, j):
        """The median, over the rounds that measured both, of function k's time
        over function j's."""
        return statistics.median(r[k] / r[j] for r in self.rounds
                                 if r[k] is not None and r[j] is not None)

    def measured(self, k):
        """How many rounds measured function k."""
        return sum(r[k] is not None for r in self.rounds)


def as_tuple(gradient, n):
    return tuple(gradient) if n > 1 else (gradient,)


def check(bench, grad_fn):
    """Raise AssertionError unless adjoint, hand-written and finite differences agree.

    A benchmark of a wrong gradient is useless, so this runs before any timing. The
    gradient of a dict or list argument (a dict of parameters) is compared item by
    item, and must have the same keys or length.
    """
    for k, path, h_item in agrees_with_hand(bench, 'adjoint', grad_fn(*bench.args), 1e-9):
        what = f'argument {k}' + ''.join(f'[{p!r}]' for p in path)
        fd = _numerical_grad(bench, k, path)
        if not np.allclose(h_item, fd, rtol=1e-5, atol=1e-7):
            raise AssertionError(f'{bench.name}: hand-written gradient of {what} '
                                 f'is {h_item!r}, finite differences say {fd!r}')


def agrees_with_hand(bench, label, gradient, rtol):
    """Raise AssertionError unless `gradient` (what `label` computed) equals the
    hand-written gradient within `rtol`; returns [(argument, path, hand-written
    item)] of the items compared."""
    compared = []
    n = len(bench.wrt)
    got = as_tuple(gradient, n)
    want = as_tuple(bench.hand(*bench.args), n)
    for k, g, h in zip(bench.wrt, got, want):
        if sorted(_structure(g), key=repr) != sorted(_structure(h), key=repr):
            raise AssertionError(f'{bench.name}: {label} gradient of argument {k} has '
                                 f'structure {_structure(g)}, the hand-written one '
                                 f'{_structure(h)}')
        for path, h_item in _leaves(h):
            what = f'argument {k}' + ''.join(f'[{p!r}]' for p in path)
            g_item = _item(g, path)
            if np.shape(g_item) != np.shape(h_item) or not np.allclose(
                    g_item, h_item, rtol=rtol, atol=1e-12):
                raise AssertionError(f'{bench.name}: gradient of {what} differs\n'
                                     f'  {label}: {g_item!r}\n  hand-written: {h_item!r}')
            compared.append((k, path, h_item))
    return compared


def _leaves(value, path=()):
    """`(path, array)` for each array or number in nested dicts, lists and tuples."""
    if isinstance(value, dict):
        for key in value:
            yield from _leaves(value[key], path + (key,))
    elif isinstance(value, (list, tuple)):
        for key, item in enumerate(value):
            yield from _leaves(item, path + (key,))
    else:
        yield path, value


def _structure(value):
    """The keys and lengths of nested containers, without the arrays."""
    return [path for path, _ in _leaves(value)]


def _item(value, path):
    for key in path:
        value = value[key]
    return value


def _replaced(value, path, new):
    """A copy of nested `value` with the item at `path` replaced by `new`."""
    if not path:
        return new
    key, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, key: _replaced(value[key], rest, new)}
    items = list(value)
    items[key] = _replaced(items[key], rest, new)
    return type(value)(items)


def _numerical_grad(bench, k, path):
    """Central differences of the primal w.r.t. the item at `path` of argument `k`."""
    def moved(item):
        args = list(bench.args)
        args[k] = _replaced(args[k], path, item)
        return bench.primal(*args)
    return numerical_grad(moved, (_item(bench.args[k], path),), 0)


def _timer(fn, args, clock):
    return timeit.Timer('fn(*args)', timer=clock, globals={'fn': fn, 'args': args})


def _loops(timer):
    """(loops, seconds): the smallest 1, 2, 5, 10, 20, ... loops whose total time is
    >= MIN_TIME, and that time."""
    loops = 1
    while True:
        for factor in (1, 2, 5):
            n = loops * factor
            seconds = timer.timeit(n)
            if seconds >= MIN_TIME:
                return n, seconds
        loops *= 10


def first_gradient_seconds(bench, clock, repeats):
    """The least time, of `repeats` tries, from `adjoint.grad` to its first result.

    Each try clears adjoint's cache first, so it parses and compiles anew (the
    function's source file is already read: `inspect` caches it). Every
    `Derivative` held forgets its versions too and compiles again on its next call.
    """
    wrt = bench.wrt if len(bench.wrt) > 1 else bench.wrt[0]
    best = float('inf')
    for _ in range(repeats):
        adjoint.cache.clear()
        start = clock()
        adjoint.grad(bench.primal, wrt)(*bench.args)
        best = min(best, clock() - start)
    return best


def measure(bench, rounds=ROUNDS, timer='cpu', tools=(), first=False):
    """Check `bench`, then time primal, hand-written, adjoint and `tools` in paired
    rounds.

    Args:
        bench: the `Benchmark`.
        rounds: how many times each function is measured (at most).
        timer: a key of `TIMERS`: 'cpu' (process time) or 'wall'.
        tools: `compare.Tool`s of the other libraries to time as well; one that
            cannot run this benchmark, or computes another gradient, is left out
            and named in `Result.skipped`.
        first: also time the first gradient of a fresh `adjoint.grad`.
    """
    clock = TIMERS[timer]
    first_call = {'adjoint': first_gradient_seconds(bench, clock, FIRST_REPEATS)
                  if first else None}
    grad_fn = bench.adjoint_grad()
    check(bench, grad_fn)  # also compiles the version for these argument kinds
    names = ['primal', 'hand', 'adjoint']
    calls = [(fn, bench.args) for fn in (bench.primal, bench.hand, grad_fn)]
    budgets = [None, None, None]
    skipped = {}
    for tool in tools:
        try:
            prepared = tool.prepare(bench, clock)
            start = clock()
            result = prepared.call(*prepared.args)
            seconds = clock() - start  # the first call, unless `prepare` made it
            agrees_with_hand(bench, tool.name, prepared.gradient(result), tool.rtol)
        except Exception as error:  # noqa: BLE001 - a library that cannot run it
            skipped[tool.name] = f'{type(error).__name__}: {error}'.splitlines()[0][:160]
            continue
        names.append(tool.name)
        calls.append((prepared.call, prepared.args))
        budgets.append(TOOL_BUDGET)
        first_call[tool.name] = (seconds if prepared.first_call is None
                                 else prepared.first_call)
    timings = time_calls(calls, rounds, timer, budgets)
    k = {name: index for index, name in enumerate(names)}
    return Result(bench.name, dict(zip(names, timings.best)),
                  {name: timings.ratio(k[name], 0) for name in names},
                  timings.ratio(k['adjoint'], k['hand']),
                  {name: timings.measured(k[name]) for name in names},
                  first_call, skipped)


def time_calls(calls, rounds=ROUNDS, timer='cpu', budgets=None):
    """`Timings` of each `(function, args)`: `rounds` rounds, each measuring every
    function once, for at least MIN_TIME seconds, in an order that rotates.

    `budgets[k]`, where not None, caps the seconds spent measuring function k: it is
    then measured only in as many rounds as fit (at least MIN_ROUNDS), spread
    evenly over the run.
    """
    clock = TIMERS[timer]
    timers = [_timer(fn, args, clock) for fn, args in calls]
    calibrated = [_loops(t) for t in timers]
    loops = [n for n, _ in calibrated]
    every = []  # the rounds measuring each function
    for k, (n, seconds) in enumerate(calibrated):
        budget = budgets[k] if budgets else None
        count = rounds if budget is None else min(
            rounds, max(MIN_ROUNDS, int(budget / seconds)))
        every.append({r * rounds // count for r in range(count)})
    offsets = random.Random(0)
    measured = []
    for r in range(rounds):  # Timer.timeit turns the garbage collector off while it runs
        spacer = bytearray(offsets.randrange(0, SPACER_BYTES, 16))  # see the docstring
        times = [None] * len(calls)
        for step in range(len(calls)):
            k = (r + step) % len(calls)
            if r in every[k]:
                times[k] = timers[k].timeit(loops[k]) / loops[k]
        measured.append(times)
        del spacer
    return Timings(measured)


def keep_freed_memory():
    """Ask glibc's malloc to keep the memory this process frees, as
    `MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=16777216` would; False
    where the C library is not glibc.

    When a free leaves more than 128 KiB unused at the top of the heap, glibc gives
    it back to the system, and the next call faults those pages in again. A
    gradient that frees six 64 KiB arrays when it returns can then take twice its
    time, in some runs and not in others, as the heap happens to lie; the
    hand-written gradient, whose temporaries die as each line ends, frees fewer
    at once.
    """
    try:
        libc = ctypes.CDLL(None)
        m_trim_threshold, m_top_pad = -1, -2  # <malloc.h>
        return bool(libc.mallopt(m_trim_threshold, 10 ** 9) and
                    libc.mallopt(m_top_pad, 16 << 20))
    except (OSError, AttributeError):
        return False


def machine():
    """One line naming the machine: Python, processors, NumPy, OS, load."""
    info = machine_info()
    load = ', '.join(f'{x:.2f}' for x in info['load_average'])
    return (f'Python {info["python"]} ({info["implementation"]}), nproc {info["cpus"]}, '
            f'NumPy {info["numpy"]}, {info["system"]} {info["architecture"]}, '
            f'{info["processor"]}; load average {load} at the start')


def machine_info():
    """The machine as a dict: what `machine()` says, for results.json."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    return {'python': platform.python_version(),
            'implementation': platform.python_implementation(),
            'cpus': cpus, 'numpy': np.__version__, 'system': platform.system(),
            'architecture': platform.machine(), 'processor': _processor(),
            'load_average': list(os.getloadavg()) if hasattr(os, 'getloadavg') else []}


def _processor():
    """The processor's model name, from /proc/cpuinfo where there is one."""
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown processor'


def us(seconds):
    """Seconds per call, readable: microseconds below 1 ms, then milliseconds."""
    if seconds is None:
        return '–'
    if seconds < 1e-5:
        return f'{seconds * 1e6:.2f} us'
    if seconds < 1e-3:
        return f'{seconds * 1e6:.1f} us'
    if seconds < 1.0:
        return f'{seconds * 1e3:.2f} ms'
    return f'{seconds:.2f} s'


def table(results):
    """The results as a Markdown table (readable as plain text too); with a
    column for the first gradient where it was measured."""
    head = ['benchmark', 'primal', 'adjoint grad', 'hand grad', 'adjoint/primal',
            'adjoint/hand']
    first = any(r.first_call.get('adjoint') is not None for r in results)
    if first:
        head.append('first gradient')
    rows = []
    for r in results:
        row = [r.name, us(r.primal), us(r.adjoint), us(r.hand), f'{r.to_primal["adjoint"]:.2f}x',
               f'{r.to_hand:.2f}x']
        if first:
            row.append(us(r.first_call.get('adjoint')))
        rows.append(row)
    return markdown(head, rows)


def markdown(head, rows):
    """A Markdown table, the first column left-aligned and the others right-aligned,
    padded so it reads as plain text too."""
    widths = [max(len(row[k]) for row in (head, *rows)) for k in range(len(head))]

    def line(cells):
        return '| ' + ' | '.join(
            c.ljust(w) if k == 0 else c.rjust(w)
            for k, (c, w) in enumerate(zip(cells, widths))) + ' |'

    rule = '|' + '|'.join('-' * (w + 1) + (':' if k else '-')
                          for k, w in enumerate(widths)) + '|'
    return '\n'.join([line(head), rule, *(line(r) for r in rows)])


def section(title):
    print(f'\n## {title}\n')


class Tee(io.TextIOBase):
    """Writes to the terminal as it goes, and keeps a copy for the
    results file (`--write`)."""

    def __init__(self, stream):
        self.stream = stream
        self.copy = io.StringIO()

    def write(self, text):
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()
