"""Train a small neural network with a gradient adjoint writes from its NumPy source.

    python examples/mlp_training.py                 # train; print the generated gradient
    python examples/mlp_training.py --steps 1000    # longer
    python examples/mlp_training.py --no-source     # only the training log

The model is a two-layer perceptron (tanh hidden layer, softmax cross-entropy loss)
written as people write it, with its parameters in a dict; `adjoint.grad(mlp_loss)`
returns a dict of gradients with the same keys, and plain gradient descent trains it
to classify three Gaussian blobs in the plane. If matplotlib is installed, the loss
curve is saved next to this file as mlp_training.png.
"""

import argparse
import os
import time

import numpy as np

import adjoint

PLOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'mlp_training.png')


def mlp_loss(params, x, y_onehot):
    """Mean cross-entropy of softmax(tanh(x W1 + b1) W2 + b2) against one-hot labels."""
    h = np.tanh(x @ params['W1'] + params['b1'])
    logits = h @ params['W2'] + params['b2']
    m = np.max(logits, axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    return -np.mean(np.sum(y_onehot * log_probs, axis=1))


def predict(params, x):
    """The most likely class of each row of `x`."""
    h = np.tanh(x @ params['W1'] + params['b1'])
    return np.argmax(h @ params['W2'] + params['b2'], axis=1)


def blobs(rng, per_class=100, classes=3, spread=0.9):
    """Points around `classes` centres on a circle of radius 2, and their labels."""
    angles = 2 * np.pi * np.arange(classes) / classes
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    labels = np.repeat(np.arange(classes), per_class)
    x = centres[labels] + spread * rng.standard_normal((len(labels), 2))
    return x, labels


def init(rng, n_in, n_hidden, n_out):
    return {'W1': rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in),
            'b1': np.zeros(n_hidden),
            'W2': rng.standard_normal((n_hidden, n_out)) / np.sqrt(n_hidden),
            'b2': np.zeros(n_out)}


def train(params, x, y_onehot, steps, rate, every):
    """Gradient descent; returns the trained params and the loss after each step."""
    loss_and_grad = adjoint.value_and_grad(mlp_loss)
    losses = []
    for step in range(steps):
        loss, grads = loss_and_grad(params, x, y_onehot)
        params = {key: value - rate * grads[key] for key, value in params.items()}
        losses.append(loss)
        if step % every == 0 or step == steps - 1:
            print(f'step {step:5d}   loss {loss:.4f}')
    return params, losses


def plot(losses):
    """Save the loss curve if matplotlib is available; say where (or why not)."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('(matplotlib is not installed: no plot)')
        return
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(losses)
    ax.set_xlabel('step')
    ax.set_ylabel('mean cross-entropy')
    ax.set_yscale('log')
    ax.set_title('MLP on three blobs, gradient by adjoint')
    fig.tight_layout()
    fig.savefig(PLOT, dpi=100)
    print(f'loss curve saved to {PLOT}')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--steps', type=int, default=500)
    parser.add_argument('--rate', type=float, default=0.5, help='learning rate')
    parser.add_argument('--hidden', type=int, default=16, help='hidden units')
    parser.add_argument('--no-source', dest='source', action='store_false',
                        help='do not print the generated gradient')
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    x, labels = blobs(rng)
    y_onehot = np.eye(3)[labels]
    params = init(rng, 2, args.hidden, 3)
    if args.source:
        grad = adjoint.grad(mlp_loss)
        grad(params, x, y_onehot)  # compile the version for a dict of arrays
        print('The gradient adjoint generated from mlp_loss (adjoint.grad(mlp_loss).source):')
        print()
        print(grad.source)

    start = time.process_time()
    params, losses = train(params, x, y_onehot, args.steps, args.rate,
                           every=max(1, args.steps // 10))
    seconds = time.process_time() - start
    accuracy = np.mean(predict(params, x) == labels)
    print(f'\n{args.steps} steps in {seconds:.2f} s; loss {losses[0]:.4f} -> {losses[-1]:.4f}; '
          f'training accuracy {accuracy:.1%}')
    plot(losses)


if __name__ == '__main__':
    main()
