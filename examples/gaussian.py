"""Fit a normal distribution by gradient ascent on its log-likelihood, with NumPy.

    python examples/gaussian.py

The data are an array, the parameters scalars: adjoint's generated code sums the
array-shaped cotangents back down to the scalars (`np.full`, `unbroadcast`).
"""

import numpy as np

import adjoint


def log_likelihood(mu, log_sigma, xs):
    """Mean log-density of the samples `xs` under N(mu, exp(log_sigma)^2), less a constant."""
    z = (xs - mu) * np.exp(-log_sigma)
    return -0.5 * np.mean(z * z) - log_sigma


def fit(xs, steps=500, rate=0.1):
    """Maximize the log-likelihood from (0, 0); returns (mu, sigma)."""
    df = adjoint.grad(log_likelihood, wrt=('mu', 'log_sigma'))
    mu, log_sigma = 0.0, 0.0
    for _ in range(steps):
        dmu, dlog_sigma = df(mu, log_sigma, xs)
        mu, log_sigma = mu + rate * dmu, log_sigma + rate * dlog_sigma
    return mu, float(np.exp(log_sigma))


def main():
    xs = np.random.default_rng(0).normal(2.0, 0.5, size=1000)
    mu, sigma = fit(xs)
    print(f'fitted:      mu = {mu:.4f}, sigma = {sigma:.4f}')
    print(f'closed form: mu = {xs.mean():.4f}, sigma = {xs.std():.4f}')
    print()
    print(adjoint.grad(log_likelihood, wrt=('mu', 'log_sigma')).source)


if __name__ == '__main__':
    main()
