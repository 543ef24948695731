"""The user-facing API: `grad`, `value_and_grad`, and inspection of what they build."""

import functools
import inspect
import itertools
import linecache
import types

import numpy as np

from adjoint import cache, dispatch, numba_backend, tracebacks
from adjoint.display import Code, Shown, as_code, describe, wrt_text
from adjoint.pullbacks import jacobian_reverse, vjp  # noqa: F401 - re-exported
from adjoint.rules import TABLE, load_optional_rules
from transforms import pipeline
from transforms.ad import calls
from transforms.analysis.kinds import dispatch_key, is_kind, kind_of_value
from transforms.core import ir as ir_
from transforms.core.cache import function_checks, validator
from transforms.core.errors import AdjointError, SourceError
from transforms.frontend import parse


class Derivative(Shown):
    """A compiled derivative of a Python function; call it like the function.

    The generated code is specialized, like `jax.jit`, to whether each argument is
    an int, a float, a float array or something else, and for arrays to which of
    their dimensions are equal (not their sizes: see docs/usage.md): the first
    call with a new combination compiles one more version. `.source`, `.ir` and
    `.helpers` show the version that ran last (before any call, the one for
    arguments of unknown kind); in a notebook, it shows as that code, highlighted.
    """

    def __init__(self, fn, wrt, return_value=False, verbose=False, has_aux=False,
                 backend='python'):
        self.fn = fn
        self.backend = backend
        self.return_value = return_value
        self.has_aux = has_aux
        self._ran = [None]
        self.verbose = verbose
        self._parse()
        self.wrt = _wrt_names(self.primal, fn, wrt)
        # A single `wrt` gives a bare gradient; a tuple (even of one) gives a tuple.
        self._wrt_spec = self.wrt if isinstance(wrt, (tuple, list)) else self.wrt[0]
        cache.CACHE.hold(self)
        functools.update_wrapper(self, fn, updated=())
        self.__name__ = ('value_and_grad_' if return_value else 'grad_') + fn.__name__

    @property
    def _last(self):
        """The version (function, source, ir) that ran last, or None: `.source` shows it."""
        return self._ran[0]

    @_last.setter
    def _last(self, version):
        self._ran[0] = version  # a list, which the generated `__call__` sets too

    def _parse(self):
        """Read `fn`'s source, and forget the versions compiled from what it was."""
        self._reads = function_checks(self.fn)  # before parsing: what the IR is of
        own = [getattr(self.fn, a, None) for a in ('__defaults__', '__kwdefaults__')]
        if isinstance(self.fn, types.FunctionType) and (self._reads or any(own)):
            # Its own code and defaults too (the generated code has the defaults);
            # a function that reads nothing else keeps a call without checks.
            for attribute in ('__code__', '__defaults__', '__kwdefaults__'):
                self._reads[id(self.fn), attribute] = (self.fn, attribute,
                                                       getattr(self.fn, attribute))
        self.primal, self.parsed = pipeline.primal_ir(self.fn)
        load_optional_rules()  # now that the source read `scipy.special.x`, say
        cache.stats['parse'] += 1
        self.forget()

    def forget(self):
        """Drop the compiled versions (`adjoint.cache.clear()` calls this)."""
        # kinds.dispatch_key of positional arguments -> (function, valid, version),
        # for calls with lists, dicts or functions, whose kinds the generated
        # checks of `__call__` do not tell; `valid` is None or a check of what it read.
        self._by_key = {}
        # (tuple of parameter kinds, dimension symbols of array parameters) ->
        # (version, checks, valid)
        self._by_kinds = {}
        # The fast path: this derivative's own class gets a generated `__call__`
        # checking argument types inline (dispatch.py), over `_inline`: (spec,
        # dims) -> (function, checks, version); until then, the class's below.
        self._inline = {}
        if '__call__' in type(self).__dict__ and '_of_one_derivative' in type(self).__dict__:
            del type(self).__call__  # back to the general path

    def __call__(self, *args, **kwargs):
        try:  # free when nothing is raised (Python 3.11+)
            return self._call(args, kwargs)
        except Exception as error:
            replacement = self._failed(error)
            if replacement is not None:
                raise replacement from None
            raise

    def _call(self, args, kwargs):
        """The general path of a call: what a generated `__call__` (dispatch.py)
        leaves to it, and every call before the first version is compiled."""
        if not kwargs:
            try:  # lists, dicts, functions: their key looks at their contents
                hit = self._by_key.get(dispatch_key(args))
            except TypeError:  # an unhashable dtype
                hit = None
            if hit is not None:
                compiled, valid, version = hit
                if valid is None or valid():
                    self._last = version  # so .source shows the code that ran
                    return compiled(*args)
        return self._dispatch(args, kwargs)(*args, **kwargs)

    def _failed(self, error):
        """What a call raises for `error`, raised in it: a replacement of Numba's
        own error, or None to re-raise `error`, now without this frame and with a
        note naming the user's line (see tracebacks.py)."""
        if self.backend == 'numba':
            replacement = numba_backend.translated(error, self.fn)
            if replacement is not None:
                return replacement
        error.__traceback__ = tracebacks.from_user_code(error)
        return None

    def _dispatch(self, args, kwargs):
        kinds = self._param_kinds(args, kwargs)
        if self.backend == 'numba':
            numba_backend.check_kinds(kinds, self.fn)
        params = self.primal.params
        arity = sum(param.kind == 'positional' for param in params)
        # Numbers and arrays: a version specialized to which dimensions of the
        # arrays are equal too, which the generated `__call__` checks; other calls
        # (`_by_key`, whose key tells kinds only) get code for any shapes.
        spec = None if kwargs else dispatch.spec_of(args)
        dims = dispatch.dims_of(args) if spec is not None else ()
        if spec is not None and not dispatch.has_room(self._inline, (spec, dims), arity):
            spec, dims = None, ()
        param_dims = tuple((param.name, d) for param, d in zip(params, dims) if d)
        version = self._version(kinds, param_dims)
        self._last = version
        _, checks, valid = self._by_kinds[kinds, param_dims]
        if spec is not None:
            self._inline, call = dispatch.added(self.__name__, arity, self._inline,
                                                (spec, dims), (version[0], checks, version),
                                                self._ran)
            self._own_class().__call__ = call
        elif not kwargs:
            try:
                self._by_key[dispatch_key(args)] = (version[0], valid, version)
            except TypeError:
                pass
        if self.backend == 'numba':  # compiled now for these types: see compile_for
            numba_backend.compile_for(version[0], args, self.fn, kwargs)
        return version[0]

    def _own_class(self):
        """This derivative's class of its own, made the first time, so that the
        generated `__call__` is the call itself: Python looks `__call__` up on
        the type, and any function in front of it costs ~0.1 us."""
        cls = type(self)
        if '_of_one_derivative' not in cls.__dict__:
            cls = type(cls.__name__, (cls,), {'_of_one_derivative': True,
                                              '__module__': cls.__module__,
                                              '__qualname__': cls.__qualname__})
            self.__class__ = cls
        return cls

    def _param_kinds(self, args, kwargs):
        kinds = {}
        params = self.primal.params
        for param, value in zip(params, args):
            kinds[param.name] = argument_kind(value, param.name, self.fn,
                                              param.name in self.wrt)
        for param in params[len(args):]:
            if param.name in kwargs:
                kinds[param.name] = argument_kind(kwargs[param.name], param.name, self.fn,
                                                  param.name in self.wrt)
            elif param.default is not None:
                default = self.parsed.defaults[param.default] \
                    if param.kind == 'positional' else self.parsed.kwdefaults[param.name]
                kinds[param.name] = kind_of_value(default)
        return tuple(sorted(kinds.items()))

    def _version(self, kinds, param_dims=()):
        """(function, source, ir) compiled for these kinds (and, for array
        parameters in `param_dims`, which of their dimensions are equal: see
        transforms/analysis/shapes.py), compiled again if a function or global it read has
        changed since (see transforms/core/cache.py)."""
        entry = self._by_kinds.get((kinds, param_dims))
        if entry is not None:
            version, checks, valid = entry
            if valid is None or valid():
                cache.CACHE.note(checks)  # for a derivative that calls this one
                return version
            self._parse()  # its source, or a global it reads, may have changed
        load_optional_rules()  # a library imported since this derivative was made
        with cache.CACHE.recording(self._reads) as checks:
            version = self._compile(dict(kinds), dict(param_dims))
            if self.backend == 'numba':
                version = numba_backend.compiled(version)
        cache.stats['compile'] += 1
        self._by_kinds[kinds, param_dims] = (version, checks, validator(checks))
        if self.verbose:
            print(version[1])
        return version

    def _compile(self, kinds, param_dims=None):
        """(function, source, ir) of the version for these parameter kinds and
        dimension symbols of array parameters."""
        return pipeline.adjoint_function(self.primal, self.parsed, self._wrt_spec, TABLE,
                                         kinds, self.return_value, self.has_aux,
                                         param_dims or None,
                                         compiled=self.backend == 'numba')

    def _shown(self):
        if self._last is None:
            self._last = self._version(self._param_kinds((), {}))
        return self._last

    @property
    def source(self):
        """The generated Python source of this derivative (a `Code`)."""
        return Code(self._shown()[1])

    @property
    def ir(self):
        """The printed IR of this derivative, after optimization (a `Code`)."""
        return Code(self._shown()[2])

    @property
    def helpers(self):
        """`{name: Code}` of the generated functions `.source` calls, directly or
        not: the forward/backward pair or tangent function of each user function
        it calls (docs/calls.md)."""
        return as_code(calls.generated_helpers([self._shown()[0]]))

    def _describe(self):
        what = 'value_and_grad' if self.return_value else 'grad'
        aux = ', has_aux' if self.has_aux else ''
        return f'<adjoint.{what} of {self.fn.__qualname__} wrt {", ".join(self.wrt)}{aux}>'


