"""NumPy rules where random points say too little: kinks and ties, zeros of a
product, list arguments and list results, the patterns people write (logsumexp,
cross-entropy, a dense layer), known exact values, and the errors of what is not
supported. The registry sweep (test_rules.py) checks every rule at random points.
"""

import math
import re
import warnings

import numpy as np
import pytest

import adjoint
from adjoint.rules import linalg_helpers, numpy_helpers
from adjoint.testing import check_grads
from tests import rules_cases as cases


def rng(seed):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- kinks and ties


def test_relu_has_derivative_zero_at_zero():
    x = np.array([-1.5, 0.0, 2.0, 0.0, 0.3])
    np.testing.assert_array_equal(adjoint.grad(cases.relu_total)(x), [0, 0, 1, 0, 1])
    assert [adjoint.grad(cases.relu)(v) for v in (-1.0, 0.0, 1.0)] == [0.0, 0.0, 1.0]
    np.testing.assert_array_equal(adjoint.grad(cases.min_with_zero_total)(x),
                                  [1, 0, 0, 0, 0])


def test_maximum_of_a_value_and_itself_has_derivative_one():
    # A tie between two differentiated inputs splits the cotangent (DESIGN.md).
    x = np.array([-1.0, 0.0, 2.5])
    np.testing.assert_array_equal(adjoint.grad(cases.maximum_with_itself)(x), np.ones(3))
    np.testing.assert_array_equal(adjoint.grad(cases.minimum_with_itself)(x), 2 * np.ones(3))


def tied_maximum(x, y):
    return np.sum(np.maximum(x, y) + 3.0 * np.minimum(x, y))


def test_a_tie_between_two_differentiated_inputs_splits_evenly_in_both_modes():
    x, y = np.array([1.0, 2.0, -0.5]), np.array([1.0, 0.5, -0.5])  # ties at 0 and 2
    gx, gy = adjoint.grad(tied_maximum, wrt=(0, 1))(x, y)
    np.testing.assert_array_equal(gx, [2.0, 1.0, 2.0])  # 0.5 + 3 * 0.5 at a tie
    np.testing.assert_array_equal(gy, [2.0, 3.0, 2.0])
    # Only x differentiated: at a tie y is a constant, as relu's 0 is: x gets 0.
    np.testing.assert_array_equal(adjoint.grad(tied_maximum)(x, y), [0.0, 1.0, 0.0])
    for tangents in [(np.ones(3), None), (None, np.ones(3)), (np.ones(3), np.ones(3))]:
        _, tangent = adjoint.jvp(tied_maximum, (x, y), tangents)
        pairs = [(g, t) for g, t in zip((gx, gy), tangents) if t is not None]
        expected = sum(np.sum(g * t) for g, t in pairs) if len(pairs) == 2 else \
            np.sum(adjoint.grad(tied_maximum, wrt=1 if tangents[0] is None else 0)(x, y))
        assert tangent == pytest.approx(expected)


def test_clip_passes_the_cotangent_strictly_inside_its_bounds():
    x = np.array([-1.0, -0.5, 0.0, 0.7, 1.0])
    gx, glow, ghigh = adjoint.grad(cases.clipped, wrt=(0, 1, 2))(x, -0.5, 0.7)
    np.testing.assert_array_equal(gx, [0, 0, 1, 0, 0])  # 0 at the bounds
    assert (glow, ghigh) == (1.0, 1.0)  # x[0] is below, x[4] above
    for seed in range(2):
        check_grads(cases.clipped, (rng(seed).normal(size=6), -0.5, 0.7))


def test_tied_maxima_share_the_cotangent():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])
    w = np.array([2.0, -1.0])
    np.testing.assert_array_equal(adjoint.grad(cases.row_max_total)(x, w),
                                  [[0, 1, 1], [-0.5, 0, -0.5]])
    np.testing.assert_array_equal(adjoint.grad(cases.whole_max)(x), [[0, .5, .5], [0, 0, 0]])
    np.testing.assert_array_equal(adjoint.grad(cases.column_min_total)(x),
                                  [[1, 0, 0], [0, 1, 1]])


def test_a_row_without_a_maximum_does_not_hide_a_tie_in_another():
    # share_of_extremum skips counting ties when there is one hit per row; a NaN
    # row has none, and the tie below it two: the total is one per row.
    x = np.array([[np.nan, 1.0, 0.0], [2.0, 2.0, 0.0], [0.0, 1.0, 3.0]])
    with np.errstate(invalid='ignore'):
        g = adjoint.grad(cases.row_max_total)(x, np.array([1.0, 2.0, 3.0]))
    assert np.isnan(g[0]).all()
    np.testing.assert_array_equal(g[1:], [[1, 1, 0], [0, 0, 3]])


