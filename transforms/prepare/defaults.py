"""defaults: leave out the arguments a call passes that equal the callee's defaults.

Requires: an `ir.Function`.
Ensures: the same function, in which each call of a Python function whose
signature `inspect` can read passes no trailing positional argument, and no
keyword argument, that is a constant equal to (of the same type as) that
parameter's default: `unreduce(g, x)`, not `unreduce(g, x, None, False)`. Only
the printed code changes; what runs is the same.
"""

import functools
import inspect

from transforms.core import ir
from transforms.core.verify import checked


@functools.lru_cache(maxsize=None)
def _defaults(fn):
    """{parameter: default} and the positional parameter names of `fn`, or None."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    params = list(signature.parameters.values())
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None
    positional = tuple(p.name for p in params
                       if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    defaults = {p.name: p.default for p in params if p.default is not p.empty}
    return positional, defaults


def _is_default(atom, defaults, name):
    if not isinstance(atom, ir.Const) or name not in defaults:
        return False
    default = defaults[name]
    return type(atom.value) is type(default) and atom.value == default \
        if isinstance(default, (int, float, str, bool, type(None))) else False


def _trimmed(stmt):
    try:
        known = _defaults(stmt.fn.value)
    except TypeError:  # an unhashable callable
        return stmt
    if known is None or not isinstance(stmt.fn, ir.Global):
        return stmt
    positional, defaults = known
    args = list(stmt.args)
    while args and len(args) <= len(positional) and \
            _is_default(args[-1], defaults, positional[len(args) - 1]):
        args.pop()
    kwargs = tuple((k, a) for k, a in stmt.kwargs if not _is_default(a, defaults, k))
    if len(args) == len(stmt.args) and kwargs == stmt.kwargs:
        return stmt
    return ir.replace(stmt, args=tuple(args), kwargs=kwargs)


@checked
def drop_default_arguments(fn):
    """`fn` with default-valued arguments left out of its calls (see the module)."""
    return ir.map_lets(fn, lambda stmt: _trimmed(stmt) if _python_function(stmt.fn.value)
                       else stmt)


def _python_function(fn):
    """Only functions written in Python: NumPy's C functions and ufuncs document
    defaults (`keepdims=<no value>`) that are not the values they behave as."""
    return inspect.isfunction(fn)
