def grad_for_accumulate(x, n):
    tape_s = []
    # line 34: for i in range(n):
    s = 0.0
    for i in range(n):
        # line 35: s = s * x + i
        tape_s.append(s)
        t1 = s * x
        s = t1 + i
    bs = scalar_seed(s, 'for_accumulate')
    # adjoint of line 34: for i in range(n):
    bx = zeros_like(x)
    for i in reversed(range(n)):
        # adjoint of line 35: s = s * x + i
        s = tape_s.pop()
        t2 = bs * x
        t3 = bs * s
        bs = unbroadcast(t2, s)
        t4 = unbroadcast(t3, x)
        bx = bx + t4
    return bx
