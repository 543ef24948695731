"""`backend='numba'`: the generated code, compiled with `numba.njit`.

adjoint's generated code for numbers, float arrays, and lists and tuples of them
is plain Python with no runtime helpers, so Numba can compile it: a simulation
loop's gradient then runs at the speed of its Numba-compiled primal. This module
takes a compiled version (function, source, ir) from the Python pipeline and
gives the Numba one:

- the source, rewritten line for line where Numba compiles another form
  (`reversed(range(n))`, which Numba does not know, becomes `range(n - 1, -1, -1)`),
  so `.source` shows what Numba compiled and generated line k still comes from
  the same user line (tracebacks and error messages use that);
- every generated function it calls (a helper's forward/backward pair, a
  tangent function) compiled the same way, once: the Numba twin of a generated
  function is kept on that function, so it lives as long as the cache keeps it;
- a Numba dispatcher, which compiles on the first call with each argument type.

Numba is an optional extra (`pip install "adjoint[numba]"`), imported only when a
derivative asks for it. What Numba cannot compile (a dict, a Python object, a
call Numba does not know) is an `AdjointError` naming the construct and the
user's line, with `backend='python'` as the way out (docs/numba.md).
"""

import ast
import importlib
import linecache
import math
import os
import re
import sys
import types
import warnings

import numpy as np

from adjoint.outputs import copied_lists
from transforms.ad import calls
from transforms.analysis.kinds import ARRAYS, SCALARS
from transforms.backend.compile import compile_function
from transforms.core.errors import GENERATED_FILES, AdjointError, BackendError, user_location

BACKENDS = ('python', 'numba')
_INSTALL = 'pip install "adjoint[numba]"'


def checked_backend(backend):
    """`backend` itself, once it is known to be usable.

    Raises:
        AdjointError: a backend other than 'python' and 'numba', or 'numba'
            without Numba installed (with how to install it).
    """
    if backend not in BACKENDS:
        raise AdjointError(f"unknown backend {backend!r}; the backends are 'python' "
                           f"(the default) and 'numba'")
    if backend == 'numba':
        _numba()
    return backend


def _numba():
    """The `numba` module, with adjoint's runtime helpers registered with it."""
    try:
        numba = importlib.import_module('numba')
    except ImportError:
        raise AdjointError(f"backend='numba' needs Numba, an optional extra of adjoint: "
                           f"install it with `{_INSTALL}` (or `pip install numba`), or "
                           f"use backend='python'") from None
    _runtime()  # registers the helpers
    return numba


def _runtime():
    """adjoint/numba_runtime.py, which registers Numba versions of the helpers."""
    return importlib.import_module('adjoint.numba_runtime')


def _supported(kind):
    if isinstance(kind, str):
        return kind in SCALARS or kind in ARRAYS
    return isinstance(kind, tuple) and len(kind) == 2 and kind[0] in ('list', 'tuple') \
        and kind[1] is not None and _supported(kind[1])


def check_kinds(kinds, fn):
    """Raise a `BackendError` for a parameter whose kind Numba cannot compile.

    Args:
        kinds: `((parameter name, kind), ...)` of a call.
        fn: the function differentiated, named in the message.
    """
    for name, kind in kinds:
        if not _supported(kind):
            code = fn.__code__
            raise BackendError(
                f"{code.co_filename}:{code.co_firstlineno}: backend='numba' compiles "
                f"numbers, float arrays, and lists and tuples of them; `{name}` of "
                f"`{fn.__name__}` is {_kind_text(kind)}: use backend='python' for this "
                f"function, or pass the numbers as arguments of those kinds")


def _kind_text(kind):
    if kind is None:
        return 'an object of a type Numba does not compile'
    if isinstance(kind, tuple) and kind[0] == 'dict':
        return 'a dict'
    if isinstance(kind, tuple):
        return f'a {kind[0]} of mixed or unknown items'
    return f'of kind {kind!r}'


def compiled(version):
    """The Numba version of a compiled `(function, source, ir)`: the same triple,
    with the function a Numba dispatcher and the source the code it compiles."""
    function, _, printed_ir = version
    twin = _twin(function)
    return twin, twin.py_func.__adjoint_source__, printed_ir


def _twin(function):
    """The Numba dispatcher of generated `function`, made once and kept on it."""
    twin = function.__dict__.get('__adjoint_numba__')
    if twin is None:
        if function.__dict__.get('__adjoint_numba_busy__'):
            raise BackendError(f"backend='numba' does not compile recursive functions "
                               f"(`{function.__name__}` calls itself): use "
                               f"backend='python'")
        function.__adjoint_numba_busy__ = True
        try:
            twin = function.__adjoint_numba__ = _njit(function)
        finally:
            del function.__adjoint_numba_busy__
    return twin


