"""Forward mode: `jvp` and `derivative`, on the tangent code `transforms.forward` writes.

Forward mode runs the function once and carries, next to each value, its
derivative along one direction (its tangent): the efficient choice for few inputs
and many outputs, and, applied to a gradient's generated code, the way to second
derivatives (`hessian`, `hvp` in jacobians.py).
"""

import dataclasses
import functools
import inspect

import numpy as np

from adjoint import api, cache, numba_backend, tracebacks
from adjoint.display import Joined, Shown, describe, wrt_text
from adjoint.rules import TABLE
from adjoint.outputs import check_output, mismatch
from transforms import pipeline
from transforms.analysis.kinds import kind_of_value
from transforms.core import ir
from transforms.core.cache import validator
from transforms.core.errors import AdjointError


class TangentDerivative(api.Derivative):
    """The compiled tangent function of a Python function, specialized to the kinds
    of its arguments like `grad`'s code (see `api.Derivative`).

    With `seed_ones`, the tangent of the one `wrt` parameter is the constant 1.0
    and the generated `derivative_f(x)` returns the derivative; otherwise the
    generated `jvp_f(x, ..., dx, ...)` takes the tangents of the `wrt` parameters
    and returns `(value, tangent)`.
    """

    def __init__(self, fn, wrt, seed_ones, backend='python'):
        self.seed_ones = seed_ones
        super().__init__(fn, wrt, return_value=not seed_ones, backend=backend)
        self._wrt_spec = self.wrt
        self.__name__ = ('derivative_' if seed_ones else 'jvp_') + fn.__name__

    def forget(self):
        super().forget()
        self._tangent_names = {}  # id of a compiled version -> its tangent parameters

    def _compile(self, kinds, param_dims=None):
        returned = self.primal.returns
        if self.seed_ones and isinstance(returned, ir.Const) and \
                (returned.value is None or isinstance(returned.value, str)):
            # derivative_f returns no value to check when it runs (jvp checks it)
            check_output(returned.value, 'derivative', self.fn.__name__)
        return pipeline.tangent_function(self.primal, self.parsed, self.wrt, TABLE, kinds,
                                         self.seed_ones, not self.seed_ones, param_dims or None)

    def _dispatch(self, args, kwargs):
        if self.seed_ones:
            names = [p.name for p in self.primal.params]
            index = names.index(self.wrt[0])
            value = args[index] if index < len(args) else kwargs.get(self.wrt[0])
            if isinstance(value, (tuple, list, dict)):
                raise AdjointError(
                    f'adjoint.derivative is for a scalar input, but `{self.wrt[0]}` is a '
                    f'{type(value).__name__}; use adjoint.jvp with a tangent for each item')
            if np.ndim(value) != 0:
                raise AdjointError(
                    f'adjoint.derivative is for a scalar input, but `{self.wrt[0]}` has '
                    f'shape {np.shape(value)}; use adjoint.jacobian for an array input')
        return super()._dispatch(args, kwargs)

    def tangent_names(self, version):
        """The names of the tangent parameters of a compiled version (`dx`, ...)."""
        names = self._tangent_names.get(id(version))
        if names is None:
            code = getattr(version, 'py_func', version).__code__  # a Numba dispatcher's
            count = code.co_argcount + code.co_kwonlyargcount
            names = code.co_varnames[len(self.primal.params):count]
            self._tangent_names[id(version)] = names
        return names

    def _describe(self):
        what = 'derivative' if self.seed_ones else 'jvp'
        return f'<adjoint.{what} of {self.fn.__qualname__} wrt {", ".join(self.wrt)}>'


def _tangent_derivative(fn, wrt, seed_ones, backend='python'):
    """The cached `TangentDerivative` of a plain function."""
    key = ('derivative' if seed_ones else 'jvp', tuple(wrt), backend)
    return cache.lookup(fn, key,
                        lambda: TangentDerivative(fn, tuple(wrt), seed_ones, backend))


