def grad_while_doubling(x):
    tape_t2 = []
    # line 41: while s < 10.0:
    s, n_iter = x, 0
    while s < 10.0:
        # line 42: s = s * 2.0 + x
        t2 = s * 2.0
        tape_t2.append(t2)
        s = t2 + x
        # line 41: while s < 10.0:
        n_iter = n_iter + 1
    bs = scalar_seed(s, 'while_doubling')
    # adjoint of line 41: while s < 10.0:
    bx = zeros_like(x)
    for _ in range(n_iter):
        # adjoint of line 42: s = s * 2.0 + x
        t2 = tape_t2.pop()
        bt2 = unbroadcast(bs, t2)
        t3 = unbroadcast(bs, x)
        bx = bx + t3
        bs = bt2 * 2.0
    bx = bx + bs
    return bx
