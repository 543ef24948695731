def trig(x, y):
    return math.sin(x) * math.cos(y) + math.sin(x * y)
