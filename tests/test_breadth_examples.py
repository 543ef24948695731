"""The example programs of examples/ written as autograd's examples write them
(issue 12, "Example programs that must work unchanged, at their own sizes").

Each test imports the example unchanged and checks adjoint's gradient against
central finite differences at two seeds: on parameter sets too large to check
coordinate by coordinate, the directional derivative <grad, v> along a random
direction v against (f(x + h v) - f(x - h v)) / 2h, plus a few coordinates; where
cheap, the tangent `adjoint.jvp` along the same direction too. The programs that
adjoint rejected when they were written were strict xfails naming the missing
construct; each flipped when it landed.
"""

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads
from examples import black_box_svi, fluidsim, gmm, neural_net, recurrent, variational_autoencoder

SEEDS = (0, 1)


def leaves(tree):
    """The arrays of a parameter tree (arrays in lists, tuples and dicts), in order."""
    if isinstance(tree, dict):
        return [leaf for key in tree for leaf in leaves(tree[key])]
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in leaves(item)]
    return [tree]


def tree_map(fn, *trees):
    """`fn` applied leaf by leaf to trees of one structure, in that structure."""
    first = trees[0]
    if isinstance(first, dict):
        return {key: tree_map(fn, *(t[key] for t in trees)) for key in first}
    if isinstance(first, (list, tuple)):
        return type(first)(tree_map(fn, *items) for items in zip(*trees))
    return fn(*trees)


def unit_direction(tree, rng):
    """A random direction shaped like `tree`, of norm one over all its leaves."""
    direction = tree_map(lambda leaf: rng.standard_normal(np.shape(leaf)), tree)
    norm = np.sqrt(sum(np.sum(leaf ** 2) for leaf in leaves(direction)))
    return tree_map(lambda leaf: leaf / norm, direction)


def inner(a, b):
    return sum(float(np.sum(x * y)) for x, y in zip(leaves(a), leaves(b)))


def central_difference(fn, args, k, direction, h):
    """(f(x + h v) - f(x - h v)) / 2h, moving argument `k` along `direction`."""
    def moved(sign):
        arg = tree_map(lambda x, v: x + sign * h * v, args[k], direction)
        return fn(*args[:k], arg, *args[k + 1:])
    return (moved(1.0) - moved(-1.0)) / (2 * h)


def coordinate(tree, path_index, flat_index):
    """A direction that is one at one entry of one leaf of `tree`, zero elsewhere."""
    def basis(leaf, n=[0]):
        e = np.zeros(np.shape(leaf))
        if n[0] == path_index:
            e.flat[flat_index] = 1.0
        n[0] += 1
        return e
    return tree_map(basis, tree)


def assert_gradient_matches(fn, args, k, grads, rng, h=1e-6, coordinates=3, rtol=1e-6,
                            forward=True):
    """adjoint's gradient `grads` of `fn` with respect to `args[k]` against central
    differences: along a random unit direction and at a few random coordinates; and
    adjoint's tangent along that direction, by forward mode."""
    direction = unit_direction(args[k], rng)
    expected = central_difference(fn, args, k, direction, h)
    along = inner(grads, direction)
    assert along == pytest.approx(expected, rel=rtol, abs=1e-9)
    for _ in range(coordinates):
        path_index = int(rng.integers(len(leaves(args[k]))))
        flat_index = int(rng.integers(np.size(leaves(args[k])[path_index])))
        e = coordinate(args[k], path_index, flat_index)
        assert inner(grads, e) == pytest.approx(central_difference(fn, args, k, e, h),
                                                rel=rtol, abs=1e-9)
    if forward:
        tangents = tuple(direction if j == k else None for j in range(len(args)))
        value, tangent = adjoint.jvp(fn, args, tangents)
        assert value == pytest.approx(fn(*args), rel=1e-12)
        assert tangent == pytest.approx(along, rel=1e-9, abs=1e-12)


