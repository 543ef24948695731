"""adjoint.testing.check_grads: pytrees, wrt by index or name, both modes, order 2,
non-scalar outputs, keyword arguments, and that it fails — saying where — when a
derivative is wrong.

The wrong derivatives come from deliberately wrong user rules registered on small
helpers of this module: a check that passes on them would be a check that
cannot fail.
"""

import copy

import numpy as np
import pytest

import adjoint
from adjoint.testing import _structure_mismatch, check_grads

# ---------------------------------------------------------------- helpers with rules


def cube(x):
    return x ** 3


@adjoint.vjp_rule(cube)
def cube_vjp(g, ans, x):
    return (g * 2.0 * x * x,)  # wrong: 3 x**2


def square(x):
    return x * x


@adjoint.jvp_rule(square)
def square_jvp(dx, ans, x):
    return dx * 3.0 * x  # wrong: 2 x


def nearly_cube(x):
    return x ** 3


@adjoint.vjp_rule(nearly_cube)
def nearly_cube_vjp(g, ans, x):
    return (g * 3.0 * x * x * (1.0 + 1e-7),)  # within rtol of the truth, not of jvp


def sigmoid_wrong_vjp(x):
    return 1.0 / (1.0 + np.exp(-x))


@adjoint.vjp_rule(sigmoid_wrong_vjp)
def sigmoid_wrong_vjp_vjp(g, ans, x):
    return (g * ans,)  # wrong: ans * (1 - ans)


def softplus_wrong_second_rev(x):
    return np.log1p(np.exp(x))


@adjoint.vjp_rule(softplus_wrong_second_rev)
def softplus_wrong_second_rev_vjp(g, ans, x):
    return (g * sigmoid_wrong_vjp(x),)  # right, but its own derivative is wrong


def sigmoid_wrong_jvp(x):
    return 1.0 / (1.0 + np.exp(-x))


@adjoint.jvp_rule(sigmoid_wrong_jvp)
def sigmoid_wrong_jvp_jvp(dx, ans, x):
    return dx * ans  # wrong: ans * (1 - ans)


def softplus_wrong_second_fwd(x):
    return np.log1p(np.exp(x))


@adjoint.vjp_rule(softplus_wrong_second_fwd)
def softplus_wrong_second_fwd_vjp(g, ans, x):
    return (g * sigmoid_wrong_jvp(x),)


# ---------------------------------------------------------------- functions checked


def layer_loss(params, x):
    h = np.tanh(params['W'][0] @ x) * params['W'][1]
    return np.sum(h ** 2) * params['scale'][0] + params['scale'][1] ** 2


def with_data(w, n, labels, name, bias):
    s = 0.0
    for i in range(n):
        s = s + np.sum(np.sin(w * i) * labels)
    return s + bias * bias


def pytree_out(w, x):
    return {'a': np.sin(w) * x, 'b': (w[0] * w[1], 2.0), 'c': [np.sum(w * x)]}


def keyword_only(x, *, scale):
    return np.sum(np.exp(x * scale))


def uses_cube(params, x):
    return np.sum(cube(params['W'][1])) + np.sum(params['W'][0] @ x)


def uses_square(x):
    return np.sum(square(x))


def uses_nearly_cube(x):
    return np.sum(nearly_cube(x))


def uses_second_rev(x):
    return np.sum(softplus_wrong_second_rev(x))


def uses_second_fwd(x):
    return np.sum(softplus_wrong_second_fwd(x))


def vector_of_cube(x):
    return cube(x) * 2.0


def only_floats_move(p):
    return np.sum(p['w'] ** 2) * np.sum(np.ones(p['n'])) * (2.0 if p['on'] else 1.0)


def point(seed=0):
    rng = np.random.default_rng(seed)
    params = {'W': [rng.normal(size=(2, 3)), rng.normal(size=2)], 'scale': (0.7, -1.3)}
    return params, rng.normal(size=3)


# ---------------------------------------------------------------- pytrees and wrt


@pytest.mark.parametrize('seed', [0, 1])
def test_a_pytree_argument_is_checked_leaf_by_leaf_and_keeps_its_structure(seed):
    params, x = point(seed)
    before = copy.deepcopy((params, x))
    gp, gx = check_grads(layer_loss, (params, x), order=2)
    assert type(gp) is dict and type(gp['W']) is list and type(gp['scale']) is tuple
    assert gp['W'][0].shape == (2, 3) and gp['W'][1].shape == (2,)
    assert isinstance(gp['scale'][0], float) and gx.shape == (3,)
    h = np.tanh(params['W'][0] @ x)
    np.testing.assert_allclose(gp['W'][1], 2 * h ** 2 * params['W'][1] * params['scale'][0])
    assert gp['scale'] == pytest.approx((np.sum((h * params['W'][1]) ** 2),
                                         2 * params['scale'][1]))
    # nothing the check moved was changed in place
    np.testing.assert_array_equal(params['W'][0], before[0]['W'][0])
    assert params['scale'] == before[0]['scale']
    np.testing.assert_array_equal(x, before[1])


