"""The `adjoint` command line: print a function's IR or its generated derivative.

    adjoint ir model.py:loss                       the SSA IR of `loss`
    adjoint ir model.py:loss --stage normalize     the source after a primal stage
    adjoint ir model.py:loss --dot | dot -Tsvg     the IR as a Graphviz graph
    adjoint ir -:loss < model.py                   the program from standard input
    adjoint grad model.py:loss --wrt w,b           the generated gradient source
    adjoint grad model.py:loss --kinds float       ... specialized to float arguments
    adjoint grad model.py:loss --kinds 'p=dict[W=matrix,b=vector]'   ... to a dict
    adjoint grad model.py:loss --stage optimize    the adjoint IR after a stage
    adjoint jvp model.py:loss --wrt w              the generated tangent (forward mode)
    adjoint jvp model.py:f --derivative            ... seeded with 1.0: d f / d x

`python -m adjoint` is the same program. Errors print one line to stderr and exit
with status 2 (1 for a bug in adjoint itself); `--traceback` shows the traceback.
Code is highlighted on a terminal, when Pygments is installed; never when the
output is piped or NO_COLOR is set (`--color` decides otherwise).
"""

import argparse
import importlib
import importlib.util
import linecache
import os
import sys
import traceback
import types

import adjoint
from adjoint import api, forward_mode
from transforms import pipeline
from transforms.analysis.kinds import dict_kind
from transforms.core import dot
from transforms.core.errors import AdjointError, InternalError

PRIMAL_STAGES = pipeline.STAGES[:pipeline.STAGES.index('ssa') + 1]
KIND_NAMES = ('int', 'float', 'bool', 'vector', 'matrix', 'array', 'unknown')
CONTAINER_NAMES = ('list', 'tuple', 'dict')
KIND_SPELLINGS = ', '.join(KIND_NAMES) + \
    ', list[KIND], tuple[KIND], dict[KIND], dict[KEY=KIND,...]'
STDIN = '-'  # the target `-:f`: function f of the program on standard input
STDIN_FILENAME = '<stdin>'
TARGET_FORMS = ('a target is FILE.py:FUNCTION, MODULE:FUNCTION, or -:FUNCTION for a '
                'program on standard input')

EPILOG = """\
TARGET is FILE.py:FUNCTION (or MODULE:FUNCTION for an importable module, or
-:FUNCTION to read the program from standard input). The file is imported as a
module with its own directory on sys.path, so its imports work; its
`if __name__ == "__main__":` block does not run. FUNCTION may be dotted
(`Model.loss`).

KINDS specialize the code to argument kinds: int, float, bool, vector and matrix
(float arrays of 1 and 2 dimensions), array (of any shape), unknown, and
containers of them: list[KIND] and tuple[KIND] (items of that kind), dict[KIND]
(values of that kind) and dict[KEY=KIND,...] (a dict with these string keys),
e.g. --kinds 'xs=list[float],params=dict[W=matrix,b=vector]'.

Code is highlighted (by Pygments, when it is installed) only when the output is
a terminal and NO_COLOR is not set; --color always|never decides otherwise.

exit status: 0 on success, 2 on an error in the input (a missing file or
function, syntax adjoint does not differentiate, a bad option), 1 on a bug in
adjoint. Errors are one line on stderr; --traceback shows the whole traceback.

examples:
  adjoint ir examples/rosenbrock.py:rosenbrock
  adjoint ir examples/oscillator.py:simulate --dot | dot -Tsvg > simulate.svg
  adjoint grad -:rosenbrock --kinds float < examples/rosenbrock.py
  adjoint grad examples/rosenbrock.py:rosenbrock --wrt x,y --kinds float
  adjoint grad examples/rosenbrock.py:rosenbrock --wrt 0,1 --value
  python -m adjoint grad examples/gaussian.py:log_likelihood --wrt mu --stage optimize
  adjoint jvp examples/rosenbrock.py:rosenbrock --wrt x,y --kinds float
"""


class UsageError(Exception):
    """A problem with the command line or the target, reported in one line."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, reading the target `-:FUNCTION` as the argument it is.

    argparse takes any word starting with `-` for an option (but for negative
    numbers); `-` alone is a positional, so a word starting with `-:` is one too.
    Subparsers are made of the parser's own class.
    """

    def _parse_optional(self, arg_string):
        if arg_string.startswith(STDIN + ':'):
            return None  # a positional argument, in argparse's protocol
        return super()._parse_optional(arg_string)


