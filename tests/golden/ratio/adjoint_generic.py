def grad_ratio(x, y):
    # line 44: return (x + 1.0) / (y * y + 2.0) - 3.0 / x
    t1 = x + 1.0
    t2 = y * y
    t3 = t2 + 2.0
    t4 = t1 / t3
    t5 = 3.0 / x
    t6 = t4 - t5
    bt6 = scalar_seed(t6, 'ratio')
    # adjoint of line 44: return (x + 1.0) / (y * y + 2.0) - 3.0 / x
    bt4 = unbroadcast(bt6, t4)
    t7 = unbroadcast(bt6, t5)
    bt5 = -t7
    t8 = bt5 / x
    t9 = -t8
    bx = t9 * t5
    t10 = bt4 / t3
    t11 = -t10
    t12 = t11 * t4
    bt1 = unbroadcast(t10, t1)
    bt3 = unbroadcast(t12, t3)
    t13 = bt3 * y
    t14 = t13 + t13
    by = unbroadcast(t14, y)
    bx = bx + bt1
    grads = (bx, by)
    return grads
