"""NumPy functions without a derivative, declared rather than guessed: piecewise
constant functions (`np.sign`, `np.floor`), predicates, index functions
(`np.argmax`), and results that do not depend on their arguments' values
(`np.zeros_like`, `np.shape`, `x.ndim`). Each has a result kind, so code after
them is still specialized.
"""

import numpy as np

from adjoint.rules.numpy_kinds import float_array
from adjoint.rules.registry import (arithmetic, boolean, elementwise, integer,
                                    nondifferentiable, shaped_like, unknown)


def _fresh_floats(args, kwargs):
    """`np.zeros(shape)`: a float array unless a dtype is given; a vector for an
    int shape (`np.zeros(n)`)."""
    if len(args) != 1 or kwargs:
        return None
    return 'vector' if args[0] == 'int' else 'array'


# Piecewise constant: np.sign, np.round keep an int an int; the others return floats.
nondifferentiable(np.sign, np.round, np.around, kind=arithmetic)
# Of a real argument, 0 (np.real is the argument itself: numpy_rules.py); np.angle
# of one is 0 or pi, constant but for its jump at 0, where its derivative is taken
# to be 0 too (as abs'(0) is).
nondifferentiable(np.imag, kind=arithmetic)
nondifferentiable(np.angle, kind=elementwise)
nondifferentiable(np.floor, np.ceil, np.trunc, np.rint, np.fix, kind=elementwise)
nondifferentiable(np.isnan, np.isinf, np.isfinite, np.signbit, np.logical_not,
                  np.logical_and, np.logical_or, kind=boolean)
nondifferentiable(np.argmax, np.argmin, np.argsort, np.nonzero, np.count_nonzero,
                  np.searchsorted, np.isclose, np.allclose, np.array_equal, kind=unknown)
# Results that do not depend on the values of their arguments.
nondifferentiable(np.zeros_like, np.ones_like, np.empty_like, kind=float_array)
shaped_like(0, np.zeros_like, np.ones_like, np.empty_like, np.copy)
nondifferentiable(np.zeros, np.ones, np.empty, np.eye, np.identity, kind=_fresh_floats)
nondifferentiable(np.ndim, np.size, kind=integer)
nondifferentiable(np.shape, kind=unknown)
nondifferentiable(('attr', 'shape'), ('attr', 'dtype'), kind=unknown)
nondifferentiable(('attr', 'ndim'), ('attr', 'size'), kind=integer)
nondifferentiable(('method', 'argmax'), ('method', 'argmin'), ('method', 'argsort'),
                  ('method', 'nonzero'), kind=unknown)
