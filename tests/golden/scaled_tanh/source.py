def scaled_tanh(z, scale):
    return scale * math.tanh(z)
