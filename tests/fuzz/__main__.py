"""`python -m tests.fuzz --seeds 0:10000`: run the differential fuzzer.

Generates the program of each seed in the range, checks every derivative API on
it (see `tests/fuzz/check.py`), and prints the count of each outcome, overall
and per API, the failures grouped by signature, and for each failure its seed,
point, discrepancy and source (shrunk first with `--shrink`). Exits with status
1 if any program failed (CRASH, WRONG, BADERROR or TIMEOUT).
"""

import argparse
import collections
import multiprocessing
import pathlib
import sys
import tempfile
import time

from tests.fuzz import check as checker
from tests.fuzz.generate import generate
from tests.fuzz.shrink import failures, shrink, signature

_state = {}


def _start(directory, apis, timeout, aliasing):
    _state.update(directory=pathlib.Path(tempfile.mkdtemp(dir=directory)), apis=apis,
                  timeout=timeout, aliasing=aliasing)


def run_seed(seed):
    """The `check.Result` of one seed, in a worker set up by `_start`."""
    program = generate(seed, _state['aliasing'])
    return checker.check(program, _state['directory'], _state['apis'], _state['timeout'])


def seed_range(text):
    start, _, stop = text.partition(':')
    return range(int(start), int(stop)) if stop else range(int(start), int(start) + 1)


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m tests.fuzz',
                                     description=__doc__.split('\n\n')[1])
    parser.add_argument('--seeds', type=seed_range, default=range(0, 1000),
                        help='a range START:STOP of seeds, or one seed (default 0:1000)')
    parser.add_argument('--jobs', type=int, default=2, help='worker processes (default 2)')
    parser.add_argument('--timeout', type=float, default=60.0,
                        help='seconds per program before it counts as TIMEOUT (default 60)')
    parser.add_argument('--apis', default=','.join(checker.APIS),
                        help=f'comma-separated APIs to check (default {",".join(checker.APIS)}; '
                             f'also {",".join(checker.OPTIONAL_APIS)})')
    parser.add_argument('--no-alias', dest='aliasing', action='store_false',
                        help='generate no writes into an array that another name may share')
    parser.add_argument('--shrink', action='store_true',
                        help='shrink each failure to a smaller program failing the same way')
    parser.add_argument('--quiet', action='store_true', help='print only the counts')
    args = parser.parse_args(argv)
    apis = tuple(a for a in args.apis.split(',') if a)
    unknown = set(apis) - set(checker.APIS) - set(checker.OPTIONAL_APIS)
    if unknown:
        parser.error(f'unknown API(s) {", ".join(sorted(unknown))}; the APIs are '
                     f'{", ".join(checker.APIS + checker.OPTIONAL_APIS)}')

    started = time.time()
    results = []
    with tempfile.TemporaryDirectory(prefix='adjoint-fuzz-') as directory:
        setup = (directory, apis, args.timeout, args.aliasing)
        if args.jobs > 1:
            context = multiprocessing.get_context('fork')
            with context.Pool(args.jobs, _start, setup, maxtasksperchild=200) as pool:
                for result in pool.imap_unordered(run_seed, args.seeds, chunksize=4):
                    results.append(result)
                    _progress(len(results), len(args.seeds), started)
        else:
            _start(*setup)
            for seed in args.seeds:
                results.append(run_seed(seed))
                _progress(len(results), len(args.seeds), started)
        results.sort(key=lambda r: r.seed)
        failed = [r for r in results if r.failed]
        shrunk = {}
        if args.shrink:
            _start(*setup)
            for result in failed:
                program = generate(result.seed, args.aliasing)
                shrunk[result.seed] = {s: shrink(program, s, _state['directory'])
                                       for s in failures(result)}
    print(summary(results, time.time() - started, args))
    if not args.quiet:
        for result in failed:
            print()
            print(result.report())
            for sig, source in shrunk.get(result.seed, {}).items():
                print(f'  shrunk ({sig}):')
                print(''.join('    ' + line + '\n' for line in source.splitlines()), end='')
    return 1 if failed else 0


def _progress(done, total, started):
    if done % 250 == 0 or done == total:
        print(f'  {done}/{total} programs, {time.time() - started:.0f} s', file=sys.stderr)


def summary(results, seconds, args):
    """The counts: per outcome, per API and outcome, per failure signature."""
    lines = [f'{len(results)} programs (seeds {args.seeds.start}:{args.seeds.stop}, '
             f'aliasing {"on" if args.aliasing else "off"}) in {seconds:.0f} s']
    overall = collections.Counter(r.outcome for r in results)
    lines.append('  ' + ', '.join(f'{o} {overall[o]}' for o in checker.OUTCOMES if overall[o]))
    lines.append('per API:')
    for api in checker.APIS + checker.OPTIONAL_APIS:
        counts = collections.Counter(r.apis[api][0] for r in results if api in r.apis)
        if counts:
            lines.append(f'  {api:15} ' + ', '.join(f'{o} {counts[o]}'
                                                   for o in checker.OUTCOMES if counts[o]))
    signatures = collections.defaultdict(list)
    for result in results:
        for sig in failures(result):
            signatures[sig].append(result.seed)
    rejections = collections.defaultdict(list)
    for result in results:
        for api, (outcome, detail) in result.apis.items():
            if outcome == 'rejected':
                rejections[signature(api, outcome, detail)].append(result.seed)
    if rejections:
        lines.append('rejections by signature (count, first seeds):')
        lines += _table(rejections)
    if signatures:
        lines.append('failures by signature (count, first seeds):')
        lines += _table(signatures)
    return '\n'.join(lines)


def _table(seeds_by_signature):
    lines = []
    for sig, seeds in sorted(seeds_by_signature.items(), key=lambda item: -len(item[1])):
        shown = ' '.join(map(str, seeds[:8])) + (' ...' if len(seeds) > 8 else '')
        lines.append(f'  {len(seeds):5}  {sig[:110]}\n         seeds {shown}')
    return lines


if __name__ == '__main__':
    sys.exit(main())