_REAL_NUMBERS = (int, float, np.integer, np.floating, np.bool_)  # bool is an int


def argument_kind(value, name, fn, differentiated=False):
    """The kind of argument `name` of `fn` (`kind_of_value`), after rejecting a
    subclass of np.ndarray, in it or in its items, and, for an argument being
    `differentiated`, anything but real numbers and containers of them.

    The rules are written for np.ndarray's operators, which a subclass may change:
    `*` is a matrix product for np.matrix, masked arrays skip masked elements. And
    they are written for real numbers: `abs`, comparisons and `np.conj` mean
    something else for a complex one, anywhere in the argument; a string or None
    has no derivative at all (`jax.grad` rejects them alike) — but as an item of a
    list or dict it may be a setting next to the parameters (`{'w': w, 'name':
    'layer1'}`), whose gradient is 0. A derivative only compiles a version on
    a new type of argument (`dispatch_key` tells types apart), so the checks cost
    a plain array nothing on later calls.

    Raises:
        AdjointError: for an ndarray subclass, saying to pass `np.asarray(x)`; for
            a differentiated argument that is not real, saying what is.
    """
    if isinstance(value, np.ndarray) and type(value) is not np.ndarray:
        cls = type(value)
        raise _argument_error(
            f'argument `{name}` of `{getattr(fn, "__name__", fn)}` is (or holds) a '
            f'{cls.__module__}.{cls.__qualname__}, a subclass of np.ndarray whose '
            f'operators adjoint does not know (for np.matrix, `*` is a matrix '
            f'product): pass np.asarray({name}) and write `@` for matrix products', fn)
    if isinstance(value, (list, tuple)):
        for item in value:
            argument_kind(item, name, fn, differentiated and 'item')
    elif isinstance(value, dict):
        for item in value.values():
            argument_kind(item, name, fn, differentiated and 'item')
    elif differentiated and not _real(value) and \
            (differentiated != 'item' or _complex(value)):
        raise _not_real(value, name, fn)
    elif _complex(value):  # data: it would meet a differentiated value in a real rule
        raise _argument_error(
            f'argument `{name}` of `{getattr(fn, "__name__", fn)}` is (or holds) complex '
            f'numbers ({type(value).__name__}), which adjoint does not differentiate '
            f'through, even as data: the rules are written for real numbers; pass its '
            f'real and imaginary parts as real arrays', fn)
    return kind_of_value(value)


