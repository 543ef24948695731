"""The one cache of compiled code, and what each entry depends on.

Compiled code depends on more than the function it was made from. The compiler
reads a function's globals and closure when it compiles it — a float global
becomes a constant, a callee's own compiled code is called — and inlines the rule
table's templates. So each entry records the names the function reads (its code
object's global names, its closure cells) and the values they had, together with
the records of every callee compiled, or found cached, while it was being made,
and is valid while every one of those names still holds the same object: a
notebook cell that redefines a helper, `importlib.reload` of its module, or
`SCALE = 10.0` invalidates every derivative that read it, however deep. Changing
the rule table clears the cache (`RuleTable.changed`).

A record is checked by one generated function (`valid()`), a chain of identity
tests, `s0['helper'] is v0 and v0.__code__ is v1 and ...`: about 20 ns a name,
and nothing at all for a function that reads no global.

Entries are keyed by the function object, held weakly, and by a key saying what
was compiled (a pair, a tangent function, a result kind, and the parameters and
kinds it is for); never by a name, which two functions can share.
"""

import builtins
import collections
import contextlib
import types
import weakref

MISSING = object()  # a name not bound in a namespace

# Values read from a module's namespace through `module.name` that are recorded:
# user functions (which may be redefined by a reload) and constants (which the
# compiler folds into the code). NumPy's functions are neither, and have rules.
_RECORDED_ATTRIBUTES = (types.FunctionType, int, float, complex, bool, str, bytes)


class _Entry:
    """A cached value, and the checks it is valid under (None while it is made)."""

    __slots__ = ('value', 'checks', 'valid', 'defaults')

    def __init__(self, value):
        self.value = value
        self.checks = None
        self.valid = None
        self.defaults = None


class CompileCache:
    """Every piece of compiled code made with one rule table.

    Attributes:
        stats: counts of work done ('parse', 'compile'), so tests can check that
            a cache hit does none.
    """

    def __init__(self):
        self.stats = collections.Counter()
        self._entries = weakref.WeakKeyDictionary()  # function -> {key: _Entry}
        self._recording = []  # the checks of each compilation under way, innermost last
        self._holders = weakref.WeakSet()  # objects keeping compiled code of their own

    def lookup(self, fn, key, make, placeholder=MISSING):
        """The value cached for `(fn, key)` if it is still valid, else `make()`.

        Args:
            fn: the Python function the value is compiled from.
            key: what was compiled from it, and for which parameters and kinds.
            make: `make() -> value`, run with `fn`'s reads recorded.
            placeholder: if given, the value returned for `(fn, key)` while `make`
                runs: a stub that a recursive function's code calls, and that
                `make` completes and returns.
        """
        try:
            by_key = self._entries.setdefault(fn, {})
        except TypeError:  # not weakly referenceable: compile, do not keep
            return make()
        # `fn.__code__ = ...` makes another function; new defaults another key. The
        # defaults' ids, not the defaults: a key must keep nothing alive (an array
        # default); the entry keeps them (`_Entry.defaults`), so no id is reused.
        defaults = (getattr(fn, '__defaults__', None), getattr(fn, '__kwdefaults__', None))
        key = (fn.__code__, id(defaults[0]), id(defaults[1]), key)
        entry = by_key.get(key)
        if entry is not None:
            if entry.checks is None:  # being made: a recursive call
                return entry.value
            if entry.valid is None or entry.valid():
                self.note(entry.checks)
                return entry.value
        entry = by_key[key] = _Entry(placeholder)
        entry.defaults = defaults
        try:
            with self.recording(function_checks(fn)) as checks:
                entry.value = make()
        except BaseException:
            if by_key.get(key) is entry:
                del by_key[key]
            raise
        entry.checks, entry.valid = checks, validator(checks)
        return entry.value

    @contextlib.contextmanager
    def recording(self, checks):
        """Record, into a copy of `checks`, the checks of every entry looked up or
        made in this block; the recorded checks then count for the block around
        this one too, if any."""
        recorded = dict(checks)
        self._recording.append(recorded)
        try:
            yield recorded
        finally:
            self._recording.pop()
            self.note(recorded)

    def note(self, checks):
        """Count `checks` for the compilation under way, if there is one."""
        if self._recording and checks:
            self._recording[-1].update(checks)

    def hold(self, holder):
        """Have `holder.forget()` called when the cache is cleared: an object that
        keeps compiled versions of its own (a derivative the user holds)."""
        self._holders.add(holder)

    def clear(self):
        """Forget every piece of compiled code."""
        self._entries.clear()
        for holder in list(self._holders):
            holder.forget()


