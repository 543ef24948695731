"""Rules for distributions of `scipy.stats`, an optional extra: those autograd
supports, so that a program written against `autograd.scipy.stats` runs on
`scipy.stats` unchanged.

Imported by `registry.load_optional_rules` once the program has imported
scipy.stats (which takes most of a second: `import adjoint` never does).
`scipy.stats.norm` is an instance, and `norm.logpdf` one of its bound methods: the
rules are keyed by it, and the compiler calls it as a function wherever the code
writes `norm.logpdf(x, mu, sigma)` or `scipy.stats.norm.logpdf(...)`
(transforms/prepare/known_objects.py). `loc` and `scale`, by position or by name, are
differentiated like `x`; with z = (x - loc) / scale, every derivative is one of z.
So are the shape parameters of the densities (`t`'s df, `gamma`'s a, `beta`'s a and
b, `chi2`'s df, `poisson`'s mu, `dirichlet`'s alpha), written with
`scipy.special`'s gammaln and digamma, whose own rules give second derivatives.
The distribution functions (`t.cdf`...) are differentiated in x, loc and scale,
not in a shape parameter, whose derivative is no elementary function: a
differentiated one raises (`shape_not_differentiated`). A frozen distribution,
`norm(mu, sigma).logpdf(x)`, is `norm.logpdf(x, mu, sigma)` where its method is
called in the function that freezes it (`freezes_arguments`); elsewhere it is an
`unsupported` value.
"""

import math

import numpy as np
import scipy.special
import scipy.stats

from adjoint.rules.registry import (elementwise, freezes_arguments, jvp_rule, nondifferentiable,
                                    unsupported, vjp_rule)
from transforms.core.errors import AdjointError

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


@vjp_rule(scipy.stats.norm.sf, broadcasts=True, elementwise=True, kind=elementwise)
def norm_sf_vjp(g, ans, x, loc=0.0, scale=1.0):
    # sf = 1 - cdf: minus the density of z, over scale.
    z = (x - loc) / scale
    gd = g * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * z * z) / scale
    return (-gd, gd, gd * z)


@jvp_rule(scipy.stats.norm.sf)
def norm_sf_jvp(dx, dloc, dscale, ans, x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (dloc - dx + dscale * z) * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * z * z) / scale


@vjp_rule(scipy.stats.norm.logsf, broadcasts=True, elementwise=True, kind=elementwise)
def norm_logsf_vjp(g, ans, x, loc=0.0, scale=1.0):
    # As logcdf's, mirrored: no 0 / 0 far in the right tail.
    z = (x - loc) / scale
    gd = g * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * z * z - ans) / scale
    return (-gd, gd, gd * z)


@jvp_rule(scipy.stats.norm.logsf)
def norm_logsf_jvp(dx, dloc, dscale, ans, x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (dloc - dx + dscale * z) * _ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * z * z - ans) / scale


# ---------------------------------------------------------------- Student's t
# ans = gammaln((df + 1) / 2) - gammaln(df / 2) - log(df pi) / 2 - log(scale)
#       - (df + 1) / 2 * log1p(z^2 / df); w = -d ans / dz.