def test_products_with_zeros():
    df = adjoint.grad(cases.product)
    np.testing.assert_array_equal(df(np.array([2.0, 0.0, 3.0])), [0, 6, 0])
    np.testing.assert_array_equal(df(np.array([0.0, 2.0, 0.0])), [0, 0, 0])
    np.testing.assert_array_equal(adjoint.grad(cases.column_products)(
        np.array([[0.0, 2.0], [3.0, 4.0]])), [[3, 4], [0, 2]])
    check_grads(cases.column_products, (rng(1).normal(size=(3, 2)),))


# ---------------------------------------------------------------- patterns


def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def test_logsumexp_written_with_the_max_trick():
    for seed in range(3):
        x, w = rng(seed).normal(size=(4, 5)), rng(seed + 10).normal(size=4)
        got = adjoint.grad(cases.logsumexp_rows)(x, w)
        np.testing.assert_allclose(got, w[:, None] * softmax(x), rtol=1e-12, atol=1e-15)
        check_grads(cases.logsumexp_rows, (x, w))
    big = np.array([[1000.0, 1001.0], [-1000.0, -1000.0]])  # no overflow
    np.testing.assert_allclose(adjoint.grad(cases.logsumexp_rows)(big, np.ones(2)),
                               softmax(big), rtol=1e-12)


def test_reductions_kept_as_dimensions_broadcast_against_their_argument():
    # x - max(x, keepdims) has x's shape: its cotangent needs no unbroadcast; the
    # reductions' own cotangents do, and so do both sides of rows - columns.
    df = adjoint.grad(cases.centered_both_ways)
    for shape in ((4, 3), (1, 3), (4, 1)):
        x, w = rng(len(shape)).normal(size=shape), rng(7).normal(size=shape)
        check_grads(cases.centered_both_ways, (x, w), wrt=(0,))
        assert df(x, w).shape == shape
    calls = re.findall(r'unbroadcast\((\w+), (\w+)\)', df.source)
    assert ('x' not in {shaped for _, shaped in calls}), df.source
    # One for each reduction in a and b and both sides of c; the code that ran is
    # specialized to `w` having `x`'s shape, so the two `* w` need none.
    assert len(calls) == 4, df.source


def test_cross_entropy_with_the_max_stopped_is_softmax_minus_onehot():
    # The max's adjoint is left out, and `logits - m` needs no unbroadcast.
    df = adjoint.grad(cases.cross_entropy_stopped_max)
    for seed in range(2):
        logits, labels = rng(seed).normal(size=(5, 4)), rng(seed).integers(0, 4, 5)
        onehot = np.eye(4)[labels]
        np.testing.assert_allclose(df(logits, onehot), (softmax(logits) - onehot) / 5,
                                   rtol=1e-12, atol=1e-15)
        check_grads(cases.cross_entropy_stopped_max, (logits, onehot), wrt=(0,))
    assert 'share_of_extremum' not in df.source
    assert not re.search(r'unbroadcast\(\w+, logits\)', df.source), df.source


@pytest.mark.parametrize('seed', [80, 81])
def test_cotangents_of_reductions_over_axes_broadcast_back(seed):
    x, w = rng(seed).normal(size=(3, 4)), rng(seed + 1).normal(size=(1, 4))
    check_grads(cases.kept_reductions, (x, w))
    check_grads(cases.kept_in_a_loop, (x, 3), wrt=(0,))
    check_grads(cases.kept_reductions, (rng(seed).normal(size=(1, 4)), w))  # rows of 1
    df = adjoint.grad(cases.kept_reductions)
    df(x, w)
    assert 'keep_dims(' in df.source and 'unreduce(' not in df.source, df.source


def test_cross_entropy_with_integer_labels():
    logits, labels = rng(3).normal(size=(6, 4)), np.array([0, 3, 3, 1, 2, 0])
    got = adjoint.grad(cases.cross_entropy)(logits, labels)
    expected = (softmax(logits) - np.eye(4)[labels]) / 6
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
    check_grads(cases.cross_entropy, (logits, labels), wrt=(0,))


def test_dense_layer_gradient_and_its_source():
    x, W, b = rng(4).normal(size=(5, 3)), rng(5).normal(size=(3, 2)), rng(6).normal(size=2)
    derivative = adjoint.grad(cases.dense_layer, wrt=(1, 2))
    check_grads(cases.dense_layer, (x, W, b), wrt=(1, 2))
    source = derivative.source
    # What a person writes: W's cotangent is x.T @ (...); the column sum's cotangent
    # is a row that broadcasts through tanh's rule, never repeated to a matrix.
    assert re.search(r'\n    (\w+) = x\.T\n    bW = \1 @ \w+\n', source), source
    assert re.search(r'\n    (\w+) = keep_dims\(\w+, \w+, 0\)\n', source), source
    assert 'unreduce' not in source and 'spread' not in source
    assert 'zeros_like' not in source and 'np.full' not in source