def _real(value):
    if isinstance(value, np.ndarray):
        return value.dtype.kind in 'biuf'
    return isinstance(value, _REAL_NUMBERS)


def _complex(value):
    return isinstance(value, (complex, np.complexfloating)) or \
        (isinstance(value, np.ndarray) and value.dtype.kind == 'c')


def _not_real(value, name, fn):
    if isinstance(value, np.ndarray):
        what = f'an ndarray of dtype {value.dtype}'
    elif value is None or isinstance(value, str):
        what = repr(value)
    else:
        cls = type(value).__name__
        what = f'{"an" if cls[0] in "aeiou" else "a"} {cls}'
    fix = ('differentiate a real function of its real and imaginary parts instead'
           if _complex(value) else f'pass a number, or leave `{name}` out of wrt')
    return _argument_error(
        f'argument `{name}` of `{getattr(fn, "__name__", fn)}` is (or holds) {what}, '
        f'which adjoint does not differentiate: a differentiated argument must be a real '
        f'number, a real ndarray, or a list, tuple or dict of them; {fix}', fn)


def _argument_error(message, fn):
    """A `SourceError` naming the line that defines `fn` (whose parameter the
    argument is; the call itself is the traceback's last line of the user's), or
    a plain `AdjointError` where `fn` has no file."""
    code = getattr(inspect.unwrap(fn), '__code__', None) if callable(fn) else None
    if code is None or code.co_filename.startswith('<'):
        return AdjointError(message)
    line = code.co_firstlineno
    text = linecache.getline(code.co_filename, line)
    while text.lstrip().startswith('@'):  # past the decorators, to the `def`
        line += 1
        text = linecache.getline(code.co_filename, line)
    return SourceError(message, code.co_filename, line, text or None)


