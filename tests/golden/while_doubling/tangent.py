def jvp_while_doubling(x, dx):
    # line 41: while s < 10.0:
    s, ds = x, dx
    while s < 10.0:
        # line 42: s = s * 2.0 + x
        t2 = s * 2.0
        dt2 = ds * 2.0
        s = t2 + x
        ds = dt2 + dx
    result = (s, ds)
    return result
