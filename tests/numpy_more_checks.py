"""Registry-sweep checks for more of NumPy (the `Check` tables of rules_checks.py
and numpy_checks.py, continued): remainders, parts and special functions; scans
(`np.cumsum`, `np.cumprod`); diagonals, triangles, rolls, appends and pads;
selection by index (`np.take`, `np.sort`); and the array methods among them,
with the runtime helpers their rules call. Then what peer test suites use:
angles, flips and turns, the stacks and splits, `np.partition`, the
differences (`np.diff`, `np.gradient`), `np.linspace`, `np.kron`, `np.cross`,
`np.fmax`, `np.select`, and their helpers. Then the functions of samples
(numpy_samples.py: `np.average`, `np.cov`, `np.corrcoef`, `np.trapezoid`,
`np.interp`, `np.convolve`, `np.correlate`, `np.polyval`, `np.polyder`),
`np.meshgrid` and `np.unique`, and their helpers.

Random points never tie, nor meet a jump of `np.remainder`, nor a zero of
`np.cumprod` (but for the checks of its helpers, which make some), nor a sample
point of `np.interp`, nor a repeated value of `np.unique`: those are in
test_numpy_more.py, test_numpy_breadth.py and test_numpy_samples.py.
"""

import warnings

import numpy as np

from adjoint.rules import linalg_helpers, numpy_helpers, sample_helpers
from tests.rules_checks import (ABOVE, BELOW, NONZERO, POSITIVE, REAL, Check, Domain, arrays,
                                binary, unary)

WIDE = Domain(-12.0, 12.0)  # np.i0 and the Bessel functions grow like e^|x|
LARGE = Domain(300.0, 800.0)  # np.logaddexp where e^x overflows

M23 = ((2, 3),)
T234 = ((2, 3, 4),)
SQUARE = ((3, 3),)
S233 = ((2, 3, 3),)

MORE_ELEMENTWISE_CHECKS = {
    np.remainder: (binary('np.remainder(x, y)', y=POSITIVE, ints=(-7, 3)),
                   binary('np.remainder(x, y)', y=NONZERO, ints=(7, -3))),
    np.fmod: (binary('np.fmod(x, y)', y=POSITIVE, ints=(-7, 3)),
              binary('np.fmod(x, y)', y=NONZERO, ints=(7, -3))),
    np.real: unary('np.real(x)'),
    np.nan_to_num: (unary('np.nan_to_num(x)'),
                    arrays('np.nan_to_num(np.where(x > 0.5, np.nan, x), nan=-1.0)', ((2, 3),)),
                    arrays('np.nan_to_num(np.where(x > 0.5, np.inf, -x), posinf=3.0)', ((3,),)),
                    arrays('np.nan_to_num(np.where(x > 0.5, np.nan, x), True, y)',
                           ((2, 3), ()), ((3,), (3,)))),
    np.sinc: (unary('np.sinc(x)'), unary('np.sinc(x)', Domain(0.0, 0.05, signed=True), ints=(0,)),
              unary('np.sinc(x)', Domain(1.0, 4.0, signed=True))),
    np.i0: unary('np.i0(x)', WIDE, ints=(3,)),
    np.logaddexp: (binary('np.logaddexp(x, y)'),
                   binary('np.logaddexp(x, y)', x=LARGE, y=LARGE, arrays=False)),
    np.logaddexp2: binary('np.logaddexp2(x, y)'),
}


def _cross_of_2_vectors():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        try:
            np.cross(np.ones(2), np.ones(2))
        except ValueError:
            return False
    return True


CROSS_OF_2_VECTORS = _cross_of_2_vectors()  # NumPy before 2.5


def scans(name, method=False):
    """The calls of scan `name` (`np.cumsum`, or `x.cumsum` if `method`) to check."""
    def call(args):
        return f'x.{name}({args})' if method else f'np.{name}(x{", " if args else ""}{args})'
    return (arrays(call(''), ((4,),), M23), arrays(call('axis=0'), M23, T234),
            arrays(call('-1'), M23, T234), arrays(call('axis=None'), T234))


SCAN_CHECKS = {
    np.cumsum: scans('cumsum'), ('method', 'cumsum'): scans('cumsum', method=True),
    np.cumprod: scans('cumprod'), ('method', 'cumprod'): scans('cumprod', method=True),
}

