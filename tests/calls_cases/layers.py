"""Helpers in another module than the model that calls them."""

import math

import numpy as np


def affine(w, x, b):
    return w * x + b


def squash(z):
    return math.tanh(z)


def squared_error(prediction, target):
    diff = prediction - target
    return diff * diff


def array_layer(w, x):
    return np.tanh(w * x)
