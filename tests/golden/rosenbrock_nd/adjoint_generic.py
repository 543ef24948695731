def grad_rosenbrock_nd(x):
    # line 21: return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    t1 = x[1:]
    t2 = x[:-1]
    t3 = t2 ** 2
    t4 = t1 - t3
    t5 = t4 ** 2
    t6 = 100.0 * t5
    t7 = 1 - t2
    t8 = t7 ** 2
    t9 = t6 + t8
    t10 = np.sum(t9)
    bt10 = scalar_seed(t10, 'rosenbrock_nd')
    # adjoint of line 21: return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    bt9 = unreduce(bt10, t9)
    bt6 = unbroadcast(bt9, t6)
    bt8 = unbroadcast(bt9, t8)
    t11 = bt8 * 2
    bt7 = t11 * t7
    bt2 = -bt7
    bt5 = bt6 * 100.0
    t12 = bt5 * 2
    bt4 = t12 * t4
    bt1 = unbroadcast(bt4, t1)
    t13 = unbroadcast(bt4, t3)
    bt3 = -t13
    t14 = bt3 * 2
    t15 = t14 * t2
    bt2 = add_cotangents(bt2, t15)
    bx = zeros_like(x)
    bx = add_at(bx, slice(None, -1, None), bt2)
    bx = add_at(bx, slice(1, None, None), bt1)
    return bx
