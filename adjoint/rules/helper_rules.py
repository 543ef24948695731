"""Rules for the runtime helpers that NumPy rules put into generated code.

A second derivative (`grad(grad(f))`) differentiates generated code, which calls
`unreduce`, `matmul_grad_left`, `unbroadcast`...; with a rule each, these stay one
readable line there too, instead of being differentiated through their branches.
Most are linear in the cotangent `g` they move around, so their adjoint is the
operation they undo: the adjoint of `unreduce` is `np.sum`, that of
`matmul_grad_left(g, x, y)` is `gg @ y` for `g` and a product for `y`.

Helpers whose derivative is not written yet are declared with `no_rule_yet`, so a
second derivative through them fails naming the helper.
"""

import numpy as np

from adjoint import runtime
from adjoint.rules import linalg_helpers as linalg
from adjoint.rules import numpy_helpers as helpers
from adjoint.rules.linalg_helpers import (matmul_grad_left, matmul_grad_right,
                                          tensordot_grad_left, tensordot_grad_right)
from adjoint.rules.numpy_helpers import broadcast_like, retranspose, untranspose
from adjoint.rules.numpy_kinds import FLOATS
from adjoint.rules.registry import (TABLE, arithmetic, integer, jvp_rule, nondifferentiable,
                                    shaped_like, vjp_rule)
from adjoint.runtime import unbroadcast
from transforms.rules import PrimitiveRule


def _like_second(args, kwargs):
    """A float array shaped like the second argument (`unreduce(g, x)`)."""
    if args[1:2] == ['array']:
        return 'array'
    return 'float' if args[1:2] and args[1] in ('int', 'float') else None


def _like_first(args, kwargs):
    return 'array' if args[:1] == ['array'] else None


def _pieces(args, kwargs):
    return ('list', 'array' if args[:1] == ['array'] else None)


def _floats(args, kwargs):
    return 'array' if args and all(k in FLOATS for k in args[:3]) else None


# ---------------------------------------------------------------- reductions


@vjp_rule(helpers.unreduce, kind=_like_second)
def unreduce_vjp(gg, ans, g, x, axis=None, keepdims=False):
    return (np.sum(gg, axis=axis, keepdims=keepdims), None)


@jvp_rule(helpers.unreduce)
def unreduce_jvp(dg, ans, g, x, axis=None, keepdims=False):
    # Linear in g; x gives only the shape.
    return helpers.unreduce(dg, x, axis, keepdims)


@vjp_rule(runtime.spread, kind=_like_second)
def spread_vjp(gg, ans, g, x):
    return (np.sum(gg), None)


@jvp_rule(runtime.spread)
def spread_jvp(dg, ans, g, x):
    return runtime.spread(dg, x)


@vjp_rule(helpers.keep_dims, kind=lambda args, kwargs: arithmetic(args[:2], kwargs))
def keep_dims_vjp(gg, ans, g, x, axis=None, keepdims=False):
    return (np.reshape(gg, np.shape(g)), None)


# ---------------------------------------------------------------- moving elements


@vjp_rule(runtime.unbroadcast)
def unbroadcast_vjp(gg, ans, g, x):
    return (broadcast_like(gg, g), None)


@jvp_rule(runtime.unbroadcast)
def unbroadcast_jvp(dg, ans, g, x):
    return unbroadcast(dg, x)


@vjp_rule(runtime.add_at, kind=lambda args, kwargs: args[0] if args else None)
def add_at_vjp(gg, ans, buffer, index, g):
    # add_at(buffer, index, g) is buffer plus g scattered to index: linear in both.
    return (gg, None, runtime.item_of(gg, index, g))


@jvp_rule(runtime.add_at)
def add_at_jvp(dbuffer, dg, ans, buffer, index, g):
    return runtime.add_at(dbuffer, index, dg)


@vjp_rule(runtime.fill_like, kind=lambda args, kwargs: args[0] if args else None)
def fill_like_vjp(gg, ans, x, partial):
    # `partial` is a dict {index: cotangent}: item k gets gg[k], so gg serves as
    # the dict's cotangent. The zeros do not depend on x.
    return (None, gg)


@vjp_rule(broadcast_like, kind=lambda args, kwargs: arithmetic(args[:2], kwargs))
def broadcast_like_vjp(gg, ans, g, like):
    return (unbroadcast(gg, g), None)