def _njit(function):
    numba = _numba()
    filename = function.__code__.co_filename
    origin = GENERATED_FILES[filename]
    source, lines = numba_source(''.join(_source_lines(filename)), origin.lines)
    namespace = {name: _global(name, value, function)
                 for name, value in function.__globals__.items()}
    emitted = types.SimpleNamespace(source=source, name=function.__name__,
                                    namespace=namespace, origin=origin.origin, lines=lines)
    python_function = compile_function(emitted, label=f'{function.__name__}, for Numba')
    python_function.__adjoint_source__ = source
    return numba.njit(python_function)


def _source_lines(filename):
    return linecache.cache[filename][2]


def _global(name, value, function):
    """What the Numba twin of `function` sees for its global `name`: the twin of a
    generated function (or of the one a recursion stub stands for); a module or
    other value as it is."""
    generated = calls.target(value)
    code = getattr(generated, '__code__', None)
    if isinstance(generated, types.FunctionType) and code.co_filename in GENERATED_FILES:
        # Itself: the exec that defines the twin's Python function redefines it.
        return generated if generated is function else _twin(generated)
    if value is math:
        return _runtime().MATH
    if getattr(value, '__module__', None) == 'math' and \
            getattr(math, getattr(value, '__name__', ''), None) is value:
        return _runtime().CHECKED_MATH.get(value.__name__, value)  # `from math import log`
    if isinstance(value, types.FunctionType):
        return _user_function(value, function)
    if isinstance(value, np.ndarray):
        raise BackendError(
            f"backend='numba' compiles the array `{name}`, a global that "
            f"`{function.__name__}` reads, into the code as a constant, so a change to "
            f"it would not be seen: pass `{name}` as an argument, or use "
            f"backend='python'")
    return value


def _user_function(value, function):
    """A function of the user's that generated `function` calls as it is (its
    result is not differentiated, or it is the primal of a helper), compiled by
    Numba too, unless it reads a global array, which Numba would freeze."""
    if (value.__module__ or '').split('.')[0] in ('adjoint', 'transforms'):
        return value  # a helper: Numba runs its overload (numba_runtime.py), if any
    for name in value.__code__.co_names:
        if isinstance(value.__globals__.get(name), np.ndarray):
            raise BackendError(
                f"backend='numba' would compile the array `{name}`, a global that "
                f"`{value.__name__}` reads, into the code as a constant, so a change "
                f"to it would not be seen: pass `{name}` as an argument, or use "
                f"backend='python'")
    return _numba().njit(value)


def twin_pair(pair):
    """The Numba twins of a forward/backward pair (`transforms.calls.pair`), as a
    pair of the same shape: `forward(*args) -> (out, saved)`, `backward(saved, g)`.

    Called from Python, not from compiled code, the saved values cross from one
    compiled function to the other as Python objects, where a value saved in one
    branch only is None and Numba would type it as none, failing to compile the
    other branch of the backward sweep. So `saved` keeps the type Numba gave it in
    the forward sweep (an optional float), and the backward sweep is compiled for
    that type and called through that one compiled version."""
    forward, backward = (_twin(calls.target(f)) for f in (pair.forward, pair.backward))
    sources = tuple(f.py_func.__adjoint_source__ for f in (forward, backward))
    return types.SimpleNamespace(forward=_TypedForward(forward),
                                 backward=_TypedBackward(backward), sources=sources)


class _Typed:
    """A value that left compiled code, with the Numba type it had there."""

    def __init__(self, value, numba_type):
        self.value, self.numba_type = value, numba_type


class _TypedForward:
    def __init__(self, dispatcher):
        self.dispatcher = dispatcher
        self.py_func = dispatcher.py_func

    def __call__(self, *args, **kwargs):
        compile_for(self.dispatcher, args, self.py_func, kwargs)
        out, saved = self.dispatcher(*args, **kwargs)
        numba = _numba()
        arg_types = tuple(numba.typeof(a) for a in args)
        signature = self.dispatcher.overloads.get(arg_types)
        if kwargs or signature is None:  # not the version that ran: Numba's own types
            return out, saved
        return out, _Typed(saved, signature.signature.return_type[1])


