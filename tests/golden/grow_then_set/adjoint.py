def grad_grow_then_set(z, w):
    # line 35: while np.sum(z) < 3.0:
    n_iter = 0
    while z.sum() < 3.0:
        # line 36: z = z + w
        z = z + w
        # line 35: while np.sum(z) < 3.0:
        n_iter = n_iter + 1
    # line 37: z[1] = z[1] * w
    t3 = z[1]
    t4 = t3 * w
    z = z.copy()
    z[1] = t4
    # adjoint of line 38: return np.sum(np.sin(z))
    t5 = np.cos(z)
    del z
    # adjoint of line 37: z[1] = z[1] * w
    bz = owned(t5)
    bt4 = bz[1]
    bz[1] = 0.0
    bt3 = bt4 * w
    bw = bt4 * t3
    del t5
    # adjoint of line 35: while np.sum(z) < 3.0:
    bz[1] += bt3
    for _ in range(n_iter):
        # adjoint of line 36: z = z + w
        t6 = unbroadcast(bz, w)
        bw = bw + t6
    grads = (bz, bw)
    return grads
