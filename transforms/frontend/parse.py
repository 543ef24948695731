"""parse: a live function object -> its gast tree and the namespace it reads.

Requires: a Python function (or lambda) whose source `inspect` can find.
Ensures: a `ParsedFunction` whose `node` is a gast FunctionDef with decorators
removed and line numbers that are absolute in `filename`; `namespace` maps every
global and closure name the function can read to its current value.
"""

import builtins
import copy
import inspect
import textwrap
import types
from dataclasses import dataclass
from typing import Any

import gast

from transforms.core.errors import NoSourceError, UnsupportedSyntaxError


@dataclass(frozen=True)
class ParsedFunction:
    """A function's syntax tree plus what is needed to resolve and report on it."""

    node: Any  # gast.FunctionDef
    filename: str
    source_lines: dict  # absolute line number -> text
    namespace: dict  # globals, then closure values over them
    defaults: tuple  # the function's __defaults__ values
    kwdefaults: dict


def _no_source(fn, why):
    name = getattr(fn, '__qualname__', repr(fn))
    return NoSourceError(
        f'cannot read the source of `{name}`: {why}. adjoint differentiates Python '
        f'source code; define the function with `def` in a .py file (or a notebook '
        f'cell), or register a rule for it with @adjoint.vjp_rule.')


def require_function(fn):
    """Raise NoSourceError unless `fn` is a Python function (it has source code)."""
    if not isinstance(fn, types.FunctionType):
        raise _no_source(fn, 'it is not a Python function (a builtin or C extension?)')


def read_source(fn):
    """The dedented source of `fn`, its file name, its first line number and the
    number of columns the dedent removed."""
    require_function(fn)
    try:
        lines, first = inspect.getsourcelines(fn)
    except (OSError, TypeError) as error:
        raise _no_source(fn, f'{error} (functions typed at the interactive prompt or '
                             f'made with exec() have no source file)') from None
    filename = inspect.getsourcefile(fn) or fn.__code__.co_filename
    source = textwrap.dedent(''.join(lines))
    indent = len(lines[0]) - len(source.splitlines(keepends=True)[0])
    return source, filename, first, indent


def _parse_module(source, fn):
    """The parsed source, and how many lines were added in front to make it parse."""
    try:
        return gast.parse(source), 0
    except SyntaxError:
        # A lambda's source is the whole line it sits in, which may not parse alone.
        try:
            return gast.parse('(\n' + source + '\n)'), 1
        except SyntaxError:
            raise _no_source(fn, 'its source could not be parsed on its own') from None


def _find_def(module, fn, line_offset, col_offset):
    """The definition of `fn` in its parsed source: the `def` named as its code
    is, or the lambda whose body holds the positions of its code's instructions.

    Args:
        module: the parsed source.
        fn: the function.
        line_offset, col_offset: add these to a node's line and column to get
            its place in the file (the source was dedented, maybe wrapped).
    """
    code = fn.__code__
    if code.co_name != '<lambda>':
        for node in module.body:  # the source is the definition's own lines
            if isinstance(node, gast.FunctionDef) and node.name == code.co_name:
                return node
        raise _no_source(fn, 'its definition was not found in its source')
    wanted = list(code.co_varnames[:code.co_argcount])
    lambdas = [node for node in gast.walk(module) if isinstance(node, gast.Lambda)
               and [a.id for a in node.args.args] == wanted]
    if len(lambdas) > 1:
        lambdas = _lambdas_holding(lambdas, code, line_offset, col_offset)
    if not lambdas:
        raise _no_source(fn, 'the lambda was not found in its source line')
    if len(lambdas) > 1:
        raise _no_source(fn, f'{len(lambdas)} lambdas with its parameters are on its line '
                             f'and adjoint cannot tell which one it is; define it with '
                             f'`def`, or on a line of its own')
    node = lambdas[0]
    body = gast.Return(value=node.body)
    gast.copy_location(body, node.body)
    fdef = gast.FunctionDef(name='<lambda>', args=node.args, body=[body],
                            decorator_list=[], returns=None, type_comment=None,
                            type_params=[])
    return gast.copy_location(fdef, node)


def _lambdas_holding(lambdas, code, line_offset, col_offset):
    """The innermost of `lambdas` whose body spans every instruction position of
    `code` (Python 3.11+ keeps a column range per instruction), as a list of one;
    all of them where positions are not kept."""
    spans = [(line, col, end_line, end_col) for line, end_line, col, end_col
             in getattr(code, 'co_positions', lambda: ())()
             if None not in (line, end_line, col, end_col) and (col, end_col) != (0, 0)]
    if not spans:  # python -X no_debug_ranges, or before 3.11
        return lambdas
    first = min((line, col) for line, col, _, _ in spans)
    last = max((end_line, end_col) for _, _, end_line, end_col in spans)

    def holds(node):
        body = node.body
        start = (body.lineno + line_offset, body.col_offset + col_offset)
        end = (body.end_lineno + line_offset, body.end_col_offset + col_offset)
        return start <= first and last <= end

    holding = [node for node in lambdas if holds(node)]
    if not holding:
        return lambdas  # the source does not match the code: let the caller say so
    innermost = min(holding, key=lambda node: (node.body.end_lineno - node.body.lineno,
                                               node.body.end_col_offset - node.body.col_offset))
    return [innermost]


