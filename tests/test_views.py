"""Every primitive whose result may share memory with an argument is declared so.

The alias analysis (transforms/analysis/aliasing.py) takes a primitive with a rule to
return a new object unless it is declared a view (`registry.views`). One that
hands back its argument or a view of it undeclared (`np.einsum('ij->ji', x)`,
`np.diff(x, n=0)`, the cotangents of stacking) let a write into one be missed
through the other: `y = np.einsum('ij->ji', a); a[0, 1] = 5.0; return f(y)` had a
silently wrong gradient. So every checked call of the registry sweep runs at its
sample points, and a result sharing memory with an argument it was not declared
to share with fails, naming the primitive.
"""

import copy
import sys

import numpy as np
import pytest

import adjoint
from adjoint.rules import TABLE
from adjoint.rules.docs import label
from tests import trust_cases as cases
from tests.rule_sweep import CHECKS, checks_of, rng_for, sample_points, wrapper_name


def arrays_in(value):
    """The ndarrays `value` is or holds, at any depth."""
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from arrays_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from arrays_in(item)


def shares(out, value):
    return any(np.shares_memory(o, a) for a in arrays_in(value) for o in arrays_in(out))


def shared_arguments(fn, args):
    """The positions of `args` whose arrays `fn(*args)`'s result shares memory with."""
    try:
        out = fn(*args)
    except Exception:  # noqa: BLE001 - a point outside the domain shares nothing
        return set()
    return {k for k, arg in enumerate(args) if shares(out, arg)}


def recorded_sharing(primitive, fn, args):
    """The positions (and keywords) of the arguments of each call of `primitive`
    made while `fn(*args)` runs that its result shares memory with, or None where
    its calls cannot be recorded (a method, an operator, a ufunc without a module
    attribute): the primitive is replaced in its module meanwhile."""
    module = sys.modules.get(getattr(primitive, '__module__', None) or '')
    name = getattr(primitive, '__name__', None)
    if module is None or name is None or getattr(module, name, None) is not primitive:
        return None
    seen = set()

    def recorder(*a, **k):
        out = primitive(*a, **k)
        # Again on copies of each argument alone, so that two arguments holding one
        # array (as checks often pass) are told apart.
        a_copy = tuple(copy.deepcopy(v) for v in a)
        k_copy = {key: copy.deepcopy(v) for key, v in k.items()}
        try:
            again = primitive(*a_copy, **k_copy)
        except Exception:  # noqa: BLE001 - it raised on the originals' copies alone
            return out
        # A new container may hold a container argument's items: the alias
        # analysis knows it (`made`); an array argument it must not be, or view.
        seen.update(pos for pos, arg in [*enumerate(a_copy), *k_copy.items()]
                    if isinstance(arg, np.ndarray) and shares(again, arg))
        return out

    setattr(module, name, recorder)
    try:
        fn(*args)
    except Exception:  # noqa: BLE001 - a point outside the domain shares nothing
        pass
    finally:
        setattr(module, name, primitive)
    return seen


@pytest.mark.parametrize('primitive', list(CHECKS), ids=label)
def test_a_primitive_shares_memory_only_as_declared(primitive, rule_wrappers):
    """A primitive that is not a view returns a new object (which may hold the
    items of a container argument); a view of its first argument shares memory
    with no other argument."""
    name = label(primitive)
    if primitive in TABLE.views_of_any:
        return
    updates = getattr(primitive, 'updates_first_argument', False)  # `add_at`
    allowed = {0} if primitive in TABLE.views or updates else set()
    for k, check in enumerate(checks_of(primitive)):
        fn = getattr(rule_wrappers, wrapper_name('scalar', name, k))
        for _, args, _ in sample_points(check, fn, rng_for(name)):
            recorded = recorded_sharing(primitive, fn, args)
            if recorded is not None:
                shared = recorded - allowed
                where = 'its argument(s)'
            elif not allowed:  # the whole call, whose arguments are the check's
                shared = shared_arguments(fn, args)
                where = 'the argument(s) of the check'
            else:
                continue
            assert not shared, (
                f'{check.call} shares memory with {where} {sorted(shared, key=str)}: '
                f'declare {name} with registry.views (of_any_argument=True if not the '
                f'first)')


def test_the_sweep_sees_a_view():
    """The check above can fail: an undeclared transpose is found."""
    x = np.ones((2, 3))
    assert shared_arguments(np.transpose, (x,)) == {0}
    assert shared_arguments(lambda a: a * 2.0, (x,)) == set()
    assert recorded_sharing(np.einsum, lambda a: np.einsum('ij->ji', a), (x,)) == {1}
    assert np.einsum is not None and recorded_sharing(np.einsum, np.sum, (x,)) == set()


@pytest.mark.parametrize('fn', [cases.read_through_an_einsum_transpose,
                                cases.read_through_an_einsum_diagonal,
                                cases.read_through_a_diff_of_order_zero])
def test_a_read_through_a_view_made_by_a_primitive_is_rejected(fn):
    x = np.arange(4.0).reshape(2, 2) + 0.5
    for derivative in (adjoint.grad(fn), lambda a: adjoint.jvp(fn)((a,), (a,))):
        with pytest.raises(adjoint.UnsupportedSyntaxError,
                           match=r'trust_cases\.py:\d+: this reads, through another name '
                                 r'or a view'):
            derivative(x.copy())