@vjp_rule(scipy.stats.t.logpdf, broadcasts=True, elementwise=True, kind=elementwise)
def t_logpdf_vjp(g, ans, x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    w = (df + 1.0) * z / (df + z * z)
    gdf = 0.5 * (scipy.special.digamma(0.5 * (df + 1.0)) - scipy.special.digamma(0.5 * df)
                 - 1.0 / df - np.log1p(z * z / df) + w * z / df)
    return (-g * w / scale, g * gdf, g * w / scale, g * (w * z - 1.0) / scale)


@jvp_rule(scipy.stats.t.logpdf)
def t_logpdf_jvp(dx, ddf, dloc, dscale, ans, x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    w = (df + 1.0) * z / (df + z * z)
    gdf = 0.5 * (scipy.special.digamma(0.5 * (df + 1.0)) - scipy.special.digamma(0.5 * df)
                 - 1.0 / df - np.log1p(z * z / df) + w * z / df)
    return ((dloc - dx) * w + dscale * (w * z - 1.0)) / scale + ddf * gdf


@vjp_rule(scipy.stats.t.pdf, broadcasts=True, elementwise=True, kind=elementwise)
def t_pdf_vjp(g, ans, x, df, loc=0.0, scale=1.0):
    # ans times the derivatives of logpdf.
    z = (x - loc) / scale
    w = (df + 1.0) * z / (df + z * z)
    gdf = 0.5 * (scipy.special.digamma(0.5 * (df + 1.0)) - scipy.special.digamma(0.5 * df)
                 - 1.0 / df - np.log1p(z * z / df) + w * z / df)
    ga = g * ans
    return (-ga * w / scale, ga * gdf, ga * w / scale, ga * (w * z - 1.0) / scale)


@jvp_rule(scipy.stats.t.pdf)
def t_pdf_jvp(dx, ddf, dloc, dscale, ans, x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    w = (df + 1.0) * z / (df + z * z)
    gdf = 0.5 * (scipy.special.digamma(0.5 * (df + 1.0)) - scipy.special.digamma(0.5 * df)
                 - 1.0 / df - np.log1p(z * z / df) + w * z / df)
    return ans * (((dloc - dx) * w + dscale * (w * z - 1.0)) / scale + ddf * gdf)


# ---------------------------------------------------------------- gamma
# ans = (a - 1) log z - z - gammaln(a) - log(scale); u = d ans / dz.


@vjp_rule(scipy.stats.gamma.logpdf, broadcasts=True, elementwise=True, kind=elementwise)
def gamma_logpdf_vjp(g, ans, x, a, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    u = (a - 1.0) / z - 1.0
    return (g * u / scale, g * (np.log(z) - scipy.special.digamma(a)), -g * u / scale,
            g * (z - a) / scale)


@jvp_rule(scipy.stats.gamma.logpdf)
def gamma_logpdf_jvp(dx, da, dloc, dscale, ans, x, a, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (((dx - dloc) * ((a - 1.0) / z - 1.0) + dscale * (z - a)) / scale
            + da * (np.log(z) - scipy.special.digamma(a)))


@vjp_rule(scipy.stats.gamma.pdf, broadcasts=True, elementwise=True, kind=elementwise)
def gamma_pdf_vjp(g, ans, x, a, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    u = (a - 1.0) / z - 1.0
    ga = g * ans
    return (ga * u / scale, ga * (np.log(z) - scipy.special.digamma(a)), -ga * u / scale,
            ga * (z - a) / scale)


@jvp_rule(scipy.stats.gamma.pdf)
def gamma_pdf_jvp(dx, da, dloc, dscale, ans, x, a, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return ans * (((dx - dloc) * ((a - 1.0) / z - 1.0) + dscale * (z - a)) / scale
                  + da * (np.log(z) - scipy.special.digamma(a)))


# ---------------------------------------------------------------- beta
# ans = (a - 1) log z + (b - 1) log(1 - z) - betaln(a, b) - log(scale); u = d ans / dz.


@vjp_rule(scipy.stats.beta.logpdf, broadcasts=True, elementwise=True, kind=elementwise)
def beta_logpdf_vjp(g, ans, x, a, b, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    u = (a - 1.0) / z - (b - 1.0) / (1.0 - z)
    both = scipy.special.digamma(a + b)
    return (g * u / scale, g * (np.log(z) - scipy.special.digamma(a) + both),
            g * (np.log1p(-z) - scipy.special.digamma(b) + both), -g * u / scale,
            -g * (1.0 + z * u) / scale)


@jvp_rule(scipy.stats.beta.logpdf)
def beta_logpdf_jvp(dx, da, db, dloc, dscale, ans, x, a, b, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    u = (a - 1.0) / z - (b - 1.0) / (1.0 - z)
    both = scipy.special.digamma(a + b)
    return (((dx - dloc) * u - dscale * (1.0 + z * u)) / scale
            + da * (np.log(z) - scipy.special.digamma(a) + both)
            + db * (np.log1p(-z) - scipy.special.digamma(b) + both))


@vjp_rule(scipy.stats.beta.pdf, broadcasts=True, elementwise=True, kind=elementwise)
def beta_pdf_vjp(g, ans, x, a, b, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    u = (a - 1.0) / z - (b - 1.0) / (1.0 - z)
    both = scipy.special.digamma(a + b)
    ga = g * ans
    return (ga * u / scale, ga * (np.log(z) - scipy.special.digamma(a) + both),
            ga * (np.log1p(-z) - scipy.special.digamma(b) + both), -ga * u / scale,
            -ga * (1.0 + z * u) / scale)


@jvp_rule(scipy.stats.beta.pdf)
def beta_pdf_jvp(dx, da, db, dloc, dscale, ans, x, a, b, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    u = (a - 1.0) / z - (b - 1.0) / (1.0 - z)
    both = scipy.special.digamma(a + b)
    return ans * (((dx - dloc) * u - dscale * (1.0 + z * u)) / scale
                  + da * (np.log(z) - scipy.special.digamma(a) + both)
                  + db * (np.log1p(-z) - scipy.special.digamma(b) + both))


# ---------------------------------------------------------------- chi-squared
# The gamma distribution of a = df / 2 and scale 2: ans = (df / 2 - 1) log z - z / 2
# - (df / 2) log 2 - gammaln(df / 2) - log(scale); u = d ans / dz.


@vjp_rule(scipy.stats.chi2.logpdf, broadcasts=True, elementwise=True, kind=elementwise)
def chi2_logpdf_vjp(g, ans, x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    u = (0.5 * df - 1.0) / z - 0.5
    return (g * u / scale, 0.5 * g * (np.log(0.5 * z) - scipy.special.digamma(0.5 * df)),
            -g * u / scale, 0.5 * g * (z - df) / scale)


@jvp_rule(scipy.stats.chi2.logpdf)
def chi2_logpdf_jvp(dx, ddf, dloc, dscale, ans, x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (((dx - dloc) * ((0.5 * df - 1.0) / z - 0.5) + 0.5 * dscale * (z - df)) / scale
            + 0.5 * ddf * (np.log(0.5 * z) - scipy.special.digamma(0.5 * df)))


@vjp_rule(scipy.stats.chi2.pdf, broadcasts=True, elementwise=True, kind=elementwise)
def chi2_pdf_vjp(g, ans, x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    u = (0.5 * df - 1.0) / z - 0.5
    ga = g * ans
    return (ga * u / scale, 0.5 * ga * (np.log(0.5 * z) - scipy.special.digamma(0.5 * df)),
            -ga * u / scale, 0.5 * ga * (z - df) / scale)


@jvp_rule(scipy.stats.chi2.pdf)
def chi2_pdf_jvp(dx, ddf, dloc, dscale, ans, x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return ans * (((dx - dloc) * ((0.5 * df - 1.0) / z - 0.5) + 0.5 * dscale * (z - df)) / scale
                  + 0.5 * ddf * (np.log(0.5 * z) - scipy.special.digamma(0.5 * df)))


# ---------------------------------------------------------------- Poisson
# ans = xlogy(k - loc, mu) - mu - gammaln(k - loc + 1). The count k and the integer
# shift loc are data: the pmf is constant between integers, so they get no cotangent.


@vjp_rule(scipy.stats.poisson.logpmf, broadcasts=True, elementwise=True, kind=elementwise)
def poisson_logpmf_vjp(g, ans, k, mu, loc=0):
    return (None, g * ((k - loc) / mu - 1.0), None)


@jvp_rule(scipy.stats.poisson.logpmf)
def poisson_logpmf_jvp(dmu, ans, k, mu, loc=0):
    return dmu * ((k - loc) / mu - 1.0)


@vjp_rule(scipy.stats.poisson.pmf, broadcasts=True, elementwise=True, kind=elementwise)
def poisson_pmf_vjp(g, ans, k, mu, loc=0):
    return (None, g * ans * ((k - loc) / mu - 1.0), None)


@jvp_rule(scipy.stats.poisson.pmf)
def poisson_pmf_jvp(dmu, ans, k, mu, loc=0):
    return dmu * ans * ((k - loc) / mu - 1.0)


@vjp_rule(scipy.stats.poisson.cdf, broadcasts=True, elementwise=True, kind=elementwise)
def poisson_cdf_vjp(g, ans, k, mu, loc=0):
    # d/dmu of the sum of the pmf up to floor(k) telescopes to -pmf(floor(k)), as autograd.
    return (None, -g * scipy.stats.poisson.pmf(np.floor(k), mu, loc), None)


@jvp_rule(scipy.stats.poisson.cdf)
def poisson_cdf_jvp(dmu, ans, k, mu, loc=0):
    return -dmu * scipy.stats.poisson.pmf(np.floor(k), mu, loc)


# ---------------------------------------------------------------- multivariate normal
# ans = -(r^T cov^-1 r) / 2 - log det(cov) / 2 - d log(2 pi) / 2, r = x - mean, for x
# of shape (d,) or (n, d) (a result per row), mean of shape (d,), cov (d, d).
# With s = cov^-1 r, d ans / dx = -s and, as autograd's, d ans / dcov = (s s^T -
# cov^-1) / 2: the derivative in cov's entries taken as independent, which is
# symmetric; SciPy reads one triangle of cov only, so a tangent of cov must be
# symmetric for finite differences to agree. A call needs mean and cov.


@vjp_rule(scipy.stats.multivariate_normal.logpdf, broadcasts=True)
def multivariate_normal_logpdf_vjp(g, ans, x, mean, cov, allow_singular=False):
    solved = np.linalg.solve(cov, (x - mean).T).T
    gs = np.reshape(g, np.shape(g) + (1,)) * solved
    outer = np.expand_dims(solved, -1) * np.expand_dims(solved, -2)
    return (-gs, gs, np.reshape(g, np.shape(g) + (1, 1)) * 0.5 * (outer - np.linalg.inv(cov)),
            None)


@jvp_rule(scipy.stats.multivariate_normal.logpdf)
def multivariate_normal_logpdf_jvp(dx, dmean, dcov, ans, x, mean, cov, allow_singular=False):
    solved = np.linalg.solve(cov, (x - mean).T).T
    return (np.sum(solved * (dmean - dx), axis=-1)
            + 0.5 * (np.sum(solved * (solved @ dcov.T), axis=-1)
                     - np.sum(np.linalg.inv(cov) * dcov)))


@vjp_rule(scipy.stats.multivariate_normal.pdf, broadcasts=True)
def multivariate_normal_pdf_vjp(g, ans, x, mean, cov, allow_singular=False):
    # ans times the derivatives of logpdf, as autograd.
    solved = np.linalg.solve(cov, (x - mean).T).T
    ga = g * ans
    gs = np.reshape(ga, np.shape(ga) + (1,)) * solved
    outer = np.expand_dims(solved, -1) * np.expand_dims(solved, -2)
    return (-gs, gs, np.reshape(ga, np.shape(ga) + (1, 1)) * 0.5 * (outer - np.linalg.inv(cov)),
            None)


@jvp_rule(scipy.stats.multivariate_normal.pdf)
def multivariate_normal_pdf_jvp(dx, dmean, dcov, ans, x, mean, cov, allow_singular=False):
    solved = np.linalg.solve(cov, (x - mean).T).T
    return ans * (np.sum(solved * (dmean - dx), axis=-1)
                  + 0.5 * (np.sum(solved * (solved @ dcov.T), axis=-1)
                           - np.sum(np.linalg.inv(cov) * dcov)))


@vjp_rule(scipy.stats.multivariate_normal.entropy)
def multivariate_normal_entropy_vjp(g, ans, mean=None, cov=1):
    # ans = log det(2 pi e cov) / 2, whatever the mean; autograd's cotangent of cov.
    return (None, 0.5 * g * np.linalg.inv(cov).T)


@jvp_rule(scipy.stats.multivariate_normal.entropy)
def multivariate_normal_entropy_jvp(dmean, dcov, ans, mean=None, cov=1):
    return 0.5 * np.sum(np.linalg.inv(cov).T * dcov)


# ---------------------------------------------------------------- Dirichlet
# ans = gammaln(sum alpha) - sum gammaln(alpha) + sum (alpha - 1) log x, the sum
# over the first axis of x: x of shape (k,) or (k, n), a result per column. As
# autograd's, the derivative in x is that of this formula, x's entries taken as
# independent (SciPy rejects an x off the simplex); an x with the last component
# left out is not supported.


@vjp_rule(scipy.stats.dirichlet.logpdf, broadcasts=True)
def dirichlet_logpdf_vjp(g, ans, x, alpha):
    gk = np.reshape(g, np.shape(g) + (1,))  # g against the columns of x, transposed
    return ((gk * (alpha - 1.0) / x.T).T,
            gk * (scipy.special.digamma(np.sum(alpha)) - scipy.special.digamma(alpha)
                  + np.log(x).T))


@jvp_rule(scipy.stats.dirichlet.logpdf)
def dirichlet_logpdf_jvp(dx, dalpha, ans, x, alpha):
    return (np.sum(((alpha - 1.0) * dx.T / x.T).T, axis=0)
            + np.sum((dalpha * (scipy.special.digamma(np.sum(alpha))
                                - scipy.special.digamma(alpha) + np.log(x).T)).T, axis=0))


@vjp_rule(scipy.stats.dirichlet.pdf, broadcasts=True)
def dirichlet_pdf_vjp(g, ans, x, alpha):
    # ans times the derivatives of logpdf, as autograd.
    gk = np.reshape(g * ans, np.shape(g * ans) + (1,))
    return ((gk * (alpha - 1.0) / x.T).T,
            gk * (scipy.special.digamma(np.sum(alpha)) - scipy.special.digamma(alpha)
                  + np.log(x).T))


@jvp_rule(scipy.stats.dirichlet.pdf)
def dirichlet_pdf_jvp(dx, dalpha, ans, x, alpha):
    return ans * (np.sum(((alpha - 1.0) * dx.T / x.T).T, axis=0)
                  + np.sum((dalpha * (scipy.special.digamma(np.sum(alpha))
                                      - scipy.special.digamma(alpha) + np.log(x).T)).T, axis=0))


# ---------------------------------------------------------------- distribution functions


def shape_not_differentiated(call, name, active):
    """Raise where the shape parameter `name` of `call` (a cdf) is differentiated:
    its derivative there is no elementary function, and a zero would be wrong.
    `active` is the compiler's `active_<name>` flag. Returns 0.0 otherwise: the
    tangent rules multiply it by the parameter's tangent, so that the call is
    kept where that tangent is not zero."""
    if active:
        raise AdjointError(f'{call} is differentiated in x, loc and scale, not in its shape '
                           f'parameter {name}: pass {name} as a constant (or write the '
                           f'derivative in {name} as a rule of your own, adjoint.vjp_rule)')
    return 0.0


nondifferentiable(shape_not_differentiated)


@vjp_rule(scipy.stats.t.cdf, broadcasts=True, elementwise=True, kind=elementwise)
def t_cdf_vjp(g, ans, x, df, loc=0.0, scale=1.0, *, active_df=True):
    gd = g * scipy.stats.t.pdf(x, df, loc, scale)
    return (gd, shape_not_differentiated('scipy.stats.t.cdf', 'df', active_df), -gd,
            -gd * (x - loc) / scale)


@jvp_rule(scipy.stats.t.cdf)
def t_cdf_jvp(dx, ddf, dloc, dscale, ans, x, df, loc=0.0, scale=1.0, *, active_df=True):
    return ((dx - dloc - dscale * (x - loc) / scale) * scipy.stats.t.pdf(x, df, loc, scale)
            + ddf * shape_not_differentiated('scipy.stats.t.cdf', 'df', active_df))


@vjp_rule(scipy.stats.t.logcdf, broadcasts=True, elementwise=True, kind=elementwise)
def t_logcdf_vjp(g, ans, x, df, loc=0.0, scale=1.0, *, active_df=True):
    # density / distribution as exp(log density - ans), as norm.logcdf's.
    gd = g * np.exp(scipy.stats.t.logpdf(x, df, loc, scale) - ans)
    return (gd, shape_not_differentiated('scipy.stats.t.logcdf', 'df', active_df), -gd,
            -gd * (x - loc) / scale)


@jvp_rule(scipy.stats.t.logcdf)
def t_logcdf_jvp(dx, ddf, dloc, dscale, ans, x, df, loc=0.0, scale=1.0, *, active_df=True):
    return ((dx - dloc - dscale * (x - loc) / scale)
            * np.exp(scipy.stats.t.logpdf(x, df, loc, scale) - ans)
            + ddf * shape_not_differentiated('scipy.stats.t.logcdf', 'df', active_df))


@vjp_rule(scipy.stats.gamma.cdf, broadcasts=True, elementwise=True, kind=elementwise)
def gamma_cdf_vjp(g, ans, x, a, loc=0.0, scale=1.0, *, active_a=True):
    gd = g * scipy.stats.gamma.pdf(x, a, loc, scale)
    return (gd, shape_not_differentiated('scipy.stats.gamma.cdf', 'a', active_a), -gd,
            -gd * (x - loc) / scale)


@jvp_rule(scipy.stats.gamma.cdf)
def gamma_cdf_jvp(dx, da, dloc, dscale, ans, x, a, loc=0.0, scale=1.0, *, active_a=True):
    return ((dx - dloc - dscale * (x - loc) / scale) * scipy.stats.gamma.pdf(x, a, loc, scale)
            + da * shape_not_differentiated('scipy.stats.gamma.cdf', 'a', active_a))


@vjp_rule(scipy.stats.beta.cdf, broadcasts=True, elementwise=True, kind=elementwise)
def beta_cdf_vjp(g, ans, x, a, b, loc=0.0, scale=1.0, *, active_a=True, active_b=True):
    gd = g * scipy.stats.beta.pdf(x, a, b, loc, scale)
    return (gd, shape_not_differentiated('scipy.stats.beta.cdf', 'a', active_a),
            shape_not_differentiated('scipy.stats.beta.cdf', 'b', active_b), -gd,
            -gd * (x - loc) / scale)


@jvp_rule(scipy.stats.beta.cdf)
def beta_cdf_jvp(dx, da, db, dloc, dscale, ans, x, a, b, loc=0.0, scale=1.0, *, active_a=True,
                 active_b=True):
    return ((dx - dloc - dscale * (x - loc) / scale) * scipy.stats.beta.pdf(x, a, b, loc, scale)
            + da * shape_not_differentiated('scipy.stats.beta.cdf', 'a', active_a)
            + db * shape_not_differentiated('scipy.stats.beta.cdf', 'b', active_b))


@vjp_rule(scipy.stats.chi2.cdf, broadcasts=True, elementwise=True, kind=elementwise)
def chi2_cdf_vjp(g, ans, x, df, loc=0.0, scale=1.0, *, active_df=True):
    gd = g * scipy.stats.chi2.pdf(x, df, loc, scale)
    return (gd, shape_not_differentiated('scipy.stats.chi2.cdf', 'df', active_df), -gd,
            -gd * (x - loc) / scale)


@jvp_rule(scipy.stats.chi2.cdf)
def chi2_cdf_jvp(dx, ddf, dloc, dscale, ans, x, df, loc=0.0, scale=1.0, *, active_df=True):
    return ((dx - dloc - dscale * (x - loc) / scale) * scipy.stats.chi2.pdf(x, df, loc, scale)
            + ddf * shape_not_differentiated('scipy.stats.chi2.cdf', 'df', active_df))


# `norm(mu, sigma)` freezes a distribution: its methods called on it where it is
# made are those of the distribution, with the frozen arguments after x.
DISTRIBUTIONS = (scipy.stats.norm, scipy.stats.t, scipy.stats.gamma, scipy.stats.beta,
                 scipy.stats.chi2, scipy.stats.poisson, scipy.stats.multivariate_normal,
                 scipy.stats.dirichlet)
freezes_arguments(*DISTRIBUTIONS)
# Elsewhere (returned, stored, passed to a function) the frozen object is a value
# whose methods have no rules.
unsupported('a frozen distribution, norm(loc, scale), is differentiated only where one of '
            'its methods is called on it in the function that freezes it, '
            'norm(loc, scale).logpdf(x), with x by position; elsewhere write '
            'norm.logpdf(x, loc, scale) (and the same for every distribution)', *DISTRIBUTIONS)
