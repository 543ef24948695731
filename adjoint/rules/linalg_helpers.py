"""Runtime helpers for the rules of products and linear algebra (`numpy_linalg.py`).

Each handles the cases of its primitive that a straight-line template cannot: a
vector argument of `@` (a row on the left, a column on the right), the axes of
`np.tensordot` and `np.dot`, the subscripts of `np.einsum`, the orders of
`np.linalg.norm`, the checks that make the derivatives of the factorizations
(`np.linalg.eigh`, `svd`, `pinv`) raise where they do not exist.
"""

import string

import numpy as np

from adjoint.rules.numpy_helpers import items_like, keep_dims
from adjoint.runtime import unbroadcast, zeros_like
from transforms.core.errors import AdjointError


# ---------------------------------------------------------------- matmul


def _as_matrices(g, x, y):
    """`g`, `x`, `y` of `x @ y` as stacks of matrices: a vector `x` is a row, a
    vector `y` a column, and `g` gets the axes the product dropped."""
    g = np.asarray(g)
    if np.ndim(y) == 1:
        y, g = y[:, None], g[..., None]
    if np.ndim(x) == 1:
        x, g = x[None, :], g[..., None, :]
    return g, x, y


def matmul_grad_left(g, x, y):
    """The cotangent of `x` in `x @ y`: `g @ y.T`, for vectors and stacks too."""
    if isinstance(y, np.ndarray) and y.ndim == 2 and np.ndim(x) >= 2:
        return g @ y.T  # the common case: no vector, no broadcasting
    g2, _, y2 = _as_matrices(g, x, y)
    gx = g2 @ np.swapaxes(y2, -1, -2)
    return unbroadcast(gx[..., 0, :] if np.ndim(x) == 1 else gx, x)


def matmul_grad_right(g, x, y):
    """The cotangent of `y` in `x @ y`: `x.T @ g`, for vectors and stacks too."""
    if isinstance(x, np.ndarray) and x.ndim == 2 and np.ndim(y) >= 2:
        return x.T @ g  # the common case: no vector, no broadcasting
    g2, x2, _ = _as_matrices(g, x, y)
    gy = np.swapaxes(x2, -1, -2) @ g2
    return unbroadcast(gy[..., 0] if np.ndim(y) == 1 else gy, y)


# ---------------------------------------------------------------- tensordot, dot, inner


def _axis_list(axes, ndim):
    axes = [axes] if isinstance(axes, (int, np.integer)) else list(axes)
    return [int(a) % ndim for a in axes]


def contracted_axes(x, y, axes=2):
    """The `axes` argument of `np.tensordot(x, y, axes)` as two lists of ints >= 0."""
    nx, ny = np.ndim(x), np.ndim(y)
    if isinstance(axes, (int, np.integer)):
        return list(range(nx - axes, nx)), list(range(axes))
    return _axis_list(axes[0], nx), _axis_list(axes[1], ny)


def tensordot_grad_left(g, x, y, axes=2):
    """The cotangent of `x` in `np.tensordot(x, y, axes)`."""
    ax, ay = contracted_axes(x, y, axes)
    free_x = [k for k in range(np.ndim(x)) if k not in ax]
    free_y = [k for k in range(np.ndim(y)) if k not in ay]
    gx = np.tensordot(g, y, (list(range(len(free_x), np.ndim(g))), free_y))
    # gx has x's free axes, then y's contracted axes in y's order.
    order = free_x + [ax[ay.index(k)] for k in sorted(ay)]
    return np.transpose(gx, np.argsort(order))


def tensordot_grad_right(g, x, y, axes=2):
    """The cotangent of `y` in `np.tensordot(x, y, axes)`."""
    ax, ay = contracted_axes(x, y, axes)
    free_x = [k for k in range(np.ndim(x)) if k not in ax]
    free_y = [k for k in range(np.ndim(y)) if k not in ay]
    gy = np.tensordot(x, g, (free_x, list(range(len(free_x)))))
    # gy has x's contracted axes in x's order, then y's free axes.
    order = [ay[ax.index(k)] for k in sorted(ax)] + free_y
    return np.transpose(gy, np.argsort(order))


def dot_axes(x, y):
    """`np.dot(x, y)` as a tensordot: the last axis of `x` with the second-to-last
    of `y` (its only one for a vector), or no axes when one is a scalar."""
    if np.ndim(x) == 0 or np.ndim(y) == 0:
        return [], []
    return [np.ndim(x) - 1], [max(np.ndim(y) - 2, 0)]


def inner_axes(x, y):
    """`np.inner(x, y)` as a tensordot: the last axes of both."""
    if np.ndim(x) == 0 or np.ndim(y) == 0:
        return [], []
    return [np.ndim(x) - 1], [np.ndim(y) - 1]


# ---------------------------------------------------------------- kron, cross


def _kron_shapes(a, b):
    """The shapes of `a` and `b` with as many dimensions as `np.kron(a, b)` has
    (ones in front of the shorter)."""
    ndim = max(np.ndim(a), np.ndim(b))
    return ((1,) * (ndim - np.ndim(a)) + np.shape(a), (1,) * (ndim - np.ndim(b)) + np.shape(b))


def _kron_blocks(g, a, b):
    """`g` shaped like `np.kron(a, b)`, with each axis split into one of `a`'s and
    one of `b`'s, interleaved: `blocks[i0, j0, i1, j1]` is the element of `a[i0, i1]
    * b[j0, j1]`. Also the padded shapes of `a` and `b`."""
    shape_a, shape_b = _kron_shapes(a, b)
    return np.reshape(g, [n for pair in zip(shape_a, shape_b) for n in pair]), shape_a, shape_b