class Jvp(api.ShowsLastRun):
    """`jvp(f)`: called with `(primals, tangents)`, returns `(out, out_tangent)`.

    Its `.source` is the tangent code that ran last; before a call, the code for
    arguments of unknown kind, each with a tangent. The parameters differentiated
    are those whose tangent is not None.
    """

    def __init__(self, fn, backend='python'):
        self.fn = fn
        self.backend = numba_backend.checked_backend(backend)
        self._last = None
        self.forget()
        cache.CACHE.hold(self)
        functools.update_wrapper(self, fn, updated=())
        self.__name__ = 'jvp_' + getattr(fn, '__name__', 'f')

    @tracebacks.shows_user_code
    def __call__(self, primals, tangents, **kwargs):
        primals, tangents = tuple(primals), tuple(tangents)
        plan = self.plan(primals, tangents, kwargs)
        primals = plan.before + primals
        name = getattr(self.fn, '__name__', 'f')
        if plan.derivative is None:
            out = check_output(plan.function(*primals, **kwargs), 'jvp', name)
            return out, TABLE.zeros_like(out)
        plan.derivative._last = plan.version  # so .source shows the code that ran
        self._last = plan.derivative
        given = [t for t in tangents if t is not None]
        out, tangent = plan.function(*primals, **kwargs, **dict(zip(plan.names, given)))
        return check_output(out, 'jvp', name), tangent

    def plan(self, primals, tangents, kwargs=None):
        """The `_Plan` this jvp runs for these arguments and tangents: the
        generated tangent function takes `plan.before + primals`, then the tangents
        given (by the names `plan.names`)."""
        kwargs = kwargs or {}
        _check_tangents(primals, tangents)
        # The types too: an ndarray subclass has an array's kind, and is rejected
        # when its plan is made (`api.argument_kind`).
        key = (tuple(map(kind_of_value, primals)), tuple(map(type, primals)),
               tuple(t is None for t in tangents))
        if kwargs:
            key += (tuple((name, kind_of_value(value), type(value))
                          for name, value in sorted(kwargs.items())),)
        plan = self._plans.get(key)
        if plan is None or not (plan.valid is None or plan.valid()):
            with cache.CACHE.recording({}) as checks:  # what the code it runs read
                plan = _plan(self.fn, primals, tangents, kwargs, self.backend)
            plan = self._plans[key] = dataclasses.replace(plan, valid=validator(checks))
        return plan

    def forget(self):
        """Drop the plans (`adjoint.cache.clear()` calls this)."""
        self._plans = {}  # (argument kinds, which tangents are given) -> _Plan

    def _before_call(self, indices=None):
        """The `TangentDerivative` this jvp runs on arguments of unknown kind with
        tangents for the positional parameters at `indices` (counted as `primals`
        are; all of them by default)."""
        fn = api.concrete_for_kinds(self.fn, (), {}) or self.fn
        if inspect.ismethod(fn):  # the object is a constant argument
            fn, params = fn.__func__, api.positional_parameters(fn)[1:]
        else:
            api.reject_composite(fn)
            params = api.positional_parameters(fn)
        wrt = params if indices is None else tuple(params[k] for k in indices)
        if not wrt:
            raise AdjointError(f'jvp: `{fn.__name__}` has no positional parameters, so '
                               f'no tangent code')
        return _tangent_derivative(fn, tuple(wrt), False, self.backend)

    def _describe(self):
        return f'<adjoint.jvp of {describe(self.fn)}>'


@dataclasses.dataclass(frozen=True)
class _Plan:
    """What a `Jvp` runs for arguments of some kinds, with some tangents given."""

    function: object  # the generated tangent function (or the function, without tangents)
    derivative: object  # its TangentDerivative, or None
    version: tuple  # (function, source, ir), shown by `.source`
    names: tuple  # the tangent parameters, in order
    before: tuple  # arguments to put first: the object of a bound method
    valid: object = None  # None, or a check that what the code read still holds


