def grad_ratio(x, y):
    # line 44: return (x + 1.0) / (y * y + 2.0) - 3.0 / x
    t1 = x + 1.0
    t2 = y * y
    t3 = t2 + 2.0
    t4 = t1 / t3
    t5 = 3.0 / x
    # adjoint of line 44: return (x + 1.0) / (y * y + 2.0) - 3.0 / x
    t6 = -1.0 / x
    t7 = -t6
    bx = t7 * t5
    t8 = 1.0 / t3
    t9 = -t8
    bt3 = t9 * t4
    t10 = bt3 * y
    by = t10 + t10
    bx = bx + t8
    grads = (bx, by)
    return grads
