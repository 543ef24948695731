def while_doubling(x):
    s = x
    while s < 10.0:
        s = s * 2.0 + x
    return s
