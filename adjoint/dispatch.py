"""The fast path of a derivative's call: a small generated `__call__` that checks
the types of the arguments inline and calls the version compiled for them.

A derivative is specialized to the kinds of its arguments, so every call must
find the version for the kinds it is given. Computing a key of the kinds in
Python (`kinds.dispatch_key`) and looking it up took ~0.6 us for two floats and
~2.5 us for a float and two arrays, more than the generated gradient of a small
function itself; so did a generic `__call__(self, *args)` in front of a generated
check (~0.15 us), packing the arguments into a tuple and unpacking them again.
What decides a kind is known once a version has run: the type of a number, and
the type, `ndim` and `dtype` of an array. So `Derivative` generates, after each
new version, the `__call__` of its own class, holding every version's checks, as
one would write them by hand:

    def __call__(self, a0=MISSING, a1=MISSING, a2=MISSING, /, *more, **kwargs):
        try:
            if type(a0) is type_0_0 and type(a1) is type_0_1 and a1.ndim == 2 \\
                    and a1.dtype is dtype_0_1 and ... and len(a2) == a1.shape[1] \\
                    and not (more or kwargs):
                try:
                    valid = c0_s0['np'] is c0_v0 and ...
                except INVALIDATED:
                    valid = False
                if valid:
                    ran[0] = version_0
                    return compiled_0(a0, a1, a2)
            return self._call(given(a0, a1, a2) + more, kwargs)
        except Exception as error:
            replacement = self._failed(error)
            if replacement is not None:
                raise replacement from None
            raise

The shapes are checked for which dimensions are equal (`dims_checks`), which the
version's code may rely on (transforms/analysis/shapes.py). Its parameters are
positional-only and default to `MISSING`, so any call binds
and a call of fewer arguments (a default left out) is told by `MISSING` in the
last places; a call the checks do not cover takes the general path
(`Derivative._call`), which is always right: it raises what the function's own
call would. A check is never looser than the key it stands for (`dtype is`, not
`==`). `valid` is the version's check that the functions and globals its code
read are unchanged (transforms/core/cache.py), so a stale version is never called.
Arguments whose kinds need their contents looked at (lists, dicts, functions)
get no inline check; their calls keep the general path.
"""

import itertools
import linecache
import os

import numpy as np

from transforms.analysis.kinds import decided_by
from transforms.core.cache import check_terms


class _Missing:
    """The default of each parameter of a generated `__call__`: an argument not given."""

    def __repr__(self):
        return 'MISSING'


MISSING = _Missing()
_FILES = itertools.count(1)
_MOST_VERSIONS = 16  # more versions than this keep the general path for new ones


def given(*values):
    """The arguments given, of a generated `__call__`'s parameters: those before
    the first `MISSING` (they are positional-only, so given ones come first)."""
    for k, value in enumerate(values):
        if value is MISSING:
            return values[:k]
    return values


def spec_of(args):
    """What decides the kinds of `args`, for inline checks: a tuple with, per
    argument, `(type,)` for a number (its kind is its type's) or `(type, ndim,
    dtype)` for an array; None where an argument's kind needs more (a list, a
    dict, a function, an object), or a type whose kind is not the type's alone.

    Args:
        args: the positional arguments of a call.
    """
    spec = []
    for value in args:
        cls = type(value)
        decides = decided_by(cls)
        if decides in ('int', 'float', 'bool'):
            spec.append((cls,))
        elif decides == 'other' and hasattr(cls, 'ndim') and hasattr(cls, 'dtype') \
                and isinstance(getattr(value, 'ndim', None), int):
            spec.append((cls, value.ndim, value.dtype))
        else:
            return None
    return tuple(spec)


def dims_of(args):
    """Per argument, the dimension symbols of a float array of one or more
    dimensions (`('n0', 'n1')`), else None: the same symbol for every dimension
    of the same size, across the arguments, numbered in the order they come.

    Code compiled for these (transforms/analysis/shapes.py) is right for any arguments
    whose dimensions are equal where these are (`dims_checks` says which).
    """
    sizes = {}
    dims = []
    for value in args:
        if type(value) is np.ndarray and value.ndim and value.dtype.kind == 'f':
            dims.append(tuple(sizes.setdefault(n, f'n{len(sizes)}') for n in value.shape))
        else:
            dims.append(None)
    return tuple(dims)


