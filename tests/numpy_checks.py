"""Registry-sweep checks for NumPy's reductions, linear algebra and shape operations
(the `Check` tables of rules_checks.py, continued).

Reductions are checked over no axis, one axis (negative too), a tuple of axes,
with and without `keepdims`; products on vectors, matrices and stacks of them.
"""

import operator

import numpy as np

from adjoint import runtime
from transforms.core import primitives
from adjoint.rules import linalg_helpers, numpy_helpers
from tests.rules_checks import EXPONENT, MATRIX, NONZERO, POSITIVE, REAL, Check, arrays, binary

M23 = ((2, 3),)
T234 = ((2, 3, 4),)


def reductions(name, method=False, domain=REAL, scalars=True):
    """The calls of reduction `name` (`np.sum`, or `x.sum` if `method`) to check."""
    def call(args):
        return f'x.{name}({args})' if method else f'np.{name}(x{", " if args else ""}{args})'
    whole = Check(call(''), (domain,), ((4,),) + (M23,), scalars=scalars and not method)
    return (whole,
            arrays(call('axis=0'), M23, T234, domains=(domain,)),
            arrays(call('1'), M23, domains=(domain,)),
            arrays(call('axis=-1, keepdims=True'), M23, T234, domains=(domain,)),
            arrays(call('axis=(0, 2)'), T234, domains=(domain,)),
            arrays(call('axis=(-1, 0), keepdims=True'), T234, domains=(domain,)),
            arrays(call('keepdims=True'), M23, domains=(domain,)))


def deviations(name, method=False):
    """`np.var` / `np.std` (or methods) with `ddof` as well."""
    base = reductions(name, method, scalars=name == 'var')
    call = f'x.{name}(axis=1, ddof=1)' if method else f'np.{name}(x, ddof=1, axis=1)'
    return base + (arrays(call, M23, T234),)


def products(call):
    """Vectors, matrices and stacks of matrices, as `x @ y` accepts them."""
    return arrays(call, ((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)),
                  ((2, 2, 3), (3, 4)), ((3,), (2, 3, 4)), ((2, 2, 3), (2, 3, 4)),
                  ((2, 1, 2, 3), (4, 3, 2)))


REDUCTION_CHECKS = {
    np.sum: reductions('sum'), ('method', 'sum'): reductions('sum', method=True),
    np.mean: reductions('mean'), ('method', 'mean'): reductions('mean', method=True),
    np.prod: reductions('prod', domain=NONZERO),
    ('method', 'prod'): reductions('prod', method=True, domain=NONZERO),
    np.max: reductions('max'), np.amax: reductions('amax'),
    np.min: reductions('min'), np.amin: reductions('amin'),
    ('method', 'max'): reductions('max', method=True),
    ('method', 'min'): reductions('min', method=True),
    np.var: deviations('var'), ('method', 'var'): deviations('var', method=True),
    np.std: deviations('std'), ('method', 'std'): deviations('std', method=True),
}


def with_nans(name, deviation=False):
    """`np.nan<name>` without NaNs (as `reductions`), and with the elements above 1.0
    made NaN (the sweep's random points leave a number in every reduction)."""
    call = 'np.where(x > 1.0, np.nan, x)'
    ddof = ', ddof=1' if deviation else ''
    return reductions(name, scalars=name != 'nanstd') + (
        arrays(f'np.{name}({call})', ((5,),), M23),
        arrays(f'np.{name}({call}, axis=0{ddof})', ((4, 3),)),
        arrays(f'np.{name}({call}, axis=(0, 2), keepdims=True)', T234))


# Order statistics: random points never tie; ties are tested in test_numpy_more.py.
STATISTICS_CHECKS = {
    np.median: reductions('median') + (arrays('np.median(x, axis=1)', ((3, 4),)),),
    np.quantile: (Check('np.quantile(x, 0.3)', (REAL,), ((5,),) + (M23,)),
                  arrays('np.quantile(x, 0.75, axis=1)', ((3, 4),)),
                  arrays('np.quantile(x, 0.0, axis=(0, 2), keepdims=True)', T234),
                  arrays('np.quantile(x, 1.0, 0, method="linear")', M23)),
    np.percentile: (arrays('np.percentile(x, 40.0)', ((6,),)),
                    arrays('np.percentile(x, 65, axis=-1, keepdims=True)', T234)),
    np.ptp: reductions('ptp'),
    np.nansum: with_nans('nansum'), np.nanmean: with_nans('nanmean'),
    np.nanmax: with_nans('nanmax'), np.nanmin: with_nans('nanmin'),
    np.nanvar: with_nans('nanvar', deviation=True),
    np.nanstd: with_nans('nanstd', deviation=True),
}
REDUCTION_CHECKS.update(STATISTICS_CHECKS)

