def grad_while_doubling(x):
    # line 41: while s < 10.0:
    s, n_iter = x, 0
    while s < 10.0:
        # line 42: s = s * 2.0 + x
        t2 = s * 2.0
        s = t2 + x
        # line 41: while s < 10.0:
        n_iter = n_iter + 1
    # adjoint of line 41: while s < 10.0:
    bs, bx = 1.0, 0.0
    for _ in range(n_iter):
        # adjoint of line 42: s = s * 2.0 + x
        bx = bx + bs
        bs = bs * 2.0
    bx = bx + bs
    return bx
