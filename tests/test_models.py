"""Gradients of small models written as people write them: an MLP, logistic
regression, N-dimensional Rosenbrock (the functions are in `tests/models.py`).

Every gradient is checked against central finite differences and against a
hand-written NumPy gradient, at more than one random point (fixed seeds, float64).
The hand-written gradients are themselves checked against finite differences, so a
wrong reference cannot make a test pass.
"""

import numpy as np
import pytest

import adjoint
from adjoint.testing import numerical_grad
from tests import models

SEEDS = (0, 1)
SIZES = (4, 6, 3)  # inputs, hidden units, classes
BATCH = 5
KEYS = ('W1', 'b1', 'W2', 'b2')


def mlp_problem(seed):
    """`(params, x, y_onehot)` of a small MLP at a random point."""
    rng = np.random.default_rng(seed)
    params = models.init_mlp(rng, SIZES)
    x = rng.standard_normal((BATCH, SIZES[0]))
    y = models.one_hot(rng.integers(0, SIZES[2], BATCH), SIZES[2])
    return params, x, y


def numerical_grad_at(fn, args, k, key):
    """Central differences of `fn` w.r.t. item `key` of container argument `args[k]`."""

    def moved(value):
        container = args[k]
        if isinstance(container, dict):
            container = {**container, key: value}
        else:
            container = list(container)
            container[key] = value
        return fn(*args[:k], container, *args[k + 1:])

    return numerical_grad(moved, (args[k][key],), 0)


def assert_close(got, want, what, rtol=1e-6, atol=1e-8):
    assert np.shape(got) == np.shape(want), f'{what}: shape {np.shape(got)} != {np.shape(want)}'
    assert np.allclose(got, want, rtol=rtol, atol=atol), f'{what}:\n{got}\n!=\n{want}'


# --- the references themselves --------------------------------------------------------


@pytest.mark.parametrize('seed', SEEDS)
def test_hand_written_mlp_gradient_matches_finite_differences(seed):
    args = mlp_problem(seed)
    want = models.mlp_grad(*args)
    for key in KEYS:
        assert_close(want[key], numerical_grad_at(models.mlp_loss, args, 0, key), key)


@pytest.mark.parametrize('seed', SEEDS)
def test_hand_written_logistic_and_rosenbrock_gradients_match_finite_differences(seed):
    w, b, x, y = logistic_problem(seed)
    gw, gb = models.logistic_grad(w, b, x, y)
    assert_close(gw, numerical_grad(models.logistic_loss, (w, b, x, y), 0), 'w')
    assert_close(gb, numerical_grad(models.logistic_loss, (w, b, x, y), 1), 'b')
    x = np.random.default_rng(seed).uniform(-2.0, 2.0, 9)
    assert_close(models.rosenbrock_grad(x), numerical_grad(models.rosenbrock, (x,), 0),
                 'rosenbrock', rtol=1e-6, atol=1e-5)


# --- MLP with a params dict -----------------------------------------------------------


def test_mlp_gradient_is_a_dict_with_the_params_keys_and_shapes():
    params, x, y = mlp_problem(0)
    got = adjoint.grad(models.mlp_loss)(params, x, y)
    assert isinstance(got, dict)
    assert sorted(got) == sorted(params)
    for key in KEYS:
        assert np.shape(got[key]) == params[key].shape, key


@pytest.mark.parametrize('seed', SEEDS)
def test_mlp_gradient_matches_finite_differences_and_backprop(seed):
    args = mlp_problem(seed)
    got = adjoint.grad(models.mlp_loss)(*args)
    want = models.mlp_grad(*args)
    for key in KEYS:
        assert_close(got[key], want[key], f'{key} vs hand-written', rtol=1e-9, atol=1e-12)
        assert_close(got[key], numerical_grad_at(models.mlp_loss, args, 0, key),
                     f'{key} vs finite differences')


def test_mlp_gradient_does_not_mutate_the_arguments():
    params, x, y = mlp_problem(0)
    before = {key: value.copy() for key, value in params.items()}
    x_before = x.copy()
    adjoint.grad(models.mlp_loss)(params, x, y)
    for key in KEYS:
        assert np.array_equal(params[key], before[key]), key
    assert np.array_equal(x, x_before)


def test_mlp_value_and_gradient():
    args = mlp_problem(1)
    value, got = adjoint.value_and_grad(models.mlp_loss)(*args)
    assert value == pytest.approx(models.mlp_loss(*args), rel=1e-12)
    assert_close(got['W1'], models.mlp_grad(*args)['W1'], 'W1', rtol=1e-9, atol=1e-12)


def test_mlp_gradient_with_respect_to_the_inputs():
    params, x, y = mlp_problem(0)
    got = adjoint.grad(models.mlp_loss, wrt='x')(params, x, y)
    assert_close(got, numerical_grad(models.mlp_loss, (params, x, y), 1), 'x')


def test_mlp_gradient_of_a_tied_maximum():
    """Equal logits in a row make `np.max` tie; the max-shift cancels in log-softmax,
    so the gradient is the same however a tie is split."""
    params, x, y = mlp_problem(0)
    params = {**params, 'W2': np.zeros_like(params['W2']), 'b2': np.zeros(SIZES[2])}
    got = adjoint.grad(models.mlp_loss)(params, x, y)
    want = models.mlp_grad(params, x, y)
    for key in KEYS:
        assert_close(got[key], want[key], key, rtol=1e-9, atol=1e-12)


# --- MLP variants: separate arrays, a list of layers ----------------------------------


