"""NumPy's other ways of writing a call, in both modes against finite differences:
`np.einsum` with an ellipsis and in its operand and sublist form, and `np.r_[...]`
and `np.c_[...]`, which build an array from their index. The registry sweep
(test_rules.py, test_jvp_rules.py, with tests/numpy_checks.py) checks their rules
at random points and at second order.
"""

import numpy as np
import pytest

import adjoint
from adjoint.rules import linalg_helpers
from adjoint.testing import check_grads
from tests import rules_cases as cases


def rng(seed):
    return np.random.default_rng(seed)


def points(seed, *shapes):
    """Two random points of arrays of these shapes (a Python float for ())."""
    r = rng(seed)
    return [tuple(float(r.normal()) if s == () else r.normal(size=s) for s in shapes)
            for _ in range(2)]


# ---------------------------------------------------------------- einsum with an ellipsis


def batched_products(x, y):
    return np.sum(np.sin(np.einsum('...ij,...jk->...ik', x, y)))


def rows_dotted(x, y):
    return np.sum(np.einsum('...i,...i', x, y) ** 2)


def summed_over_leading_axes(x):
    return np.sum(np.einsum('i...->...', x) ** 2)


def ellipsis_in_the_middle(x, y):
    return np.sum(np.einsum('i...j,j->...i', x, y) ** 2)


@pytest.mark.parametrize('fn, shapes', [
    (batched_products, ((5, 2, 3), (3, 4))),  # ranks 1 and 0 under the ellipsis
    (batched_products, ((1, 2, 3), (4, 3, 2))),  # a broadcast axis of length 1
    (batched_products, ((2, 1, 2, 3), (3, 3, 2))),  # ranks 2 and 1, broadcast
    (rows_dotted, ((1, 3), (4, 3))),
    (rows_dotted, ((3,), (2, 3))),  # implicit output: the broadcast axes
    (summed_over_leading_axes, ((2, 3, 4),)),
    (ellipsis_in_the_middle, ((2, 3, 4, 5), (5,))),
], ids=lambda value: getattr(value, '__name__', None))
def test_einsum_with_an_ellipsis_in_both_modes(fn, shapes):
    for args in points(len(shapes[0]) * 10 + len(shapes[-1]), *shapes):
        check_grads(fn, args)


def test_the_ellipsis_that_used_to_be_rejected():
    for args in points(3, (2, 3)):
        check_grads(cases.ellipsis_einsum, args)


# ---------------------------------------------------------------- the sublist form


def sublist_product(x, y):
    return np.sum(np.einsum(x, [0, 1], y, [1, 2], [0, 2]) ** 2)


def sublist_implicit(x, y, z):
    # No output sublist: the axes used once, sorted, as with subscripts.
    return np.sum(np.einsum(x, [2, 1], y, [1], z, [0]) ** 2)


def sublist_ellipsis(x, y):
    return np.sum(np.cos(np.einsum(x, [Ellipsis, 0, 1], y, [Ellipsis, 1, 2])))


def sublist_transpose(x):
    return np.sum(np.einsum(x, [1, 0]) * np.arange(6.0).reshape(3, 2))


def sublist_trace(x):
    return np.einsum(x, [0, 0]) * np.einsum(x, [0, 1], x, [0, 1], [])


def sublists_and_strings(x, y):
    return np.sum(np.einsum(x, [0, 1], y, [1]) * np.einsum('ij,j->i', x, y))


@pytest.mark.parametrize('fn, shapes', [
    (sublist_product, ((2, 3), (3, 4))),
    (sublist_implicit, ((2, 3), (3,), (4,))),
    (sublist_ellipsis, ((2, 2, 3), (3, 4))),
    (sublist_ellipsis, ((1, 2, 3), (4, 3, 2))),
    (sublist_transpose, ((2, 3),)),
    (sublist_trace, ((3, 3),)),
    (sublists_and_strings, ((2, 3), (3,))),
], ids=lambda value: getattr(value, '__name__', None))
def test_einsum_in_its_sublist_form_in_both_modes(fn, shapes):
    for args in points(7 * len(shapes), *shapes):
        check_grads(fn, args)


