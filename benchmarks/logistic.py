"""Logistic regression: the mean log-loss of a sigmoid over 256 samples of 20
features, differentiated w.r.t. the weights.

The loss is written as the textbook formula, with the log of the probability
and of its complement; the hand-written gradient is the closed form
X.T @ (p - y) / n, which needs neither logarithm. Issue 14 asks for a generated
gradient that costs at most the primal, as the closed form does.
"""

import numpy as np

from common import Benchmark

SAMPLES, FEATURES = 256, 20


def logistic_loss(w, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def logistic_grad(w, X, y):
    """d/dz of -(y log p + (1 - y) log(1 - p)) with p = sigmoid(z) is p - y."""
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return X.T @ (p - y) / y.shape[0]


def problem(samples=SAMPLES, features=FEATURES):
    """Weights, features and 0/1 labels drawn from a model with noise (seeded)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((samples, features))
    truth = rng.standard_normal(features)
    y = (X @ truth + rng.standard_normal(samples) > 0).astype(float)
    return 0.1 * rng.standard_normal(features), X, y


BENCHMARKS = [
    Benchmark('logistic', logistic_loss, problem(), (0,), logistic_grad,
              'the closed form X.T @ (p - y) / n, no logarithms',
              target_primal=1.0, compare=True, small=problem(16, 4)),
]
