def grad_logistic_loss(w, X, y):
    # line 50: p = 1.0 / (1.0 + np.exp(-(X @ w)))
    t1 = X @ w
    t2 = -t1
    t3 = np.exp(t2)
    t4 = 1.0 + t3
    p = 1.0 / t4
    del t1, t2
    # line 51: return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    t5 = 1.0 - y
    t6 = 1.0 - p
    # adjoint of line 51: return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    t7 = reduced_size(y)
    t8 = -1.0 / t7
    bt9 = t8 * t5
    bt6 = bt9 / t6
    bt10 = t8 * y
    t11 = bt10 / p
    bp = t11 - bt6
    del t5, t6, bt9, bt6, bt10, t11
    # adjoint of line 50: p = 1.0 / (1.0 + np.exp(-(X @ w)))
    t12 = bp / t4
    t13 = -t12
    bt4 = t13 * p
    bt2 = bt4 * t3
    bt1 = -bt2
    t14 = X.T
    bw = t14 @ bt1
    return bw
