def jvp_logistic_loss(w, X, y, dw):
    # line 50: p = 1.0 / (1.0 + np.exp(-(X @ w)))
    t1 = X @ w
    dt1 = X @ dw
    t2 = -t1
    dt2 = -dt1
    t3 = np.exp(t2)
    dt3 = dt2 * t3
    t4 = 1.0 + t3
    p = 1.0 / t4
    t5 = p * dt3
    t6 = -t5
    dp = t6 / t4
    del t1, dt1, t2, dt2, t3, dt3, t4, t5, t6
    # line 51: return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    t7 = np.log(p)
    dt7 = dp / p
    t8 = y * t7
    dt8 = y * dt7
    t9 = 1.0 - y
    t10 = 1.0 - p
    dt10 = -dp
    t11 = np.log(t10)
    dt11 = dt10 / t10
    t12 = t9 * t11
    dt12 = t9 * dt11
    t13 = t8 + t12
    dt13 = dt8 + dt12
    t14 = t13.mean()
    dt14 = dt13.mean()
    t15 = -t14
    dt15 = -dt14
    result = (t15, dt15)
    return result
