"""Optimize the initial velocity of a 2-D fluid so that its smoke ends up in a target
shape, written as autograd's fluidsim.py writes it.

    python examples/fluidsim.py

The simulation is Jos Stam's "Real-Time Fluid Dynamics for Games": each step moves
the velocity field along itself (semi-Lagrangian advection: bilinear interpolation
from the cell each point came from), projects it to be nearly divergence-free
(Gauss-Seidel iterations on finite differences written with `np.roll`), then moves
the smoke along it. The gradient of the final mismatch with respect to the initial
velocity runs the 20 steps backwards. The grid is 32 x 32, the initial smoke a
disc, the target a ring, both made here (autograd reads images).
"""

import numpy as np

import adjoint


def project(vx, vy):
    """Project the velocity field to be approximately mass-conserving,
    using a few iterations of Gauss-Seidel."""
    p = np.zeros(vx.shape)
    h = 1.0 / vx.shape[0]
    div = -0.5 * h * (np.roll(vx, -1, axis=0) - np.roll(vx, 1, axis=0)
                      + np.roll(vy, -1, axis=1) - np.roll(vy, 1, axis=1))

    for k in range(10):
        p = (div + np.roll(p, 1, axis=0) + np.roll(p, -1, axis=0)
                 + np.roll(p, 1, axis=1) + np.roll(p, -1, axis=1)) / 4.0

    vx -= 0.5 * (np.roll(p, -1, axis=0) - np.roll(p, 1, axis=0)) / h
    vy -= 0.5 * (np.roll(p, -1, axis=1) - np.roll(p, 1, axis=1)) / h
    return vx, vy


def advect(f, vx, vy):
    """Move field f according to x and y velocities (u and v)
    using an implicit Euler integrator."""
    rows, cols = f.shape
    cell_ys, cell_xs = np.meshgrid(np.arange(rows), np.arange(cols))
    center_xs = (cell_xs - vx).ravel()
    center_ys = (cell_ys - vy).ravel()

    # Compute indices of source cells.
    left_ix = np.floor(center_xs).astype(int)
    top_ix = np.floor(center_ys).astype(int)
    rw = center_xs - left_ix          # Relative weight of right-hand cells.
    bw = center_ys - top_ix           # Relative weight of bottom cells.
    left_ix = np.mod(left_ix, rows)   # Wrap around edges of simulation.
    right_ix = np.mod(left_ix + 1, rows)
    top_ix = np.mod(top_ix, cols)
    bot_ix = np.mod(top_ix + 1, cols)

    # A linearly-weighted sum of the 4 surrounding cells.
    flat_f = (1 - rw) * ((1 - bw) * f[left_ix, top_ix] + bw * f[left_ix, bot_ix]) \
        + rw * ((1 - bw) * f[right_ix, top_ix] + bw * f[right_ix, bot_ix])
    return np.reshape(flat_f, (rows, cols))


def simulate(vx, vy, smoke, num_time_steps):
    for t in range(num_time_steps):
        vx_updated = advect(vx, vx, vy)
        vy_updated = advect(vy, vx, vy)
        vx, vy = project(vx_updated, vy_updated)
        smoke = advect(smoke, vx, vy)
    return smoke


def distance_from_target_image(smoke, target):
    return np.mean((target - smoke) ** 2)


def objective(init_vx, init_vy, init_smoke, target, num_time_steps):
    final_smoke = simulate(init_vx, init_vy, init_smoke, num_time_steps)
    return distance_from_target_image(final_smoke, target)


def disc_and_ring(size):
    """A disc of smoke in the middle of a size x size grid, and a ring around it."""
    ys, xs = np.meshgrid(np.arange(size), np.arange(size), indexing='ij')
    radius = np.hypot(xs - size / 2, ys - size / 2)
    init_smoke = 1.0 / (1.0 + np.exp(radius - size / 8))
    target = np.exp(-0.5 * ((radius - size / 4) / 1.5) ** 2)
    return init_smoke, target


def main():
    size, num_time_steps = 32, 20
    init_smoke, target = disc_and_ring(size)
    rs = np.random.default_rng(0)
    vx = 0.5 * rs.standard_normal((size, size))
    vy = 0.5 * rs.standard_normal((size, size))

    objective_grad = adjoint.value_and_grad(objective, wrt=('init_vx', 'init_vy'))
    step_size = 200.0
    for step in range(10):
        value, (dvx, dvy) = objective_grad(vx, vy, init_smoke, target, num_time_steps)
        print(f'step {step}   distance from the target {value:.6f}')
        vx, vy = vx - step_size * dvx, vy - step_size * dvy


if __name__ == '__main__':
    main()
