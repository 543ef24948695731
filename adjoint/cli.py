"""The `adjoint` command line: print a function's IR or its generated derivative.

    adjoint ir model.py:loss                       the SSA IR of `loss`
    adjoint ir model.py:loss --stage normalize     the source after a primal stage
    adjoint grad model.py:loss --wrt w,b           the generated gradient source
    adjoint grad model.py:loss --kinds float       ... specialized to float arguments
    adjoint grad model.py:loss --stage optimize    the adjoint IR after a stage
    adjoint jvp model.py:loss --wrt w              the generated tangent (forward mode)
    adjoint jvp model.py:f --derivative            ... seeded with 1.0: d f / d x

`python -m adjoint` is the same program. Errors print one line to stderr and exit
with status 2 (1 for a bug in adjoint itself); `--traceback` shows the traceback.
"""

import argparse
import importlib
import importlib.util
import os
import sys
import traceback

import adjoint
from adjoint import api, forward_mode
from transforms import pipeline
from transforms.errors import AdjointError, InternalError

PRIMAL_STAGES = pipeline.STAGES[:pipeline.STAGES.index('ssa') + 1]
KIND_NAMES = ('int', 'float', 'bool', 'vector', 'matrix', 'array', 'unknown')

EPILOG = """\
TARGET is FILE.py:FUNCTION (or MODULE:FUNCTION for an importable module). The file
is imported as a module with its own directory on sys.path, so its imports work;
its `if __name__ == "__main__":` block does not run. FUNCTION may be dotted
(`Model.loss`).

exit status: 0 on success, 2 on an error in the input (a missing file or
function, syntax adjoint does not differentiate, a bad option), 1 on a bug in
adjoint. Errors are one line on stderr; --traceback shows the whole traceback.

examples:
  adjoint ir examples/rosenbrock.py:rosenbrock
  adjoint grad examples/rosenbrock.py:rosenbrock --wrt x,y --kinds float
  adjoint grad examples/rosenbrock.py:rosenbrock --wrt 0,1 --value
  python -m adjoint grad examples/gaussian.py:log_likelihood --wrt mu --stage optimize
  adjoint jvp examples/rosenbrock.py:rosenbrock --wrt x,y --kinds float
"""


class UsageError(Exception):
    """A problem with the command line or the target, reported in one line."""


