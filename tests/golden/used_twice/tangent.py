def jvp_used_twice(x, y, dx, dy):
    # line 34: z = math.sin(x)
    z = math.sin(x)
    t1 = math.cos(x)
    dz = dx * t1
    # line 35: return z * y + z
    t2 = z * y
    t3 = dz * y
    t4 = z * dy
    dt2 = t3 + t4
    t5 = t2 + z
    dt5 = dt2 + dz
    result = (t5, dt5)
    return result
