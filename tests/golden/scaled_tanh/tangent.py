def jvp_scaled_tanh(z, scale, dz, dscale):
    # line 13: return scale * math.tanh(z)
    t1 = math.tanh(z)
    t2 = t1 * t1
    t3 = 1.0 - t2
    dt1 = dz * t3
    t4 = scale * t1
    t5 = dscale * t1
    t6 = scale * dt1
    dt4 = t5 + t6
    result = (t4, dt4)
    return result