def _mangle_private_names(node, fn):
    """`self.__w` in a method of `Model` reads `self._Model__w`, as Python compiled
    it; the generated code is no method, so it is written out."""
    parts = fn.__qualname__.split('.')
    if len(parts) < 2 or parts[-2] == '<locals>' or not parts[-2].strip('_'):
        return
    prefix = '_' + parts[-2].lstrip('_')

    def mangled(name):
        private = name.startswith('__') and not name.endswith('__')
        return prefix + name if private else name

    for child in gast.walk(node):
        if isinstance(child, gast.Attribute):
            child.attr = mangled(child.attr)
        elif isinstance(child, gast.Name):
            child.id = mangled(child.id)


def _shift_lines(node, offset):
    for child in nodes(node):
        if hasattr(child, 'lineno') and child.lineno is not None:
            child.lineno += offset
        if getattr(child, 'end_lineno', None) is not None:
            child.end_lineno += offset


def namespace_of(fn):
    """Globals and builtins the function can read, with closure values on top."""
    namespace = dict(vars(builtins))
    namespace.update(fn.__globals__)
    if fn.__closure__:
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__):
            try:
                namespace[name] = cell.cell_contents
            except ValueError:  # an empty cell: the name is not bound yet
                pass
    return namespace


def _matches_code(source, fn):
    """Whether `source` compiles to the code `fn` runs: False when the file was
    edited after the function was defined (`inspect` reads the file as it is now).
    Compiled as it was defined: inside a class for a method (names are mangled),
    inside a function that binds its free variables for a closure."""
    code = fn.__code__
    parts = fn.__qualname__.split('.')
    text, depth = source, 0
    if len(parts) > 1 and parts[-2] != '<locals>':
        text, depth = f'class {parts[-2]}:\n' + textwrap.indent(text, '    '), 1
    if code.co_freevars:
        cells = ''.join(f'    {name} = None\n' for name in code.co_freevars)
        text = 'def __adjoint_enclosing__():\n' + cells + textwrap.indent(text, '    ')
    # On the lines it was defined on: a class body's code holds its first line
    # number as a constant (`__firstlineno__`, Python 3.13).
    wrappers = text.count('\n') - source.count('\n')
    text = '\n' * max(code.co_firstlineno - 1 - wrappers, 0) + text
    try:
        compiled = compile(text, code.co_filename, 'exec', dont_inherit=True)
    except SyntaxError:
        return True  # cannot tell; the parse reports what it finds
    found = _code_named(compiled, code.co_name)
    return found is None or _same_code(found, code)


def _code_named(code, name):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_name == name:
                return const
            inner = _code_named(const, name)
            if inner is not None:
                return inner
    return None


def _same_code(a, b):
    """Equal names, parameters and constants (nested code compared alike): an edit
    that changes what a function calls, reads or computes with changes one of
    them. Not the instructions, which differ with how the text was compiled (as a
    module or alone, by IPython, after pytest rewrote its asserts).

    `b`, the code that runs, may be a function of a test module whose asserts
    pytest rewrote: that adds names no source can write (`@py_assert1`,
    `@pytest_ar`), the attributes it reads and the constants of its messages.
    Then each name and constant of `a` must be among `b`'s, and its variables
    are `b`'s without those of the rewriting."""
    if any(name.startswith('@py') for name in b.co_names + b.co_varnames):
        return _same_rewritten_code(a, b)
    if (a.co_names, a.co_varnames, a.co_argcount, a.co_kwonlyargcount) != \
            (b.co_names, b.co_varnames, b.co_argcount, b.co_kwonlyargcount) or \
            len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        if isinstance(x, types.CodeType) and isinstance(y, types.CodeType):
            if not _same_code(x, y):
                return False
        elif type(x) is not type(y) or x != y:
            if not (x != x and y != y):  # nan
                return False
    return True


def _same_rewritten_code(a, b):
    """`_same_code` for code `b` that pytest's assertion rewriting changed."""
    own_variables = tuple(name for name in b.co_varnames if not name.startswith('@py'))
    # The rewriting reads attributes of its helpers too (`_saferepr`), so `b`
    # has more names; each of `a`'s must be among them.
    if (a.co_varnames, a.co_argcount, a.co_kwonlyargcount) != \
            (own_variables, b.co_argcount, b.co_kwonlyargcount) or \
            not set(a.co_names) <= set(b.co_names):
        return False
    nested = [c for c in b.co_consts if isinstance(c, types.CodeType)]
    for x in a.co_consts:
        if isinstance(x, types.CodeType):
            if not any(y.co_name == x.co_name and _same_code(x, y) for y in nested):
                return False
        elif not any(type(x) is type(y) and (x == y or (x != x and y != y))
                     for y in b.co_consts):
            return False
    return True


