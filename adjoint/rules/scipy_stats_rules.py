"""Rules for the normal distribution of `scipy.stats`, an optional extra.

Imported by `registry.load_optional_rules` once the program has imported
scipy.stats (which takes most of a second: `import adjoint` never does).
`scipy.stats.norm` is an instance, and `norm.logpdf` one of its bound methods: the
rules are keyed by it, and the compiler calls it as a function wherever the code
writes `norm.logpdf(x, mu, sigma)` or `scipy.stats.norm.logpdf(...)`
(transforms/known_objects.py). `loc` and `scale`, by position or by name, are
differentiated like `x`; with z = (x - loc) / scale, every derivative is one of z.
A frozen distribution, `norm(mu, sigma).logpdf(x)`, is not supported.
"""

import math

import numpy as np
import scipy.stats

from adjoint.rules.registry import elementwise, jvp_rule, unsupported, vjp_rule

_ONE_OVER_SQRT_TWO_PI = 1.0 / math.sqrt(2.0 * math.pi)  # the standard normal density at 0


@vjp_rule(scipy.stats.norm.logpdf, broadcasts=True, elementwise=True, kind=elementwise)
def norm_logpdf_vjp(g, ans, x, loc=0.0, scale=1.0):
    # ans = -z^2 / 2 - log(scale) - log(2 pi) / 2.
    z = (x - loc) / scale
    gz = g * z / scale
    return (-gz, gz, g * (z * z - 1.0) / scale)


@jvp_rule(scipy.stats.norm.logpdf)
def norm_logpdf_jvp(dx, dloc, dscale, ans, x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return ((dloc - dx) * z + dscale * (z * z - 1.0)) / scale


@vjp_rule(scipy.stats.norm.pdf, broadcasts=True, elementwise=True, kind=elementwise)
def norm_pdf_vjp(g, ans, x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    gz = g * ans * z / scale
    return (-gz, gz, g * ans * (z * z - 1.0) / scale)


@jvp_rule(scipy.stats.norm.pdf)
def norm_pdf_jvp(dx, dloc, dscale, ans, x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return ans * ((dloc - dx) * z + dscale * (z * z - 1.0)) / scale


@vjp_rule(scipy.stats.norm.cdf, broadcasts=True, elementwise=True, kind=elementwise)
def norm_cdf_vjp(g, ans, x, loc=0.0, scale=1.0):
    # The density of z, over scale.
    z = (x - loc) / scale
    gd = g * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * z * z) / scale
    return (gd, -gd, -gd * z)


@jvp_rule(scipy.stats.norm.cdf)
def norm_cdf_jvp(dx, dloc, dscale, ans, x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (dx - dloc - dscale * z) * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * z * z) / scale


@vjp_rule(scipy.stats.norm.logcdf, broadcasts=True, elementwise=True, kind=elementwise)
def norm_logcdf_vjp(g, ans, x, loc=0.0, scale=1.0):
    # density / distribution as exp(log density - ans): no 0 / 0 far in the left tail.
    z = (x - loc) / scale
    gd = g * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * z * z - ans) / scale
    return (gd, -gd, -gd * z)


@jvp_rule(scipy.stats.norm.logcdf)
def norm_logcdf_jvp(dx, dloc, dscale, ans, x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (dx - dloc - dscale * z) * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * z * z - ans) / scale


# `norm(mu, sigma)` freezes a distribution, whose methods are methods of a value.
unsupported('a frozen distribution, norm(loc, scale).logpdf(x), is not differentiated: '
            'write norm.logpdf(x, loc, scale) (or pdf, cdf, logcdf)', scipy.stats.norm)
