"""Declared result kinds against what NumPy returns: the kind sweep.

A rule's `kind=` function tells the compiler what its primitive returns ('float',
'vector', 'matrix', 'array', or None for not known). A wrong claim is a wrong
gradient, not a slow one: a result declared 'float' that is a matrix makes
reverse mode skip `unbroadcast`, and `np.sum(np.outer(x, x) * a)` then gave a
3 x 3 "gradient" for the float `a`. So every check of the registry sweep (the
calls in rules_checks.py and numpy_checks.py, at the same points and shapes) is
run here too: the kind the compiler infers for the call's result, from the kinds
of the arguments, must describe the value the call really returns.
"""

import functools
import itertools

import numpy as np
import pytest

from adjoint.rules import TABLE
from tests.rule_sweep import CHECKS, checks_of, rng_for, sample_points, wrapper_name
from adjoint.rules.docs import label
from transforms import pipeline
from transforms.analysis.kinds import ARRAYS, infer_kinds, kind_of_value
from transforms.core import ir

# Arguments of each kind, beyond the sweep's points: ints, 0-d arrays, stacks.
EXTRA_ARGUMENTS = (2, np.array(1.5), np.arange(1.0, 4.0), np.ones((3, 3)) + np.eye(3),
                   np.ones((2, 3, 3)))


def describes(declared, value):
    """Whether kind `declared` is true of `value` (None claims nothing).

    'array' is claimed for any float array or float scalar (a reduction over an
    axis may leave a 0-d result); 'float' and 'int' for a real scalar, 0-d arrays
    included; 'vector' and 'matrix' for float arrays of exactly 1 and 2
    dimensions; a container kind for that container, item by item.
    """
    actual = kind_of_value(value)
    if declared is None or declared == actual:
        return True
    if isinstance(declared, tuple):
        return isinstance(actual, tuple) and declared[0] == actual[0] and all(
            describes(declared[1], item) for item in value)
    if declared == 'array':
        return actual in ARRAYS or actual == 'float'
    if declared in ('float', 'int'):  # 0-d arrays of ints too: NumPy's scalars
        return np.ndim(value) == 0 and np.isrealobj(value)
    return False


@functools.lru_cache(maxsize=None)
def primal_of(fn):
    return pipeline.primal_ir(fn)[0]


def result_kind(fn, args):
    """The kind the compiler infers for what `fn` returns, given `args`' kinds."""
    primal = primal_of(fn)
    param_kinds = {p.name: kind_of_value(a) for p, a in zip(primal.params, args)}
    kinds = infer_kinds(primal, param_kinds, TABLE)
    returned = primal.returns
    if isinstance(returned, ir.Var):
        return kinds.get(returned.name)
    return kind_of_value(returned.value)


def points(check, fn, name):
    """The sweep's points of `check`, then, for NumPy's and Python's own functions,
    every combination of `EXTRA_ARGUMENTS` (the calls that accept them). The
    runtime helpers are called by generated code on cotangents shaped as their
    checks are, and only there."""
    yield from (args for _, args, _ in sample_points(check, fn, rng_for(name)))
    if not name.startswith('adjoint.'):
        yield from itertools.product(EXTRA_ARGUMENTS, repeat=len(check.params))


@pytest.mark.parametrize('name', sorted(label(p) for p in CHECKS))
def test_declared_kinds_describe_the_results(name, rule_wrappers):
    primitive = next(p for p in CHECKS if label(p) == name)
    wrong = []
    for k, check in enumerate(checks_of(primitive)):
        fn = getattr(rule_wrappers, wrapper_name('scalar', name, k))
        for args in points(check, fn, name):
            try:
                with np.errstate(all='ignore'):
                    value = fn(*args)
            except Exception:  # noqa: BLE001 - arguments the call does not accept
                continue
            declared = result_kind(fn, args)
            if not describes(declared, value):
                wrong.append(f'`{check.call}` of {[kind_of_value(a) for a in args]} is '
                             f'declared {declared!r} but is {kind_of_value(value)!r}')
    assert not wrong, '\n'.join(wrong)


LIKE = sorted(label(p) for p in CHECKS if TABLE.rules[p].like is not None)


@pytest.mark.parametrize('name', LIKE)
def test_declared_shapes_describe_the_results(name, rule_wrappers):
    # `shaped_like(k, f)` lets the compiler take f(...) to have the shape of its
    # argument k (transforms/analysis/shapes.py) wherever both are arrays (of kinds the
    # compiler knows: a result of unknown kind is never assumed a shape).
    primitive = next(p for p in CHECKS if label(p) == name)
    position = TABLE.rules[primitive].like
    for k, check in enumerate(checks_of(primitive)):
        fn = getattr(rule_wrappers, wrapper_name('scalar', name, k))
        primal = primal_of(fn)
        call = next(s for s in ir.walk(primal.body) if isinstance(s, ir.Let) and
                    s.target == getattr(primal.returns, 'name', None))
        params = [p.name for p in primal.params]
        like = call.args[position] if len(call.args) > position else None
        if not isinstance(like, ir.Var) or like.name not in params:
            continue
        for args in points(check, fn, name):
            try:
                with np.errstate(all='ignore'):
                    value = fn(*args)
            except Exception:  # noqa: BLE001 - np.roll(x, 1, axis=1) of a 0-d x
                continue
            if result_kind(fn, args) in ARRAYS:
                assert np.shape(value) == np.shape(args[params.index(like.name)]), \
                    (check.call, args)
