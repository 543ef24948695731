"""The negative log-likelihood of a Gaussian mixture, written as autograd's gmm.py
writes it, and fitted by gradient descent.

    python examples/gmm.py

The parameters are a dict: log mixing proportions, means, and one square root of
each covariance (`cov = L.T @ L`). The log-density of each component comes from a
triangular solve and a log-determinant; the components are combined one by one
with `np.logaddexp`, the stable log(exp(a) + exp(b)). Autograd's sizes: 10
components in 2 dimensions, fitted to 300 points of a three-armed pinwheel.
"""

import numpy as np

import adjoint


def init_gmm_params(num_components, D, scale, rs):
    return {'log proportions': rs.standard_normal(num_components) * scale,
            'means': rs.standard_normal((num_components, D)) * scale,
            'lower triangles': np.zeros((num_components, D, D)) + np.eye(D)}


def log_normalize(x):
    """log(softmax(x)): log-proportions that sum (in probability) to one."""
    max_x = np.max(x)
    return x - (max_x + np.log(np.sum(np.exp(x - max_x))))


def unpack_gmm_params(params):
    normalized_log_proportions = log_normalize(params['log proportions'])
    return normalized_log_proportions, params['means'], params['lower triangles']


def mvn_logpdf(data, mean, cov_sqrt):
    """log N(x | mean, cov_sqrt.T @ cov_sqrt) of each row x of `data`."""
    D = mean.shape[0]
    whitened = np.linalg.solve(cov_sqrt.T, (data - mean).T)
    _, log_det = np.linalg.slogdet(cov_sqrt)
    return -0.5 * D * np.log(2 * np.pi) - log_det - 0.5 * np.sum(whitened ** 2, axis=0)


def gmm_log_likelihood(params, data):
    log_lik = -np.inf
    for log_proportion, mean, cov_sqrt in zip(*unpack_gmm_params(params)):
        log_lik = np.logaddexp(log_lik, log_proportion + mvn_logpdf(data, mean, cov_sqrt))
    return np.sum(log_lik)


def make_pinwheel(radial_std, tangential_std, num_classes, num_per_class, rate, rs):
    """Points on `num_classes` spiral arms (autograd's examples/data.py)."""
    rads = np.linspace(0, 2 * np.pi, num_classes, endpoint=False)
    features = rs.standard_normal((num_classes * num_per_class, 2)) * np.array(
        [radial_std, tangential_std])
    features[:, 0] += 1
    labels = np.repeat(np.arange(num_classes), num_per_class)
    angles = rads[labels] + rate * np.exp(features[:, 0])
    rotations = np.stack([np.cos(angles), -np.sin(angles), np.sin(angles), np.cos(angles)])
    rotations = np.reshape(rotations.T, (-1, 2, 2))
    return np.einsum('ti,tij->tj', features, rotations)


def main():
    rs = np.random.default_rng(0)
    params = init_gmm_params(num_components=10, D=2, scale=0.1, rs=rs)
    data = make_pinwheel(0.3, 0.05, num_classes=3, num_per_class=100, rate=0.4, rs=rs)

    def objective(params):
        return -gmm_log_likelihood(params, data) / data.shape[0]

    objective_grad = adjoint.grad(objective)
    for step in range(201):
        if step % 50 == 0:
            print(f'step {step:4d}   mean log-likelihood {-objective(params):.4f}')
        grads = objective_grad(params)
        params = {key: value - 0.05 * grads[key] for key, value in params.items()}


if __name__ == '__main__':
    main()
