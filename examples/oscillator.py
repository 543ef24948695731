"""Differentiate a simulation loop: how the end point of a damped spring depends on
its stiffness and damping.

    python examples/oscillator.py

The loop is differentiated as a loop: the generated code runs the simulation
forward, saving on tapes only the values the backward sweep needs, then runs it
backwards.
"""

import adjoint
from adjoint.testing import numerical_grad


def simulate(k, damping, x0, steps=200, dt=0.01):
    """Position after `steps` explicit Euler steps of x'' = -k x - damping x'."""
    x, v = x0, 0.0
    for _ in range(steps):
        a = -k * x - damping * v
        v += dt * a
        x += dt * v
    return x


def main():
    df = adjoint.grad(simulate, wrt=('k', 'damping'))
    dk, ddamping = df(4.0, 0.5, 1.0)
    print(f'x(T) = {simulate(4.0, 0.5, 1.0):.6f}')
    print(f'd x(T) / d k       = {dk:.6f}  (finite differences: '
          f'{numerical_grad(simulate, (4.0, 0.5, 1.0), 0):.6f})')
    print(f'd x(T) / d damping = {ddamping:.6f}  (finite differences: '
          f'{numerical_grad(simulate, (4.0, 0.5, 1.0), 1):.6f})')
    print()
    print(df.source)


if __name__ == '__main__':
    main()
