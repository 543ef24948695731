"""A two-layer MLP's loss gradient: batch 64, 32 inputs, 128 tanh units, 10 classes.

The loss is the mean softmax cross-entropy, written as people write it with the
parameters in a dict; the gradient is a dict with the same keys. `mlp_arrays` is
the same model with the four parameters passed as separate arrays.

The log-softmax subtracts each row's maximum so that `exp` cannot overflow, and
says that the maximum is a constant, as `jax.nn.log_softmax` does: the result
does not depend on it, and its adjoint (which sums to zero up to rounding) is
work for nothing. The hand-written gradient leaves it out too. `mlp_plain_max`
differentiates the maximum as well, as code written without that in mind does.
"""

import numpy as np

import adjoint
from common import Benchmark

BATCH, INPUTS, HIDDEN, CLASSES = 64, 32, 128, 10


def mlp_loss(params, x, y_onehot):
    h = np.tanh(x @ params['W1'] + params['b1'])
    logits = h @ params['W2'] + params['b2']
    m = adjoint.stop_gradient(np.max(logits, axis=1, keepdims=True))
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(y_onehot * log_probs, axis=1))


def mlp_loss_plain_max(params, x, y_onehot):
    h = np.tanh(x @ params['W1'] + params['b1'])
    logits = h @ params['W2'] + params['b2']
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(y_onehot * log_probs, axis=1))


def mlp_grad(params, x, y_onehot):
    """Backprop by hand. Rows of `y_onehot` sum to one, so the gradient of the mean
    cross-entropy w.r.t. the logits is (softmax(logits) - y) / batch; then
    d/dh = dlogits @ W2.T and d/da = d/dh * (1 - h**2) through h = tanh(a)."""
    W2 = params['W2']
    h = np.tanh(x @ params['W1'] + params['b1'])
    logits = h @ W2 + params['b2']
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dlogits = (p - y_onehot) / x.shape[0]
    da = (dlogits @ W2.T) * (1.0 - h * h)
    return {'W1': x.T @ da, 'b1': da.sum(axis=0),
            'W2': h.T @ dlogits, 'b2': dlogits.sum(axis=0)}


def mlp_loss_arrays(W1, b1, W2, b2, x, y_onehot):
    h = np.tanh(x @ W1 + b1)
    logits = h @ W2 + b2
    m = adjoint.stop_gradient(np.max(logits, axis=1, keepdims=True))
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(y_onehot * log_probs, axis=1))


def mlp_grad_arrays(W1, b1, W2, b2, x, y_onehot):
    """The same backprop, returning (dW1, db1, dW2, db2)."""
    h = np.tanh(x @ W1 + b1)
    logits = h @ W2 + b2
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dlogits = (p - y_onehot) / x.shape[0]
    da = (dlogits @ W2.T) * (1.0 - h * h)
    return x.T @ da, da.sum(axis=0), h.T @ dlogits, dlogits.sum(axis=0)


def _problem(batch=BATCH, inputs=INPUTS, hidden=HIDDEN, classes=CLASSES):
    rng = np.random.default_rng(0)
    params = {'W1': rng.standard_normal((inputs, hidden)) / np.sqrt(inputs),
              'b1': 0.1 * rng.standard_normal(hidden),
              'W2': rng.standard_normal((hidden, classes)) / np.sqrt(hidden),
              'b2': 0.1 * rng.standard_normal(classes)}
    x = rng.standard_normal((batch, inputs))
    y = np.eye(classes)[rng.integers(0, classes, batch)]
    return params, x, y


def _arrays(*sizes):
    params, x, y = _problem(*sizes)
    return params['W1'], params['b1'], params['W2'], params['b2'], x, y


SMALL = (8, 4, 6, 3)  # batch, inputs, hidden, classes of `run.py --quick`


BENCHMARKS = [
    Benchmark('mlp', mlp_loss, _problem(), (0,), mlp_grad,
              'standard backprop: softmax minus one-hot, two matmuls and a sum per layer',
              target=1.2, target_primal=1.3, first_target=0.010, compare=True,
              small=_problem(*SMALL)),
    Benchmark('mlp_arrays', mlp_loss_arrays, _arrays(), (0, 1, 2, 3), mlp_grad_arrays,
              'the same backprop with the parameters as four arrays', target=1.2,
              small=_arrays(*SMALL)),
    Benchmark('mlp_plain_max', mlp_loss_plain_max, _problem(), (0,), mlp_grad,
              'the same backprop, without the adjoint of the maximum (zero up to '
              'rounding), which the generated code computes', small=_problem(*SMALL)),
]
