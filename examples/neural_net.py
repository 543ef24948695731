"""A multi-layer perceptron classifier, written as autograd's neural_net.py writes it.

    python examples/neural_net.py

The parameters are a list of (weights, biases) pairs that the prediction unpacks in
a `for` loop; the log-softmax is written with a `logsumexp(..., keepdims=True)`
helper; the loss is the mean negative log-likelihood plus an L2 penalty. The sizes
are autograd's own, layers [784, 200, 100, 10] (about 180,000 parameters), on a
random batch of 64 "images" with random labels (no MNIST download): the point is
the gradient, checked here along a random direction against central differences.
"""

import numpy as np

import adjoint


def init_random_params(scale, layer_sizes, rs):
    """A list of (weights, biases) pairs, one for each layer of the net."""
    return [(scale * rs.standard_normal((m, n)),   # weight matrix
             scale * rs.standard_normal(n))        # bias vector
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]


def logsumexp(X, axis, keepdims):
    """log(sum(exp(X))) along `axis`, without overflow."""
    max_X = np.max(X, axis=axis, keepdims=True)
    return max_X + np.log(np.sum(np.exp(X - max_X), axis=axis, keepdims=True))


def neural_net_predict(params, inputs):
    """Normalized class log-probabilities of each row of `inputs` (an N x D matrix).

    `params` is a list of (weights, bias) pairs; tanh between the layers.
    """
    for W, b in params:
        outputs = np.dot(inputs, W) + b
        inputs = np.tanh(outputs)
    return outputs - logsumexp(outputs, axis=1, keepdims=True)


def l2_norm(params):
    """The sum of the squares of every weight and bias."""
    total = 0.0
    for W, b in params:
        total = total + np.sum(W ** 2) + np.sum(b ** 2)
    return total


def loss(params, inputs, targets, L2_reg):
    """Mean negative log-likelihood of one-hot `targets`, plus `L2_reg` times the L2 norm."""
    log_lik = np.sum(neural_net_predict(params, inputs) * targets) / inputs.shape[0]
    return -log_lik + L2_reg * l2_norm(params)


def random_batch(rs, batch_size, layer_sizes):
    """Random inputs and random one-hot targets shaped for the net."""
    inputs = rs.standard_normal((batch_size, layer_sizes[0]))
    targets = np.eye(layer_sizes[-1])[rs.integers(0, layer_sizes[-1], batch_size)]
    return inputs, targets


def main():
    rs = np.random.default_rng(0)
    layer_sizes = [784, 200, 100, 10]
    params = init_random_params(0.1, layer_sizes, rs)
    inputs, targets = random_batch(rs, 64, layer_sizes)
    L2_reg = 1e-3

    loss_grad = adjoint.grad(loss)
    grads = loss_grad(params, inputs, targets, L2_reg)
    print(f'loss {loss(params, inputs, targets, L2_reg):.6f}; gradient shapes '
          f'{[(dW.shape, db.shape) for dW, db in grads]}')

    direction = [(rs.standard_normal(W.shape), rs.standard_normal(b.shape)) for W, b in params]
    along = sum(np.sum(dW * vW) + np.sum(db * vb) for (dW, db), (vW, vb) in zip(grads, direction))
    h = 1e-5
    plus = [(W + h * vW, b + h * vb) for (W, b), (vW, vb) in zip(params, direction)]
    minus = [(W - h * vW, b - h * vb) for (W, b), (vW, vb) in zip(params, direction)]
    central = (loss(plus, inputs, targets, L2_reg) - loss(minus, inputs, targets, L2_reg)) / (2 * h)
    print(f'<grad, v> = {along:.8f}; central difference {central:.8f}')

    step_size = 0.1
    for step in range(5):
        grads = loss_grad(params, inputs, targets, L2_reg)
        params = [(W - step_size * dW, b - step_size * db)
                  for (W, b), (dW, db) in zip(params, grads)]
        print(f'step {step}   loss {loss(params, inputs, targets, L2_reg):.6f}')


if __name__ == '__main__':
    main()