def test_gather_with_repeated_integer_indices():
    x, idx = np.array([1.0, -2.0, 3.0]), np.array([0, 2, 2, 0, 0])
    np.testing.assert_array_equal(adjoint.grad(cases.gather_squares)(x, idx), [6, 0, 12])


# ---------------------------------------------------------------- lists in and out


def test_split_into_pieces_some_unused():
    x = np.arange(6.0)
    np.testing.assert_array_equal(adjoint.grad(cases.split_unpacked)(x), [2, 2, 0, 0, 8, 10])
    check_grads(cases.split_unpacked, (rng(7).normal(size=6),))


def test_split_pieces_in_a_loop():
    check_grads(cases.split_in_a_loop, (rng(8).normal(size=(3, 4)),))


def test_concatenate_a_list_of_arguments():
    a, b = rng(9).normal(size=3), rng(10).normal(size=2)
    ga, gb = adjoint.grad(cases.joined, wrt=(0, 1))(a, b)
    np.testing.assert_allclose(ga, 2 * a, rtol=1e-15)
    np.testing.assert_allclose(gb, 8 * b, rtol=1e-15)


def test_array_of_python_floats():
    ga, gb = adjoint.grad(cases.array_of_scalars, wrt=(0, 1))(1.5, -2.0)
    assert isinstance(ga, float) and isinstance(gb, float)
    assert (ga, gb) == (1.0 + 3 * -2.0, 2.0 + 3 * 1.5)


def test_a_whole_array_sum_is_a_float_scalar():
    # np.sum(x) of a float array has kind 'float': no unbroadcast for `a * np.sum(x)`.
    df = adjoint.grad(cases.scaled_total, wrt=(0, 1))
    x = rng(11).normal(size=(2, 3))
    gx, ga = df(x, 1.5)
    np.testing.assert_array_equal(gx, np.full((2, 3), 1.5))
    assert isinstance(ga, float) and ga == pytest.approx(np.sum(x))
    assert 'unbroadcast' not in df.source


# ---------------------------------------------------------------- known values


def test_variance_with_ddof():
    x = rng(12).normal(size=(4, 3))
    expected = 2 * (x - x.mean(axis=0)) / 3
    np.testing.assert_allclose(adjoint.grad(cases.variance)(x), expected, rtol=1e-12)


def test_determinant_inverse_trace_and_norm():
    a = rng(13).normal(size=(3, 3)) + 3 * np.eye(3)
    inv = np.linalg.inv(a)
    expected = np.linalg.det(a) * inv.T - (inv @ inv).T + a / np.linalg.norm(a)
    np.testing.assert_allclose(adjoint.grad(cases.matrix_functions)(a), expected,
                               rtol=1e-10)
    check_grads(cases.matrix_functions, (a,))


def test_solve():
    a, b = rng(14).normal(size=(3, 3)) + 3 * np.eye(3), rng(15).normal(size=3)
    x = np.linalg.solve(a, b)
    ga, gb = adjoint.grad(cases.solved, wrt=(0, 1))(a, b)
    gb_expected = np.linalg.solve(a.T, 2 * x)
    np.testing.assert_allclose(gb, gb_expected, rtol=1e-12)
    np.testing.assert_allclose(ga, -np.outer(gb_expected, x), rtol=1e-12)


def test_norm_at_zero_has_cotangent_zero():
    np.testing.assert_array_equal(adjoint.grad(cases.vector_norm)(np.zeros(3)), np.zeros(3))
    np.testing.assert_allclose(adjoint.grad(cases.vector_norm)(np.array([3.0, 4.0])),
                               [0.6, 0.8], rtol=1e-15)


# ---------------------------------------------------------------- what is not supported


def test_unsupported_norm_order_names_itself():
    with pytest.raises(adjoint.AdjointError, match=r'ord=0'):
        adjoint.grad(cases.count_norm)(np.array([1.0, -3.0]))


def test_a_function_without_a_rule_is_named():
    with pytest.raises(adjoint.UnknownCallableError, match=r'np\.fft\.rfft'):
        adjoint.grad(cases.spectrum_total)(np.array([3.0, 1.0, 2.0]))


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize('axis, keepdims, shape', [
    (None, False, ()), (None, True, (1, 1, 1)), (0, False, (3, 4)), (-1, True, (2, 3, 1)),
    ((0, 2), False, (3,)), ((2, -3), True, (1, 3, 1))])
