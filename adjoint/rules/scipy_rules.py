"""Rules for SciPy's special functions (`scipy.special`), an optional extra.

Imported by `registry.load_optional_rules` once the program has imported
scipy.special, never by `import adjoint` itself: SciPy is not a dependency.
Each derivative is written with functions that have rules themselves, so second
derivatives work: `gammaln`'s is `digamma` (`psi`), whose own is `polygamma(1,
x)`, whose own is `polygamma(2, x)`, and so on; `logsumexp`'s are the softmax
weights `logsumexp_weights`, whose rules use it again.
"""

import math

import numpy as np
import scipy.special

from adjoint.rules.numpy_helpers import keep_dims, not_differentiated
from adjoint.rules.numpy_kinds import FLOATS, array_like_first
from adjoint.rules.registry import elementwise, jvp_rule, nondifferentiable, vjp_rule
from transforms.core.errors import AdjointError

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)  # erf'(x) = 2 / sqrt(pi) * exp(-x^2)


# ---------------------------------------------------------------- gamma functions


@vjp_rule(scipy.special.gammaln, elementwise=True, kind=elementwise)
def gammaln_vjp(g, ans, x):
    # gammaln is log |gamma|: its derivative is digamma for negative x too.
    return (g * scipy.special.digamma(x),)


@jvp_rule(scipy.special.gammaln)
def gammaln_jvp(dx, ans, x):
    return dx * scipy.special.digamma(x)


# polygamma returns a 0-d array for a number: `[()]` makes it a number (an array
# stays itself), so that the derivative of a float is a float.


@vjp_rule(scipy.special.digamma, elementwise=True, kind=elementwise)  # also scipy.special.psi
def digamma_vjp(g, ans, x):
    return (g * scipy.special.polygamma(1, x)[()],)


@jvp_rule(scipy.special.digamma)
def digamma_jvp(dx, ans, x):
    return dx * scipy.special.polygamma(1, x)[()]


@vjp_rule(scipy.special.polygamma, broadcasts=True, elementwise=True, kind=elementwise)
def polygamma_vjp(g, ans, n, x):
    # The order n is an integer: no derivative.
    return (None, g * scipy.special.polygamma(n + 1, x)[()])


@jvp_rule(scipy.special.polygamma)
def polygamma_jvp(dx, ans, n, x):
    return dx * scipy.special.polygamma(n + 1, x)[()]


# ---------------------------------------------------------------- error functions


@vjp_rule(scipy.special.erf, elementwise=True, kind=elementwise)
def erf_vjp(g, ans, x):
    return (g * _TWO_OVER_SQRT_PI * np.exp(-x * x),)


@jvp_rule(scipy.special.erf)
def erf_jvp(dx, ans, x):
    return dx * _TWO_OVER_SQRT_PI * np.exp(-x * x)


@vjp_rule(scipy.special.erfc, elementwise=True, kind=elementwise)
def erfc_vjp(g, ans, x):
    return (-g * _TWO_OVER_SQRT_PI * np.exp(-x * x),)


@jvp_rule(scipy.special.erfc)
def erfc_jvp(dx, ans, x):
    return -dx * _TWO_OVER_SQRT_PI * np.exp(-x * x)


_ONE_OVER_SQRT_TWO_PI = 1.0 / math.sqrt(2.0 * math.pi)  # the standard normal density at 0


@vjp_rule(scipy.special.ndtr, elementwise=True, kind=elementwise)
def ndtr_vjp(g, ans, x):
    # The standard normal distribution function: its derivative is the density.
    return (g * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * x * x),)


@jvp_rule(scipy.special.ndtr)
def ndtr_jvp(dx, ans, x):
    return dx * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * x * x)


@vjp_rule(scipy.special.log_ndtr, elementwise=True, kind=elementwise)
def log_ndtr_vjp(g, ans, x):
    # density / distribution as exp(log density - ans): no 0 / 0 far in the left tail.
    return (g * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * x * x - ans),)


