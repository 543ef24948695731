"""The other libraries' gradients of the same functions: autograd, JAX and PyTorch.

Each is used only when it can be imported; none is a dependency of adjoint or of
its tests (`pip install adjoint[bench]`, or see README.md). Every library
differentiates the same function text as adjoint: the benchmark's primal is read
with `inspect.getsource` and run again in a copy of its module's globals where
`np` and `math` are the library's NumPy (autograd.numpy, jax.numpy, or a few
lines of translation to torch) and `adjoint.stop_gradient` is the library's own.
adjoint itself differentiates the module's real function, whose source it reads.

How each is called is in `HOW_CALLED`, which run.py prints with the tables.

Each runs on one thread, as NumPy's BLAS does in run.py.
"""

import dataclasses
import importlib.metadata
import inspect
import os
import textwrap
import types

import numpy as np

from common import _leaves

# One thread for XLA's CPU backend too, set before JAX loads.
os.environ.setdefault('XLA_FLAGS', '--xla_cpu_multi_thread_eigen=false '
                      'intra_op_parallelism_threads=1')


# The arguments are made once, before timing, for every library.
HOW_CALLED = {
    'autograd': '`autograd.grad(f, argnum)` on the NumPy arrays and floats as they are.',
    'jax.grad': '`jax.grad(f, argnums)` in float64 (`jax_enable_x64`), on arrays made JAX '
                'arrays once; each call ends in `jax.block_until_ready`, as JAX returns '
                'before the work is done.',
    'jax.jit(grad)': '`jax.jit(jax.grad(f, argnums))`, the int arguments (a trip count) '
                     'static; its first call (tracing, XLA\'s compile and one call) is '
                     'recorded apart, the calls after it are timed.',
    'torch': 'eager PyTorch, `torch.autograd.grad(f(*tensors), leaves)` on float64 '
             'tensors made from the arguments once: neither that conversion nor one back '
             'to NumPy is timed, as for a program that keeps its data in tensors.',
}


@dataclasses.dataclass(frozen=True)
class Prepared:
    """One library's gradient of one benchmark, ready to time.

    Attributes:
        call: the function timed, called as `call(*args)`.
        args: its arguments, in the library's types.
        gradient: `call`'s result -> the gradient as NumPy arrays and floats, in
            the structure the hand-written gradient returns (for the check).
        first_call: seconds of the first call, where it compiles; else None.
    """

    call: object
    args: tuple
    gradient: object
    first_call: float = None


@dataclasses.dataclass(frozen=True)
class Tool:
    """A library to compare with: its column name, version and how to prepare a
    benchmark for it.

    Attributes:
        name: the column's name.
        version: the library's version.
        prepare: `(bench, clock) -> Prepared`.
        rtol: how close its gradient must be to the hand-written one.
    """

    name: str
    version: str
    prepare: object
    rtol: float = 1e-8


def rebound(fn, **names):
    """`fn` defined again from its source, in a copy of its globals with `names`
    bound differently: the same text, computing with another library."""
    source = textwrap.dedent(inspect.getsource(fn))
    scope = dict(fn.__globals__, **names)
    exec(compile(source, f'<{fn.__name__}, rebound>', 'exec'), scope)  # noqa: S102
    return scope[fn.__name__]


def _argnums(bench):
    return bench.wrt if len(bench.wrt) > 1 else bench.wrt[0]


def _map_arrays(value, convert):
    """`value` with every NumPy array in nested dicts, lists and tuples converted."""
    if isinstance(value, dict):
        return {key: _map_arrays(item, convert) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_map_arrays(item, convert) for item in value)
    return convert(value) if isinstance(value, np.ndarray) else value


def _to_numpy(value):
    """A library's gradient (nested dicts and tuples of its arrays) as NumPy."""
    if isinstance(value, dict):
        return {key: _to_numpy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_numpy(item) for item in value)
    return np.asarray(value)


def _version(distribution):
    """The installed version of `distribution` (autograd has no `__version__`)."""
    return importlib.metadata.version(distribution)


def _first(call, args, clock):
    """(seconds, result) of one call."""
    start = clock()
    result = call(*args)
    return clock() - start, result


