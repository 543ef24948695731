def grad_used_twice(x, y):
    # line 34: z = math.sin(x)
    z = math.sin(x)
    # line 35: return z * y + z
    t1 = z * y
    t2 = t1 + z
    bt2 = scalar_seed(t2, 'used_twice')
    # adjoint of line 35: return z * y + z
    bz = unbroadcast(bt2, z)
    t3 = bt2 * y
    by = bt2 * z
    t4 = unbroadcast(t3, z)
    bz = bz + t4
    # adjoint of line 34: z = math.sin(x)
    t5 = math.cos(x)
    bx = bz * t5
    grads = (bx, by)
    return grads