def kron_grad_left(g, a, b):
    """The cotangent of `a` in `np.kron(a, b)`: each block of `g` paired with `b`."""
    blocks, shape_a, shape_b = _kron_blocks(g, a, b)
    spread_b = np.reshape(b, [n for m in shape_b for n in (1, m)])
    odd = tuple(range(1, 2 * len(shape_b), 2))
    return np.reshape(np.sum(blocks * spread_b, axis=odd), np.shape(a))


def kron_grad_right(g, a, b):
    """The cotangent of `b` in `np.kron(a, b)`: the blocks of `g` summed, each
    weighted by its element of `a`."""
    blocks, shape_a, shape_b = _kron_blocks(g, a, b)
    spread_a = np.reshape(a, [n for m in shape_a for n in (m, 1)])
    even = tuple(range(0, 2 * len(shape_a), 2))
    return np.reshape(np.sum(blocks * spread_a, axis=even), np.shape(b))


def _three_vectors(v):
    """Vectors along the last axis with 3 elements: a zero z appended to 2."""
    if np.shape(v)[-1] == 3:
        return v
    return np.concatenate([v, np.zeros(np.shape(v)[:-1] + (1,))], axis=-1)


def cross_grad(g, x, y, axisx=-1, axisy=-1, axisc=-1, axis=None):
    """The cotangent of `x` in `np.cross(x, y, axisa=axisx, axisb=axisy,
    axisc=axisc, axis=axis)`, vectors of 2 or 3 elements along `axisx` of `x`,
    `axisy` of `y` and `axisc` of `g` (all three `axis` if given, as np.cross
    takes them): `y × g` (g · (x × y) = x · (y × g)), with 2-vectors taken as
    3-vectors of z = 0 and the z component dropped again for an `x` of 2; the
    product of two 2-vectors is the z component alone, so its `g` is (0, 0, g).
    The cotangent of `y` is `-cross_grad(g, y, x, axisy, axisx, axisc, axis)`."""
    if axis is not None:
        axisx = axisy = axisc = axis
    x, y = np.moveaxis(x, axisx, -1), np.moveaxis(y, axisy, -1)
    if np.shape(x)[-1] == 2 and np.shape(y)[-1] == 2:
        g = np.stack([np.zeros(np.shape(g)), np.zeros(np.shape(g)), g], axis=-1)
    else:
        g = np.moveaxis(g, axisc, -1)
    cotangent = unbroadcast(np.cross(_three_vectors(y), g)[..., :np.shape(x)[-1]], x)
    return np.moveaxis(cotangent, -1, axisx)


# ---------------------------------------------------------------- einsum
#
# The rules see np.einsum's arguments as the call gives them, in either of its
# forms: `np.einsum('ij,jk->ik', x, y)`, or operands each followed by its axes,
# `np.einsum(x, [0, 1], y, [1, 2], [0, 2])`. `einsum_spec` turns them into one
# string of explicit letters with an entry for every argument, '_' for one that is
# not an operand (the subscripts, a sublist), so that `einsum_of` and
# `einsum_grad` take the arguments as they are, in their places: then the rules
# of those helpers are the rules of np.einsum again, and so to any order. The
# letters of an ellipsis are only known once the operands' ranks are, when the
# rule runs.

NOT_AN_OPERAND = '_'  # the entry of a spec for an argument that is not an operand
# np.einsum's own letters for the ints of a sublist: 0..25 are A..Z, 26..51 a..z.
_SUBLIST_LETTERS = string.ascii_uppercase + string.ascii_lowercase


def _implicit_output(entries):
    """NumPy's output for subscripts without '->': the broadcast axes of an
    ellipsis, then the letters used once, sorted."""
    letters = ''.join(e.replace('.', '') for e in entries if e != NOT_AN_OPERAND)
    once = ''.join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return ('...' if any('...' in e for e in entries) else '') + once


def _split(spec):
    """'ij,jk->ik' -> (['ij', 'jk'], 'ik'); an implicit output made explicit."""
    spec = spec.replace(' ', '')
    inputs, arrow, output = spec.partition('->')
    entries = inputs.split(',')
    return entries, output if arrow else _implicit_output(entries)


def _without_ellipsis(entries, output, args):
    """`entries` and `output` with each '...' written out in letters of its own:
    an operand whose ellipsis covers r axes gets the last r of them, as NumPy
    broadcasts those axes from the right."""
    ranks = [np.ndim(a) - len(e) + 3 for e, a in zip(entries, args) if '...' in e]
    if not ranks and '...' not in output:
        return entries, output
    used = set(''.join(entries) + output)
    letters = ''.join(c for c in string.ascii_letters if c not in used)[:max(ranks, default=0)]
    if min(ranks, default=0) < 0 or len(letters) < max(ranks, default=0):
        raise ValueError(f'np.einsum: an ellipsis in {",".join(entries)}->{output} does not '
                         f'fit the operands')
    ranks = iter(ranks)

    def written(entry, rank):
        return entry.replace('...', letters[len(letters) - rank:])
    entries = [written(e, next(ranks)) if '...' in e else e for e in entries]
    return entries, output.replace('...', letters)


def _parsed(spec, args):
    """(entries, output) of `spec` for the arguments `args` (one per entry, the
    operands where an entry is not '_'), in explicit letters."""
    if not isinstance(spec, str):
        raise TypeError(f'np.einsum subscripts must be a string, not {type(spec).__name__}')
    entries, output = _split(spec)
    args = list(args)[:len(entries)]
    if len(args) < len(entries) or any(a is None for e, a in zip(entries, args)
                                       if e != NOT_AN_OPERAND):
        raise ValueError(f'np.einsum({spec!r}) needs {len(entries)} operands')
    return _without_ellipsis(entries, output, args)