@vjp_rule(untranspose, kind=_like_first)
def untranspose_vjp(gg, ans, g, a0=None, a1=None, a2=None, a3=None):
    return (retranspose(gg, a0, a1, a2, a3),)


@vjp_rule(retranspose, kind=_like_first)
def retranspose_vjp(gg, ans, g, a0=None, a1=None, a2=None, a3=None):
    return (untranspose(gg, a0, a1, a2, a3),)


@vjp_rule(helpers.unconcatenate, kind=_pieces)
def unconcatenate_vjp(gg, ans, g, xs, axis=0):
    return (np.concatenate(gg, axis=axis), None)


@vjp_rule(helpers.unstack, kind=_pieces)
def unstack_vjp(gg, ans, g, xs, axis=0):
    return (np.stack(gg, axis=axis), None)


@vjp_rule(helpers.unhstack, kind=_pieces)
def unhstack_vjp(gg, ans, g, xs):
    return (np.hstack(gg), None)


@vjp_rule(helpers.unvstack, kind=_pieces)
def unvstack_vjp(gg, ans, g, xs):
    return (np.vstack(gg), None)


@vjp_rule(helpers.untile, kind=_like_first)
def untile_vjp(gg, ans, g, x, reps):
    return (np.tile(gg, reps), None)


@vjp_rule(helpers.unrepeat, kind=_like_first)
def unrepeat_vjp(gg, ans, g, x, repeats, axis=None):
    return (np.repeat(gg, repeats, axis=axis), None)


# ---------------------------------------------------------------- products


@vjp_rule(matmul_grad_left, kind=_floats)
def matmul_grad_left_vjp(gg, ans, g, x, y):
    # matmul_grad_left(g, x, y) is linear in g and in y: <gg, it> = <g, gg @ y>.
    return (np.matmul(gg, y), None, matmul_grad_right(g, gg, y))


@vjp_rule(matmul_grad_right, kind=_floats)
def matmul_grad_right_vjp(gg, ans, g, x, y):
    return (np.matmul(x, gg), matmul_grad_left(g, x, gg), None)


@vjp_rule(tensordot_grad_left, kind=_floats)
def tensordot_grad_left_vjp(gg, ans, g, x, y, axes=2):
    return (np.tensordot(gg, y, axes), None, tensordot_grad_right(g, gg, y, axes))


@vjp_rule(tensordot_grad_right, kind=_floats)
def tensordot_grad_right_vjp(gg, ans, g, x, y, axes=2):
    return (np.tensordot(x, gg, axes), tensordot_grad_left(g, x, gg, axes), None)


@vjp_rule(linalg.trace_grad, kind=_like_second)
def trace_grad_vjp(gg, ans, g, x, offset=0, axis1=0, axis2=1):
    return (np.trace(gg, offset, axis1, axis2), None)


# ---------------------------------------------------------------- the rest


# The seed of a backward sweep and a zero cotangent carry no derivative.
nondifferentiable(runtime.scalar_seed)
nondifferentiable(runtime.zeros_like, kind=lambda args, kwargs: _zeros_kind(args))


def _zeros_kind(args):
    """A float array for an array, a float for a number (zeros_like(3) is 0.0)."""
    if args[:1] == ['array']:
        return 'array'
    return 'float' if args and args[0] in ('int', 'float', 'bool') else None


# Results shaped like an argument, whatever its values.
shaped_like(1, runtime.unbroadcast, runtime.spread, helpers.unreduce, helpers.broadcast_like)
shaped_like(0, runtime.zeros_like)
nondifferentiable(helpers.reduced_size, kind=integer)
nondifferentiable(linalg.dot_axes, linalg.inner_axes, helpers.share_of_extremum,
                  helpers.max_share, helpers.inside, kind=lambda args, kwargs: None)


def no_rule_yet(*functions):
    """Declare helpers whose derivative is not written yet: a second derivative
    through one raises an error naming it, rather than differentiating its source."""
    for fn in functions:
        TABLE.rules.setdefault(fn, PrimitiveRule())  # differentiable, without a vjp


no_rule_yet(helpers.prod_of_others, linalg.einsum_grad, linalg.norm_grad,
            linalg.solve_transposed, linalg.times_transposed)
