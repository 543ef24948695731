def jvp_gaussian(x, dx):
    # line 26: return x * math.exp(-x * x / 2.0)
    t1 = -x
    dt1 = -dx
    t2 = t1 * x
    t3 = dt1 * x
    t4 = t1 * dx
    dt2 = t3 + t4
    t5 = t2 / 2.0
    dt5 = dt2 / 2.0
    t6 = math.exp(t5)
    dt6 = dt5 * t6
    t7 = x * t6
    t8 = dx * t6
    t9 = x * dt6
    dt7 = t8 + t9
    result = (t7, dt7)
    return result
