def for_break(x, n):
    s = 0.0
    for i in range(n):
        if s > 3.0:
            break
        s = s + x * i
    return s
