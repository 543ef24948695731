def grad_tanh_layer(w, b, x):
    # line 39: h = np.tanh(w * x + b)
    t1 = w * x
    t2 = t1 + b
    h = np.tanh(t2)
    del t1, t2
    # line 40: return np.sum(h * h)
    t3 = h * h
    # adjoint of line 40: return np.sum(h * h)
    bh = h + h
    del h
    # adjoint of line 39: h = np.tanh(w * x + b)
    t4 = 1.0 - t3
    bt2 = bh * t4
    bb = unbroadcast(bt2, b)
    bw = bt2 * x
    grads = (bw, bb)
    return grads
