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

from adjoint import api, tracebacks
from adjoint.forward_mode import Jvp
from adjoint.pullbacks import JacobianReverse, output_shape
from adjoint.coordinates import Coordinates
from adjoint.display import Joined, Shown, describe, wrt_text
from adjoint.outputs import check_output
from transforms.core.errors import AdjointError

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
            fn = self.fn
            while isinstance(fn, _Wrt):  # a Jacobian of a Jacobian: the same parameters
                fn = fn.fn
            self._known = _indices(api.concrete(fn, args), self.wrt)
        return self._known

    def indices_before_call(self):
        """The `wrt` indices, found without arguments (for `.source` before a call)."""
        fn = self.fn
        while isinstance(fn, _Wrt):
            fn = fn.fn
        return _indices(api.concrete_for_kinds(fn, (), {}) or fn, self.wrt)


class Jacobian(_Wrt, api.ShowsLastRun, api.Composite):
    """`jacobian(f, wrt, mode)`: see `jacobian`. `.source` is the code that ran last;
    before a call, the code for arguments of unknown kind of the mode it would
    run (forward for 'auto', whose choice depends on the arguments' sizes).

    A Jacobian is differentiated again (`jacobian(jacobian(f))`, `grad` of one
    whose output is a number) in forward mode: its columns are jvps of `f`, so
    their tangents are jvps of the generated jvp code (`JacobianTangent`).
    """

    def __init__(self, fn, wrt, mode):
        if mode not in MODES:
            raise AdjointError(f'mode={mode!r}; the modes are: {", ".join(MODES)}')
        self.fn, self.wrt, self.mode = fn, wrt, mode
        self._last = None
        functools.update_wrapper(self, fn, updated=())

    @tracebacks.shows_user_code
    def __call__(self, *args):
        indices = self.indices(args)
        mode = self.mode
        if isinstance(self.fn, Jacobian):
            mode = 'forward'  # see JacobianTangent
        if mode == 'auto':
            name = getattr(self.fn, '__name__', 'f')
            out = check_output(self.fn(*args), 'jacobian', name)
            outputs = np.prod(output_shape(out, name)[0])
            inputs = sum(_coordinates(args, k, self.fn, 'jacobian').size for k in indices)
            mode = 'forward' if inputs <= outputs else 'reverse'
        if mode == 'reverse':
            self._last = JacobianReverse(self.fn, indices)
            result = self._last(*args)
        else:
            self._last = JacobianTangent(self.fn) if isinstance(self.fn, Jacobian) \
                else Jvp(self.fn)
            result = tuple(self.forward_columns(args, k) for k in indices)
        return result if isinstance(self.wrt, (tuple, list)) else result[0]

    def gradient(self, wrt, return_value):
        """`grad(jacobian(f))`, for a Jacobian that is one number (`api.Composite`)."""
        return GradientOfJacobian(self, wrt, return_value)

    def forward_columns(self, args, k):
        """The Jacobian with respect to `args[k]`, one jvp per element of it."""
        name = getattr(self.fn, '__name__', 'f')
        coordinates = _coordinates(args, k, self.fn, 'jacobian')
        columns, shape = [], None
        for e in coordinates.basis():
            tangents = tuple(e if j == k else None for j in range(len(args)))
            out, tangent = self._last(args, tangents)
            shape = output_shape(out, name)[0]  # first: it says if `out` makes no array
            columns.append(np.asarray(tangent, dtype=float).reshape(-1))
        if shape is None:  # no elements: the output is not run
            shape = output_shape(check_output(self.fn(*args), 'jacobian', name), name)[0]
        block = np.stack(columns, axis=-1) if columns else np.zeros((int(np.prod(shape)), 0))
        return coordinates.unflatten(block.reshape(shape + (coordinates.size,)), shape)

    def _before_call(self):
        if isinstance(self.fn, Jacobian):
            return JacobianTangent(self.fn).before_call(self.indices_before_call())
        if self.mode == 'reverse':
            return JacobianReverse(self.fn, self.indices_before_call())
        jvp = Jvp(self.fn)  # one column at a time: a tangent for one parameter
        return _joined([jvp._before_call((k,)) for k in self.indices_before_call()])

    def _describe(self):
        return (f'<adjoint.jacobian of {describe(self.fn)} wrt {wrt_text(self.fn, self.wrt)}'
                f', mode={self.mode!r}>')


