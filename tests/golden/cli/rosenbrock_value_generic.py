def value_and_grad_rosenbrock(x, y):
    # line 15: return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2
    t1 = 1.0 - x
    t2 = t1 ** 2
    t3 = x * x
    t4 = y - t3
    t5 = t4 ** 2
    t6 = 100.0 * t5
    t7 = t2 + t6
    bt7 = scalar_seed(t7, 'rosenbrock')
    # adjoint of line 15: return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2
    bt2 = unbroadcast(bt7, t2)
    bt6 = unbroadcast(bt7, t6)
    bt5 = bt6 * 100.0
    t8 = bt5 * 2
    bt4 = t8 * t4
    by = unbroadcast(bt4, y)
    t9 = unbroadcast(bt4, t3)
    bt3 = -t9
    t10 = bt3 * x
    t11 = t10 + t10
    bx = unbroadcast(t11, x)
    t12 = bt2 * 2
    bt1 = t12 * t1
    bx = bx - bt1
    grads = (bx, by)
    result = (t7, grads)
    return result
