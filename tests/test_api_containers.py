"""The API on the values programs pass and return: tuples, lists and dicts of
arrays of different shapes (as JAX's pytrees), and size-1 arrays given to `grad`.

Every derivative is checked against central finite differences taken leaf by
leaf and element by element, at more than one point, in both modes; the
structure of what comes back (the type of each container, the shape of each
array) is checked as well as its numbers.
"""

import copy

import numpy as np
import pytest

import adjoint
from adjoint import runtime
from adjoint.testing import check_grads

SEEDS = (0, 1)
EPS = 1e-6


# ---------------------------------------------------------------- trees


def leaves(tree):
    """The numbers and arrays in `tree`, in order (a dict's in key order)."""
    if isinstance(tree, (tuple, list)):
        return [leaf for item in tree for leaf in leaves(item)]
    if isinstance(tree, dict):
        return [leaf for item in tree.values() for leaf in leaves(item)]
    if isinstance(tree, str):
        return []
    return [tree]


def rebuild(tree, new_leaves, text=None):
    """`tree` with its leaves replaced, in order, by `new_leaves` (an iterator),
    and its strings by `text` (unless None)."""
    if isinstance(tree, (tuple, list)):
        return type(tree)(rebuild(item, new_leaves, text) for item in tree)
    if isinstance(tree, dict):
        return {key: rebuild(item, new_leaves, text) for key, item in tree.items()}
    if isinstance(tree, str):
        return tree if text is None else text
    return next(new_leaves)


def combine(a, b, scale):
    """`a + scale * b`, leaf by leaf, in `a`'s structure and leaf types."""
    moved = []
    for x, t in zip(leaves(a), leaves(b)):
        value = np.asarray(x, dtype=float) + scale * np.asarray(t, dtype=float)
        moved.append(value if isinstance(x, np.ndarray) else float(value))
    return rebuild(a, iter(moved))


def inner(a, b):
    """The sum of the products of `a`'s and `b`'s leaves."""
    return sum(float(np.sum(np.asarray(x) * np.asarray(y)))
               for x, y in zip(leaves(a), leaves(b)))


def random_like(tree, rng):
    """A tree of `tree`'s structure with normal random leaves of the same shapes."""
    return rebuild(tree, iter([rng.normal(size=np.shape(x)) if isinstance(x, np.ndarray)
                               else float(rng.normal()) for x in leaves(tree)]))


def fd_jvp(fn, args, tangents):
    """The central difference of `fn` at `args` along `tangents` (None: fixed),
    in the structure of `fn`'s output."""
    def at(scale):
        return fn(*(a if t is None else combine(a, t, scale) for a, t in zip(args, tangents)))
    up, down = at(EPS), at(-EPS)
    return rebuild(up, iter([(np.asarray(u, dtype=float) - np.asarray(d, dtype=float))
                             / (2 * EPS) for u, d in zip(leaves(up), leaves(down))]))


def fd_grad(fn, args, k):
    """The central-difference gradient of scalar `fn` by `args[k]`, element by
    element, in the structure of `args[k]`."""
    parts = []
    for j, leaf in enumerate(leaves(args[k])):
        part = np.zeros(np.shape(leaf))
        for index in np.ndindex(np.shape(leaf)):
            unit = [np.zeros(np.shape(x)) for x in leaves(args[k])]
            unit[j][index] = 1.0
            direction = rebuild(args[k], iter(unit))
            tangents = tuple(direction if m == k else None for m in range(len(args)))
            part[index] = float(np.sum(fd_jvp(fn, args, tangents)))
        parts.append(part if isinstance(leaf, np.ndarray) else float(part))
    return rebuild(args[k], iter(parts), text=0.0)  # a setting's gradient is 0


def assert_tree_close(got, want, atol=1e-6):
    """`got` has `want`'s containers (type, length, keys) and leaf shapes, and
    its numbers are close to `want`'s."""
    if isinstance(want, (tuple, list, dict)):
        assert type(got) is type(want), f'{type(got).__name__} for {type(want).__name__}'
        assert len(got) == len(want)
        if isinstance(want, dict):
            assert set(got) == set(want)
            for key in want:
                assert_tree_close(got[key], want[key], atol)
        else:
            for g, w in zip(got, want):
                assert_tree_close(g, w, atol)
        return
    if isinstance(want, str):
        assert got == want
        return
    assert np.shape(got) == np.shape(want), f'shape {np.shape(got)} for {np.shape(want)}'
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=atol)


