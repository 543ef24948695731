"""The fast path of a derivative's call: a small generated function that checks
the types of the arguments inline and calls the version compiled for them.

A derivative is specialized to the kinds of its arguments, so every call must
find the version for the kinds it is given. Computing a key of the kinds in
Python (`kinds.dispatch_key`) and looking it up took ~0.6 us for two floats and
~2.5 us for a float and two arrays, more than the generated gradient of a small
function itself. What decides a kind is known once a version has run: the type
of a number, and the type, `ndim` and `dtype` of an array. So `Derivative`
generates, after each new version, one function holding every version's checks,
as one would write them by hand:

    def dispatch_grad_linreg(owner, args):
        if len(args) == 3:
            a0, a1, a2 = args
            if type(a0) is float and type(a1) is ndarray and a1.ndim == 1 and \\
                    a1.dtype is float64 and ...:
                if valid_0():
                    owner._last = version_0
                    return compiled_0(a0, a1, a2)
        return MISS

A check is never looser than the key it stands for (`dtype is`, not `==`): where
it fails, the call takes the general path (`Derivative._dispatch`), which is
always right. `valid_k` is the version's check that the functions and globals
its code read are unchanged (transforms/cache.py), so a stale version is never
called. Arguments whose kinds need their contents looked at (lists, dicts,
functions) get no inline check; their calls keep the general path.
"""

import itertools
import linecache
import os
import re

from transforms.kinds import decided_by

MISS = object()  # what a dispatch function returns where no version's checks hold
_FILES = itertools.count(1)
_MOST_VERSIONS = 16  # more versions than this keep the general path for new ones


def miss(owner, args):
    """The dispatch function of a derivative with no version yet."""
    return MISS


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


def generate(name, versions):
    """The dispatch function for `versions`: `{spec: (compiled, valid, version)}`,
    `spec` as `spec_of` makes it, `valid` None or a no-argument check. Returns
    `fn(owner, args)`: the compiled function's result, or `MISS`."""
    namespace = {'MISS': MISS}
    by_arity = {}
    for k, (spec, entry) in enumerate(versions.items()):
        by_arity.setdefault(len(spec), []).append((k, spec, entry))
    function_name = 'dispatch_' + re.sub(r'\W', '_', name)  # `<lambda>`
    lines = [f'def {function_name}(owner, args):']
    for arity, entries in by_arity.items():
        params = ', '.join(f'a{j}' for j in range(arity))
        lines.append(f'    if len(args) == {arity}:')
        if arity:
            lines.append(f'        {params}{"," if arity == 1 else ""} = args')
        for k, spec, (compiled, valid, version) in entries:
            checks = []
            for j, part in enumerate(spec):
                namespace[f'type_{k}_{j}'] = part[0]
                checks.append(f'type(a{j}) is type_{k}_{j}')
                if len(part) == 3:
                    namespace[f'dtype_{k}_{j}'] = part[2]
                    checks.append(f'a{j}.ndim == {part[1]} and a{j}.dtype is dtype_{k}_{j}')
            indent = '        '
            if checks:
                lines.append(f'{indent}if {" and ".join(checks)}:')
                indent += '    '
            if valid is not None:
                namespace[f'valid_{k}'] = valid
                lines.append(f'{indent}if valid_{k}():')
                indent += '    '
            namespace[f'compiled_{k}'], namespace[f'version_{k}'] = compiled, version
            lines.append(f'{indent}owner._last = version_{k}')
            lines.append(f'{indent}return compiled_{k}({params})')
    lines.append('    return MISS')
    source = '\n'.join(lines) + '\n'
    # A file name in adjoint's own folder: tracebacks drop its frame (tracebacks.py).
    filename = os.path.join(os.path.dirname(__file__),
                            f'<dispatch {next(_FILES)}: {name}>')
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, 'exec'), namespace)  # noqa: S102 - our own code
    return namespace[function_name]


def added(name, versions, spec, entry):
    """`(versions, dispatch function)` with `entry` for `spec` added (replacing
    a stale one), or None where there are already too many versions."""
    if spec not in versions and len(versions) >= _MOST_VERSIONS:
        return None
    versions = dict(versions)
    versions[spec] = entry
    return versions, generate(name, versions)
