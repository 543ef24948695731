def grad_for_break(x, n):
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
        tape_i.append(i)
        t2 = s > 3.0
        tape_t2.append(t2)
        if t2:
            broke = True
        else:
            # line 59: s = s + x * i
            t3 = x * i
            s = s + t3
        # line 56: for i in range(n):
        i = i + 1
        n_iter = n_iter + 1
    # adjoint of line 56: for i in range(n):
    bs, bx = 1.0, 0.0
    for _ in range(n_iter):
        # adjoint of line 57: if s > 3.0:
        t2 = tape_t2.pop()
        i = tape_i.pop()
        if not t2:
            # adjoint of line 59: s = s + x * i
            t4 = bs * i
            bx = bx + t4
    return bx