def wrt_items(wrt):
    """`wrt` as a tuple of parameter indices and names, checked before it is
    used as (part of) a cache key: a set or a float is an error, not a TypeError."""
    items = tuple(wrt) if isinstance(wrt, (tuple, list)) else (wrt,)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise AdjointError(f'wrt must be a parameter index or name, or a tuple of '
                               f'them; got {item!r}')
    return items


def _wrt_names(primal, fn, wrt):
    """Parameter names from `wrt`: an index, a name, or a tuple of them."""
    params = [p.name for p in primal.params]
    names = []
    for item in wrt_items(wrt):
        if isinstance(item, int):
            if not -len(params) <= item < len(params):
                raise AdjointError(f'wrt={item}, but `{fn.__name__}` has {len(params)} '
                                   f'parameter(s): {", ".join(params)}')
            names.append(params[item])
        elif item not in params:
            raise AdjointError(f'wrt={item!r} is not a parameter of `{fn.__name__}`; its '
                               f'parameters are: {", ".join(params)}')
        else:
            names.append(item)
    if len(set(names)) != len(names):
        raise AdjointError(f'wrt names a parameter twice: {wrt!r}')
    return tuple(names)


class BoundDerivative(Shown):
    """The derivative of a bound method (`grad(model.loss)`): the object is passed
    as `self`, a constant, and `wrt` counts the method's other parameters."""

    def __init__(self, derivative, obj):
        self.derivative = derivative
        self.obj = obj
        functools.update_wrapper(self, derivative, updated=())

    @tracebacks.shows_user_code
    def __call__(self, *args, **kwargs):
        return self.derivative(self.obj, *args, **kwargs)

    @property
    def source(self):
        return self.derivative.source

    @property
    def ir(self):
        return self.derivative.ir

    @property
    def helpers(self):
        return self.derivative.helpers

    def _describe(self):
        return (f'{repr(self.derivative)[:-1]}, bound to a '
                f'{type(self.obj).__qualname__}>')


class ShowsLastRun(Shown):
    """`.source`, `.ir` and `.helpers` of the code that ran last (`self._last`), for
    derivative objects whose generated code depends on the arguments they are
    called with; before a call, of the code for arguments of unknown kind
    (`_before_call`), as `Derivative.source` shows."""

    def _shown(self):
        return self._last if self._last is not None else self._before_call()

    def _before_call(self):
        """What `.source` shows before a call: an object with `.source`, `.ir`
        and `.helpers`, for arguments of unknown kind."""
        raise NotImplementedError

    @property
    def source(self):
        return self._shown().source

    @property
    def ir(self):
        return self._shown().ir

    @property
    def helpers(self):
        return self._shown().helpers


class Composite:
    """A derivative object that is no generated function, which `grad` of it asks
    for its gradient (a Jacobian: adjoint/jacobians.py)."""

    def gradient(self, wrt, return_value):
        """The derivative object `grad(self, wrt)` (`value_and_grad`, with
        `return_value`) is."""
        raise NotImplementedError


class HigherDerivative(ShowsLastRun):
    """A derivative of a derivative (`grad(grad(f))`, `derivative(grad(f))`): the
    inner derivative's generated code, specialized to the arguments' kinds, is
    differentiated like any other Python function — it is in the subset adjoint
    accepts.

    Args:
        inner: the derivative being differentiated (itself maybe higher).
        make: `make(function) -> derivative object` of a plain function, e.g.
            `lambda f: grad(f, wrt)`.
        name: the `__name__` of this derivative.
        what: what it is, for its repr: 'grad', 'value_and_grad', 'derivative'.
        wrt: the `wrt` it was made with, for its repr.
    """

    def __init__(self, inner, make, name, what, wrt):
        self.inner = inner
        self.make = make
        self._last = None
        functools.update_wrapper(self, inner, updated=())
        self.__name__ = name
        self._description = (f'<adjoint.{what} of {describe(inner)} '
                             f'wrt {wrt_text(inner, wrt)}>')

    def outer(self, args, kwargs):
        """The derivative of the inner version that these arguments would run."""
        self._last = self.make(concrete(self.inner, args, kwargs))
        return self._last

    def _before_call(self):
        """The derivative of the inner derivative's code for arguments of unknown kind."""
        return self.make(concrete_for_kinds(self.inner, (), {}))

    @tracebacks.shows_user_code
    def __call__(self, *args, **kwargs):
        return self.outer(args, kwargs)(*args, **kwargs)

    def _describe(self):
        return self._description


