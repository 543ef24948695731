"""Rules for NumPy's reductions, as functions and as methods: `np.sum(x, axis=1)`
and `x.sum(axis=1)` share one rule.

`axis` may be None, an int (negative too) or a tuple; `keepdims` is a keyword.
The cotangent `g` has the reduced shape; `keep_dims` puts the reduced axes back so
it broadcasts against `x`, and `unreduce` also repeats it to `x`'s full shape.
When `g` is one number for the whole result (the seed 1.0 of `np.sum(x)`, or the
cotangent of a sum of a sum), the uniform rules say which one number stands for
the whole cotangent of `x`, and no array is made.

A jvp rule reduces the tangent `dx` the way the primitive reduces `x`: each is
the sum over the reduced axes of `dx` times what the vjp rule gives each element,
so the two modes agree, ties and zeros included.

The scans, `np.cumsum` and `np.cumprod`, keep every partial result: along
`axis`, or along the flattened array for `axis=None`. Their opposites, the
differences `np.diff` and `np.gradient`, are linear: the cotangent goes back
through the transposed differences (`undiff`, `ungradient`).
"""

import numpy as np

from adjoint.rules.numpy_helpers import (cumprod_grad, cumprod_tangent, gradient_spacing,
                                         keep_dims, not_differentiated, prod_of_others,
                                         quantile_shares, reduced_size, share_of_extremum, undiff,
                                         ungradient, unreduce)
from adjoint.rules.numpy_kinds import array_like_first, averaged, method, scanned, summed
from adjoint.rules.registry import (as_method, jvp_rule, kept_rule, reductions, uniform_rule,
                                     vjp_rule)
from adjoint.runtime import power_or_inf


@vjp_rule(np.sum, kind=summed)
@vjp_rule(('method', 'sum'), kind=method(summed))
def sum_vjp(g, ans, x, axis=None, *, keepdims=False):
    return (unreduce(g, x, axis, keepdims),)


@jvp_rule(np.sum)
@jvp_rule(('method', 'sum'))
def sum_jvp(dx, ans, x, axis=None, *, keepdims=False):
    return np.sum(dx, axis=axis, keepdims=keepdims)


@uniform_rule(np.sum)
@uniform_rule(('method', 'sum'))
def sum_uniform(g, ans, x, axis=None, *, keepdims=False):
    return (g,)


@kept_rule(np.sum)
@kept_rule(('method', 'sum'))
def sum_kept(g, ans, x, axis=None, *, keepdims=False):
    return (keep_dims(g, x, axis, keepdims),)


@kept_rule(np.mean)
@kept_rule(('method', 'mean'))
def mean_kept(g, ans, x, axis=None, *, keepdims=False):
    return (keep_dims(g / reduced_size(x, axis), x, axis, keepdims),)


@uniform_rule(np.mean)
@uniform_rule(('method', 'mean'))
def mean_uniform(g, ans, x, axis=None, *, keepdims=False):
    return (g / reduced_size(x, axis),)


@vjp_rule(np.mean, kind=averaged)
@vjp_rule(('method', 'mean'), kind=method(averaged))
def mean_vjp(g, ans, x, axis=None, *, keepdims=False):
    return (unreduce(g / reduced_size(x, axis), x, axis, keepdims),)


@jvp_rule(np.mean)
@jvp_rule(('method', 'mean'))
def mean_jvp(dx, ans, x, axis=None, *, keepdims=False):
    return np.mean(dx, axis=axis, keepdims=keepdims)


@vjp_rule(np.prod, kind=summed)
@vjp_rule(('method', 'prod'), kind=method(summed))
def prod_vjp(g, ans, x, axis=None, *, keepdims=False):
    # Not `g * ans / x`, which is nan where x has a zero.
    return (keep_dims(g, x, axis, keepdims) * prod_of_others(x, axis),)


@jvp_rule(np.prod)
@jvp_rule(('method', 'prod'))
def prod_jvp(dx, ans, x, axis=None, *, keepdims=False):
    return np.sum(dx * prod_of_others(x, axis), axis=axis, keepdims=keepdims)


@vjp_rule(np.max, kind=summed)
@vjp_rule(np.amax, kind=summed)
@vjp_rule(np.min, kind=summed)
@vjp_rule(np.amin, kind=summed)
@vjp_rule(('method', 'max'), kind=method(summed))
@vjp_rule(('method', 'min'), kind=method(summed))
def extremum_vjp(g, ans, x, axis=None, *, keepdims=False):
    # The elements equal to the result get it; k tied elements get 1/k each.
    return (keep_dims(g, x, axis, keepdims) * share_of_extremum(x, ans, axis, keepdims),)


