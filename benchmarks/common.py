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

The clock is the process's CPU time by default: for single-threaded code it equals
wall time on an idle machine, and it does not count the time the process waits
while other processes run, which on a busy machine with few cores can double
wall-clock times. `timer='wall'` uses `time.perf_counter`, as `timeit` does.
"""

import ctypes
import dataclasses
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
ROUNDS = 200
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
    """

    name: str
    primal: object
    args: tuple
    wrt: tuple
    hand: object
    note: str = ''
    sized: object = None
    target: float = None

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
    """Seconds per call of each of the three functions of a benchmark, and the
    median ratios of adjoint to primal and to hand-written within a round."""

    name: str
    primal: float
    adjoint: float
    hand: float
    to_primal: float
    to_hand: float


@dataclasses.dataclass(frozen=True)
class Timings:
    """What `time_calls` measured: `rounds[r][k]`, seconds per call of function k
    in round r."""

    rounds: list

    @property
    def best(self):
        """The minimum seconds per call of each function."""
        return [min(column) for column in zip(*self.rounds)]

    def ratio(self, k, j):
        """The median over the rounds of function k's time over function j's."""
        return statistics.median(r[k] / r[j] for r in self.rounds)


def as_tuple(gradient, n):
    return tuple(gradient) if n > 1 else (gradient,)


def check(bench, grad_fn):
    """Raise AssertionError unless adjoint, hand-written and finite differences agree.

    A benchmark of a wrong gradient is useless, so this runs before any timing. The
    gradient of a dict or list argument (a dict of parameters) is compared item by
    item, and must have the same keys or length.
    """
    n = len(bench.wrt)
    got = as_tuple(grad_fn(*bench.args), n)
    want = as_tuple(bench.hand(*bench.args), n)
    for k, g, h in zip(bench.wrt, got, want):
        if _structure(g) != _structure(h):
            raise AssertionError(f'{bench.name}: gradient of argument {k} has structure '
                                 f'{_structure(g)}, the hand-written one {_structure(h)}')
        for path, h_item in _leaves(h):
            what = f'argument {k}' + ''.join(f'[{p!r}]' for p in path)
            g_item = _item(g, path)
            if np.shape(g_item) != np.shape(h_item) or not np.allclose(
                    g_item, h_item, rtol=1e-9, atol=1e-12):
                raise AssertionError(f'{bench.name}: gradient of {what} differs\n'
                                     f'  adjoint:      {g_item!r}\n  hand-written: {h_item!r}')
            fd = _numerical_grad(bench, k, path)
            if not np.allclose(h_item, fd, rtol=1e-5, atol=1e-7):
                raise AssertionError(f'{bench.name}: hand-written gradient of {what} '
                                     f'is {h_item!r}, finite differences say {fd!r}')


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
    """The smallest 1, 2, 5, 10, 20, ... loops whose total time is >= MIN_TIME."""
    loops = 1
    while True:
        for factor in (1, 2, 5):
            n = loops * factor
            if timer.timeit(n) >= MIN_TIME:
                return n
        loops *= 10


def measure(bench, rounds=ROUNDS, timer='cpu'):
    """Check `bench`, then time primal, adjoint and hand-written in paired rounds.

    Args:
        bench: the `Benchmark`.
        rounds: how many times each function is measured.
        timer: a key of `TIMERS`: 'cpu' (process time) or 'wall'.
    """
    grad_fn = bench.adjoint_grad()
    check(bench, grad_fn)  # also compiles the version for these argument kinds
    calls = [(fn, bench.args) for fn in (bench.primal, grad_fn, bench.hand)]
    timings = time_calls(calls, rounds, timer)
    return Result(bench.name, *timings.best, timings.ratio(1, 0), timings.ratio(1, 2))


def time_calls(calls, rounds=ROUNDS, timer='cpu'):
    """`Timings` of each `(function, args)`: `rounds` rounds, each measuring every
    function once, for at least MIN_TIME seconds, in an order that rotates."""
    clock = TIMERS[timer]
    timers = [_timer(fn, args, clock) for fn, args in calls]
    loops = [_loops(t) for t in timers]
    offsets = random.Random(0)
    measured = []
    for r in range(rounds):  # Timer.timeit turns the garbage collector off while it runs
        spacer = bytearray(offsets.randrange(0, SPACER_BYTES, 16))  # see the docstring
        times = [0.0] * len(calls)
        for step in range(len(calls)):
            k = (r + step) % len(calls)
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
    """One line naming the machine: Python, processors, NumPy, OS."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    return (f'Python {platform.python_version()} ({platform.python_implementation()}), '
            f'nproc {cpus}, NumPy {np.__version__}, {platform.system()} '
            f'{platform.machine()}, {platform.processor() or "unknown processor"}')


def _us(seconds):
    return f'{seconds * 1e6:,.1f} us'


def table(results):
    """The results as a Markdown table (readable as plain text too)."""
    head = ('benchmark', 'primal', 'adjoint grad', 'hand grad', 'adjoint/primal',
            'adjoint/hand')
    rows = [(r.name, _us(r.primal), _us(r.adjoint), _us(r.hand), f'{r.to_primal:.2f}x',
             f'{r.to_hand:.2f}x') for r in results]
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