LINALG_CHECKS = {
    operator.matmul: products('x @ y'),
    np.matmul: products('np.matmul(x, y)'),
    np.dot: arrays('np.dot(x, y)', ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)),
                   ((2, 3), (3, 4)), ((2, 2, 3), (4, 3, 2)), ((), (2, 3)), ((2, 3), ())),
    ('method', 'dot'): arrays('x.dot(y)', ((2, 3), (3, 4)), ((3,), (3,)), ((2, 3), (3,))),
    np.inner: arrays('np.inner(x, y)', ((3,), (3,)), ((2, 3), (3,)), ((2, 3), (4, 3)),
                     ((2, 2, 3), (4, 3)), ((), (3,))),
    np.tensordot: (arrays('np.tensordot(x, y)', ((2, 3, 4), (3, 4, 2))),
                   arrays('np.tensordot(x, y, axes=1)', ((2, 3), (3, 4))),
                   arrays('np.tensordot(x, y, 0)', ((2,), (3, 2))),
                   arrays('np.tensordot(x, y, axes=([1, 0], [0, 2]))', ((3, 2, 4), (2, 5, 3))),
                   arrays('np.tensordot(x, y, axes=(-1, 0))', ((2, 3), (3,)))),
    np.outer: arrays('np.outer(x, y)', ((3,), (4,)), ((2, 2), (3,))),
    np.vdot: arrays('np.vdot(x, y)', ((3,), (3,)), ((2, 3), (6,))),
    np.einsum: (arrays('np.einsum("ij,jk->ik", x, y)', ((2, 3), (3, 4))),
                arrays('np.einsum("i,i->", x, y)', ((3,), (3,))),
                arrays('np.einsum("ij->j", x)', ((2, 3),)),
                arrays('np.einsum("ii->", x)', ((3, 3),)),
                arrays('np.einsum("ii->i", x)', ((3, 3),)),
                arrays('np.einsum("ij->ji", x)', ((2, 3),)),
                arrays('np.einsum("bij,bjk->bik", x, y)', ((2, 2, 3), (2, 3, 4))),
                arrays('np.einsum("ij,jk", x, y)', ((2, 3), (3, 4))),
                arrays('np.einsum("ij,ij->i", x, y)', ((2, 3), (2, 3))),
                arrays('np.einsum("ij,j,k->ik", x, y, z)', ((2, 3), (3,), (4,))),
                arrays('np.einsum("iij,k->jk", x, y)', ((3, 3, 2), (2,))),
                arrays('np.einsum("ij,jk->ik", x, y, optimize=True)', ((2, 3), (3, 4))),
                # An ellipsis: broadcast axes of different ranks and of length 1.
                arrays('np.einsum("...ij,...jk->...ik", x, y)', ((2, 2, 3), (3, 4)),
                       ((1, 2, 3), (4, 3, 2))),
                arrays('np.einsum("...i,...i", x, y)', ((1, 3), (4, 3)), ((3,), (2, 3))),
                arrays('np.einsum("i...->...", x)', ((2, 3, 4),)),
                # The operand and sublist form, with and without its output.
                arrays('np.einsum(x, [0, 1], y, [1, 2], [0, 2])', ((2, 3), (3, 4))),
                arrays('np.einsum(x, [0, 1], y, [1], z, [0])', ((2, 3), (3,), (2,))),
                arrays('np.einsum(x, [Ellipsis, 0, 1], y, [Ellipsis, 1, 2])',
                       ((2, 2, 3), (3, 4))),
                arrays('np.einsum(x, [1, 0])', ((2, 3),)),
                # Every place of the rules: nine arguments, in either form.
                arrays('np.einsum("i,j,i,j,i,j,i,j->", x, y, x, y, x, y, x, y)', ((2,), (3,))),
                arrays('np.einsum(x, [0], y, [1], x, [0], y, [1], [0])', ((2,), (3,)))),
    np.trace: (arrays('np.trace(x)', ((3, 3),), ((3, 4),)),
               arrays('np.trace(x, 1)', ((3, 4),)),
               arrays('np.trace(x, axis1=1, axis2=2)', ((2, 3, 3),)),
               arrays('np.trace(x, -1, 2, 0)', ((3, 2, 4),))),
    ('method', 'trace'): arrays('x.trace()', ((3, 3),)),
    np.linalg.norm: (arrays('np.linalg.norm(x)', ((3,),), ((2, 3),), ((2, 3, 2),)),
                     arrays('np.linalg.norm(x, axis=1)', ((2, 3),)),
                     arrays('np.linalg.norm(x, axis=(0, 1), keepdims=True)', ((2, 3, 2),)),
                     arrays('np.linalg.norm(x, ord=1)', ((3,),), domains=(NONZERO,)),
                     arrays('np.linalg.norm(x, 2, 0)', ((3, 2),)),
                     arrays('np.linalg.norm(x, "fro")', ((2, 3),))),
    np.linalg.inv: arrays('np.linalg.inv(x)', ((3, 3),), ((2, 3, 3),), domains=(MATRIX,)),
    np.linalg.solve: arrays('np.linalg.solve(x, y)', ((3, 3), (3,)), ((3, 3), (3, 2)),
                            ((2, 3, 3), (3,)), ((2, 3, 3), (2, 3, 2)), ((3, 3), (2, 3, 2)),
                            domains=(MATRIX, REAL)),
    np.linalg.det: arrays('np.linalg.det(x)', ((3, 3),), ((2, 3, 3),), domains=(MATRIX,)),
}

