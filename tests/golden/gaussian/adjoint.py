def grad_gaussian(x):
    # line 26: return x * math.exp(-x * x / 2.0)
    t1 = -x
    t2 = t1 * x
    t3 = t2 / 2.0
    t4 = math.exp(t3)
    t5 = x * t4
    # adjoint of line 26: return x * math.exp(-x * x / 2.0)
    bt2 = t5 / 2.0
    bt1 = bt2 * x
    t6 = bt2 * t1
    bx = t4 + t6
    bx = bx - bt1
    return bx
