"""Rules for `scipy.signal.convolve`, an optional extra, as autograd has it.

Imported by `registry.load_optional_rules` once the program has imported
scipy.signal, never by `import adjoint` itself. The N-d convolution is
bilinear: `convolve(a, v, mode)` is the window that `mode` keeps of the full
convolution, so its cotangent in `a` is the full cotangent (`signal_full`
puts `g` in that window) correlated with `v` — `convolve(full, flip(v),
'valid')`, shaped like `a` — and the same in `v`. The two helpers are each
other's adjoints, so the rules serve derivatives of any order.
"""

import numpy as np
import scipy.signal

from adjoint.rules.numpy_kinds import float_array, float_arrays
from adjoint.rules.registry import jvp_rule, vjp_rule, zero_role


def _window(a, v, mode):
    """The slices, one per axis, of `scipy.signal.convolve(a, v, mode)` in the full
    convolution (SciPy's `_centered` for 'same', its swap for 'valid')."""
    slices = []
    for n, m in zip(np.shape(a), np.shape(v)):
        if mode == 'full':
            start, length = 0, n + m - 1
        elif mode == 'valid':
            start, length = min(n, m) - 1, abs(n - m) + 1
        elif mode == 'same':
            start, length = (m - 1) // 2, n
        else:
            raise ValueError(f"scipy.signal.convolve: mode={mode!r}; give 'full', 'valid' or "
                             f"'same'")
        slices.append(slice(start, start + length))
    return tuple(slices)


def signal_full(g, a, v, mode='full'):
    """`g`, shaped like `scipy.signal.convolve(a, v, mode)`, placed in zeros shaped
    like the full convolution, where `mode` cut it from."""
    out = np.zeros(tuple(n + m - 1 for n, m in zip(np.shape(a), np.shape(v))))
    out[_window(a, v, mode)] = g
    return out


def signal_window(f, a, v, mode='full'):
    """The part of `f`, shaped like the full convolution of `a` and `v`, that `mode`
    keeps (a copy): the adjoint of `signal_full`."""
    return np.array(f[_window(a, v, mode)])


@vjp_rule(scipy.signal.convolve, kind=float_arrays)
def convolve_vjp(g, ans, in1, in2, mode='full', method='auto'):
    full = signal_full(g, in1, in2, mode)
    return (scipy.signal.convolve(full, np.flip(in2), 'valid', method),
            scipy.signal.convolve(full, np.flip(in1), 'valid', method), None, None)


@jvp_rule(scipy.signal.convolve)
def convolve_jvp(din1, din2, ans, in1, in2, mode='full', method='auto'):
    return scipy.signal.convolve(din1, in2, mode, method) + \
        scipy.signal.convolve(in1, din2, mode, method)


@vjp_rule(signal_full, kind=float_array)
def signal_full_vjp(gg, ans, g, a, v, mode='full'):
    return (signal_window(gg, a, v, mode), None, None, None)


@jvp_rule(signal_full)
def signal_full_jvp(dg, ans, g, a, v, mode='full'):
    return signal_full(dg, a, v, mode)


@vjp_rule(signal_window, kind=float_array)
def signal_window_vjp(gg, ans, f, a, v, mode='full'):
    return (signal_full(gg, a, v, mode), None, None, None)


@jvp_rule(signal_window)
def signal_window_jvp(df, ans, f, a, v, mode='full'):
    return signal_window(df, a, v, mode)


zero_role((0, 1), scipy.signal.convolve)
zero_role((0,), signal_full, signal_window)