MOVE_CHECKS = {
    np.roll: (arrays('np.roll(x, 1)', ((4,),), M23), arrays('np.roll(x, -2, axis=1)', M23),
              arrays('np.roll(x, (1, 2), axis=(0, -1))', T234),
              arrays('np.roll(x, [1, -1], 0)', M23)),
    np.diagonal: (arrays('np.diagonal(x)', SQUARE, ((3, 4),), ((4, 2),)),
                  arrays('np.diagonal(x, 1)', ((3, 4),)),
                  arrays('np.diagonal(x, -1, 1, 2)', T234),
                  arrays('np.diagonal(x, offset=1, axis1=2, axis2=0)', T234)),
    ('method', 'diagonal'): (arrays('x.diagonal()', SQUARE, T234),
                             arrays('x.diagonal(-1, 0, 2)', T234)),
    np.diag: (arrays('np.diag(x)', ((3,),), SQUARE, ((3, 4),)),
              arrays('np.diag(x, 1)', ((3,),), ((4, 3),)), arrays('np.diag(x, k=-2)', ((2,),))),
    np.tril: (arrays('np.tril(x)', SQUARE, ((3, 4),), ((3,),)), arrays('np.tril(x, -1)', S233),
              arrays('np.tril(x, k=1)', ((4, 3),))),
    np.triu: (arrays('np.triu(x)', SQUARE, ((3,),)), arrays('np.triu(x, 1)', S233)),
    np.append: (arrays('np.append(x, y)', ((2, 3), (2,)), ((3,), ()), ((), (2, 2))),
                arrays('np.append(x, y, axis=0)', ((2, 3), (1, 3))),
                arrays('np.append(x, y, -1)', ((2, 3), (2, 2)), ((3,), (2,)))),
    np.pad: (arrays('np.pad(x, 1)', ((3,),), M23), arrays('np.pad(x, (2, 1))', ((3,),), M23),
             arrays('np.pad(x, ((0, 1), (2, 0)))', M23),
             arrays('np.pad(x, ((1,), (2,)), constant_values=3.0)', M23),
             arrays('np.pad(x, [(1, 0), (0, 0), (0, 2)], "constant")', T234)),
}

INDEX_CHECKS = {
    np.take: (arrays('np.take(x, [2, 0, 2])', M23), arrays('np.take(x, 1, axis=-1)', M23),
              arrays('np.take(x, [[0, 1], [1, 1]], axis=1)', M23),
              arrays('np.take(x, [4, -1], axis=0, mode="wrap")', M23),
              arrays('np.take(x, [5, -2], 1, mode="clip")', T234)),
    ('method', 'take'): (arrays('x.take([1, 0, 1], axis=1)', M23), arrays('x.take(3)', M23)),
    np.take_along_axis: (
        arrays('np.take_along_axis(x, np.array([[0, 2], [1, 1]]), axis=1)', M23),
        arrays('np.take_along_axis(x, np.array([[1, 0, 1]]), 0)', M23),
        arrays('np.take_along_axis(x, np.array([[0, 2], [2, 2]]), 1)', ((1, 3),)),
        arrays('np.take_along_axis(x, np.array([5, 0, 5]), None)', M23)),
    np.sort: (arrays('np.sort(x)', ((5,),), M23), arrays('np.sort(x, axis=0)', T234),
              arrays('np.sort(x, None)', M23), arrays('np.sort(x, 1, "heapsort")', M23)),
}

METHOD_CHECKS = {
    ('method', 'clip'): (arrays('x.clip(-0.5, 0.7)', M23), arrays('x.clip(max=0.5)', ((3,),)),
                         Check('x.clip(y, z)', (REAL, BELOW, ABOVE),
                               (((2, 3), (3,), ()), ((3,), (3,), (3,))), scalars=False)),
    ('method', 'astype'): (arrays('x.astype(float)', M23),
                           arrays('x.astype("float64", copy=False) * y', ((3,), (3,)))),
    ('method', 'item'): (arrays('x.item()', ((1,),), ((1, 1),)),
                         arrays('x.item() * y', ((1,), (3,)))),
}