@jvp_rule(scipy.special.log_ndtr)
def log_ndtr_jvp(dx, ans, x):
    return dx * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * x * x - ans)


# ---------------------------------------------------------------- logistic functions


@vjp_rule(scipy.special.expit, elementwise=True, kind=elementwise)
def expit_vjp(g, ans, x):
    return (g * ans * (1.0 - ans),)


@jvp_rule(scipy.special.expit)
def expit_jvp(dx, ans, x):
    return dx * ans * (1.0 - ans)


@vjp_rule(scipy.special.logit, elementwise=True, kind=elementwise)
def logit_vjp(g, ans, x):
    return (g / (x * (1.0 - x)),)


@jvp_rule(scipy.special.logit)
def logit_jvp(dx, ans, x):
    return dx / (x * (1.0 - x))


# ---------------------------------------------------------------- x log y


@vjp_rule(scipy.special.xlogy, broadcasts=True, elementwise=True, kind=elementwise)
def xlogy_vjp(g, ans, x, y):
    # xlogy(0, y) is 0 for every y: its derivative in y is 0 where x is 0, also
    # at y = 0 (x / y would be NaN); in x it is log(y), -inf at y = 0 (as JAX's).
    return (g * np.log(y), g * x / (y + (x == 0)))


@jvp_rule(scipy.special.xlogy)
def xlogy_jvp(dx, dy, ans, x, y):
    return dx * np.log(y) + dy * x / (y + (x == 0))


@vjp_rule(scipy.special.xlog1py, broadcasts=True, elementwise=True, kind=elementwise)
def xlog1py_vjp(g, ans, x, y):
    # As xlogy, at y = -1.
    return (g * np.log1p(y), g * x / (1.0 + y + (x == 0)))


@jvp_rule(scipy.special.xlog1py)
def xlog1py_jvp(dx, dy, ans, x, y):
    return dx * np.log1p(y) + dy * x / (1.0 + y + (x == 0))


# ---------------------------------------------------------------- logsumexp


def logsumexp_weights(a, lse, axis=None, b=None, keepdims=False, return_sign=False):
    """The derivative of `lse = scipy.special.logsumexp(a, axis, b, keepdims)` in
    `a`: the weights `b * exp(a - lse)` (a softmax), shaped like `a`; with `b`
    None, `exp(a - lse)`, its derivative in `b`.

    Raises:
        AdjointError: for `return_sign=True`, whose result is a pair.
    """
    if return_sign:
        raise AdjointError('the derivative of scipy.special.logsumexp with '
                           'return_sign=True is not supported: its result is a pair of '
                           'arrays; differentiate logsumexp(a, b=b) where sum(b * exp(a)) > 0')
    share = np.exp(a - keep_dims(lse, a, axis, keepdims))
    return share if b is None else b * share


def _reduced(args, kwargs):
    """`logsumexp`: a float where it reduces every axis of a float, else unknown
    (`keepdims=True` and `axis` keep an array)."""
    if len(args) == 1 and args[0] in FLOATS | {'int'} and \
            not {'axis', 'keepdims', 'return_sign'} & set(kwargs):
        return 'float'
    return None


@vjp_rule(scipy.special.logsumexp, broadcasts=True, kind=_reduced)
def logsumexp_vjp(g, ans, a, axis=None, b=None, keepdims=False, return_sign=False):
    # The weights first: they raise for return_sign=True, whose `g` is a pair. `b`
    # broadcasts against `a`: its cotangent is summed back (broadcasts=True).
    share = logsumexp_weights(a, ans, axis, b, keepdims, return_sign)
    unscaled = logsumexp_weights(a, ans, axis, None, keepdims, return_sign)
    kept = keep_dims(g, a, axis, keepdims)
    return (kept * share, None, kept * unscaled, None, None)


