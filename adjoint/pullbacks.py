"""`vjp` and reverse-mode Jacobians, on the forward/backward pairs of `calls.py`.

`vjp(f, *primals)` runs f's generated forward function once and returns its
value with a pullback: the generated backward function, applied to any
cotangent of the output — so non-scalar outputs work, as in JAX.
"""

import numpy as np

from adjoint.rules import TABLE, load_optional_rules
from adjoint.outputs import check_output
from transforms import calls
from transforms.errors import AdjointError


class Pullback:
    """The pullback of a function at a point: cotangent of the output -> one
    cotangent per argument. `.source` shows the generated code it runs.

    It may be called any number of times (a reverse-mode Jacobian calls it once per
    output element): the backward sweep pops the tapes the forward sweep saved, so
    each call gets copies of them."""

    def __init__(self, pair, saved, out):
        self._pair = pair
        self._saved = saved
        # The shape a cotangent must have: a wrong one would broadcast through the
        # backward sweep into cotangents of the wrong shape, as JAX's check says.
        self._shape = np.shape(out) if isinstance(out, (np.ndarray, np.generic, int, float)) \
            else None

    def __call__(self, cotangent):
        if self._shape is not None and np.shape(cotangent) != self._shape:
            raise AdjointError(f'vjp: the cotangent has shape {np.shape(cotangent)}, but the '
                               f'output has shape {self._shape}; pass a cotangent shaped '
                               f'like the output')
        return self._pair.backward(_copied_lists(self._saved), cotangent)

    @property
    def source(self):
        return '\n'.join(self._pair.sources)


def _copied_lists(value):
    """`value` with every list in it (tapes, tapes of tapes) copied; arrays and
    other objects, which the backward sweep does not change, shared."""
    if isinstance(value, list):
        return [_copied_lists(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_copied_lists(item) for item in value)
    return value


def vjp(fn, *primals):
    """The value of `fn` at `primals` and its pullback (JAX's `jax.vjp`).

    Returns:
        `(out, pullback)`: `pullback(out_cotangent)` returns a tuple with one
        cotangent per primal, each shaped like its primal.
    """
    from adjoint.api import argument_kind, concrete, positional_parameters  # api imports this
    load_optional_rules()
    function = concrete(fn, primals)
    params = positional_parameters(function)
    if len(primals) != len(params):
        raise AdjointError(f'vjp: `{function.__name__}` takes {len(params)} arguments '
                           f'({", ".join(params)}), {len(primals)} given')
    kinds = {p: argument_kind(v, p, function, True) for p, v in zip(params, primals)}
    pair = calls.pair(function, params, kinds, TABLE)
    out, saved = pair.forward(*primals)
    return check_output(out, 'vjp', function.__name__), Pullback(pair, saved, out)


def flat_output(out):
    """The output as an array, and a function making a cotangent of its structure
    from a flat basis vector."""
    if isinstance(out, (tuple, list)):
        kind = type(out)
        return np.asarray(out, dtype=float), lambda basis: kind(float(b) for b in basis)
    array = np.asarray(out, dtype=float)
    if array.ndim == 0 and not isinstance(out, np.ndarray):
        return array, lambda basis: float(basis[0])
    return array, lambda basis: basis.reshape(array.shape)


class JacobianReverse:
    """`jacobian(f, wrt, mode='reverse')`: one pullback per output element."""

    def __init__(self, fn, wrt):
        self.fn = fn
        self.wrt = wrt
        self._pullback = None

    def __call__(self, *args):
        out, pullback = vjp(self.fn, *args)
        self._pullback = pullback
        flat, make = flat_output(out)
        wrt = self.wrt if isinstance(self.wrt, tuple) else (self.wrt,)
        rows = {k: [] for k in wrt}
        for i in range(flat.size):
            basis = np.zeros(flat.size)
            basis[i] = 1.0
            cotangents = pullback(make(basis))
            for k in wrt:
                rows[k].append(np.asarray(cotangents[k], dtype=float))
        result = tuple(np.stack(rows[k]).reshape(flat.shape + np.shape(args[k]))
                       for k in wrt)
        return result if isinstance(self.wrt, tuple) else result[0]

    @property
    def source(self):
        if self._pullback is None:
            raise AdjointError('call the Jacobian once: its code depends on the kinds '
                               'of the arguments')
        return self._pullback.source


def jacobian_reverse(fn, wrt=0):
    """The Jacobian of `fn` by reverse mode: shape `out.shape + x.shape`."""
    return JacobianReverse(fn, wrt)
