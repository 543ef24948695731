def jvp_rosenbrock(x, y, dx, dy):
    # line 22: return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2
    t1 = 1.0 - x
    dt1 = -dx
    t2 = t1 ** 2
    t3 = dt1 * 2
    dt2 = t3 * t1
    t4 = x * x
    t5 = dx * x
    dt4 = t5 + t5
    t6 = y - t4
    dt6 = dy - dt4
    t7 = t6 ** 2
    t8 = dt6 * 2
    dt7 = t8 * t6
    t9 = 100.0 * t7
    dt9 = 100.0 * dt7
    t10 = t2 + t9
    dt10 = dt2 + dt9
    result = (t10, dt10)
    return result
