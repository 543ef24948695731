"""Code specialized to which dimensions of the array arguments are equal
(transforms/analysis/shapes.py, adjoint/dispatch.py): the shapes it knows, the work it
leaves out, and that a version is never run on arguments without its equalities.
"""

import numpy as np
import pytest

import adjoint
from adjoint import dispatch
from adjoint.rules import TABLE
from adjoint.testing import check_grads
from transforms import pipeline
from transforms.analysis.kinds import infer_kinds
from transforms.analysis.shapes import same_shape, shape_classes


def rng(seed):
    return np.random.default_rng(seed)


def test_dims_name_equal_sizes_alike_across_arguments():
    X, w, y = np.ones((5, 3)), np.ones(3), np.ones(5)
    assert dispatch.dims_of((X, w, y, 2.0)) == (('n0', 'n1'), ('n1',), ('n0',), None)
    assert dispatch.dims_checks(dispatch.dims_of((X, w, y))) == [
        'len(a1) == a0.shape[1]', 'len(a2) == len(a0)']
    # Only float arrays of one or more dimensions have dims (as they have kinds).
    assert dispatch.dims_of((np.ones(3, dtype=int), np.array(2.0), [1.0])) == (None,) * 3


def test_shape_classes_from_the_dimensions_of_the_parameters():
    def shaped(X, w, y, b):
        p = X @ w  # y's shape
        q = w @ X.T  # y's
        r = X.T @ y  # w's
        s = np.dot(X, w)  # y's
        t = np.sum(X, axis=0)  # w's
        u = X - np.max(X, axis=1, keepdims=True)  # X's
        v = X + b  # X's: b is a row
        z = X[0]  # w's: a row of X
        e = np.tanh(2.0 * p) - y  # y's
        bad = X @ y  # the inner dimensions are not known equal: unknown
        m = X * y  # (n0, n1) * (n0,): unknown (it raises unless n0 == n1)
        return p, q, r, s, t, u, v, z, e, bad, m

    primal, _ = pipeline.primal_ir(shaped)
    param_kinds = {'X': 'matrix', 'w': 'vector', 'y': 'vector', 'b': 'vector'}
    kinds = infer_kinds(primal, param_kinds, TABLE)
    dims = {'X': ('n0', 'n1'), 'w': ('n1',), 'y': ('n0',), 'b': ('n1',)}
    classes = shape_classes(primal, kinds, TABLE, dims)
    for name in ('p', 'q', 's', 'e'):
        assert same_shape(classes, name, 'y'), name
    for name in ('r', 't', 'z'):
        assert same_shape(classes, name, 'w'), name
    assert same_shape(classes, 'u', 'X') and same_shape(classes, 'v', 'X')
    for name in ('bad', 'm'):
        assert not any(same_shape(classes, name, other) for other in dims), name
    # Without the dimensions, p and y are not known to share a shape.
    assert not same_shape(shape_classes(primal, kinds, TABLE), 'p', 'y')


