def ratio(x, y):
    return (x + 1.0) / (y * y + 2.0) - 3.0 / x
