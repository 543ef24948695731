def grad_branch_piecewise(x):
    # line 25: if x > 0.0:
    t1 = x > 0.0
    # adjoint of line 25: if x > 0.0:
    if t1:
        # adjoint of line 26: y = x * x
        t2 = x + x
        bx = 1.0 + t2
    else:
        bx = -1.0
    return bx
