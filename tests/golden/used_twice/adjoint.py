def grad_used_twice(x, y):
    # line 34: z = math.sin(x)
    z = math.sin(x)
    # adjoint of line 35: return z * y + z
    bz = 1.0 + y
    # adjoint of line 34: z = math.sin(x)
    t1 = math.cos(x)
    bx = bz * t1
    grads = (bx, z)
    return grads
