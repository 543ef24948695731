"""numba_loops.py's workloads as a JAX user writes them: loops as `jax.lax.fori_loop`.

`jax.jit` of a Python `for` loop unrolls it, one copy of the body per iteration,
so its compile grows with the trip count (numba_loops.py measures that once, for
the Euler loop at 1,000 steps); `fori_loop` traces the body once. Reverse mode
needs the trip count known when tracing (`fori_loop` then becomes a `scan`): it
is a static argument (Euler's `n`) or an array's shape. Importing this module
imports JAX, and turns on float64, as the other workloads compute in float64.
"""

import jax
import jax.numpy as jnp
import numpy as np

from potential import SOFTENING

jax.config.update('jax_enable_x64', True)


def euler(y0, k, dt, n):
    def step(i, y):
        return y + dt * (-k * y + jnp.sin(y))
    return jax.lax.fori_loop(0, n, step, y0)


def linreg(coef, xs, ys):
    def point(i, error):
        return error + (ys[i] - xs[i] * coef) ** 2
    return jax.lax.fori_loop(0, ys.shape[0], point, 0.0)


def potential(pos):
    """One `fori_loop` over the pairs i < j, listed once when tracing: the inner
    loop of `range(i + 1, n)` would have a trip count known only at run time,
    which reverse mode cannot differentiate."""
    first, second = (jnp.asarray(index) for index in np.triu_indices(pos.shape[0], 1))

    def pair(p, e):
        i, j = first[p], second[p]
        dx = pos[i, 0] - pos[j, 0]
        dy = pos[i, 1] - pos[j, 1]
        return e - 1.0 / jnp.sqrt(dx * dx + dy * dy + SOFTENING)
    return jax.lax.fori_loop(0, first.shape[0], pair, 0.0)


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


VERSIONS = {'euler': euler, 'linreg': linreg, 'potential': potential,
            'rosenbrock': rosenbrock}  # the primal's name -> its JAX version