MORE_HELPER_CHECKS = {
    # With one direction and two, and with zeros (`x * (x > -1.0)`): the derivatives
    # of np.cumprod of orders 1 to 3.
    numpy_helpers.cumprod_tangent: (
        arrays('numpy_helpers.cumprod_tangent(x, 1, y)', M23 * 2, ((2, 3), (3,))),
        arrays('numpy_helpers.cumprod_tangent(x * (x > -1.0), None, y, z)', ((2, 3),) * 3),
        arrays('numpy_helpers.cumprod_tangent(x, 0, y, None, z)', ((4, 2),) * 3)),
    numpy_helpers.cumprod_grad: (
        arrays('numpy_helpers.cumprod_grad(x, y, -1)', M23 * 2, ((2, 1), (2, 3))),
        arrays('numpy_helpers.cumprod_grad(x, y * (y > -1.0))', ((6,), (2, 3))),
        arrays('numpy_helpers.cumprod_grad(x, y, 0, z)', ((3, 2),) * 3),
        arrays('numpy_helpers.cumprod_grad(x, y, None, z, x)', ((4,),) * 3)),
    numpy_helpers.diagonal_grad: (
        arrays('numpy_helpers.diagonal_grad(x, np.ones((3, 4)))', ((3,),)),
        arrays('numpy_helpers.diagonal_grad(x, np.ones((2, 3, 4)), -1, 1, 2)', ((2, 2),)),
        arrays('numpy_helpers.diagonal_grad(x, np.ones((2, 3, 4)), -1, 2, 0)', ((3, 2),))),
    numpy_helpers.diag_grad: (arrays('numpy_helpers.diag_grad(x, np.ones(3), 1)', ((4, 4),)),
                              arrays('numpy_helpers.diag_grad(x, np.ones((4, 3)), -1)', ((3,),))),
    numpy_helpers.part_of: (
        arrays('numpy_helpers.part_of(x, np.ones((2, 3)), np.ones(2))', ((8,),)),
        arrays('numpy_helpers.part_of(x, np.ones(2), np.ones((2, 3)), None, False)', ((8,),)),
        arrays('numpy_helpers.part_of(x, np.ones((2, 2)), np.ones((2, 3)), 1, False)',
               ((2, 5),))),
    numpy_helpers.with_zeros: (
        arrays('numpy_helpers.with_zeros(x, np.ones(2))', M23),
        arrays('numpy_helpers.with_zeros(x, np.ones((2, 1)), -1, False)', M23)),
    numpy_helpers.padded: arrays('numpy_helpers.padded(x, ((1, 0), (2, 1)))', M23),
    numpy_helpers.unpadded: (arrays('numpy_helpers.unpadded(x, 1)', ((4, 5),)),
                             arrays('numpy_helpers.unpadded(x, ((0, 1), (2, 0)))', ((3, 5),))),
    numpy_helpers.untake: (
        arrays('numpy_helpers.untake(x, np.ones((2, 3)), [1, 1, 0], 1)', ((2, 3),)),
        arrays('numpy_helpers.untake(x, np.ones((2, 3)), [[7, 0], [-1, 2]], None, "wrap")',
               ((2, 2),))),
    numpy_helpers.untake_along_axis: (
        arrays('numpy_helpers.untake_along_axis(x, np.ones((2, 3)), np.array([[0, 0]]), 1)',
               ((2, 2),)),
        arrays('numpy_helpers.untake_along_axis(x, np.ones((1, 3)), np.array([[2], [2]]), 1)',
               ((2, 1),)),
        arrays('numpy_helpers.untake_along_axis(x, np.ones(4), np.array([3, 3, 0]), None)',
               ((3,),))),
    numpy_helpers.float_target: (arrays('numpy_helpers.float_target(x, float)', M23),
                                 arrays('numpy_helpers.float_target(x, "float32")', ((3,),))),
    numpy_helpers.sinc_derivative: (
        unary('numpy_helpers.sinc_derivative(x, 1)', WIDE),
        unary('numpy_helpers.sinc_derivative(x, 2)', Domain(0.0, 1.5, signed=True)),
        unary('numpy_helpers.sinc_derivative(x, 5)', Domain(0.5, 1.5, signed=True))),
    numpy_helpers.finite_part: (
        arrays('numpy_helpers.finite_part(x, np.array([1.0, np.inf, np.nan]))', ((3,),)),
        arrays('numpy_helpers.finite_part(x, np.where(y > 0.5, np.nan, y))', ((2, 3), (3,)),
               ((3,), (2, 3)))),
    numpy_helpers.bessel_i: (unary('numpy_helpers.bessel_i(x, 1)', WIDE),
                             unary('numpy_helpers.bessel_i(x, 0)', WIDE),
                             unary('numpy_helpers.bessel_i(x, 3)')),
}

