"""JAX's API conventions: `has_aux`, `argnums`, keyword arguments of `jvp` and
`vjp`, `jacfwd`/`jacrev`/`linearize`, Jacobians and Hessians by pytrees, and
derivatives of Jacobians, each checked against central differences."""

import numpy as np
import pytest

import adjoint
from tests.test_api_containers import (SEEDS, assert_tree_close, dict_loss, fd_grad, fd_jvp,
                                       leaves, nested_loss, pair_loss, point, rebuild)


# ---------------------------------------------------------------- has_aux


def loss_with_aux(w, x):
    pred = np.tanh(x @ w)
    loss = np.sum(pred ** 2)
    return loss, {'pred': pred, 'note': 'tanh'}


def branch_with_aux(x, c):
    y = x * x
    if c:
        out = (np.sin(y), {'y': y})
    else:
        out = (y * 2.0, {'y': -y})
    return out


def pair_in_list(x):
    result = [np.exp(x), x + 1.0]
    return result


@pytest.mark.parametrize('seed', SEEDS)
def test_grad_has_aux_returns_the_gradient_of_the_first_output_and_aux(seed):
    rng = np.random.default_rng(seed)
    w, x = rng.normal(size=3), rng.normal(size=(4, 3))
    gradient, aux = adjoint.grad(loss_with_aux, has_aux=True)(w, x)
    want = fd_grad(lambda w, x: loss_with_aux(w, x)[0], (w, x), 0)
    np.testing.assert_allclose(gradient, want, rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(aux['pred'], np.tanh(x @ w))
    assert aux['note'] == 'tanh'
    (value, aux2), g2 = adjoint.value_and_grad(loss_with_aux, argnums=(0, 1),
                                               has_aux=True)(w, x)
    assert value == loss_with_aux(w, x)[0]
    np.testing.assert_array_equal(aux2['pred'], aux['pred'])
    np.testing.assert_allclose(g2[1], fd_grad(lambda w, x: loss_with_aux(w, x)[0], (w, x), 1),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize('c', [True, False])
@pytest.mark.parametrize('x', [0.3, -1.2])
def test_has_aux_through_a_branch_and_a_list(x, c):
    gradient, aux = adjoint.grad(branch_with_aux, has_aux=True)(x, c)
    want = fd_grad(lambda x: branch_with_aux(x, c)[0], (x,), 0)
    assert gradient == pytest.approx(want, rel=1e-6)
    assert aux['y'] == pytest.approx(x * x if c else -x * x)
    gradient, aux = adjoint.grad(pair_in_list, has_aux=True)(x)
    assert gradient == pytest.approx(np.exp(x), rel=1e-12)
    assert aux == x + 1.0


def not_a_pair(x):
    return x, x, x


def test_has_aux_needs_a_pair_and_grad_names_it():
    with pytest.raises(adjoint.AdjointError, match=r'has_aux=True needs `not_a_pair` to '
                                                   r'return a pair .* a tuple of 3 items'):
        adjoint.grad(not_a_pair, has_aux=True)(1.0)
    with pytest.raises(adjoint.NonScalarOutputError, match='pass has_aux=True'):
        adjoint.grad(loss_with_aux)(np.ones(3), np.ones((2, 3)))
    source = adjoint.grad(branch_with_aux, has_aux=True).source
    assert "check_aux(out, 'branch_with_aux')" in source
    assert 'check_aux' not in adjoint.grad(loss_with_aux, has_aux=True).source  # a pair here


def test_has_aux_is_part_of_the_cache_key():
    with_aux = adjoint.grad(pair_in_list, has_aux=True)
    assert with_aux is adjoint.grad(pair_in_list, has_aux=True)
    assert with_aux is not adjoint.grad(pair_in_list)
    gradient, aux = with_aux(0.5)
    assert gradient == pytest.approx(np.exp(0.5))
    with pytest.raises(adjoint.AdjointError, match='has_aux=True'):
        adjoint.grad(pair_in_list)(0.5)


# ---------------------------------------------------------------- argnums, holomorphic


def two(x, y):
    return np.sin(x) * y ** 2


def test_argnums_is_wrt():
    assert adjoint.grad(two, argnums=1)(0.5, 2.0) == pytest.approx(4 * np.sin(0.5))
    assert adjoint.grad(two, argnums=(0, 1))(0.5, 2.0) == \
        pytest.approx(adjoint.grad(two, wrt=(0, 1))(0.5, 2.0))
    with pytest.raises(adjoint.AdjointError, match='not both'):
        adjoint.grad(two, wrt=0, argnums=1)
    with pytest.raises(adjoint.AdjointError, match='holomorphic=True: adjoint differentiates '
                                                   'real functions'):
        adjoint.grad(two, holomorphic=True)


# ---------------------------------------------------------------- keyword arguments


def scaled(x, y=2.0, *, scale=1.0):
    return x * x * y * scale


@pytest.mark.parametrize('x', [0.7, -1.5])
def test_jvp_and_vjp_take_keyword_arguments(x):
    out, tangent = adjoint.jvp(scaled, (x,), (1.0,), y=4.0, scale=0.5)
    assert out == scaled(x, 4.0, scale=0.5)
    assert tangent == pytest.approx(fd_jvp(lambda x: scaled(x, 4.0, scale=0.5), (x,), (1.0,)))
    out, pullback = adjoint.vjp(scaled, x, y=4.0)
    assert out == scaled(x, 4.0)
    assert pullback(1.0)[0] == pytest.approx(8 * x)
    out, pullback = adjoint.vjp(scaled, x)  # y's default
    assert pullback(2.0) == pytest.approx((8 * x,))
    with pytest.raises(adjoint.AdjointError, match='given both'):
        adjoint.vjp(scaled, x, x=1.0)
    with pytest.raises(adjoint.AdjointError, match='given both'):
        adjoint.jvp(scaled, (x,), (1.0,), x=1.0)


# ---------------------------------------------------------------- jacfwd, jacrev, linearize


@pytest.mark.parametrize('seed', SEEDS)
def test_jacfwd_jacrev_linearize(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=3), float(rng.normal())
    want = np.diag(np.cos(x) * y ** 2)
    np.testing.assert_allclose(adjoint.jacfwd(two)(x, y), want, rtol=1e-12)
    np.testing.assert_allclose(adjoint.jacrev(two)(x, y), want, rtol=1e-12)
    np.testing.assert_allclose(adjoint.jacrev(two, argnums=1)(x, y), 2 * y * np.sin(x),
                               rtol=1e-12)
    out, f_jvp = adjoint.linearize(two, x, y)
    np.testing.assert_array_equal(out, two(x, y))
    t = rng.normal(size=3)
    np.testing.assert_allclose(f_jvp(t, 0.5), fd_jvp(two, (x, y), (t, 0.5)), rtol=1e-6)
    np.testing.assert_allclose(f_jvp(t, None), want @ t, rtol=1e-12)


# ---------------------------------------------------------------- pytrees


def settings_free(p):
    """`dict_loss`'s point without its setting, which has no derivative."""
    return {k: v for k, v in p.items() if k != 'name'}


PYTREES = [('pair_tuple', pair_loss), ('pair_list', pair_loss), ('nested', nested_loss),
           ('dict', dict_loss)]


@pytest.mark.parametrize('mode', ['auto', 'forward', 'reverse'])
@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('name, fn', PYTREES)
def test_jacobian_by_a_pytree_has_its_structure(name, fn, seed, mode):
    (x,) = point(name, seed)
    x = settings_free(x) if isinstance(x, dict) else x
    got = adjoint.jacobian(fn, mode=mode)(x)
    assert_tree_close(got, fd_grad(fn, (x,), 0), atol=1e-6)


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('name, fn', PYTREES)
def test_hessian_by_a_pytree_is_blocks_of_blocks(name, fn, seed):
    (x,) = point(name, seed)
    x = settings_free(x) if isinstance(x, dict) else x
    hessian = adjoint.hessian(fn)(x)
    gradient = adjoint.grad(fn)
    paths = _paths(x)
    for a in paths:
        for b in paths:
            block = _at(_at(hessian, a), b)
            leaf_a, leaf_b = _at(x, a), _at(x, b)
            assert np.shape(block) == np.shape(leaf_a) + np.shape(leaf_b)
            for index in np.ndindex(np.shape(leaf_b)):
                unit = rebuild(x, iter([np.zeros(np.shape(v)) if p != b else
                                        _unit(np.shape(v), index)
                                        for p, v in zip(paths, leaves(x))]))
                column = _at(fd_jvp(gradient, (x,), (unit,)), a)
                np.testing.assert_allclose(np.asarray(block)[(Ellipsis,) + index], column,
                                           rtol=1e-5, atol=1e-6)


def test_a_jacobian_by_a_setting_is_a_clean_error():
    with pytest.raises(adjoint.AdjointError, match=r"argument 0 of `dict_loss`\['name'\] is "
                                                   r'str, not a number'):
        adjoint.hessian(dict_loss)(point('dict', 0)[0])


def _paths(x, path=()):
    if isinstance(x, dict):
        return [p for k, v in x.items() for p in _paths(v, path + (k,))]
    if isinstance(x, (tuple, list)):
        return [p for k, v in enumerate(x) for p in _paths(v, path + (k,))]
    return [path]


def _at(x, path):
    for key in path:
        x = x[key]
    return x


def _unit(shape, index):
    unit = np.zeros(shape)
    unit[index] = 1.0
    return unit if shape else float(unit)


# ---------------------------------------------------------------- derivatives of Jacobians


def cubic(x, y=2.0):
    return x ** 3 * y


@pytest.mark.parametrize('seed', SEEDS)
def test_jacobian_of_a_jacobian(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=2), float(rng.normal())
    inner = adjoint.jacobian(two)
    got = adjoint.jacobian(inner)(x, y)
    for j in range(2):
        e = np.eye(2)[j]
        np.testing.assert_allclose(got[..., j], fd_jvp(inner, (x, y), (e, None)), rtol=1e-5,
                                   atol=1e-7)
    by_y = adjoint.jacobian(adjoint.jacobian(two, wrt=0), wrt=1)(x, y)
    np.testing.assert_allclose(by_y, fd_jvp(inner, (x, y), (None, 1.0)), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize('x', [0.5, -1.3])
def test_grad_of_a_jacobian_of_one_number(x):
    assert adjoint.grad(adjoint.jacobian(cubic))(x) == pytest.approx(12 * x, rel=1e-12)
    value, gradients = adjoint.value_and_grad(adjoint.jacobian(cubic), wrt=(0, 1))(x, 2.0)
    assert value == pytest.approx(6 * x * x)
    assert gradients == pytest.approx((12 * x, 3 * x * x))


def test_derivatives_adjoint_cannot_take_of_its_objects_are_clean_errors():
    with pytest.raises(adjoint.AdjointError, match='not twice'):
        adjoint.jacobian(adjoint.jacobian(adjoint.jacobian(cubic)))(1.0)
    with pytest.raises(adjoint.AdjointError, match='made by adjoint from a loop of derivatives'):
        adjoint.grad(adjoint.hessian(cubic))(1.0)
    with pytest.raises(adjoint.AdjointError, match='made by adjoint from a loop of derivatives'):
        adjoint.jvp(adjoint.hessian(cubic), (1.0,), (1.0,))
    with pytest.raises(adjoint.AdjointError, match='not generated code'):
        adjoint.jacobian(adjoint.hessian(cubic))(1.0)
    # A third derivative the way the error says:
    assert adjoint.jacobian(adjoint.jacobian(adjoint.grad(cubic)))(0.7) == pytest.approx(12.0)
