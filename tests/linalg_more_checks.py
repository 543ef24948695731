"""Registry-sweep checks for the factorizations of `np.linalg` (cholesky, eigh, svd,
slogdet, pinv, qr), `lstsq`, `matrix_power`, `multi_dot`, every order of
`np.linalg.norm`, `np.fft`'s shifts and `irfft`, `math`'s special functions, and
their runtime helpers (the `Check` tables of rules_checks.py and numpy_checks.py,
continued).

Functions of several results (`np.linalg.eigh`, `np.linalg.svd`) are checked
through each result, and through all of them together. np.linalg.cholesky and
np.linalg.eigh read the lower triangle of a matrix of `MATRIX` (diagonally
dominant, so positive definite), which need not be symmetric: the elements above
the diagonal get cotangent 0, as finite differences say.
"""

import math

import numpy as np

from adjoint.rules import linalg_helpers, numpy_helpers
from tests.numpy_checks import HELPER_CHECKS, LINALG_CHECKS
from tests.rules_checks import (MATRIX, NONZERO, POSITIVE, PYTHON_CHECKS, REAL, Check, Domain,
                                arrays, binary, unary)

NEGATIVE = Domain(-2.8, -2.2)  # gamma between its poles at -3 and -2
MATRICES = ((3, 3),), ((2, 3, 3),)
TALL = ((4, 2),), ((2, 3, 2),)
WIDE = (((2, 4),),)
_SVD = 'np.linalg.svd(x, full_matrices=False)'

_NORMS = (
    arrays('np.linalg.norm(x, np.inf)', ((4,),), domains=(NONZERO,)),
    arrays('np.linalg.norm(x, -np.inf, axis=0)', ((3, 2),), domains=(NONZERO,)),
    arrays('np.linalg.norm(x, 3)', ((4,),)),
    arrays('np.linalg.norm(x, 1.5, axis=-1, keepdims=True)', ((2, 3),), domains=(NONZERO,)),
    arrays('np.linalg.norm(x, 2.0, axis=1)', ((2, 3),)),
    arrays('np.linalg.norm(x, 1)', ((3, 4),)),
    arrays('np.linalg.norm(x, -1, axis=(2, 0))', ((3, 2, 4),)),
    arrays('np.linalg.norm(x, np.inf)', ((3, 4),)),
    arrays('np.linalg.norm(x, -np.inf, axis=(0, 1), keepdims=True)', ((4, 3, 2),)),
    arrays('np.linalg.norm(x, "nuc")', ((3, 4),), ((4, 3),)),
    arrays('np.linalg.norm(x, 2)', ((3, 3),), ((4, 2),)),
    arrays('np.linalg.norm(x, -2, axis=(2, 1))', ((2, 3, 4),)),
    arrays('np.linalg.norm(x, "nuc", (0, 2), True)', ((3, 2, 4),)),
)

