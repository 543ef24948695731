"""Rules for Python's container builtins, and the constructors of fresh objects."""

import builtins
import copy
import operator

import numpy as np

from adjoint import runtime
from adjoint.rules import linalg_helpers, numpy_helpers, sample_helpers
from adjoint.rules.numpy_helpers import items_like, permuted, sort_order, unpermuted
from adjoint.runtime import repeat_like
from adjoint.rules.registry import (TABLE, fresh, jvp_rule, nondifferentiable, sequence_item,
                                    views, vjp_rule)
from transforms.core import primitives


@vjp_rule(builtins.sum)
def sum_vjp(g, ans, x):
    return (repeat_like(g, x),)


@jvp_rule(builtins.sum)
def sum_jvp(dx, ans, x):
    # The tangent of a list is the list of its items' tangents: summed the same way.
    return sum(dx)


def _copied_as(name):
    """The kind function of `list(xs)` or `tuple(xs)` (`name`): a list or tuple of
    the items of `xs`; of ints for a range (whose kind is 'int')."""
    def kind(args, kwargs):
        if not args:
            return (name, 'empty')
        return (name, 'int' if args[0] == 'int' else sequence_item(args[0]))
    return kind


@vjp_rule(builtins.list, kind=_copied_as('list'))
@vjp_rule(builtins.tuple, kind=_copied_as('tuple'))
def sequence_copy_vjp(g, ans, xs=()):
    # The items' cotangents, in the form of xs: an array for an array.
    return (items_like(g, xs),)


@jvp_rule(builtins.list)
def list_jvp(dxs, ans, xs=()):
    return list(dxs)


@jvp_rule(builtins.tuple)
def tuple_jvp(dxs, ans, xs=()):
    return tuple(dxs)


# `dict(a=x, b=y)` is the literal `{'a': x, 'b': y}` from the start (ssa_expressions.py):
# a rule would give keyword arguments no cotangent. This is `dict(pairs)`.
@vjp_rule(builtins.dict, kind=lambda args, kwargs: ('dict', None))
def dict_vjp(g, ans, pairs=()):
    # The values get their keys' cotangents; the keys, zeros.
    return (numpy_helpers.pairs_cotangent(g, pairs),)


@jvp_rule(builtins.dict)
def dict_jvp(dpairs, ans, pairs=()):
    return numpy_helpers.pairs_tangent(dpairs, pairs)


def _sorted_kind(args, kwargs):
    """`sorted(xs)`: a list of the items of `xs`."""
    return ('list', sequence_item(args[0])) if args else None


@vjp_rule(builtins.sorted, kind=_sorted_kind)
def sorted_vjp(g, ans, xs, *, key=None, reverse=False):
    # The cotangent goes back through the stable sort's permutation (`sort_order`).
    return (unpermuted(g, sort_order(xs, reverse=reverse, key=key), xs),)


@jvp_rule(builtins.sorted)
def sorted_jvp(dxs, ans, xs, *, key=None, reverse=False):
    return permuted(dxs, sort_order(xs, reverse=reverse, key=key))


def _like_first(args, kwargs):
    """The kind of the first argument: what a sequence, or its cotangent, is."""
    return args[0] if args else None


@vjp_rule(('method', 'copy'), kind=_like_first)
def copy_method_vjp(g, ans, x):
    # `x.copy()` of an array, a list or a dict: generated code copies before the
    # first write to an argument, and differentiated again meets those copies.
    return (g,)


@jvp_rule(('method', 'copy'))
def copy_method_jvp(dx, ans, x):
    return dx.copy()


@vjp_rule(copy.deepcopy, kind=_like_first)
def deepcopy_vjp(g, ans, x):
    # What generated code passes a helper that writes into what its argument
    # holds (transforms/prepare/mutation.py): the same values, new objects.
    return (g,)


@jvp_rule(copy.deepcopy)
def deepcopy_jvp(dx, ans, x):
    return copy.deepcopy(dx)


# What `for x in xs` walks (transforms/prepare/iteration.py): kept where the kind of `xs` is
# not known when compiling; a dict's keys carry no derivative.
@vjp_rule(primitives.sequence_of, kind=_like_first)
def sequence_of_vjp(g, ans, xs):
    return (runtime.sequence_cotangent(g, xs),)


@jvp_rule(primitives.sequence_of)
def sequence_of_jvp(dxs, ans, xs):
    return runtime.sequence_tangent(dxs, xs)


