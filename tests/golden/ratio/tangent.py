def jvp_ratio(x, y, dx, dy):
    # line 44: return (x + 1.0) / (y * y + 2.0) - 3.0 / x
    t1 = x + 1.0
    t2 = y * y
    t3 = dy * y
    dt2 = t3 + t3
    t4 = t2 + 2.0
    t5 = t1 / t4
    t6 = t5 * dt2
    t7 = dx - t6
    dt5 = t7 / t4
    t8 = 3.0 / x
    t9 = t8 * dx
    t10 = -t9
    dt8 = t10 / x
    t11 = t5 - t8
    dt11 = dt5 - dt8
    result = (t11, dt11)
    return result