BREADTH_ELEMENTWISE_CHECKS = {
    np.deg2rad: unary('np.deg2rad(x)', WIDE), np.radians: unary('np.radians(x)', WIDE),
    np.rad2deg: unary('np.rad2deg(x)'), np.degrees: unary('np.degrees(x)'),
    np.conjugate: (unary('np.conjugate(x)'), unary('np.conj(x)')),
    np.real_if_close: (unary('np.real_if_close(x)'), arrays('np.real_if_close(x, tol=1000)', M23)),
    # Random points never tie; ties and NaNs are in test_numpy_breadth.py, but
    # for these NaNs, which the other argument replaces.
    np.fmax: (binary('np.fmax(x, y)', ints=(2, -1)), unary('np.fmax(x, 0.0)', ints=(2,)),
              arrays('np.fmax(np.where(x > 0.5, np.nan, x), np.where(x < -0.5, np.nan, y))',
                     M23 * 2, ((3,), (3,)))),
    np.fmin: (binary('np.fmin(x, y)', ints=(2, -1)), unary('np.fmin(x, 0)', ints=(-1,)),
              arrays('np.fmin(np.where(x > 0.5, np.nan, x), np.where(x < -0.5, np.nan, y))',
                     M23 * 2)),
}

BREADTH_SHAPE_CHECKS = {
    np.flipud: arrays('np.flipud(x)', ((3,),), M23),
    np.fliplr: arrays('np.fliplr(x)', M23, T234),
    np.rot90: (arrays('np.rot90(x)', M23), arrays('np.rot90(x, 2)', M23),
               arrays('np.rot90(x, -1, (0, 2))', T234),
               arrays('np.rot90(x, k=3, axes=(2, 1))', T234)),
    np.rollaxis: (arrays('np.rollaxis(x, 2)', T234), arrays('np.rollaxis(x, 0, 3)', T234),
                  arrays('np.rollaxis(x, -1, 1)', T234),
                  arrays('np.rollaxis(x, 1, start=-1)', T234)),
    np.atleast_3d: arrays('np.atleast_3d(x)', ((),), ((3,),), M23),
    np.column_stack: (arrays('np.column_stack([x, y])', ((3,), (3,)), ((3, 2), (3,)), ((), ())),
                      arrays('np.column_stack(x)', M23)),
    np.dstack: (arrays('np.dstack([x, y])', ((3,), (3,)), M23 * 2, ((2, 3, 2), (2, 3))),
                arrays('np.dstack(x)', M23)),
    # A list result: its cotangent is a list with zeros for the pieces never used.
    np.hsplit: (arrays('np.hsplit(x, 2)[1]', ((4,),), ((3, 4),)),
                arrays('np.hsplit(x, [1, 3])[2]', ((2, 4),)),
                arrays('np.stack(np.hsplit(x, 2)) ** 2', ((3, 4),))),
    np.vsplit: (arrays('np.vsplit(x, [1, 2])[2]', ((3, 2, 2),)),
                arrays('np.stack(np.vsplit(x, 2)) ** 2', ((4, 3),))),
    np.dsplit: (arrays('np.dsplit(x, 2)[1]', T234),
                arrays('np.stack(np.dsplit(x, [1, 3])[0:3:2]) ** 2', T234)),
    np.partition: (arrays('np.partition(x, 2)', ((5,),), M23),
                   arrays('np.partition(x, 1, axis=0)', T234),
                   arrays('np.partition(x, (0, 3), None)', M23),
                   arrays('np.partition(x, -1, 0, "introselect")', ((4, 2),))),
}
BREADTH_CHECKS = {
    np.diff: (arrays('np.diff(x)', ((4,),), M23), arrays('np.diff(x, 2)', ((5,),), ((2, 4),)),
              arrays('np.diff(x, axis=0)', M23, T234), arrays('np.diff(x, 3, 1)', ((2, 5, 2),)),
              arrays('np.diff(x, n=0)', M23)),
    np.gradient: (arrays('np.gradient(x)', ((4,),), ((2,),)),
                  arrays('np.gradient(x, y)', ((5,), ()), domains=(REAL, POSITIVE)),
                  arrays('np.gradient(x, axis=1)', ((3, 4),)),
                  arrays('np.gradient(x, 0.5, axis=-1, edge_order=2)', ((2, 4),), ((3,),)),
                  arrays('np.stack(np.gradient(x, y))', ((3, 4), ()), domains=(REAL, POSITIVE)),
                  arrays('np.stack(np.gradient(x, axis=(2, 0), edge_order=2))', ((3, 2, 4),)),
                  arrays('np.gradient(x)[1]', M23)),
    np.linspace: (arrays('np.linspace(x, y, 5)', ((), ()), ((3,), ()), ((2, 3), (3,))),
                  arrays('np.linspace(x, y, 4, endpoint=False)', ((), ())),
                  arrays('np.linspace(x, y, num=3, axis=-1)', ((2,), (2,))),
                  arrays('np.linspace(x, 2.0, 1)', ((),)),
                  arrays('np.linspace(x, y, 4, False, axis=1)', M23 * 2)),
    np.kron: arrays('np.kron(x, y)', ((2,), (3,)), ((2, 3), (2, 2)), ((3,), (2, 2)),
                    ((2, 2, 2), (3,)), ((2, 2), ())),
    # 2-vectors, and a 2-vector with a 3-vector, where np.cross takes them (NumPy
    # 2.0 deprecates them, 2.5 removes them).
    # np.vstack by its old name (NumPy 2.0 deprecates it), as autograd's tests call it
    **({np.row_stack: arrays('np.row_stack([x, y])', ((3,), (3,)), ((2, 3), (1, 3)))}
       if hasattr(np, 'row_stack') else {}),
    np.cross: (arrays('np.cross(x, y)', ((3,), (3,)), ((2, 3), (3,)), ((4, 1, 3), (2, 3)),
                      *(((2,), (2,)), ((3, 2), (2,)), ((2,), (3,)), ((2, 3), (2, 2)))[
                          :4 if CROSS_OF_2_VECTORS else 0]),
               # the vectors along other axes, as autograd's test_systematic.py takes them
               arrays('np.cross(x, y, axisa=0)', ((3, 2), (2, 3))),
               arrays('np.cross(x, y, axisa=0, axisb=0, axisc=0)', ((3, 2), (3, 2))),
               arrays('np.cross(x, y, axisa=-1, axisb=1, axisc=1)', ((2, 3), (4, 3, 2))),
               arrays('np.cross(x, y, axis=0)', ((3, 4), (3, 1)), ((3, 2), (3, 2))),
               arrays('np.cross(x, y, 0, 1, 0, None)', ((3, 2), (2, 3)))),
    np.select: (arrays('np.select([x > 0.5, x < -0.5], [x * y, y])', ((3,), (3,)), M23 * 2,
                       ((2, 3), (3,)), ((3,), (2, 3))),
                arrays('np.select([x > 0.0], [x], y)', M23 * 2, ((3,), ())),
                arrays('np.select([x > 1.0, x > 0.0], [y, 2.0], default=y * x)', ((3,), (3,))),
                arrays('np.select([y > 0.0, y < 0.0], x)', ((2, 3), (3,)))),
}