def function_checks(fn):
    """{(id of namespace, name): (namespace, name, value)} of what compiling `fn`
    reads: each global name its code (and the code nested in it) uses, bound or
    not (a builtin may be shadowed later), each closure cell, each `module.name`
    and `Class.name` that is a function or a constant, and the code and defaults
    of each function read (a call site fills the defaults in).

    `fn`'s own code and defaults are not among them: the entries of `fn` would
    then keep `fn` alive; `fn` is a key, and a changed code object a new entry."""
    checks = {}
    if not isinstance(fn, types.FunctionType):
        return checks  # a builtin: the parser rejects it, naming it
    original = getattr(fn, '__adjoint_packs__', None)
    if original is not None:  # `packing.packed`: compiled from `original`'s source
        checks = function_checks(original)
        for attribute in ('__code__', '__defaults__', '__kwdefaults__'):
            checks[id(original), attribute] = (original, attribute, getattr(original, attribute))
        return checks

    def add(scope, name, value):
        checks[id(scope), name] = (scope, name, value)
        if isinstance(value, types.FunctionType):  # a callee: what its call reads
            add(value, '__code__', value.__code__)
            add(value, '__defaults__', value.__defaults__)
            add(value, '__kwdefaults__', value.__kwdefaults__)

    code = fn.__code__
    names = _global_names(code)
    namespace = fn.__globals__
    for name in names:
        value = namespace.get(name, MISSING)
        if value is MISSING and not hasattr(builtins, name):
            continue  # an attribute name (`x.shape`), not a global
        add(namespace, name, value)
        if isinstance(value, types.ModuleType):
            attributes = vars(value)
            for attribute in names:
                found = attributes.get(attribute, MISSING)
                if isinstance(found, _RECORDED_ATTRIBUTES):
                    add(attributes, attribute, found)
        elif isinstance(value, type):  # `Config.scale`: a class attribute, inherited too
            for attribute in names:
                found = getattr(value, attribute, MISSING)
                if isinstance(found, _RECORDED_ATTRIBUTES):
                    add(value, attribute, found)
    for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
        try:
            add(cell, 'cell_contents', cell.cell_contents)
        except ValueError:  # empty: the compiler reports the name as unbound
            pass
    return checks


def _global_names(code):
    """The global and attribute names `code` and the code nested in it load."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def validator(checks):
    """A function of no arguments that is True while every check holds, or None
    when there is nothing to check; generated, so a check costs one identity test."""
    if not checks:
        return None
    namespace = {}
    source = ('def valid():\n    try:\n        return ' + check_terms(checks, namespace) +
              '\n    except INVALIDATED:  # deleted, emptied'
              '\n        return False\n')
    exec(compile(source, '<adjoint cache check>', 'exec'), namespace)  # noqa: S102
    return namespace['valid']


# What evaluating `check_terms` raises when what it checks is gone: a global
# deleted, a cell emptied; the checks then do not hold.
INVALIDATED = (KeyError, ValueError, AttributeError)


def check_terms(checks, namespace, prefix=''):
    """`checks` as one Python expression, True while each holds (else False or
    one of `INVALIDATED` raised), for generated code to evaluate inline; the
    objects it names are added to `namespace`, their names starting `prefix`."""
    namespace['INVALIDATED'] = INVALIDATED
    terms = []
    for k, (scope, name, value) in enumerate(checks.values()):
        namespace[f'{prefix}s{k}'], namespace[f'{prefix}v{k}'] = scope, value
        if isinstance(scope, dict):
            terms.append(f'{name!r} not in {prefix}s{k}' if value is MISSING else
                         f'{prefix}s{k}[{name!r}] is {prefix}v{k}')
        else:  # an attribute: a cell's contents, a function's code or defaults
            terms.append(f'{prefix}s{k}.{name} is {prefix}v{k}')
    return ' and '.join(terms)