SHAPE_CHECKS = {
    np.reshape: (arrays('np.reshape(x, (3, 2))', ((6,),), M23[:1]),
                 arrays('np.reshape(x, -1, order="F")', M23)),
    ('method', 'reshape'): (arrays('x.reshape(3, 2)', M23), arrays('x.reshape((6,))', M23),
                            arrays('x.reshape(-1, 2, order="F")', M23)),
    np.ravel: (arrays('np.ravel(x)', M23), arrays('np.ravel(x, "F")', M23)),
    ('method', 'ravel'): arrays('x.ravel()', M23, T234),
    ('method', 'flatten'): arrays('x.flatten()', M23),
    np.squeeze: (arrays('np.squeeze(x)', ((1, 3),)),
                 arrays('np.squeeze(x, axis=0)', ((1, 3, 1),))),
    ('method', 'squeeze'): arrays('x.squeeze()', ((2, 1),)),
    np.expand_dims: (arrays('np.expand_dims(x, 1)', M23),
                     arrays('np.expand_dims(x, (0, 2))', ((3,),))),
    np.atleast_1d: arrays('np.atleast_1d(x)', ((),), ((3,),)),
    np.atleast_2d: arrays('np.atleast_2d(x)', ((3,),)),
    np.array: (arrays('np.array([x, y, 2.0 * x])', ((), ()), ((3,), (3,))),
               arrays('np.array([[x, y], [y, x]])', ((), ())), arrays('np.array(x)', M23)),
    np.asarray: (arrays('np.asarray([x, y])', ((), ()), ((2,), (2,))),
                 arrays('np.asarray(x)', M23)),
    ('attr', 'T'): arrays('x.T', M23, T234, ((3,),)),
    ('method', 'copy'): (arrays('x.copy() * y', ((2, 3), (2, 3)), ((3,), ())),
                         arrays('np.array([x, y].copy())', ((), ()))),
    np.transpose: (arrays('np.transpose(x)', M23, T234),
                   arrays('np.transpose(x, (1, 2, 0))', T234),
                   arrays('np.transpose(x, axes=(0, -1, 1))', T234)),
    ('method', 'transpose'): (arrays('x.transpose()', T234), arrays('x.transpose(1, 0)', M23),
                              arrays('x.transpose((2, 0, 1))', T234)),
    np.swapaxes: arrays('np.swapaxes(x, 0, 2)', T234),
    ('method', 'swapaxes'): arrays('x.swapaxes(-1, 0)', M23),
    np.moveaxis: (arrays('np.moveaxis(x, 0, -1)', T234),
                  arrays('np.moveaxis(x, (0, 1), (2, 0))', T234)),
    np.flip: (arrays('np.flip(x)', M23), arrays('np.flip(x, 1)', T234)),
    # An array argument is the sequence of its rows (of its elements, for a vector):
    # its cotangent is an array again.
    np.concatenate: (arrays('np.concatenate([x, y])', ((2, 3), (4, 3))),
                     arrays('np.concatenate([x, y, x], axis=1)', ((2, 3), (2, 1))),
                     arrays('np.concatenate((x, y), axis=None)', ((2, 3), (4,))),
                     arrays('np.concatenate(x)', ((2, 3),), ((2, 2, 3),)),
                     arrays('np.concatenate(x, axis=1)', ((2, 2, 3),))),
    np.stack: (arrays('np.stack([x, y])', ((3,), (3,))),
               arrays('np.stack([x, y, x], axis=-1)', ((2, 3), (2, 3))),
               arrays('np.stack([x, y])', ((), ())),
               arrays('np.stack(x, axis=-1)', ((3,),), ((2, 3),))),
    numpy_helpers.r_: (arrays('np.r_[x, y]', ((3,), (2,)), ((2, 3), (1, 3))),
                       arrays('np.r_[x, 2.0, y]', ((3,), ())), arrays('np.r_[x]', ((3,),)),
                       arrays('np.r_[x, [1.0, 2.0]]', ((2,),))),
    numpy_helpers.c_: (arrays('np.c_[x, y]', ((3,), (3,)), ((3, 2), (3,)), ((3, 2), (3, 1))),
                       arrays('np.c_[x]', ((3,),)), arrays('np.c_[x, 1.0]', ((1,),))),
    np.hstack: (arrays('np.hstack([x, y])', ((3,), (2,)), ((2, 3), (2, 1))),
                arrays('np.hstack(x)', ((3,),), ((2, 3),), ((2, 3, 2),))),
    np.vstack: (arrays('np.vstack([x, y])', ((3,), (3,)), ((2, 3), (1, 3)), ((3,), (2, 3))),
                arrays('np.vstack(x)', ((3,),), ((2, 3),))),
    # A list result: its cotangent is a list with zeros for the pieces never used.
    np.split: (arrays('np.split(x, 3)[1]', ((6,),)),
               arrays('np.split(x, [1, 3], axis=1)[2]', ((2, 4),)),
               arrays('np.stack(np.split(x, 2, axis=1)) ** 2', ((3, 4),))),
    np.array_split: arrays('np.array_split(x, 3)[0]', ((7,),)),
    np.tile: (arrays('np.tile(x, 2)', ((3,),), M23), arrays('np.tile(x, (2, 1, 3))', M23)),
    np.repeat: (arrays('np.repeat(x, 2)', M23),
                arrays('np.repeat(x, [1, 0, 2], axis=1)', M23),
                arrays('np.repeat(x, 2, axis=-1)', ((3,),))),
    ('method', 'repeat'): arrays('x.repeat(3, axis=0)', M23),
    np.broadcast_to: arrays('np.broadcast_to(x, (4, 2, 3))', M23, ((1, 3),), ((3,),)),
}

