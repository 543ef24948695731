def jvp_log_softmax_loss(logits, y, dlogits):
    # line 25: m = np.max(logits, axis=1, keepdims=True)
    m = logits.max(axis=1, keepdims=True)
    t1 = share_of_extremum(logits, m, 1, True)
    t2 = dlogits * t1
    dm = np.sum(t2, axis=1, keepdims=True)
    # line 26: log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    t3 = logits - m
    dt3 = dlogits - dm
    t4 = np.exp(t3)
    dt4 = dt3 * t4
    t5 = t4.sum(axis=1, keepdims=True)
    dt5 = dt4.sum(axis=1, keepdims=True)
    t6 = np.log(t5)
    dt6 = dt5 / t5
    log_probs = t3 - t6
    dlog_probs = dt3 - dt6
    del m, dm, t3, dt3, t4, dt4, t5, dt5, t6, dt6
    # line 27: return -np.mean(np.sum(y * log_probs, axis=1))
    t7 = y * log_probs
    dt7 = y * dlog_probs
    t8 = t7.sum(axis=1)
    dt8 = dt7.sum(axis=1)
    t9 = t8.mean()
    dt9 = dt8.mean()
    t10 = -t9
    dt10 = -dt9
    result = (t10, dt10)
    return result