MORE_LINALG_CHECKS = {
    # math
    math.erf: unary('math.erf(x)', arrays=False),
    math.erfc: unary('math.erfc(x)', arrays=False),
    math.gamma: (unary('math.gamma(x)', POSITIVE, arrays=False),
                 Check('math.gamma(x)', (NEGATIVE,), ints=())),
    math.lgamma: (unary('math.lgamma(x)', POSITIVE, arrays=False),
                  Check('math.lgamma(x)', (NEGATIVE,), ints=())),
    math.expm1: unary('math.expm1(x)', arrays=False),
    math.fsum: (binary('math.fsum([x, y, x * y])', arrays=False),
                arrays('math.fsum(x)', ((4,),))),
    math.hypot: (PYTHON_CHECKS[math.hypot], unary('math.hypot(x)', NONZERO, arrays=False),
                 Check('math.hypot(x, y, z)', (REAL, REAL, REAL))),
    # np.linalg
    np.linalg.cholesky: arrays('np.linalg.cholesky(x)', *MATRICES, domains=(MATRIX,)),
    np.linalg.eigh: (arrays('np.linalg.eigh(x)[0]', *MATRICES, domains=(MATRIX,)),
                     arrays('np.linalg.eigh(x)[1]', *MATRICES, domains=(MATRIX,)),
                     arrays('np.linalg.eigh(x, "U")[1] * np.linalg.eigh(x, UPLO="U")[0]',
                            ((3, 3),), domains=(MATRIX,))),
    np.linalg.eigvalsh: (arrays('np.linalg.eigvalsh(x)', *MATRICES, domains=(MATRIX,)),
                         arrays('np.linalg.eigvalsh(x, UPLO="U")', ((3, 3),), domains=(MATRIX,))),
    np.linalg.svd: (arrays('np.linalg.svd(x, compute_uv=False)', *MATRICES, *TALL, *WIDE,
                           domains=(MATRIX,)),
                    arrays(f'{_SVD}[0]', *TALL, *WIDE),
                    arrays(f'{_SVD}[1]', *TALL),
                    arrays(f'{_SVD}[2]', *TALL, *WIDE),
                    arrays('np.linalg.svd(x)[0] * np.linalg.svd(x)[2]', *MATRICES,
                           domains=(MATRIX,))),
    np.linalg.slogdet: (arrays('np.linalg.slogdet(x)[1]', *MATRICES, domains=(MATRIX,)),
                        arrays('np.linalg.slogdet(x)[0] * np.linalg.slogdet(x)[1]', ((3, 3),),
                               domains=(Domain(-1.0, 1.0, diagonal=-4.0),))),
    np.linalg.pinv: (arrays('np.linalg.pinv(x)', *TALL, *WIDE),
                     arrays('np.linalg.pinv(x, 1e-10)', *MATRICES, domains=(MATRIX,))),
    np.linalg.norm: LINALG_CHECKS[np.linalg.norm] + _NORMS,
    np.linalg.qr: (arrays('np.linalg.qr(x)[0]', ((4, 3),), *MATRICES, *TALL),
                   arrays('np.linalg.qr(x)[1]', ((4, 3),), *MATRICES, *TALL),
                   arrays('np.linalg.qr(x)[0] * np.linalg.qr(x, mode="reduced")[1][0]', ((4, 3),))),
    # Of full rank: tall (residuals), square and wide (none). The singular values s have
    # first derivatives only: they are checked in test_linalg_more.py.
    np.linalg.lstsq: (arrays('np.linalg.lstsq(x, y)[0]', ((4, 2), (4,)), ((4, 2), (4, 3)),
                             ((2, 4), (2,)), ((3, 3), (3,)), domains=(MATRIX, REAL)),
                      arrays('np.linalg.lstsq(x, y)[1]', ((4, 2), (4,)), ((4, 2), (4, 3)),
                             ((2, 4), (2,))),
                      arrays('np.linalg.lstsq(x, y, None)[0] * np.sum(np.linalg.lstsq(x, y)[1])',
                             ((4, 2), (4, 2)))),
    np.linalg.matrix_power: (arrays('np.linalg.matrix_power(x, 3)', *MATRICES),
                             arrays('np.linalg.matrix_power(x, 1)', ((3, 3),)),
                             arrays('np.linalg.matrix_power(x, n=0) * x', ((3, 3),)),
                             arrays('np.linalg.matrix_power(x, -2)', *MATRICES, domains=(MATRIX,))),
    np.linalg.multi_dot: (arrays('np.linalg.multi_dot([x, y, z])', ((2, 3), (3, 4), (4, 2)),
                                 ((3,), (3, 4), (4,)), ((3,), (3, 2), (2, 3))),
                          arrays('np.linalg.multi_dot([x, y])', ((2, 3), (3,)), ((3,), (3,))),
                          arrays('np.linalg.multi_dot((x, y, y.T, x.T))', ((2, 3), (3, 3)))),
    # np.fft
    np.fft.fftshift: (arrays('np.fft.fftshift(x)', ((5,),), ((2, 3),)),
                      arrays('np.fft.fftshift(x, axes=1)', ((2, 5),)),
                      arrays('np.fft.fftshift(x, (0, -1))', ((3, 2, 4),))),
    np.fft.ifftshift: (arrays('np.fft.ifftshift(x)', ((5,),), ((2, 3),)),
                       arrays('np.fft.ifftshift(x, axes=(1,))', ((2, 5),))),
    np.fft.irfft: (arrays('np.fft.irfft(x)', ((5,),), ((2, 4),)),
                   arrays('np.fft.irfft(x, 7)', ((4,),)),
                   arrays('np.fft.irfft(x, 4, axis=0, norm="ortho")', ((5, 2),)),
                   arrays('np.fft.irfft(x, n=9, norm="forward")', ((3,),))),
}

