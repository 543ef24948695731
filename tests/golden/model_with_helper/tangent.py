def jvp_model_with_helper(w, x, dw, dx):
    # line 17: h = scaled_tanh(w * x, 2.0)
    t1 = w * x
    t2 = dw * x
    t3 = w * dx
    dt1 = t2 + t3
    h, dh = scaled_tanh_jvp(t1, 2.0, dt1)
    # line 18: return scaled_tanh(h, 0.5) * w
    t4, dt4 = scaled_tanh_jvp(h, 0.5, dh)
    t5 = t4 * w
    t6 = dt4 * w
    t7 = t4 * dw
    dt5 = t6 + t7
    result = (t5, dt5)
    return result