def _tangent_of_subscripts(entries, args):
    """Whether an argument in the place of the subscripts or a sublist holds a
    tangent of one (`zeros_like` of a string is 0.0, of a sublist a list of 0.0).

    The spec says how to contract; what is in those places is never read. A jvp
    rule writes one term per argument, each linear in it, and the compiler drops
    the terms whose tangent it knows is zero; but subscripts passed through a
    helper's parameter carry a zero tangent it cannot see, and the term of that
    tangent would be the einsum itself, counted twice. It is zero.
    """
    for entry, arg in zip(entries, args):
        if entry == NOT_AN_OPERAND and not (
                isinstance(arg, str) or (isinstance(arg, (list, tuple)) and all(
                    item is Ellipsis or (isinstance(item, (int, np.integer)) and
                                         not isinstance(item, bool)) for item in arg))):
            return True
    return False


def _joined(entries, output):
    return ','.join(entries) + '->' + output


def _sublist(axes):
    """A sublist, [0, Ellipsis, 1], as np.einsum's letters: 'A...B'."""
    letters = ''
    for axis in axes:
        if axis is Ellipsis:
            letters += '...'
        elif isinstance(axis, (int, np.integer)) and 0 <= axis < len(_SUBLIST_LETTERS):
            letters += _SUBLIST_LETTERS[axis]
        else:
            raise ValueError(f'np.einsum: {axes!r} is not a list of axes (ints from 0 to '
                             f'51, and Ellipsis)')
    return letters


def _spec_of_call(args):
    """(entries, output) of `np.einsum(*args)`, in either form: an entry per
    argument, '_' where it is not an operand, letters written out."""
    if isinstance(args[0], str):
        entries, output = _split(args[0])
        if len(entries) != len(args) - 1:
            raise ValueError(f'np.einsum({args[0]!r}) needs {len(entries)} operands, '
                             f'{len(args) - 1} given')
        entries, output = _without_ellipsis(entries, output, args[1:])
        return [NOT_AN_OPERAND] + entries, output
    pairs = len(args) // 2  # (operand, sublist) pairs, then the output's sublist
    entries = [_sublist(axes) for axes in args[1:2 * pairs:2]]
    output = _sublist(args[-1]) if len(args) % 2 else _implicit_output(entries)
    entries, output = _without_ellipsis(entries, output, args[0:2 * pairs:2])
    spec = [part for entry in entries for part in (entry, NOT_AN_OPERAND)]
    return spec + [NOT_AN_OPERAND] * (len(args) % 2), output


def einsum_spec(k, subscripts, x=None, y=None, z=None, w=None, u=None, v=None, p=None,
                q=None):
    """The spec of `np.einsum(subscripts, x, ...)`, in either form (the arguments
    that are None are not given), with argument `k` moved first: an entry per
    argument, '_' for the subscripts and the sublists, in explicit letters, with
    an explicit output.

    `einsum_spec(1, 'ij,jk', x, y)` is 'ij,_,jk->ik';
    `einsum_spec(0, x, [0, 1], y, [1, 2])` is 'AB,_,BC,_->AC'.
    """
    args = [a for a in (subscripts, x, y, z, w, u, v, p, q) if a is not None]
    entries, output = _spec_of_call(args)
    entries.insert(0, entries.pop(k))
    return _joined(entries, output)


def moved_first(spec, k):
    """The same spec with entry `k` moved first and the others in their order,
    output explicit: ('ij,jk->ik', 1) -> 'jk,ij->ik'."""
    entries, output = _split(spec)
    entries.insert(0, entries.pop(k))
    return _joined(entries, output)


def einsum_of(spec, x, y=None, z=None, w=None, u=None, v=None, p=None, q=None, r=None, *,
              optimize=False):
    """`np.einsum` of the arguments whose entry in `spec` is an operand (see
    `einsum_spec`): the einsum a rule can write with its arguments in their places.
    A spec without '_' is an ordinary subscripts string."""
    args = (x, y, z, w, u, v, p, q, r)
    entries, output = _parsed(spec, args)
    operands = [a for e, a in zip(entries, args) if e != NOT_AN_OPERAND]
    subscripts = _joined([e for e in entries if e != NOT_AN_OPERAND], output)
    result = np.einsum(subscripts, *operands, optimize=optimize)
    return np.zeros_like(result) if _tangent_of_subscripts(entries, args) else result


