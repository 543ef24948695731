def grad_gaussian(x):
    # line 26: return x * math.exp(-x * x / 2.0)
    t1 = -x
    t2 = t1 * x
    t3 = t2 / 2.0
    t4 = math.exp(t3)
    t5 = x * t4
    bt5 = scalar_seed(t5, 'gaussian')
    # adjoint of line 26: return x * math.exp(-x * x / 2.0)
    bx = bt5 * t4
    t6 = bt5 * x
    bt4 = unbroadcast(t6, t4)
    bt3 = bt4 * t4
    bt2 = bt3 / 2.0
    t7 = bt2 * x
    t8 = bt2 * t1
    bt1 = unbroadcast(t7, t1)
    t9 = unbroadcast(t8, x)
    bx = bx + t9
    bx = bx - bt1
    return bx
