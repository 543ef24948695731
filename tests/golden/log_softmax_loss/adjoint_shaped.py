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
    del log_probs, t5
    # adjoint of line 27: return -np.mean(np.sum(y * log_probs, axis=1))
    t7 = reduced_size(t6)
    t8 = -1.0 / t7
    blog_probs = t8 * y
    del t6
    # adjoint of line 26: log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    t9 = unbroadcast(blog_probs, t4)
    bt4 = -t9
    bt3 = bt4 / t3
    t10 = keep_dims(bt3, logits, 1, True)
    t11 = t10 * t2
    bt1 = blog_probs + t11
    t12 = unbroadcast(bt1, m)
    bm = -t12
    del t2, t3, t4, blog_probs, t9, bt4, bt3, t10, t11, t12
    # adjoint of line 25: m = np.max(logits, axis=1, keepdims=True)
    t13 = keep_dims(bm, logits, 1, True)
    t14 = share_of_extremum(logits, m, 1, True)
    t15 = t13 * t14
    blogits = bt1 + t15
    return blogits
