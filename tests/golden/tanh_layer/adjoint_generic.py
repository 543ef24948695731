def grad_tanh_layer(w, b, x):
    # line 39: h = np.tanh(w * x + b)
    t1 = w * x
    t2 = t1 + b
    h = np.tanh(t2)
    # line 40: return np.sum(h * h)
    t3 = h * h
    t4 = np.sum(t3)
    bt4 = scalar_seed(t4, 'tanh_layer')
    # adjoint of line 40: return np.sum(h * h)
    bt3 = unreduce(bt4, t3)
    t5 = bt3 * h
    t6 = t5 + t5
    bh = unbroadcast(t6, h)
    # adjoint of line 39: h = np.tanh(w * x + b)
    t7 = 1.0 - t3
    bt2 = bh * t7
    bt1 = unbroadcast(bt2, t1)
    bb = unbroadcast(bt2, b)
    t8 = bt1 * x
    bw = unbroadcast(t8, w)
    grads = (bw, bb)
    return grads
