def jvp_trig(x, y, dx, dy):
    # line 30: return math.sin(x) * math.cos(y) + math.sin(x * y)
    t1 = math.sin(x)
    t2 = math.cos(x)
    dt1 = dx * t2
    t3 = math.cos(y)
    t4 = -dy
    t5 = math.sin(y)
    dt3 = t4 * t5
    t6 = t1 * t3
    t7 = dt1 * t3
    t8 = t1 * dt3
    dt6 = t7 + t8
    t9 = x * y
    t10 = dx * y
    t11 = x * dy
    dt9 = t10 + t11
    t12 = math.sin(t9)
    t13 = math.cos(t9)
    dt12 = dt9 * t13
    t14 = t6 + t12
    dt14 = dt6 + dt12
    result = (t14, dt14)
    return result