MORE_HELPER_CHECKS = {
    numpy_helpers.polygamma: (unary('numpy_helpers.polygamma(x)', POSITIVE, arrays=False),
                              Check('numpy_helpers.polygamma(x, 1)', (NEGATIVE,), ints=()),
                              Check('numpy_helpers.polygamma(x, 3)', (POSITIVE,), ints=())),
    linalg_helpers.norm_direction: (
        arrays('linalg_helpers.norm_direction(x, y)', ((3,), ()), ((2, 3), ()),
               domains=(REAL, POSITIVE)),
        arrays('linalg_helpers.norm_direction(x, y, None, 1)', ((2, 3), (2,)),
               domains=(REAL, POSITIVE)),
        arrays('linalg_helpers.norm_direction(x, y, 1)', ((3,), ()), domains=(NONZERO, POSITIVE)),
        arrays('linalg_helpers.norm_direction(x, y, 3, 0, True)', ((3, 2), (1, 2)),
               domains=(REAL, POSITIVE)),
        arrays('linalg_helpers.norm_direction(x, np.linalg.norm(x, np.inf), np.inf)', ((4,),),
               domains=(NONZERO,)),
        arrays('linalg_helpers.norm_direction(x, np.linalg.norm(x, 1), 1)', ((3, 2),),
               domains=(NONZERO,)),
        arrays('linalg_helpers.norm_direction(x, y, "fro", (0, 1), True)',
               ((2, 3, 2), (1, 1, 2)), domains=(REAL, POSITIVE))),
    linalg_helpers.spectral_hessian: (
        arrays('linalg_helpers.spectral_hessian(x, np.arange(12.0).reshape(3, 4) ** 1.5, "nuc")',
               ((3, 4),)),
        arrays('linalg_helpers.spectral_hessian(x, np.arange(8.0).reshape(4, 2) ** 1.5, -2)',
               ((4, 2),)),
        arrays('linalg_helpers.spectral_hessian(x, np.arange(9.0).reshape(3, 3) ** 1.5, 2) + x',
               ((3, 3),)),
        arrays('linalg_helpers.spectral_hessian(x, y, 3) + x', ((3,), (3,)))),
    linalg_helpers.distinct_gaps: arrays('linalg_helpers.distinct_gaps(x)', ((3,),),
                                         ((2, 4),)),
    linalg_helpers.inverse_singular: arrays('linalg_helpers.inverse_singular(x)', ((3,),),
                                            ((2, 3),), domains=(POSITIVE,)),
    linalg_helpers.svd_factors: (
        arrays('linalg_helpers.svd_factors(x, False)[0]', ((4, 2),)),
        arrays('linalg_helpers.svd_factors(x, False, False, False, np.ones(2))[1]', ((2, 4),)),
        arrays('linalg_helpers.svd_factors(x, True, True, False, np.linalg.svd(x))[2]', ((3, 3),),
               domains=(MATRIX,))),
    linalg_helpers.svd_cotangents: (
        arrays('linalg_helpers.svd_cotangents([x, y, x], [x, y, x])[1]', ((2, 2), (2,))),
        arrays('np.stack(linalg_helpers.svd_cotangents(y, [x, y, x]))', ((2,), (2,)))),
    linalg_helpers.svd_like: (
        arrays('linalg_helpers.svd_like([x, y, x], [x, y, x])[0]', ((2, 2), (2,))),
        arrays('linalg_helpers.svd_like([x, y, x], y)', ((2, 2), (2,)))),
    linalg_helpers.full_rank_pinv: arrays('linalg_helpers.full_rank_pinv(x, y)', ((2, 3), (3, 2))),
    numpy_helpers.irfft_grad: (
        arrays('numpy_helpers.irfft_grad(x, np.ones(5))', ((8,),)),
        arrays('numpy_helpers.irfft_grad(x, np.ones((2, 3)), 5, 0, "ortho")', ((5, 3),)),
        arrays('numpy_helpers.irfft_grad(x, np.ones(6), 4, -1, "forward")', ((4,),))),
}

