"""Errors the compiler raises, each naming the user's file, line and source.

The `adjoint` package re-exports these; they live here because the compiler is
where the offending source is known.
"""


class AdjointError(Exception):
    """Base class of every error adjoint raises on purpose."""


class SourceError(AdjointError):
    """An error about a place in the user's source code.

    Args:
        message: what is wrong and what to do about it.
        filename: the user's file.
        line: the 1-based line number in that file.
        source_line: the text of that line, shown under the message.
    """

    def __init__(self, message, filename=None, line=None, source_line=None):
        self.message = message
        self.filename = filename
        self.line = line
        self.source_line = source_line
        super().__init__(self._format())

    def _format(self):
        if self.filename is None:
            return self.message
        text = f'{self.filename}:{self.line}: {self.message}'
        if self.source_line:
            text += f'\n    {self.source_line.strip()}'
        return text


class UnsupportedSyntaxError(SourceError):
    """The function uses Python syntax adjoint does not differentiate."""


class NoSourceError(AdjointError):
    """The function has no Python source to read (a builtin, a REPL lambda)."""


class UnknownCallableError(SourceError):
    """A differentiated value flows into a callable with no derivative rule."""


class UndefinedNameError(SourceError):
    """A name is read where it may not be bound (e.g. set only inside a loop)."""


class NonScalarOutputError(AdjointError):
    """`grad` was asked for the gradient of a function with a non-scalar output."""


class InternalError(AdjointError):
    """An invariant of the compiler failed: a bug in adjoint, please report it."""
