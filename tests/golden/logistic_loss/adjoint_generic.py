def grad_logistic_loss(w, X, y):
    # line 50: p = 1.0 / (1.0 + np.exp(-(X @ w)))
    t1 = X @ w
    t2 = -t1
    t3 = np.exp(t2)
    t4 = 1.0 + t3
    p = 1.0 / t4
    # line 51: return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    t5 = np.log(p)
    t6 = y * t5
    t7 = 1.0 - y
    t8 = 1.0 - p
    t9 = np.log(t8)
    t10 = t7 * t9
    t11 = t6 + t10
    t12 = np.mean(t11)
    t13 = -t12
    bt13 = scalar_seed(t13, 'logistic_loss')
    # adjoint of line 51: return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    bt12 = -bt13
    t14 = reduced_size(t11)
    t15 = bt12 / t14
    bt11 = unreduce(t15, t11)
    bt6 = unbroadcast(bt11, t6)
    bt10 = unbroadcast(bt11, t10)
    t16 = bt10 * t7
    bt9 = unbroadcast(t16, t9)
    bt8 = bt9 / t8
    t17 = bt6 * y
    bt5 = unbroadcast(t17, t5)
    t18 = bt5 / p
    bp = t18 - bt8
    # adjoint of line 50: p = 1.0 / (1.0 + np.exp(-(X @ w)))
    t19 = bp / t4
    t20 = -t19
    bt4 = t20 * p
    bt2 = bt4 * t3
    bt1 = -bt2
    bw = matmul_grad_right(bt1, X, w)
    return bw