def build_parser():
    """The argument parser for `adjoint` and its subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('target', metavar='TARGET',
                        help='the function: FILE.py:FUNCTION or MODULE:FUNCTION')
    common.add_argument('--traceback', action='store_true',
                        help='on an error, show the full traceback instead of one line')
    parser = argparse.ArgumentParser(
        prog='adjoint', epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description='Source-transformation automatic differentiation for Python: print the\n'
                    'IR of a function, or the Python source of its derivative.')
    parser.add_argument('--version', action='version', version=f'adjoint {adjoint.__version__}')
    commands = parser.add_subparsers(dest='command', metavar='COMMAND', required=True)
    ir_parser = commands.add_parser(
        'ir', parents=[common], help='print the SSA IR of a function',
        description='Print the SSA IR of a function (what adjoint.ir(fn) returns), or the '
                    'Python source after an earlier stage of the pipeline.')
    ir_parser.add_argument('--stage', choices=PRIMAL_STAGES, default='ssa',
                           help='stop after this stage: parse (the source as read), normalize '
                                '(desugared core Python), ssa (the IR; the default)')
    grad_parser = commands.add_parser(
        'grad', parents=[common], help='print the generated derivative of a function',
        description='Print the Python source adjoint generates for the gradient of a '
                    'scalar-valued function (what adjoint.grad(fn, wrt).source shows), or '
                    'the IR after a stage of the pipeline.')
    add_specialization(grad_parser, 'gradient')
    grad_parser.add_argument('--value', action='store_true',
                             help='value_and_grad: the generated code returns (value, gradient)')
    grad_parser.add_argument('--stage', choices=pipeline.STAGES, default='emit',
                             help='stop after this stage: reverse (the adjoint IR), optimize (the '
                                  'optimized IR), emit (the Python source; the default); parse, '
                                  'normalize and ssa show the primal as `adjoint ir` does')
    jvp_parser = commands.add_parser(
        'jvp', parents=[common], help='print the generated tangent (forward mode) of a function',
        description='Print the Python source adjoint generates for forward mode: the jvp '
                    '(what adjoint.jvp(fn).source shows), which takes a tangent for each --wrt '
                    'parameter and returns (value, tangent); with --derivative, the derivative '
                    'by one scalar parameter (adjoint.derivative(fn, wrt).source).')
    add_specialization(jvp_parser, 'tangent')
    jvp_parser.add_argument('--derivative', action='store_true',
                            help='seed the tangent of the one --wrt parameter with 1.0 and '
                                 'return only the derivative')
    jvp_parser.add_argument('--stage', choices=pipeline.FORWARD_STAGES, default='emit',
                            help='stop after this stage: forward (the tangent IR), optimize, emit '
                                 '(the Python source; the default)')
    return parser


def add_specialization(parser, what):
    """The --wrt and --kinds options `grad` and `jvp` share."""
    parser.add_argument('--wrt', default='0', metavar='PARAMS',
                        help='comma-separated parameter names or indices to differentiate '
                             f'(default: 0, the first parameter). One parameter gives a bare '
                             f'{what}; several give a tuple' if what == 'gradient' else
                             'comma-separated parameter names or indices that get a tangent '
                             '(default: 0, the first parameter)')
    parser.add_argument('--kinds', default='', metavar='KINDS',
                        help='specialize the code to argument kinds: NAME=KIND pairs, e.g. '
                             '"x=float,b=array", or a bare KIND for every parameter, e.g. '
                             '"float" or "float,n=int". KIND is one of: '
                             + ', '.join(KIND_NAMES) + '. Default: unknown (generic code '
                             'that undoes broadcasting where shapes may differ)')


def main(argv=None):
    """Run the command line; returns the exit status (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    try:
        fn = load_target(args.target)
        text = run(args, fn)
    except Exception as error:  # noqa: BLE001 - every error becomes one line, by design
        return report(error, args.traceback)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `adjoint grad ... | head`
        sys.stdout = None
    return 0


def run(args, fn):
    """The text a parsed command line prints for the function `fn`."""
    if args.command == 'ir':
        text = adjoint.ir(fn) if args.stage == 'ssa' else pipeline.stage_text(fn, args.stage)
        return text if text.endswith('\n') else text + '\n'
    wrt = parse_wrt(args.wrt)
    kinds = parse_kinds(args.kinds, parameter_names(fn))
    if args.command == 'jvp':
        return forward_mode.tangent_source(fn, wrt, kinds, args.derivative, args.stage)
    return api.derivative_source(fn, wrt, kinds, args.value, args.stage)


def report(error, show_traceback):
    """Print `error` to stderr, in one line unless asked for the traceback."""
    if show_traceback:
        traceback.print_exception(error)
    internal = not isinstance(error, (UsageError, AdjointError)) \
        or isinstance(error, InternalError)
    lines = str(error).strip().splitlines() or ['']
    message = lines[0]
    if internal:
        message = (f'internal error: {type(error).__name__}: {message} (a bug in adjoint; '
                   f'rerun with --traceback and report it)')
    print(f'adjoint: error: {message}', file=sys.stderr)
    return 1 if internal else 2


def parse_wrt(text):
    """`--wrt` as `grad` takes it: a name or index, or a tuple of them."""
    items = [item.strip() for item in text.split(',')]
    if not all(items):
        raise UsageError(f'--wrt {text!r}: expected comma-separated parameter names or indices')
    items = [int(item) if item.lstrip('-').isdigit() else item for item in items]
    return items[0] if len(items) == 1 else tuple(items)


def parse_kinds(text, params):
    """`--kinds` as a dict {parameter: kind}; a bare kind applies to every parameter."""
    kinds = {}
    for item in filter(None, (part.strip() for part in text.split(','))):
        name, _, kind = item.rpartition('=')
        kind = kind.strip()
        if kind not in KIND_NAMES:
            raise UsageError(f'--kinds: unknown kind {kind!r} in {item!r}; the kinds are: '
                             + ', '.join(KIND_NAMES))
        value = None if kind == 'unknown' else kind
        if not name:
            kinds.update(dict.fromkeys(params, value))
        elif name.strip() not in params:
            raise UsageError(f'--kinds: {name.strip()!r} is not a parameter; the parameters '
                             f'are: {", ".join(params)}')
        else:
            kinds[name.strip()] = value
    return kinds


def parameter_names(fn):
    """The names of `fn`'s parameters, as adjoint reads them."""
    primal, _ = pipeline.primal_ir(fn)
    return [p.name for p in primal.params]


def load_target(target):
    """The function named by `FILE.py:FUNCTION` or `MODULE:FUNCTION`."""
    where, colon, name = target.rpartition(':')
    if not colon or not where or not name:
        raise UsageError(f'{target!r}: expected FILE.py:FUNCTION, e.g. model.py:loss')
    module = load_module(where)
    value = module
    for part in name.split('.'):
        if not hasattr(value, part):
            raise UsageError(f'{where} has no function {name!r}; it defines: '
                             f'{", ".join(functions_of(module)) or "no functions"}')
        value = getattr(value, part)
    if not callable(value):
        raise UsageError(f'{where}:{name} is not a function but an object of type '
                         f'{type(value).__name__}')
    return value


def load_module(where):
    """Import a file by its path (its directory first on sys.path), or a module by name."""
    if not (where.endswith('.py') or os.sep in where or '/' in where or os.path.exists(where)):
        prepend_to_path(os.getcwd())
        return guarded_import(where, lambda: importlib.import_module(where))
    path = os.path.abspath(where)
    if not os.path.isfile(path):
        raise UsageError(f'{where}: no such file')
    prepend_to_path(os.path.dirname(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    name = stem if stem.isidentifier() and stem not in sys.modules else '__adjoint_target__'
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses, pickle and friends look it up there

    def execute():
        spec.loader.exec_module(module)
        return module
    return guarded_import(where, execute)


def prepend_to_path(directory):
    if directory not in sys.path:
        sys.path.insert(0, directory)


def guarded_import(where, do_import):
    """Run `do_import()`; any error the user's module raises becomes a `UsageError`."""
    try:
        return do_import()
    except SyntaxError as error:
        raise UsageError(f'{error.filename or where}:{error.lineno}: '
                         f'{error.msg} (while importing {where})') from error
    except Exception as error:  # noqa: BLE001 - the user's code can raise anything
        raise UsageError(f'importing {where} failed: {type(error).__name__}: '
                         f'{str(error).strip().splitlines()[0] if str(error) else ""}'
                         ) from error


def functions_of(module):
    """The names of the functions a module defines itself (not those it imports)."""
    return sorted(name for name, value in vars(module).items()
                  if callable(value) and getattr(value, '__module__', None) == module.__name__
                  and not name.startswith('_'))


if __name__ == '__main__':
    sys.exit(main())
