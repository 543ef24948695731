def gaussian(x):
    return x * math.exp(-x * x / 2.0)
