def grad_nested_loop_sum(x, n):
    tape_s = []
    tape_t1 = []
    # line 48: for i in range(n):
    s = 0.0
    for i in range(n):
        # line 49: for j in range(i, n):
        for j in range(i, n):
            # line 50: s = s + x ** j
            tape_s.append(s)
            t1 = x ** j
            tape_t1.append(t1)
            s = s + t1
    bs = scalar_seed(s, 'nested_loop_sum')
    # adjoint of line 48: for i in range(n):
    bx = zeros_like(x)
    for i in reversed(range(n)):
        # adjoint of line 49: for j in range(i, n):
        for j in reversed(range(i, n)):
            # adjoint of line 50: s = s + x ** j
            t1 = tape_t1.pop()
            s_1 = tape_s.pop()
            bs_1 = unbroadcast(bs, s_1)
            bt1 = unbroadcast(bs, t1)
            t2 = bt1 * j
            t3 = j != 0
            t4 = j - t3
            t5 = power_or_inf(x, t4)
            t6 = t2 * t5
            bx = bx + t6
            bs = bs_1
    return bx
