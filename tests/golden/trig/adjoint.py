def grad_trig(x, y):
    # line 30: return math.sin(x) * math.cos(y) + math.sin(x * y)
    t1 = math.sin(x)
    t2 = math.cos(y)
    t3 = x * y
    # adjoint of line 30: return math.sin(x) * math.cos(y) + math.sin(x * y)
    t4 = math.cos(t3)
    bx = t4 * y
    by = t4 * x
    t5 = -t1
    t6 = math.sin(y)
    t7 = t5 * t6
    by = by + t7
    t8 = math.cos(x)
    t9 = t2 * t8
    bx = bx + t9
    grads = (bx, by)
    return grads