def concrete_for_kinds(obj, arg_kinds, kwarg_kinds):
    """The generated function a derivative made by adjoint runs for arguments of
    these kinds (positional, then by name), or None if `obj` is not such a
    derivative. The rule table calls this to differentiate a derivative called
    inside differentiated code (`grad(f)(x)` in a loss): its generated code is
    then differentiated like any other function."""
    if isinstance(obj, HigherDerivative):
        inner = concrete_for_kinds(obj.inner, arg_kinds, kwarg_kinds)
        return concrete_for_kinds(obj.make(inner), arg_kinds, kwarg_kinds)
    if isinstance(obj, SpreadDerivative):  # the derivative of the call's spread function
        return concrete_for_kinds(obj.outer(arg_kinds, kwarg_kinds), arg_kinds, kwarg_kinds)
    if not isinstance(obj, Derivative):
        return None
    params = [p.name for p in obj.primal.params]
    given = dict(zip(params, arg_kinds))
    given.update({k: v for k, v in kwarg_kinds.items() if k in params})
    kinds = dict(obj._param_kinds((), {}))  # the kinds of the defaults
    kinds.update(given)
    return obj._version(tuple(sorted(kinds.items())))[0]


TABLE.resolve = concrete_for_kinds


class SpreadDerivative(ShowsLastRun):
    """A derivative of a function taking `*args` or `**kwargs` (`grad(f)` of
    `def f(*args)`): on each call, the derivative of `spread(f, ...)`, the function
    of one parameter per argument of that call, made once per number of
    positional arguments and names of keyword ones.

    Args:
        fn: the function, which packs its arguments.
        make: `make(function) -> derivative object` of a plain function.
        name, what, wrt: as for `HigherDerivative`.
    """

    def __init__(self, fn, make, name, what, wrt):
        self.fn = fn
        self.make = make
        self._last = None
        self._made = {}  # (count, names) -> (spread function, its derivative)
        functools.update_wrapper(self, fn, updated=())
        self.__name__ = name
        self._description = f'<adjoint.{what} of {describe(fn)} wrt {wrt_text(fn, wrt)}>'

    def outer(self, args, kwargs):
        """The derivative of the spread function these arguments call."""
        key = (len(args), tuple(kwargs))
        spread_fn = spread(self.fn, *key)
        made = self._made.get(key)
        if made is None or made[0] is not spread_fn:
            made = self._made[key] = (spread_fn, self.make(spread_fn))
        self._last = made[1]
        return self._last

    def _before_call(self):
        raise AdjointError(f'{self._description} has no code before it is called: its '
                           f'code depends on how many arguments it is given; call it, '
                           f'then read .source')

    @tracebacks.shows_user_code
    def __call__(self, *args, **kwargs):
        return self.outer(args, kwargs)(*args, **kwargs)

    def _describe(self):
        return self._description


def packs_arguments(fn):
    """Whether Python function `fn` takes `*args` or `**kwargs`."""
    if not isinstance(fn, types.FunctionType):
        return False
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)


def spread(fn, count, names):
    """`fn`, which takes `*args` or `**kwargs`, as a generated function of one
    parameter per argument of a call with `count` positional arguments and keyword
    arguments `names`: `def f(x, args_0, args_1, *, scale): return fn(x, args_0,
    args_1, scale=scale)` for `def f(x, *args, **options)`. Its parameters are
    `fn`'s own names where it has them, `<args>_<k>` for the ones `*args` packs;
    adjoint differentiates it as it does any function, and the call of `fn` in it
    as a call of a helper that packs its arguments (transforms/prepare/packing.py).

    Raises:
        AdjointError: for a call `fn` does not take (the TypeError it would raise).
    """
    def make():
        signature = inspect.signature(fn)
        try:
            signature.bind(*range(count), **dict.fromkeys(names))
        except TypeError as error:
            raise AdjointError(f'`{fn.__name__}` cannot be called with {count} positional '
                               f'arguments' + (f' and {", ".join(names)} by name' if names
                                               else '') + f': {error}') from None
        positional = [p for p in signature.parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        packed = next((p.name for p in signature.parameters.values()
                       if p.kind is p.VAR_POSITIONAL), 'args')
        params = [p.name for p in positional[:count]]
        params += [f'{packed}_{k}' for k in range(count - len(params))]
        taken = set(params)
        keywords = [n for n in names if n not in taken]
        text = ', '.join(params + (['*'] + keywords if keywords else []))
        call = ', '.join(params + [f'{n}={n}' for n in keywords])
        name = fn.__name__ if fn.__name__.isidentifier() else 'spread'
        source = f'def {name}({text}):\n    return packing_fn({call})\n'
        filename = f'<adjoint spread {next(_spread_files)}: {fn.__qualname__}>'
        # mtime None: linecache.checkcache() leaves the entry alone.
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True),
                                     filename)
        namespace = {'packing_fn': fn}
        exec(compile(source, filename, 'exec'), namespace)  # noqa: S102
        made = namespace[name]
        made.__qualname__ = fn.__qualname__
        return made
    return TABLE.cache.lookup(fn, ('spread', count, tuple(names)), make)