def autograd_tool():
    import autograd  # noqa: F401 - the ImportError that says it is missing
    import autograd.numpy as anp
    from autograd.tracer import getval

    def prepare(bench, clock):
        f = rebound(bench.primal, np=anp, math=anp,
                    adjoint=types.SimpleNamespace(stop_gradient=getval))
        return Prepared(autograd.grad(f, _argnums(bench)), bench.args, _to_numpy)

    return Tool('autograd', _version('autograd'), prepare)


def _jax():
    import jax
    jax.config.update('jax_enable_x64', True)
    return jax


def _jax_function(bench, jax):
    return rebound(bench.primal, np=jax.numpy, math=jax.numpy,
                   adjoint=types.SimpleNamespace(stop_gradient=jax.lax.stop_gradient))


def jax_tool():
    jax = _jax()

    def prepare(bench, clock):
        gradient = jax.grad(_jax_function(bench, jax), _argnums(bench))

        def jax_grad(*args):
            return jax.block_until_ready(gradient(*args))
        return Prepared(jax_grad, _map_arrays(bench.args, jax.numpy.asarray), _to_numpy)

    return Tool('jax.grad', jax.__version__, prepare)


def jax_jit_tool():
    jax = _jax()

    def prepare(bench, clock):
        static = tuple(k for k, a in enumerate(bench.args) if type(a) is int)
        gradient = jax.jit(jax.grad(_jax_function(bench, jax), _argnums(bench)),
                           static_argnums=static)

        def jax_jit_grad(*args):
            return jax.block_until_ready(gradient(*args))
        args = _map_arrays(bench.args, jax.numpy.asarray)
        seconds, _ = _first(jax_jit_grad, args, clock)
        return Prepared(jax_jit_grad, args, _to_numpy, seconds)

    return Tool('jax.jit(grad)', jax.__version__, prepare)


class _TorchNumpy:
    """The NumPy (and `math`) names the benchmarks' functions call, on tensors."""

    def __init__(self, torch):
        self._torch = torch
        self.exp, self.log, self.tanh = torch.exp, torch.log, torch.tanh
        self.sin, self.cos = torch.sin, torch.cos

    def _reduce(self, reduce, x, axis, keepdims):
        if axis is None:
            return reduce(x)
        return reduce(x, dim=axis, keepdim=keepdims)

    def sum(self, x, axis=None, keepdims=False):
        return self._reduce(self._torch.sum, x, axis, keepdims)

    def mean(self, x, axis=None, keepdims=False):
        return self._reduce(self._torch.mean, x, axis, keepdims)

    def max(self, x, axis=None, keepdims=False):
        return self._reduce(self._torch.amax, x, axis, keepdims)


def torch_tool():
    import torch
    torch.set_num_threads(1)
    shim = _TorchNumpy(torch)

    def leaf(value):
        return torch.tensor(value, dtype=torch.float64, requires_grad=True)

    def prepare(bench, clock):
        f = rebound(bench.primal, np=shim, math=shim,
                    adjoint=types.SimpleNamespace(stop_gradient=torch.Tensor.detach))
        args = list(_map_arrays(bench.args, torch.from_numpy))
        for k in bench.wrt:  # the differentiated arguments: leaves of the graph
            args[k] = _map_leaves(bench.args[k], leaf)
        leaves = [tensor for k in bench.wrt for _, tensor in _leaves(args[k])]

        def torch_grad(*args):
            return torch.autograd.grad(f(*args), leaves)

        def gradient(tensors):
            values = iter(t.numpy() for t in tensors)
            parts = [_map_leaves(args[k], lambda _: next(values)) for k in bench.wrt]
            return tuple(parts) if len(parts) > 1 else parts[0]
        return Prepared(torch_grad, tuple(args), gradient)

    return Tool('torch', torch.__version__, prepare)


def _map_leaves(value, convert):
    """`value` with every leaf (not a dict, list or tuple) converted."""
    if isinstance(value, dict):
        return {key: _map_leaves(item, convert) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_map_leaves(item, convert) for item in value)
    return convert(value)


FACTORIES = {'autograd': autograd_tool, 'jax.grad': jax_tool,
             'jax.jit(grad)': jax_jit_tool, 'torch': torch_tool}


def available(names=tuple(FACTORIES)):
    """([Tool] of the libraries among `names` that import, {name: why not})."""
    tools, missing = [], {}
    for name in names:
        try:
            tools.append(FACTORIES[name]())
        except ImportError as error:
            missing[name] = f'not installed ({error})'
    return tools, missing