def _plan(fn, primals, tangents, kwargs, backend):
    fn = api.concrete(fn, primals, kwargs)
    before = ()
    if inspect.ismethod(fn):  # the object is a constant argument
        before, fn = (fn.__self__,), fn.__func__
        primals, tangents = before + primals, (None,) + tangents
    params = api.positional_parameters(fn)
    if len(tangents) > len(params):
        raise AdjointError(f'jvp: `{fn.__name__}` takes {len(params) - len(before)} '
                           f'positional arguments, {len(tangents) - len(before)} given')
    for name in kwargs:
        if name in params[:len(primals)]:
            raise AdjointError(f'jvp: `{name}` is given both in primals and as a '
                               f'keyword argument')
    wrt = tuple(params[k] for k, t in enumerate(tangents) if t is not None)
    if not wrt:
        return _Plan(fn, None, None, (), before)
    derivative = _tangent_derivative(fn, wrt, False, backend)
    kinds = derivative._param_kinds(primals, kwargs)
    if backend == 'numba':
        numba_backend.check_kinds(kinds, fn)
    version = derivative._version(kinds)
    return _Plan(version[0], derivative, version, derivative.tangent_names(version[0]),
                 before)


def _check_tangents(primals, tangents):
    if len(primals) != len(tangents):
        raise AdjointError(f'jvp: {len(primals)} primals but {len(tangents)} tangents; '
                           f'give one tangent per primal (None for no tangent)')
    for k, (primal, tangent) in enumerate(zip(primals, tangents)):
        wrong = None if tangent is None else mismatch(tangent, primal)
        if wrong is not None:
            at, found, expected = wrong
            raise AdjointError(f'jvp: the tangent of argument {k}{at} {found}, the argument'
                               f'{at} {expected}; they must be the same (a tuple, list or '
                               f'dict of tangents for a tuple, list or dict, zeros for an '
                               f'item without one)')


@tracebacks.shows_user_code
def jvp(fn, primals=None, tangents=None, *, backend='python', **kwargs):
    """The value of `fn` at `primals` and its tangent along `tangents` (`jax.jvp`).

    Args:
        fn: a Python function (or a derivative made by adjoint).
        primals: the arguments, a tuple.
        tangents: one tangent per argument, each shaped like it, or None for an
            argument not differentiated.
        backend: 'python' (the default) or 'numba', as for `grad` (a keyword
            argument of `fn` named `backend` is passed with `functools.partial`).
        **kwargs: keyword arguments of `fn`, passed as they are (no tangent).

    Returns:
        `(out, out_tangent)`. Called as `jvp(fn)`, a `Jvp` to call with
        `(primals, tangents)` later; its `.source` is the generated tangent code.
    """
    if primals is None and tangents is None and not kwargs:
        return Jvp(fn, backend)
    if primals is None or tangents is None:
        raise AdjointError('jvp(fn, primals, tangents) needs both primals and tangents')
    return Jvp(fn, backend)(primals, tangents, **kwargs)


@tracebacks.shows_user_code
def linearize(fn, *primals, **kwargs):
    """`jax.linearize`: `(out, f_jvp)`, where `f_jvp(*tangents)` is the tangent of
    `fn`'s output at `primals` along `tangents` (one per primal, None for none).

    Each `f_jvp` call runs the generated tangent code at `primals` again (adjoint
    keeps no linearized program): the value is recomputed, the code compiled once.

    Args:
        fn: a Python function (or a derivative made by adjoint).
        *primals: its positional arguments, the point of the linearization.
        **kwargs: keyword arguments of `fn`, passed as they are (no tangent).
    """
    jvp_of = Jvp(fn)
    out = check_output(api.concrete(fn, primals, kwargs)(*primals, **kwargs), 'linearize',
                       getattr(fn, '__name__', 'f'))

    @tracebacks.shows_user_code
    def f_jvp(*tangents):
        return jvp_of(primals, tangents, **kwargs)[1]

    f_jvp.__name__ = 'linearized_' + getattr(fn, '__name__', 'f')
    return out, f_jvp