# 1. A multi-layer network: a list of (W, b) pairs unpacked in a loop, log-softmax
# by a logsumexp(..., keepdims=True) helper.

@pytest.mark.parametrize('seed', SEEDS)
def test_neural_net_at_autograds_sizes(seed):
    rng = np.random.default_rng(seed)
    layer_sizes = [784, 200, 100, 10]
    params = neural_net.init_random_params(0.1, layer_sizes, rng)
    inputs, targets = neural_net.random_batch(rng, 32, layer_sizes)
    args = (params, inputs, targets, 1e-3)
    grads = adjoint.grad(neural_net.loss)(*args)
    assert [(dW.shape, db.shape) for dW, db in grads] == \
        [(W.shape, b.shape) for W, b in params]
    assert_gradient_matches(neural_net.loss, args, 0, grads, rng)


@pytest.mark.parametrize('seed', SEEDS)
def test_neural_net_gradient_by_inputs_too(seed):
    rng = np.random.default_rng(seed)
    layer_sizes = [5, 4, 3]
    params = neural_net.init_random_params(0.5, layer_sizes, rng)
    inputs, targets = neural_net.random_batch(rng, 6, layer_sizes)
    check_grads(lambda x: neural_net.loss(params, x, targets, 0.1), (inputs,))


# 2. Recurrent networks whose cell helper takes *args.

def character_batch(rng, sequence_length=30, sequences=16, alphabet=128):
    """A (time, sequence, alphabet) one-hot batch of random characters."""
    codes = rng.integers(0, alphabet, (sequence_length, sequences))
    return np.eye(alphabet)[codes]


@pytest.mark.parametrize('seed', SEEDS)
def test_rnn(seed):
    rng = np.random.default_rng(seed)
    inputs = character_batch(rng)
    params = recurrent.create_rnn_params(128, 40, 128, 0.1, rng)  # autograd's sizes
    args = (params, inputs, inputs)
    grads = adjoint.grad(recurrent.rnn_log_likelihood)(*args)
    assert_gradient_matches(recurrent.rnn_log_likelihood, args, 0, grads, rng, h=1e-5, rtol=1e-5)


@pytest.mark.parametrize('seed', SEEDS)
def test_lstm(seed):
    rng = np.random.default_rng(seed)
    inputs = character_batch(rng)
    params = recurrent.create_lstm_params(128, 40, 128, 0.1, rng)  # autograd's sizes
    args = (params, inputs, inputs)
    grads = adjoint.grad(recurrent.lstm_log_likelihood)(*args)
    assert_gradient_matches(recurrent.lstm_log_likelihood, args, 0, grads, rng, h=1e-5, rtol=1e-5)


# 3. A Gaussian mixture and a variational autoencoder, with np.logaddexp.

@pytest.mark.parametrize('seed', SEEDS)
def test_gmm_log_likelihood(seed):
    rng = np.random.default_rng(seed)
    params = gmm.init_gmm_params(num_components=10, D=2, scale=0.1, rs=rng)
    params['lower triangles'] = params['lower triangles'] + \
        0.1 * rng.standard_normal(params['lower triangles'].shape)
    data = gmm.make_pinwheel(0.3, 0.05, num_classes=3, num_per_class=100, rate=0.4, rs=rng)
    args = (params, data)
    grads = adjoint.grad(gmm.gmm_log_likelihood)(*args)
    assert_gradient_matches(gmm.gmm_log_likelihood, args, 0, grads, rng, rtol=1e-5)


@pytest.mark.parametrize('seed', SEEDS)
def test_gmm_component_log_density(seed):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((20, 3))
    mean = rng.standard_normal(3)
    cov_sqrt = np.eye(3) + 0.3 * rng.standard_normal((3, 3))
    check_grads(lambda m, c: np.sum(gmm.mvn_logpdf(data, m, c)), (mean, cov_sqrt))
    check_grads(lambda x: np.sum(gmm.log_normalize(x) * np.arange(5.0)),
                (rng.standard_normal(5),))