@jvp_rule(scipy.special.logsumexp)
def logsumexp_jvp(da, db, ans, a, axis=None, b=None, keepdims=False, return_sign=False):
    return np.sum(da * logsumexp_weights(a, ans, axis, b, keepdims, return_sign)
                  + db * logsumexp_weights(a, ans, axis, None, keepdims, return_sign),
                  axis=axis, keepdims=keepdims)


def _like_first(args, kwargs):
    return args[0] if args[:1] and args[0] in FLOATS - {'float'} else None


@vjp_rule(logsumexp_weights, broadcasts=True, kind=_like_first)
def logsumexp_weights_vjp(gg, ans, a, lse, axis=None, b=None, keepdims=False,
                          return_sign=False):
    # ans = b * exp(a - lse): elementwise in a and b; lse is reduced over `axis`.
    return (gg * ans, -np.sum(gg * ans, axis=axis, keepdims=keepdims), None,
            gg * logsumexp_weights(a, lse, axis, None, keepdims, return_sign), None, None)


@jvp_rule(logsumexp_weights)
def logsumexp_weights_jvp(da, dlse, db, ans, a, lse, axis=None, b=None, keepdims=False,
                          return_sign=False):
    return (ans * (da - keep_dims(dlse, a, axis, keepdims))
            + db * logsumexp_weights(a, lse, axis, None, keepdims, return_sign))



# ---------------------------------------------------------------- more special functions
#
# Each derivative is written with functions that have rules (i1's with i0 and i1,
# i0e's with i1e...), so second derivatives work too.

_SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0  # 1 / erf'(0)
_SQRT_TWO_PI = math.sqrt(2.0 * math.pi)


@vjp_rule(scipy.special.i0, elementwise=True, kind=elementwise)
def i0_vjp(g, ans, x):
    return (g * scipy.special.i1(x),)


@jvp_rule(scipy.special.i0)
def i0_jvp(dx, ans, x):
    return dx * scipy.special.i1(x)


@vjp_rule(scipy.special.i1, elementwise=True, kind=elementwise)
def i1_vjp(g, ans, x):
    # I1' = I0 - I1 / x, whose limit at 0 is 1 - 1/2.
    return (g * (scipy.special.i0(x) - np.where(x == 0, 0.5, ans / (x + (x == 0)))),)


@jvp_rule(scipy.special.i1)
def i1_jvp(dx, ans, x):
    return dx * (scipy.special.i0(x) - np.where(x == 0, 0.5, ans / (x + (x == 0))))


@vjp_rule(scipy.special.i0e, elementwise=True, kind=elementwise)
def i0e_vjp(g, ans, x):
    # i0e = exp(-|x|) I0: (I1 - sign(x) I0) exp(-|x|), without overflow.
    return (g * (scipy.special.i1e(x) - np.sign(x) * ans),)


@jvp_rule(scipy.special.i0e)
def i0e_jvp(dx, ans, x):
    return dx * (scipy.special.i1e(x) - np.sign(x) * ans)


@vjp_rule(scipy.special.i1e, elementwise=True, kind=elementwise)
def i1e_vjp(g, ans, x):
    # (I0 - I1 / x - sign(x) I1) exp(-|x|); I1 / x -> 1/2 at 0.
    return (g * (scipy.special.i0e(x) - np.where(x == 0, 0.5, ans / (x + (x == 0)))
                 - np.sign(x) * ans),)


@jvp_rule(scipy.special.i1e)
def i1e_jvp(dx, ans, x):
    return dx * (scipy.special.i0e(x) - np.where(x == 0, 0.5, ans / (x + (x == 0)))
                 - np.sign(x) * ans)


@vjp_rule(scipy.special.erfinv, elementwise=True, kind=elementwise)
def erfinv_vjp(g, ans, x):
    # 1 / erf'(ans): inf at -1 and 1.
    return (g * _SQRT_PI_OVER_TWO * np.exp(ans * ans),)