_spread_files = itertools.count(1)


def concrete(fn, args, kwargs=None):
    """The plain Python function adjoint differentiates when `fn` runs on `args`:
    `fn` itself, or for a derivative made by adjoint, its generated code for
    these arguments' kinds (so derivatives compose to any order); for a function
    taking `*args` or `**kwargs`, the function of one parameter per argument that
    these arguments call (`spread`)."""
    kwargs = kwargs or {}
    if isinstance(fn, (HigherDerivative, SpreadDerivative)):
        return concrete(fn.outer(args, kwargs), args, kwargs)
    if isinstance(fn, Derivative):
        return fn._version(fn._param_kinds(args, kwargs))[0]
    if isinstance(fn, BoundDerivative):  # its generated code, bound to the object
        code = concrete(fn.derivative, (fn.obj,) + tuple(args), kwargs)
        return types.MethodType(code, fn.obj)
    reject_composite(fn)
    if packs_arguments(fn):
        return spread(fn, len(args), tuple(kwargs))
    return fn


def reject_composite(fn):
    """Raise for a derivative object of adjoint's that is no generated function
    (a Jacobian, a Hessian, a pullback), which is differentiated only where its
    own class says how (`Composite`)."""
    cls = type(fn)
    if cls.__module__.startswith('adjoint.') and not isinstance(fn, types.FunctionType):
        raise AdjointError(
            f'{fn!r} is made by adjoint from a loop of derivatives, not generated code, '
            f'and this derivative of it is not supported: differentiate the function '
            f'again instead (hessian(f) or jacobian(grad(f)) for second derivatives, '
            f'jacobian(jacobian(grad(f))) for third)')


def positional_parameters(fn):
    """The names of the positional parameters of Python function `fn`; a
    NoSourceError for anything else (a builtin, a C function, a partial), and
    the parser's UnsupportedSyntaxError for one taking `*args` or `**kwargs`
    (its arguments do not map to parameters by position)."""
    parse.require_function(fn.__func__ if inspect.ismethod(fn) else fn)
    code = fn.__code__
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        parse.parse_function(fn.__func__ if inspect.ismethod(fn) else fn)  # raises
    return code.co_varnames[:code.co_argcount]


def _shift(wrt):
    """`wrt` of a method, counted with its `self` parameter."""
    if isinstance(wrt, (tuple, list)):
        return tuple(_shift(w) for w in wrt)
    return wrt + 1 if isinstance(wrt, int) and not isinstance(wrt, bool) and wrt >= 0 else wrt


def _derivative(fn, wrt, return_value, verbose, has_aux=False, backend='python'):
    if isinstance(fn, Composite) and not has_aux and backend == 'python':
        return fn.gradient(wrt, return_value)
    if isinstance(fn, (Derivative, HigherDerivative, BoundDerivative, SpreadDerivative)):
        prefix = 'value_and_grad_' if return_value else 'grad_'
        return HigherDerivative(
            fn, lambda f: _derivative(f, wrt, return_value, verbose, has_aux, backend),
            prefix + fn.__name__, prefix[:-1], wrt)
    if inspect.ismethod(fn):
        return BoundDerivative(
            _derivative(fn.__func__, _shift(wrt), return_value, verbose, has_aux,
                        backend),
            fn.__self__)
    reject_composite(fn)
    if packs_arguments(fn):  # `def f(*args)`: one derivative per way it is called
        prefix = 'value_and_grad_' if return_value else 'grad_'
        return SpreadDerivative(
            fn, lambda f: _derivative(f, wrt, return_value, verbose, has_aux, backend),
            prefix + fn.__name__, prefix[:-1], wrt)
    backend = numba_backend.checked_backend(backend)
    derivative = _cached(fn, wrt, return_value, has_aux, backend)
    derivative.verbose = verbose
    return derivative