BREADTH_HELPER_CHECKS = {
    numpy_helpers.uncolumn_stack: arrays(
        'numpy_helpers.uncolumn_stack(x, [np.ones(3), np.ones((3, 2))])[1]', ((3, 3),)),
    numpy_helpers.undstack: arrays(
        'numpy_helpers.undstack(x, [np.ones((2, 3)), np.ones((2, 3, 2))])[1]', ((2, 3, 3),)),
    numpy_helpers.unselect: (
        arrays('numpy_helpers.unselect(x, np.array([0, 1, -1]), [np.ones(3), 1.0])[0]', ((3,),)),
        arrays('numpy_helpers.unselect(x, np.array([1, 0, 1]), [np.ones(3), 1.0])[1]',
               ((2, 3),))),
    numpy_helpers.selected: arrays('numpy_helpers.selected(np.array([[0, 1, -1]]), [x, y])',
                                   ((3,), (2, 3)), ((), (3,))),
    numpy_helpers.undiff: (arrays('numpy_helpers.undiff(x)', ((3,),)),
                           arrays('numpy_helpers.undiff(x, 2, 0)', M23)),
    numpy_helpers.ungradient: (
        arrays('numpy_helpers.ungradient(x, np.ones(4))', ((4,),)),
        arrays('numpy_helpers.ungradient(x, np.ones(4), y)', ((4,), ()),
               domains=(REAL, POSITIVE)),
        arrays('numpy_helpers.ungradient([x, y], np.ones((3, 4)), 0.5, None, 2)', ((3, 4),) * 2),
        arrays('numpy_helpers.ungradient(x, np.ones((2, 4)), y, -1, 2)', ((2, 4), ()),
               domains=(REAL, POSITIVE))),
    numpy_helpers.gradient_spacing: unary('numpy_helpers.gradient_spacing(x)', POSITIVE,
                                          arrays=False),
    linalg_helpers.kron_grad_left: (
        arrays('linalg_helpers.kron_grad_left(x, np.ones((2, 3)), y)', ((4, 6), (2, 2))),
        arrays('linalg_helpers.kron_grad_left(x, np.ones(2), y)', ((6,), (3,)))),
    linalg_helpers.kron_grad_right: arrays(
        'linalg_helpers.kron_grad_right(x, y, np.ones((2, 2)))', ((4, 6), (2, 3)), ((2, 4), (2,))),
    linalg_helpers.cross_grad: (
        arrays('linalg_helpers.cross_grad(x, np.ones(3), y)', ((3,), (3,)), ((2, 3), (2, 3))),
        *(arrays('linalg_helpers.cross_grad(x, np.ones(2), y)', ((), (2,)), ((3,), (3,))),
          arrays('linalg_helpers.cross_grad(x, np.ones(3), y)', ((3,), (2,))))[
            :2 if CROSS_OF_2_VECTORS else 0]),
}

