"""Jacobians, Hessians and Hessian-vector products, from the two modes.

- `jacobian(f, wrt, mode)`: forward mode runs one jvp per input element, reverse
  mode one pullback per output element; "auto" picks the one with fewer runs.
  The result has shape `out.shape + x.shape`.
- `hessian(f, wrt)`: the forward-mode Jacobian of the gradient (forward over
  reverse): the gradient's generated code is itself differentiated in forward mode.
- `hvp(f, wrt)(*args, v)`: one jvp of the gradient, `H @ v` without forming `H`.
"""

import functools

import numpy as np

from adjoint import api
from adjoint.forward_mode import Jvp
from adjoint.pullbacks import JacobianReverse, output_shape
from adjoint.outputs import argument_shape, check_output, shaped_like
from transforms.errors import AdjointError

MODES = ('auto', 'forward', 'reverse')


def _indices(fn, wrt):
    """`wrt` (an index or name, or a tuple of them) as a tuple of parameter indices."""
    params = api.positional_parameters(fn)
    items = wrt if isinstance(wrt, (tuple, list)) else (wrt,)
    out = []
    for item in items:
        if isinstance(item, str) and item in params:
            out.append(params.index(item))
        elif isinstance(item, int) and not isinstance(item, bool) and \
                -len(params) <= item < len(params):
            out.append(item % len(params))
        else:
            raise AdjointError(f'wrt={item!r} is not a parameter of `{fn.__name__}`; its '
                               f'parameters are: {", ".join(params)}')
    return tuple(out)


class _Wrt:
    """The `wrt` of a Jacobian-like object as parameter indices, found once."""

    _known = None

    def indices(self, args):
        if self._known is None:
            self._known = _indices(api.concrete(self.fn, args), self.wrt)
        return self._known


def _basis(x, shape):
    """The unit tangents of `x`, one per element of the array of `shape` it
    counts as (`outputs.array_shape`), each shaped like `x`: a float for a number,
    a tuple of rows for a tuple."""
    size = int(np.prod(shape))
    for k in range(size):
        e = np.zeros(size)
        e[k] = 1.0
        yield shaped_like(e.reshape(shape), x)


class Jacobian(_Wrt, api.ShowsLastRun):
    """`jacobian(f, wrt, mode)`: see `jacobian`. `.source` is the code that ran last."""

    def __init__(self, fn, wrt, mode):
        if mode not in MODES:
            raise AdjointError(f'mode={mode!r}; the modes are: {", ".join(MODES)}')
        self.fn, self.wrt, self.mode = fn, wrt, mode
        self._last = None
        functools.update_wrapper(self, fn, updated=())

    def __call__(self, *args):
        indices = self.indices(args)
        mode = self.mode
        if mode == 'auto':
            name = getattr(self.fn, '__name__', 'f')
            out = check_output(self.fn(*args), 'jacobian', name)
            outputs = np.prod(output_shape(out, name)[0])
            inputs = sum(np.prod(argument_shape(args, k, self.fn, 'jacobian'))
                         for k in indices)
            mode = 'forward' if inputs <= outputs else 'reverse'
        if mode == 'reverse':
            self._last = JacobianReverse(self.fn, indices)
            result = self._last(*args)
        else:
            self._last = Jvp(self.fn)
            result = tuple(self.forward_columns(args, k) for k in indices)
        return result if isinstance(self.wrt, (tuple, list)) else result[0]

    def forward_columns(self, args, k):
        """The Jacobian with respect to `args[k]`, one jvp per element of it."""
        name = getattr(self.fn, '__name__', 'f')
        x_shape = argument_shape(args, k, self.fn, 'jacobian')
        columns, shape = [], None
        for e in _basis(args[k], x_shape):
            tangents = tuple(e if j == k else None for j in range(len(args)))
            out, tangent = self._last(args, tangents)
            shape = output_shape(out, name)[0]  # first: it says if `out` makes no array
            columns.append(np.asarray(tangent, dtype=float).reshape(-1))
        return np.stack(columns, axis=-1).reshape(shape + x_shape)

    _not_run = 'call the Jacobian once: its code depends on the kinds of the arguments'


