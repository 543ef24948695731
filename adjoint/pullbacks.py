"""`vjp` and reverse-mode Jacobians, on the forward/backward pairs of `calls.py`.

`vjp(f, *primals)` runs f's generated forward function once and returns its
value with a pullback: the generated backward function, applied to any
cotangent of the output — so non-scalar outputs work, as in JAX.
"""

import numpy as np

from adjoint.rules import TABLE, load_optional_rules
from adjoint.outputs import argument_shape, array_shape, check_output, mismatch, shaped_like
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
        # What a cotangent must be shaped like: a wrong shape would broadcast through
        # the backward sweep into cotangents of the wrong shape, as JAX's check says.
        self._out = out

    def __call__(self, cotangent):
        wrong = mismatch(cotangent, self._out)
        if wrong is not None:
            at, found, expected = wrong
            raise AdjointError(f'vjp: the cotangent{at} {found}, but the output{at} '
                               f'{expected}; pass a cotangent shaped like the output (a '
                               f'tuple, list or dict of them for a tuple, list or dict)')
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


def output_shape(out, name):
    """The shape of the array the output `out` of function `name` counts as (a
    tuple or list of numbers is a vector), and a function making a cotangent of
    its structure from a flat basis vector."""
    shape = array_shape(out, 'jacobian', f'`{name}` returned a {type(out).__name__} that',
                        f'take the Jacobian of each item (of `lambda x: {name}(x)[0]`)')
    return shape, lambda basis: shaped_like(basis.reshape(shape), out)


class JacobianReverse:
    """`jacobian(f, wrt, mode='reverse')`: one pullback per output element."""

    def __init__(self, fn, wrt):
        self.fn = fn
        self.wrt = wrt
        self._pullback = None

    def __call__(self, *args):
        wrt = self.wrt if isinstance(self.wrt, tuple) else (self.wrt,)
        shapes = {k: argument_shape(args, k, self.fn, 'jacobian') for k in wrt}
        out, pullback = vjp(self.fn, *args)
        self._pullback = pullback
        shape, make = output_shape(out, getattr(self.fn, '__name__', 'f'))
        size = int(np.prod(shape))
        rows = {k: [] for k in wrt}
        for i in range(size):
            basis = np.zeros(size)
            basis[i] = 1.0
            cotangents = pullback(make(basis))
            for k in wrt:
                rows[k].append(np.asarray(cotangents[k], dtype=float))
        result = tuple(np.stack(rows[k]).reshape(shape + shapes[k]) for k in wrt)
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