# ---------------------------------------------------------------- programs


def pair_loss(t):
    return np.sum(np.sin(t[0])) * t[1][0] + np.sum(t[1] ** 2)


def mlp_loss(params, x):
    for W, b in params:
        x = np.tanh(x @ W + b)
    return np.sum(x ** 2)


def dict_loss(p):
    return np.sum(p['w'] @ p['v']) + p['c'] * np.sum(p['v'] ** 2)


def nested_loss(t):
    (a, s), d = t
    return np.sum(np.exp(a) * s) + np.sum(d['u'] ** 3)


def floats_loss(xs):
    return xs[0] * xs[1] + np.sin(xs[2])


def pair_map(t):
    return np.sin(t[0]), t[1] * t[0][0]


def list_map(t):
    return [np.exp(t[0]), np.sum(t[1] ** 2)]


def dict_map(p):
    return {'y': p['w'] @ p['v'], 'n': np.sum(p['v']) * p['c']}


def log_softmax_row(x):
    m = np.max(x, axis=1, keepdims=True)
    return x[:, :1] - m - np.log(np.sum(np.exp(x - m), axis=1, keepdims=True))


def summed_keepdims(x):
    return np.sum(np.sin(x) * x, keepdims=True)


def zero_dimensional(x):
    return np.asarray(np.sum(x ** 2))


def scaled_cell(s):
    return s ** 3 * np.ones((1, 1))


def point(name, seed):
    """Arguments of program `name` at random point `seed`."""
    rng = np.random.default_rng(seed)
    r = rng.normal
    return {
        'pair_tuple': ((r(size=2), r(size=3)),),
        'pair_list': ([r(size=2), r(size=3)],),
        'mlp': ([(r(size=(3, 4)), r(size=4)), (r(size=(4, 2)), r(size=2))], r(size=(5, 3))),
        'dict': ({'w': r(size=(2, 3)), 'v': r(size=3), 'c': float(r()), 'name': 'layer'},),
        'nested': (((r(size=2), float(r())), {'u': r(size=(2, 2))}),),
        'floats_list': ([float(r()), float(r()), float(r())],),
        'floats_tuple': ((float(r()), float(r()), float(r())),),
    }[name]


LOSSES = [('pair_tuple', pair_loss), ('pair_list', pair_loss), ('mlp', mlp_loss),
          ('dict', dict_loss), ('nested', nested_loss), ('floats_list', floats_loss),
          ('floats_tuple', floats_loss)]
MAPS = [('pair_tuple', pair_map), ('pair_list', pair_map), ('pair_tuple', list_map),
        ('dict', dict_map)]


# ---------------------------------------------------------------- reverse mode


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('name, fn', LOSSES)
def test_grad_of_a_container_argument_has_its_structure(name, fn, seed):
    args = point(name, seed)
    wrt = tuple(range(len(args)))
    got = adjoint.grad(fn, wrt=wrt)(*args)
    for k in wrt:
        assert_tree_close(got[k], fd_grad(fn, args, k))
    value, again = adjoint.value_and_grad(fn, wrt=wrt)(*args)
    assert value == pytest.approx(fn(*args))
    for k in wrt:
        assert_tree_close(again[k], got[k], atol=0)


def test_a_list_of_layer_tuples_gets_a_list_of_tuples():
    params, x = point('mlp', 0)
    got = adjoint.grad(mlp_loss)(params, x)
    assert type(got) is list and all(type(layer) is tuple for layer in got)
    assert [tuple(np.shape(a) for a in layer) for layer in got] == \
        [tuple(np.shape(a) for a in layer) for layer in params]


