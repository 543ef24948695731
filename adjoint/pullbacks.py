"""`vjp` and reverse-mode Jacobians, on the forward/backward pairs of `calls.py`.

`vjp(f, *primals)` runs f's generated forward function once and returns its
value with a pullback: the generated backward function, applied to any
cotangent of the output — so non-scalar outputs work, as in JAX.
"""

import numpy as np

from adjoint import numba_backend, tracebacks
from adjoint.rules import TABLE, load_optional_rules
from adjoint.coordinates import Coordinates
from adjoint.display import Code, Shown, as_code, describe
from adjoint.outputs import array_shape, check_output, copied_lists, mismatch, shaped_like
from transforms import pipeline
from transforms.ad import calls
from transforms.core.errors import AdjointError


class GeneratedPair:
    """The code of a forward/backward pair (`transforms.calls.Pair`): `.source` is
    the two functions, `.helpers` the generated functions they call."""

    def __init__(self, pair):
        self._pair = pair

    @property
    def source(self):
        return Code('\n'.join(self._pair.sources))

    @property
    def helpers(self):
        return as_code(calls.generated_helpers([self._pair.forward, self._pair.backward]))


class Pullback(GeneratedPair, Shown):
    """The pullback of a function at a point: cotangent of the output -> one
    cotangent per argument. `.source` shows the generated code it runs (the
    function's forward sweep, which ran, and its backward sweep).

    It may be called any number of times (a reverse-mode Jacobian calls it once per
    output element): the backward sweep pops the tapes the forward sweep saved, so
    each call gets copies of them."""

    def __init__(self, pair, saved, out, description, backend='python'):
        super().__init__(pair)
        self.backend = backend
        self._saved = saved
        # What a cotangent must be shaped like: a wrong shape would broadcast through
        # the backward sweep into cotangents of the wrong shape, as JAX's check says.
        self._out = out
        self._description = description

    @tracebacks.shows_user_code
    def __call__(self, cotangent):
        wrong = mismatch(cotangent, self._out)
        if wrong is not None:
            at, found, expected = wrong
            raise AdjointError(f'vjp: the cotangent{at} {found}, but the output{at} '
                               f'{expected}; pass a cotangent shaped like the output (a '
                               f'tuple, list or dict of them for a tuple, list or dict)')
        return self._pair.backward(copied_lists(self._saved), cotangent)

    def _describe(self):
        return self._description


@tracebacks.shows_user_code
def vjp(fn, *primals, backend='python', **kwargs):
    """The value of `fn` at `primals` and its pullback (JAX's `jax.vjp`).

    Args:
        fn: a Python function (or a derivative made by adjoint); its output may
            be a number, an array, or a tuple, list or dict of them.
        *primals: its positional arguments, each differentiated.
        backend: 'python' (the default) or 'numba', as for `grad` (a keyword
            argument of `fn` named `backend` is passed with `functools.partial`).
        **kwargs: keyword arguments of `fn`, passed as they are, as constants:
            the pullback returns cotangents of the positional `primals` only.

    Returns:
        `(out, pullback)`: `pullback(out_cotangent)` returns a tuple with one
        cotangent per primal, each shaped like its primal.
    """
    from adjoint.api import argument_kind, concrete, positional_parameters  # api imports this
    numba_backend.checked_backend(backend)
    load_optional_rules()
    function = concrete(fn, primals, kwargs)
    params = positional_parameters(function)
    given = set(params[:len(primals)]) | set(kwargs)
    missing = [p for p in params if p not in given]
    if len(primals) > len(params) or (missing and not _defaults_cover(function, missing)):
        raise AdjointError(f'vjp: `{function.__name__}` takes {len(params)} arguments '
                           f'({", ".join(params)}), {len(primals)} given'
                           + (f' and {", ".join(sorted(kwargs))} by name' if kwargs else ''))
    wrt = params[:len(primals)]
    for name in kwargs:
        if name in wrt:
            raise AdjointError(f'vjp: `{name}` is given both in primals and as a keyword '
                               f'argument')
    kinds = {p: argument_kind(v, p, function, True) for p, v in zip(wrt, primals)}
    kinds.update({p: argument_kind(v, p, function) for p, v in kwargs.items()})
    if backend == 'numba':
        numba_backend.check_kinds(kinds.items(), function)
    pair = pipeline.pair(function, wrt, kinds, TABLE)
    if backend == 'numba':
        pair = numba_backend.twin_pair(pair)
    out, saved = pair.forward(*primals, **kwargs)
    pullback = Pullback(pair, saved, out,
                        f'<adjoint.vjp pullback of {describe(fn)} wrt {", ".join(wrt)}>',
                        backend)
    return check_output(out, 'vjp', function.__name__), pullback


def _defaults_cover(function, names):
    """Whether every parameter in `names` of `function` has a default value."""
    code = function.__code__
    defaults = function.__defaults__ or ()
    with_default = code.co_varnames[code.co_argcount - len(defaults):code.co_argcount]
    return all(name in with_default for name in names)


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

    @tracebacks.shows_user_code
    def __call__(self, *args):
        wrt = self.wrt if isinstance(self.wrt, tuple) else (self.wrt,)
        name = getattr(self.fn, '__name__', 'f')
        coordinates = {k: Coordinates(args[k], 'jacobian', f'argument {k} of `{name}`')
                       for k in wrt}
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
                rows[k].append(coordinates[k].flatten(cotangents[k]))
        result = tuple(coordinates[k].unflatten(
            np.reshape(rows[k], shape + (coordinates[k].size,)), shape) for k in wrt)
        return result if isinstance(self.wrt, tuple) else result[0]

    def _shown(self):
        """The pullback that ran last, or before a call, the pair for arguments of
        unknown kind, each differentiated (as `vjp` differentiates them)."""
        if self._pullback is not None:
            return self._pullback
        from adjoint.api import concrete_for_kinds, positional_parameters, reject_composite
        function = concrete_for_kinds(self.fn, (), {}) or self.fn
        reject_composite(function)
        params = positional_parameters(function)
        # The parameters a call must give: those with defaults may be left out.
        wrt = params[:len(params) - len(function.__defaults__ or ())] or params
        load_optional_rules()
        return GeneratedPair(pipeline.pair(function, wrt, dict.fromkeys(wrt), TABLE))

    @property
    def source(self):
        return self._shown().source

    @property
    def helpers(self):
        return self._shown().helpers


def jacobian_reverse(fn, wrt=0):
    """The Jacobian of `fn` by reverse mode: shape `out.shape + x.shape`."""
    return JacobianReverse(fn, wrt)
