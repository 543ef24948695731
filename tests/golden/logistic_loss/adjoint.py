def grad_logistic_loss(w, X, y):
    # line 50: p = 1.0 / (1.0 + np.exp(-(X @ w)))
    t1 = X @ w
    t2 = -t1
    t3 = np.exp(t2)
    t4 = 1.0 + t3
    p = 1.0 / t4
    del t1, t2
    # line 51: return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    t5 = np.log(p)
    t6 = y * t5
    t7 = 1.0 - y
    t8 = 1.0 - p
    t9 = np.log(t8)
    t10 = t7 * t9
    t11 = t6 + t10
    # adjoint of line 51: return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    t12 = reduced_size(t11)
    t13 = -1.0 / t12
    bt11 = spread(t13, t11)
    bt6 = unbroadcast(bt11, t6)
    bt10 = unbroadcast(bt11, t10)
    t14 = bt10 * t7
    bt9 = unbroadcast(t14, t9)
    bt8 = bt9 / t8
    t15 = bt6 * y
    bt5 = unbroadcast(t15, t5)
    t16 = bt5 / p
    bp = t16 - bt8
    del t5, t6, t7, t8, t9, t10, t11, bt11, bt6, bt10, t14, bt9, bt8, t15, bt5, t16
    # adjoint of line 50: p = 1.0 / (1.0 + np.exp(-(X @ w)))
    t17 = bp / t4
    t18 = -t17
    bt4 = t18 * p
    bt2 = bt4 * t3
    bt1 = -bt2
    t19 = X.T
    bw = t19 @ bt1
    return bw