@jvp_rule(np.max)
@jvp_rule(np.amax)
@jvp_rule(np.min)
@jvp_rule(np.amin)
@jvp_rule(('method', 'max'))
@jvp_rule(('method', 'min'))
def extremum_jvp(dx, ans, x, axis=None, *, keepdims=False):
    # The mean of the tangents of the elements tied for the extremum.
    return np.sum(dx * share_of_extremum(x, ans, axis, keepdims), axis=axis,
                  keepdims=keepdims)


@vjp_rule(np.var, kind=averaged)
@vjp_rule(('method', 'var'), kind=method(averaged))
def var_vjp(g, ans, x, axis=None, *, ddof=0, keepdims=False):
    # `power_or_inf(n - ddof, -1)`, not `1 / (n - ddof)`: where ddof is n, np.var is NaN
    # (not an error), and so is its derivative, 0 * inf.
    centered = x - np.mean(x, axis=axis, keepdims=True)
    scale = 2.0 * power_or_inf(reduced_size(x, axis) - ddof, -1)
    return (keep_dims(g, x, axis, keepdims) * centered * scale,)


@jvp_rule(np.var)
@jvp_rule(('method', 'var'))
def var_jvp(dx, ans, x, axis=None, *, ddof=0, keepdims=False):
    centered = x - np.mean(x, axis=axis, keepdims=True)
    scale = 2.0 * power_or_inf(reduced_size(x, axis) - ddof, -1)
    return np.sum(dx * centered, axis=axis, keepdims=keepdims) * scale


@vjp_rule(np.std, kind=averaged)
@vjp_rule(('method', 'std'), kind=method(averaged))
def std_vjp(g, ans, x, axis=None, *, ddof=0, keepdims=False):
    # std = sqrt(var): the var rule times 1 / (2 std). Where std is 0 every element
    # equals the mean (a constant, for one element; else a cone's tip, as for
    # np.linalg.norm at 0): the derivative is 0, and `ans == 0` keeps 0 / 0 out.
    centered = x - np.mean(x, axis=axis, keepdims=True)
    scale = power_or_inf(reduced_size(x, axis) - ddof, -1)
    return (keep_dims(g / (ans + (ans == 0)), x, axis, keepdims) * centered * scale,)


@jvp_rule(np.std)
@jvp_rule(('method', 'std'))
def std_jvp(dx, ans, x, axis=None, *, ddof=0, keepdims=False):
    centered = x - np.mean(x, axis=axis, keepdims=True)
    scale = power_or_inf(reduced_size(x, axis) - ddof, -1)
    return np.sum(dx * centered, axis=axis, keepdims=keepdims) * scale / (ans + (ans == 0))


# ---------------------------------------------------------------- order statistics and NaNs
#
# A median or a quantile is a weighted sum of one or two elements of each
# reduction (`quantile_shares`); np.ptp is max - min. The np.nan* reductions
# leave out the NaN elements, which get cotangent 0: `x == x` is False only there.


@vjp_rule(np.median, kind=averaged)
def median_vjp(g, ans, a, axis=None, *, keepdims=False):
    # The middle element, or the mean of the two middle ones; ties share.
    return (keep_dims(g, a, axis, keepdims) * quantile_shares(a, 0.5, axis, name='np.median'),)


@jvp_rule(np.median)
def median_jvp(da, ans, a, axis=None, *, keepdims=False):
    return np.sum(da * quantile_shares(a, 0.5, axis, name='np.median'), axis=axis,
                  keepdims=keepdims)


@vjp_rule(np.quantile, kind=averaged)
def quantile_vjp(g, ans, a, q, axis=None, *, method='linear', keepdims=False,
                 active_q=True):
    # In a only: a differentiated level q is an error, not a zero (the result is
    # piecewise linear in q, with the slope of the gap between the two elements).
    shares = quantile_shares(a, q, axis, keepdims, method)
    return (keep_dims(g, a, axis, keepdims) * shares,
            not_differentiated('np.quantile', 'q', active_q))


