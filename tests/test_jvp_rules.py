"""The rule library in forward mode and at second order: the forward registry sweep.

The reverse sweep (test_rules.py) checks every vjp rule; this one walks the same
registry, through the same wrappers, at the same seeded points (tests/rule_sweep.py):

- `test_every_jvp_rule`: for every check of every differentiable primitive,
  `adjoint.jvp` of the call along a seeded random direction has the shape of the
  result, matches central differences along that direction, and passes the
  dot-product test against reverse mode, <grad(np.sum(call * w)), t> = <w, tangent>;
  and so with a tangent for one argument at a time (the others' are zero).
  A differentiable primitive without a jvp rule, or without a check, fails.
- `test_second_order`: for every check, at the first point of each case of
  array shapes (of the floats for a check of floats only), the Hessian-vector product by
  forward over reverse (`adjoint.hvp` of `np.sum(call * w)`) against central
  differences of the gradient, and the second derivative of the call along the
  same direction by forward over forward (the jvp of its generated jvp code)
  against central differences of the tangent, and against <v, H v>. What has no
  second derivative is in `SECOND_ORDER_EXCLUDED`, with the reason.
- `test_nondifferentiable_primitives_have_zero_tangents`: the tangent of
  `3.0 * x + primitive(x)` is `3.0 * t`.
- `test_every_jvp_rule_is_simplified_around_zeros`: inlined with any of its
  tangents zero, every jvp rule simplifies (no real zeros are ever built for it),
  and is straight-line code (inlined, never called).
- `test_every_helper_of_generated_code_has_rules`: every function of the runtime
  and of the rules' helper modules has rules in both modes or is declared
  non-differentiable, so second derivatives never differentiate a helper's source.
"""

import inspect
import itertools

import numpy as np
import pytest

import adjoint
from adjoint import runtime
from adjoint.api import positional_parameters
from adjoint.forward_mode import _tangent_derivative
from adjoint.rules import TABLE, linalg_helpers, numpy_helpers, sample_helpers
from tests import rules_cases as cases
from tests.rule_sweep import (CHECKS, DIFFERENTIABLE, LIBRARY, NONDIFFERENTIABLE,
                              NOT_DIFFERENTIABLE, checks_of, rng_for, rule_with_checks,
                              sample_points, wrapper_name)
from tests.test_forward import directional_difference
from transforms.ad import inline
from transforms.ad.forward.forward_rules import ZERO, simplify_zeros
from transforms.core import ir
from transforms.core.names import Namer

EPS = 1e-6

# Primitives whose second derivative the sweep does not check, and why. Every
# other differentiable primitive is checked at second order, in both compositions.
SECOND_ORDER_EXCLUDED = {}


@pytest.fixture
def wrappers(rule_wrappers):
    return rule_wrappers


def random_like(value, rng):
    """A random tangent shaped like `value`: a float for a scalar (an int too)."""
    if np.ndim(value) == 0 and not isinstance(value, np.ndarray):
        return float(rng.normal())
    return rng.normal(size=np.shape(value))


def pairing(grads, tangents):
    return sum(float(np.sum(np.asarray(g) * t)) for g, t in zip(grads, tangents))


# ---------------------------------------------------------------- first order


@pytest.mark.parametrize('name', DIFFERENTIABLE)
def test_every_jvp_rule(name, wrappers):
    primitive, rule = rule_with_checks(name, 'jvp')
    rng, directions = rng_for(name), rng_for('jvp ' + name)
    for k, check in enumerate(checks_of(primitive)):
        scalar_fn = getattr(wrappers, wrapper_name('scalar', name, k))
        array_fn = getattr(wrappers, wrapper_name('array', name, k))
        seen = set()
        for kind, args, weights in sample_points(check, scalar_fn, rng):
            what = f'{name} in `{check.call}` at {args}'
            tangents = tuple(random_like(a, directions) for a in args)
            tangent = check_tangent(what, scalar_fn, args, tangents)
            if kind == 'array':
                grads = adjoint.grad(array_fn, wrt=tuple(range(len(args))))(*args, weights)
                assert np.sum(tangent * weights) == \
                    pytest.approx(pairing(grads, tangents), rel=1e-9, abs=1e-12), what
            shapes = tuple(np.shape(a) for a in args)
            if len(args) > 1 and shapes not in seen:
                seen.add(shapes)  # one argument at a time: the others' zeros drop out
                for k in range(len(args)):
                    alone = tuple(t if j == k else None for j, t in enumerate(tangents))
                    check_tangent(f'{what}, argument {k} alone', scalar_fn, args, alone)