def jacobian(fn, wrt=0, mode='auto'):
    """The Jacobian of `fn`: `jacobian(f)(*args)` has shape `out.shape + x.shape`.

    Args:
        fn: a Python function (or a derivative made by adjoint: `jacobian(grad(f))`).
            A tuple or list of scalars it returns counts as a vector.
        wrt: the parameter (index or name); a tuple gives a tuple of Jacobians.
        mode: 'forward' (one jvp per input element), 'reverse' (one pullback per
            output element), or 'auto' (whichever needs fewer).
    """
    return Jacobian(fn, wrt, mode)


def hessian(fn, wrt=0):
    """The Hessian of scalar-valued `fn`, by forward mode over reverse mode.

    `hessian(f)(*args)` has shape `x.shape + x.shape`; with a tuple `wrt`, a tuple
    of tuples of blocks: `H[i][j]` is d²f / d wrt[i] d wrt[j].
    """
    return Hessian(fn, wrt)


class _OverGradient(_Wrt):
    """Forward mode over the gradient of `fn` (`hessian`, `hvp`); `.source` is the
    tangent code of the gradient."""

    def __init__(self, fn, wrt):
        self.fn, self.wrt = fn, wrt
        self.gradient = api.grad(fn, wrt=tuple(wrt) if isinstance(wrt, list) else wrt)
        self._jvp = Jvp(self.gradient)
        functools.update_wrapper(self, fn, updated=())

    @property
    def source(self):
        return self._jvp.source

    @property
    def ir(self):
        return self._jvp.ir


class Hessian(_OverGradient):
    """`hessian(f, wrt)`: one jvp of the gradient per element of the inputs."""

    def __call__(self, *args):
        indices = self.indices(args)
        shapes = {k: argument_shape(args, k, self.fn, 'hessian') for k in indices}
        blocks = {}
        for j in indices:
            columns = []
            for e in _basis(args[j], shapes[j]):
                tangents = tuple(e if m == j else None for m in range(len(args)))
                _, tangent = self._jvp(args, tangents)
                columns.append(tangent if isinstance(self.wrt, (tuple, list)) else (tangent,))
            for i, k in enumerate(indices):
                column = [np.reshape(np.asarray(c[i], dtype=float), -1) for c in columns]
                shape = shapes[k] + shapes[j]
                blocks[k, j] = _scalar(np.stack(column, axis=-1).reshape(shape),
                                       args[k], args[j])
        if not isinstance(self.wrt, (tuple, list)):
            return blocks[indices[0], indices[0]]
        return tuple(tuple(blocks[k, j] for j in indices) for k in indices)


def _scalar(block, *xs):
    """A second derivative with respect to Python scalars is a float, as `grad` of a
    float is."""
    if all(np.ndim(x) == 0 and not isinstance(x, np.ndarray) for x in xs):
        return float(block)
    return block


def hvp(fn, wrt=0):
    """Hessian-vector products of scalar-valued `fn`: `hvp(f)(*args, v)` is
    `hessian(f)(*args) @ v` (contracting all of `x`'s axes), computed by one jvp
    of the gradient without forming the Hessian. With a tuple `wrt`, `v` is a
    tuple of vectors and the result a tuple."""
    return Hvp(fn, wrt)


class Hvp(_OverGradient):
    """`hvp(f, wrt)`: one jvp of the gradient."""

    def __call__(self, *args_and_v):
        *args, v = args_and_v
        indices = self.indices(args)
        vectors = v if isinstance(self.wrt, (tuple, list)) else (v,)
        if len(vectors) != len(indices):
            raise AdjointError(f'hvp: {len(indices)} wrt parameters but {len(vectors)} '
                               f'vectors')
        tangents = [None] * len(args)
        for k, vector in zip(indices, vectors):
            tangents[k] = vector
        _, tangent = self._jvp(tuple(args), tuple(tangents))
        return tangent