def dims_checks(dims):
    """The equalities `dims` (of `dims_of`) states, as Python conditions on the
    arguments `a0, a1, ...`: each dimension equal to the first of its symbol.

    The first dimension is read as `len(a)` (the array's ndim is checked before,
    so it has one): `a.shape` builds a tuple, and two of them cost ~40 ns of a
    call whose whole primal may take 200 (a Numba-compiled loop)."""
    first, checks = {}, []
    for j, shape in enumerate(dims):
        for axis, symbol in enumerate(shape or ()):
            size = f'len(a{j})' if axis == 0 else f'a{j}.shape[{axis}]'
            if symbol in first:
                checks.append(f'{size} == {first[symbol]}')
            else:
                first[symbol] = size
    return checks


def generate(name, arity, versions, ran):
    """The `__call__` for `versions`: `{(spec, dims): (compiled, checks, version)}`,
    `spec` as `spec_of` makes it and `dims` as `dims_of` does, `checks` what the
    version's code read (`valid` of transforms/core/cache.py: the version is called
    only while they hold), of a function of `arity` positional parameters (a
    spec is no longer). It calls the compiled
    function whose checks hold, and `self._call(args, kwargs)` where none do;
    `ran[0]` is set to the version it calls (`Derivative._last`: a store into a
    list costs ~40 ns less than one into the derivative's attributes).
    """
    namespace = {'MISSING': MISSING, 'given': given, 'ran': ran}
    params = [f'a{j}' for j in range(arity)]
    signature = ''.join(f'{p}=MISSING, ' for p in params) + ('/, ' if params else '')
    lines = [f'def __call__(self, {signature}*more, **kwargs):',
             '    try:']
    # The versions whose dimensions are equal in more places first: a call that
    # has their equalities gets the code that uses them.
    ordered = sorted(((dims_checks(dims), spec, entry)
                      for (spec, dims), entry in versions.items()),
                     key=lambda item: -len(item[0]))
    for k, (equal, spec, (compiled, checks_read, version)) in enumerate(ordered):
        checks = []
        for j, part in enumerate(spec):
            namespace[f'type_{k}_{j}'] = part[0]
            checks.append(f'type(a{j}) is type_{k}_{j}')
            if len(part) == 3:
                namespace[f'dtype_{k}_{j}'] = part[2]
                checks.append(f'a{j}.ndim == {part[1]} and a{j}.dtype is dtype_{k}_{j}')
        checks += equal
        if len(spec) < arity:  # a default left out, and so all after it
            checks.append(f'a{len(spec)} is MISSING')
        checks.append('not (more or kwargs)')
        lines.append(f'        if {" and ".join(checks)}:')
        indent = '            '
        if checks_read:  # inline, as a call of the version's `valid` costs ~40 ns
            lines += [f'{indent}try:',
                      f'{indent}    valid = {check_terms(checks_read, namespace, f"c{k}_")}',
                      f'{indent}except INVALIDATED:',
                      f'{indent}    valid = False',
                      f'{indent}if valid:']
            indent += '    '
        namespace[f'compiled_{k}'], namespace[f'version_{k}'] = compiled, version
        lines.append(f'{indent}ran[0] = version_{k}')
        lines.append(f'{indent}return compiled_{k}({", ".join(params[:len(spec)])})')
    lines += [f'        return self._call(given({", ".join(params)}) + more, kwargs)'
              if params else '        return self._call(more, kwargs)',
              '    except Exception as error:',
              '        replacement = self._failed(error)',
              '        if replacement is not None:',
              '            raise replacement from None',
              '        raise']
    source = '\n'.join(lines) + '\n'
    # A file name in adjoint's own folder: tracebacks drop its frame (tracebacks.py).
    filename = os.path.join(os.path.dirname(__file__),
                            f'<dispatch {next(_FILES)}: {name}>')
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, 'exec'), namespace)  # noqa: S102 - our own code
    return namespace['__call__']


def has_room(versions, key, arity):
    """Whether a version for `key` (`(spec, dims)`) may be added to `versions`:
    not where there are already too many, or the spec is longer than `arity` (a
    call of too many arguments, which raises)."""
    return len(key[0]) <= arity and (len(versions) < _MOST_VERSIONS or key in versions)


def added(name, arity, versions, key, entry, ran):
    """`(versions, __call__)` with `entry` for `key` (`(spec, dims)`) added,
    replacing a stale one, `generate`'s `ran` passed on; `has_room` says whether
    it may be."""
    versions = dict(versions)
    versions[key] = entry
    return versions, generate(name, arity, versions, ran)
