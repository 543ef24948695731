def grad_tanh_layer(w, b, x):
    # line 39: h = np.tanh(w * x + b)
    t1 = w * x
    t2 = t1 + b
    h = np.tanh(t2)
    # line 40: return np.sum(h * h)
    t3 = h * h
    # adjoint of line 40: return np.sum(h * h)
    bt3 = unreduce(1.0, t3)
    t4 = bt3 * h
    t5 = t4 + t4
    bh = unbroadcast(t5, h)
    # adjoint of line 39: h = np.tanh(w * x + b)
    t6 = 1.0 - t3
    bt2 = bh * t6
    bb = unbroadcast(bt2, b)
    t7 = bt2 * x
    bw = unbroadcast(t7, w)
    grads = (bw, bb)
    return grads
