def jvp_grow_then_set(z, w, dz, dw):
    # line 35: while np.sum(z) < 3.0:
    while z.sum() < 3.0:
        # line 36: z = z + w
        z = z + w
        dz = dz + dw
    # line 37: z[1] = z[1] * w
    t3 = z[1]
    dt3 = dz[1]
    t4 = t3 * w
    t5 = dt3 * w
    t6 = t3 * dw
    dt4 = t5 + t6
    z = z.copy()
    dz = dz.copy()
    z[1] = t4
    dz[1] = dt4
    # line 38: return np.sum(np.sin(z))
    t7 = np.sin(z)
    t8 = np.cos(z)
    dt7 = dz * t8
    t9 = t7.sum()
    dt9 = dt7.sum()
    result = (t9, dt9)
    return result
