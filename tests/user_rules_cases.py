"""Functions with user-registered rules, for tests/test_user_rules.py."""

import math

import numpy as np

import adjoint

CALLS = {'called_rule': 0}


def logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


@adjoint.vjp_rule(logsumexp)
def logsumexp_vjp(g, ans, x):
    return (g * np.exp(x - ans),)


def softplus(x):
    return math.log1p(math.exp(x))


@adjoint.vjp_rule(softplus)
def softplus_vjp(g, ans, x):
    # Deliberately not the true derivative: shows the rule wins over the body.
    return (g * 42.0,)


def counted(x):
    return x * x


@adjoint.vjp_rule(counted)
def counted_vjp(g, ans, x):
    # Side effects and branches cannot be inlined: this rule is called.
    CALLS['called_rule'] += 1
    if x > 0:
        return (g * 2.0 * x,)
    return (g * 2.0 * x,)


def uses_logsumexp(x):
    return logsumexp(x * 2.0)


def uses_softplus(x):
    return softplus(x) * 3.0


def uses_counted(x):
    s = 0.0
    for i in range(3):
        s = s + counted(x * i)
    return s


def detached(x, y):
    return adjoint.stop_gradient(x * y) * x + y


SEEN = []


def clipped_loop(x, n):
    y = x
    for i in range(n):
        y = y * 3.0
        with adjoint.insert_grad_of(y) as g:
            g = min(g, 2.0)
    return y


def printed(x):
    y = x * x
    with adjoint.insert_grad_of(y) as g:
        SEEN.append(g)
    return y * 5.0


def bilinear(x, A, y):
    """x @ A @ y for vectors x, y, or a matrix product for matrices."""
    return np.sum(x @ A @ y)


def scaled_rows(x, w):
    return x * w


@adjoint.vjp_rule(scaled_rows)
def scaled_rows_vjp(g, ans, x, w):
    return (adjoint.runtime.unbroadcast(g * w, x), adjoint.runtime.unbroadcast(g * x, w))


@adjoint.vjp_rule(scaled_rows, kinds=('matrix', 'vector'))
def scaled_rows_matrix_vjp(g, ans, x, w):
    # A vector w scales the columns of a matrix x: its cotangent sums over the rows.
    return (g * w, np.sum(g * x, axis=0))


def uses_scaled_rows(x, w):
    return np.sum(np.tanh(scaled_rows(x, w)))
