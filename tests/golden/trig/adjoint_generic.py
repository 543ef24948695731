def grad_trig(x, y):
    # line 30: return math.sin(x) * math.cos(y) + math.sin(x * y)
    t1 = math.sin(x)
    t2 = math.cos(y)
    t3 = x * y
    # adjoint of line 30: return math.sin(x) * math.cos(y) + math.sin(x * y)
    t4 = math.cos(t3)
    t5 = t4 * y
    t6 = t4 * x
    bx = unbroadcast(t5, x)
    by = unbroadcast(t6, y)
    t7 = -t1
    t8 = math.sin(y)
    t9 = t7 * t8
    by = by + t9
    t10 = math.cos(x)
    t11 = t2 * t10
    bx = bx + t11
    grads = (bx, by)
    return grads