class JacobianTangent(api.ShowsLastRun):
    """A Jacobian's value and its tangent: called like a `Jvp`, `(args, tangents)
    -> (J, dJ)`. Column `e` of J is the tangent of `f`'s generated jvp code
    `jvp_f(*args, *e)`; its tangent along `tangents` is a jvp of that code (the
    tangents of `e` being zero), which is Python adjoint differentiates again."""

    def __init__(self, jacobian):
        if isinstance(jacobian.fn, (Jacobian, _OverGradient)):
            raise AdjointError(
                'a Jacobian is differentiated once more (jacobian(jacobian(f))), not '
                'twice: for a third derivative, take the Jacobian of a Hessian written '
                'with grad (jacobian(jacobian(grad(f))))')
        self.jacobian = jacobian
        self.inner = Jvp(jacobian.fn)
        self._last = None

    @tracebacks.shows_user_code
    def __call__(self, args, tangents):
        args, tangents = tuple(args), tuple(tangents)
        name = getattr(self.jacobian.fn, '__name__', 'f')
        results = []
        for k in self.jacobian.indices(args):
            coordinates = _coordinates(args, k, self.jacobian.fn, 'jacobian')
            columns, derivatives, shape = [], [], None
            for e in coordinates.basis():
                inner = tuple(e if j == k else None for j in range(len(args)))
                plan = self.inner.plan(args, inner)
                outer = (None,) * len(plan.before) + tangents
                self._last = Jvp(plan.function)
                # The tangent `e` is a constant of the outer jvp: zero tangent.
                (out, column), (_, derivative) = self._last(plan.before + args, outer,
                                                            **{plan.names[0]: e})
                shape = output_shape(check_output(out, 'jacobian', name), name)[0]
                columns.append(np.asarray(column, dtype=float).reshape(-1))
                derivatives.append(np.asarray(derivative, dtype=float).reshape(-1))
            results.append(tuple(
                coordinates.unflatten(np.stack(c, axis=-1).reshape(shape + (coordinates.size,)),
                                      shape) for c in (columns, derivatives)))
        if isinstance(self.jacobian.wrt, (tuple, list)):
            return tuple(r[0] for r in results), tuple(r[1] for r in results)
        return results[0]

    def before_call(self, outer):
        """The jvps of the inner Jacobian's jvp code for arguments of unknown kind
        along a tangent of an argument at one of the `outer` indices (the inner
        tangent `e` being a constant), one for each pair of indices."""
        parts = []
        for k in self.jacobian.indices_before_call():
            code = self.inner._before_call((k,))._shown()[0]
            parts.extend(Jvp(code)._before_call((j,)) for j in outer)
        return _joined(parts)


def _joined(parts):
    """One derivative object's code, or several shown as one."""
    return parts[0] if len(parts) == 1 else Joined(parts)


class GradientOfJacobian(Shown):
    """`grad(jacobian(f))` (or `value_and_grad`): the Jacobian of a Jacobian that
    is one number, shaped like the arguments, as `grad` returns."""

    def __init__(self, jacobian, wrt, return_value):
        self.jacobian = jacobian
        self.outer = Jacobian(jacobian, wrt, 'forward')
        self.wrt, self.return_value = wrt, return_value
        functools.update_wrapper(self, jacobian, updated=())

    @tracebacks.shows_user_code
    def __call__(self, *args):
        value = self.jacobian(*args)
        if isinstance(value, tuple) or np.size(value) != 1:
            raise AdjointError(
                f'adjoint.grad needs the Jacobian to be one number, but it has shape '
                f'{np.shape(value)}; use adjoint.jacobian of it instead')
        gradient = self.outer(*args)
        lead = np.shape(value)
        indices = self.outer.indices(args)
        parts = gradient if isinstance(self.wrt, (tuple, list)) else (gradient,)
        parts = tuple(_without_lead(part, lead, args[k]) for part, k in zip(parts, indices))
        gradient = parts if isinstance(self.wrt, (tuple, list)) else parts[0]
        return (value, gradient) if self.return_value else gradient

    @property
    def source(self):
        return self.outer.source

    @property
    def helpers(self):
        return self.outer.helpers

    def _describe(self):
        what = 'value_and_grad' if self.return_value else 'grad'
        return (f'<adjoint.{what} of {describe(self.jacobian)} '
                f'wrt {wrt_text(self.jacobian, self.wrt)}>')