def einsum_grad(g, spec, x, y=None, z=None, w=None, u=None, v=None, p=None, q=None, r=None):
    """The cotangent of `x`, the first entry of `spec`, in `einsum_of(spec, x, y,
    ...)` (`einsum_spec` and `moved_first` put any operand first).

    The classic rule: swap the output with the operand, as in 'ij,jk->ik' ->
    'ik,jk->ij'. Letters that only this operand sums over are broadcast back, axes
    of length 1 that the others broadcast are summed back, and a repeated letter
    ('ii->', a trace) puts the result on the diagonal. `x` gives only its shape:
    the result is linear in `g` and in the other operands.
    """
    args = (x, y, z, w, u, v, p, q, r)
    entries, output = _parsed(spec, args)
    if entries[0] == NOT_AN_OPERAND:
        # The cotangent of the subscripts or a sublist (in reverse over reverse,
        # through a helper taking them as a parameter): they are not differentiated.
        return zeros_like(x)
    if _tangent_of_subscripts(entries, args):
        return np.zeros(np.shape(x))
    target = entries[0]
    others = [(e, a) for e, a in zip(entries[1:], args[1:]) if e != NOT_AN_OPERAND]
    unique = ''.join(dict.fromkeys(target))
    known = set(output).union(*[e for e, _ in others])
    present = ''.join(c for c in unique if c in known)
    part = np.einsum(_joined([output] + [e for e, _ in others], present), g,
                     *[a for _, a in others])
    sizes = dict(zip(target, np.shape(x)))
    summed = tuple(n for n, c in enumerate(present) if sizes[c] == 1 and part.shape[n] != 1)
    if summed:  # an axis of length 1 in x that the others broadcast
        part = np.sum(part, axis=summed, keepdims=True)
    part = np.broadcast_to(np.expand_dims(part, tuple(
        n for n, c in enumerate(unique) if c not in known)), [sizes[c] for c in unique])
    if len(unique) == len(target):
        return np.transpose(part, [unique.index(c) for c in target]).copy()
    # A repeated letter: 'ii' becomes 'ij' times the identity 'ij'.
    fresh = iter(sorted(set(string.ascii_letters) - set(''.join(entries) + output)))
    seen, written, eyes = set(), '', []
    for c in target:
        written += c if c not in seen else next(fresh)
        if c in seen:
            eyes.append((c + written[-1], np.eye(sizes[c])))
        seen.add(c)
    return np.einsum(_joined([unique] + [pair for pair, _ in eyes], written), part,
                     *[eye for _, eye in eyes])


# ---------------------------------------------------------------- trace


def trace_grad(g, x, offset=0, axis1=0, axis2=1):
    """The cotangent of `np.trace(x, offset, axis1, axis2)`: `g` on that diagonal."""
    shape = np.shape(x)
    eye = np.eye(shape[axis1], shape[axis2], offset)
    return np.moveaxis(np.multiply.outer(g, eye), (-2, -1), (axis1, axis2))


# ---------------------------------------------------------------- norm
#
# `norm_direction` is the derivative of np.linalg.norm along every element: the
# cotangent is `keep_dims(g) * norm_direction(...)`, the tangent the sum of
# `dx * norm_direction(...)` over the reduced axes. Its own derivative (what
# second derivatives need) is `norm_exponent`'s elementwise part for the p-norms
# (0 for the piecewise linear norms) plus `spectral_hessian` for the norms of
# singular values.

# Singular values (or eigenvalues) closer than this, relative to the largest, are
# taken to be equal: their computed difference is rounding error, or nearly so.
DEGENERATE = 1e-10


def _norm_case(order, x, axis):
    """How np.linalg.norm(x, order, axis) is computed: ('power', p) for the
    p-norms of vectors and the Frobenius norm (p = 2; what `ord=None` always
    is), ('extremum', order) for max |x| and min |x|, ('sums', order, axes) for
    a matrix norm of column or row sums, ('spectral', order, axes) for 'nuc', 2
    and -2 of matrices; `axes` are the matrix's (row, column) axes.

    Raises AdjointError for the orders without a derivative."""
    ndim = np.ndim(x)
    if axis is None:
        axes = tuple(range(ndim))
    elif isinstance(axis, (tuple, list)):
        axes = tuple(int(a) % ndim for a in axis)
    else:
        axes = (int(axis) % ndim,)
    if order is None or (len(axes) == 2 and order == 'fro'):
        return ('power', 2.0)
    if len(axes) == 2:
        if order in ('nuc', 2, -2):
            return ('spectral', order, axes)
        return ('sums', order, axes)
    if order in (np.inf, -np.inf):
        return ('extremum', order)
    if order == 0:
        raise AdjointError(
            'np.linalg.norm with ord=0 counts the nonzero elements: it has no derivative '
            '(it is constant between jumps); use np.count_nonzero outside the '
            'differentiated code, or another ord')
    if not order >= 1:
        raise AdjointError(
            f'the derivative of np.linalg.norm with ord={order!r} is not supported: '
            f'for vectors, ord is a number >= 1, inf or -inf (ord < 1 is not a norm)')
    return ('power', float(order))


def norm_exponent(order, x, axis=None):
    """The p of the elementwise part of the second derivative of np.linalg.norm:
    p for the p-norms (2 for the Frobenius norm), 1 (no elementwise part) for the
    piecewise linear and the spectral norms."""
    case = _norm_case(order, x, axis)
    return case[1] if case[0] == 'power' else 1.0


