"""Rules for `np.fft` on real arrays: the shifts, and `irfft` of a real spectrum.

adjoint's cotangents are real numbers, and its rules for `np.abs`, `*` and the
rest are those of real arrays; a complex intermediate would need rules that know
the conjugate (JAX's convention: the cotangent of `z` is the conjugate of
d f / d z, for real f), and a real part where a cotangent reaches a real value.
So the transforms that turn a real array into a complex one (`np.fft.fft`,
`ifft`, `rfft` and their n-dimensional forms) are declared unsupported: a
differentiated value flowing into one is an error that says so, never a wrong
number. What is real throughout is differentiated exactly:

- `np.fft.fftshift`, `np.fft.ifftshift`: permutations, each the other's adjoint;
- `np.fft.irfft` of a real array: a real linear map, whose transpose is the real
  part of `np.fft.rfft` with weights (`irfft_grad`). Of a complex array it raises.
"""

import numpy as np

from adjoint.rules.numpy_helpers import irfft_grad
from adjoint.rules.numpy_kinds import float_array
from adjoint.rules.registry import jvp_rule, unsupported, vjp_rule


@vjp_rule(np.fft.fftshift, kind=float_array)
def fftshift_vjp(g, ans, x, axes=None):
    return (np.fft.ifftshift(g, axes),)


@jvp_rule(np.fft.fftshift)
def fftshift_jvp(dx, ans, x, axes=None):
    return np.fft.fftshift(dx, axes)


@vjp_rule(np.fft.ifftshift, kind=float_array)
def ifftshift_vjp(g, ans, x, axes=None):
    return (np.fft.fftshift(g, axes),)


@jvp_rule(np.fft.ifftshift)
def ifftshift_jvp(dx, ans, x, axes=None):
    return np.fft.ifftshift(dx, axes)


@vjp_rule(np.fft.irfft, kind=float_array)
def irfft_vjp(g, ans, a, n=None, axis=-1, norm=None):
    # irfft_grad raises for a complex `a`.
    return (irfft_grad(g, a, n, axis, norm), None, None, None)


@jvp_rule(np.fft.irfft)
def irfft_jvp(da, ans, a, n=None, axis=-1, norm=None):
    return np.fft.irfft(da, n, axis, norm)


_COMPLEX = (
    'its result is complex, and adjoint does not differentiate through complex '
    'intermediates yet (its cotangents are real, its rules those of real numbers). '
    'Write the transform in real arithmetic: for x of length n, with '
    'k = np.arange(n) and angles = 2 * np.pi * np.outer(k, k) / n, np.fft.fft(x) '
    'has real part np.cos(angles) @ x and imaginary part -np.sin(angles) @ x. '
    'np.fft.irfft of a real array, np.fft.fftshift and np.fft.ifftshift are supported')

unsupported(_COMPLEX, np.fft.fft, np.fft.ifft, np.fft.rfft, np.fft.fft2, np.fft.ifft2,
            np.fft.fftn, np.fft.ifftn, np.fft.rfft2, np.fft.rfftn, np.fft.ihfft)
