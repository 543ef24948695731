"""NumPy functions that peer test suites use, where random points say too little:
ties and NaNs of np.fmax and np.fmin, tied elements of np.partition, conditions
of np.select that overlap, np.gradient of a grid (a tuple of results) and its
spacing, np.angle at its jump, and the errors of what is not supported. The
registry sweep (test_rules.py, test_jvp_rules.py, with
tests/numpy_more_checks.py) checks every rule at random points, in both modes
and at second order.
"""

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads
from transforms.core.errors import AdjointError, UnsupportedSyntaxError


def rng(seed):
    return np.random.default_rng(seed)


def assert_modes_agree(fn, args, seed=0):
    """The tangent along random directions pairs with the gradient exactly (the
    dot-product test), at points where finite differences cannot be used."""
    grads = adjoint.grad(fn, wrt=tuple(range(len(args))))(*args)
    directions = rng(seed)
    for _ in range(2):
        tangents = tuple(directions.normal(size=np.shape(a)) for a in args)
        _, tangent = adjoint.jvp(fn, args, tangents)
        paired = sum(float(np.sum(g * t)) for g, t in zip(grads, tangents))
        assert tangent == pytest.approx(paired, rel=1e-12, abs=1e-14)
    return grads


# ---------------------------------------------------------------- np.fmax, np.fmin


def fmax_total(x, y):
    return np.sum(np.fmax(x, y))


def fmin_total(x, y):
    return np.sum(np.fmin(x, y))


def fmax_with_itself(x):
    return np.sum(np.fmax(x, x))


def relu_by_fmax(x):
    return np.sum(np.fmax(x, 0.0))


def test_fmax_and_fmin_split_ties_as_maximum_and_minimum_do():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(adjoint.grad(fmax_with_itself)(x), np.ones(3))
    np.testing.assert_array_equal(adjoint.grad(relu_by_fmax)(x), [0.0, 0.0, 1.0])
    y = np.array([-1.0, 1.0, 2.0])  # ties at 0 and 2
    for fn in (fmax_total, fmin_total):
        gx, gy = assert_modes_agree(fn, (x, y))
        np.testing.assert_array_equal(gx[[0, 2]], [0.5, 0.5])
        np.testing.assert_array_equal(gy[[0, 2]], [0.5, 0.5])
    assert adjoint.grad(fmax_total, wrt=(0, 1))(x, y)[0][1] == 0.0  # 0 < 1
    assert adjoint.grad(fmin_total, wrt=(0, 1))(x, y)[0][1] == 1.0


def test_fmax_and_fmin_give_the_cotangent_to_the_number_beside_a_nan():
    x = np.array([1.0, np.nan, -2.0, 0.5])
    y = np.array([np.nan, 3.0, np.nan, 0.2])
    for fn in (fmax_total, fmin_total):
        gx, gy = adjoint.grad(fn, wrt=(0, 1))(x, y)
        np.testing.assert_array_equal(gx[:3], [1.0, 0.0, 1.0])
        np.testing.assert_array_equal(gy[:3], [0.0, 1.0, 0.0])
        _, tangent = adjoint.jvp(fn, (x, y), (np.full(4, 2.0), np.full(4, 5.0)))
        assert tangent == pytest.approx(2.0 + 5.0 + 2.0 + (2.0 if fn is fmax_total else 5.0))


# ---------------------------------------------------------------- np.partition


def weighted_partition(x, w):
    return np.sum(np.partition(x, 2) * w)


def placed_like_a_stable_sort(x, ans):
    """Which element of x each place of ans holds: the k-th time a value appears in
    ans, the k-th time it appears in x."""
    used = set()
    order = []
    for value in ans:
        i = next(i for i, v in enumerate(x) if v == value and i not in used)
        used.add(i)
        order.append(i)
    return np.array(order)


def test_partition_passes_each_cotangent_to_the_element_placed_there():
    x = np.array([3.0, 1.0, 3.0, 2.0, 1.0, 0.5, 3.0])
    w = rng(1).normal(size=7)
    order = placed_like_a_stable_sort(x, np.partition(x, 2))
    expected = np.zeros(7)
    expected[order] = w
    np.testing.assert_array_equal(adjoint.grad(weighted_partition)(x, w), expected)
    t = rng(2).normal(size=7)
    _, tangent = adjoint.jvp(weighted_partition, (x, w), (t, None))
    assert tangent == pytest.approx(np.sum(w * t[order]), rel=1e-14)


# ---------------------------------------------------------------- np.select


def selected_total(x, y, z):
    chosen = np.select([x > 0.0, x > 1.0], [y, 2.0 * z], default=z * x)
    return np.sum(chosen * np.array([1.0, 2.0, 3.0]))


def test_select_takes_the_first_condition_that_holds():
    # x > 1 implies x > 0: the second choice is never taken; the default where
    # no condition holds.
    x, y, z = np.array([-1.0, 0.5, 2.0]), np.array([4.0, 5.0, 6.0]), np.array([7.0, 8.0, 9.0])
    gx, gy, gz = assert_modes_agree(selected_total, (x, y, z))
    np.testing.assert_array_equal(gy, [0.0, 2.0, 3.0])
    np.testing.assert_array_equal(gz, [-1.0, 0.0, 0.0])
    np.testing.assert_array_equal(gx, [7.0, 0.0, 0.0])


