"""The cache of compiled derivatives: one entry per function object and options.

An entry is valid while the function keeps the code object it had when the entry
was made; redefining a function makes a new function object, hence a new entry.
`stats` counts the work done, so tests can check that a hit does none.
"""

import collections
import weakref

stats = collections.Counter()  # 'parse': functions parsed; 'compile': adjoints compiled
_entries = weakref.WeakKeyDictionary()  # function -> (code object, {options: value})


def lookup(fn, options, make):
    """The cached value for `(fn, options)`, made by `make()` on a miss."""
    if not hasattr(fn, '__code__'):  # a builtin: `make` raises the helpful error
        return make()
    try:
        code, by_options = _entries[fn]
    except (KeyError, TypeError):
        code, by_options = None, None
    if code is not fn.__code__ or by_options is None:
        by_options = {}
        try:
            _entries[fn] = (fn.__code__, by_options)
        except TypeError:  # not weak-referenceable: do not cache
            return make()
    value = by_options.get(options)
    if value is None:
        value = by_options[options] = make()
    return value


def clear():
    """Forget every compiled derivative."""
    _entries.clear()
