"""The cache of compiled derivatives: the rule table's one `CompileCache`.

Every compiled thing lives there — the derivatives `grad(f)` returns, keyed by
the function object and options, and the compiled callees, tangent functions
and result kinds of the functions they call — each valid while what it read
holds (see transforms/core/cache.py): redefining a function, or a global it reads,
gives the new derivative on the next call; registering a rule clears the cache.
`stats` counts the work done, so tests can check that a hit does none.
"""

from adjoint.rules import TABLE

CACHE = TABLE.cache
stats = CACHE.stats  # 'parse': functions parsed; 'compile': derivatives compiled


def lookup(fn, options, make):
    """The cached value for `(fn, options)`, made by `make()` on a miss."""
    if not hasattr(fn, '__code__'):  # a builtin: `make` raises the helpful error
        return make()
    return CACHE.lookup(fn, ('derivative',) + options, make)


def clear():
    """Forget every compiled derivative, and every compiled callee they call."""
    CACHE.clear()
