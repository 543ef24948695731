def logistic_loss(w, X, y):
    # shaped: X @ w has y's shape, so no unbroadcast, and no log is computed
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
