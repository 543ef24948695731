"""Small models written the way people write them in NumPy, with hand-written gradients.

The functions here are what `tests/test_models.py`, `examples/mlp_training.py` and the
benchmarks differentiate. Each model comes with its gradient derived by hand (the
standard backprop formulas), so adjoint's output is compared with two independent
references: that and central finite differences.

adjoint reads the models' source, so they live in a file and use only plain Python and
NumPy; the hand-written gradients are ordinary NumPy and are never differentiated.
"""

import numpy as np

# --- two-layer MLP: tanh hidden layer, softmax cross-entropy --------------------------


def mlp_loss(params, x, y_onehot):
    """Mean softmax cross-entropy of a tanh MLP; `params` has W1, b1, W2, b2."""
    h = np.tanh(x @ params['W1'] + params['b1'])
    logits = h @ params['W2'] + params['b2']
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(y_onehot * log_probs, axis=1))


def mlp_loss_arrays(W1, b1, W2, b2, x, y_onehot):
    """`mlp_loss` with the parameters passed as separate arrays."""
    h = np.tanh(x @ W1 + b1)
    logits = h @ W2 + b2
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(y_onehot * log_probs, axis=1))


def mlp_loss_layers(layers, x, y_onehot):
    """A deep MLP as a list of `(W, b)` tuples: tanh between layers, none after the last."""
    h = x
    for W, b in layers[:-1]:
        h = np.tanh(h @ W + b)
    W, b = layers[-1]
    logits = h @ W + b
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(y_onehot * log_probs, axis=1))


def mlp_logits(params, x):
    """The MLP's output scores, for predictions (not differentiated)."""
    h = np.tanh(x @ params['W1'] + params['b1'])
    return h @ params['W2'] + params['b2']


def mlp_grad(params, x, y_onehot):
    """The gradient of `mlp_loss` by standard backpropagation, as a dict like `params`.

    With p = softmax(logits), the gradient of the mean cross-entropy with respect to
    the logits is (p - y) / batch (assuming each row of `y_onehot` sums to one; in
    general it is (p * sum(y, row) - y) / batch, which is what is computed here).
    Through `logits = h @ W2 + b2` and `h = tanh(a)`, `a = x @ W1 + b1`, the rest is
    the chain rule: d/dh = dlogits @ W2.T, d/da = d/dh * (1 - h**2).
    """
    batch = x.shape[0]
    h = np.tanh(x @ params['W1'] + params['b1'])
    logits = h @ params['W2'] + params['b2']
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted)
    p /= p.sum(axis=1, keepdims=True)
    dlogits = (p * y_onehot.sum(axis=1, keepdims=True) - y_onehot) / batch
    da = (dlogits @ params['W2'].T) * (1.0 - h * h)
    return {'W1': x.T @ da, 'b1': da.sum(axis=0),
            'W2': h.T @ dlogits, 'b2': dlogits.sum(axis=0)}


def mlp_grad_arrays(W1, b1, W2, b2, x, y_onehot):
    """The gradient of `mlp_loss_arrays` w.r.t. (W1, b1, W2, b2), as a tuple."""
    g = mlp_grad({'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2}, x, y_onehot)
    return g['W1'], g['b1'], g['W2'], g['b2']


def init_mlp(rng, sizes):
    """A params dict for `mlp_loss`: `sizes` = (inputs, hidden, classes)."""
    n_in, n_hidden, n_out = sizes
    return {'W1': rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in),
            'b1': 0.1 * rng.standard_normal(n_hidden),
            'W2': rng.standard_normal((n_hidden, n_out)) / np.sqrt(n_hidden),
            'b2': 0.1 * rng.standard_normal(n_out)}


def one_hot(labels, classes):
    """Rows of the identity matrix: `one_hot([2, 0], 3)` is [[0, 0, 1], [1, 0, 0]]."""
    return np.eye(classes)[labels]


# --- logistic regression ---------------------------------------------------------------


def logistic_loss(w, b, x, y):
    """Mean binary cross-entropy of a logistic regression; `y` holds 0s and 1s."""
    z = x @ w + b
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def logistic_grad(w, b, x, y):
    """(d/dw, d/db) of `logistic_loss`: with p = sigmoid(z), d/dz = (p - y) / n."""
    p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
    dz = (p - y) / len(y)
    return x.T @ dz, float(np.sum(dz))


# --- Rosenbrock in N dimensions --------------------------------------------------------


def rosenbrock(x):
    """sum_i 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, vectorized; minimum 0 at all ones."""
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def rosenbrock_grad(x):
    """The gradient of `rosenbrock`: each x[i] appears in term i (as x[i]) and in
    term i-1 (as x[i+1]), so the gradient is the sum of two shifted pieces."""
    r = x[1:] - x[:-1] ** 2
    g = np.zeros_like(x)
    g[:-1] = -400.0 * x[:-1] * r - 2.0 * (1.0 - x[:-1])
    g[1:] += 200.0 * r
    return g