# ---------------------------------------------------------------- np.gradient, np.diff


def grid_energy(f, h):
    gx, gy = np.gradient(f, h)
    return np.sum(gx ** 2 + np.sin(gy))


def second_order_edges(f):
    return np.sum(np.gradient(f, 0.25, edge_order=2) ** 2)


def weighted_gradient(f, w):
    return np.sum(np.gradient(f, axis=-1) * w)


def test_gradient_of_a_grid_unpacked_and_of_its_spacing():
    f = rng(3).normal(size=(4, 5))
    check_grads(grid_energy, (f, 0.5))
    check_grads(second_order_edges, (rng(4).normal(size=6),))


def test_gradient_is_the_transpose_of_its_differences():
    # The matrix of np.gradient, one column per unit vector: the gradient of
    # sum(np.gradient(f) * w) in f is its transpose times w.
    f, w = rng(5).normal(size=(2, 5)), rng(6).normal(size=(2, 5))
    columns = [np.gradient(e) for e in np.eye(5)]
    expected = w @ np.array(columns).T
    np.testing.assert_allclose(adjoint.grad(weighted_gradient)(f, w), expected, rtol=1e-14)


def coordinates_gradient(f, x):
    return np.sum(np.gradient(f, x) ** 2)


def test_gradient_with_coordinates_is_an_error():
    f, x = rng(7).normal(size=4), np.array([0.0, 1.0, 3.0, 4.0])
    with pytest.raises(AdjointError, match='coordinates'):
        adjoint.grad(coordinates_gradient)(f, x)
    with pytest.raises(AdjointError, match='coordinates'):
        adjoint.jvp(coordinates_gradient, (f, x), (np.ones(4), np.ones(4)))


def curve_length(a, b):
    # The length of sin between a and b, from 40 samples.
    x = np.linspace(a, b, 40)
    return np.sum(np.sqrt(np.diff(x) ** 2 + np.diff(np.sin(x)) ** 2))


def test_a_curve_length_from_linspace_and_diff():
    for a, b in ((0.0, 2.0), (-1.5, 0.3)):
        ga, gb = check_grads(curve_length, (a, b))
        # d/db of the length is about |(1, cos b)|.
        assert gb == pytest.approx(np.sqrt(1.0 + np.cos(b) ** 2), rel=1e-2)


# ---------------------------------------------------------------- real input


def conjugated(x, w):
    return np.sum(np.conj(x) * w + np.conjugate(x) + np.real_if_close(x) ** 2)


def angled(x):
    return np.sum(np.angle(x) * x)


def conjugated_complex(x):
    return np.sum(np.real(np.conj(x * 1j)))


def test_conj_and_real_if_close_are_the_identity_of_real_input():
    x, w = rng(8).normal(size=4), rng(9).normal(size=4)
    np.testing.assert_allclose(adjoint.grad(conjugated)(x, w), w + 1.0 + 2.0 * x, rtol=1e-15)
    check_grads(conjugated, (x, w))
    with pytest.raises(AdjointError, match='complex'):
        adjoint.grad(conjugated_complex)(x)
    with pytest.raises(AdjointError, match='complex'):
        adjoint.grad(conjugated)(x + 1j, w)


def test_angle_of_real_input_has_derivative_zero_at_its_jump_too():
    x = np.array([-1.0, 0.0, 2.0, -0.0])
    grads = assert_modes_agree(angled, (x,))
    np.testing.assert_array_equal(grads[0], np.angle(x))


def crossed_along_other_axes(a, b):
    return np.sum(np.cross(a, b, axisa=0) ** 2) + np.sum(np.cross(a, b.T, axis=0) * a)


def test_cross_products_along_other_axes():
    # axisa, axisb, axisc and axis, as autograd's test_systematic.py passes them.
    rng = np.random.default_rng(3)
    for _ in range(2):
        check_grads(crossed_along_other_axes, (rng.normal(size=(3, 2)), rng.normal(size=(2, 3))),
                    order=2)


# ---------------------------------------------------------------- not supported


def linspace_with_step(a):
    samples, step = np.linspace(a, 2.0, 5, retstep=True)
    return np.sum(samples) * step


def diff_with_prepend(a):
    return np.sum(np.diff(a, prepend=0.0) ** 2)


def gradient_with_two_spacings(f):
    return np.sum(np.gradient(f, 0.5, 0.25)[0])


@pytest.mark.parametrize('fn, args, argument', [
    (linspace_with_step, (1.0,), 'retstep'),
    (diff_with_prepend, (np.ones(4),), 'prepend'),
    (gradient_with_two_spacings, (np.ones((3, 3)),), 'positional'),
], ids=lambda value: getattr(value, '__name__', ''))
def test_arguments_a_rule_does_not_take_are_errors_naming_them(fn, args, argument):
    with pytest.raises(UnsupportedSyntaxError, match=argument):
        adjoint.grad(fn)(*args)
    with pytest.raises(UnsupportedSyntaxError, match=argument):
        adjoint.jvp(fn, args, tuple(np.ones_like(a) for a in args))
