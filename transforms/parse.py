"""parse: a live function object -> its gast tree and the namespace it reads.

Requires: a Python function (or lambda) whose source `inspect` can find.
Ensures: a `ParsedFunction` whose `node` is a gast FunctionDef with decorators
removed and line numbers that are absolute in `filename`; `namespace` maps every
global and closure name the function can read to its current value.
"""

import builtins
import inspect
import textwrap
import types
from dataclasses import dataclass
from typing import Any

import gast

from transforms.errors import NoSourceError, UnsupportedSyntaxError


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


def read_source(fn):
    """The dedented source of `fn`, its file name and its first line number."""
    if not isinstance(fn, types.FunctionType):
        raise _no_source(fn, 'it is not a Python function (a builtin or C extension?)')
    try:
        lines, first = inspect.getsourcelines(fn)
    except (OSError, TypeError) as error:
        raise _no_source(fn, f'{error} (functions typed at the interactive prompt or '
                             f'made with exec() have no source file)') from None
    filename = inspect.getsourcefile(fn) or fn.__code__.co_filename
    return textwrap.dedent(''.join(lines)), filename, first


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


def _find_def(module, fn):
    code = fn.__code__
    if code.co_name != '<lambda>':
        for node in gast.walk(module):
            if isinstance(node, gast.FunctionDef) and node.name == code.co_name:
                return node
        raise _no_source(fn, 'its definition was not found in its source')
    wanted = list(code.co_varnames[:code.co_argcount])
    for node in gast.walk(module):
        if isinstance(node, gast.Lambda) and [a.id for a in node.args.args] == wanted:
            body = gast.Return(value=node.body)
            gast.copy_location(body, node.body)
            fdef = gast.FunctionDef(name='<lambda>', args=node.args, body=[body],
                                    decorator_list=[], returns=None, type_comment=None,
                                    type_params=[])
            return gast.copy_location(fdef, node)
    raise _no_source(fn, 'the lambda was not found in its source line')


def _shift_lines(node, offset):
    for child in gast.walk(node):
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


def parse_function(fn):
    """Parse a live function into a `ParsedFunction`.

    Raises:
        NoSourceError: `fn` is a builtin, or was defined where no source is kept.
        UnsupportedSyntaxError: `fn` takes *args or **kwargs.
    """
    source, filename, first = read_source(fn)
    module, wrapped = _parse_module(source, fn)
    node = _find_def(module, fn)
    _shift_lines(node, first - 1 - wrapped)
    node.decorator_list = []
    raw_lines = source.splitlines()
    source_lines = {first + k: text for k, text in enumerate(raw_lines)}
    if node.args.vararg is not None or node.args.kwarg is not None:
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
