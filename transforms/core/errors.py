"""Errors the compiler raises, each naming the user's file, line and source.

The `adjoint` package re-exports these, and they carry its name (`adjoint.SourceError`
in a traceback); they live here because the compiler is where the offending source
is known.
"""


import linecache
from dataclasses import dataclass


@dataclass(frozen=True)
class GeneratedFile:
    """Where the lines of one compiled generated source come from.

    Args:
        origin: the file the lines come from: the user's, or another generated
            file's (a derivative of a derivative).
        lines: the line of `origin` each generated line comes from (`emit.Emitted`):
            `lines[k]` is that of line k + 1, None where there is none.
    """

    origin: str
    lines: tuple


# File name of generated source (`compile.py`) -> its `GeneratedFile`.
GENERATED_FILES = {}


def user_location(filename, line):
    """(file, line) in the user's code that generated line `line` of `filename`
    comes from, through any number of derivatives of derivatives; `(filename,
    line)` for a user's file, and a None line where no source line is known."""
    while filename in GENERATED_FILES and line is not None:
        generated = GENERATED_FILES[filename]
        line = generated.lines[line - 1] if 0 < line <= len(generated.lines) else None
        filename = generated.origin
    return filename, line


def _exported(cls):
    """Name `cls` where users find it: `adjoint` re-exports every error, so
    tracebacks, reprs and pickles say `adjoint.UnsupportedSyntaxError` rather
    than this module's path (which is no API); pickle then imports `adjoint`
    to load one."""
    cls.__module__ = 'adjoint'
    return cls


@_exported
class AdjointError(Exception):
    """Base class of every error adjoint raises on purpose."""


@_exported
class SourceError(AdjointError):
    """An error about a place in the user's source code.

    Args:
        message: what is wrong and what to do about it.
        filename: the user's file.
        line: the 1-based line number in that file.
        source_line: the text of that line, shown under the message.
    """

    def __init__(self, message, filename=None, line=None, source_line=None):
        if filename in GENERATED_FILES:
            # Differentiating a derivative: name the user's line it comes from.
            message = f'differentiating the derivative of this line again: {message}'
            filename, line = user_location(filename, line)
            source_line = linecache.getline(filename, line) if line else None
        self.message = message
        self.filename = filename
        self.line = line
        self.source_line = source_line
        super().__init__(self._format())

    def _format(self):
        if self.filename is None:
            return self.message
        where = self.filename if self.line is None else f'{self.filename}:{self.line}'
        text = f'{where}: {self.message}'
        if self.source_line:
            text += f'\n    {self.source_line.strip()}'
        return text


@_exported
class UnsupportedSyntaxError(SourceError):
    """The function uses Python syntax adjoint does not differentiate."""


@_exported
class NoSourceError(AdjointError):
    """The function has no Python source to read (a builtin, a REPL lambda)."""


@_exported
class UnknownCallableError(SourceError):
    """A differentiated value flows into a callable with no derivative rule."""


@_exported
class UndefinedNameError(SourceError):
    """A name is read where it may not be bound (e.g. set only inside a loop)."""


@_exported
class NonScalarOutputError(AdjointError):
    """`grad` was asked for the gradient of a function with a non-scalar output."""


@_exported
class BackendError(AdjointError):
    """The chosen backend cannot compile the generated code (`backend='numba'`:
    a construct Numba does not know); the Python backend, the default, runs it."""


@_exported
class InternalError(AdjointError):
    """An invariant of the compiler failed: a bug in adjoint, please report it."""