def chosen_wrt(wrt, argnums, holomorphic=False):
    """`wrt`, or JAX's name for it, `argnums` (one of them, not both); and the
    check that `holomorphic` is not asked for.

    Raises:
        AdjointError: for both given, or `holomorphic=True` (adjoint's rules are
            written for real numbers: a complex derivative would be wrong).
    """
    if holomorphic:
        raise AdjointError(
            'holomorphic=True: adjoint differentiates real functions of real numbers '
            'only (its rules are written for them); differentiate a real function of '
            'the real and imaginary parts instead')
    if argnums is None:
        return 0 if wrt is None else wrt
    if wrt is not None:
        raise AdjointError(f'give wrt or argnums (its name in JAX), not both: '
                           f'wrt={wrt!r}, argnums={argnums!r}')
    return argnums


@tracebacks.shows_user_code
def grad(fn=None, wrt=None, *, argnums=None, has_aux=False, holomorphic=False,
         verbose=False, backend='python'):
    """The gradient of a scalar-valued function, as a compiled function.

    Args:
        fn: a Python function written with `def` (or a lambda) in a file.
        wrt: which parameter(s) to differentiate: an index or name, or a tuple of
            them (then the gradients are returned as a tuple in that order); the
            first parameter by default.
        argnums: the same as `wrt`, by the name `jax.grad` gives it.
        has_aux: `fn` returns a pair `(output, aux)`: the gradient is of `output`,
            and the derivative returns `(gradient, aux)`, `aux` as `fn` made it.
        holomorphic: only False: adjoint does not differentiate complex functions
            (True is an error, not a wrong derivative).
        verbose: print the generated source whenever a version is compiled.
        backend: 'python' (the default) runs the generated Python; 'numba'
            compiles it, and every generated function it calls, with
            `numba.njit` (an optional extra: `pip install "adjoint[numba]"`), for
            numbers, float arrays, and lists and tuples of them (docs/numba.md).

    Returns:
        A `Derivative`: called with `fn`'s arguments, it returns the gradient with
        the type and shape of each `wrt` argument. Its `.source` is the generated
        Python. Usable as a decorator: `@adjoint.grad`.
    """
    wrt = chosen_wrt(wrt, argnums, holomorphic)
    if fn is None:
        return lambda f: grad(f, wrt, has_aux=has_aux, verbose=verbose, backend=backend)
    return _derivative(fn, wrt, False, verbose, has_aux, backend)


@tracebacks.shows_user_code
def value_and_grad(fn=None, wrt=None, *, argnums=None, has_aux=False, holomorphic=False,
                   verbose=False, backend='python'):
    """The value and the gradient of a scalar-valued function, in one call.

    Args:
        fn, wrt, argnums, has_aux, holomorphic, verbose, backend: as for `grad`.

    Returns:
        A function returning `(value, gradient)`, the gradient as `grad` returns
        it; with `has_aux`, `((value, aux), gradient)`, as `jax.value_and_grad`
        does. Usable as a decorator.
    """
    wrt = chosen_wrt(wrt, argnums, holomorphic)
    if fn is None:
        return lambda f: value_and_grad(f, wrt, has_aux=has_aux, verbose=verbose,
                                        backend=backend)
    return _derivative(fn, wrt, True, verbose, has_aux, backend)


@tracebacks.shows_user_code
def source(derivative):
    """The generated Python source of a derivative made by adjoint.

    Args:
        derivative: what `grad`, `jvp`, `jacobian` (and the rest) return; the same
            as its `.source`: before a call, the code for arguments of unknown
            kind, after one, the code that ran.

    Returns:
        A `Code`: a str that notebooks show as highlighted code. The code of the
        helpers it calls is in the derivative's `.helpers`.

    Raises:
        AdjointError: for an object adjoint did not make.
    """
    try:
        return derivative.source
    except AttributeError:
        raise AdjointError(f'{derivative!r} was not made by adjoint; '
                           f'pass the result of adjoint.grad (or similar)') from None


@tracebacks.shows_user_code
def ir(fn):
    """The printed SSA IR of a Python function: what adjoint differentiates.

    Args:
        fn: a Python function (its primal IR), or a `grad` derivative (the IR of
            its adjoint, after optimization).

    Returns:
        A `Code`: a str that notebooks show as code.
    """
    if isinstance(fn, Derivative):
        return fn.ir
    primal, _ = pipeline.primal_ir(fn)
    return Code(ir_.format_function(primal))