@pytest.mark.parametrize('seed', SEEDS)
def test_mlp_with_separate_arrays(seed):
    params, x, y = mlp_problem(seed)
    args = tuple(params[key] for key in KEYS) + (x, y)
    got = adjoint.grad(models.mlp_loss_arrays, wrt=(0, 1, 2, 3))(*args)
    want = models.mlp_grad_arrays(*args)
    assert isinstance(got, tuple) and len(got) == 4
    for k, key in enumerate(KEYS):
        assert_close(got[k], want[k], f'{key} vs hand-written', rtol=1e-9, atol=1e-12)
        assert_close(got[k], numerical_grad(models.mlp_loss_arrays, args, k),
                     f'{key} vs finite differences')


def test_mlp_as_a_list_of_two_layers_matches_backprop():
    params, x, y = mlp_problem(0)
    layers = [(params['W1'], params['b1']), (params['W2'], params['b2'])]
    got = adjoint.grad(models.mlp_loss_layers)(layers, x, y)
    want = models.mlp_grad(params, x, y)
    assert len(got) == 2
    for (gW, gb), n in zip(got, ('1', '2')):
        assert_close(gW, want['W' + n], 'W' + n, rtol=1e-9, atol=1e-12)
        assert_close(gb, want['b' + n], 'b' + n, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize('seed', SEEDS)
def test_mlp_as_a_list_of_three_layers_matches_finite_differences(seed):
    rng = np.random.default_rng(seed)
    sizes = (3, 5, 4, 2)
    layers = [(rng.standard_normal((m, n)) / np.sqrt(m), 0.1 * rng.standard_normal(n))
              for m, n in zip(sizes, sizes[1:])]
    x = rng.standard_normal((BATCH, sizes[0]))
    y = models.one_hot(rng.integers(0, sizes[-1], BATCH), sizes[-1])
    got = adjoint.grad(models.mlp_loss_layers)(layers, x, y)
    assert len(got) == len(layers)
    for k, (W, b) in enumerate(layers):
        for j, what in enumerate(('W', 'b')):
            def moved(value, k=k, j=j):
                changed = list(layers)
                pair = list(changed[k])
                pair[j] = value
                changed[k] = tuple(pair)
                return models.mlp_loss_layers(changed, x, y)

            want = numerical_grad(moved, (layers[k][j],), 0)
            assert_close(got[k][j], want, f'layer {k} {what}')


# --- logistic regression --------------------------------------------------------------


def logistic_problem(seed, n=8, d=3):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(d)
    b = float(rng.standard_normal())
    x = rng.standard_normal((n, d))
    y = rng.integers(0, 2, n).astype(float)
    return w, b, x, y


@pytest.mark.parametrize('seed', SEEDS)
def test_logistic_regression_gradient(seed):
    args = logistic_problem(seed)
    gw, gb = adjoint.grad(models.logistic_loss, wrt=(0, 1))(*args)
    want_w, want_b = models.logistic_grad(*args)
    assert isinstance(gb, float)
    assert_close(gw, want_w, 'w vs hand-written', rtol=1e-9, atol=1e-12)
    assert gb == pytest.approx(want_b, rel=1e-9, abs=1e-12)
    assert_close(gw, numerical_grad(models.logistic_loss, args, 0), 'w vs finite differences')
    assert gb == pytest.approx(numerical_grad(models.logistic_loss, args, 1), rel=1e-6, abs=1e-8)


def test_logistic_regression_gradient_at_zero_weights():
    """At w = 0, b = 0 every p is 1/2: d/dw = x.T (1/2 - y) / n, d/db = mean(1/2 - y)."""
    _, _, x, y = logistic_problem(3)
    gw, gb = adjoint.grad(models.logistic_loss, wrt=(0, 1))(np.zeros(3), 0.0, x, y)
    assert_close(gw, x.T @ (0.5 - y) / len(y), 'w', rtol=1e-12, atol=1e-15)
    assert gb == pytest.approx(np.mean(0.5 - y), rel=1e-12, abs=1e-15)


# --- Rosenbrock in N dimensions -------------------------------------------------------


@pytest.mark.parametrize('seed', (0, 1, 2))
def test_rosenbrock_gradient_at_random_points(seed):
    x = np.random.default_rng(seed).uniform(-2.0, 2.0, 3 + 4 * seed)
    got = adjoint.grad(models.rosenbrock)(x)
    assert_close(got, models.rosenbrock_grad(x), 'vs hand-written', rtol=1e-12, atol=1e-12)
    assert_close(got, numerical_grad(models.rosenbrock, (x,), 0), 'vs finite differences',
                 rtol=1e-6, atol=1e-5)


def test_rosenbrock_gradient_is_exactly_zero_at_the_minimum():
    got = adjoint.grad(models.rosenbrock)(np.ones(10))
    assert models.rosenbrock(np.ones(10)) == 0.0
    assert np.array_equal(got, np.zeros(10))


def test_rosenbrock_gradient_known_values():
    """At 0: each (1 - x[i])**2 gives -2 for all but the last; at (-1, 1), the
    2-D gradient (-400 x (y - x^2) - 2 (1 - x), 200 (y - x^2)) is (-4, 0)."""
    grad = adjoint.grad(models.rosenbrock)
    assert np.array_equal(grad(np.zeros(5)), [-2.0, -2.0, -2.0, -2.0, 0.0])
    assert np.array_equal(grad(np.array([-1.0, 1.0])), [-4.0, 0.0])