_XP = '[-1.0, 0.0, 0.5, 1.5]'  # sample points of np.interp; the checks' x cross them

SAMPLE_CHECKS = {
    np.average: (unary('np.average(x)'), arrays('np.average(x, axis=-1, keepdims=True)', M23),
                 arrays('np.average(x, axis=1, weights=y)', ((2, 3), (3,)),
                        domains=(REAL, POSITIVE)),
                 arrays('np.average(x, 0, y)', M23 * 2, domains=(REAL, POSITIVE)),
                 arrays('np.average(x, weights=y)', M23 * 2, domains=(REAL, POSITIVE)),
                 arrays('np.average(x, axis=(2, 0), weights=y, keepdims=True)', ((2, 3, 4), (4, 2)),
                        domains=(REAL, POSITIVE))),
    np.cov: (arrays('np.cov(x)', ((2, 5),), ((3, 4),), ((5,),)),
             arrays('np.cov(x, y)', ((5,), (5,)), ((2, 5), (5,))),
             arrays('np.cov(x, rowvar=False, bias=True)', ((5, 2),)),
             arrays('np.cov(x, y, False, ddof=2)', ((5, 2), (5, 3)), ((4, 1), (4,)),
                    ((4, 2), (1, 4))),
             arrays('np.cov(x, ddof=0)', ((2, 4),))),
    np.corrcoef: (arrays('np.corrcoef(x)', ((3, 5),), ((5,),)),
                  arrays('np.corrcoef(x, y)', ((5,), (5,)), ((2, 4), (4,))),
                  arrays('np.corrcoef(x, rowvar=False)', ((5, 2),)),
                  arrays('np.corrcoef(x, y, False)', ((4, 2), (4,)))),
    # The sample points need not be sorted.
    np.trapezoid: (arrays('np.trapezoid(x)', ((4,),), M23),
                   arrays('np.trapezoid(x, y)', ((4,), (4,)), ((2, 4), (4,)), ((2, 4), (2, 4)),
                          ((4,), (2, 4)), ((1,), (1,))),
                   arrays('np.trapezoid(x, y, axis=0)', ((4, 2), (4,)), ((4, 2), (4, 2))),
                   arrays('np.trapezoid(x, dx=y)', ((4,), ()), ((3, 2), ())),
                   arrays('np.trapezoid(x, dx=y, axis=0)', ((3, 2), ())),
                   arrays('np.trapezoid(x, None, 0.5, 0)', ((3, 2),)),
                   arrays('np.trapezoid(x, y, z)', ((4,), (4,), ()))),
    np.interp: (unary('np.interp(x, [-1.0, 0.5, 1.0], [0.5, 2.0, -1.0])', ints=()),
                arrays(f'np.interp(x, {_XP}, y)', ((5,), (4,)), ((2, 3), (4,)), ((), (4,))),
                arrays('np.interp(x, [-1.0, 0.0, 1.5], y, z, 2.0)', ((5,), (3,), ()),
                       ((), (3,), ())),
                arrays(f'np.interp(x, {_XP}, y, right=z)', ((2, 3), (4,), ())),
                arrays('np.interp(x, [0.5], y, left=z)', ((4,), (1,), ()))),
    np.convolve: (arrays('np.convolve(x, y)', ((5,), (3,)), ((3,), (5,)), ((1,), (4,))),
                  arrays('np.convolve(x, y, "same")', ((5,), (3,)), ((2,), (4,)), ((4,), (4,))),
                  arrays('np.convolve(x, y, mode="valid")', ((5,), (3,)), ((3,), (6,)))),
    np.correlate: (arrays('np.correlate(x, y)', ((5,), (3,)), ((3,), (5,))),
                   arrays('np.correlate(x, y, "full")', ((5,), (2,)), ((2,), (4,))),
                   arrays('np.correlate(x, y, mode="same")', ((5,), (3,)), ((3,), (4,)))),
    np.polyval: (unary('np.polyval([1.5, -2.0, 0.5], x)'),
                 arrays('np.polyval(x, y)', ((4,), ()), ((3,), (2, 3)), ((1,), (3,)))),
    np.polyder: (arrays('np.polyder(x)', ((4,),), ((2,),)),
                 arrays('np.polyval(np.polyder(x), y)', ((4,), (3,)))),
    np.meshgrid: (arrays('np.stack(np.meshgrid(x, y))', ((3,), (2,)), ((2, 2), (3,))),
                  arrays('np.meshgrid(x, y, indexing="ij")[1]', ((3,), (2,))),
                  arrays('np.stack(np.meshgrid(x, y, z, indexing="ij"))', ((2,), (3,), (2,))),
                  arrays('np.stack(np.meshgrid(x, y, z))', ((2,), (3,), (2,))),
                  arrays('np.meshgrid(x, y, sparse=True)[0] * np.meshgrid(x, y, sparse=True)[1]',
                         ((3,), (2,))),
                  arrays('np.meshgrid(x, copy=False)[0]', ((3,),)),
                  arrays('np.stack(np.meshgrid(x, y, x, y, indexing="ij"))', ((2,), (3,)))),
    np.unique: (arrays('np.unique(x)', ((5,),), M23),
                arrays('np.unique(x, equal_nan=False, sorted=True)', ((4,),))),
}