def test_the_default_skips_ints_bools_strings_none_and_integer_arrays():
    w = np.array([0.3, -0.2, 0.5])
    labels = np.array([1, 0, 2])
    # n is a range bound: moving it by eps would make range() raise
    got = check_grads(with_data, (w, 3, labels, 'run', 0.4))
    assert len(got) == 2  # w and bias
    np.testing.assert_allclose(got[0], sum(np.cos(w * i) * i * labels for i in range(3)))
    assert got[1] == pytest.approx(0.8)


@pytest.mark.parametrize('wrt, count', [(0, 1), ('w', 1), (('bias', 0), 2), ([4], 1)])
def test_wrt_by_index_or_name_or_a_tuple(wrt, count):
    w = np.array([0.3, -0.2, 0.5])
    got = check_grads(with_data, (w, 2, np.ones(3), 'run', 0.4), wrt=wrt, order=2)
    assert len(got) == count
    if wrt == ('bias', 0):
        assert got[0] == pytest.approx(0.8) and got[1].shape == (3,)


def test_an_int_named_in_wrt_is_checked_as_a_float():
    gx, gn = check_grads(lambda x, n: x * n * n, (0.5, 3), wrt=(0, 1))
    assert gx == pytest.approx(9.0) and gn == pytest.approx(3.0)


def test_only_the_floats_of_a_pytree_move():
    # np.ones(n) raises for a float n: moving n would make the check fail
    got, = check_grads(only_floats_move, ({'w': np.array([1.0, 2.0, 3.0]), 'n': 2,
                                           'on': True, 'tag': 'x'},), order=2)
    np.testing.assert_allclose(got['w'], [8.0, 16.0, 24.0])


@pytest.mark.parametrize('bad, match', [
    (dict(wrt='z'), "wrt='z' is not a parameter"), (dict(wrt=7), 'wrt=7'),
    (dict(wrt=(0, 'x')), 'twice'), (dict(wrt=3), 'holds no number'),
    (dict(modes=('rev', 'sideways')), 'modes='), (dict(order=3), 'order=3')])
def test_what_check_grads_does_not_understand_is_an_adjoint_error(bad, match):
    with pytest.raises(adjoint.AdjointError, match=match):
        check_grads(lambda x, n, m, s: x * x, (0.5, 2, 3, 'a'), **bad)


def test_no_float_argument_is_an_error_naming_wrt():
    with pytest.raises(adjoint.AdjointError, match='wrt'):
        check_grads(lambda n: n * 2, (3,))


# ---------------------------------------------------------------- modes, outputs, kwargs


@pytest.mark.parametrize('modes', [('rev',), ('fwd',), ('fwd', 'rev'), 'fwd'])
@pytest.mark.parametrize('order', [1, 2])
def test_each_mode_alone_and_both(modes, order):
    params, x = point()
    got = check_grads(layer_loss, (params, x), modes=modes, order=order)
    assert (got is not None) == ('rev' in modes)


@pytest.mark.parametrize('order', [1, 2])
def test_a_pytree_output_is_checked_by_vjp_and_jvp(order):
    w, x = np.array([0.3, -0.7, 1.1]), np.array([0.5, 2.0, -1.0])
    assert check_grads(pytree_out, (w, x), order=order) is None


@pytest.mark.parametrize('modes', [('rev',), ('fwd',), ('fwd', 'rev')])
@pytest.mark.parametrize('order', [1, 2])
def test_keyword_arguments_are_passed_in_every_mode(modes, order):
    # `scale` has no default: a mode that dropped it would raise a TypeError
    x = np.array([0.1, -0.4])
    check_grads(keyword_only, (x,), kwargs={'scale': 1.5}, modes=modes, order=order)
    check_grads(pytree_out, (x,), kwargs={'x': np.array([2.0, 3.0])}, modes=modes,
                order=order)


# ---------------------------------------------------------------- failing, and saying where


def failure(fn, args, **options):
    with pytest.raises(AssertionError) as raised:
        check_grads(fn, args, **options)
    return str(raised.value)


