def grad_grow_then_set(z, w):
    tape_z = []
    # line 35: while np.sum(z) < 3.0:
    n_iter = 0
    while np.sum(z) < 3.0:
        # line 36: z = z + w
        tape_z.append(z)
        z = z + w
        # line 35: while np.sum(z) < 3.0:
        n_iter = n_iter + 1
    # line 37: z[1] = z[1] * w
    t3 = z[1]
    t4 = t3 * w
    z = z.copy()
    float_written(z)
    z[1] = t4
    # line 38: return np.sum(np.sin(z))
    t5 = np.sin(z)
    t6 = np.sum(t5)
    bt6 = scalar_seed(t6, 'grow_then_set')
    # adjoint of line 38: return np.sum(np.sin(z))
    bt5 = unreduce(bt6, t5)
    t7 = np.cos(z)
    bz = bt5 * t7
    # adjoint of line 37: z[1] = z[1] * w
    t8 = like(bz, z)
    bz = owned(t8)
    bt4 = written_part(bz, 1, t4)
    bz[1] = 0.0
    t9 = bt4 * w
    t10 = bt4 * t3
    bt3 = unbroadcast(t9, t3)
    bw = unbroadcast(t10, w)
    # adjoint of line 35: while np.sum(z) < 3.0:
    bz = add_at(bz, 1, bt3)
    for _ in range(n_iter):
        # adjoint of line 36: z = z + w
        z_1 = tape_z.pop()
        bz_1 = unbroadcast(bz, z_1)
        t11 = unbroadcast(bz, w)
        bw = bw + t11
        bz = bz_1
    grads = (bz, bw)
    return grads