def build_parser():
    """The argument parser for `adjoint` and its subcommands."""
    common = ArgumentParser(add_help=False)
    common.add_argument('target', metavar='TARGET',
                        help='the function: FILE.py:FUNCTION, MODULE:FUNCTION, or '
                             '-:FUNCTION for a program on standard input')
    common.add_argument('--traceback', action='store_true',
                        help='on an error, show the full traceback instead of one line')
    common.add_argument('--color', choices=('auto', 'always', 'never'), default='auto',
                        help='highlight the code (with Pygments, when installed): auto (the '
                             'default) only on a terminal and when NO_COLOR is not set')
    parser = ArgumentParser(
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
    ir_parser.add_argument('--dot', action='store_true',
                           help='write the IR as a Graphviz graph (DOT language): operations '
                                'and values as nodes, data flow as edges, branches and loops '
                                'as clusters; e.g. | dot -Tsvg > f.svg')
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
                             + KIND_SPELLINGS + ' (e.g. "xs=list[float]"). Default: unknown '
                             '(generic code that undoes broadcasting where shapes may differ)')


def main(argv=None):
    """Run the command line; returns the exit status (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    try:
        fn = load_target(args.target)
        text = run(args, fn)
    except Exception as error:  # noqa: BLE001 - every error becomes one line, by design
        return report(error, args.traceback)
    if not getattr(args, 'dot', False):  # a graph is for Graphviz to read
        text = highlighted(text, sys.stdout, args.color)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `adjoint grad ... | head`
        sys.stdout = None
    return 0


def run(args, fn):
    """The text a parsed command line prints for the function `fn`."""
    if args.command == 'ir':
        if args.dot:
            if args.stage != 'ssa':
                raise UsageError(f'--dot draws the IR (--stage ssa); --stage {args.stage} '
                                 'prints Python source')
            return dot.to_dot(pipeline.primal_ir(fn)[0])
        text = adjoint.ir(fn) if args.stage == 'ssa' else pipeline.stage_text(fn, args.stage)
        return text if text.endswith('\n') else text + '\n'
    wrt = parse_wrt(args.wrt)
    kinds = parse_kinds(args.kinds, parameter_names(fn))
    if args.command == 'jvp':
        return forward_mode.tangent_source(fn, wrt, kinds, args.derivative, args.stage)
    return api.derivative_source(fn, wrt, kinds, args.value, args.stage)


def highlighted(text, stream, color):
    """`text` with a terminal's colour codes for Python syntax, if `color`
    ('always', 'never' or 'auto') and `stream` call for them and Pygments is
    installed; else `text` unchanged.

    'auto' colours only a terminal, and not when the NO_COLOR environment
    variable is set (https://no-color.org) or TERM is 'dumb': escape codes in a
    file or a pipe are noise to whatever reads them.
    """
    if color == 'never':
        return text
    if color == 'auto':
        isatty = getattr(stream, 'isatty', None)
        if os.environ.get('NO_COLOR') or os.environ.get('TERM') == 'dumb' or \
                not (isatty and isatty()):
            return text
    try:  # here, not at import: Pygments is optional and slow to import
        from pygments import highlight
        from pygments.formatters import TerminalFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return text
    return highlight(text, PythonLexer(), TerminalFormatter())


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
    chosen = {}
    for item in filter(None, (part.strip() for part in split_outside_brackets(text, ','))):
        parts = split_outside_brackets(item, '=', maxsplit=1)
        name, kind = ('', item) if len(parts) == 1 else (parts[0].strip(), parts[1])
        value = parse_kind(kind, item)
        if not name:
            chosen.update(dict.fromkeys(params, value))
        elif name not in params:
            raise UsageError(f'--kinds: {name!r} is not a parameter; the parameters '
                             f'are: {", ".join(params)}')
        else:
            chosen[name] = value
    return chosen


def parse_kind(text, item):
    """One KIND of `--kinds` (part of `item`) as the kind the compiler uses
    (see transforms/analysis/kinds.py): 'float', None for unknown, ('list', 'float') for
    list[float], a dict kind that knows its keys for dict[W=matrix,b=vector]."""
    text = text.strip()
    name, bracket, rest = text.partition('[')
    name = name.strip()
    if not bracket and name in KIND_NAMES:
        return None if name == 'unknown' else name
    if name not in CONTAINER_NAMES or (bracket and not rest.endswith(']')):
        raise UsageError(f'--kinds: unknown kind {text!r} in {item!r}; the kinds are: '
                         + KIND_SPELLINGS)
    if not bracket:  # `list`: a list of items of unknown kind
        return (name, None)
    parts = split_outside_brackets(rest[:-1], ',')
    keyed = [split_outside_brackets(part, '=', maxsplit=1) for part in parts]
    if len(parts) == 1 and len(keyed[0]) == 1:  # list[float], dict[array]
        return (name, parse_kind(parts[0], item))
    if name != 'dict' or any(len(pair) == 1 or not pair[0].strip() for pair in keyed):
        raise UsageError(f'--kinds: {text!r} in {item!r}: list[KIND] and tuple[KIND] take '
                         'one item kind, dict[KIND] one value kind or KEY=KIND pairs, as '
                         'in dict[W=matrix,b=vector]')
    keys = [key.strip() for key, _ in keyed]
    if len(set(keys)) < len(keys):
        raise UsageError(f'--kinds: {text!r} in {item!r} names a key twice')
    return dict_kind(tuple((key, parse_kind(kind, item))
                            for key, (_, kind) in zip(keys, keyed)))


def split_outside_brackets(text, separator, maxsplit=-1):
    """`text` split at `separator` where it is not inside `[...]`, as str.split."""
    parts, depth, start = [], 0, 0
    for position, char in enumerate(text):
        depth += (char == '[') - (char == ']')
        if depth < 0:
            break
        if char == separator and depth == 0 and len(parts) != maxsplit:
            parts.append(text[start:position])
            start = position + 1
    if depth != 0:
        raise UsageError(f'--kinds: unbalanced brackets in {text!r}')
    return parts + [text[start:]]


def parameter_names(fn):
    """The names of `fn`'s parameters, as adjoint reads them."""
    primal, _ = pipeline.primal_ir(fn)
    return [p.name for p in primal.params]


def load_target(target):
    """The function named by `FILE.py:FUNCTION`, `MODULE:FUNCTION` or `-:FUNCTION`."""
    where, colon, name = target.rpartition(':')
    if not colon or not where or not name:
        raise UsageError(f'{target!r}: expected FILE.py:FUNCTION, e.g. model.py:loss; '
                         + TARGET_FORMS)
    module = load_module(where)
    shown = STDIN_FILENAME if where == STDIN else where
    value = module
    for part in name.split('.'):
        if not hasattr(value, part):
            raise UsageError(f'{shown} has no function {name!r}; it defines: '
                             f'{", ".join(functions_of(module)) or "no functions"}')
        value = getattr(value, part)
    if not callable(value):
        raise UsageError(f'{shown}:{name} is not a function but an object of type '
                         f'{type(value).__name__}')
    return value


def load_module(where):
    """Import a file by its path (its directory first on sys.path), a module by
    name, or the program on standard input (`-`)."""
    if where == STDIN:
        return load_stdin()
    if not (where.endswith('.py') or os.sep in where or '/' in where or os.path.exists(where)):
        prepend_to_path(os.getcwd())
        return guarded_import(where, lambda: importlib.import_module(where))
    path = os.path.abspath(where)
    if os.path.isdir(path):
        raise UsageError(f'{where} is a directory; {TARGET_FORMS}')
    if not path.endswith('.py'):
        raise UsageError(f'{where} is not a Python file (its name does not end in .py); '
                         f'{TARGET_FORMS}')
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


def load_stdin():
    """The program on standard input, run as a module whose source adjoint can read.

    adjoint reads a function's source through `inspect`, which finds it in
    `linecache`: the text is registered there under `<stdin>` (with no modification
    time, so `linecache.checkcache` keeps it), and compiled under that name, so
    errors name `<stdin>:LINE` as Python's own do. The current directory is first
    on sys.path, as for `python - < model.py`.
    """
    source = sys.stdin.read()
    if not source.strip():
        raise UsageError('-:FUNCTION reads the program from standard input, which is '
                         'empty; pipe a program into it: adjoint ir -:f < model.py')
    linecache.cache[STDIN_FILENAME] = (len(source), None, source.splitlines(keepends=True),
                                       STDIN_FILENAME)
    prepend_to_path(os.getcwd())
    module = types.ModuleType('__adjoint_stdin__')
    sys.modules[module.__name__] = module  # dataclasses, pickle and friends look it up there

    def execute():
        exec(compile(source, STDIN_FILENAME, 'exec'), vars(module))  # noqa: S102 - the user's
        return module
    return guarded_import(STDIN_FILENAME, execute)


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
