def grad_rosenbrock(x, y):
    # line 15: return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2
    t1 = 1.0 - x
    t2 = x * x
    t3 = y - t2
    # adjoint of line 15: return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2
    bt3 = 200.0 * t3
    bt2 = -200.0 * t3
    t4 = bt2 * x
    bx = t4 + t4
    t5 = -2.0 * t1
    bx = bx + t5
    grads = (bx, bt3)
    return grads
