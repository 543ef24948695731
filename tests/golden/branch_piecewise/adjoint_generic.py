def grad_branch_piecewise(x):
    # line 25: if x > 0.0:
    t1 = x > 0.0
    if t1:
        # line 26: y = x * x
        y = x * x
    else:
        # line 28: y = -2.0 * x
        y = -2.0 * x
    # line 29: return y + x
    t2 = y + x
    bt2 = scalar_seed(t2, 'branch_piecewise')
    # adjoint of line 29: return y + x
    by = unbroadcast(bt2, y)
    bx = unbroadcast(bt2, x)
    # adjoint of line 25: if x > 0.0:
    if t1:
        # adjoint of line 26: y = x * x
        t3 = by * x
        t4 = t3 + t3
        t5 = unbroadcast(t4, x)
        bx = bx + t5
    else:
        # adjoint of line 28: y = -2.0 * x
        t6 = by * -2.0
        bx = bx + t6
    return bx
