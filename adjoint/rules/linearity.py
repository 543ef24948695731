"""How zero tangents pass through the NumPy functions jvp rules call.

A jvp rule with several tangents, `multiply_jvp(dx, dy, ...) = dx * y + x * dy`,
is inlined with a marker for each tangent that is zero; the compiler knows how the
marker passes through Python's operators, and learns here how it passes through
NumPy: a function linear in an argument gives zero for a zero argument. Anything
else a zero reaches makes the compiler inline the rule with real zeros instead.
"""

import numpy as np

from adjoint.rules.registry import zero_role

zero_role('sum', np.add)
zero_role('difference', np.subtract)
zero_role((0, 1), np.multiply, np.matmul, np.dot, np.inner, np.outer, np.tensordot,
          np.kron, np.cross, np.vdot)
zero_role((0,), np.divide, np.true_divide, np.negative, np.positive, np.conj, np.real)
# Linear in the array they take first: reductions and moves of elements.
zero_role((0,), np.sum, np.mean, np.cumsum, np.trace, np.diagonal, np.reshape, np.ravel,
          np.transpose, np.swapaxes, np.moveaxis, np.expand_dims, np.squeeze,
          np.broadcast_to, np.flip, np.roll, np.tile, np.repeat, np.atleast_1d,
          np.atleast_2d, np.array, np.asarray, np.copy, np.concatenate, np.stack,
          np.hstack, np.vstack, np.split, np.array_split)
zero_role((0,), ('method', 'sum'), ('method', 'mean'), ('method', 'reshape'),
          ('method', 'ravel'), ('method', 'flatten'), ('method', 'transpose'),
          ('method', 'squeeze'), ('method', 'swapaxes'), ('method', 'copy'),
          ('method', 'dot'), ('attr', 'T'))
zero_role((1,), np.full, np.linalg.solve)
