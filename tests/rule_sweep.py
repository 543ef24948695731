"""What the registry sweeps share: the rules, their checks, the wrappers, the points.

The reverse sweep (test_rules.py) and the forward sweep (test_jvp_rules.py) walk
the same registry, check the same calls (`CHECKS`, from rules_checks.py,
numpy_checks.py, numpy_more_checks.py and, with SciPy installed, scipy_checks.py)
at the same seeded random points,
through the same generated wrapper functions. adjoint differentiates source
code, so the wrappers are generated as source — small functions per check —
into a module in a temporary directory (the session fixture `rule_wrappers` in
conftest.py imports it, once for both sweeps, so a gradient compiled by one is
cached for the other):

- `scalar_<primitive>_<k>(x, y)`: the call itself (on floats or arrays);
- `array_<primitive>_<k>(x, y, w)`: `np.sum(call * w)`, `w` a fixed random array,
  so the cotangent of every element is checked;
- `constant_<primitive>_0(x)`: `3.0 * x` plus a non-differentiable primitive.
"""

import importlib.util
import inspect
import re
import sys
import zlib

import numpy as np
import pytest

from adjoint.rules.docs import label, library_rules
from tests.builtins_checks import BUILTIN_CHECKS, BUILTIN_NONDIFFERENTIABLE
from tests.numpy_checks import (HELPER_CHECKS, HELPER_NONDIFFERENTIABLE, LINALG_CHECKS,
                                REDUCTION_CHECKS, SHAPE_CHECKS)
from tests.numpy_more_checks import MORE_NUMPY_CHECKS, MORE_NUMPY_NONDIFFERENTIABLE
from tests.linalg_more_checks import MORE_LINALG_CHECKS, MORE_NONDIFFERENTIABLE
from tests.rules_checks import ELEMENTWISE_CHECKS, PYTHON_CHECKS
from tests.rules_checks import NONDIFFERENTIABLE as BASIC_NONDIFFERENTIABLE
from tests.scipy_checks import SCIPY_CHECKS, SCIPY_IMPORTS, SCIPY_NONDIFFERENTIABLE

SCALAR_POINTS = 4  # random points per rule on Python floats
ARRAY_POINTS = 2  # random points per rule and per array shape

CHECKS = {**PYTHON_CHECKS, **ELEMENTWISE_CHECKS, **REDUCTION_CHECKS, **LINALG_CHECKS,
          **SHAPE_CHECKS, **HELPER_CHECKS, **MORE_NUMPY_CHECKS, **MORE_LINALG_CHECKS,
          **BUILTIN_CHECKS, **SCIPY_CHECKS}
NONDIFFERENTIABLE = {**BASIC_NONDIFFERENTIABLE, **HELPER_NONDIFFERENTIABLE,
                     **MORE_NUMPY_NONDIFFERENTIABLE, **MORE_NONDIFFERENTIABLE,
                     **BUILTIN_NONDIFFERENTIABLE, **SCIPY_NONDIFFERENTIABLE}

# The built-in library's rules; `adjoint.stop_gradient` and the like are tested
# with the API that provides them.
LIBRARY = {name: entry for name, entry in library_rules().items()
           if not re.fullmatch(r'adjoint\.\w+', name)}
# Declared unsupported (`np.fft.fft`): no rules, on purpose; tests/test_linalg_more.py
# checks the error they raise.
DIFFERENTIABLE = sorted(k for k, (_, rule) in LIBRARY.items()
                        if rule.differentiable and not rule.unsupported)
NOT_DIFFERENTIABLE = sorted(k for k, (_, r) in LIBRARY.items() if not r.differentiable)


def rule_with_checks(name, template):
    """(primitive, rule) of library rule `name`; fails the test if the rule has no
    `template` ('vjp' or 'jvp') or no finite-difference check."""
    primitive, rule = LIBRARY[name]
    if getattr(rule, template) is None:
        pytest.fail(f'{name} is differentiable but has no {template} rule: write one '
                    f'with @{template}_rule, or declare it non-differentiable')
    if primitive not in CHECKS:
        pytest.fail(f'{name} has no finite-difference check: add it to CHECKS '
                    f'(tests/rules_checks.py or tests/numpy_checks.py)')
    return primitive, rule


def checks_of(primitive):
    """The checks of a primitive, as a tuple (CHECKS holds one or a tuple)."""
    checks = CHECKS[primitive]
    return checks if isinstance(checks, tuple) else (checks,)


def wrapper_name(kind, name, k=0):
    """A Python name for the k-th wrapper of primitive `name` (`x.sum()` too)."""
    return '_'.join((kind, re.sub(r'\W', '_', name), str(k)))


def wrappers_source():
    """The wrappers of every check and of every non-differentiable primitive, as
    a module's source."""
    lines = ['import builtins', 'import math', '', 'import numpy as np', '',
             'from adjoint import runtime',
             'from adjoint.rules import linalg_helpers, numpy_helpers, sample_helpers',
             'from transforms.core import primitives', *SCIPY_IMPORTS, '']
    for primitive in CHECKS:
        for k, check in enumerate(checks_of(primitive)):
            params = ', '.join(check.params)
            lines += ['', f'def {wrapper_name("scalar", label(primitive), k)}({params}):',
                      f'    return {check.call}', '']
            lines += ['', f'def {wrapper_name("array", label(primitive), k)}({params}, w):',
                      f'    return np.sum(({check.call}) * w)', '']
    for primitive, call in NONDIFFERENTIABLE.items():
        lines += ['', f'def {wrapper_name("constant", label(primitive))}(x):',
                  f'    return 3.0 * x + ({call})', '']
    return '\n'.join(lines)


def import_wrappers(directory):
    """Write the wrappers into `directory` and import them from that real file
    (adjoint reads the source); the module is `rule_wrappers`."""
    path = directory / 'rule_wrappers.py'
    path.write_text(wrappers_source())
    spec = importlib.util.spec_from_file_location('rule_wrappers', path)
    module = importlib.util.module_from_spec(spec)
    sys.modules['rule_wrappers'] = module
    spec.loader.exec_module(module)
    return module


def rng_for(name):
    """A generator seeded by the primitive's name: the same points in every run."""
    return np.random.default_rng(zlib.crc32(name.encode()))


def sample_points(check, scalar_fn, rng):
    """The points of one check, in the order the sweeps draw them from `rng`.

    Yields `(kind, args, weights)`: `kind` is 'float' (Python floats from the
    domains, `SCALAR_POINTS` of them), 'int' (one point of Python ints) or
    'array' (`ARRAY_POINTS` per case of `check.shapes`, with `weights` shaped
    like the call's result, for `np.sum(call * w)`); `weights` is None for
    scalars. Both sweeps draw the same points, whatever else they compute.
    """
    if check.scalars:
        for _ in range(SCALAR_POINTS):
            yield 'float', tuple(domain.sample(rng, ()) for domain in check.domains), None
        if check.ints != ():
            yield 'int', check.int_point(rng), None
    for shapes in check.shapes:
        for _ in range(ARRAY_POINTS):
            args = tuple(d.sample(rng, shape) for d, shape in zip(check.domains, shapes))
            yield 'array', args, rng.normal(size=np.shape(scalar_fn(*args)))


def same_primitive(key, primitive):
    """Whether a statement's primitive key is `primitive` (methods are tuples; a
    bound method, `scipy.stats.norm.logpdf`, is made anew at each look-up)."""
    if isinstance(primitive, tuple) or inspect.ismethod(primitive):
        return key == primitive
    return key is primitive
