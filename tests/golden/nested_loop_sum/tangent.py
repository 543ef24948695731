def jvp_nested_loop_sum(x, n, dx):
    # line 48: for i in range(n):
    s, ds = 0.0, 0.0
    for i in range(n):
        # line 49: for j in range(i, n):
        for j in range(i, n):
            # line 50: s = s + x ** j
            t1 = x ** j
            t2 = dx * j
            t3 = j != 0
            t4 = j - t3
            t5 = power_or_inf(x, t4)
            dt1 = t2 * t5
            s = s + t1
            ds = ds + dt1
    result = (s, ds)
    return result