def _without_lead(block, lead, x):
    """A Jacobian block of shape `lead + x.shape` (lead of one element) as a
    gradient: shaped like `x`, a float for a number."""
    if isinstance(block, np.ndarray):
        block = block.reshape(np.shape(x))
        return float(block) if not isinstance(x, np.ndarray) and block.ndim == 0 else block
    return block


@tracebacks.shows_user_code
def jacobian(fn, wrt=None, mode='auto', *, argnums=None):
    """The Jacobian of `fn`: `jacobian(f)(*args)` has shape `out.shape + x.shape`.

    Args:
        fn: a Python function (or a derivative made by adjoint: `jacobian(grad(f))`).
            A tuple or list of scalars it returns counts as a vector.
        wrt: the parameter (index or name); a tuple gives a tuple of Jacobians.
            An argument that is a dict (or a tuple or list of arrays of different
            shapes) gives a Jacobian of its structure, each leaf a block of shape
            `out.shape + leaf.shape`, as in JAX.
        mode: 'forward' (one jvp per input element), 'reverse' (one pullback per
            output element), or 'auto' (whichever needs fewer).
        argnums: the same as `wrt`, by JAX's name.
    """
    return Jacobian(fn, api.chosen_wrt(wrt, argnums), mode)


@tracebacks.shows_user_code
def jacfwd(fn, argnums=0):
    """`jax.jacfwd`: the Jacobian by forward mode, one jvp per input element.

    Args:
        fn: as for `jacobian`.
        argnums: the parameter(s), by index or name, as `wrt` of `jacobian`.
    """
    return Jacobian(fn, argnums, 'forward')


@tracebacks.shows_user_code
def jacrev(fn, argnums=0):
    """`jax.jacrev`: the Jacobian by reverse mode, one pullback per output element.

    Args:
        fn: as for `jacobian`.
        argnums: the parameter(s), by index or name, as `wrt` of `jacobian`.
    """
    return Jacobian(fn, argnums, 'reverse')


@tracebacks.shows_user_code
def hessian(fn, wrt=None, *, argnums=None, backend='python'):
    """The Hessian of scalar-valued `fn`, by forward mode over reverse mode.

    Args:
        fn: a Python function returning one real number.
        wrt: the parameter (index or name; the first by default). A tuple gives
            a tuple of tuples of blocks: `H[i][j]` is d²f / d wrt[i] d wrt[j].
        argnums: the same as `wrt`, by JAX's name.
        backend: 'python' (the default) or 'numba' (the tangent code of the
            gradient compiled with Numba), as for `grad`.

    Returns:
        A function of `fn`'s arguments: `hessian(f)(*args)` has shape `x.shape +
        x.shape`. For a dict (a pytree) `x`, `H[a][b]` is the block of shape
        `x[a].shape + x[b].shape`.
    """
    return Hessian(fn, api.chosen_wrt(wrt, argnums), backend)


