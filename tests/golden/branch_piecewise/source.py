def branch_piecewise(x):
    if x > 0.0:
        y = x * x
    else:
        y = -2.0 * x
    return y + x
