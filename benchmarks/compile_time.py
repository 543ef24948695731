"""How compile time grows with the program: the time to a first gradient of
generated functions of 10 to 5,000 statements, in ms per statement.

    python benchmarks/compile_time.py                 # 10, 100, 1000, 5000 statements
    python benchmarks/compile_time.py --sizes 10 100  # some sizes
    python benchmarks/compile_time.py --profile 1000  # cProfile of one compile

Three shapes of program, each made of blocks of four statements: straight-line
float arithmetic, an `if` per block, and a `for` loop per block. A compiler
whose passes are linear sweeps has a flat ms-per-statement column; one that
compares every pair of values grows it with the size.
"""

import argparse
import cProfile
import importlib.util
import os
import pstats
import sys
import tempfile
import time

import adjoint

SIZES = (10, 100, 1000, 5000)


def straight_block(k):
    return [f'a = np.sin(b) * x + a * 0.5',
            f'b = b * 0.{1 + k % 7} - np.cos(a)',
            f'c = np.tanh(a * b) + c * 0.5',
            f'b = b + c * x']


def branch_block(k):
    return [f'if a > {k % 5 - 2}.0:',
            f'    b = np.sin(a) * x + b',
            f'else:',
            f'    b = b * 0.{1 + k % 3} - np.cos(x)']


def loop_block(k):
    return [f'for i in range({1 + k % 3}):',
            f'    a = np.sin(b) * x + a',
            f'    b = np.tanh(b * 0.5 + a * 0.{k % 4})',
            f'c = c * 0.5 + a * b']


SHAPES = {'straight': straight_block, 'branches': branch_block, 'loops': loop_block}


def program(shape, statements):
    """The source of `f(x)`: about `statements` statements of `shape`, in blocks."""
    lines = ['import numpy as np', '', '', 'def f(x):', '    a = x', '    b = x * 2.0',
             '    c = x * 0.0']
    for k in range(max(1, statements // 4)):
        lines += ['    ' + line for line in SHAPES[shape](k)]
    lines.append('    return a + b + c')
    return '\n'.join(lines) + '\n'


def load(source, directory, name):
    """The function `f` of a module written from `source` (adjoint reads files)."""
    path = os.path.join(directory, name + '.py')
    with open(path, 'w') as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def first_gradient_seconds(fn, clock=time.perf_counter):
    """Time of the first call of a new `grad`: parse, compile, run (wall time
    unless `clock` says otherwise)."""
    adjoint.cache.clear()
    start = clock()
    adjoint.grad(fn)(0.3)
    return clock() - start


def measure(sizes=SIZES, clock=time.perf_counter, repeats=1):
    """Yield (shape, statements, seconds to the first gradient) of each shape and
    size, as each is measured; the least of `repeats` tries for sizes up to 100 (a
    larger one takes long enough that one try is steady)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    with tempfile.TemporaryDirectory() as directory:
        for shape in SHAPES:
            for size in sizes:
                fn = load(program(shape, size), directory, f'{shape}_{size}')
                tries = repeats if size <= 100 else 1
                yield shape, size, min(first_gradient_seconds(fn, clock)
                                       for _ in range(tries))


HEAD = '| shape | statements | first gradient | ms per statement |\n|---|---:|---:|---:|'


def row(shape, size, seconds):
    """One line of the Markdown table."""
    return f'| {shape} | {size} | {seconds * 1e3:.1f} ms | {seconds * 1e3 / size:.2f} |'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', type=int, nargs='+', default=SIZES)
    parser.add_argument('--profile', type=int, metavar='STATEMENTS',
                        help='profile one straight-line compile of this size')
    args = parser.parse_args(argv)
    if args.profile:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
        with tempfile.TemporaryDirectory() as directory:
            fn = load(program('straight', args.profile), directory, 'profiled')
            profile = cProfile.Profile()
            profile.runcall(first_gradient_seconds, fn)
            pstats.Stats(profile).sort_stats('cumulative').print_stats(25)
        return
    print(HEAD)
    for measured in measure(args.sizes):
        print(row(*measured), flush=True)


if __name__ == '__main__':
    main()
