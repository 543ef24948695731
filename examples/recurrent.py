"""Character models: a recurrent network and an LSTM, written as autograd's rnn.py and
lstm.py write them.

    python examples/recurrent.py

Both read a batch of one-hot encoded lines of this file, one time step per
character, and predict the next character. The cells share a helper,
`concat_and_multiply(weights, *args)`, that stacks its arguments side by side with
a column of ones (the bias) and multiplies by one weight matrix; the parameters
are a dict of arrays and the gradient a dict of the same keys. The sizes are
autograd's: 128 characters, 40 hidden units, lines of 30 characters (here 16 of
them).
"""

import os

import numpy as np

import adjoint


def sigmoid(x):
    return 0.5 * (np.tanh(x) + 1.0)  # Output ranges from 0 to 1.


def logsumexp(X, axis, keepdims):
    """log(sum(exp(X))) along `axis`, without overflow."""
    max_X = np.max(X, axis=axis, keepdims=True)
    return max_X + np.log(np.sum(np.exp(X - max_X), axis=axis, keepdims=True))


def concat_and_multiply(weights, *args):
    """[args..., 1] @ weights: one affine map of several inputs side by side."""
    cat_state = np.hstack(args + (np.ones((args[0].shape[0], 1)),))
    return np.dot(cat_state, weights)


# The recurrent network.

def create_rnn_params(input_size, state_size, output_size, param_scale, rs):
    return {'init hiddens': rs.standard_normal((1, state_size)) * param_scale,
            'change': rs.standard_normal((input_size + state_size + 1, state_size)) * param_scale,
            'predict': rs.standard_normal((state_size + 1, output_size)) * param_scale}


def rnn_predict(params, inputs):
    """Log-probabilities of the next character after each prefix of each sequence."""
    def update_rnn(input, hiddens):
        return np.tanh(concat_and_multiply(params['change'], input, hiddens))

    def hiddens_to_output_probs(hiddens):
        output = concat_and_multiply(params['predict'], hiddens)
        return output - logsumexp(output, axis=1, keepdims=True)  # Normalize log-probs.

    num_sequences = inputs.shape[1]
    hiddens = np.repeat(params['init hiddens'], num_sequences, axis=0)
    output = [hiddens_to_output_probs(hiddens)]
    for input in inputs:  # Iterate over time steps.
        hiddens = update_rnn(input, hiddens)
        output.append(hiddens_to_output_probs(hiddens))
    return output


def rnn_log_likelihood(params, inputs, targets):
    logprobs = rnn_predict(params, inputs)
    loglik = 0.0
    num_time_steps, num_examples, _ = inputs.shape
    for t in range(num_time_steps):
        loglik += np.sum(logprobs[t] * targets[t])
    return loglik / (num_time_steps * num_examples)


# The long short-term memory network.

def create_lstm_params(input_size, state_size, output_size, param_scale, rs):
    def rp(rows, cols):
        return rs.standard_normal((rows, cols)) * param_scale

    gate = input_size + state_size + 1
    return {'init cells': rp(1, state_size), 'init hiddens': rp(1, state_size),
            'change': rp(gate, state_size), 'forget': rp(gate, state_size),
            'ingate': rp(gate, state_size), 'outgate': rp(gate, state_size),
            'predict': rp(state_size + 1, output_size)}


def lstm_predict(params, inputs):
    """Log-probabilities of the next character after each prefix of each sequence."""
    def update_lstm(input, hiddens, cells):
        change = np.tanh(concat_and_multiply(params['change'], input, hiddens))
        forget = sigmoid(concat_and_multiply(params['forget'], input, hiddens))
        ingate = sigmoid(concat_and_multiply(params['ingate'], input, hiddens))
        outgate = sigmoid(concat_and_multiply(params['outgate'], input, hiddens))
        cells = cells * forget + ingate * change
        hiddens = outgate * np.tanh(cells)
        return hiddens, cells

    def hiddens_to_output_probs(hiddens):
        output = concat_and_multiply(params['predict'], hiddens)
        return output - logsumexp(output, axis=1, keepdims=True)  # Normalize log-probs.

    num_sequences = inputs.shape[1]
    hiddens = np.repeat(params['init hiddens'], num_sequences, axis=0)
    cells = np.repeat(params['init cells'], num_sequences, axis=0)
    output = [hiddens_to_output_probs(hiddens)]
    for input in inputs:  # Iterate over time steps.
        hiddens, cells = update_lstm(input, hiddens, cells)
        output.append(hiddens_to_output_probs(hiddens))
    return output


def lstm_log_likelihood(params, inputs, targets):
    logprobs = lstm_predict(params, inputs)
    loglik = 0.0
    num_time_steps, num_examples, _ = inputs.shape
    for t in range(num_time_steps):
        loglik += np.sum(logprobs[t] * targets[t])
    return loglik / (num_time_steps * num_examples)


# The data: lines of this file, one-hot encoded.

def string_to_one_hot(string, maxchar):
    """A (len(string), maxchar) one-hot encoding of an ASCII string."""
    codes = np.array([ord(c) for c in string])
    return np.array(codes[:, None] == np.arange(maxchar)[None, :], dtype=float)


def build_dataset(filename, sequence_length, alphabet_size, max_lines):
    """The first `max_lines` non-blank lines of a text file, as a
    (sequence_length, lines, alphabet_size) array."""
    with open(filename) as f:
        content = [line for line in f.readlines() if len(line) > 2][:max_lines]
    seqs = np.zeros((sequence_length, len(content), alphabet_size))
    for ix, line in enumerate(content):
        padded_line = (line + ' ' * sequence_length)[:sequence_length]
        seqs[:, ix, :] = string_to_one_hot(padded_line, alphabet_size)
    return seqs


def main():
    rs = np.random.default_rng(0)
    inputs = build_dataset(os.path.abspath(__file__), sequence_length=30, alphabet_size=128,
                           max_lines=16)
    # The prediction at step t is scored against character t (the model has seen
    # characters 0 .. t-1), as in autograd's example.
    models = [('RNN', rnn_log_likelihood, create_rnn_params(128, 40, 128, 0.01, rs)),
              ('LSTM', lstm_log_likelihood, create_lstm_params(128, 40, 128, 0.01, rs))]
    for name, log_likelihood, params in models:
        def training_loss(params):
            return -log_likelihood(params, inputs, inputs)

        loss_grad = adjoint.grad(training_loss)
        for step in range(5):
            grads = loss_grad(params)
            params = {key: value - 0.5 * grads[key] for key, value in params.items()}
        print(f'{name}: loss after 5 steps of gradient descent {training_loss(params):.4f}')


if __name__ == '__main__':
    main()