def specialize(fn, wrt=0, kinds=None, return_value=False, has_aux=False):
    """The derivative of `fn` compiled for given parameter kinds, without calling it.

    What `grad(fn, wrt)` (or `value_and_grad`) compiles on a call whose arguments
    have these kinds; the command line and the golden tests use it to show code
    for kinds they name rather than for values they pass.

    Args:
        fn: a Python function, as for `grad`.
        wrt: which parameter(s) to differentiate, as for `grad`.
        kinds: `{parameter name: kind}`, a kind being 'int', 'float', 'bool',
            'vector' and 'matrix' (float ndarrays of 1 and 2 dimensions), 'array'
            (a float ndarray of any shape), None (unknown: generic code), or a
            container of kinds: `('list', item kind)`, `('tuple', item kind)`,
            `('dict', value kind)`, or a dict that knows its keys,
            `transforms.kinds.dict_kind(((key, kind), ...))`. A parameter not
            named has the kind of its default value, or None.
        return_value: compile `value_and_grad` rather than `grad`.
        has_aux: `fn` returns `(output, aux)`, as for `grad`.

    Returns:
        `(function, source, ir)`: the compiled derivative, its Python source and
        its printed IR.

    Raises:
        AdjointError: a kind or a parameter name that does not exist.
    """
    derivative = _cached(fn, wrt, return_value, has_aux)
    return derivative._version(_checked_kinds(derivative, kinds))


def derivative_source(fn, wrt=0, kinds=None, return_value=False, stage='emit',
                      has_aux=False):
    """The generated source of `fn`'s derivative, or its IR after an earlier stage.

    Args:
        fn, wrt, kinds, return_value, has_aux: as for `specialize`.
        stage: 'emit' for the Python source; 'reverse' or 'optimize' for the printed
            IR after that stage; 'parse', 'normalize' or 'ssa' for the primal.

    Returns:
        The text, ending in a newline.
    """
    derivative = _cached(fn, wrt, return_value, has_aux)
    spec = derivative.wrt if isinstance(wrt, (tuple, list)) else derivative.wrt[0]
    return stage_or_source(
        derivative, kinds, stage, pipeline.STAGES,
        lambda kinds: pipeline.stage_text(fn, stage, spec, TABLE, kinds, return_value,
                                          has_aux))


def stage_or_source(derivative, kinds, stage, stages, stage_text):
    """The generated source of `derivative` for `kinds` (stage 'emit'), or
    `stage_text(kinds)`, the IR after one of the `stages`; ending in a newline."""
    kinds = _checked_kinds(derivative, kinds)
    if stage == 'emit':
        text = derivative._version(kinds)[1]
    elif stage in stages:
        text = stage_text(dict(kinds))
    else:
        raise AdjointError(f'unknown stage {stage!r}; the stages are: '
                           f'{", ".join(stages)}')
    return text if text.endswith('\n') else text + '\n'


def _cached(fn, wrt, return_value, has_aux=False, backend='python'):
    wrt_items(wrt)
    key = ('grad', wrt if not isinstance(wrt, list) else tuple(wrt), return_value, has_aux,
           backend)
    return cache.lookup(fn, key, lambda: Derivative(fn, wrt, return_value, has_aux=has_aux,
                                                    backend=backend))


def _checked_kinds(derivative, kinds):
    """`kinds` merged over the kinds of the defaults, as the sorted tuple
    `Derivative._version` is keyed by."""
    params = [p.name for p in derivative.primal.params]
    merged = dict(derivative._param_kinds((), {}))
    for name, kind in (kinds or {}).items():
        if name not in params:
            raise AdjointError(f'kinds names {name!r}, which is not a parameter of '
                               f'`{derivative.fn.__name__}`; its parameters are: '
                               f'{", ".join(params)}')
        if not is_kind(kind):
            raise AdjointError(f'unknown kind {kind!r} for {name!r}; the kinds are '
                               f"'int', 'float', 'bool', 'vector', 'matrix', 'array', None "
                               f"for unknown, and ('list', kind), ('tuple', kind), "
                               f"('dict', kind) of them")
        merged[name] = kind
    return tuple(sorted(merged.items(), key=lambda item: item[0]))


# A derivative made inside a differentiated function (`lambda x: grad(f)(x)`) is
# the same object for the same arguments: the compiler makes it when compiling,
# and calls its generated code (transforms/prepare/function_values.py).
grad.__adjoint_folds__ = value_and_grad.__adjoint_folds__ = True
