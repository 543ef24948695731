def grad_log_softmax_loss(logits, y):
    # line 25: m = np.max(logits, axis=1, keepdims=True)
    m = logits.max(axis=1, keepdims=True)
    # line 26: log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    t1 = logits - m
    t2 = np.exp(t1)
    t3 = t2.sum(axis=1, keepdims=True)
    t4 = np.log(t3)
    log_probs = t1 - t4
    del t1
    # line 27: return -np.mean(np.sum(y * log_probs, axis=1))
    t5 = y * log_probs
    t6 = t5.sum(axis=1)
    # adjoint of line 27: return -np.mean(np.sum(y * log_probs, axis=1))
    t7 = reduced_size(t6)
    t8 = -1.0 / t7
    bt5 = spread(t8, t5)
    t9 = bt5 * y
    blog_probs = unbroadcast(t9, log_probs)
    del log_probs, t5, t6, bt5, t9
    # adjoint of line 26: log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    t10 = unbroadcast(blog_probs, t4)
    bt4 = -t10
    bt3 = bt4 / t3
    t11 = keep_dims(bt3, t2, 1, True)
    t12 = t11 * t2
    bt1 = blog_probs + t12
    t13 = unbroadcast(bt1, m)
    bm = -t13
    del t2, t3, t4, blog_probs, t10, bt4, bt3, t11, t12, t13
    # adjoint of line 25: m = np.max(logits, axis=1, keepdims=True)
    t14 = keep_dims(bm, logits, 1, True)
    t15 = share_of_extremum(logits, m, 1, True)
    t16 = t14 * t15
    blogits = bt1 + t16
    return blogits