def logistic(w, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def test_the_gradient_leaves_out_what_only_told_a_shape():
    w, X = rng(0).normal(size=3), rng(1).normal(size=(6, 3))
    y = (rng(2).uniform(size=6) > 0.5).astype(float)
    g = adjoint.grad(logistic)
    check_grads(logistic, (w, X, y), wrt=(0,))
    g(w, X, y)
    assert 'unbroadcast' not in g.source and 'spread' not in g.source
    code = [line for line in g.source.splitlines() if not line.strip().startswith('#')]
    assert not any('np.log' in line for line in code)  # the loss itself is not needed
    np.testing.assert_allclose(g(w, X, y), X.T @ (1 / (1 + np.exp(-X @ w)) - y) / 6,
                               rtol=1e-12)


def weighted(X, w, v):
    return np.sum(np.tanh(X @ w) * v)


@pytest.mark.parametrize('order', [1, 2])
def test_a_version_runs_only_on_arguments_with_its_equalities(order):
    # Square X first: the code then knows X @ w to have v's shape, and w's too.
    # Each later call breaks an equality; v of one element broadcasts.
    cases = [((3, 3), 3, 3), ((2, 3), 3, 2), ((2, 3), 3, 1), ((4, 4), 4, 1),
             ((3, 3), 3, 3), ((1, 3), 3, 1)]
    for seed, (shape, n, m) in enumerate(cases):
        X, w, v = rng(seed).normal(size=shape), rng(seed + 10).normal(size=n), \
            rng(seed + 20).normal(size=m)
        check_grads(weighted, (X, w, v), order=order)
    g = adjoint.grad(weighted, wrt=(0, 1, 2))
    X, w, v = rng(0).normal(size=(3, 3)), rng(1).normal(size=3), rng(2).normal(size=3)
    for args in [(X, w, v), (X[:2], w, v[:2]), (X[:2], w, v[:1]), (X, w, v[:1]), (X, w, v)]:
        for got, expected in zip(g(*args), weighted_grad(*args)):
            np.testing.assert_allclose(got, expected, rtol=1e-12)


def weighted_grad(X, w, v):
    """By hand: t = tanh(X @ w); d/dv sums t to v's shape."""
    t = np.tanh(X @ w)
    u = (1.0 - t * t) * v
    return np.outer(u, w), X.T @ u, t if len(v) == len(t) else np.sum(t, keepdims=True)


def test_equal_dimensions_by_coincidence_get_a_version_of_their_own():
    adjoint.cache.clear()
    g = adjoint.grad(weighted, wrt=(0, 1, 2))
    square, w = rng(7).normal(size=(3, 3)), rng(4).normal(size=3)

    def ran(dims):
        (version,) = [entry[2] for (_, d), entry in g._inline.items() if d == dims]
        return g._last is version

    g(square, w, rng(8).normal(size=3))
    g(square, w, rng(5).normal(size=3))  # the same pattern: the same version
    assert len(g._inline) == 1 and ran((('n0', 'n0'), ('n0',), ('n0',)))
    g(rng(3).normal(size=(4, 3)), w, rng(6).normal(size=4))  # not square
    assert len(g._inline) == 2 and ran((('n0', 'n1'), ('n1',), ('n0',)))
    g(square, w, rng(9).normal(size=3))  # the version with more equalities comes first
    assert len(g._inline) == 2 and ran((('n0', 'n0'), ('n0',), ('n0',)))
    g(rng(3).normal(size=(4, 3)), w, rng(6).normal(size=1))  # v broadcasts
    assert len(g._inline) == 3 and 'unbroadcast(' in g.source


def test_forward_mode_is_specialized_too():
    def scaled(s, X, w):
        return np.sum(np.exp(s * (X @ w)) * w[0])

    X, w = rng(11).normal(size=(5, 2)), rng(12).normal(size=2)
    d = adjoint.derivative(scaled)
    for s in (0.3, -0.2):
        check_grads(scaled, (s, X, w), wrt=(0,))
        h = 1e-6
        np.testing.assert_allclose(d(s, X, w), (scaled(s + h, X, w) - scaled(s - h, X, w))
                                   / (2 * h), rtol=1e-6)


def matrix_vector(X, w):
    return np.sum(np.sin(X @ w))


def vector_matrix(w, X):
    return np.sum(np.sin(w @ X))


def inner(v, w):
    return np.sin(v @ w) + np.cos(np.dot(v, w))


def dot_matrices(X, Y):
    return np.sum(np.tanh(np.dot(X, Y)))


def dot_matrix_vector(X, w):
    return np.sum(np.tanh(np.dot(X, w)) * np.dot(w, X.T))


@pytest.mark.parametrize('fn, shapes', [
    (matrix_vector, [(4, 3), (3,)]), (vector_matrix, [(4,), (4, 3)]),
    (inner, [(3,), (3,)]), (dot_matrices, [(2, 3), (3, 4)]),
    (dot_matrix_vector, [(3, 3), (3,)])], ids=lambda v: getattr(v, '__name__', ''))
@pytest.mark.parametrize('seed', [0, 1])
def test_products_of_vectors_and_matrices_by_their_kinds(fn, shapes, seed):
    # The vjp templates for these kinds (`x.T @ g`, `np.outer(g, y)`, ...), first
    # and second order, both modes.
    args = tuple(rng(seed + k).normal(size=shape) for k, shape in enumerate(shapes))
    check_grads(fn, args, order=2)
