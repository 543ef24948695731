def used_twice(x, y):
    z = math.sin(x)
    return z * y + z