def test_an_unused_tuple_argument_gets_a_tuple_of_zeros():
    def first_only(x, t):
        return np.sum(x ** 2)
    x, t = np.ones(2), (np.ones(2), (np.ones(3), 2.0))
    _, bt = adjoint.grad(first_only, wrt=(0, 1))(x, t)
    assert_tree_close(bt, (np.zeros(2), (np.zeros(3), 0.0)), atol=0)


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('name, fn', MAPS)
def test_vjp_of_a_container_output_is_the_transposed_jvp(name, fn, seed):
    args = point(name, seed)
    out, pullback = adjoint.vjp(fn, *args)
    assert_tree_close(out, fn(*args), atol=0)
    rng = np.random.default_rng(seed + 10)
    cotangent = random_like(out, rng)
    (got,) = pullback(cotangent)
    assert_tree_close(got, fd_grad(lambda a: inner(fn(a), cotangent), args, 0))
    if isinstance(cotangent, (tuple, list)):  # a list stands for a tuple, and back
        other = list(cotangent) if isinstance(cotangent, tuple) else tuple(cotangent)
        assert_tree_close(pullback(other)[0], got, atol=0)


@pytest.mark.parametrize('cotangent, message', [
    ((np.ones(2), np.ones(1)), 'the cotangent[1] has shape (1,), but the output[1] has '
                               'shape (3,)'),
    ((np.ones(2), None), 'the cotangent[1] is None'),
    ((np.ones(2),), 'the cotangent is a tuple of 1 item, but the output is a tuple of 2'),
    (np.ones(2), 'the cotangent has shape (2,), but the output is a tuple of 2 items'),
])
def test_a_cotangent_not_shaped_like_the_output_is_an_error(cotangent, message):
    _, pullback = adjoint.vjp(pair_map, (np.ones(2), np.ones(3)))
    with pytest.raises(adjoint.AdjointError, match=r'vjp: .*shaped like the output') as error:
        pullback(cotangent)
    assert message in str(error.value)


def test_a_cotangent_missing_a_key_of_a_dict_output_is_an_error():
    _, pullback = adjoint.vjp(dict_map, point('dict', 0)[0])
    with pytest.raises(adjoint.AdjointError, match=r"cotangent\['n'\] is missing"):
        pullback({'y': np.ones(2)})


def test_a_list_of_floats_output_takes_a_list_or_an_array_cotangent():
    def doubled(xs):
        return [2.0 * x * x for x in xs]
    xs = [0.5, -1.5]
    _, pullback = adjoint.vjp(doubled, xs)
    for cotangent in ([1.0, 3.0], np.array([1.0, 3.0])):
        (got,) = pullback(cotangent)
        assert type(got) is list
        np.testing.assert_allclose(got, [4.0 * 0.5 * 1.0, 4.0 * -1.5 * 3.0])


# ---------------------------------------------------------------- forward mode


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('name, fn', MAPS + LOSSES)
def test_jvp_of_container_tangents(name, fn, seed):
    args = point(name, seed)
    rng = np.random.default_rng(seed + 20)
    tangents = tuple(random_like(a, rng) for a in args)
    out, tangent = adjoint.jvp(fn, args, tangents)
    assert_tree_close(out, fn(*args), atol=0)
    assert_tree_close(tangent, fd_jvp(fn, args, tangents))


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('name, fn', MAPS)
def test_jvp_and_vjp_of_containers_agree(name, fn, seed):
    # The dot-product test: <c, J t> = <J^T c, t>.
    args = point(name, seed)
    rng = np.random.default_rng(seed + 30)
    t = random_like(args[0], rng)
    out, jt = adjoint.jvp(fn, args, (t,))
    c = random_like(out, rng)
    (jtc,) = adjoint.vjp(fn, *args)[1](c)
    assert inner(c, jt) == pytest.approx(inner(jtc, t), rel=1e-10)


def test_a_tuple_of_floats_takes_an_array_tangent():
    xs = (0.3, -1.2, 0.8)
    out, tangent = adjoint.jvp(floats_loss, (xs,), (np.array([1.0, 0.5, -2.0]),))
    want = fd_jvp(floats_loss, (xs,), ((1.0, 0.5, -2.0),))
    assert tangent == pytest.approx(want)


@pytest.mark.parametrize('tangent, message', [
    ((np.ones(2), np.ones(1)), 'the tangent of argument 0[1] has shape (1,), the '
                               'argument[1] has shape (3,)'),
    ((np.ones(2), None), 'the tangent of argument 0[1] is None'),
    ([np.ones(2)], 'the tangent of argument 0 is a list of 1 item'),
])
def test_a_tangent_not_shaped_like_its_argument_is_an_error(tangent, message):
    with pytest.raises(adjoint.AdjointError, match='they must be the same') as error:
        adjoint.jvp(pair_map, ((np.ones(2), np.ones(3)),), (tangent,))
    assert message in str(error.value)


