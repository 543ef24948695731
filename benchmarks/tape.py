"""What the backward sweep keeps: the tapes of a generated gradient, measured two ways.

1. Counting. The generated source (`Derivative.source`, after one call with the
   benchmark's arguments) is parsed; every assignment `tape_X = <expr>` becomes
   `tape_X = _record('tape_X', <expr>)`, which swaps an empty list for a list
   subclass that counts what is appended: its peak length and the types of the
   saved objects. This instrumented copy runs once; the copy adjoint compiled and
   the timings are untouched.
2. Allocation. `tracemalloc` gives the peak of memory allocated during one call of
   the real gradient, minus what was allocated before the call. Measured at `N`
   and `2N` steps, the difference divided by `N` is the memory per step that the
   gradient holds at once (its tapes); the primal's is shown for comparison.
"""

import ast
import collections
import gc
import sys
import tracemalloc

import adjoint.runtime


class _Tape(list):
    """A list that remembers its peak length and what was appended to it."""

    def __init__(self):
        super().__init__()
        self.peak = 0
        self.peak_bytes = 0  # of the list object itself, at its peak
        self.item_bytes = 0  # sys.getsizeof of every appended object
        self.types = collections.Counter()

    def append(self, item):
        super().append(item)
        self.types[type(item).__name__] += 1
        self.item_bytes += sys.getsizeof(item)
        if len(self) > self.peak:
            self.peak = len(self)
            self.peak_bytes = sys.getsizeof(self)


class _Instrument(ast.NodeTransformer):
    def visit_Assign(self, node):
        target = node.targets[0]
        if len(node.targets) == 1 and isinstance(target, ast.Name) and \
                target.id.startswith('tape_'):
            node.value = ast.Call(ast.Name('_record', ast.Load()),
                                  [ast.Constant(target.id), node.value], [])
        return node


def instrumented(source, name, namespace):
    """Compile `source` with its tapes recorded; returns (function, {name: [tapes]})."""
    tapes = collections.defaultdict(list)

    def record(tape_name, value):
        if isinstance(value, list) and not value:
            value = _Tape()
        tapes[tape_name].append(value)
        return value

    tree = ast.fix_missing_locations(_Instrument().visit(ast.parse(source)))
    scope = dict(namespace, _record=record)
    exec(compile(tree, f'<instrumented {name}>', 'exec'), scope)  # noqa: S102
    return scope[name], tapes


def _namespace(bench):
    # The names generated code reads are the user's globals (`math`, `np`) and
    # adjoint's runtime helpers (`unbroadcast`, `scalar_seed`, ...).
    return dict(vars(adjoint.runtime), **bench.primal.__globals__)


def count_tapes(bench):
    """[(tape name, peak length, {type: count}, item bytes, list bytes)] of one call."""
    grad_fn = bench.adjoint_grad()
    grad_fn(*bench.args)
    name = 'grad_' + bench.primal.__name__
    fn, tapes = instrumented(grad_fn.source, name, _namespace(bench))
    fn(*bench.args)
    rows = []
    for tape_name, made in tapes.items():
        for tape in made:
            if isinstance(tape, _Tape):
                rows.append((tape_name, tape.peak, dict(tape.types), tape.item_bytes,
                             tape.peak_bytes))
            else:
                rows.append((tape_name, None, {type(tape).__name__: 1},
                             getattr(tape, 'nbytes', sys.getsizeof(tape)), 0))
    return rows


def peak_allocated(fn, args):
    """Peak bytes allocated during `fn(*args)` beyond what existed before it."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def per_step(bench, steps):
    """{'primal'|'adjoint'|'hand': (peak at steps, peak at 2*steps, bytes per step)}."""
    grad_fn = bench.adjoint_grad()
    out = {}
    for label, fn in (('primal', bench.primal), ('adjoint', grad_fn), ('hand', bench.hand)):
        small_args, large_args = bench.sized(steps), bench.sized(2 * steps)
        fn(*small_args)  # compile any version these kinds need before measuring
        small = peak_allocated(fn, small_args)
        large = peak_allocated(fn, large_args)
        out[label] = (small, large, (large - small) / steps)
    return out


def report(bench, steps):
    """Print both measurements for `bench` as Markdown; returns them as a dict."""
    print(f'Tapes of `{bench.name}` ({steps} steps), counted by running an '
          f'instrumented copy of the generated source once:\n')
    print('| tape | peak length | saved objects | bytes of saved objects | '
          'bytes of the list at peak |')
    print('|---|---:|---|---:|---:|')
    total = 0
    counted = count_tapes(bench)
    data = {'steps': steps, 'tapes': [
        {'tape': tape_name, 'peak_length': peak, 'saved': types, 'item_bytes': item_bytes,
         'list_bytes': list_bytes}
        for tape_name, peak, types, item_bytes, list_bytes in counted]}
    for tape_name, peak, types, item_bytes, list_bytes in counted:
        kinds = ', '.join(f'{n} {t}' for t, n in sorted(types.items()))
        print(f'| `{tape_name}` | {peak} | {kinds} | {item_bytes:,} | {list_bytes:,} |')
        total += item_bytes + list_bytes
    print(f'\nTotal {total:,} bytes = {total / steps:.1f} bytes per step '
          f'(objects counted with sys.getsizeof, even when also referenced elsewhere).\n')
    data['total_bytes'] = total
    if bench.sized is None:
        return data
    print(f'Peak memory allocated during one call (tracemalloc), at {steps} and '
          f'{2 * steps} steps:\n')
    print(f'| function | peak, {steps} steps | peak, {2 * steps} steps | bytes per step |')
    print('|---|---:|---:|---:|')
    data['peak_bytes'] = {}
    for label, (small, large, step) in per_step(bench, steps).items():
        print(f'| {label} | {small:,} | {large:,} | {step:.1f} |')
        data['peak_bytes'][label] = {'steps': small, 'twice_the_steps': large,
                                     'per_step': step}
    print()
    return data


def report_peaks(benches):
    """Print the peak memory of one call of primal, adjoint and hand-written gradient
    of each benchmark, as Markdown: what the arrays a gradient keeps at once cost.
    Returns {benchmark: {'primal'|'adjoint'|'hand': bytes}}."""
    print('Peak memory allocated during one call (tracemalloc):\n')
    print('| benchmark | primal | adjoint grad | hand grad | adjoint/hand |')
    print('|---|---:|---:|---:|---:|')
    data = {}
    for bench in benches:
        grad_fn = bench.adjoint_grad()
        peaks = []
        for fn in (bench.primal, grad_fn, bench.hand):
            fn(*bench.args)  # compile the version these kinds need before measuring
            peaks.append(peak_allocated(fn, bench.args))
        primal, adjoint, hand = peaks
        print(f'| {bench.name} | {primal:,} B | {adjoint:,} B | {hand:,} B | '
              f'{adjoint / hand:.2f}x |')
        data[bench.name] = {'primal': primal, 'adjoint': adjoint, 'hand': hand}
    print()
    return data
