"""Golden cases of NumPy code: slices, reductions kept as dimensions.

Add new cases at the end: the generated code cites line numbers of this file.
"""

import numpy as np

_RNG = np.random.default_rng(7)
ARGS = {
    'rosenbrock_nd': [(_RNG.uniform(-2.0, 2.0, 6),), (_RNG.uniform(-2.0, 2.0, 6),)],
    'log_softmax_loss': [(_RNG.normal(size=(4, 3)), np.eye(3)[[0, 2, 1, 2]]),
                         (_RNG.normal(size=(4, 3)), np.eye(3)[[1, 1, 0, 2]])],
}
WRT = {'log_softmax_loss': 'logits'}
# The adjoints of the two slices of x add up in one buffer of zeros: the first is
# written into it, the second added (tests/test_golden.py allows these).
ZERO_BUFFERS = {'rosenbrock_nd': ['zeros_like(x)']}


def rosenbrock_nd(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def log_softmax_loss(logits, y):
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(y * log_probs, axis=1))


ARGS['grow_then_set'] = [(_RNG.uniform(-1.0, 0.5, 3), 0.4), (_RNG.uniform(-0.5, 0.5, 3), 0.7)]


def grow_then_set(z, w):
    # z may still be the caller's array after the loop: one copy before the write
    while np.sum(z) < 3.0:
        z = z + w
    z[1] = z[1] * w
    return np.sum(np.sin(z))


ARGS['logistic_loss'] = [(_RNG.normal(size=3), _RNG.normal(size=(5, 3)),
                          np.array([0.0, 1.0, 1.0, 0.0, 1.0])),
                         (_RNG.normal(size=3), _RNG.normal(size=(5, 3)),
                          np.array([1.0, 1.0, 0.0, 0.0, 0.0]))]
WRT['logistic_loss'] = 'w'


def logistic_loss(w, X, y):
    # shaped: X @ w has y's shape, so no unbroadcast, and no log is computed
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