@pytest.mark.parametrize('seed', SEEDS)
def test_hvp_of_a_container_argument(seed):
    (t,) = point('pair_tuple', seed)
    v = random_like(t, np.random.default_rng(seed + 40))
    got = adjoint.hvp(pair_loss)(t, v)
    gradient = adjoint.grad(pair_loss)
    assert_tree_close(got, fd_jvp(gradient, (t,), (v,)), atol=1e-5)


# ---------------------------------------------------------------- arguments untouched


@pytest.mark.parametrize('name, fn', LOSSES)
def test_no_argument_is_changed(name, fn):
    args = point(name, 0)
    before = copy.deepcopy(args)
    adjoint.grad(fn, wrt=tuple(range(len(args))))(*args)
    adjoint.vjp(fn, *args)[1](1.0)
    adjoint.jvp(fn, args, tuple(random_like(a, np.random.default_rng(0)) for a in args))
    assert_tree_close(args, before, atol=0)


# ---------------------------------------------------------------- Jacobians


def test_jacobian_of_an_output_of_different_shapes_is_a_clean_error():
    # Such an argument is a pytree (tests/test_jax_conventions.py); an output not yet.
    for mode in ('auto', 'forward', 'reverse'):
        with pytest.raises(adjoint.AdjointError, match=r'`<lambda>` returned a tuple that '
                                                       r'holds items of different shapes'):
            adjoint.jacobian(lambda x: (np.sin(x), x[:2]), mode=mode)(np.ones(3))
    with pytest.raises(adjoint.AdjointError, match=r"argument 0 of `dict_loss`\['name'\] "
                                                   r'is str, not a number'):
        adjoint.jacobian(dict_loss)(point('dict', 0)[0])


@pytest.mark.parametrize('seed', SEEDS)
def test_reverse_jacobian_of_a_tuple_of_arrays_of_one_shape(seed):
    # Counted as the (2, 3) array it makes; its rows were once cotangents of the
    # wrong structure (a flat tuple of floats) and gave wrong numbers.
    x = np.random.default_rng(seed).normal(size=3)
    fn = lambda a: (np.sin(a), a * a)  # noqa: E731
    for mode in ('forward', 'reverse'):
        got = adjoint.jacobian(fn, mode=mode)(x)
        want = np.stack([np.asarray(fd_jvp(fn, (x,), (e,))) for e in np.eye(3)], axis=-1)
        assert got.shape == (2, 3, 3)
        np.testing.assert_allclose(got, want, atol=1e-6)


# ---------------------------------------------------------------- size-1 outputs


SIZE_ONE = [(summed_keepdims, (3,)), (log_softmax_row, (1, 4)), (zero_dimensional, (3,))]


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('fn, shape', SIZE_ONE)
def test_grad_of_a_size_one_array(fn, shape, seed):
    x = np.random.default_rng(seed).normal(size=shape)
    got = adjoint.grad(fn)(x)
    assert got.shape == x.shape
    np.testing.assert_allclose(got, fd_grad(fn, (x,), 0), atol=1e-6)
    value, again = adjoint.value_and_grad(fn)(x)
    assert type(value) is np.ndarray and value.shape == np.shape(fn(x))
    np.testing.assert_array_equal(value, fn(x))
    np.testing.assert_array_equal(again, got)
    _, tangent = adjoint.jvp(fn, (x,), (np.ones(shape),))
    assert float(np.sum(tangent)) == pytest.approx(float(np.sum(got)))
    check_grads(fn, (x,))  # adjoint.testing takes such a result too


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('fn, shape', SIZE_ONE)
def test_hessian_of_a_size_one_array(fn, shape, seed):
    x = np.random.default_rng(seed).normal(size=shape)
    got = adjoint.hessian(fn)(x)
    assert got.shape == shape + shape
    gradient = adjoint.grad(fn)
    columns = [fd_jvp(gradient, (x,), (e.reshape(shape),)) for e in np.eye(x.size)]
    want = np.stack(columns, axis=-1).reshape(shape + shape)
    np.testing.assert_allclose(got, want, atol=1e-5)