@jvp_rule(np.quantile)
def quantile_jvp(da, dq, ans, a, q, axis=None, *, method='linear', keepdims=False,
                 active_q=True):
    return np.sum(da * quantile_shares(a, q, axis, keepdims, method), axis=axis,
                  keepdims=keepdims) + dq * not_differentiated('np.quantile', 'q', active_q)


@vjp_rule(np.percentile, kind=averaged)
def percentile_vjp(g, ans, a, q, axis=None, *, method='linear', keepdims=False,
                   active_q=True):
    shares = quantile_shares(a, q / 100.0, axis, keepdims, method, 'np.percentile')
    return (keep_dims(g, a, axis, keepdims) * shares,
            not_differentiated('np.percentile', 'q', active_q))


@jvp_rule(np.percentile)
def percentile_jvp(da, dq, ans, a, q, axis=None, *, method='linear', keepdims=False,
                   active_q=True):
    shares = quantile_shares(a, q / 100.0, axis, keepdims, method, 'np.percentile')
    return np.sum(da * shares, axis=axis, keepdims=keepdims) + \
        dq * not_differentiated('np.percentile', 'q', active_q)


@vjp_rule(np.ptp, kind=summed)
def ptp_vjp(g, ans, a, axis=None, *, keepdims=False):
    # max - min: ties share each, as for np.max and np.min.
    top = share_of_extremum(a, np.max(a, axis=axis, keepdims=True), axis, True)
    bottom = share_of_extremum(a, np.min(a, axis=axis, keepdims=True), axis, True)
    return (keep_dims(g, a, axis, keepdims) * (top - bottom),)


@jvp_rule(np.ptp)
def ptp_jvp(da, ans, a, axis=None, *, keepdims=False):
    top = share_of_extremum(a, np.max(a, axis=axis, keepdims=True), axis, True)
    bottom = share_of_extremum(a, np.min(a, axis=axis, keepdims=True), axis, True)
    return np.sum(da * (top - bottom), axis=axis, keepdims=keepdims)


@vjp_rule(np.nansum, kind=summed)
def nansum_vjp(g, ans, a, axis=None, *, keepdims=False):
    return (keep_dims(g, a, axis, keepdims) * (a == a),)


@jvp_rule(np.nansum)
def nansum_jvp(da, ans, a, axis=None, *, keepdims=False):
    return np.sum(da * (a == a), axis=axis, keepdims=keepdims)


@vjp_rule(np.nanmean, kind=averaged)
def nanmean_vjp(g, ans, a, axis=None, *, keepdims=False):
    # Each number gets 1 / (how many numbers its reduction has).
    weights = (a == a) / np.sum(a == a, axis=axis, keepdims=True)
    return (keep_dims(g, a, axis, keepdims) * weights,)


@jvp_rule(np.nanmean)
def nanmean_jvp(da, ans, a, axis=None, *, keepdims=False):
    weights = (a == a) / np.sum(a == a, axis=axis, keepdims=True)
    return np.sum(da * weights, axis=axis, keepdims=keepdims)


@vjp_rule(np.nanmax, kind=summed)
@vjp_rule(np.nanmin, kind=summed)
def nan_extremum_vjp(g, ans, a, axis=None, *, keepdims=False):
    # A NaN equals no result: the numbers equal to it share, as for np.max.
    return (keep_dims(g, a, axis, keepdims) * share_of_extremum(a, ans, axis, keepdims),)


@jvp_rule(np.nanmax)
@jvp_rule(np.nanmin)
def nan_extremum_jvp(da, ans, a, axis=None, *, keepdims=False):
    return np.sum(da * share_of_extremum(a, ans, axis, keepdims), axis=axis, keepdims=keepdims)


@vjp_rule(np.nanvar, kind=averaged)
def nanvar_vjp(g, ans, a, axis=None, *, ddof=0, keepdims=False):
    # np.var's rule over the numbers only; the NaNs are centered to 0.
    centered = np.where(a == a, a - np.nanmean(a, axis=axis, keepdims=True), 0.0)
    scale = 2.0 * power_or_inf(np.sum(a == a, axis=axis, keepdims=True) - ddof, -1.0)
    return (keep_dims(g, a, axis, keepdims) * centered * scale,)


@jvp_rule(np.nanvar)
def nanvar_jvp(da, ans, a, axis=None, *, ddof=0, keepdims=False):
    centered = np.where(a == a, a - np.nanmean(a, axis=axis, keepdims=True), 0.0)
    scale = 2.0 * power_or_inf(np.sum(a == a, axis=axis, keepdims=True) - ddof, -1.0)
    return np.sum(da * centered * scale, axis=axis, keepdims=keepdims)


