"""Black-box stochastic variational inference, written as autograd's black_box_svi.py
writes it.

    python examples/black_box_svi.py

The target is an unnormalized 2-D density (Neal's funnel: a log scale and a mean
whose spread it sets); the approximation a diagonal Gaussian with parameters
(mean, log_std). The lower bound is estimated from samples by the
reparameterization trick, `samples = noise * exp(log_std) + mean`, with the
standard normal `noise` drawn outside the differentiated function and passed in,
so that the estimate is a plain function of the parameters (autograd draws it
inside from a seeded RandomState; adjoint differentiates no random number
generator). Autograd's sizes: D = 2, 2000 samples per estimate.
"""

import numpy as np

import adjoint


def norm_logpdf(x, mean, std):
    """log N(x | mean, std^2), elementwise."""
    return -0.5 * np.log(2 * np.pi) - np.log(std) - 0.5 * ((x - mean) / std) ** 2


def log_density(x):
    """The funnel: log sigma ~ N(0, 1.35^2), mu ~ N(0, sigma^2); one row of x per point."""
    mu, log_sigma = x[:, 0], x[:, 1]
    sigma_density = norm_logpdf(log_sigma, 0, 1.35)
    mu_density = norm_logpdf(mu, 0, np.exp(log_sigma))
    return sigma_density + mu_density


def black_box_variational_inference(logprob, D):
    """The objective, its gradient and the unpacking of the parameters for the
    unnormalized log-density `logprob` in D dimensions. The variational parameters
    are one vector, the mean then the log standard deviations (as in autograd)."""

    def unpack_params(params):
        # Variational dist is a diagonal Gaussian.
        mean, log_std = params[:D], params[D:]
        return mean, log_std

    def gaussian_entropy(log_std):
        return 0.5 * D * (1.0 + np.log(2 * np.pi)) + np.sum(log_std)

    def variational_objective(params, noise):
        """Provides a stochastic estimate of the variational lower bound."""
        mean, log_std = unpack_params(params)
        samples = noise * np.exp(log_std) + mean
        lower_bound = gaussian_entropy(log_std) + np.mean(logprob(samples))
        return -lower_bound

    gradient = adjoint.grad(variational_objective)
    return variational_objective, gradient, unpack_params


def adam(gradient, params, noise_for_step, num_iters, step_size=0.1, b1=0.9, b2=0.999,
         eps=10**-8):
    """Adam (after autograd.misc.optimizers.adam), with fresh noise at each step."""
    m = np.zeros_like(params)
    v = np.zeros_like(params)
    for i in range(num_iters):
        g = gradient(params, noise_for_step(i))
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * g ** 2 + b2 * v
        m_hat = m / (1 - b1 ** (i + 1))
        v_hat = v / (1 - b2 ** (i + 1))
        params = params - step_size * m_hat / (np.sqrt(v_hat) + eps)
    return params


def main():
    D, num_samples = 2, 2000
    rs = np.random.default_rng(0)
    objective, gradient, unpack_params = black_box_variational_inference(log_density, D)
    init_var_params = np.concatenate([-1 * np.ones(D), -5 * np.ones(D)])

    def noise_for_step(i):
        return rs.standard_normal((num_samples, D))

    for num_iters in (0, 100, 400):
        params = adam(gradient, init_var_params, noise_for_step, num_iters)
        mean, log_std = unpack_params(params)
        bound = -objective(params, noise_for_step(0))
        print(f'after {num_iters:3d} steps of Adam: lower bound {bound:8.4f}, '
              f'mean {np.round(mean, 2)}, std {np.round(np.exp(log_std), 2)}')


if __name__ == '__main__':
    main()