def check_tangent(what, fn, args, tangents):
    """jvp against the function and against central differences along `tangents`."""
    out, tangent = adjoint.jvp(fn, args, tangents)
    np.testing.assert_allclose(out, fn(*args), rtol=1e-14, err_msg=what)
    assert np.shape(tangent) == np.shape(out), (what, np.shape(tangent), np.shape(out))
    if np.ndim(out) == 0 and not isinstance(out, np.ndarray):
        assert isinstance(tangent, float), (what, tangent)
    floats = tuple(np.asarray(a, dtype=float) if np.ndim(a) else float(a) for a in args)
    np.testing.assert_allclose(tangent, directional_difference(fn, floats, tangents, EPS),
                               rtol=1e-5, atol=1e-6, err_msg=what)
    return tangent


# ---------------------------------------------------------------- second order


def second_order_points(check, scalar_fn, rng):
    """The first point of each case of array shapes of the check, or of its floats
    for a check of floats only; at least one point per check.

    Cases that mix a Python float with arrays are left to first order, unless
    the check has no other: each such mix of argument kinds compiles new code
    (twice, here), while the array cases, broadcasting included, share theirs.
    """
    firsts = {}
    for kind, args, weights in sample_points(check, scalar_fn, rng):
        if kind != 'int' and not (kind == 'float' and check.shapes):
            firsts.setdefault(tuple(np.shape(a) for a in args),
                              (args, weights if weights is not None else 1.0))
    points = list(firsts.values())
    arrays = [p for p in points if all(isinstance(a, np.ndarray) for a in p[0])]
    return (arrays or points[:1]) if check.shapes else points


@pytest.mark.parametrize('name', DIFFERENTIABLE)
def test_second_order(name, wrappers):
    primitive, _ = LIBRARY[name]
    if name in SECOND_ORDER_EXCLUDED:
        pytest.skip(SECOND_ORDER_EXCLUDED[name])
    if primitive not in CHECKS:
        pytest.fail(f'{name} has no finite-difference check')
    rng, directions = rng_for(name), rng_for('second ' + name)
    for k, check in enumerate(checks_of(primitive)):
        scalar_fn = getattr(wrappers, wrapper_name('scalar', name, k))
        array_fn = getattr(wrappers, wrapper_name('array', name, k))
        for args, weights in second_order_points(check, scalar_fn, rng):
            what = f'{name} in `{check.call}` at {args}'
            v = tuple(random_like(a, directions) for a in args)
            hv = check_hvp(what, array_fn, args, weights, v)
            second = check_forward_over_forward(what, scalar_fn, args, v)
            assert np.sum(second * weights) == pytest.approx(pairing(hv, v), rel=1e-9,
                                                             abs=1e-12), what


def check_hvp(what, array_fn, args, weights, v):
    """Forward over reverse: H v against central differences of the gradient."""
    wrt = tuple(range(len(args)))
    hv = adjoint.hvp(array_fn, wrt=wrt)(*args, weights, v)
    gradient = adjoint.grad(array_fn, wrt=wrt)

    def moved(sign):
        return tuple(a + sign * EPS * t for a, t in zip(args, v)) + (weights,)
    for k, (plus, minus) in enumerate(zip(gradient(*moved(1.0)), gradient(*moved(-1.0)))):
        expected = (np.asarray(plus) - np.asarray(minus)) / (2 * EPS)
        assert np.shape(hv[k]) == np.shape(args[k]), (what, k)
        np.testing.assert_allclose(hv[k], expected, rtol=1e-5, atol=1e-6,
                                   err_msg=f'{what}: H v, argument {k}')
    return hv


