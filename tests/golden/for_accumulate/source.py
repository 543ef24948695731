def for_accumulate(x, n):
    s = 0.0
    for i in range(n):
        s = s * x + i
    return s