@pytest.mark.parametrize('seed', SEEDS)
def test_variational_autoencoder_at_autograds_sizes(seed):
    rng = np.random.default_rng(seed)
    latent_dim, data_dim, batch_size = 10, 784, 16
    init = variational_autoencoder.init_net_params
    gen_params = init(0.1, [latent_dim, 300, 200, data_dim], rng)
    rec_params = init(0.1, [data_dim, 200, 300, latent_dim * 2], rng)
    images = np.where(rng.random((batch_size, data_dim)) > 0.5, 1.0, -1.0)
    noise = rng.standard_normal((batch_size, latent_dim))
    bound = variational_autoencoder.vae_lower_bound
    args = (gen_params, rec_params, images, noise)
    gen_grads, rec_grads = adjoint.grad(bound, wrt=(0, 1))(*args)
    assert_gradient_matches(bound, args, 0, gen_grads, rng, h=1e-5, rtol=1e-5)
    assert_gradient_matches(bound, args, 1, rec_grads, rng, h=1e-5, rtol=1e-5)


# 4. A fluid simulation, 20 steps, differentiated with respect to the initial velocity.

@pytest.mark.parametrize('seed', SEEDS)
def test_fluidsim_twenty_steps(seed):
    rng = np.random.default_rng(seed)
    init_smoke, target = fluidsim.disc_and_ring(32)
    vx = 0.3 * rng.standard_normal((32, 32))
    vy = 0.3 * rng.standard_normal((32, 32))
    args = (vx, vy, init_smoke, target, 20)
    dvx, dvy = adjoint.grad(fluidsim.objective, wrt=(0, 1))(*args)
    assert_gradient_matches(fluidsim.objective, args, 0, dvx, rng, rtol=1e-5)
    assert_gradient_matches(fluidsim.objective, args, 1, dvy, rng, rtol=1e-5)


@pytest.mark.parametrize('seed', SEEDS)
def test_fluidsim_advect_and_project(seed):
    rng = np.random.default_rng(seed)
    f, vx, vy = rng.random((8, 8)), 0.3 * rng.standard_normal((8, 8)), \
        0.3 * rng.standard_normal((8, 8))
    weights = rng.standard_normal((8, 8))
    check_grads(lambda f, vx, vy: np.sum(fluidsim.advect(f, vx, vy) * weights), (f, vx, vy))

    def projected(vx, vy):
        px, py = fluidsim.project(vx, vy)
        return np.sum(px * weights) + np.sum(py ** 2)

    def projected_copies(vx, vy):  # project writes into its arguments
        return projected(vx.copy(), vy.copy())

    before = (vx.copy(), vy.copy())
    dvx, dvy = adjoint.grad(projected, wrt=(0, 1))(vx, vy)
    assert np.array_equal(vx, before[0]) and np.array_equal(vy, before[1])
    expected = check_grads(projected_copies, (vx, vy))
    assert np.allclose(dvx, expected[0], rtol=1e-12) and np.allclose(dvy, expected[1], rtol=1e-12)
    _, tangent = adjoint.jvp(projected, (vx, vy), (weights, weights))
    assert np.array_equal(vx, before[0]) and np.array_equal(vy, before[1])
    assert tangent == pytest.approx(np.sum(dvx * weights) + np.sum(dvy * weights), rel=1e-9)


# 5. Black-box variational inference, the noise drawn outside.

@pytest.mark.parametrize('seed', SEEDS)
def test_black_box_svi(seed):
    rng = np.random.default_rng(seed)
    objective, gradient, unpack_params = black_box_svi.black_box_variational_inference(
        black_box_svi.log_density, 2)
    params = np.concatenate([rng.standard_normal(2), -1.0 + 0.3 * rng.standard_normal(2)])
    noise = rng.standard_normal((2000, 2))
    got = gradient(params, noise)
    (expected,) = check_grads(objective, (params, noise), wrt=(0,))
    assert np.array_equal(got, expected)
