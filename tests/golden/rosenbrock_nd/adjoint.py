def grad_rosenbrock_nd(x):
    # line 21: return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    t1 = x[1:]
    t2 = x[:-1]
    t3 = t2 ** 2
    t4 = t1 - t3
    t5 = 1 - t2
    del t1, t3
    # adjoint of line 21: return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    bt2 = -2.0 * t5
    bt4 = 200.0 * t4
    t6 = -400.0 * t4
    t7 = t6 * t2
    bt2 = bt2 + t7
    bx = zeros_like(x)
    bx[:-1] = bt2
    bx[1:] += bt4
    return bx