def test_the_sublist_form_differentiates_only_its_operands():
    # The sublists are constants: a differentiated value in them is an index.
    x, y = points(5, (2, 3), (3, 4))[0]
    gx, gy = adjoint.grad(sublist_product, wrt=(0, 1))(x, y)
    product = x @ y
    np.testing.assert_allclose(gx, 2.0 * product @ y.T, rtol=1e-12)
    np.testing.assert_allclose(gy, 2.0 * x.T @ product, rtol=1e-12)


def test_second_derivatives_of_the_sublist_and_ellipsis_forms():
    def both(a):
        x = np.sin(a * np.arange(1.0, 7.0).reshape(2, 3))
        y = np.cos(a * np.arange(1.0, 13.0).reshape(1, 3, 4))
        return np.sum(np.einsum(x, [0, 1], y, [Ellipsis, 1, 2]) ** 2) + \
            np.sum(np.einsum('...ij,...ij', x, x) ** 2)
    first = adjoint.grad(both)
    for a in (0.3, -0.8):
        expected = (first(a + 1e-6) - first(a - 1e-6)) / 2e-6
        for second in (adjoint.grad(first), adjoint.derivative(first),
                       adjoint.derivative(adjoint.derivative(both))):
            assert second(a) == pytest.approx(expected, rel=1e-5, abs=1e-6)


# ---------------------------------------------------------------- the helpers, alone


@pytest.mark.parametrize('args', [
    ('ij,jk', (2, 3), (3, 4)),
    ('...ij,...jk->...ik', (5, 2, 3), (3, 4)),
    ('...i,...i', (1, 3), (4, 3)),
    ((2, 3), [0, 1], (3, 4), [1, 2], [0, 2]),
    ((2, 3), [Ellipsis, 1], (3,), [1]),
    ((3, 2, 3), [0, 1, 0], [1]),
], ids=str)
def test_each_cotangent_is_the_transpose_of_its_einsum(args):
    # <g, einsum(..., a_k, ...)> = <einsum_grad(g, einsum_spec(k, ...), a_k, ...), a_k>
    # for every operand a_k, in either form: einsum_spec moves it first.
    r = rng(11)
    args = [r.normal(size=a) if isinstance(a, tuple) else a for a in args]
    out = np.einsum(*args)
    spec = linalg_helpers.einsum_spec(0, *args)
    np.testing.assert_allclose(linalg_helpers.einsum_of(spec, *args), out, rtol=1e-12)
    g = r.normal(size=np.shape(out))
    for k, a in enumerate(args):
        if not isinstance(a, np.ndarray):
            continue
        others = args[:k] + args[k + 1:]
        gk = linalg_helpers.einsum_grad(g, linalg_helpers.einsum_spec(k, *args), a, *others)
        assert gk.shape == a.shape
        assert np.sum(g * out) == pytest.approx(np.sum(gk * a), rel=1e-12)


def test_too_many_arguments_are_rejected_naming_the_call():
    def ten(x):
        return np.einsum('i,i,i,i,i,i,i,i,i', x, x, x, x, x, x, x, x, x)
    x = np.full(2, 1.1)
    for differentiate in (lambda: adjoint.grad(ten)(x),
                          lambda: adjoint.jvp(ten)((x,), (x,))):
        with pytest.raises(adjoint.UnsupportedSyntaxError, match='too many positional'):
            differentiate()


# ---------------------------------------------------------------- np.r_ and np.c_


def rows_of_two(x):
    return np.sum(np.r_[x, 2.0 * x] ** 2)


def rows_with_a_number(x, y):
    return np.sum(np.r_[x, 0.0, y] ** 3)


def rows_with_a_differentiated_number(s, x):
    return np.sum(np.r_[s, x, 1.0] * np.arange(5.0))


def rows_of_matrices(a, b):
    return np.sum(np.sin(np.r_[a, b]))