class _TypedBackward:
    def __init__(self, dispatcher):
        self.dispatcher = dispatcher
        self.py_func = dispatcher.py_func

    def __call__(self, saved, cotangent):
        if not isinstance(saved, _Typed):
            return self.dispatcher(copied_lists(saved), cotangent)
        numba = _numba()
        arg_types = (saved.numba_type, numba.typeof(cotangent))
        try:
            compiled = _compiled(self.dispatcher, arg_types)
        except Exception as error:
            raise translated(error, self.py_func, compiling=True) from None
        return compiled.entry_point(copied_lists(saved.value), cotangent)


_REVERSED_RANGE = re.compile(r'^(\s*)for (.*) in reversed\(range\((.*)\)\):$')
_DEL = re.compile(r'^(\s*)del [\w, ]+$')
# Numba reshapes only contiguous arrays (a transpose's cotangent is not): at run
# time it raises NotImplementedError where NumPy copies.
_RESHAPE_FUNCTION = re.compile(r'\bnp\.reshape\((\w+),')
_RESHAPE_METHOD = re.compile(r'(^|[^.\w])(?!np\.)(\w+)\.reshape\(')


def numba_source(source, lines):
    """`source` in the form Numba compiles, and the user line of each of its lines.

    Four rewrites, comments kept: each `for ... in reversed(range(...)):` becomes
    a `range` that counts down; each `del` (an array released early, which Numba's
    reference counting does by itself) goes; keyword-only parameters become
    positional ones (see `_positional`); what is reshaped is made contiguous
    first (a copy only where it is not, as NumPy's reshape copies then). The range's arguments are names or
    constants in generated code, so they can be repeated: `reversed(range(a, b, s))`
    counts down from its last item, `a + (len(range(a, b, s)) - 1) * s`, to just
    past `a`.

    Args:
        source: generated Python source.
        lines: the user line of each line of `source` (`GeneratedFile.lines`).
    """
    text = source.splitlines()
    kept, kept_lines = [], []
    for k, line in enumerate(text):
        if line.startswith('def '):
            line = _positional(line)
        match = _REVERSED_RANGE.match(line)
        if match:
            indent, target, args = match.groups()
            line = f'{indent}for {target} in {_counting_down(args)}:'
        line = _RESHAPE_FUNCTION.sub(r'np.reshape(np.ascontiguousarray(\1),', line)
        line = _RESHAPE_METHOD.sub(r'\1np.ascontiguousarray(\2).reshape(', line)
        match = _DEL.match(line)
        if match:
            if not _has_sibling(text, k, match.group(1)):
                kept.append(f'{match.group(1)}pass')  # the block's only statement
                kept_lines.append(lines[k] if k < len(lines) else None)
            continue
        kept.append(line)
        kept_lines.append(lines[k] if k < len(lines) else None)
    return '\n'.join(kept) + '\n', tuple(kept_lines)


def _positional(header):
    """A `def` line with its keyword-only parameters (a tangent function's `dx`)
    made positional, with None for a default where they have none: Numba's
    dispatcher does not fill in keyword-only arguments."""
    node = ast.parse(header + ' pass').body[0]
    arguments = node.args
    if not arguments.kwonlyargs:
        return header
    defaults = [ast.Constant(None) if d is None else d for d in arguments.kw_defaults]
    if not arguments.defaults:
        defaults = defaults if all(isinstance(d, ast.Constant) and d.value is None
                                   for d in defaults) else defaults
    arguments.args += arguments.kwonlyargs
    arguments.defaults += defaults
    arguments.kwonlyargs, arguments.kw_defaults = [], []
    node.body = []
    return f'def {node.name}({ast.unparse(arguments)}):'


def _has_sibling(text, k, indent):
    """Whether statement line `k` of `text` has another statement in its block."""
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(text):
            line = text[j]
            stripped = line.strip()
            if stripped and not stripped.startswith('#'):
                if line[:len(line) - len(line.lstrip())] == indent and \
                        not (step == -1 and stripped.endswith(':') and
                             not stripped.startswith(('#', 'return'))):
                    return True
                break
            j += step
    return False


def _counting_down(args):
    """The `range(...)` text that counts `range(args)` down."""
    parts = [ast.unparse(arg) for arg in ast.parse(f'f({args})', mode='eval').body.args]
    if len(parts) == 1:
        parts = ['0'] + parts
    if len(parts) == 2:
        start, stop = parts
        return f'range({_minus_one(stop)}, {_minus_one(start)}, -1)'
    start, stop, step = parts
    last = f'{start} + (len(range({start}, {stop}, {step})) - 1) * {step}'
    return f'range({last}, {start} - {step}, -{step})'