@jvp_rule(scipy.special.erfinv)
def erfinv_jvp(dx, ans, x):
    return dx * _SQRT_PI_OVER_TWO * np.exp(ans * ans)


@vjp_rule(scipy.special.erfcinv, elementwise=True, kind=elementwise)
def erfcinv_vjp(g, ans, x):
    return (-g * _SQRT_PI_OVER_TWO * np.exp(ans * ans),)


@jvp_rule(scipy.special.erfcinv)
def erfcinv_jvp(dx, ans, x):
    return -dx * _SQRT_PI_OVER_TWO * np.exp(ans * ans)


@vjp_rule(scipy.special.erfcx, elementwise=True, kind=elementwise)
def erfcx_vjp(g, ans, x):
    # erfcx = exp(x^2) erfc(x): 2 x erfcx(x) - 2 / sqrt(pi).
    return (g * (2.0 * x * ans - _TWO_OVER_SQRT_PI),)


@jvp_rule(scipy.special.erfcx)
def erfcx_jvp(dx, ans, x):
    return dx * (2.0 * x * ans - _TWO_OVER_SQRT_PI)


@vjp_rule(scipy.special.ndtri, elementwise=True, kind=elementwise)
def ndtri_vjp(g, ans, x):
    # The inverse of ndtr: 1 / density(ans).
    return (g * _SQRT_TWO_PI * np.exp(0.5 * ans * ans),)


@jvp_rule(scipy.special.ndtri)
def ndtri_jvp(dx, ans, x):
    return dx * _SQRT_TWO_PI * np.exp(0.5 * ans * ans)


@vjp_rule(scipy.special.expm1, elementwise=True, kind=elementwise)
def expm1_vjp(g, ans, x):
    return (g * (ans + 1.0),)


@jvp_rule(scipy.special.expm1)
def expm1_jvp(dx, ans, x):
    return dx * (ans + 1.0)


@vjp_rule(scipy.special.log1p, elementwise=True, kind=elementwise)
def log1p_vjp(g, ans, x):
    return (g / (1.0 + x),)


@jvp_rule(scipy.special.log1p)
def log1p_jvp(dx, ans, x):
    return dx / (1.0 + x)


@vjp_rule(scipy.special.gamma, elementwise=True, kind=elementwise)
def gamma_vjp(g, ans, x):
    return (g * ans * scipy.special.digamma(x),)


@jvp_rule(scipy.special.gamma)
def gamma_jvp(dx, ans, x):
    return dx * ans * scipy.special.digamma(x)


@vjp_rule(scipy.special.rgamma, elementwise=True, kind=elementwise)
def rgamma_vjp(g, ans, x):
    return (-g * ans * scipy.special.digamma(x),)


@jvp_rule(scipy.special.rgamma)
def rgamma_jvp(dx, ans, x):
    return -dx * ans * scipy.special.digamma(x)


@vjp_rule(scipy.special.beta, broadcasts=True, elementwise=True, kind=elementwise)
def beta_vjp(g, ans, a, b):
    both = scipy.special.digamma(a + b)
    return (g * ans * (scipy.special.digamma(a) - both),
            g * ans * (scipy.special.digamma(b) - both))


@jvp_rule(scipy.special.beta)
def beta_jvp(da, db, ans, a, b):
    both = scipy.special.digamma(a + b)
    return ans * (da * (scipy.special.digamma(a) - both) + db * (scipy.special.digamma(b) - both))


@vjp_rule(scipy.special.betaln, broadcasts=True, elementwise=True, kind=elementwise)
def betaln_vjp(g, ans, a, b):
    both = scipy.special.digamma(a + b)
    return (g * (scipy.special.digamma(a) - both), g * (scipy.special.digamma(b) - both))


@jvp_rule(scipy.special.betaln)
def betaln_jvp(da, db, ans, a, b):
    both = scipy.special.digamma(a + b)
    return da * (scipy.special.digamma(a) - both) + db * (scipy.special.digamma(b) - both)


