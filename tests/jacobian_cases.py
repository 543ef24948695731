"""Functions with non-scalar outputs, for vjp and Jacobian tests."""

import math

import numpy as np

LINKS = (1.0, 0.8, 0.5)


def robot_arm(q1, q2, q3):
    """Planar 3-link arm: end position (x, y) and orientation phi."""
    l1, l2, l3 = LINKS
    a = q1 + q2
    b = a + q3
    x = l1 * math.cos(q1) + l2 * math.cos(a) + l3 * math.cos(b)
    y = l1 * math.sin(q1) + l2 * math.sin(a) + l3 * math.sin(b)
    return np.array([x, y, b])


def robot_arm_vector(q):
    l1, l2, l3 = LINKS
    a = q[0] + q[1]
    b = a + q[2]
    x = l1 * np.cos(q[0]) + l2 * np.cos(a) + l3 * np.cos(b)
    y = l1 * np.sin(q[0]) + l2 * np.sin(a) + l3 * np.sin(b)
    return (x, y, b)


def elementwise(x, w):
    return np.tanh(x * w) + x


def arm_jacobian(q1, q2, q3):
    l1, l2, l3 = LINKS
    a, b = q1 + q2, q1 + q2 + q3
    dx = [-l1 * math.sin(q1) - l2 * math.sin(a) - l3 * math.sin(b),
          -l2 * math.sin(a) - l3 * math.sin(b), -l3 * math.sin(b)]
    dy = [l1 * math.cos(q1) + l2 * math.cos(a) + l3 * math.cos(b),
          l2 * math.cos(a) + l3 * math.cos(b), l3 * math.cos(b)]
    return np.array([dx, dy, [1.0, 1.0, 1.0]])
