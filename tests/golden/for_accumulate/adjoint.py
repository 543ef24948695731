def grad_for_accumulate(x, n):
    tape_s = []
    # line 34: for i in range(n):
    s = 0.0
    for i in range(n):
        # line 35: s = s * x + i
        tape_s.append(s)
        t1 = s * x
        s = t1 + i
    # adjoint of line 34: for i in range(n):
    bs, bx = 1.0, 0.0
    for i in reversed(range(n)):
        # adjoint of line 35: s = s * x + i
        s = tape_s.pop()
        bs_1 = bs * x
        t2 = bs * s
        bx = bx + t2
        bs = bs_1
    return bx