def multigammaln_polygamma(n, a, d):
    """The sum of `polygamma(n, a - j / 2)` over j < d, element by element of `a`:
    the (n + 1)-th derivative of `scipy.special.multigammaln(a, d)`, a number for a
    number."""
    shifted = np.asarray(a, dtype=float)[..., None] - 0.5 * np.arange(d)
    return np.sum(scipy.special.polygamma(n, shifted), axis=-1)[()]


@vjp_rule(scipy.special.multigammaln, kind=elementwise)
def multigammaln_vjp(g, ans, a, d):
    # The sum of gammaln(a - j / 2), j < d (d, the dimension, is an int), element by
    # element of `a`.
    return (g * multigammaln_polygamma(0, a, d), None)


@jvp_rule(scipy.special.multigammaln)
def multigammaln_jvp(da, ans, a, d):
    return da * multigammaln_polygamma(0, a, d)


@vjp_rule(multigammaln_polygamma, kind=elementwise)
def multigammaln_polygamma_vjp(g, ans, n, a, d):
    return (None, g * multigammaln_polygamma(n + 1, a, d), None)


@jvp_rule(multigammaln_polygamma)
def multigammaln_polygamma_jvp(da, ans, n, a, d):
    return da * multigammaln_polygamma(n + 1, a, d)


# ---------------------------------------------------------------- Bessel functions
#
# In x, written with Bessel functions again (so to any order): J0' = -J1,
# J1' = J0 - J1 / x, and for an order v, Z_v' = (Z_{v-1} - Z_{v+1}) / 2 for J and Y,
# (I_{v-1} + I_{v+1}) / 2 for I (DLMF 10.6.1, 10.29.1). Not in the order v: its
# derivative is no Bessel function, and a zero would be wrong.


@vjp_rule(scipy.special.j0, elementwise=True, kind=elementwise)
def j0_vjp(g, ans, x):
    return (-g * scipy.special.j1(x),)


@jvp_rule(scipy.special.j0)
def j0_jvp(dx, ans, x):
    return -dx * scipy.special.j1(x)


@vjp_rule(scipy.special.j1, elementwise=True, kind=elementwise)
def j1_vjp(g, ans, x):
    # J1 / x -> 1/2 at 0.
    return (g * (scipy.special.j0(x) - np.where(x == 0, 0.5, ans / (x + (x == 0)))),)


@jvp_rule(scipy.special.j1)
def j1_jvp(dx, ans, x):
    return dx * (scipy.special.j0(x) - np.where(x == 0, 0.5, ans / (x + (x == 0))))


@vjp_rule(scipy.special.y0, elementwise=True, kind=elementwise)
def y0_vjp(g, ans, x):
    return (-g * scipy.special.y1(x),)


@jvp_rule(scipy.special.y0)
def y0_jvp(dx, ans, x):
    return -dx * scipy.special.y1(x)


@vjp_rule(scipy.special.y1, elementwise=True, kind=elementwise)
def y1_vjp(g, ans, x):
    # x > 0: Y1 has a pole at 0.
    return (g * (scipy.special.y0(x) - ans / x),)


@jvp_rule(scipy.special.y1)
def y1_jvp(dx, ans, x):
    return dx * (scipy.special.y0(x) - ans / x)


@vjp_rule(scipy.special.jv, broadcasts=True, elementwise=True, kind=elementwise)
def jv_vjp(g, ans, v, x, *, active_v=True):
    return (not_differentiated('scipy.special.jv', 'v', active_v),
            g * 0.5 * (scipy.special.jv(v - 1, x) - scipy.special.jv(v + 1, x)))


@jvp_rule(scipy.special.jv)
def jv_jvp(dv, dx, ans, v, x, *, active_v=True):
    return dx * 0.5 * (scipy.special.jv(v - 1, x) - scipy.special.jv(v + 1, x)) + \
        dv * not_differentiated('scipy.special.jv', 'v', active_v)


