def model_with_helper(w, x):
    h = scaled_tanh(w * x, 2.0)
    return scaled_tanh(h, 0.5) * w
