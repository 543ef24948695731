def grow_then_set(z, w):
    # z may still be the caller's array after the loop: one copy before the write
    while np.sum(z) < 3.0:
        z = z + w
    z[1] = z[1] * w
    return np.sum(np.sin(z))