@vjp_rule(runtime.sequence_tangent, kind=_like_first)
def sequence_tangent_vjp(g, ans, t, xs):
    return (runtime.sequence_cotangent(g, xs), None)


@jvp_rule(runtime.sequence_tangent)
def sequence_tangent_jvp(dt, ans, t, xs):
    return runtime.sequence_tangent(dt, xs)


@vjp_rule(runtime.sequence_cotangent, kind=_like_first)
def sequence_cotangent_vjp(gg, ans, g, xs):
    return (runtime.sequence_tangent(gg, xs), None)


@jvp_rule(runtime.sequence_cotangent)
def sequence_cotangent_jvp(dg, ans, g, xs):
    return runtime.sequence_cotangent(dg, xs)


nondifferentiable(primitives.keys_of, kind=lambda args, kwargs: ('list', None))
# Where a `key=` puts the items (transforms/frontend/keyed.py): indices, no derivative.
nondifferentiable(primitives.key_order, kind=lambda args, kwargs: ('list', 'int'))
nondifferentiable(primitives.key_argmax, primitives.key_argmin,
                  kind=lambda args, kwargs: 'int')
fresh(primitives.key_order)


# Results that are new objects: generated code may write into them without a copy.
fresh(builtins.list, builtins.dict, builtins.sorted, np.zeros, np.ones, np.empty, np.full,
      np.zeros_like, np.ones_like, np.empty_like, np.full_like, np.array, np.copy, np.arange,
      np.linspace, np.eye, np.identity)
# The runtime helpers that make new cotangents (generated code, differentiated again,
# updates them in place too).
fresh(runtime.zeros_like, runtime.owned, runtime.spread, runtime.fill_like,
      runtime.float_tape, runtime.int_tape, runtime.bool_tape,
      numpy_helpers.unreduce, numpy_helpers.diagonal_grad, numpy_helpers.with_zeros,
      numpy_helpers.padded, numpy_helpers.untake, numpy_helpers.untake_along_axis,
      numpy_helpers.permuted, numpy_helpers.unpermuted, numpy_helpers.pairs_tangent,
      numpy_helpers.undiff, numpy_helpers.ungradient)
fresh(('method', 'copy'), copy.deepcopy)  # two copies are two objects, never one value

# Results that may be their argument, or a view of it: a write into one shows in the
# other (transforms/analysis/aliasing.py). NumPy's views, and runtime helpers that may hand
# back the cotangent they were given.
views(np.asarray, np.asanyarray, np.ascontiguousarray, np.asfortranarray, np.require,
      np.reshape, np.ravel, np.transpose, np.squeeze, np.expand_dims, np.atleast_1d,
      np.atleast_2d, np.atleast_3d, np.diagonal, np.diag, np.swapaxes, np.moveaxis,
      np.rollaxis, np.broadcast_to, np.broadcast_arrays, np.flip, np.fliplr, np.flipud,
      np.rot90, np.real, np.imag, np.split, np.array_split, np.hsplit, np.vsplit,
      np.dsplit, np.real_if_close)
views(*(('method', name) for name in ('reshape', 'view', 'ravel', 'transpose', 'swapaxes',
                                      'squeeze', 'diagonal', 'get', 'values', 'items',
                                      'keys', '__getitem__', 'astype')))  # astype(copy=False)
views(*(('attr', name) for name in ('T', 'mT', 'real', 'imag', 'flat', 'base')))
views(primitives.sequence_of, runtime.sequence_tangent, runtime.sequence_cotangent,
      numpy_helpers.items_like, numpy_helpers.pairs_cotangent,
      runtime.unbroadcast, runtime.like, runtime.deep_like, runtime.add_at, runtime.repeat_like,
      numpy_helpers.keep_dims, numpy_helpers.broadcast_like, numpy_helpers.diag_grad,
      numpy_helpers.part_of, numpy_helpers.unpadded, numpy_helpers.float_target)
views(*(getattr(np, name) for name in ('permute_dims', 'matrix_transpose')
        if hasattr(np, name)))