def test_unreduce_undoes_sum(axis, keepdims, shape):
    x = rng(16).normal(size=(2, 3, 4))
    g = rng(17).normal(size=shape)
    out = numpy_helpers.unreduce(g, x, axis, keepdims)
    assert out.shape == x.shape
    # <g, sum(x)> = <unreduce(g), x>: unreduce is the transpose of sum.
    assert np.sum(g * np.sum(x, axis=axis, keepdims=keepdims)) == \
        pytest.approx(np.sum(out * x), rel=1e-12)
    assert numpy_helpers.reduced_size(x, axis) == x.size // max(np.size(g), 1)


def test_unreduce_of_a_python_float_is_a_float():
    assert numpy_helpers.unreduce(2.0, 3.0) == 2.0
    assert isinstance(numpy_helpers.unreduce(np.float64(2.0), 3), float)


def test_prod_of_others_matches_division_without_zeros():
    x = rng(18).uniform(0.5, 2.0, size=(2, 3, 4))
    for axis in (None, 1, (0, 2)):
        expected = np.prod(x, axis=axis, keepdims=True) / x
        np.testing.assert_allclose(numpy_helpers.prod_of_others(x, axis), expected,
                                   rtol=1e-12)


@pytest.mark.parametrize('subscripts, shapes', [
    ('ij,jk->ik', [(2, 3), (3, 4)]), ('ii->', [(3, 3)]), ('ij->', [(2, 3)]),
    ('iij,k', [(3, 3, 2), (4,)]), ('ij,j,k->ik', [(2, 3), (3,), (4,)])])
def test_einsum_grad_is_the_transpose_of_einsum(subscripts, shapes):
    # <g, einsum(..., x_k, ...)> = <einsum_grad(g, k), x_k> for every operand k.
    operands = [rng(19 + k).normal(size=s) for k, s in enumerate(shapes)]
    out = np.einsum(subscripts, *operands)
    g = rng(30).normal(size=np.shape(out))
    for k in range(len(operands)):
        others = operands[:k] + operands[k + 1:]
        gk = linalg_helpers.einsum_grad(g, linalg_helpers.moved_first(subscripts, k),
                                        operands[k], *others, None)
        assert gk.shape == operands[k].shape
        assert np.sum(g * out) == pytest.approx(np.sum(gk * operands[k]), rel=1e-12)


# ---------------------------------------------------------------- second derivatives


@pytest.mark.parametrize('fn', [
    cases.second_sum, cases.second_mean_keepdims, cases.second_max, cases.second_matmul,
    cases.second_dot_and_transpose, cases.second_shapes, cases.second_split,
    cases.second_broadcast, cases.second_matrices, cases.second_deviations,
    cases.second_selection, cases.second_prod, cases.second_einsum, cases.second_norm,
    cases.second_solve], ids=lambda fn: fn.__name__)