@vjp_rule(np.nanstd, kind=averaged)
def nanstd_vjp(g, ans, a, axis=None, *, ddof=0, keepdims=False):
    # np.std's rule over the numbers only (0 where the deviation is 0).
    centered = np.where(a == a, a - np.nanmean(a, axis=axis, keepdims=True), 0.0)
    scale = power_or_inf(np.sum(a == a, axis=axis, keepdims=True) - ddof, -1.0)
    return (keep_dims(g / (ans + (ans == 0)), a, axis, keepdims) * centered * scale,)


@jvp_rule(np.nanstd)
def nanstd_jvp(da, ans, a, axis=None, *, ddof=0, keepdims=False):
    centered = np.where(a == a, a - np.nanmean(a, axis=axis, keepdims=True), 0.0)
    scale = power_or_inf(np.sum(a == a, axis=axis, keepdims=True) - ddof, -1.0)
    return np.sum(da * centered * scale, axis=axis, keepdims=keepdims) / (ans + (ans == 0))


# ---------------------------------------------------------------- scans


@vjp_rule(np.cumsum, kind=scanned)
@vjp_rule(('method', 'cumsum'), kind=method(scanned))
def cumsum_vjp(g, ans, x, axis=None):
    # Sums from the right. For axis=None, g is flat: flipped whole, then reshaped.
    return (np.reshape(np.flip(np.cumsum(np.flip(g, axis), axis), axis), np.shape(x)),)


@jvp_rule(np.cumsum)
@jvp_rule(('method', 'cumsum'))
def cumsum_jvp(dx, ans, x, axis=None):
    return np.cumsum(dx, axis)


@vjp_rule(np.cumprod, kind=scanned)
@vjp_rule(('method', 'cumprod'), kind=method(scanned))
def cumprod_vjp(g, ans, x, axis=None):
    # Not from `ans / x`, which is NaN where x has a zero.
    return (cumprod_grad(g, x, axis),)


@jvp_rule(np.cumprod)
@jvp_rule(('method', 'cumprod'))
def cumprod_jvp(dx, ans, x, axis=None):
    return cumprod_tangent(x, axis, dx)


# ---------------------------------------------------------------- differences


@vjp_rule(np.diff, kind=array_like_first)
def diff_vjp(g, ans, a, n=1, axis=-1):
    # No `prepend` nor `append`: a call with them is rejected where the rule is
    # inlined (np.diff(np.concatenate([p, a]), n, axis) is differentiated).
    return (undiff(g, n, axis),)


@jvp_rule(np.diff)
def diff_jvp(da, ans, a, n=1, axis=-1):
    return np.diff(da, n, axis)


def _gradient_kind(args, kwargs):
    """`np.gradient(f)`: an array like `f` of a vector, or along one int `axis`;
    else a tuple of them, one per axis, whose kind is not told."""
    f = args[0] if args else None
    if f == 'vector' or (f in ('matrix', 'array') and kwargs.get('axis') == 'int'):
        return f
    return None


@vjp_rule(np.gradient, kind=_gradient_kind)
def gradient_vjp(g, ans, f, spacing=1.0, *, axis=None, edge_order=1):
    # One spacing, a number, for every axis (ungradient raises for coordinates);
    # the result is proportional to 1 / spacing.
    gf = ungradient(g, f, spacing, axis, edge_order)
    return (gf, -np.sum(gf * f) / spacing)


@jvp_rule(np.gradient)
def gradient_jvp(df, dspacing, ans, f, spacing=1.0, *, axis=None, edge_order=1):
    return np.gradient(df - f * (dspacing / gradient_spacing(spacing)), spacing, axis=axis,
                       edge_order=edge_order)


reductions(np.sum, np.mean, np.prod, np.max, np.amax, np.min, np.amin, np.var, np.std,
           np.median, np.ptp, np.nansum, np.nanmean, np.nanmax, np.nanmin, np.nanvar,
           np.nanstd,
           *(('method', name) for name in ('sum', 'mean', 'prod', 'max', 'min', 'var', 'std')))
# The same reductions as methods of an array, without np.sum's Python layer.
for _name in ('sum', 'mean', 'prod', 'var', 'std'):
    as_method(_name, getattr(np, _name))
as_method('max', np.max, np.amax)
as_method('min', np.min, np.amin)
