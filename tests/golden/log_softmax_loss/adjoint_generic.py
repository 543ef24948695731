def grad_log_softmax_loss(logits, y):
    # line 25: m = np.max(logits, axis=1, keepdims=True)
    m = np.max(logits, axis=1, keepdims=True)
    # line 26: log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    t1 = logits - m
    t2 = np.exp(t1)
    t3 = np.sum(t2, axis=1, keepdims=True)
    t4 = np.log(t3)
    log_probs = t1 - t4
    # line 27: return -np.mean(np.sum(y * log_probs, axis=1))
    t5 = y * log_probs
    t6 = np.sum(t5, axis=1)
    t7 = np.mean(t6)
    t8 = -t7
    bt8 = scalar_seed(t8, 'log_softmax_loss')
    # adjoint of line 27: return -np.mean(np.sum(y * log_probs, axis=1))
    bt7 = -bt8
    t9 = reduced_size(t6)
    t10 = bt7 / t9
    bt6 = unreduce(t10, t6)
    bt5 = unreduce(bt6, t5, 1)
    t11 = bt5 * y
    blog_probs = unbroadcast(t11, log_probs)
    # adjoint of line 26: log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    bt1 = unbroadcast(blog_probs, t1)
    t12 = unbroadcast(blog_probs, t4)
    bt4 = -t12
    bt3 = bt4 / t3
    bt2 = unreduce(bt3, t2, 1, True)
    t13 = bt2 * t2
    bt1 = bt1 + t13
    blogits = unbroadcast(bt1, logits)
    t14 = unbroadcast(bt1, m)
    bm = -t14
    # adjoint of line 25: m = np.max(logits, axis=1, keepdims=True)
    t15 = keep_dims(bm, logits, 1, True)
    t16 = share_of_extremum(logits, m, 1, True)
    t17 = t15 * t16
    blogits = blogits + t17
    return blogits