@vjp_rule(scipy.special.yv, broadcasts=True, elementwise=True, kind=elementwise)
def yv_vjp(g, ans, v, x, *, active_v=True):
    return (not_differentiated('scipy.special.yv', 'v', active_v),
            g * 0.5 * (scipy.special.yv(v - 1, x) - scipy.special.yv(v + 1, x)))


@jvp_rule(scipy.special.yv)
def yv_jvp(dv, dx, ans, v, x, *, active_v=True):
    return dx * 0.5 * (scipy.special.yv(v - 1, x) - scipy.special.yv(v + 1, x)) + \
        dv * not_differentiated('scipy.special.yv', 'v', active_v)


@vjp_rule(scipy.special.yn, broadcasts=True, elementwise=True, kind=elementwise)
def yn_vjp(g, ans, n, x):
    # The order n is an int (scipy rounds a float one): no derivative. Y_{-1} = -Y_1.
    return (None, g * 0.5 * (scipy.special.yn(n - 1, x) - scipy.special.yn(n + 1, x)))


@jvp_rule(scipy.special.yn)
def yn_jvp(dn, dx, ans, n, x):
    return dx * 0.5 * (scipy.special.yn(n - 1, x) - scipy.special.yn(n + 1, x))


@vjp_rule(scipy.special.iv, broadcasts=True, elementwise=True, kind=elementwise)
def iv_vjp(g, ans, v, x, *, active_v=True):
    return (not_differentiated('scipy.special.iv', 'v', active_v),
            g * 0.5 * (scipy.special.iv(v - 1, x) + scipy.special.iv(v + 1, x)))


@jvp_rule(scipy.special.iv)
def iv_jvp(dv, dx, ans, v, x, *, active_v=True):
    return dx * 0.5 * (scipy.special.iv(v - 1, x) + scipy.special.iv(v + 1, x)) + \
        dv * not_differentiated('scipy.special.iv', 'v', active_v)


@vjp_rule(scipy.special.ive, broadcasts=True, elementwise=True, kind=elementwise)
def ive_vjp(g, ans, v, x, *, active_v=True):
    # ive = exp(-|x|) I_v: its derivative with ive again, without overflow.
    return (not_differentiated('scipy.special.ive', 'v', active_v),
            g * (0.5 * (scipy.special.ive(v - 1, x) + scipy.special.ive(v + 1, x))
                 - np.sign(x) * ans))


@jvp_rule(scipy.special.ive)
def ive_jvp(dv, dx, ans, v, x, *, active_v=True):
    return dx * (0.5 * (scipy.special.ive(v - 1, x) + scipy.special.ive(v + 1, x))
                 - np.sign(x) * ans) + dv * not_differentiated('scipy.special.ive', 'v', active_v)


# ---------------------------------------------------------------- incomplete gamma and beta
#
# In x only: the derivative in a (and b) is no elementary function, and a zero would
# be wrong. d/dx P(a, x) = x^(a-1) exp(-x) / gamma(a); Q = 1 - P; d/dx I_x(a, b) =
# x^(a-1) (1-x)^(b-1) / B(a, b), written in logs (no overflow for large a).


@vjp_rule(scipy.special.gammainc, broadcasts=True, elementwise=True, kind=elementwise)
def gammainc_vjp(g, ans, a, x, *, active_a=True):
    return (not_differentiated('scipy.special.gammainc', 'a', active_a),
            g * np.exp((a - 1.0) * np.log(x) - x - scipy.special.gammaln(a)))


@jvp_rule(scipy.special.gammainc)
def gammainc_jvp(da, dx, ans, a, x, *, active_a=True):
    return dx * np.exp((a - 1.0) * np.log(x) - x - scipy.special.gammaln(a)) + \
        da * not_differentiated('scipy.special.gammainc', 'a', active_a)