_ATOMIC = (str, int, float, bool, type(None), bytes, complex)


def copy_tree(node):
    """`copy.deepcopy(node)` of a gast tree, three times as fast: its nodes and
    lists are copied here (shared ones stay shared, as `deepcopy` keeps them),
    anything else by `deepcopy` with the same memo. The passes that rewrite
    a tree in place first copy it, and `deepcopy` was a tenth of compile time."""
    memo = {}

    def copy_(x):
        if isinstance(x, gast.AST):
            found = memo.get(id(x))
            if found is not None:
                return found
            cls = x.__class__
            new = cls.__new__(cls)
            memo[id(x)] = new
            new.__dict__.update({k: copy_(v) for k, v in x.__dict__.items()})
            return new
        if type(x) is list:
            found = memo.get(id(x))
            if found is not None:
                return found
            new = memo[id(x)] = []
            new.extend(copy_(v) for v in x)
            return new
        if type(x) in _ATOMIC:
            return x
        return copy.deepcopy(x, memo)
    return copy_(node)


def nodes(tree):
    """Every node of a gast tree, as `gast.walk` yields them but in another order
    and twice as fast (no generator per node): for the passes that collect
    names or shift lines, where the order does not matter."""
    out, stack = [], [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, gast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend([v for v in value if isinstance(v, gast.AST)])
    return out


def parse_function(fn):
    """Parse a live function into a `ParsedFunction`.

    Raises:
        NoSourceError: `fn` is a builtin, or was defined where no source is kept.
        UnsupportedSyntaxError: `fn` takes *args or **kwargs, or is an `async def`.
    """
    original = getattr(fn, '__adjoint_packs__', None)
    if original is not None:  # `packing.packed`: *args and **kwargs as parameters
        return _packed(_parse(original, allow_packing=True))
    return _parse(fn)


def _packed(parsed):
    """A function taking `*args` and `**kwargs` read as taking them packed: `args` a
    positional parameter (after the others, with the default `()` if they have
    defaults), `kwargs` a keyword-only one (see `packing.packed_signature`)."""
    node = copy_tree(parsed.node)
    arguments = node.args
    defaults = parsed.defaults
    if arguments.vararg is not None:
        arguments.args = arguments.args + [arguments.vararg]
        if arguments.defaults:
            arguments.defaults = arguments.defaults + [gast.Constant(value=(), kind=None)]
            defaults = defaults + ((),)
    if arguments.kwarg is not None:
        arguments.kwonlyargs = arguments.kwonlyargs + [arguments.kwarg]
        arguments.kw_defaults = arguments.kw_defaults + [None]
    arguments.vararg = arguments.kwarg = None
    return ParsedFunction(node, parsed.filename, parsed.source_lines, parsed.namespace,
                          defaults, parsed.kwdefaults)


def _parse(fn, allow_packing=False):
    source, filename, first, indent = read_source(fn)
    if fn.__code__.co_flags & (inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        raise UnsupportedSyntaxError(
            f'`{fn.__name__}` is an `async def`, whose calls return a coroutine, not a '
            f'number: differentiate a plain `def` that computes the value',
            filename, first, source.splitlines()[0])
    if fn.__code__.co_name != '<lambda>' and not _matches_code(source, fn):
        raise _no_source(fn, f'{filename} has changed since `{fn.__name__}` was defined, '
                             f'and adjoint would differentiate the new text, not the '
                             f'code that runs; reload the module (importlib.reload) or '
                             f'run the definition again')
    module, wrapped = _parse_module(source, fn)
    node = _find_def(module, fn, first - 1 - wrapped, indent)
    _shift_lines(node, first - 1 - wrapped)
    _mangle_private_names(node, fn)
    node.decorator_list = []
    raw_lines = source.splitlines()
    source_lines = {first + k: text for k, text in enumerate(raw_lines)}
    if not allow_packing and (node.args.vararg is not None or node.args.kwarg is not None):
        raise UnsupportedSyntaxError(
            f'`{fn.__name__}` takes *args or **kwargs; adjoint differentiates functions '
            f'with named parameters only: list the parameters explicitly',
            filename, node.lineno, source_lines.get(node.lineno))
    return ParsedFunction(node, filename, source_lines, namespace_of(fn),
                          tuple(fn.__defaults__ or ()), dict(fn.__kwdefaults__ or {}))


def parse_source(source, name, filename='<string>', namespace=None):
    """Parse a function from source text (used for rule templates and tests).

    Args:
        source: Python source that defines `name`.
        name: the function to take from it.
        filename: reported in errors.
        namespace: the names the function's body reads.
    """
    module = gast.parse(textwrap.dedent(source))
    for node in module.body:
        if isinstance(node, gast.FunctionDef) and node.name == name:
            node.decorator_list = []
            lines = {k + 1: t for k, t in enumerate(textwrap.dedent(source).splitlines())}
            return ParsedFunction(node, filename, lines, dict(namespace or {}), (), {})
    raise _no_source(name, 'no such function in the given source')