def norm_direction(x, norm, order=None, axis=None, keepdims=False):
    """The derivative of `norm = np.linalg.norm(x, order, axis, keepdims)` by each
    element of `x`, shaped like `x`.

    For vectors: x / norm for the 2-norm (0 where the norm is 0, the tip of a
    cone), sign(x) for the 1-norm (abs'(0) = 0), sign(x) |x / norm|^(p-1) for a
    p-norm, sign(x) at max |x| (or min |x|) for ord=inf (-inf), the elements tied
    there sharing it equally. For matrices (`axis` a pair, or None for a 2-d x):
    x / norm for 'fro'; for ord=1, -1, inf, -inf, sign(x) in the column (or row)
    whose sum of |x| is the norm, tied columns sharing; u v^T of the largest
    (ord=2) or smallest (ord=-2) singular value, tied singular values sharing
    (0 for a smallest singular value of 0, as abs'(0) = 0); U sign(S) V^T for
    'nuc' (the singular values of 0 contribute 0).
    """
    case = _norm_case(order, x, axis)
    x = np.asarray(x, dtype=float)
    kept = keep_dims(norm, x, axis, keepdims)
    if case[0] == 'power':
        p = case[1]
        if p == 1.0:
            return np.sign(x)
        scale = np.where(kept == 0, 1.0, kept)
        if p == 2.0:
            return x / scale
        return np.sign(x) * (np.abs(x) / scale) ** (p - 1.0)
    if case[0] == 'extremum':
        return np.sign(x) * _tied_share(np.abs(x), kept, axis)
    rows, columns = case[2]
    if case[0] == 'sums':
        # ord=1: the largest sum over the rows of a column; ord=inf: of a row.
        summed, chosen = (rows, columns) if order in (1, -1) else (columns, rows)
        sums = np.sum(np.abs(x), axis=summed, keepdims=True)
        return np.sign(x) * _tied_share(sums, kept, chosen)
    moved = np.moveaxis(x, (rows, columns), (-2, -1))
    u, s, vh = np.linalg.svd(moved, full_matrices=False)
    return np.moveaxis((u * _singular_weights(s, order)[..., None, :]) @ vh,
                       (-2, -1), (rows, columns))


def _tied_share(values, extremum, axis):
    """1/k at each of the k elements of `values` equal to `extremum` along `axis`
    (broadcast against each other), 0 elsewhere: ties share equally."""
    hit = (values == extremum).astype(float)
    return hit / np.sum(hit, axis=axis, keepdims=True)


def _singular_weights(s, order):
    """What each singular value contributes to the derivative of a norm of them:
    1 for the nonzero ones ('nuc'), 1/k for the k tied at the largest (2) or the
    smallest (-2), none for a largest or smallest singular value of 0."""
    top = np.max(s, axis=-1, keepdims=True)
    tolerance = DEGENERATE * top
    if order == 'nuc':
        return (s > tolerance).astype(float)
    extremum = top if order == 2 else np.min(s, axis=-1, keepdims=True)
    hit = (np.abs(s - extremum) <= tolerance) & (extremum > tolerance)
    return hit / np.maximum(np.sum(hit, axis=-1, keepdims=True), 1)


def spectral_hessian(t, x, order=None, axis=None):
    """The second derivative of `np.linalg.norm(x, order, axis)` along `t` for the
    norms of singular values, 'nuc', 2 and -2 (symmetric, so that it is its own
    adjoint), shaped like `x`; zeros for the other orders, whose second
    derivatives `norm_direction`'s rules give elementwise.

    From the derivative of the SVD (Townsend 2016, "Differentiating the Singular
    Value Decomposition"), with dP = U^T t V: for 'nuc', d(U V^T) is
    U (dP - dP^T) / (s_i + s_j) V^T plus the parts of t outside U's and V's
    columns, divided by s; for ord=2 (-2), d(u v^T) of the singular value s_c
    chosen, from du and dv, which divide by s_c^2 - s_j^2.

    Raises AdjointError where that derivative does not exist: a singular value of
    0 ('nuc'), or one chosen by ord=2 or -2 that is tied or 0.
    """
    case = _norm_case(order, x, axis)
    if case[0] != 'spectral':
        return np.zeros(np.shape(x))
    rows, columns = case[2]
    t = np.moveaxis(np.broadcast_to(t, np.shape(x)), (rows, columns), (-2, -1))
    x = np.moveaxis(np.asarray(x, dtype=float), (rows, columns), (-2, -1))
    u, s, vh = np.linalg.svd(x, full_matrices=False)
    v = np.swapaxes(vh, -1, -2)
    tolerance = DEGENERATE * np.max(s, axis=-1, keepdims=True)
    dp = np.swapaxes(u, -1, -2) @ t @ v
    if order == 'nuc':
        if np.any(s <= tolerance):
            raise AdjointError(
                "the second derivative of np.linalg.norm(x, 'nuc') is not defined where "
                "x has a singular value of 0 (it is not full rank)")
        inverse = 1.0 / s[..., None, :]
        inner = (dp - np.swapaxes(dp, -1, -2)) / (s[..., :, None] + s[..., None, :])
        outside_v = t - (t @ v) @ vh
        outside_u = t - u @ (np.swapaxes(u, -1, -2) @ t)
        out = (u @ inner @ vh + (outside_u @ v * inverse) @ vh
               + (u * inverse) @ (np.swapaxes(u, -1, -2) @ outside_v))
    else:
        c = np.argmax(s, axis=-1) if order == 2 else np.argmin(s, axis=-1)
        out = np.empty(np.shape(x))
        for k in np.ndindex(np.shape(s)[:-1]):
            out[k] = _chosen_value_hessian(t[k], u[k], s[k], v[k], dp[k], c[k],
                                           tolerance[k][0], order)
    return np.moveaxis(out, (-2, -1), (rows, columns))


def _chosen_value_hessian(t, u, s, v, dp, c, tolerance, order):
    """d(u_c v_c^T) along t for one matrix: the second derivative of its
    singular value s_c."""
    others = np.arange(len(s)) != c
    if s[c] <= tolerance or np.any(np.abs(s[others] - s[c]) <= tolerance):
        raise AdjointError(
            f'the second derivative of np.linalg.norm(x, {order}) is not defined where '
            f'its singular value is tied with another, or is 0')
    gaps = np.where(others, s[c] ** 2 - s ** 2, 1.0)
    a = np.where(others, (dp[:, c] * s[c] + s * dp[c, :]) / gaps, 0.0)
    b = np.where(others, (s * dp[:, c] + s[c] * dp[c, :]) / gaps, 0.0)
    tv, tu = t @ v[:, c], t.T @ u[:, c]
    du = u @ a + (tv - u @ (u.T @ tv)) / s[c]
    dv = v @ b + (tu - v @ (v.T @ tu)) / s[c]
    return np.outer(du, v[:, c]) + np.outer(u[:, c], dv)