@pytest.mark.parametrize('s', [0.7, -1.3])
def test_a_size_one_array_of_a_float_has_a_float_gradient(s):
    got = adjoint.grad(scaled_cell)(s)
    assert np.ndim(got) == 0 and got == pytest.approx(3 * s ** 2)
    assert adjoint.grad(adjoint.grad(scaled_cell))(s) == pytest.approx(6 * s)


def test_the_seed_of_a_size_one_array_is_ones_of_its_shape():
    for shape in ((1,), (1, 1), (1, 1, 1)):
        seed = runtime.scalar_seed(np.zeros(shape), 'f')
        assert seed.shape == shape and np.all(seed == 1.0)
    assert runtime.scalar_seed(np.zeros(()), 'f') == 1.0


@pytest.mark.parametrize('value, shown', [
    (np.ones(2), 'ndarray of shape (2,)'), (np.ones((1, 2)), 'ndarray of shape (1, 2)'),
    ((np.ones(2), np.ones(3)), 'tuple of 2 items of different shapes'),
])
def test_a_larger_array_is_still_not_a_scalar(value, shown):
    with pytest.raises(adjoint.NonScalarOutputError, match='an array of one element') as error:
        runtime.scalar_seed(value, 'f')
    assert shown in str(error.value)
    with pytest.raises(adjoint.NonScalarOutputError):
        adjoint.grad(lambda x: x * np.ones(2))(1.0)


def test_a_complex_size_one_array_is_still_rejected():
    with pytest.raises(adjoint.NonScalarOutputError,
                       match='ndarray of dtype complex128; return a real number'):
        adjoint.grad(lambda x: x * np.ones(1, dtype=complex))(1.0)


def appended_energy(xs, y):
    return np.sum(np.append(xs, y) ** 2)


def appended(xs, y):
    return np.append(xs, y)


@pytest.mark.parametrize('make', [list, tuple])
def test_a_list_or_tuple_through_a_numpy_rule_gets_a_gradient_of_its_type(make):
    """np.append's rule gives an array cotangent; the gradient is of the type of
    the argument, a list or tuple of floats, as JAX's pytrees are."""
    xs = make([1.0, -2.0, 0.5])
    gx, gy = adjoint.grad(appended_energy, wrt=(0, 1))(xs, 4.0)
    assert type(gx) is make and all(type(item) is float for item in gx)
    np.testing.assert_allclose(gx, fd_grad(appended_energy, (np.array(xs), 4.0), 0))
    _, pullback = adjoint.vjp(appended, xs, 4.0)
    bx, by = pullback(np.array([1.0, 2.0, 3.0, 4.0]))
    assert type(bx) is make and list(bx) == [1.0, 2.0, 3.0] and by == 4.0


def test_a_list_of_lists_through_a_numpy_rule_gets_lists_of_floats():
    _, pullback = adjoint.vjp(appended, [[1.0, 2.0], [3.0, 4.0]], 4.0)
    rows, last = pullback(np.arange(5.0))
    assert rows == [[0.0, 1.0], [2.0, 3.0]] and all(type(row) is list for row in rows)
    _, pullback = adjoint.vjp(appended, [np.ones(2), np.ones(2)], 4.0)
    rows, _ = pullback(np.arange(5.0))
    assert all(type(row) is np.ndarray for row in rows)


# ---------------------------------------------------------------- the keys of a dict


def weighted_by_sorted_keys(params):
    total = 0.0
    for i, name in enumerate(sorted(params)):
        total = total + np.sum(np.sin(params[name])) * (i + 1.0)
    return total


def weighted_by_listed_keys(params, scale):
    first = list(params)[0]
    total = np.sum(params[first] ** 2) * scale
    for name in sorted(params.keys(), reverse=True):
        total = total + np.sum(np.cos(params[name]))
    for name in tuple(params):
        total = total * 0.5 + np.sum(params[name])
    return total


@pytest.mark.parametrize('fn', [weighted_by_sorted_keys, weighted_by_listed_keys])
def test_the_keys_of_a_dict_in_sorted_list_tuple_and_keys_are_no_differentiated_value(fn):
    # autograd's test_dict.py walks `sorted(input_dict)`: the keys are strings, and
    # reading an item by one is a read by a constant, as in `for k in params`.
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        params = {'w': rng.normal(size=(2, 3)), 'b': rng.normal(size=3), 'a': 0.7}
        args = (params,) if fn is weighted_by_sorted_keys else (params, 1.3)
        check_grads(fn, args, order=2)
