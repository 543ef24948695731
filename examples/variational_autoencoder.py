"""The loss of a variational autoencoder, written as autograd's
variational_autoencoder.py writes it.

    python examples/variational_autoencoder.py

An encoder network maps each image to the mean and log standard deviation of a
diagonal Gaussian over latent codes; a decoder maps a code back to the logits of
Bernoulli pixels, whose log-likelihood is written with `np.logaddexp(0, -z)` (the
stable log(1 + exp(-z))). Each network's parameters are a list of (W, b) pairs,
batch-normalized with ReLUs between the layers. The one random sample per image is
reparameterized: the standard normal noise is drawn outside and passed in, so
the lower bound is a deterministic function of the parameters that adjoint
differentiates. Autograd's sizes: 784 pixels, 10 latent dimensions, layers of 200
and 300 units; a batch of 32 random binary "images" (no MNIST download).
"""

import numpy as np

import adjoint


def diag_gaussian_log_density(x, mu, log_std):
    return np.sum(-0.5 * np.log(2 * np.pi) - log_std
                  - 0.5 * ((x - mu) / np.exp(log_std)) ** 2, axis=-1)


def unpack_gaussian_params(params):
    # Params of a diagonal Gaussian.
    D = np.shape(params)[-1] // 2
    mean, log_std = params[:, :D], params[:, D:]
    return mean, log_std


def sample_diag_gaussian(mean, log_std, noise):
    return noise * np.exp(log_std) + mean


def bernoulli_log_density(targets, unnormalized_logprobs):
    # unnormalized_logprobs are in R; targets must be -1 or 1.
    label_probabilities = -np.logaddexp(0, -unnormalized_logprobs * targets)
    return np.sum(label_probabilities, axis=-1)  # Sum across pixels.


def relu(x):
    return np.maximum(0, x)


def init_net_params(scale, layer_sizes, rs):
    """A list of (weights, biases) pairs, one for each layer."""
    return [(scale * rs.standard_normal((m, n)),   # weight matrix
             scale * rs.standard_normal(n))        # bias vector
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]


def batch_normalize(activations):
    mbmean = np.mean(activations, axis=0, keepdims=True)
    return (activations - mbmean) / (np.std(activations, axis=0, keepdims=True) + 1)


def neural_net_predict(params, inputs):
    """Params is a list of (weights, bias) pairs; inputs an (N x D) matrix.
    Applies batch normalization to every layer but the last."""
    for W, b in params[:-1]:
        outputs = batch_normalize(np.dot(inputs, W) + b)  # linear transformation
        inputs = relu(outputs)                            # nonlinear transformation
    outW, outb = params[-1]
    outputs = np.dot(inputs, outW) + outb
    return outputs


def nn_predict_gaussian(params, inputs):
    # Returns means and diagonal variances.
    return unpack_gaussian_params(neural_net_predict(params, inputs))


def p_images_given_latents(gen_params, images, latents):
    preds = neural_net_predict(gen_params, latents)
    return bernoulli_log_density(images, preds)


def vae_lower_bound(gen_params, rec_params, data, noise):
    """A one-sample Monte Carlo estimate of the evidence lower bound, averaged over the
    batch; the KL divergence from the prior is estimated by the same sample."""
    q_means, q_log_stds = nn_predict_gaussian(rec_params, data)
    latents = sample_diag_gaussian(q_means, q_log_stds, noise)
    q_latents = diag_gaussian_log_density(latents, q_means, q_log_stds)
    p_latents = diag_gaussian_log_density(latents, 0, 0)
    likelihood = p_images_given_latents(gen_params, data, latents)
    return np.mean(p_latents + likelihood - q_latents)


def main():
    rs = np.random.default_rng(0)
    latent_dim, data_dim, batch_size = 10, 784, 32
    gen_params = init_net_params(0.01, [latent_dim, 300, 200, data_dim], rs)
    rec_params = init_net_params(0.01, [data_dim, 200, 300, latent_dim * 2], rs)
    images = np.where(rs.random((batch_size, data_dim)) > 0.5, 1.0, -1.0)

    def objective(gen_params, rec_params, noise):
        return -vae_lower_bound(gen_params, rec_params, images, noise) / data_dim

    objective_grad = adjoint.grad(objective, wrt=('gen_params', 'rec_params'))
    step_size = 0.5
    for step in range(5):
        noise = rs.standard_normal((batch_size, latent_dim))
        gen_grads, rec_grads = objective_grad(gen_params, rec_params, noise)
        print(f'step {step}   loss {objective(gen_params, rec_params, noise):.6f}')
        gen_params = [(W - step_size * dW, b - step_size * db)
                      for (W, b), (dW, db) in zip(gen_params, gen_grads)]
        rec_params = [(W - step_size * dW, b - step_size * db)
                      for (W, b), (dW, db) in zip(rec_params, rec_grads)]


if __name__ == '__main__':
    main()
