def jvp_for_break(x, n, dx):
    # line 56: for i in range(n):
    broke, s, i, ds = False, 0.0, 0, 0.0
    while True:
        # line 56: for i in range(n):
        t1 = i < n
        if t1:
            # line 56: for i in range(n):
            t1 = not broke
        if not t1:
            break
        # line 57: if s > 3.0:
        t2 = s > 3.0
        if t2:
            broke = True
        else:
            # line 59: s = s + x * i
            t3 = x * i
            dt3 = dx * i
            s = s + t3
            ds = ds + dt3
        # line 56: for i in range(n):
        i = i + 1
    result = (s, ds)
    return result
