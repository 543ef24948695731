def jvp_ratio(x, y, dx, dy):
    # line 44: return (x + 1.0) / (y * y + 2.0) - 3.0 / x
    t1 = x + 1.0
    t2 = y * y
    t3 = dy * y
    t4 = y * dy
    dt2 = t3 + t4
    t5 = t2 + 2.0
    t6 = t1 / t5
    t7 = t6 * dt2
    t8 = dx - t7
    dt6 = t8 / t5
    t9 = 3.0 / x
    t10 = t9 * dx
    t11 = -t10
    dt9 = t11 / x
    t12 = t6 - t9
    dt12 = dt6 - dt9
    result = (t12, dt12)
    return result
