"""Runtime helpers that rule templates call: the logic that needs branches (for
NumPy's rules, and the polygamma function of `math.gamma`'s and `math.lgamma`'s).

A rule template is inlined into generated code, so it stays a few straight lines
(../../shared/STYLE.md); where a cotangent depends on `axis` being None, an int
or a tuple, or on how many dimensions an argument has, the template calls one of
these functions instead, and the generated code reads as one call.
"""

import math

import numpy as np

from transforms.errors import AdjointError


def reduced_axes(axis, ndim):
    """The axes a reduction over `axis` removes, as a sorted tuple of ints >= 0.

    Args:
        axis: None (every axis), an int or a tuple of ints, possibly negative.
        ndim: the number of dimensions of the reduced array.
    """
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, tuple):
        return tuple(sorted(int(a) % ndim for a in axis))
    return (int(axis) % ndim,)


def reduced_size(x, axis=None):
    """How many elements of `x` each result of a reduction over `axis` combines
    (the n of a mean)."""
    if axis is None:
        return np.size(x)
    shape = np.shape(x)
    return math.prod(shape[k] for k in reduced_axes(axis, len(shape)))


def keep_dims(g, x, axis=None, keepdims=False):
    """`g`, the cotangent of a reduction of `x`, with the reduced axes put back as
    size-1 axes, so that it broadcasts against `x` (as if `keepdims=True`)."""
    if keepdims:  # first: generated code calls this after every keepdims reduction
        return g
    shape = np.shape(x)
    if not shape:
        return g
    axes = reduced_axes(axis, len(shape))
    return np.reshape(g, [1 if k in axes else n for k, n in enumerate(shape)])


def unreduce(g, x, axis=None, keepdims=False):
    """The cotangent of `np.sum(x, axis, keepdims=keepdims)` from its cotangent `g`:
    `g` repeated along the summed axes, as a new float array shaped like `x` (a
    float when `x` is a scalar)."""
    shape = np.shape(x)
    if not shape:
        return float(g) if not isinstance(x, np.ndarray) else np.asarray(g, float)
    out = np.empty(shape)
    out[...] = g if axis is None else keep_dims(g, x, axis, keepdims)
    return out


def share_of_extremum(x, ans, axis=None, keepdims=False):
    """Which elements of `x` the maximum (or minimum) `ans` came from: 1/k at each
    of the k elements equal to it in their reduction, 0 elsewhere. Ties share the
    cotangent equally (the convention of PyTorch's and JAX's max).

    Ties are rare, and counting the elements of each reduction costs more than
    the rest together, so the count is only taken when there are more hits than
    results. A reduction with a NaN has no hit (its result is NaN, equal to
    nothing) and could hide a tie elsewhere in the total; it gets NaN.
    """
    hit = np.equal(x, keep_dims(ans, x, axis, keepdims))
    nan = np.count_nonzero(np.not_equal(ans, ans))
    if np.count_nonzero(hit) == np.size(ans) and not nan:
        return hit.astype(float)  # one hit per result: no ties, no NaN
    hit = hit.astype(float)
    hit /= np.add.reduce(hit, axis=axis, keepdims=True)  # a third faster than bools / ints
    return hit


def prod_of_others(x, axis=None, t1=None, t2=None, t3=None, t4=None, t5=None):
    """For each element of `x`, the product of the other elements of its reduction
    in `np.prod(x, axis)`: the derivative of the product, right where `x` has zeros
    (unlike `prod / x`). Exclusive products from the left and from the right.

    With directions `t1`... (shaped like `x`; None ones are ignored), the
    derivative of that along each of them in turn: for one direction `t`, element
    i gets the sum over j != i of `t[j]` times the product of the elements other
    than i and j (the Hessian of the product times `t`). The derivatives of this
    function are this function with one more direction (helper_rules.py), so it
    serves the derivatives of `np.prod` up to the fifth; `t5`, one more, raises.
    """
    if t5 is not None:
        raise AdjointError('derivatives of np.prod beyond the fifth order are not '
                           'supported; write the product out (x[0] * x[1] * ...)')
    x = np.asarray(x, dtype=float)
    directions = [np.broadcast_to(t, x.shape) for t in (t1, t2, t3, t4) if t is not None]
    axes = reduced_axes(axis, x.ndim)
    order = [k for k in range(x.ndim) if k not in axes] + list(axes)
    moved = np.transpose(x, order)
    flat = moved.reshape(moved.shape[:x.ndim - len(axes)] + (-1,))
    if directions:
        ts = [np.transpose(t, order).reshape(flat.shape) for t in directions]
        others = _mixed_products_of_others(flat, ts)
    else:
        ones = np.ones(flat.shape[:-1] + (1,))
        left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
        right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)
        others = left * right[..., ::-1]
    return np.transpose(others.reshape(moved.shape), np.argsort(order))