SAMPLE_HELPER_CHECKS = {
    sample_helpers.average_weights: (
        arrays('sample_helpers.average_weights(np.ones((2, 3)), x, 1)', ((3,),)),
        arrays('sample_helpers.average_weights(np.ones((2, 3, 4)), x, (2, 0))', ((4, 2),)),
        arrays('sample_helpers.average_weights(np.ones((2, 3)), x)', M23)),
    sample_helpers.unaverage_weights: (
        arrays('sample_helpers.unaverage_weights(x, np.ones((2, 3, 4)), np.ones((4, 2)), (2, 0))',
               T234),
        arrays('sample_helpers.unaverage_weights(x, np.ones((2, 3)), np.ones(3), -1)', M23),
        arrays('sample_helpers.unaverage_weights(x, np.ones((2, 3)), np.ones((2, 3)))', M23)),
    sample_helpers.observations: (
        arrays('sample_helpers.observations(x)', ((2, 4),), ((4,),)),
        arrays('sample_helpers.observations(x, y, False)', ((4, 2), (4,)), ((4, 2), (4, 3)))),
    sample_helpers.observed: (
        arrays('sample_helpers.observed(x, np.ones((4, 2)), np.ones(4), False)', ((4, 2),)),
        arrays('sample_helpers.observed(x, np.ones(4), np.ones((2, 4)), True, False)', ((2, 4),)),
        arrays('sample_helpers.observed(x, np.ones((2, 4)))', ((2, 4),))),
    sample_helpers.unobserved: (
        arrays('sample_helpers.unobserved(x, np.ones((4, 2)), np.ones(4), False)', ((3, 4),)),
        arrays('sample_helpers.unobserved(x, np.ones((4, 2)), np.ones((4, 3)), False, False)',
               ((5, 4),)),
        arrays('sample_helpers.unobserved(x, np.ones(4))', ((1, 4),))),
    sample_helpers.step_weights: (
        arrays('sample_helpers.step_weights(x, np.ones((2, 4)))', ((4,),)),
        arrays('sample_helpers.step_weights(x, np.ones((4, 2)), 0)', ((4, 2),))),
    sample_helpers.unstep_weights: (
        arrays('sample_helpers.unstep_weights(x, np.ones(4), np.ones((2, 4)))', ((1, 4),)),
        arrays('sample_helpers.unstep_weights(x, np.ones((4, 2)), np.ones((4, 2)), 0)',
               ((4, 2),))),
    sample_helpers.spacing_weights: (
        arrays('sample_helpers.spacing_weights(x, np.ones((4, 2)), None, 0)', ((),)),
        arrays('sample_helpers.spacing_weights(x, np.ones(3))', ((),))),
    sample_helpers.interp_basis: (
        arrays('sample_helpers.interp_basis(x, y, [-1.0, 0.0, 1.5])', ((3,), (4,)), ((3,), ())),
        arrays('sample_helpers.interp_basis(x, y, [-1.0, 0.0, 1.5], 1.0, None)', ((3,), (2, 3)))),
    sample_helpers.interp_grad: (
        arrays('sample_helpers.interp_grad(x, y, [-1.0, 0.0, 1.5])', ((4,), (4,)), ((), ())),
        arrays('sample_helpers.interp_grad(x, y, [-1.0, 0.5, 1.0], None, 2.0)', M23 * 2)),
    sample_helpers.interp_slope: arrays('sample_helpers.interp_slope(x, [-1.0, 0.0, 1.5], y)',
                                        ((4,), (3,)), ((), (3,))),
    sample_helpers.interp_unslope: arrays('sample_helpers.interp_unslope(x, y, [-1.0, 0.0, 1.5])',
                                          ((4,), (4,)), ((2, 3), (2, 3))),
    sample_helpers.convolution_full: (
        arrays('sample_helpers.convolution_full(x, np.ones(5), np.ones(3), "same")', ((5,),)),
        arrays('sample_helpers.convolution_full(x, np.ones(2), np.ones(4), "valid")', ((3,),)),
        arrays('sample_helpers.convolution_full(x, np.ones(2), np.ones(4))', ((5,),))),
    sample_helpers.convolution_window: (
        arrays('sample_helpers.convolution_window(x, np.ones(5), np.ones(3), "same")', ((7,),)),
        arrays('sample_helpers.convolution_window(x, np.ones(5), np.ones(3), 0)', ((7,),))),
    sample_helpers.polyval_grad: arrays('sample_helpers.polyval_grad(x, y, np.ones(4))', M23 * 2,
                                        ((), ())),
    sample_helpers.unpolyder: arrays('sample_helpers.unpolyder(x, np.ones(4))', ((3,),)),
    numpy_helpers.shaped_as: (arrays('numpy_helpers.shaped_as(x, np.ones((2, 3)))', ((6,),)),
                              arrays('numpy_helpers.shaped_as(x, 1.5)', ((1, 1),))),
    numpy_helpers.meshgrid_grad: (
        arrays('numpy_helpers.meshgrid_grad([x, y], np.ones(3), 0)', M23 * 2),
        arrays('numpy_helpers.meshgrid_grad([x, y], np.ones(2), 1)', M23 * 2),
        arrays('numpy_helpers.meshgrid_grad([x, y, x], np.ones(2), 2, "ij")', ((2, 3, 2),) * 2)),
    numpy_helpers.meshgrid_part: (
        arrays('np.stack(numpy_helpers.meshgrid_part(x, [np.ones((2, 3)), np.ones((2, 3))], 0))',
               ((3,),)),
        arrays('np.stack(numpy_helpers.meshgrid_part(x, [np.ones((2, 3))] * 2, 1, "ij"))',
               ((3,),)),
        arrays('numpy_helpers.meshgrid_part(x, [np.ones((2, 3)), np.ones((2, 3))], 1)[1]',
               ((2,),))),
}