def check_forward_over_forward(what, fn, args, v):
    """Forward over forward: the jvp of fn's generated jvp code, along v in both
    the primals and the tangents, is the second derivative along v; against
    central differences of the (first-order checked) tangent along v."""
    tangent_code = _tangent_derivative(fn, tuple(positional_parameters(fn)), seed_ones=False)
    nothing = (None,) * len(args)
    _, (_, second) = adjoint.jvp(tangent_code, args + v, v + nothing)

    def tangent_at(sign):
        moved = tuple(a + sign * EPS * t for a, t in zip(args, v))
        return np.asarray(adjoint.jvp(fn, moved, v)[1])
    expected = (tangent_at(1.0) - tangent_at(-1.0)) / (2 * EPS)
    assert np.shape(second) == np.shape(expected), what
    np.testing.assert_allclose(second, expected, rtol=1e-5, atol=1e-6,
                               err_msg=f'{what}: forward over forward')
    return second


def test_exclusions_name_differentiable_primitives():
    assert set(SECOND_ORDER_EXCLUDED) <= set(DIFFERENTIABLE)


# ---------------------------------------------------------------- kinks and ties


_TIES = np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])


@pytest.mark.parametrize('fn, args', [
    (cases.relu_total, (np.array([-1.5, 0.0, 2.0, 0.0, 0.3]),)),
    (cases.min_with_zero_total, (np.array([-1.5, 0.0, 2.0, 0.0]),)),
    (cases.maximum_with_itself, (np.array([-1.0, 0.0, 2.5]),)),
    (cases.minimum_with_itself, (np.array([-1.0, 0.0, 2.5]),)),
    (cases.clipped, (np.array([-1.0, -0.5, 0.0, 0.7, 1.0]), -0.5, 0.7)),
    (cases.row_max_total, (_TIES, np.array([2.0, -1.0]))),
    (cases.whole_max, (_TIES,)),
    (cases.column_min_total, (_TIES,)),
    (cases.product, (np.array([2.0, 0.0, 3.0]),)),
    (cases.product, (np.array([0.0, 2.0, 0.0]),)),
    (cases.column_products, (np.array([[0.0, 2.0], [3.0, 4.0]]),)),
    (cases.vector_norm, (np.zeros(3),)),
    (cases.numpy_abs, (np.array([-1.5, 0.0, 2.0]),)),
], ids=lambda value: getattr(value, '__name__', ''))
def test_both_modes_agree_at_kinks_and_ties(fn, args):
    # Where random points never land: the tangent pairs with the gradient exactly.
    rng = np.random.default_rng(3)
    grads = adjoint.grad(fn, wrt=tuple(range(len(args))))(*args)
    for _ in range(2):
        tangents = tuple(random_like(a, rng) for a in args)
        _, tangent = adjoint.jvp(fn, args, tangents)
        assert tangent == pytest.approx(pairing(grads, tangents), rel=1e-12, abs=1e-14)


def test_tied_maxima_get_the_mean_of_their_tangents():
    t = np.array([[0.5, 4.0, 2.0], [1.0, 7.0, 3.0]])
    _, tangent = adjoint.jvp(cases.whole_max, (_TIES,), (t,))
    assert tangent == 3.0  # the mean of 4.0 and 2.0


# ---------------------------------------------------------------- no derivative


@pytest.mark.parametrize('name', NOT_DIFFERENTIABLE)
def test_nondifferentiable_primitives_have_zero_tangents(name, wrappers):
    primitive, _ = LIBRARY[name]
    if primitive not in NONDIFFERENTIABLE:
        pytest.fail(f'{name} is declared non-differentiable but has no check: '
                    f'add it to NONDIFFERENTIABLE in tests/rules_checks.py')
    fn = getattr(wrappers, wrapper_name('constant', name))
    rng = rng_for(name)
    for _ in range(2):
        x, t = float(rng.uniform(-2.0, 2.0)), float(rng.normal())
        out, tangent = adjoint.jvp(fn, (x,), (t,))
        assert tangent == 3.0 * t and isinstance(tangent, float), (name, x, tangent)
        assert adjoint.derivative(fn)(x) == 3.0


# ---------------------------------------------------------------- the convention