@tracebacks.shows_user_code
def derivative(fn=None, wrt=0, *, backend='python'):
    """The derivative of `fn` with respect to one scalar input, by forward mode.

    Args:
        fn: a Python function; the output may be a scalar, an array or a tuple.
        wrt: the parameter, by index or name (a tuple gives a tuple of derivatives).
        backend: 'python' (the default) or 'numba', as for `grad`.

    Returns:
        A function of `fn`'s arguments returning `d out / d wrt`, shaped like the
        output, with `.source` (the generated `derivative_f`). Usable as a decorator.
    """
    if fn is None:
        return lambda f: derivative(f, wrt, backend=backend)
    if isinstance(wrt, (tuple, list)):
        return DerivativeTuple(tuple(derivative(fn, w, backend=backend) for w in wrt),
                               fn, wrt)
    if isinstance(fn, (api.Derivative, api.HigherDerivative, api.BoundDerivative,
                       api.SpreadDerivative)):
        return api.HigherDerivative(fn, lambda f: derivative(f, wrt, backend=backend),
                                    'derivative_' + fn.__name__, 'derivative', wrt)
    if api.packs_arguments(fn):  # `def f(*args)`: one derivative per way it is called
        return api.SpreadDerivative(fn, lambda f: derivative(f, wrt, backend=backend),
                                    'derivative_' + fn.__name__, 'derivative', wrt)
    if inspect.ismethod(fn):
        return api.BoundDerivative(derivative(fn.__func__, api._shift(wrt), backend=backend),
                                   fn.__self__)
    if isinstance(wrt, bool) or not isinstance(wrt, (int, str)):
        raise AdjointError(f'wrt must be a parameter index or name; got {wrt!r}')
    return _derivative_of(fn, wrt, numba_backend.checked_backend(backend))


def _derivative_of(fn, wrt, backend):
    return cache.lookup(fn, ('derivative', wrt, backend),
                        lambda: TangentDerivative(fn, wrt, True, backend))


class DerivativeTuple(Joined, Shown):
    """`derivative(f, wrt=(0, 1))`: a tuple of derivatives, one forward pass each;
    its `.source` is theirs, one after the other."""

    def __init__(self, parts, fn, wrt):
        super().__init__(parts)
        names = [part.wrt[0] for part in parts if isinstance(part, TangentDerivative)]
        if len(set(names)) != len(names):  # as `grad` says
            raise AdjointError(f'wrt names a parameter twice: {tuple(names)!r}')
        self._description = f'<adjoint.derivative of {describe(fn)} wrt {wrt_text(fn, wrt)}>'

    @tracebacks.shows_user_code
    def __call__(self, *args, **kwargs):
        return tuple(part(*args, **kwargs) for part in self.parts)

    def _describe(self):
        return self._description


def tangent_source(fn, wrt=0, kinds=None, seed_ones=False, stage='emit'):
    """The generated tangent source of `fn`, or its IR after an earlier stage (what
    `adjoint jvp` prints).

    Args:
        fn: a Python function.
        wrt: the parameters with tangents: an index or name, or a tuple of them.
        kinds: `{parameter name: kind}` to specialize to, as for `api.specialize`.
        seed_ones: the derivative by the one `wrt` parameter (`derivative_f`)
            rather than the jvp (`jvp_f`, which takes the tangents).
        stage: 'emit' for the Python source; 'forward' or 'optimize' for the
            printed IR after that stage; 'parse', 'normalize' or 'ssa' for the primal.
    """
    if seed_ones and isinstance(wrt, (tuple, list)):
        if len(wrt) != 1:
            raise AdjointError('a derivative is by one scalar parameter; give one --wrt')
        wrt = wrt[0]
    names = wrt if isinstance(wrt, (tuple, list)) else (wrt,)
    derivative = _derivative_of(fn, wrt, 'python') if seed_ones else \
        _tangent_derivative(fn, tuple(names), False)
    return api.stage_or_source(
        derivative, kinds, stage, pipeline.FORWARD_STAGES,
        lambda kinds: pipeline.tangent_stage_text(fn, stage, derivative.wrt, TABLE, kinds,
                                                  seed_ones, not seed_ones))


derivative.__adjoint_folds__ = True  # see adjoint/api.py: made when compiling