def no_spectral_third_derivative(x, order=None, axis=None):
    """Zeros shaped like `x`, the derivative of `spectral_hessian` by `x` for the
    orders it is 0 for; raises AdjointError for 'nuc', 2 and -2 of matrices,
    whose third derivatives adjoint does not compute."""
    if _norm_case(order, x, axis)[0] == 'spectral':
        raise AdjointError(
            f'third derivatives of np.linalg.norm with ord={order!r} are not supported '
            f'(first and second derivatives are)')
    return np.zeros(np.shape(x))


# ---------------------------------------------------------------- matrix factorizations
#
# np.linalg.cholesky and np.linalg.eigh read one triangle of their argument (the
# lower one, for eigh's default UPLO='L'): they are functions of the symmetric
# matrix S built from it. Their rules differentiate by S, then give each element of
# that triangle what it contributes to S: `(ds + ds^T) * triangle_weights(a)` is
# the cotangent of `a` for a symmetric cotangent `ds` of S, and S's tangent is
# `t + t^T` for `t = da * triangle_weights(a)`.


def triangle_weights(a, uplo='L'):
    """1 below the diagonal (above it, for uplo='U'), 1/2 on it, 0 elsewhere: the
    weights of the triangle of the last two axes of `a` that np.linalg.eigh and
    np.linalg.cholesky read."""
    n = np.shape(a)[-1]
    lower = np.tri(n) - 0.5 * np.eye(n)
    return lower if str(uplo).upper() == 'L' else lower.T


def distinct_gaps(w, name='np.linalg.eigh'):
    """The matrix of differences `w[j] - w[i]` of the last axis of `w` (1 on the
    diagonal, so that its reciprocal is finite there): what the derivatives of
    eigenvectors and singular vectors divide by.

    Raises AdjointError naming `name` if two elements are equal, or closer than
    `DEGENERATE` times the largest: eigenvectors (singular vectors) of a repeated
    eigenvalue (singular value) have no derivative, nor, in general, do the
    eigenvalues themselves.
    """
    w = np.asarray(w, dtype=float)
    gaps = np.expand_dims(w, -2) - np.expand_dims(w, -1)
    n = np.shape(w)[-1]
    off = ~np.eye(n, dtype=bool)
    scale = np.max(np.abs(w), axis=-1, keepdims=True)[..., None]
    if np.any((np.abs(gaps) <= DEGENERATE * scale) & off):
        what = {'np.linalg.svd': 'singular values'}.get(name, 'eigenvalues')
        raise AdjointError(
            f'the derivative of {name} is not defined here: two {what} are equal (to '
            f'within {DEGENERATE:g} of the largest), so the vectors of either are not '
            f'unique; it is defined where the {what} are distinct')
    return gaps + np.eye(n)


def inverse_singular(s):
    """1 / s, for the singular values `s` of np.linalg.svd; raises AdjointError for
    a singular value of 0 (at most `DEGENERATE` times the largest), where the
    singular values, like |x| at 0, have no derivative."""
    s = np.asarray(s, dtype=float)
    if np.any(s <= DEGENERATE * np.max(s, axis=-1, keepdims=True)):
        raise AdjointError(
            'the derivative of np.linalg.svd is not defined where a singular value is 0 '
            '(the matrix is not of full rank): like |x| at 0, it has no derivative there')
    return 1.0 / s


# ---------------------------------------------------------------- svd
#
# np.linalg.svd returns (u, s, vh), or s alone with compute_uv=False. Its rules
# work with the reduced factors (`svd_factors`) and a cotangent for each of them
# (`svd_cotangents`), and give tangents in the form of the result (`svd_like`).


def svd_factors(a, full_matrices=True, compute_uv=True, hermitian=False, known=None):
    """(u, s, vh), the reduced SVD of `a`: `known` itself if it is one (the result
    of np.linalg.svd(a, full_matrices, compute_uv, hermitian), or of this
    function), else computed.

    Raises AdjointError for what the rules of np.linalg.svd do not differentiate:
    hermitian=True, and the full U or Vh of a matrix that is not square (their
    extra columns are any basis of a subspace, with no derivative).
    """
    if hermitian:
        raise AdjointError(
            'the derivative of np.linalg.svd with hermitian=True is not supported; '
            'leave hermitian out (or use np.linalg.eigh for a symmetric matrix)')
    shape = np.shape(a)
    if full_matrices and compute_uv and shape[-1] != shape[-2]:
        raise AdjointError(
            'the derivative of np.linalg.svd with full_matrices=True (the default) of a '
            'matrix that is not square is not defined: the extra columns of u (or rows '
            'of vh) are any basis of a subspace; pass full_matrices=False')
    if isinstance(known, tuple) and len(known) == 3:
        return known
    return tuple(np.linalg.svd(a, full_matrices=False))


def svd_cotangents(g, factors):
    """[gu, gs, gvh]: the cotangent `g` of np.linalg.svd's result, (u, s, vh) or s
    alone, as one for each factor (zeros for u and vh if s was alone)."""
    if isinstance(g, (list, tuple)):
        return list(g)
    return [np.zeros(np.shape(factors[0])), g, np.zeros(np.shape(factors[2]))]