def _mixed_products_of_others(flat, ts):
    """`prod_of_others` along directions `ts`, over the last axis of `flat`.

    Each element is the polynomial `x + s_1 t_1 + ... + s_m t_m`, kept to its
    terms multilinear in the s's (a coefficient per subset of them, indexed by a
    bit mask); the product of the others' polynomials, from exclusive products
    from the left and from the right, has the mixed derivative as the coefficient
    of `s_1 ... s_m`.
    """
    full = (1 << len(ts)) - 1
    polys = np.zeros(flat.shape + (full + 1,))
    polys[..., 0] = flat
    for a, t in enumerate(ts):
        polys[..., 1 << a] = t
    one = np.zeros(flat.shape[:-1] + (full + 1,))
    one[..., 0] = 1.0
    n = flat.shape[-1]
    left, right = [one], [one]
    for i in range(n - 1):
        left.append(_multilinear_product(left[-1], polys[..., i, :]))
        right.append(_multilinear_product(right[-1], polys[..., n - 1 - i, :]))
    out = np.zeros(flat.shape)
    for i in range(n):
        lo, hi = left[i], right[n - 1 - i]
        out[..., i] = sum(lo[..., mask] * hi[..., full ^ mask] for mask in range(full + 1))
    return out


def _multilinear_product(a, b):
    """The product of two polynomials kept to their multilinear terms: the
    coefficient of subset S is the sum over subsets A of S of a[A] b[S - A]."""
    out = np.zeros(np.broadcast_shapes(a.shape, b.shape))
    for mask in range(out.shape[-1]):
        sub = mask
        while True:
            out[..., mask] += a[..., sub] * b[..., mask ^ sub]
            if sub == 0:
                break
            sub = (sub - 1) & mask
    return out


def max_share(x, y, split=False):
    """The part of the cotangent of `np.maximum(x, y)` that goes to `x`.

    1 where x > y, 0 where x < y. At a tie, 1/2 when `split` — both arguments are
    differentiated, so each gets half and `np.maximum(x, x)` has derivative 1 —
    and 0 otherwise, so that relu written as `np.maximum(x, 0)` has derivative 0
    at 0 (../../shared/DESIGN.md). The rules pass `split` from the compiler's
    `active_<name>` flags.
    """
    above = x > y
    return above + 0.5 * (x == y) if split else above


def inside(x, low, high):
    """Where `np.clip(x, low, high)` passes `x` through: strictly between the bounds
    (either may be None). At a bound the derivative is taken to be 0, as for
    `np.maximum(x, 0)` at 0."""
    above = True if low is None else x > low
    below = True if high is None else x < high
    return np.logical_and(above, below)


def select(condition, x):
    """`x` where `condition` holds and 0 elsewhere, broadcast together: one side of
    `np.where(condition, x, y)`, linear in `x` (a jvp rule's sum of two of these
    drops the side whose tangent is zero)."""
    return np.where(condition, x, 0.0)


def transpose_axes(*axes):
    """The permutation of `np.transpose(x, axes)` or `x.transpose(*axes)`: None
    (reverse them all), or a tuple from one sequence or from separate ints.
    Trailing Nones (unused parameters of the method's rule) are ignored."""
    axes = tuple(a for a in axes if a is not None)
    if len(axes) == 1 and np.ndim(axes[0]) == 1:
        axes = tuple(axes[0])
    return axes or None


def untranspose(g, *axes):
    """The cotangent of `np.transpose(x, axes)` or `x.transpose(*axes)`: `g` with
    the inverse permutation."""
    axes = transpose_axes(*axes)
    if axes is None:
        return np.transpose(g)
    return np.transpose(g, np.argsort([a % np.ndim(g) for a in axes]))


def retranspose(g, *axes):
    """`np.transpose(g, axes)` for the `axes` `untranspose` takes: its adjoint."""
    return np.transpose(g, transpose_axes(*axes))