@vjp_rule(scipy.special.gammaincc, broadcasts=True, elementwise=True, kind=elementwise)
def gammaincc_vjp(g, ans, a, x, *, active_a=True):
    return (not_differentiated('scipy.special.gammaincc', 'a', active_a),
            -g * np.exp((a - 1.0) * np.log(x) - x - scipy.special.gammaln(a)))


@jvp_rule(scipy.special.gammaincc)
def gammaincc_jvp(da, dx, ans, a, x, *, active_a=True):
    return -dx * np.exp((a - 1.0) * np.log(x) - x - scipy.special.gammaln(a)) + \
        da * not_differentiated('scipy.special.gammaincc', 'a', active_a)


@vjp_rule(scipy.special.betainc, broadcasts=True, elementwise=True, kind=elementwise)
def betainc_vjp(g, ans, a, b, x, *, active_a=True, active_b=True):
    return (not_differentiated('scipy.special.betainc', 'a', active_a),
            not_differentiated('scipy.special.betainc', 'b', active_b),
            g * np.exp((a - 1.0) * np.log(x) + (b - 1.0) * np.log1p(-x)
                       - scipy.special.betaln(a, b)))


@jvp_rule(scipy.special.betainc)
def betainc_jvp(da, db, dx, ans, a, b, x, *, active_a=True, active_b=True):
    return dx * np.exp((a - 1.0) * np.log(x) + (b - 1.0) * np.log1p(-x)
                       - scipy.special.betaln(a, b)) + \
        da * not_differentiated('scipy.special.betainc', 'a', active_a) + \
        db * not_differentiated('scipy.special.betainc', 'b', active_b)


# The sign of gamma: piecewise constant (its jumps at the poles).
nondifferentiable(scipy.special.gammasgn, kind=elementwise)


# ---------------------------------------------------------------- entropies


@vjp_rule(scipy.special.entr, elementwise=True, kind=elementwise)
def entr_vjp(g, ans, x):
    # -x log x: -inf at 0, its edge.
    return (-g * (np.log(x) + 1.0),)


@jvp_rule(scipy.special.entr)
def entr_jvp(dx, ans, x):
    return -dx * (np.log(x) + 1.0)


@vjp_rule(scipy.special.rel_entr, broadcasts=True, elementwise=True, kind=elementwise)
def rel_entr_vjp(g, ans, x, y):
    # x log(x / y), for x, y > 0.
    return (g * (np.log(x / y) + 1.0), -g * x / y)


@jvp_rule(scipy.special.rel_entr)
def rel_entr_jvp(dx, dy, ans, x, y):
    return dx * (np.log(x / y) + 1.0) - dy * x / y


@vjp_rule(scipy.special.kl_div, broadcasts=True, elementwise=True, kind=elementwise)
def kl_div_vjp(g, ans, x, y):
    # x log(x / y) - x + y, for x, y > 0.
    return (g * np.log(x / y), g * (1.0 - x / y))


@jvp_rule(scipy.special.kl_div)
def kl_div_jvp(dx, dy, ans, x, y):
    return dx * np.log(x / y) + dy * (1.0 - x / y)


# ---------------------------------------------------------------- softmax


@vjp_rule(scipy.special.softmax, kind=array_like_first)
def softmax_vjp(g, ans, x, axis=None):
    return (ans * (g - np.sum(g * ans, axis=axis, keepdims=True)),)


@jvp_rule(scipy.special.softmax)
def softmax_jvp(dx, ans, x, axis=None):
    return ans * (dx - np.sum(dx * ans, axis=axis, keepdims=True))


@vjp_rule(scipy.special.log_softmax, kind=array_like_first)
def log_softmax_vjp(g, ans, x, axis=None):
    return (g - np.exp(ans) * np.sum(g, axis=axis, keepdims=True),)


@jvp_rule(scipy.special.log_softmax)
def log_softmax_jvp(dx, ans, x, axis=None):
    return dx - np.sum(np.exp(ans) * dx, axis=axis, keepdims=True)