def _minus_one(text):
    """`text - 1`, folded for an int literal (`999` rather than `1000 - 1`)."""
    try:
        return str(int(text) - 1)
    except ValueError:
        return f'{text} - 1'


# A value that compiled code cannot hold, met when it runs (a None on a tape of
# floats): Numba's TypeError, raised from the compiled code.
_UNBOXING = re.compile(r"(expected .+, got .+|can't unbox .+|cannot convert .+ to .+)$")
_ANSI = re.compile(r'\x1b\[[0-9;]*m')
_LOCATION = re.compile(r'File "(<adjoint [^"]*>)", line (\d+)')


def compile_for(dispatcher, args, fn, kwargs=None):
    """Have Numba compile `dispatcher` for the types of `args` now, if it has not,
    so that what it cannot compile is a `BackendError` here (Numba strips the
    traceback of an error its compiler raises, which then cannot be told from one
    the compiled code raises when it runs). With keyword arguments, Numba
    compiles on the call, as it does by itself.
    """
    if kwargs:
        return
    numba = _numba()
    defaults = dispatcher.py_func.__defaults__ or ()
    missing = dispatcher.py_func.__code__.co_argcount - len(args)
    if missing > len(defaults) or missing < 0:
        return  # a wrong call: Python's own error, from Numba's dispatch
    try:
        # An argument left out is typed as Numba's dispatch types it: omitted.
        arg_types = tuple(numba.typeof(a) for a in args) + tuple(
            numba.types.Omitted(d) for d in defaults[len(defaults) - missing:])
        _compiled(dispatcher, arg_types)
    except Exception as error:
        raise translated(error, fn, compiling=True) from None


def _compiled(dispatcher, arg_types):
    """`dispatcher`'s version for `arg_types`, compiled if it is not yet.

    Numba warns, on every compile with a Python list argument, that reflected lists
    will change in a later release: about the lists adjoint passes (tapes, a user's
    list of floats), nothing the user can act on; so not shown."""
    compiled = dispatcher.overloads.get(arg_types)
    if compiled is None:
        with warnings.catch_warnings():
            warnings.filterwarnings('ignore', message=r"(?s).*type 'reflected list'",
                                    category=_numba().NumbaPendingDeprecationWarning)
            dispatcher.compile(arg_types)
        compiled = dispatcher.overloads[arg_types]
    return compiled


def translated(error, fn=None, compiling=False):
    """The `BackendError` to raise for an error Numba raised while compiling
    generated code, or None for any other error (which is raised as it is).
    `fn`, the function differentiated, is named where Numba's message names no
    line; `compiling`: `error` was raised by Numba's compiler, whatever its type.

    Called only for a derivative compiled with Numba. Numba's errors are its own
    classes, mostly, but not all (a `NotImplementedError` from deep in its
    lowering): an error raised inside Numba's package is one of its compiler's, and
    a `TypeError` saying a value could not be converted (`expected float64, got
    None`) one of its boxing. An error the compiled code raises as the function
    would (a `ZeroDivisionError`) is raised where the compiled function was
    called, and left alone.
    """
    if 'numba' not in sys.modules:
        return None
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    module = type(error).__module__ or ''
    if not (compiling or module.startswith('numba') or _UNBOXING.match(str(error)) or
            tb is not None and tb.tb_frame.f_code.co_filename.startswith(_numba_directory())):
        return None
    text = _ANSI.sub('', str(error)) or type(error).__name__
    problem = _problem(text)
    where = ''
    for filename, line in _LOCATION.findall(text):
        if filename in GENERATED_FILES:
            generated = _source_lines(filename)[int(line) - 1].strip()
            user_file, user_line = user_location(filename, int(line))
            where = f' in the generated line `{generated}`'
            if user_line is not None:
                shown = linecache.getline(user_file, user_line).strip()
                where += f', from {user_file}:{user_line}: `{shown}`'
            break
    code = getattr(fn, '__code__', None)
    if not where and code is not None:
        where = f' in the derivative of `{fn.__name__}` ({code.co_filename}:' \
                f'{code.co_firstlineno})'
    return BackendError(f"backend='numba': Numba cannot compile {problem}{where}. Use "
                        f"backend='python' for this function (docs/numba.md says what "
                        f"Numba compiles)")


def _numba_directory():
    return os.path.dirname(sys.modules['numba'].__file__)


def _problem(text):
    """Numba's own words for what it could not compile: the first line of its
    message that says something, without its pipeline's preamble."""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(('Failed in', 'During:', 'File ', '<source',
                                        'Enable logging', 'This error')):
            continue
        return line.rstrip('.:')
    return 'the generated code'
