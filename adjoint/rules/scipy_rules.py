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

from adjoint.rules.numpy_helpers import keep_dims
from adjoint.rules.numpy_kinds import FLOATS
from adjoint.rules.registry import elementwise, jvp_rule, vjp_rule
from transforms.errors import AdjointError

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