def columns_of_vectors(a, b):
    return np.sum(np.c_[a, b] * np.arange(8.0).reshape(4, 2))


def columns_of_a_matrix_and_a_vector(a, b):
    return np.sum(np.c_[a, b] ** 2 * np.arange(12.0).reshape(3, 4))


def joined_index(x):
    index = (x, np.ones(2))
    return np.sum(np.r_[index] ** 2)


@pytest.mark.parametrize('fn, shapes', [
    (rows_of_two, ((3,),)),
    (rows_with_a_number, ((3,), (2,))),
    (rows_with_a_differentiated_number, ((), (3,))),
    (rows_of_matrices, ((2, 3), (1, 3))),
    (columns_of_vectors, ((4,), (4,))),
    (columns_of_a_matrix_and_a_vector, ((3, 3), (3,))),
    (joined_index, ((3,),)),
], ids=lambda value: getattr(value, '__name__', None))
def test_r_and_c_in_both_modes(fn, shapes):
    for args in points(3 * len(shapes), *shapes):
        check_grads(fn, args)


def test_r_and_c_of_one_array_have_their_gradients():
    # No derivative flowed through the index: np.r_[x] gave [1, 2, 3] for the
    # gradient [2, 4, 6] of np.sum(np.r_[x] * x), and np.c_[x, x] gave zeros.
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(adjoint.grad(cases.r_of_an_array)(x), 2.0 * x)
    np.testing.assert_array_equal(adjoint.grad(cases.c_of_an_array)(x), np.full(3, 4.0))
    assert adjoint.jvp(cases.c_of_an_array)((x,), (np.ones(3),))[1] == 12.0


def test_second_derivatives_of_r_and_c():
    def joined(x, y):
        return np.sum(np.r_[x, y] ** 3) + np.sum(np.c_[x[:2], y] ** 4)
    x, y = points(9, (3,), (2,))[0]
    hessian = adjoint.hessian(joined, wrt=(0, 1))(x, y)
    r, c = np.r_[x, y], np.c_[x[:2], y]
    np.testing.assert_allclose(hessian[0][0], np.diag(6.0 * x + np.r_[12.0 * c[:, 0] ** 2, 0.0]),
                               rtol=1e-12)
    np.testing.assert_allclose(hessian[1][1], np.diag(6.0 * r[3:] + 12.0 * c[:, 1] ** 2),
                               rtol=1e-12)
    np.testing.assert_array_equal(hessian[0][1], np.zeros((3, 2)))


def ranged(x):
    return np.sum(np.r_[x, 1.0, 0:3] * 2.0)


def directed(x):
    return np.sum(np.r_['0,2', x, x])


def ranged_columns(x):
    return np.sum(np.c_[x, 0:3:1])


@pytest.mark.parametrize('fn, instead', [
    (ranged, r'np.concatenate\(\(a, b, \.\.\.\)\), with np.arange\(3\)'),
    (cases.r_of_an_array_a_scalar_and_a_range, r'np.concatenate.*np.arange\(3\)'),
    (directed, r"directive '0,2'.*np.concatenate"),
    (ranged_columns, r'np.column_stack.*np.arange\(0, 3, 1\)'),
])
def test_slices_and_directives_say_what_to_write_in_both_modes(fn, instead):
    x = np.array([1.0, 2.0, 3.0])
    for differentiate in (lambda: adjoint.grad(fn)(x),
                          lambda: adjoint.jvp(fn)((x,), (np.ones(3),))):
        with pytest.raises(adjoint.AdjointError, match=instead):
            differentiate()


def test_r_of_constants_keeps_its_slices():
    # Nothing differentiated flows into it: NumPy builds it as it always did.
    def weighted(x):
        return np.sum(np.r_[0:3, 5.0, 1:2] * x)
    x = rng(4).normal(size=5)
    np.testing.assert_array_equal(adjoint.grad(weighted)(x), np.r_[0:3, 5.0, 1:2])
    check_grads(weighted, (x,))