def svd_like(parts, result):
    """The tangents (or cotangents) `parts` = [du, ds, dvh] of the three factors in
    the form of `result`: a list of them for (u, s, vh), ds for s alone."""
    if isinstance(result, (list, tuple)):
        return list(parts)
    return parts[1]


# ---------------------------------------------------------------- pinv


def full_rank_pinv(p, a, rcond=None, hermitian=False, rtol=None):
    """`p`, the np.linalg.pinv(a, rcond, hermitian, rtol=rtol) of `a`, after
    checking that `a` has full rank, where its derivative is the formula of
    Golub and Pereyra (1973). Raises AdjointError otherwise: where pinv cuts
    small singular values off, it jumps."""
    if hermitian:
        raise AdjointError(
            'the derivative of np.linalg.pinv with hermitian=True is not supported; '
            'leave hermitian out')
    s = np.linalg.svd(a, compute_uv=False)
    shape = np.shape(a)
    if rtol is None or rtol is getattr(np, '_NoValue', None):
        rtol = rcond if rcond is not None else max(shape[-2:]) * np.finfo(float).eps
    cutoff = np.asarray(rtol)[..., None] * np.max(s, axis=-1, keepdims=True)
    if np.any(s <= cutoff):
        raise AdjointError(
            'the derivative of np.linalg.pinv is only supported for a matrix of full '
            'rank: this one has a singular value that pinv treats as 0, where pinv '
            'is not continuous')
    return p


# ---------------------------------------------------------------- solve
#
# np.linalg.solve(a, b) reads a 1-d `b` as one vector (NumPy 2), even when `a` is
# a stack of matrices, and anything else as (stacks of) matrices. These helpers
# take `b` to apply the same reading to the vectors or matrices they combine.


def solve_like(a, r, b):
    """`a^-1 r`, with `r` vectors where `b` is 1-d, else matrices."""
    if np.ndim(b) == 1:
        return np.linalg.solve(a, np.asarray(r)[..., None])[..., 0]
    return np.linalg.solve(a, r)


def solve_transposed(a, g, b):
    """`a^-T g`: the cotangent of `b` in `x = np.linalg.solve(a, b)`."""
    return solve_like(np.swapaxes(a, -1, -2), g, b)


def times_like(a, x, b):
    """`a @ x`, with `x` vectors where `b` is 1-d, else matrices."""
    if np.ndim(b) == 1:
        return (a @ np.asarray(x)[..., None])[..., 0]
    return a @ x


def times_transposed(u, v, b):
    """`u @ v^T` for the matrices of `np.linalg.solve`, `u v^T` for vectors (`b` 1-d)."""
    if np.ndim(b) == 1:
        return u[..., :, None] * v[..., None, :]
    return u @ np.swapaxes(v, -1, -2)


# ---------------------------------------------------------------- qr, lstsq


def full_rank_qr(factors, a, mode='reduced'):
    """`factors`, the (q, r) of np.linalg.qr(a, mode), after checking that the
    derivative exists where the rules of np.linalg.qr compute it: in the reduced
    mode, of a matrix (or a stack of them) with at least as many rows as columns,
    of full rank (r invertible).

    Raises:
        AdjointError: for another mode, a matrix with more columns than rows, or
            one not of full rank.
    """
    if mode != 'reduced':
        raise AdjointError(f'the derivative of np.linalg.qr with mode={mode!r} is not '
                           f'supported: only mode="reduced" (the default)')
    rows, columns = np.shape(a)[-2:]
    if rows < columns:
        raise AdjointError(
            'the derivative of np.linalg.qr of a matrix with more columns than rows is not '
            'supported (its r is not square, and q depends on the first columns only): '
            'differentiate the qr of a[..., :, :k] for k the number of rows')
    d = np.abs(np.diagonal(factors[1], axis1=-2, axis2=-1))
    if np.any(d <= DEGENERATE * np.max(d, axis=-1, keepdims=True)):
        raise AdjointError(
            'the derivative of np.linalg.qr is not defined where the matrix is not of full '
            'rank (r has a 0 on its diagonal): q is not unique there')
    return factors


def full_rank_lstsq(results, a):
    """`results`, those of np.linalg.lstsq(a, b, rcond), after checking that `a` is
    of full rank (the rank in `results` is the smaller of its dimensions), where
    the solution is `np.linalg.pinv(a) @ b` and differentiable.

    Raises:
        AdjointError: for a matrix not of full rank, where the solution jumps as
            singular values cross the cut-off of `rcond`.
    """
    if results[2] < min(np.shape(a)):
        raise AdjointError(
            'the derivative of np.linalg.lstsq is only supported for a matrix of full rank: '
            'this one has a singular value that lstsq treats as 0 (rcond), where its '
            'solution is not continuous')
    return results


def residual_weights(g, like):
    """The cotangent `g` of the residuals of np.linalg.lstsq (one per column of b, or
    none) shaped like `like` (a row of the solution): zeros where there are no
    residuals. The adjoint of `residuals_like`."""
    if np.size(g) == 0:
        return np.zeros(np.shape(like))
    return np.reshape(g, np.shape(like))


def residuals_like(t, residuals):
    """The tangent `t` of the residuals of np.linalg.lstsq (one per column of b, as a
    row of the solution is), shaped like `residuals`: empty where they are."""
    if np.size(residuals) == 0:
        return np.zeros(np.shape(residuals))
    return np.reshape(t, np.shape(residuals))


