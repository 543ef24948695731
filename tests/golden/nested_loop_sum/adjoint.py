def grad_nested_loop_sum(x, n):
    # line 48: for i in range(n):
    for i in range(n):
        # line 49: for j in range(i, n):
        for j in range(i, n):
            # line 50: s = s + x ** j
            x ** j
    # adjoint of line 48: for i in range(n):
    bx = 0.0
    for i in reversed(range(n)):
        # adjoint of line 49: for j in range(i, n):
        for j in reversed(range(i, n)):
            # adjoint of line 50: s = s + x ** j
            t1 = 1.0 * j
            t2 = j != 0
            t3 = j - t2
            t4 = power_or_inf(x, t3)
            t5 = t1 * t4
            bx = bx + t5
    return bx
