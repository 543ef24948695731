def jvp_branch_piecewise(x, dx):
    # line 25: if x > 0.0:
    t1 = x > 0.0
    if t1:
        # line 26: y = x * x
        y = x * x
        t2 = dx * x
        dy = t2 + t2
    else:
        # line 28: y = -2.0 * x
        y = -2.0 * x
        dy = -2.0 * dx
    # line 29: return y + x
    t3 = y + x
    dt3 = dy + dx
    result = (t3, dt3)
    return result
