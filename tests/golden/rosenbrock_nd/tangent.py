def jvp_rosenbrock_nd(x, dx):
    # line 21: return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    t1 = x[1:]
    dt1 = dx[1:]
    t2 = x[:-1]
    dt2 = dx[:-1]
    t3 = t2 ** 2
    t4 = dt2 * 2
    dt3 = t4 * t2
    t5 = t1 - t3
    dt5 = dt1 - dt3
    t6 = t5 ** 2
    t7 = dt5 * 2
    dt6 = t7 * t5
    t8 = 100.0 * t6
    dt8 = 100.0 * dt6
    t9 = 1 - t2
    dt9 = -dt2
    t10 = t9 ** 2
    t11 = dt9 * 2
    dt10 = t11 * t9
    t12 = t8 + t10
    dt12 = dt8 + dt10
    t13 = t12.sum()
    dt13 = dt12.sum()
    result = (t13, dt13)
    return result
