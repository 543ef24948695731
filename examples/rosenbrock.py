"""Differentiate the Rosenbrock function and read the code adjoint writes for it.

    python examples/rosenbrock.py

The same derivative from the command line:

    adjoint grad examples/rosenbrock.py:rosenbrock --wrt x,y --kinds float
"""

import adjoint


def rosenbrock(x, y):
    """The banana-shaped valley of Rosenbrock (1960); its minimum is 0 at (1, 1)."""
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def descend(x, y, steps=2000, rate=1e-3):
    """Plain gradient descent, to show the derivative in use."""
    df = adjoint.grad(rosenbrock, wrt=('x', 'y'))
    for _ in range(steps):
        dx, dy = df(x, y)
        x, y = x - rate * dx, y - rate * dy
    return x, y


def main():
    df = adjoint.value_and_grad(rosenbrock, wrt=('x', 'y'))
    value, (dx, dy) = df(-1.0, 2.0)
    print(f'rosenbrock(-1, 2) = {value}')
    print(f'gradient          = ({dx}, {dy})')
    x, y = descend(-1.0, 2.0)
    print(f'after 2000 steps of gradient descent from (-1, 2): ({x:.4f}, {y:.4f})')
    print()
    print('The code adjoint generated for the gradient (df.source):')
    print()
    print(adjoint.grad(rosenbrock, wrt=('x', 'y')).source)


if __name__ == '__main__':
    main()
