def nested_loop_sum(x, n):
    s = 0.0
    for i in range(n):
        for j in range(i, n):
            s = s + x ** j
    return s