class _OverGradient(_Wrt, api.ShowsLastRun):
    """Forward mode over the gradient of `fn` (`hessian`, `hvp`); `.source` is the
    tangent code of the gradient that ran last (before a call, for arguments of
    unknown kind)."""

    what = None  # 'hessian' or 'hvp', for the repr

    def __init__(self, fn, wrt, backend='python'):
        self.fn, self.wrt = fn, wrt
        self.gradient = api.grad(fn, wrt=tuple(wrt) if isinstance(wrt, list) else wrt)
        self._jvp = Jvp(self.gradient, backend)
        self.backend = backend
        functools.update_wrapper(self, fn, updated=())

    def _shown(self):
        return self._jvp._last if self._jvp._last is not None else self._before_call()

    def _describe(self):
        return f'<adjoint.{self.what} of {describe(self.fn)} wrt {wrt_text(self.fn, self.wrt)}>'


class Hessian(_OverGradient):
    """`hessian(f, wrt)`: one jvp of the gradient per element of the inputs."""

    what = 'hessian'

    def _before_call(self):
        # One column at a time: a tangent for one parameter.
        return _joined([self._jvp._before_call((j,)) for j in self.indices_before_call()])

    @tracebacks.shows_user_code
    def __call__(self, *args):
        indices = self.indices(args)
        coordinates = {k: _coordinates(args, k, self.fn, 'hessian') for k in indices}
        blocks = {}
        for j in indices:
            columns = []
            for e in coordinates[j].basis():
                tangents = tuple(e if m == j else None for m in range(len(args)))
                _, tangent = self._jvp(args, tangents)
                columns.append(tangent if isinstance(self.wrt, (tuple, list)) else (tangent,))
            for i, k in enumerate(indices):
                rows = np.stack([coordinates[k].flatten(c[i]) for c in columns], axis=-1) \
                    if columns else np.zeros((coordinates[k].size, 0))  # `x` has no elements
                rows = rows.reshape(coordinates[k].size, coordinates[j].size)
                blocks[k, j] = _block(rows, coordinates[k], coordinates[j])
        if not isinstance(self.wrt, (tuple, list)):
            return blocks[indices[0], indices[0]]
        return tuple(tuple(blocks[k, j] for j in indices) for k in indices)


def _block(rows, by, of):
    """The second derivatives `rows[a, b]` (d² f / d by[a] d of[b]) laid out as
    JAX does: `by`'s layout holding `of`'s, so `H[k][j]` has shape
    `x_k.shape + x_j.shape`, each a float where both are Python numbers."""
    if not by.tree and not of.tree:
        return _scalar(rows.reshape(by.shapes[0] + of.shapes[0]), by.x, of.x)
    if not by.tree:
        return of.unflatten(rows.reshape(by.shapes[0] + (of.size,)), by.shapes[0])
    return by.each_leaf(rows, lambda part, shape: of.unflatten(
        part.reshape(shape + (of.size,)), shape))


def _coordinates(args, k, fn, api):
    """The `Coordinates` of argument `k` of `fn`."""
    return Coordinates(args[k], api, f'argument {k} of `{getattr(fn, "__name__", "f")}`')


def _scalar(block, *xs):
    """A second derivative with respect to Python scalars is a float, as `grad` of a
    float is."""
    if all(np.ndim(x) == 0 and not isinstance(x, np.ndarray) for x in xs):
        return float(block)
    return block


@tracebacks.shows_user_code
def hvp(fn, wrt=None, *, argnums=None, backend='python'):
    """Hessian-vector products of scalar-valued `fn`: `hvp(f)(*args, v)` is
    `hessian(f)(*args) @ v` (contracting all of `x`'s axes), computed by one jvp
    of the gradient without forming the Hessian.

    Args:
        fn: a Python function returning one real number.
        wrt: the parameter (index or name; the first by default). With a tuple,
            `v` is a tuple of vectors and the result a tuple.
        argnums: the same as `wrt`, by JAX's name.
        backend: 'python' (the default) or 'numba', as for `hessian`.
    """
    return Hvp(fn, api.chosen_wrt(wrt, argnums), backend)


class Hvp(_OverGradient):
    """`hvp(f, wrt)`: one jvp of the gradient."""

    what = 'hvp'

    def _before_call(self):
        return self._jvp._before_call(self.indices_before_call())

    @tracebacks.shows_user_code
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