def broadcast_like(g, like):
    """`g` broadcast to the shape of `like`: the adjoint of `unbroadcast(like, x)`.

    Returns `g` itself when the shapes already agree."""
    shape = np.shape(like)
    if np.shape(g) == shape:
        return g
    return np.broadcast_to(g, shape).copy()


def _items_like(pieces, xs):
    """The cotangents of the items of `xs`, in the form of `xs`: a list for a list
    or tuple, an array for an array (`np.hstack(x)` joins the rows of an array `x`,
    and `x`'s cotangent is an array shaped like it)."""
    return np.stack(pieces) if isinstance(xs, np.ndarray) else pieces


def unconcatenate(g, xs, axis=0):
    """The cotangents of the items `xs` of `np.concatenate(xs, axis)`: the pieces
    of `g`, as a list (an array, for an array `xs`). `axis=None` concatenates the
    flattened items."""
    if axis is None:
        sizes = [np.size(x) for x in xs]
        pieces = np.split(np.ravel(g), np.cumsum(sizes)[:-1])
    else:
        sizes = [np.shape(x)[axis] for x in xs]
        pieces = np.split(g, np.cumsum(sizes)[:-1], axis=axis)
    return _items_like([np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)], xs)


def unstack(g, xs, axis=0):
    """The cotangents of the items of `np.stack(xs, axis)`, as a list (an array,
    for an array `xs`)."""
    return _items_like([np.reshape(p, np.shape(x)) for p, x in zip(np.moveaxis(g, axis, 0), xs)],
                       xs)


def unhstack(g, xs):
    """The cotangents of the items of `np.hstack(xs)` (axis 1, or 0 for vectors),
    as a list (an array, for an array `xs`)."""
    pieces = unconcatenate(g, [np.atleast_1d(x) for x in xs],
                           0 if np.ndim(xs[0]) <= 1 else 1)
    return _items_like([np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)], xs)


def unvstack(g, xs):
    """The cotangents of the items of `np.vstack(xs)` (rows: vectors become 1 x n),
    as a list (an array, for an array `xs`)."""
    pieces = unconcatenate(g, [np.atleast_2d(x) for x in xs], 0)
    return _items_like([np.reshape(p, np.shape(x)) for p, x in zip(pieces, xs)], xs)


def untile(g, x, reps):
    """The cotangent of `np.tile(x, reps)`: the copies of each element summed."""
    reps = (reps,) if np.ndim(reps) == 0 else tuple(reps)
    shape = np.shape(x)
    ndim = max(len(shape), len(reps))
    shape = (1,) * (ndim - len(shape)) + shape
    reps = (1,) * (ndim - len(reps)) + reps
    pairs = np.reshape(g, [n for pair in zip(reps, shape) for n in pair])
    return np.reshape(np.sum(pairs, axis=tuple(range(0, 2 * ndim, 2))), np.shape(x))


def unrepeat(g, x, repeats, axis=None):
    """The cotangent of `np.repeat(x, repeats, axis)`: each element's copies summed."""
    if axis is None:
        x_flat = np.ravel(x)
        return np.reshape(unrepeat(g, x_flat, repeats, 0), np.shape(x))
    n = np.shape(x)[axis]
    owners = np.repeat(np.arange(n), np.broadcast_to(repeats, (n,)))
    out = np.zeros((n,) + np.shape(np.moveaxis(g, axis, 0))[1:])
    np.add.at(out, owners, np.moveaxis(g, axis, 0))
    return np.moveaxis(out, 0, axis)


# ---------------------------------------------------------------- special functions


# B_2, B_4, ..., B_20: the Bernoulli numbers of the asymptotic series of polygamma.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
              43867 / 798, -174611 / 330)