@pytest.mark.parametrize('name', DIFFERENTIABLE)
def test_jvp_rule_takes_the_primal_parameters_of_the_vjp_rule(name):
    # (d<param>..., ans, <the vjp rule's parameters after (g, ans)>), same names,
    # defaults and kinds; a tangent for parameters of the primitive only.
    _, rule = LIBRARY[name]
    if rule.jvp is None or rule.vjp is None:
        pytest.fail(f'{name} lacks a rule (see test_every_jvp_rule)')
    jvp = list(inspect.signature(rule.jvp).parameters.values())
    vjp = list(inspect.signature(rule.vjp).parameters.values())
    split = [p.name for p in jvp].index('ans')
    assert [(p.name, p.default, p.kind) for p in jvp[split + 1:]] == \
        [(p.name, p.default, p.kind) for p in vjp[2:]], name
    primal = {p.name for p in vjp[2:]}
    assert all(p.name[0] == 'd' and p.name[1:] in primal for p in jvp[:split]), name


# ---------------------------------------------------------------- helpers


# Helpers that only other helpers call: no rule puts them into generated code.
INTERNAL_HELPERS = {'reduced_axes', 'transpose_axes', 'contracted_axes'}


@pytest.mark.parametrize('module', [runtime, numpy_helpers, linalg_helpers, sample_helpers],
                         ids=lambda m: m.__name__)
def test_every_helper_of_generated_code_has_rules(module):
    # Without a rule, a second derivative would differentiate the helper's source.
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if fn.__module__ != module.__name__ or name.startswith('_'):
            continue
        rule = TABLE.lookup(fn)
        if name in INTERNAL_HELPERS:
            assert rule is None, f'{name} has rules now: take it out of INTERNAL_HELPERS'
            continue
        assert rule is not None, f'{module.__name__}.{name} has no rule: give it a vjp ' \
                                 f'and a jvp rule, or declare it non-differentiable'
        assert not rule.differentiable or (rule.vjp and rule.jvp), name


# ---------------------------------------------------------------- symbolic zeros


def jvp_rules():
    """{name: jvp rule} of the library, one entry per rule function."""
    out = {}
    for name, (_, rule) in sorted(LIBRARY.items()):
        if rule.jvp is not None:
            out.setdefault(rule.jvp, name)
    return {name: fn for fn, name in out.items()}


def inlined_with_zeros(rule_fn, zeros):
    """The rule inlined with the tangents in `zeros` bound to the ZERO marker, every
    other parameter to a variable of its own name; (statements, result)."""
    params = list(inspect.signature(rule_fn).parameters.values())
    args, kwargs = [], []
    for p in params:
        atom = ZERO if p.name in zeros else ir.Var(p.name)
        if p.kind == p.KEYWORD_ONLY:
            kwargs.append((p.name, atom))
        else:
            args.append(atom)
    return inline.inline(rule_fn, tuple(args), tuple(kwargs), Namer({p.name for p in params}),
                         0, adjoint=False)


# Rules that need real zeros, and why.
NEEDS_REAL_ZEROS = {
    # add_at(dbuffer, index, dg): with dbuffer zero, dg scattered into a zero array
    # of the buffer's shape, which the compiler builds; with dg zero, dbuffer.
    'adjoint.runtime.add_at': 'the tangent of a zero buffer is an array to scatter into',
    # concatenated(dfirst, dsecond): a zero list still has its length
    'adjoint.runtime.concatenated': 'the zero tangent of a list has its length',
}


@pytest.mark.parametrize('name, rule_fn', sorted(jvp_rules().items()))
def test_every_jvp_rule_is_simplified_around_zeros(name, rule_fn):
    assert inline.inlinable(rule_fn, returns_tuple=False), \
        f'the jvp rule of {name} is not straight-line code: it would be called'
    names = list(inspect.signature(rule_fn).parameters)
    tangents = names[:names.index('ans')]
    failing = [zeros for count in range(1, len(tangents))
               for zeros in itertools.combinations(tangents, count)
               if simplify_zeros(*inlined_with_zeros(rule_fn, zeros), TABLE) is None]
    if name in NEEDS_REAL_ZEROS:
        assert failing, f'{name} simplifies now: take it out of NEEDS_REAL_ZEROS'
    else:
        assert not failing, f'the jvp rule of {name} with {", ".join(failing[0])} zero ' \
                            f'reaches an operation not declared linear (linearity.py)'