# `np.diff(x, n=0)` is `x`; the cotangents of stacking, splitting and transposing
# are views of the cotangent they are given; a check that hands its argument back.
views(np.diff, numpy_helpers.untranspose, numpy_helpers.retranspose,
      numpy_helpers.unconcatenate, numpy_helpers.unstack, numpy_helpers.unhstack,
      numpy_helpers.unvstack, numpy_helpers.undstack, numpy_helpers.uncolumn_stack,
      numpy_helpers.unjoined, linalg_helpers.svd_like, linalg_helpers.svd_cotangents,
      linalg_helpers.full_rank_pinv, runtime.written_items)
views(numpy_helpers.shaped_as, sample_helpers.unaverage_weights, sample_helpers.unobserved,
      sample_helpers.convolution_window, linalg_helpers.full_rank_qr,
      linalg_helpers.full_rank_lstsq, linalg_helpers.residual_weights,
      linalg_helpers.residuals_like, linalg_helpers.corner, linalg_helpers.unchain)
views(np.einsum, of_any_argument=True)  # a transpose or a diagonal is a view
views(np.meshgrid, of_any_argument=True)  # with copy=False, broadcasts of its arguments
views(np.linalg.matrix_power)  # a itself for n=1


# Calls that change an argument's object in place, which the IR (arrays as values)
# cannot see: rejected with the form to write instead (transforms/ad/inplace.py), and
# known as writes into a helper's arguments (transforms/analysis/aliasing.py).
_WRITERS = {
    np.copyto: ((0,), 'build the new array instead: `y = np.where(where, x, y)`, or '
                      '`y = x * np.ones_like(y)`'),
    np.put: ((0,), 'write `y[index] = v`'),
    np.place: ((0,), 'write `y = np.where(mask, v, y)`'),
    np.putmask: ((0,), 'write `y = np.where(mask, v, y)`'),
    np.put_along_axis: ((0,), 'write `y[index] = v` with an index array'),
    np.fill_diagonal: ((0,), 'write `i = np.arange(n); y[i, i] = v`'),
    np.random.shuffle: ((0,), 'write `x = x[np.random.permutation(len(x))]`'),
    operator.setitem: ((0,), 'write `y[i] = v`'),
    operator.delitem: ((0,), 'build the container without the item'),
}
_WRITERS.update({getattr(operator, name): ((0,), f'write `y {symbol}= v`')
                 for name, symbol in (('iadd', '+'), ('isub', '-'), ('imul', '*'),
                                      ('itruediv', '/'), ('ifloordiv', '//'), ('imod', '%'),
                                      ('ipow', '**'), ('imatmul', '@'), ('iconcat', '+'))})
_WRITING_METHODS = {
    '__setitem__': (('self',), 'write `y[i] = v`'),
    '__delitem__': (('self',), 'build the container without the item'),
    'shuffle': ((0,), 'write `x = x[rng.permutation(len(x))]`'),
    'at': ((0,), 'write a loop of `y[j] = y[j] + v` over the indices (repeated indices '
                 'then apply one by one, as `np.add.at` does)'),
    **{f'__i{name}__': (('self',), f'write `y {symbol}= v`')
       for name, symbol in (('add', '+'), ('sub', '-'), ('mul', '*'), ('truediv', '/'),
                            ('floordiv', '//'), ('mod', '%'), ('pow', '**'),
                            ('matmul', '@'))},
}


def writes_in_place(callee, arity, keywords):
    """The arguments a call changes in place, and the form to write instead (see
    `RuleTable.writes_in_place`): NumPy's `out=` (by keyword, or a ufunc's
    outputs after its inputs), `np.copyto` and the like, `ufunc.at`, the
    in-place operators of `operator`, and `y.__setitem__(i, v)`."""
    if isinstance(callee, tuple):
        return _WRITING_METHODS.get(callee[1]) if callee[0] == 'method' else None
    if 'out' in keywords:
        return ('out',), 'leave out `out=` and assign the result (`y = np.exp(x)`)'
    if isinstance(callee, np.ufunc) and arity > callee.nin:
        return tuple(range(callee.nin, arity)), \
            'leave out the output argument and assign the result (`y = np.add(a, b)`)'
    owner = getattr(callee, '__self__', None)
    if isinstance(owner, np.ufunc) and getattr(callee, '__name__', None) == 'at':
        return (0,), (f'write a loop of `y[j] = y[j] {owner.__name__} v` over the indices '
                      f'(repeated indices then apply one by one, as `.at` does)')
    try:
        return _WRITERS.get(callee)
    except TypeError:  # unhashable: not one of them
        return None


TABLE.writes_in_place = writes_in_place