def test_second_derivatives_through_the_helpers(fn):
    # grad(grad(f)) differentiates generated code, which calls the rules' helpers,
    # and so does derivative(grad(f)), in forward mode (forward over forward is
    # checked for every rule in test_jvp_rules.py).
    first = adjoint.grad(fn)
    for a in (0.7, -1.3):
        eps = 1e-6
        expected = (first(a + eps) - first(a - eps)) / (2 * eps)
        for second in (adjoint.grad(first), adjoint.derivative(first)):
            assert second(a) == pytest.approx(expected, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize('fn', [cases.second_prod, cases.second_einsum],
                         ids=lambda fn: fn.__name__)
def test_third_derivatives_through_the_helpers(fn):
    # The helpers' rules are written with the helpers, so any order works: the
    # derivatives of prod_of_others add directions, einsum_grad moves operands.
    second = adjoint.grad(adjoint.grad(fn))
    expected = (second(0.7 + 1e-5) - second(0.7 - 1e-5)) / 2e-5
    for third in (adjoint.grad(second), adjoint.derivative(adjoint.derivative(
            adjoint.derivative(fn)))):
        assert third(0.7) == pytest.approx(expected, rel=1e-4, abs=1e-5)


def test_gradient_of_an_assigned_row_and_its_second_derivative():
    """The adjoint of `y[0] = v` reads by[0], a view of a row when y is 2-d, before
    clearing it (it reads a copy); grad(grad(f)) goes through `bx[0] += ...`."""
    x = np.array([[0.5, -1.0, 2.0], [0.3, 0.2, 0.1]])
    check_grads(cases.row_assigned, (x,), modes=('fwd', 'rev'))
    v = rng(61).normal(size=x.shape)
    gradient = adjoint.grad(cases.row_assigned)
    expected = (gradient(x + 1e-6 * v) - gradient(x - 1e-6 * v)) / 2e-6
    np.testing.assert_allclose(adjoint.hvp(cases.row_assigned)(x, v), expected, rtol=1e-6,
                               atol=1e-6)


# ---------------------------------------------------------------- generic code


@pytest.mark.parametrize('fn, args', [
    (cases.dense_layer, (rng(40).normal(size=(5, 3)), rng(41).normal(size=(3, 2)),
                         rng(42).normal(size=2))),
    (cases.logsumexp_rows, (rng(43).normal(size=(4, 5)), rng(44).normal(size=4))),
    (cases.cross_entropy, (rng(45).normal(size=(3, 4)), np.array([1, 0, 3]))),
    (cases.split_unpacked, (rng(46).normal(size=6),)),
    (cases.variance, (rng(47).normal(size=(4, 3)),)),
    (cases.matrix_functions, (rng(48).normal(size=(3, 3)) + 3 * np.eye(3),)),
    (cases.joined, (rng(49).normal(size=3), rng(50).normal(size=2))),
    (cases.array_of_scalars, (1.5, -2.0)),
    (cases.column_products, (rng(51).normal(size=(3, 2)),)),
    (cases.clipped, (rng(52).normal(size=5), -0.5, 0.7)),
], ids=lambda value: getattr(value, '__name__', ''))
def test_generic_code_agrees_with_specialized_code(fn, args):
    # With no argument kinds known, rules run without the shortcuts kinds allow.
    wrt = tuple(k for k, a in enumerate(args) if np.asarray(a).dtype.kind == 'f')
    generic, _, _ = adjoint.api.specialize(fn, wrt, kinds={})
    expected = adjoint.grad(fn, wrt=wrt)(*args)
    for got, want in zip(generic(*args), expected):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


def test_isinstance_of_an_array_class():
    # `np.ndarray` is a class with `dtype` and `ndim` attributes, not an array.
    np.testing.assert_array_equal(adjoint.grad(cases.array_or_scalar)(np.ones(2)), [2, 2])
    assert adjoint.grad(cases.array_or_scalar)(3.0) == 6.0


# ---------------------------------------------------------------- uniform cotangents
# (transforms/ad/reverse/reverse_uniform.py: the cotangent of a sum stays one number while
# only elementwise operations of one shape scale it; spread where shape matters)


def sum_of_broadcast(x, y):
    return np.sum(x + y)


def mean_of_broadcast(x, y):
    return np.mean(x * 2.0 - y)


def sum_plus_scalar(x, c):
    return np.sum(3.0 * (x + c)) + np.mean(c * x)


def sum_of_sum(x):
    return np.sum(np.sum(x ** 2, axis=1) * 3.0) + np.mean(np.mean(x, axis=0) - 1.0)


def sum_of_a_slice(x):
    return np.sum(x[1:] * 2.0) + np.sum((x[1:] - x[:-1]) ** 2)


def sum_of_a_square(x):
    return np.sum(-(x * x)) + np.sum(np.tanh(x) / 4.0)


def sum_in_a_branch(x, c):
    if c > 0.0:
        y = x * c
    else:
        y = x - c
    return np.sum(y)


def sum_in_a_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.sum(x * i) + np.mean(x - s)
    return s


def item_and_sum(x):
    a = x * 2.0
    return a[0] + np.sum(a)


UNIFORM_CASES = [
    (sum_of_broadcast, [(np.arange(3.0), np.ones((2, 3))), (np.ones((2, 3)), np.arange(3.0)),
                        (np.arange(3.0), 1.5), (np.ones((2, 1)), np.arange(3.0))]),
    (mean_of_broadcast, [(np.arange(3.0), np.ones((2, 3))), (np.ones((2, 1)), np.ones(3))]),
    (sum_plus_scalar, [(np.arange(3.0), 1.5), (np.linspace(0, 1, 4), -0.5)]),
    (sum_of_broadcast, [(np.zeros(0), 2.0), (np.zeros((0, 3)), np.ones(3))]),
    (sum_of_sum, [(np.arange(6.0).reshape(2, 3),), (np.ones((1, 4)),)]),
    (sum_of_a_slice, [(np.linspace(-1, 2, 5),), (np.array([0.5]),), (np.zeros(0),)]),
    (sum_of_a_square, [(np.linspace(-1, 2, 5),), (np.ones((2, 2)),)]),
    (sum_in_a_branch, [(np.arange(3.0), 1.5), (np.arange(3.0), -0.5)]),
    (item_and_sum, [(np.arange(3.0),), (np.ones(1),)]),
]


@pytest.mark.parametrize('fn, points', UNIFORM_CASES)
def test_uniform_cotangents_against_finite_differences(fn, points):
    for args in points:
        check_grads(fn, args, wrt=tuple(k for k, a in enumerate(args)
                                        if isinstance(a, (float, np.ndarray))))


@pytest.mark.parametrize('n', [0, 1, 3])
def test_uniform_cotangents_in_a_loop(n):
    x = np.linspace(-1.0, 1.0, 4)
    got = check_grads(sum_in_a_loop, (x, n), wrt=(0,))
    if n == 0:
        assert np.all(got[0] == 0.0)


def test_a_uniform_cotangent_spread_to_a_scalar_sums():
    # sum(3 (x + c)) by c is 3 len(x): the number stands for len(x) elements.
    grad_c = adjoint.grad(sum_plus_scalar, wrt=1)
    x = np.arange(4.0)
    assert grad_c(x, 1.5) == pytest.approx(3.0 * 4 + np.mean(x))


def test_the_cotangent_of_a_sum_is_never_an_array_of_copies():
    def rosenbrock(x):
        return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    df = adjoint.grad(rosenbrock)
    x = np.linspace(-1.5, 1.5, 7)
    check_grads(rosenbrock, (x,))
    df(x)
    code = '\n'.join(line for line in df.source.splitlines() if '#' not in line)
    for helper in ('unreduce', 'spread', 'unbroadcast', 'np.sum'):
        assert helper not in code, helper
    assert '200.0 * ' in code  # 2 * 100.0 * 1.0, folded
    df = adjoint.grad(sum_of_a_square)
    df(x)
    assert 'unreduce' not in df.source and 'spread' not in df.source


def uniform_of_a_scalar(a):
    x = np.ones(4) * a
    return np.sum(np.sin(x) * 2.0 + a)


def test_uniform_cotangents_of_second_derivatives():
    first = adjoint.grad(uniform_of_a_scalar)
    second = adjoint.grad(first)
    for a in (0.7, -1.3):
        eps = 1e-6
        expected = (first(a + eps) - first(a - eps)) / (2 * eps)
        assert second(a) == pytest.approx(expected, rel=1e-5, abs=1e-6)
    assert 'spread' in first.source


def scalar_into_a_row(x, v):
    y = x * 1.0
    y[0] = v
    return np.sum(y * y * np.arange(3.0))


def test_assigning_a_row_or_a_scalar_broadcast_into_it():
    """The cotangent of `v` in `y[0] = v` is read before by[0] is cleared: a row of a
    2-d buffer is a view, so it must be a copy; a scalar spread over a row gets the
    row's sum."""
    x = rng(60).normal(size=(2, 3))
    check_grads(cases.row_assigned, (x,), modes=('fwd', 'rev'))
    check_grads(scalar_into_a_row, (x, 0.7), modes=('fwd', 'rev'))


def slice_assigned(x):
    y = x * 1.0
    y[1:] = y[1:] * 2.0
    y[0] = y[0] * 3.0
    return np.sum(y * y)


def test_assigning_a_slice_of_a_vector():
    """A slice of a vector is a view too (and an int index a number): the adjoint of
    `y[1:] = v` must read a copy before clearing by[1:]."""
    check_grads(slice_assigned, (rng(62).normal(size=4),))
    gradient = adjoint.grad(slice_assigned)
    x, v = rng(63).normal(size=4), rng(64).normal(size=4)
    expected = (gradient(x + 1e-6 * v) - gradient(x - 1e-6 * v)) / 2e-6
    np.testing.assert_allclose(adjoint.grad(lambda x: np.sum(gradient(x) * v))(x), expected,
                               rtol=1e-6)


def every_kind_of_read(x, i):
    mask = x[0] > 0.0
    picked = np.array([2, 0, 2])
    return (x[i, 1] * x[-1, -1] + np.sum(x[:, 0] ** 2) + np.sum(x[1:, ::2] * 3.0)
            + np.sum(x[0][mask] ** 3) + np.sum(np.sin(x[1, picked])) + np.sum(x[..., 1]))


def reads_in_a_loop(x):
    s = 0.0
    for k in range(x.shape[0]):
        s = s + x[k, k] * x[k, -1] + np.sum(x[k] * x[-k - 1])
    return s


@pytest.mark.parametrize('seed', [70, 71])
def test_indexing_reads_of_every_kind(seed):
    """Items, negative indices, slices with steps, columns, Ellipsis, a boolean mask
    and an integer array with a repeated index, in both modes; and reads in a
    loop, which add into one buffer."""
    x = rng(seed).normal(size=(3, 3))
    check_grads(every_kind_of_read, (x, 1), wrt=(0,))
    check_grads(reads_in_a_loop, (x,))
    source = adjoint.grad(reads_in_a_loop).source
    assert 'zeros_like(x)' in source and source.count('zeros_like') == 1


def slices_and_items(x, n):
    s = 0.0
    for i in range(n):
        s = s + x[i] * x[i + 1]  # two reads in a loop
    return s + np.sum(x[1:] * x[:-1]) + x[0]  # three outside, adjoint first


def items_then_loop(x, n):
    s = x[0] * x[-1]
    for i in range(n):
        s = s + x[i] * x[i + 1]  # the adjoint of the loop comes first
    return s


@pytest.mark.parametrize('seed', [72, 73])
def test_the_first_cotangent_written_into_a_zero_buffer_is_assigned(seed):
    """Right after `bx = zeros_like(x)`, the first slice's cotangent is written, not
    added (no read of the zeros); the other reads add, in the loop too, where the
    buffer is one for all iterations."""
    x = rng(seed).normal(size=5)
    for fn, assigned in ((slices_and_items, 1), (items_then_loop, 0)):
        check_grads(fn, (x, 3), wrt=(0,))
        df = adjoint.grad(fn, wrt=0)
        df(x, 3)
        writes = re.findall(r'^ *bx\[.*\] (\+?=) ', df.source, re.MULTILINE)
        assert writes.count('=') == assigned, df.source
        assert writes[0] == ('=' if assigned else '+='), df.source


def total_of_either(xs, w):
    return np.mean(np.sum(xs) * w) + np.max(np.sum(w * w, axis=0, keepdims=True))


@pytest.mark.parametrize('seed', [90, 91])
def test_reductions_of_arrays_are_called_as_methods(seed):
    # `np.sum(t, axis=0)` of an array is `t.sum(axis=0)`, without np.sum's Python
    # layer; of a list, or of a value of unknown kind, it stays np.sum.
    w = rng(seed).normal(size=(3, 2))
    for xs in ([1.0, 2.5], np.array([1.0, 2.5])):
        check_grads(total_of_either, (xs, w), wrt=(1,))
        df = adjoint.grad(total_of_either, wrt=1)
        df(xs, w)
        assert re.search(r'= t\d+\.sum\(axis=0, keepdims=True\)', df.source), df.source
        assert re.search(r'= t\d+\.max\(\)', df.source), df.source
        called = re.search(r'= np\.sum\(xs\)\n', df.source) is not None
        assert called == isinstance(xs, list), df.source
    generic = adjoint.api.derivative_source(total_of_either, 'w', None)  # unknown kinds
    assert re.search(r'= np\.sum\(xs\)\n', generic), generic
    assert not re.search(r'(?<!np)\.(sum|max)\(', generic), generic


# ---------------------------------------------------------------- kinds of products


@pytest.mark.parametrize('fn, points', [
    (cases.outer_scaled, [(2.0, np.array([1.0, 2.0, 3.0])), (-0.5, rng(60).normal(size=4))]),
    (cases.outer_of_scalars_scaled, [(2.0, 3.0), (-1.5, 0.5)]),
    (cases.vdot_scaled, [(2.0, rng(61).normal(size=(2, 2)), rng(62).normal(size=4)),
                         (-0.3, rng(63).normal(size=(1, 3)), rng(64).normal(size=3))]),
    (cases.tensordot_scaled, [(2.0, rng(65).normal(size=(3, 3))),
                              (0.7, rng(66).normal(size=(2, 4)))]),
], ids=lambda value: getattr(value, '__name__', ''))
def test_a_scalar_times_a_product_of_arrays(fn, points):
    # np.outer of vectors is a matrix, np.vdot and np.tensordot of matrices are
    # numbers: declared otherwise, the scalar's gradient came back as an array.
    for args in points:
        grads = check_grads(fn, args)
        assert np.shape(grads[0]) == ()


# ---------------------------------------------------------------- at the edges of a domain


@pytest.mark.parametrize('fn, points', [
    # A constant (one element) or a cone's tip (equal elements): 0, not 0 / 0.
    (cases.std_of_all, [(np.array([2.0]),), (np.array([1.5, 1.5, 1.5]),)]),
    (cases.std_of_rows, [(np.array([[1.0, 1.0], [1.0, 3.0]]),), (np.ones((2, 3)),)]),
    # 0 ** 0 and 0 ** y: 0, not 0 * inf (JAX's guards).
    (cases.to_the_zeroth, [(np.array([0.0, 2.0]),), (np.array([0.0, -1.5, 0.0]),)]),
    (cases.zero_to_the, [(2.0,), (0.5,)]),
    (cases.integer_powers, [(0.0,), (-1.5,)]),
    # The origin of hypot is a cone's tip, as that of np.linalg.norm.
    (cases.math_hypot, [(0.0, 0.0), (0.0, 1.5)]),
    (cases.numpy_hypot, [(np.zeros(2), np.array([0.0, 2.0])), (np.zeros(3), np.zeros(3))]),
], ids=lambda value: getattr(value, '__name__', ''))
def test_derivatives_that_exist_where_the_textbook_formula_gives_nan(fn, points):
    with np.errstate(divide='ignore', invalid='ignore'):
        for args in points:
            grads = check_grads(fn, args)
            assert np.all(np.isfinite(np.concatenate([np.ravel(g) for g in grads])))


@pytest.mark.parametrize('fn, edge, sign, inside', [
    (cases.math_root, 0.0, 1, (1e-4, 2.0)),
    (cases.operator_root, 0.0, 1, (1e-4, 2.0)),
    (cases.root_by_pow, 0.0, 1, (1e-4, 2.0)),
    (cases.math_asin, 1.0, 1, (0.999, -0.5)),
    (cases.math_asin, -1.0, 1, (-0.999, 0.5)),
    (cases.math_acos, 1.0, -1, (0.999, -0.5)),
], ids=lambda value: getattr(value, '__name__', None))
def test_infinite_derivatives_at_the_edge_of_a_domain_are_inf(fn, edge, sign, inside):
    # inf, as NumPy's np.sqrt and np.arcsin rules give, never ZeroDivisionError or
    # ValueError from Python's float arithmetic (docs/rules.md).
    assert adjoint.grad(fn)(edge) == sign * math.inf
    assert adjoint.jvp(fn)((edge,), (1.0,))[1] == sign * math.inf
    assert adjoint.jvp(fn)((edge,), (-2.0,))[1] == -sign * math.inf
    for x in inside:
        check_grads(fn, (x,), eps=1e-8)


def test_atan2_at_the_origin_is_nan_as_for_numpy():
    # atan2 jumps at the origin: no derivative, infinite or not.
    assert all(math.isnan(g) for g in adjoint.grad(cases.math_atan2, wrt=(0, 1))(0.0, 0.0))
    check_grads(cases.math_atan2, (0.0, 1.5))
    check_grads(cases.math_atan2, (-0.5, 0.0))


def test_deviations_with_ddof_equal_to_the_size_are_nan_in_both_modes():
    # np.var(x, ddof=1) of one element is NaN, not an error: so is its derivative.
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        for x in (np.array([2.0]), np.array([-1.5])):
            assert np.isnan(cases.deviations_of_one(x))
            assert np.isnan(adjoint.grad(cases.deviations_of_one)(x)).all()
            assert np.isnan(adjoint.jvp(cases.deviations_of_one)((x,), (np.ones(1),))[1])


# ---------------------------------------------------------------- differentiated indices


@pytest.mark.parametrize('fn, line', [
    (cases.keyed_by_a_float, 'table[x]'),
    (cases.written_at_a_float, "table[x]"),
])
def test_a_differentiated_index_is_rejected_in_both_modes(fn, line):
    # No derivative flows through an index (np.r_[x] is a call, test_numpy_forms.py).
    x = 1.0
    for differentiate in (lambda: adjoint.grad(fn)(x),
                          lambda: adjoint.jvp(fn)((x,), (np.ones_like(x),))):
        with pytest.raises(adjoint.UnsupportedSyntaxError, match='index') as info:
            differentiate()
        assert 'rules_cases.py:' in str(info.value) and line in str(info.value)


def test_indices_that_are_not_differentiated_still_work():
    # An int, a mask, an index computed without derivatives.
    x = np.array([1.0, -2.0, 3.0])
    for point in (x, -x):
        check_grads(cases.indexed_without_derivatives, (point, 1), wrt=(0,))


@pytest.mark.parametrize('fn', [cases.sublist_einsum_first, cases.sublist_einsum_second])
def test_einsum_in_its_sublist_form_in_both_modes(fn):
    # The first argument was taken for the subscripts: its cotangent was zero.
    x = np.array([[1.0, 2.0], [3.0, 4.0]]) if fn is cases.sublist_einsum_first \
        else np.array([1.0, -2.0])
    for point in (x, 2.0 * x + 1.0):
        check_grads(fn, (point,))


# ---------------------------------------------------------------- joining the rows of an array


@pytest.mark.parametrize('fn, points', [
    (cases.hstack_of_a_vector, [(np.array([1.0, 2.0, 3.0]),), (rng(70).normal(size=4),)]),
    (cases.joined_rows, [(rng(71).normal(size=(2, 3)),), (rng(72).normal(size=(3, 3)),)]),
], ids=lambda value: getattr(value, '__name__', ''))
def test_joining_the_rows_of_an_array(fn, points):
    # np.hstack(x) of an array x joins its rows (its elements): the cotangent was
    # a list of them, and np.hstack of a vector's was a (3, 3) gradient.
    for args in points:
        check_grads(fn, args)


def test_at_least_1d_of_two_arrays_is_rejected():
    # Its second argument was read as an `axis`, and got no cotangent.
    with pytest.raises(adjoint.UnsupportedSyntaxError, match='atleast_1d'):
        adjoint.grad(cases.at_least_1d_of_two)(np.ones(3))
    with pytest.raises(adjoint.UnsupportedSyntaxError, match='atleast_1d'):
        adjoint.jvp(cases.at_least_1d_of_two)((np.ones(3),), (np.ones(3),))