MORE_NUMPY_CHECKS = {**MORE_ELEMENTWISE_CHECKS, **SCAN_CHECKS, **MOVE_CHECKS, **INDEX_CHECKS,
                     **METHOD_CHECKS, **MORE_HELPER_CHECKS, **BREADTH_ELEMENTWISE_CHECKS,
                     **BREADTH_SHAPE_CHECKS, **BREADTH_CHECKS, **BREADTH_HELPER_CHECKS,
                     **SAMPLE_CHECKS, **SAMPLE_HELPER_CHECKS}

# Each non-differentiable primitive, used next to `3.0 * x`: the gradient must be 3.0.
MORE_NUMPY_NONDIFFERENTIABLE = {
    np.imag: 'np.imag(x)',
    numpy_helpers.padding_of: 'np.sum(numpy_helpers.padding_of(np.array([x]), 1))',
    np.angle: 'np.angle(x)',
    numpy_helpers.nan_loses: 'numpy_helpers.nan_loses(x, np.nan)',
    numpy_helpers.choice_index: 'np.sum(numpy_helpers.choice_index([x > 0.5, x < 0.0]))',
    numpy_helpers.placed_order: 'np.sum(numpy_helpers.placed_order(np.array([x, 0.5]), '
                                'np.array([0.5, x])))',
    numpy_helpers.rolled_axis_position: 'numpy_helpers.rolled_axis_position('
                                        'x * np.ones((2, 2)), 1)',
    numpy_helpers.not_differentiated: 'numpy_helpers.not_differentiated("f", "x", x > 5.0)',
    numpy_helpers.distinct_order: 'np.sum(numpy_helpers.distinct_order(np.array([x, 2.5]), '
                                  'np.sort(np.array([x, 2.5]))))',
    sample_helpers.degrees_of_freedom: 'sample_helpers.degrees_of_freedom(x * np.ones((2, 3)))',
}
