"""Inverse kinematics of a planar three-link arm with forward-mode Jacobians.

    python examples/robot_arm.py

The arm's forward kinematics maps three joint angles to the hand's position and
orientation. Its Jacobian (3 x 3) comes from forward mode, one jvp per joint
(`adjoint.jacobian(..., mode="forward")`), and drives damped least-squares steps
that move the hand to a target. The tangent code adjoint writes is printed last:

    adjoint jvp examples/robot_arm.py:hand --wrt q
"""

import numpy as np

import adjoint

LINKS = (1.0, 0.8, 0.5)


def hand(q):
    """Position (x, y) and orientation of the hand for joint angles q."""
    l1, l2, l3 = LINKS
    a = q[0] + q[1]
    b = a + q[2]
    x = l1 * np.cos(q[0]) + l2 * np.cos(a) + l3 * np.cos(b)
    y = l1 * np.sin(q[0]) + l2 * np.sin(a) + l3 * np.sin(b)
    return np.array([x, y, b])


def reach(target, q, steps=20, damping=0.1):
    """Damped least squares: q += J^T (J J^T + damping^2 I)^-1 (target - hand(q))."""
    jacobian = adjoint.jacobian(hand, mode='forward')
    for step in range(steps):
        error = target - hand(q)
        if step % 4 == 0 or step == steps - 1:
            print(f'step {step:2d}   |error| {np.linalg.norm(error):.2e}')
        J = jacobian(q)
        q = q + J.T @ np.linalg.solve(J @ J.T + damping ** 2 * np.eye(3), error)
    return q


def main():
    q = np.array([0.3, -0.5, 1.1])
    forward = adjoint.jacobian(hand, mode='forward')(q)
    reverse = adjoint.jacobian(hand, mode='reverse')(q)
    print('Jacobian at q = (0.3, -0.5, 1.1), forward mode:')
    print(np.round(forward, 4))
    print(f'reverse mode agrees: {np.allclose(forward, reverse)}')
    print()
    target = np.array([1.2, 1.1, 1.0])
    q = reach(target, np.array([0.1, 0.1, 0.1]))
    print(f'joint angles {np.round(q, 4)} put the hand at {np.round(hand(q), 4)}')
    print()
    tangent = adjoint.jvp(hand)
    tangent((q,), (np.array([1.0, 0.0, 0.0]),))
    print('The code adjoint generated for the jvp (adjoint.jvp(hand).source):')
    print()
    print(tangent.source)


if __name__ == '__main__':
    main()
