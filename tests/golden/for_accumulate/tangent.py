def jvp_for_accumulate(x, n, dx):
    # line 34: for i in range(n):
    s, ds = 0.0, 0.0
    for i in range(n):
        # line 35: s = s * x + i
        t1 = s * x
        t2 = ds * x
        t3 = s * dx
        ds = t2 + t3
        s = t1 + i
    result = (s, ds)
    return result
