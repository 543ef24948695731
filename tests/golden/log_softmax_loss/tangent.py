def jvp_log_softmax_loss(logits, y, dlogits):
    # line 25: m = np.max(logits, axis=1, keepdims=True)
    m = np.max(logits, axis=1, keepdims=True)
    t1 = share_of_extremum(logits, m, 1, True)
    t2 = dlogits * t1
    dm = np.sum(t2, axis=1, keepdims=True)
    # line 26: log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    t3 = logits - m
    dt3 = dlogits - dm
    t4 = np.exp(t3)
    dt4 = dt3 * t4
    t5 = np.sum(t4, axis=1, keepdims=True)
    dt5 = np.sum(dt4, axis=1, keepdims=True)
    t6 = np.log(t5)
    dt6 = dt5 / t5
    log_probs = t3 - t6
    dlog_probs = dt3 - dt6
    del m, dm, t3, dt3, t4, dt4, t5, dt5, t6, dt6
    # line 27: return -np.mean(np.sum(y * log_probs, axis=1))
    t7 = y * log_probs
    dt7 = y * dlog_probs
    t8 = np.sum(t7, axis=1)
    dt8 = np.sum(dt7, axis=1)
    t9 = np.mean(t8)
    dt9 = np.mean(dt8)
    t10 = -t9
    dt10 = -dt9
    result = (t10, dt10)
    return result