# The runtime helpers generated code calls: their rules serve second derivatives.
HELPER_CHECKS = {
    numpy_helpers.unreduce: (
        arrays('numpy_helpers.unreduce(x, y, 1, False)', ((2, 4), (2, 3, 4))),
        arrays('numpy_helpers.unreduce(x, y, None, True)', ((1, 1), (2, 3))),
        arrays('numpy_helpers.unreduce(x, y)', ((), (3,)))),
    numpy_helpers.keep_dims: arrays('numpy_helpers.keep_dims(x, y, (0, 2), False)',
                                    ((3,), (2, 3, 4))),
    runtime.spread: arrays('runtime.spread(x, y)', ((), (2, 3)), ((), ()), ((1, 3), (2, 3)),
                           ((2, 1), (2, 3))),
    runtime.unbroadcast: arrays('runtime.unbroadcast(x, y)', ((2, 3), (3,)),
                                ((2, 3), (2, 1)), ((2, 3), (2, 3)), ((2, 3, 4), (3, 1)),
                                ((2, 3), ())),
    # `np.copy(x)`: add_at updates its buffer in place, and x is the caller's (the
    # optimizer folds a copy written as `x * 1.0` away).
    runtime.add_at: (arrays('runtime.add_at(np.copy(x), (0, slice(None)), y)', ((2, 3), (3,))),
                     arrays('runtime.add_at(np.copy(x), [0, 2, 0], y)', ((3,), (3,))),
                     arrays('runtime.add_at(np.copy(x), 1, y)', ((3, 2), ()))),
    runtime.fill_like: (arrays('runtime.fill_like(np.ones(3), {0: x, 2: y})', ((), ())),
                        arrays('runtime.fill_like(np.ones((2, 3)), {1: x})', ((3,),)),
                        arrays('np.array(runtime.fill_like([1.0, 2.0], {1: x}))', ((),))),
    numpy_helpers.broadcast_like: arrays('numpy_helpers.broadcast_like(x, y)',
                                         ((3,), (2, 3)), ((2, 1), (2, 3)), ((3,), (3,))),
    numpy_helpers.untranspose: (arrays('numpy_helpers.untranspose(x, (1, 2, 0))', T234),
                                arrays('numpy_helpers.untranspose(x, None)', T234),
                                arrays('numpy_helpers.untranspose(x, 2, 0, 1, None)', T234)),
    numpy_helpers.retranspose: (arrays('numpy_helpers.retranspose(x, (1, 2, 0))', T234),
                                arrays('numpy_helpers.retranspose(x, 1, 0)', M23)),
    numpy_helpers.unjoined: (
        arrays('numpy_helpers.unjoined(x, (np.ones(2), 1.0), "r")[0]', ((3,),)),
        arrays('numpy_helpers.unjoined(x, (np.ones(3), np.ones((3, 2))), "c")[1]', ((3, 3),)),
        arrays('numpy_helpers.unjoined(x, np.ones((2, 2)), "r")', ((2, 2),))),
    numpy_helpers.joined: (
        arrays('numpy_helpers.joined((x, y), (np.ones(2), 1.0), "r")', ((2,), ())),
        arrays('numpy_helpers.joined([x, y], (np.ones(3), np.ones(3)), "c")', ((3,), (3,))),
        arrays('numpy_helpers.joined(x, np.ones((2, 2)), "c")', ((2, 2),))),
    numpy_helpers.unconcatenate: (
        arrays('numpy_helpers.unconcatenate(x, [np.ones((2, 3)), np.ones((1, 3))], 0)[1]',
               ((3, 3),)),
        arrays('numpy_helpers.unconcatenate(x, [np.ones((2, 2)), np.ones(3)], None)[0]',
               ((7,),))),
    numpy_helpers.unstack: arrays('numpy_helpers.unstack(x, [np.ones(3), np.ones(3)], 1)[1]',
                                  ((3, 2),)),
    numpy_helpers.unhstack: arrays('numpy_helpers.unhstack(x, [np.ones(3), np.ones(2)])[0]',
                                   ((5,),)),
    numpy_helpers.unvstack: arrays(
        'numpy_helpers.unvstack(x, [np.ones(3), np.ones((2, 3))])[1]', ((3, 3),)),
    numpy_helpers.untile: arrays('numpy_helpers.untile(x, np.ones(3), (2, 2))', ((2, 6),)),
    numpy_helpers.unrepeat: (
        arrays('numpy_helpers.unrepeat(x, np.ones((2, 3)), [1, 0, 2], 1)', M23),
        arrays('numpy_helpers.unrepeat(x, np.ones(2), 2)', ((4,),))),
    linalg_helpers.matmul_grad_left: (
        arrays('linalg_helpers.matmul_grad_left(x, np.ones((2, 3)), y)', ((2, 4), (3, 4))),
        arrays('linalg_helpers.matmul_grad_left(x, np.ones(3), y)', ((2, 4), (2, 3, 4))),
        arrays('linalg_helpers.matmul_grad_left(x, np.ones((2, 3)), y)', ((2,), (3,)))),
    linalg_helpers.matmul_grad_right: (
        arrays('linalg_helpers.matmul_grad_right(x, y, np.ones((3, 4)))', ((2, 4), (2, 3))),
        arrays('linalg_helpers.matmul_grad_right(x, y, np.ones(3))', ((2,), (2, 3))),
        arrays('linalg_helpers.matmul_grad_right(x, y, np.ones((3, 4)))',
               ((2, 2, 4), (2, 2, 3)))),
    linalg_helpers.tensordot_grad_left: arrays(
        'linalg_helpers.tensordot_grad_left(x, np.ones((2, 3)), y, ([1], [0]))',
        ((2, 4), (3, 4))),
    linalg_helpers.tensordot_grad_right: arrays(
        'linalg_helpers.tensordot_grad_right(x, y, np.ones((3, 4)), 1)', ((2, 4), (2, 3))),
    linalg_helpers.trace_grad: (
        arrays('linalg_helpers.trace_grad(x, np.ones((3, 3)), 0, 0, 1)', ((),)),
        arrays('linalg_helpers.trace_grad(x, np.ones((2, 3, 4)), 1, 1, 2)', ((2,),))),
    # With no direction, one, and two: the derivatives of np.prod of orders 1 to 3.
    numpy_helpers.prod_of_others: (
        arrays('numpy_helpers.prod_of_others(x, 1)', M23, domains=(NONZERO,)),
        arrays('numpy_helpers.prod_of_others(x, None, y)', ((4,), (4,)), ((), ()),
               domains=(NONZERO, REAL)),
        arrays('numpy_helpers.prod_of_others(x, (0, 2), y, z)', ((2, 3, 2),) * 3,
               domains=(NONZERO, REAL, REAL))),
    numpy_helpers.select: arrays('numpy_helpers.select(x > 0.0, y)', ((2, 3), (3,)),
                                 ((3,), (2, 3)), ((), (3,))),
    linalg_helpers.einsum_of: (
        arrays('linalg_helpers.einsum_of("ij,jk->ik", x, y)', ((2, 3), (3, 4))),
        arrays('linalg_helpers.einsum_of("i,ij,j", x, y, z)', ((2,), (2, 3), (3,))),
        # A spec with an entry for an argument that is not an operand, and one with
        # an operand in each of its nine places.
        arrays('linalg_helpers.einsum_of("_,ij,_,jk->ik", "ij,jk", x, [1], y)',
               ((2, 3), (3, 4))),
        arrays('linalg_helpers.einsum_of("i,j,i,j,i,j,i,j,i->", x, y, x, y, x, y, x, y, x)',
               ((2,), (3,)))),
    linalg_helpers.einsum_grad: (
        arrays('linalg_helpers.einsum_grad(x, "ij,jk->ik", np.ones((2, 3)), y)',
               ((2, 4), (3, 4))),
        arrays('linalg_helpers.einsum_grad(x, "ij,_,jk->ik", np.ones((2, 3)), "s", y)',
               ((2, 4), (3, 4))),
        arrays('linalg_helpers.einsum_grad(x, "ai,ai->a", np.ones((1, 3)), y)',
               ((4,), (4, 3))),
        arrays('linalg_helpers.einsum_grad(x, "i,j,i,j,i,j,i,j,i->", np.ones(2), z, y, z, y, '
               'z, y, z, y)', ((), (2,), (3,))),
        arrays('linalg_helpers.einsum_grad(x, "ii->", np.ones((3, 3)))', ((),)),
        arrays('linalg_helpers.einsum_grad(x, "ij,j,k->ik", np.ones((2, 3)), y, z)',
               ((2, 4), (3,), (4,))),
        arrays('linalg_helpers.einsum_grad(x, "iij,k->jk", np.ones((3, 3, 2)), y)',
               ((2, 4), (4,)))),
    linalg_helpers.solve_like: (
        arrays('linalg_helpers.solve_like(x, y, np.ones(3))', ((3, 3), (3,)),
               ((2, 3, 3), (2, 3)), domains=(MATRIX, REAL)),
        arrays('linalg_helpers.solve_like(x, y, np.ones((3, 2)))', ((3, 3), (3, 2)),
               ((2, 3, 3), (3, 2)), domains=(MATRIX, REAL))),
    linalg_helpers.solve_transposed: (
        arrays('linalg_helpers.solve_transposed(x, y, np.ones(3))', ((3, 3), (3,)),
               ((2, 3, 3), (2, 3)), domains=(MATRIX, REAL)),
        arrays('linalg_helpers.solve_transposed(x, y, np.ones((3, 2)))', ((3, 3), (3, 2)),
               ((2, 3, 3), (3, 2)), domains=(MATRIX, REAL))),
    linalg_helpers.times_like: (
        arrays('linalg_helpers.times_like(x, y, np.ones(3))', ((3, 3), (3,)),
               ((2, 3, 3), (3,))),
        arrays('linalg_helpers.times_like(x, y, np.ones((3, 2)))', ((3, 3), (3, 2)),
               ((2, 3, 3), (3, 2)))),
    linalg_helpers.times_transposed: (
        arrays('linalg_helpers.times_transposed(x, y, np.ones(3))', ((3,), (3,)),
               ((2, 3), (3,))),
        arrays('linalg_helpers.times_transposed(x, y, np.ones((3, 2)))', ((3, 2), (3, 2)),
               ((2, 3, 2), (3, 2)))),
    # `x ** y` of Python floats, inf where `**` would raise (math.sqrt's rule at 0).
    runtime.power_or_inf: binary('runtime.power_or_inf(x, y)', x=POSITIVE, y=EXPONENT, ints=(2, 3)),
    # What the compiler itself puts into generated code.
    runtime.owned: (arrays('runtime.owned(x)', M23),
                    arrays('np.array(runtime.owned([x, y]))', ((), ()))),
    runtime.like: (arrays('runtime.like(x, y)', ((3,), (3,))),
                   arrays('np.array(runtime.like([x, y], (1.0, 2.0)))', ((), ()))),
    runtime.deep_like: (
        arrays('runtime.deep_like(x, y)', ((3,), (3,))),
        arrays('np.concatenate(runtime.deep_like([[x, y], y], [(x, y), x])[0])', ((2,), (2,))),
        arrays('np.array(runtime.deep_like(np.stack([x, y]), [[1.0], [2.0]]))', ((1,), (1,)))),
    runtime.add_cotangents: (
        arrays('runtime.add_cotangents(x, y)', ((3,), (3,))),
        arrays('np.array(runtime.add_cotangents([x, y], [y, x]))', ((), ()))),
    runtime.repeat_like: (
        arrays('runtime.repeat_like(x, np.ones((2, 3)))', ((3,),)),
        arrays('np.array(runtime.repeat_like(x, [1.0, 2.0]))', ((),))),
    runtime.sequence_tangent: (
        arrays('runtime.sequence_tangent(x, np.ones(3))', ((3,),)),
        arrays('np.array(runtime.sequence_tangent([x, y], [1.0, 2.0]))', ((), ())),
        arrays('np.sum(runtime.sequence_tangent({"a": x}, {"a": 1.0}))', ((),))),
    runtime.sequence_cotangent: (
        arrays('runtime.sequence_cotangent(x, np.ones(3))', ((3,),)),
        arrays('np.array(runtime.sequence_cotangent([x, y], [1.0, 2.0]))', ((), ()))),
    primitives.sequence_of: (
        arrays('primitives.sequence_of(x)', ((3,),)),
        arrays('np.array(primitives.sequence_of([x, y]))', ((), ()))),
    runtime.item_of: (arrays('runtime.item_of(x, (0, slice(None)), y)', ((2, 3), (3,))),
                      arrays('runtime.item_of(x, [0, 2, 0], y)', ((3,), (3,))),
                      arrays('runtime.item_of(x, 1, y)', ((3, 2), ()))),
    runtime.written_part: (
        arrays('runtime.written_part(x, [0, 2, 0], y)', ((3,), (3,))),
        arrays('runtime.written_part(x, ([0, 0], [1, 1]), y)', ((2, 2), (2,))),
        arrays('runtime.written_part(x, (0, slice(None)), y)', ((2, 3), (3,)))),
    runtime.scattered: (
        arrays('runtime.scattered(x, np.ones(3), [0, 2, 0])', ((3,),)),
        arrays('runtime.scattered(x, np.ones((2, 3)), (0, slice(None)))', ((3,),))),
    # A list's cotangent after `xs[index] = value` (three items; before the write,
    # `replaced` was there instead of `value`) and a dict's, and their adjoints.
    runtime.clear_written: (
        arrays('np.array(runtime.clear_written([x, y, x * y], slice(0, 2), [1.0], [2.0, 3.0]))',
               ((), ())),
        arrays('np.array(runtime.clear_written([x, y, x * y], slice(-1, None), [1.0, 2.0], '
               '[3.0]))', ((), ())),
        arrays('np.concatenate(runtime.clear_written([x, y], 0, np.ones(2), x))', ((3,), (3,))),
        arrays('runtime.clear_written({"a": x, "b": y}, "b", primitives.NO_ITEM, 1.0)["a"]',
               ((), ()))),
    runtime.restore_written: (
        arrays('np.array(runtime.restore_written([x, y], slice(0, 1), [1.0], [2.0, 3.0]))',
               ((), ())),
        arrays('np.array(runtime.restore_written([x, y, x], slice(-2, None), [1.0, 2.0], '
               '[3.0]))', ((), ())),
        arrays('np.concatenate(runtime.restore_written([x, y], 1, np.ones(2), x))', ((3,), (2,)))),
    runtime.written_items: (
        arrays('np.array(runtime.written_items([x, y, x * y], slice(0, 2), [1.0], [2.0, 3.0]))',
               ((), ())),
        arrays('runtime.written_items([x, y], 1, np.ones(3), y)', ((3,), (3,)))),
    runtime.placed_items: (
        arrays('np.array(runtime.placed_items([x, y], [1.0, 2.0, 3.0], slice(0, 2), [1.0], '
               '[2.0, 3.0]))', ((), ())),
        arrays('np.concatenate(runtime.placed_items(x, [np.ones(3), np.ones(3)], 1, '
               'np.ones(2), x))', ((3,),))),
    runtime.split_concatenated: (
        arrays('np.array(runtime.split_concatenated([x, y, x * y], [1.0])[1])', ((), ())),
        arrays('np.array(runtime.split_concatenated([x, y, x * y], [1.0, 2.0])[0])', ((), ()))),
    runtime.concatenated: (
        arrays('np.array(runtime.concatenated([x, y], [x * y]))', ((), ())),
        arrays('np.array(runtime.concatenated(x, y))', ((2,), (3,)))),
    runtime.repeated: (
        arrays('np.array(runtime.repeated([x, y], [1.0] * 4))', ((), ())),),
    runtime.unrepeated: (
        arrays('np.array(runtime.unrepeated([x, y, x * y, y], [1.0, 2.0]))', ((), ())),
        arrays('runtime.unrepeated([x, y], [np.ones(3)])[0]', ((3,), (3,)))),
}

