def grad_scaled_tanh(z, scale):
    # line 13: return scale * math.tanh(z)
    t1 = math.tanh(z)
    # adjoint of line 13: return scale * math.tanh(z)
    t2 = t1 * t1
    t3 = 1.0 - t2
    bz = scale * t3
    grads = (bz, t1)
    return grads
