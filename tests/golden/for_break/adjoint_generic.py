def grad_for_break(x, n):
    tape_t3 = []
    tape_s = []
    tape_i = []
    tape_t2 = []
    # line 56: for i in range(n):
    broke, s, i, n_iter = False, 0.0, 0, 0
    while True:
        # line 56: for i in range(n):
        t1 = i < n
        if t1:
            # line 56: for i in range(n):
            t1 = not broke
        if not t1:
            break
        # line 57: if s > 3.0:
        tape_s.append(s)
        tape_i.append(i)
        t2 = s > 3.0
        tape_t2.append(t2)
        if t2:
            broke = True
        else:
            # line 59: s = s + x * i
            t3 = x * i
            tape_t3.append(t3)
            s = s + t3
        # line 56: for i in range(n):
        i = i + 1
        n_iter = n_iter + 1
    bs = scalar_seed(s, 'for_break')
    # adjoint of line 56: for i in range(n):
    bx = zeros_like(x)
    for _ in range(n_iter):
        # adjoint of line 57: if s > 3.0:
        t2 = tape_t2.pop()
        i = tape_i.pop()
        s = tape_s.pop()
        if not t2:
            # adjoint of line 59: s = s + x * i
            t3 = tape_t3.pop()
            bs_1 = unbroadcast(bs, s)
            bt3 = unbroadcast(bs, t3)
            t4 = bt3 * i
            bx = bx + t4
            bs = bs_1
    return bx