def polygamma(x, n=0):
    """The polygamma function psi^(n)(x) of a real number `x`, as a Python float:
    the digamma function psi(x) = d lgamma(x) / dx for n = 0 (the derivative of
    `math.lgamma`, and `math.gamma(x) * psi(x)` that of `math.gamma`), trigamma
    for n = 1, and so on; the derivative of psi^(n) is psi^(n+1), so the rules
    of `math.gamma` and `math.lgamma` compose to any order. NaN at the poles,
    0, -1, -2, ..., where gamma itself raises.

    Accurate to a few units in the last place (relative to the largest term):
    for x >= 0 the recurrence psi^(n)(x) = psi^(n)(x + 1) - (-1)^n n! / x^(n+1)
    moves x above 10 + 2n, where the asymptotic series (Abramowitz and Stegun
    6.3.18, 6.4.11) to B_20 is exact to float precision; for x < 0 the
    reflection formula (-1)^n psi^(n)(1 - x) - pi d^n/dx^n cot(pi x) (A&S 6.4.7).
    """
    x, n = float(x), int(n)
    if n < 0:
        raise ValueError(f'polygamma of order {n}: the order is 0 (digamma) or more')
    if not math.isfinite(x):  # psi(inf) = inf, its derivatives 0; -inf is a limit of poles
        return (math.inf if n == 0 else 0.0) if x > 0 else math.nan
    if x <= 0.0 and x.is_integer():
        return math.nan
    if x < 0.0:
        return (-1) ** n * polygamma(1.0 - x, n) - math.pi * _cot_derivative(x, n)
    shifted = []
    while x < 10.0 + 2 * n:
        shifted.append(x ** -(n + 1))
        x += 1.0
    if n == 0:
        series = math.log(x) - 0.5 / x - math.fsum(
            b / (2 * k * x ** (2 * k)) for k, b in enumerate(_BERNOULLI, 1))
        return series - math.fsum(shifted)
    terms = [math.factorial(n - 1) / x ** n, math.factorial(n) / (2 * x ** (n + 1))]
    terms += [b * math.factorial(2 * k + n - 1) / (math.factorial(2 * k) * x ** (2 * k + n))
              for k, b in enumerate(_BERNOULLI, 1)]
    sign = 1.0 if n % 2 else -1.0  # (-1)^(n+1)
    return sign * (math.fsum(terms) + math.factorial(n) * math.fsum(shifted))


def _cot_derivative(x, n):
    """d^n/dx^n cot(pi x): a polynomial in c = cot(pi x), as d c / dx = -pi (1 + c^2)."""
    r = x - round(x)  # cot has period 1; near +-1/2, cot(pi r) = +-tan(pi (1/2 - |r|))
    c = math.copysign(math.tan(math.pi * (0.5 - abs(r))), r) if abs(r) > 0.25 \
        else 1.0 / math.tan(math.pi * r)
    coefficients = [0.0, 1.0]  # of c^0, c^1, ...
    for _ in range(n):
        slope = [k * a for k, a in enumerate(coefficients)][1:]
        coefficients = [0.0] * (len(slope) + 2)
        for k, a in enumerate(slope):
            coefficients[k] -= math.pi * a
            coefficients[k + 2] -= math.pi * a
    return math.fsum(a * c ** k for k, a in enumerate(coefficients))


# ---------------------------------------------------------------- fft


def irfft_grad(g, a, n=None, axis=-1, norm=None):
    """The cotangent of a real `a` in `np.fft.irfft(a, n, axis, norm)`, from the
    cotangent `g` of its result.

    For real `a`, irfft is a real linear map: element t of the result is
    scale * (a_0 + 2 sum_k a_k cos(2 pi k t / n) (+ a_{n/2} (-1)^t for even n)),
    over the n // 2 + 1 elements of `a` it reads (the others are cut off, or
    missing ones taken as 0), scale 1/n, 1/sqrt(n) or 1 for norm 'backward',
    'ortho', 'forward'. Its transpose is the real part of rfft(g) with those
    weights, cut or padded to the length of `a`.

    Raises AdjointError for a complex `a`: adjoint does not differentiate
    through complex values yet.
    """
    if np.iscomplexobj(a):
        raise AdjointError(
            'the derivative of np.fft.irfft of a complex array is not supported: adjoint '
            'does not differentiate through complex intermediates yet (its cotangents '
            'are real); np.fft.irfft of a real array is supported')
    length = np.shape(a)[axis]
    n = 2 * (length - 1) if n is None else int(n)
    used = n // 2 + 1
    weights = np.full(used, 2.0)
    weights[0] = 1.0
    if n % 2 == 0:
        weights[-1] = 1.0
    scale = {None: 1.0 / n, 'backward': 1.0 / n, 'ortho': 1.0 / math.sqrt(n),
             'forward': 1.0}[norm]
    spectrum = np.moveaxis(np.real(np.fft.rfft(g, n, axis=axis)), axis, -1) * (weights * scale)
    if length <= used:
        spectrum = spectrum[..., :length]
    else:
        spectrum = np.concatenate(
            [spectrum, np.zeros(spectrum.shape[:-1] + (length - used,))], axis=-1)
    return np.moveaxis(spectrum, -1, axis)