HELPER_NONDIFFERENTIABLE = {
    runtime.scalar_seed: 'runtime.scalar_seed(x, "f")',
    primitives.item_before: 'len(primitives.item_before([[x, x]], 0))',
    runtime.float_written: 'float(runtime.float_written(np.array([x, x])) is None)',
    runtime.zeros_like: 'np.sum(runtime.zeros_like(x))',
    runtime.float_tape: 'len(runtime.float_tape(int(abs(x)) + 2))',
    runtime.int_tape: 'len(runtime.int_tape(int(abs(x)) + 2))',
    runtime.bool_tape: 'len(runtime.bool_tape(int(abs(x)) + 2))',
    numpy_helpers.reduced_size: 'numpy_helpers.reduced_size(np.array([x, x]), 0)',
    linalg_helpers.dot_axes: 'len(linalg_helpers.dot_axes(np.array([x]), np.array([x])))',
    linalg_helpers.inner_axes: 'len(linalg_helpers.inner_axes(np.array([x]), 1.0))',
    linalg_helpers.moved_first: 'len(linalg_helpers.moved_first("ij,jk->ik", 1))',
    linalg_helpers.einsum_spec: 'len(linalg_helpers.einsum_spec(1, "i,i", np.ones(2), '
                                'np.array([x, x])))',
    numpy_helpers.share_of_extremum: 'np.sum(numpy_helpers.share_of_extremum('
                                     'np.array([x, 0.5]), np.max(np.array([x, 0.5]))))',
    numpy_helpers.max_share: 'numpy_helpers.max_share(x, 0.5)',
    numpy_helpers.quantile_shares: 'np.sum(numpy_helpers.quantile_shares(np.array([x, 0.5]), '
                                   '0.3))',
    numpy_helpers.inside: 'numpy_helpers.inside(x, -1.0, 1.0)',
    primitives.keys_of: 'len(primitives.keys_of({"a": x, "b": 2.0 * x}))',
    primitives.key_order: 'float(primitives.key_order([x, 0.5, -x])[0])',
    primitives.key_argmax: 'float(primitives.key_argmax([x, 0.5, -x]))',
    primitives.key_argmin: 'float(primitives.key_argmin([x, 0.5, -x]))',
}