def singular_cotangent(gs, a):
    """U diag(gs) V^T for the reduced SVD of the matrix `a`: the cotangent of `a`
    from a cotangent `gs` of its singular values (the `s` of np.linalg.lstsq).
    Zeros, without an SVD, for a `gs` of zeros: where `s` is not used, its
    derivatives (and the SVD's, which raise where singular values repeat) are
    not needed."""
    if not np.any(gs):
        return np.zeros(np.shape(a))
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return (u * gs) @ vh


def singular_tangent(t, a):
    """diag(U^T t V): the tangent of the singular values of `a` along `t`, and the
    adjoint of `singular_cotangent`."""
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return np.sum(u * (t @ vh.T), axis=0)


def singular_unused(g, like):
    """Zeros shaped like `like` where `g` is 0: the second derivatives of
    `singular_cotangent` and `singular_tangent`, where they do not use the
    singular values.

    Raises:
        AdjointError: where `g` is not 0: second derivatives of the singular
            values of np.linalg.lstsq are not supported.
    """
    if np.any(g):
        raise AdjointError('second derivatives of the singular values s of np.linalg.lstsq '
                           'are not supported (of its solution and residuals they are): '
                           'use np.linalg.svd(a, compute_uv=False) for them')
    return np.zeros(np.shape(like))


# ---------------------------------------------------------------- matrix_power
#
# The derivative of a function f of a matrix along e is the upper right block of
# f([[a, e], [0, a]]) (Higham, "Functions of Matrices", 2008, Theorem 3.6). For
# np.linalg.matrix_power that is f itself, whose rules then serve every order;
# these helpers build and cut those blocks (of the last two axes).


def diagonal_blocks(a):
    """[[a, 0], [0, a]] of the last two axes of `a`."""
    a = np.asarray(a, dtype=float)
    zeros = np.zeros(np.shape(a))
    return np.concatenate([np.concatenate([a, zeros], -1), np.concatenate([zeros, a], -1)], -2)


def diagonal_sum(m):
    """The sum of the two diagonal blocks of `m` (of the last two axes): the adjoint
    of `diagonal_blocks`."""
    k = np.shape(m)[-1] // 2
    return m[..., :k, :k] + m[..., k:, k:]


def corner_block(e):
    """[[0, e], [0, 0]] of the last two axes of `e`: the adjoint of `corner`."""
    e = np.asarray(e, dtype=float)
    zeros = np.zeros(np.shape(e))
    return np.concatenate([np.concatenate([zeros, e], -1), np.concatenate([zeros, zeros], -1)],
                          -2)


def corner(m):
    """The upper right block of the last two axes of `m` (a view)."""
    k = np.shape(m)[-1] // 2
    return m[..., :k, k:]


# ---------------------------------------------------------------- multi_dot
#
# np.linalg.multi_dot([a_0, ..., a_{n-1}]) as one matrix: Z has a_k in its block
# (k, k+1), zeros elsewhere (a first vector a row, a last one a column). Z is
# nilpotent, W = inv(I - Z) = I + Z + Z^2 + ... has the products a_i ... a_{j-1}
# in its blocks (i, j), the whole product in (0, n), and dW = W dZ W. So the
# tangent is (E_0^T W) dZ (W E_n), the cotangent of Z is (W^T E_0) g (E_n^T W^T),
# each a_k's its block (k, k+1): the rules of np.linalg.solve and of these linear
# helpers serve every order.


def _chain_dims(arrays):
    """[d_0, ..., d_n]: arrays[k] is a d_k x d_{k+1} matrix, a first vector a row
    (d_0 = 1), a last one a column (d_n = 1)."""
    shapes = [np.shape(a) for a in arrays]
    if len(shapes[0]) == 1:
        shapes[0] = (1,) + shapes[0]
    if len(shapes[-1]) == 1:
        shapes[-1] = shapes[-1] + (1,)
    return [s[0] for s in shapes] + [shapes[-1][1]]


def _blocks(arrays):
    """(the bounds of each block of the chain matrix, its size)."""
    starts = np.cumsum([0] + _chain_dims(arrays))
    return [(int(starts[k]), int(starts[k + 1])) for k in range(len(starts) - 1)], int(starts[-1])


def chain_matrix(items, arrays):
    """Z: `items` (shaped like `arrays`, the matrices of a multi_dot) in the blocks
    (k, k+1) of a square matrix of zeros. Linear in `items`."""
    bounds, size = _blocks(arrays)
    z = np.zeros((size, size))
    for k, (item, a) in enumerate(zip(items, arrays)):
        (r0, r1), (c0, c1) = bounds[k], bounds[k + 1]
        z[r0:r1, c0:c1] = np.reshape(np.broadcast_to(item, np.shape(a)), (r1 - r0, c1 - c0))
    return z


def unchain(m, arrays):
    """The blocks (k, k+1) of `m` (views), each shaped like arrays[k], as a list (an
    array for an array `arrays`): the adjoint of `chain_matrix`."""
    bounds, _ = _blocks(arrays)
    return items_like([np.reshape(m[bounds[k][0]:bounds[k][1], bounds[k + 1][0]:bounds[k + 1][1]],
                                  np.shape(a)) for k, a in enumerate(arrays)], arrays)


def chain_end(arrays, last=False):
    """E_0 (E_n if `last`): the columns of the identity of the chain matrix's size
    at its first (last) block."""
    bounds, size = _blocks(arrays)
    start, stop = bounds[-1] if last else bounds[0]
    return np.eye(size)[:, start:stop]


def chain_shape(arrays):
    """(d_0, d_n): the shape of np.linalg.multi_dot(arrays) as a matrix."""
    dims = _chain_dims(arrays)
    return (dims[0], dims[-1])
