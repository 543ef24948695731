"""Runtime helpers for the rules of products and linear algebra (`numpy_linalg.py`).

Each handles the cases of its primitive that a straight-line template cannot: a
vector argument of `@` (a row on the left, a column on the right), the axes of
`np.tensordot` and `np.dot`, the subscripts of `np.einsum`.
"""

import numpy as np

from adjoint.rules.numpy_helpers import keep_dims
from adjoint.runtime import unbroadcast
from transforms.errors import AdjointError


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


# ---------------------------------------------------------------- einsum


_SUBLISTS = ('the derivative of np.einsum in its operand and sublist form, '
             'np.einsum(x, [0, 1], [1, 0]), is not supported; write the subscripts as '
             'a string: np.einsum("ij->ji", x)')


def _parse_subscripts(subscripts, count):
    """'ij,jk->ik' -> (['ij', 'jk'], 'ik'); an implicit output is the letters used
    once, sorted (NumPy's rule)."""
    if not isinstance(subscripts, str):
        raise AdjointError(_SUBLISTS)
    subscripts = subscripts.replace(' ', '')
    if '.' in subscripts:
        raise AdjointError(
            f'the derivative of np.einsum({subscripts!r}, ...) with an ellipsis is not '
            f'supported; write the axes out')
    inputs, arrow, output = subscripts.partition('->')
    inputs = inputs.split(',')
    if len(inputs) != count:
        raise ValueError(f'np.einsum({subscripts!r}) needs {len(inputs)} operands')
    if not arrow:
        letters = ''.join(inputs)
        output = ''.join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return inputs, output


def moved_first(subscripts, k):
    """The subscripts of the same np.einsum with operand `k` moved first and the
    others in their order, output explicit: ('ij,jk->ik', 1) -> 'jk,ij->ik'.

    Raises AdjointError for anything but a string: np.einsum's operand and
    sublist form, `np.einsum(x, [0, 1], [1, 0])`, which the rules do not support
    (its first argument is then an operand: its cotangent and its tangent are
    `moved_first` of it, which raises)."""
    count = subscripts.count(',') + 1 if isinstance(subscripts, str) else None
    inputs, output = _parse_subscripts(subscripts, count)
    inputs.insert(0, inputs.pop(k))
    return ','.join(inputs) + '->' + output


def einsum_of(subscripts, x, y=None, z=None, w=None, *, optimize=False):
    """`np.einsum(subscripts, x, y, ...)` of the operands that are not None: the
    einsum a rule can write with a fixed number of arguments."""
    operands = [op for op in (x, y, z, w) if op is not None]
    return np.einsum(subscripts, *operands, optimize=optimize)


def einsum_grad(g, subscripts, *operands):
    """The cotangent of the first operand of `np.einsum(subscripts, *operands)`
    (`moved_first` puts any operand first); operands that are None are ignored.

    The classic rule: swap the output with the operand, as in 'ij,jk->ik' ->
    'ik,jk->ij'. Letters that only this operand sums over are broadcast back, and
    a repeated letter ('ii->', a trace) puts the result on the diagonal. The first
    operand gives only its shape: the result is linear in `g` and in the others.
    """
    operands = [op for op in operands if op is not None]
    inputs, output = _parse_subscripts(subscripts, len(operands))
    target, x = inputs[0], operands[0]
    others = inputs[1:]
    unique = ''.join(dict.fromkeys(target))
    known = set(output).union(*others)
    present = ''.join(c for c in unique if c in known)
    spec = ','.join([output] + others) + '->' + present
    part = np.einsum(spec, g, *operands[1:])
    sizes = dict(zip(target, np.shape(x)))
    part = np.broadcast_to(np.expand_dims(part, tuple(
        n for n, c in enumerate(unique) if c not in known)), [sizes[c] for c in unique])
    if len(unique) == len(target):
        return np.transpose(part, [unique.index(c) for c in target]).copy()
    # A repeated letter: 'ii' becomes 'ij' times the identity 'ij'.
    fresh = iter(sorted(set('abcdefghijklmnopqrstuvwxyz') - set(subscripts)))
    seen, written, eyes = set(), '', []
    for c in target:
        written += c if c not in seen else next(fresh)
        if c in seen:
            eyes.append((c + written[-1], np.eye(sizes[c])))
        seen.add(c)
    spec = ','.join([unique] + [s for s, _ in eyes]) + '->' + written
    return np.einsum(spec, part, *[eye for _, eye in eyes])


# ---------------------------------------------------------------- matrices


def trace_grad(g, x, offset=0, axis1=0, axis2=1):
    """The cotangent of `np.trace(x, offset, axis1, axis2)`: `g` on that diagonal."""
    shape = np.shape(x)
    eye = np.eye(shape[axis1], shape[axis2], offset)
    return np.moveaxis(np.multiply.outer(g, eye), (-2, -1), (axis1, axis2))


def norm_grad(g, norm, x, order=None, axis=None, keepdims=False):
    """The cotangent of `norm = np.linalg.norm(x, order, axis, keepdims)`.

    The 2-norm of vectors and the Frobenius norm of matrices (`order` None, 2 for
    vectors, 'fro'), and the 1-norm of vectors; 0 where the norm is 0.
    """
    vector = (axis is None and np.ndim(x) == 1) or isinstance(axis, (int, np.integer))
    if not (order in (None, 'fro') or (vector and order in (1, 2))):
        raise AdjointError(
            f'the derivative of np.linalg.norm with ord={order!r} is not supported: '
            f'only the 2-norm and 1-norm of vectors and the Frobenius norm; write the '
            f'norm out (e.g. np.max(np.abs(x)) for ord=np.inf)')
    g = keep_dims(g, x, axis, keepdims)
    if order == 1:
        return g * np.sign(x)
    norm = keep_dims(norm, x, axis, keepdims)
    return g * x / np.where(norm == 0, 1.0, norm)


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
