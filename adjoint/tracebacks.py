"""Errors and warnings from generated code, shown as coming from the user's code.

Generated code runs under file names like `<adjoint 3: grad_f>`, registered in
`linecache` (`transforms/backend/compile.py`), so a traceback shows the generated line
that failed. What the user wants to know next is which of *their* lines that
was, so the exception gets a note (`BaseException.add_note`) naming the user's
file, line and source line; and a warning raised there (NumPy's "divide by zero
encountered in log") is shown at the user's file and line. Between the user's
frames and the generated ones, the frames of adjoint's own dispatch
(`Derivative.__call__`, a Hessian's loop over columns) say nothing the user can
act on, and are left out of the traceback.

Python 3.11 and 3.12 print an uncaught exception with C code that reads no
`linecache` entry for a `<...>` file name; 3.13 prints it with the `traceback`
module, which does. There, the default `sys.excepthook` is made to print as
3.13's does when generated code is in the traceback.
"""

import functools
import linecache
import os
import sys
import traceback
import types
import warnings

import transforms
from adjoint import numba_backend
from transforms.core.errors import GENERATED_FILES, AdjointError, InternalError, user_location

# The directories of adjoint's own code (as code objects name them: like
# `__file__`); generated code (`<adjoint N: ...>`) and the user's are elsewhere.
_OWN = tuple(os.path.dirname(path) + os.sep for path in (__file__, transforms.__file__))


def from_user_code(error):
    """`error`'s traceback without adjoint's own frames, after adding the note
    that names the user's line the deepest generated frame comes from.

    A call of a derivative catches what its generated code raises, sets its
    traceback to this and re-raises it with a bare `raise`, which adds no entry
    for the frame that re-raises (a `raise error` would add it again):

        except Exception as error:
            error.__traceback__ = tracebacks.from_user_code(error)
            raise

    Dropped are adjoint's frames that sit above a generated or user frame (its
    dispatch, the stub a recursive call goes through, a Hessian's loop); those
    where the error was raised are kept for an error that is not adjoint's own
    (a bug shows where it is), and dropped for an `AdjointError` other than an
    `InternalError` (it says what is wrong; adjoint's source would not help). The
    type, message and other notes of `error` are left as they are.
    """
    entries = []
    tb = error.__traceback__
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    _add_note(error, entries)
    own = [tb.tb_frame.f_code.co_filename.startswith(_OWN) for tb in entries]
    last_not_own = max((k for k, is_own in enumerate(own) if not is_own), default=-1)
    drop_innermost = isinstance(error, AdjointError) and not isinstance(error, InternalError)
    kept = [tb for k, tb in enumerate(entries)
            if not own[k] or (k > last_not_own and not drop_innermost)]
    if len(kept) == len(entries):
        return error.__traceback__
    rebuilt = None
    for tb in reversed(kept):  # new entries: the old ones may be shared
        rebuilt = types.TracebackType(rebuilt, tb.tb_frame, tb.tb_lasti, tb.tb_lineno)
    return rebuilt


def _add_note(error, entries):
    """Note on `error` the user's file, line and source line that the deepest
    generated frame of the traceback `entries` comes from; once, however many
    derivatives it passes through on its way out (each of them calls this)."""
    generated = [tb for tb in entries if tb.tb_frame.f_code.co_filename in GENERATED_FILES]
    if not generated or generated[-1].tb_lineno is None:
        return
    tb = generated[-1]
    filename, line = user_location(tb.tb_frame.f_code.co_filename, tb.tb_lineno)
    if line is None or filename in GENERATED_FILES:
        return
    note = f'adjoint: raised in the code generated for {filename}:{line}'
    text = linecache.getline(filename, line).strip()
    if text:
        note += f'\n    {text}'
    if note not in getattr(error, '__notes__', ()):
        error.add_note(note)


def shows_user_code(method):
    """Decorate an entry point of adjoint's (`Hessian.__call__`, `jvp`) so that
    what it raises reads as `from_user_code` says. For calls that are not on the
    fast path of a derivative: the wrapper costs one more Python call."""
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Exception as error:
            # `backend=` of `jvp(f, ..., backend=)`, or that of `self` (a `Jvp`, ...).
            owner = args[0] if args else None
            replacement = None
            if kwargs.get('backend', getattr(owner, 'backend', None)) == 'numba':
                replacement = numba_backend.translated(error, getattr(owner, 'fn', owner))
            if replacement is not None:
                raise replacement from None
            error.__traceback__ = from_user_code(error)
            raise
    return wrapper


def _show_warning(message):
    """`warnings._showwarnmsg` ("Hook to write a warning to a file; replace if you
    like"), pointing a warning raised in generated code at the user's line.

    Every shown or recorded warning passes here, after the filters, and before
    `warnings.showwarning` or the list `catch_warnings(record=True)` (and pytest)
    keep: so these see the user's file and line too. It costs nothing when no
    warning is raised, where catching warnings around each call of a derivative
    would cost more than the call.
    """
    if message.filename in GENERATED_FILES:
        filename, line = user_location(message.filename, message.lineno)
        if line is not None and filename not in GENERATED_FILES:
            message = warnings.WarningMessage(message.message, message.category, filename,
                                              line, message.file, None, message.source)
    _show_before(message)


# Installed once, when adjoint is imported; a warning not from generated code
# passes through unchanged (and so does one through this hook twice, on a reload).
_show_before = warnings._showwarnmsg
warnings._showwarnmsg = _show_warning


def _print_exception(kind, error, tb):
    """`sys.excepthook` on Python 3.11 and 3.12: an exception that passed through
    generated code is printed by the `traceback` module, which reads the
    generated lines from `linecache`, as Python 3.13's own hook does; any other,
    by the hook that was there before (the C one, whose output is the same but
    for those lines)."""
    if _through_generated_code(error, set()):
        traceback.print_exception(kind, error, tb)
    else:
        _excepthook_before(kind, error, tb)


def _through_generated_code(error, seen):
    """Whether `error`, or one it was raised from or during, passed through
    generated code."""
    if error is None or id(error) in seen:
        return False
    seen.add(id(error))
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in GENERATED_FILES:
            return True
        tb = tb.tb_next
    return _through_generated_code(error.__cause__, seen) or \
        _through_generated_code(error.__context__, seen)


# Only over Python's own hook: IPython's, or one the user set, is left alone.
if sys.version_info < (3, 13) and sys.excepthook is sys.__excepthook__:
    _excepthook_before = sys.excepthook
    sys.excepthook = _print_exception
