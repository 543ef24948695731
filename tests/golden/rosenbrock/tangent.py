def jvp_rosenbrock(x, y, dx, dy):
    # line 22: return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2
    t1 = 1.0 - x
    dt1 = -dx
    t2 = t1 ** 2
    t3 = dt1 * 2
    dt2 = t3 * t1
    t4 = x * x
    t5 = dx * x
    t6 = x * dx
    dt4 = t5 + t6
    t7 = y - t4
    dt7 = dy - dt4
    t8 = t7 ** 2
    t9 = dt7 * 2
    dt8 = t9 * t7
    t10 = 100.0 * t8
    dt10 = 100.0 * dt8
    t11 = t2 + t10
    dt11 = dt2 + dt10
    result = (t11, dt11)
    return result