FACTOR_HELPER_CHECKS = {
    linalg_helpers.full_rank_qr: (
        arrays('linalg_helpers.full_rank_qr([x, y], np.ones((3, 2)))[0]', ((3, 2), (2, 2))),
        arrays('linalg_helpers.full_rank_qr((x, y), np.ones((3, 2)), "reduced")[1]',
               ((3, 2), (2, 2)))),
    linalg_helpers.full_rank_lstsq: arrays(
        'linalg_helpers.full_rank_lstsq([x, y, 2, y], np.ones((3, 2)))[0]', ((2,), (1,))),
    linalg_helpers.residual_weights: (
        arrays('linalg_helpers.residual_weights(x, np.ones(3))', ((3,),)),
        arrays('linalg_helpers.residual_weights(x, 1.0)', ((1,),))),
    linalg_helpers.residuals_like: (
        arrays('linalg_helpers.residuals_like(x, np.ones(3))', ((3,),)),
        arrays('linalg_helpers.residuals_like(x, np.ones(1))', ((),)),
        arrays('linalg_helpers.residuals_like(x, np.ones(0)) + 1.0', ((3,),))),
    # Its derivative in a where gs is 0 only: the others raise (test_linalg_more.py).
    linalg_helpers.singular_cotangent: (
        arrays('linalg_helpers.singular_cotangent(np.zeros(2), x)', ((3, 2),), ((2, 3),)),
        arrays('linalg_helpers.singular_cotangent(x, np.diag([3.0, 2.0, 1.0])[:, :2])', ((2,),))),
    linalg_helpers.singular_tangent: arrays(
        'linalg_helpers.singular_tangent(x, np.diag([3.0, 2.0, 1.0])[:, :2])', ((3, 2),)),
    linalg_helpers.diagonal_blocks: arrays('linalg_helpers.diagonal_blocks(x)', ((2, 2),),
                                           ((2, 3, 3),)),
    linalg_helpers.diagonal_sum: arrays('linalg_helpers.diagonal_sum(x)', ((4, 4),), ((2, 6, 6),)),
    linalg_helpers.corner_block: arrays('linalg_helpers.corner_block(x)', ((2, 2),), ((2, 3, 3),)),
    linalg_helpers.corner: arrays('linalg_helpers.corner(x)', ((4, 4),), ((2, 6, 6),)),
    linalg_helpers.chain_matrix: arrays('linalg_helpers.chain_matrix([x, y], [x, y])',
                                        ((2, 3), (3,)), ((3,), (3, 2))),
    linalg_helpers.unchain: (
        arrays('linalg_helpers.unchain(x, [np.ones((2, 3)), np.ones(3)])[0]', ((6, 6),)),
        arrays('linalg_helpers.unchain(x, (np.ones(2), np.ones((2, 3)), np.ones(3)))[1]',
               ((7, 7),))),
}

MORE_LINALG_CHECKS.update(MORE_HELPER_CHECKS)
MORE_LINALG_CHECKS.update(FACTOR_HELPER_CHECKS)

MORE_NONDIFFERENTIABLE = {
    linalg_helpers.norm_exponent: 'linalg_helpers.norm_exponent(3, np.array([x, 1.0]))',
    linalg_helpers.triangle_weights: 'np.sum(linalg_helpers.triangle_weights(np.array([[x]])))',
    linalg_helpers.no_spectral_third_derivative:
        'np.sum(linalg_helpers.no_spectral_third_derivative(np.array([x, 1.0]), 2))',
    linalg_helpers.chain_end: 'np.sum(linalg_helpers.chain_end([x * np.ones(2), np.ones(2)]))',
    linalg_helpers.chain_shape: 'len(linalg_helpers.chain_shape([x * np.ones(2), '
                                'np.ones((2, 2))]))',
    linalg_helpers.singular_unused: 'np.sum(linalg_helpers.singular_unused(x * 0.0, np.ones(2)))',
}

assert not (set(MORE_HELPER_CHECKS) | set(FACTOR_HELPER_CHECKS)) & set(HELPER_CHECKS)
