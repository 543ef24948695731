def jvp_tanh_layer(w, b, x, dw, db):
    # line 39: h = np.tanh(w * x + b)
    t1 = w * x
    dt1 = dw * x
    t2 = t1 + b
    dt2 = dt1 + db
    h = np.tanh(t2)
    t3 = h * h
    t4 = 1.0 - t3
    dh = dt2 * t4
    del t1, dt1, t2, dt2, t4
    # line 40: return np.sum(h * h)
    t5 = dh * h
    dt6 = t5 + t5
    t7 = t3.sum()
    dt7 = dt6.sum()
    result = (t7, dt7)
    return result