def assert_numpy_report(message):
    """The report of numpy.testing.assert_allclose: the worst element and counts."""
    assert 'Mismatched elements' in message
    assert 'Max absolute difference' in message and 'Max relative difference' in message


def test_a_wrong_vjp_rule_fails_in_reverse_mode_naming_the_leaf():
    params, x = point()
    message = failure(uses_cube, (params, x), modes=('rev',))
    first = message.splitlines()[0]
    assert '`uses_cube`' in first and "mode 'rev'" in first and 'order 1' in first
    assert "argument 0 (params['W'][1])" in first
    assert_numpy_report(message)
    check_grads(uses_cube, (params, x), modes=('fwd',))  # forward mode reads cube's source


def test_a_wrong_vjp_rule_fails_with_both_modes():
    params, x = point()
    assert "mode 'rev'" in failure(uses_cube, (params, x))


def test_a_wrong_jvp_rule_fails_in_forward_mode():
    x = np.array([0.4, -1.2, 2.0])
    message = failure(uses_square, (x,), modes=('fwd',))
    first = message.splitlines()[0]
    assert '`uses_square`' in first and "mode 'fwd'" in first and 'order 1' in first
    assert 'argument 0 (x)' in first
    assert_numpy_report(message)
    check_grads(uses_square, (x,), modes=('rev',))  # reverse mode reads square's source
    assert "mode 'fwd'" in failure(uses_square, (x,))


def test_modes_that_each_pass_must_still_agree():
    x = np.array([0.4, -1.2, 2.0])
    check_grads(uses_nearly_cube, (x,), modes=('rev',))
    check_grads(uses_nearly_cube, (x,), modes=('fwd',))
    message = failure(uses_nearly_cube, (x,))
    assert "modes 'fwd' and 'rev'" in message.splitlines()[0] and 'disagree' in message


def test_a_wrong_vjp_rule_fails_for_a_vector_output():
    x = np.array([0.4, -1.2, 2.0])
    message = failure(vector_of_cube, (x,), modes=('rev',))
    assert "mode 'rev'" in message and 'vjp of a random cotangent' in message
    assert_numpy_report(message)


def test_a_wrong_second_derivative_fails_at_order_2_in_reverse_mode():
    x = np.array([0.4, -1.2, 2.0])
    check_grads(uses_second_rev, (x,))  # the first derivative is right
    check_grads(uses_second_rev, (x,), modes=('fwd',), order=2)
    message = failure(uses_second_rev, (x,), modes=('rev',), order=2)
    first = message.splitlines()[0]
    assert '`uses_second_rev`' in first and "mode 'rev'" in first and 'order 2' in first
    assert 'argument 0 (x)' in first
    assert_numpy_report(message)


def test_a_wrong_second_derivative_fails_at_order_2_in_forward_mode():
    x = np.array([0.4, -1.2, 2.0])
    check_grads(uses_second_fwd, (x,))
    check_grads(uses_second_fwd, (x,), modes=('rev',), order=2)
    message = failure(uses_second_fwd, (x,), modes=('fwd',), order=2)
    first = message.splitlines()[0]
    assert '`uses_second_fwd`' in first and "mode 'fwd'" in first and 'order 2' in first
    assert 'the gradient for argument 0 (x)' in first
    assert_numpy_report(message)
    assert 'order 2' in failure(uses_second_fwd, (x,), order=2)


def test_a_wrong_second_derivative_of_a_vector_output_fails_at_order_2():
    x = np.array([0.4, -1.2, 2.0])
    message = failure(lambda x: softplus_wrong_second_rev(x) * 2.0, (x,), modes=('rev',),
                      order=2)
    assert 'order 2' in message.splitlines()[0] and 'random cotangent' in message


@pytest.mark.parametrize('value, reference, expected', [
    ({'a': [1.0]}, {'a': (1.0,)}, "['a'] is a list, not a tuple"),
    ({'a': 1.0}, {'a': 1.0, 'b': 2.0}, 'keys'),
    ((np.zeros(2),), (np.zeros(3),), '[0] is an array of shape (2,), not an array of shape (3,)'),
    (np.zeros(1), 1.0, 'not a number'), ('a', 1.0, 'not a number'),
    ({'w': 1.0, 'name': 0.0}, {'w': 1.0, 'name': 'layer'}, None),
    ((None, 1.0), (np.zeros(2), 1.0), None)])
def test_a_derivative_must_be_laid_out_like_its_argument(value, reference, expected):
    found = _structure_mismatch(value, reference)
    assert found == expected if expected is None else expected in found
