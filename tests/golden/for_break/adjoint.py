def grad_for_break(x, n):
    tape_i = []
    tape_t3 = []
    # line 56: for i in range(n):
    broke, s, i, n_iter = False, 0.0, 0, 0
    while True:
        # line 56: for i in range(n):
        t1 = i < n
        if t1:
            # line 56: for i in range(n):
            t2 = not broke
        else:
            t2 = t1
        if not t2:
            break
        # line 57: if s > 3.0:
        tape_i.append(i)
        t3 = s > 3.0
        tape_t3.append(t3)
        if t3:
            broke = True
        else:
            # line 59: s = s + x * i
            t4 = x * i
            s = s + t4
        # line 56: for i in range(n):
        i = i + 1
        n_iter = n_iter + 1
    # adjoint of line 56: for i in range(n):
    bs, bx = 1.0, 0.0
    for _ in range(n_iter):
        # adjoint of line 57: if s > 3.0:
        t3 = tape_t3.pop()
        i = tape_i.pop()
        if not t3:
            # adjoint of line 59: s = s + x * i
            t5 = bs * i
            bx = bx + t5
    return bx
