"""coordinates: the elements of an argument that a Jacobian or Hessian is taken by.

A Jacobian runs one jvp per element of its input (or one pullback per element of
its output) and lays the results out as an array. What "an element" is, and how
the results are laid out, follows the argument:

- a number, an array, or a tuple or list that makes one array of numbers counts
  as that array (`outputs.array_shape`): the Jacobian is one array of shape
  `out.shape + x.shape`, as before;
- a dict, or a tuple or list of arrays of different shapes, is a pytree, as in
  JAX: the Jacobian has its structure (types included), each leaf replaced by
  the block of shape `out.shape + leaf.shape`.
"""

import numbers

import numpy as np

from adjoint.outputs import array_shape, shaped_like
from transforms.core.errors import AdjointError


class Coordinates:
    """The elements of `x`, in order, with the unit tangents along each and the
    inverse: a flat vector of derivatives laid out like `x`.

    Args:
        x: the argument (or output).
        api: the API asking ('jacobian', 'hessian'), for errors.
        what: `x` named for an error ("argument 0 of `f`").
    """

    def __init__(self, x, api, what):
        self.x = x
        self.tree = _is_tree(x)
        if self.tree:
            self.leaves = list(_leaves(x, (), api, what))  # (path, leaf) of numbers
            self.shapes = [np.shape(leaf) for _, leaf in self.leaves]
        else:
            self.shapes = [array_shape(x, api, what, 'pass it as an array')]
        self.sizes = [int(np.prod(shape)) for shape in self.shapes]
        self.size = sum(self.sizes)

    def basis(self):
        """The unit tangents, one per element, each shaped like `x` (its type,
        its structure, zeros but for the one element)."""
        if not self.tree:
            for k in range(self.size):
                e = np.zeros(self.size)
                e[k] = 1.0
                yield shaped_like(e.reshape(self.shapes[0]), self.x)
            return
        zeros = [np.zeros(shape) for shape in self.shapes]
        for i, (path, leaf) in enumerate(self.leaves):
            for k in range(self.sizes[i]):
                unit = np.zeros(self.sizes[i])
                unit[k] = 1.0
                items = [z if j != i else unit.reshape(self.shapes[i])
                         for j, z in enumerate(zeros)]
                yield self._rebuilt([_as_leaf(item, leaf) for item, (_, leaf)
                                     in zip(items, self.leaves)])

    def flatten(self, value):
        """`value`, shaped like `x` (a tangent or cotangent of it), as one flat
        float vector of `size` elements."""
        if not self.tree:
            return np.reshape(np.asarray(value, dtype=float), -1)
        parts = [np.reshape(np.asarray(_at(value, path), dtype=float), -1)
                 for path, _ in self.leaves]
        return np.concatenate(parts) if parts else np.zeros(0)

    def unflatten(self, block, lead=()):
        """`block`, of shape `lead + (size,)`, laid out like `x`: an array of shape
        `lead + x.shape`, or `x`'s structure with leaves of shape `lead + leaf.shape`."""
        block = np.asarray(block, dtype=float)
        if not self.tree:
            return block.reshape(tuple(lead) + self.shapes[0])
        leaves = iter(leaf for _, leaf in self.leaves)
        return self.each_leaf(
            block, lambda part, shape: _number_like(part.reshape(tuple(lead) + shape),
                                                    next(leaves)), axis=-1)

    def each_leaf(self, block, make, axis=0):
        """`x`'s structure holding `make(part, leaf shape)` for each leaf, where
        `part` is the slice of `block` along `axis` that belongs to the leaf."""
        parts, start = [], 0
        for size, shape in zip(self.sizes, self.shapes):
            part = np.take(block, np.arange(start, start + size), axis=axis)
            parts.append(make(part, shape))
            start += size
        return self._rebuilt(parts)

    def _rebuilt(self, items):
        """`x`'s structure with its leaves replaced by `items`, in order."""
        replaced = dict(zip((path for path, _ in self.leaves), items))
        return _replaced(self.x, (), replaced)


def _is_tree(x):
    """Whether `x` is laid out as a pytree: a dict, or a container that makes no
    one array (`outputs.array_shape` would reject it)."""
    if isinstance(x, dict):
        return True
    if isinstance(x, (tuple, list)):
        try:
            np.asarray(x, dtype=float)
        except (ValueError, TypeError):
            return True
        return any(isinstance(item, dict) for item in x)
    return False


def _leaves(x, path, api, what):
    """(path, leaf) of every number or array in `x`, depth first."""
    if isinstance(x, dict):
        for key, item in x.items():
            yield from _leaves(item, path + (key,), api, what)
    elif isinstance(x, (tuple, list)):
        for k, item in enumerate(x):
            yield from _leaves(item, path + (k,), api, what)
    elif isinstance(x, (numbers.Real, np.ndarray, np.generic)) and \
            np.asarray(x).dtype.kind in 'biuf':
        yield path, x
    else:
        at = ''.join(f'[{key!r}]' for key in path)
        raise AdjointError(
            f'adjoint.{api}: {what}{at} is {type(x).__name__}, not a number or an array; '
            f'a {api} is taken with respect to numbers: pass the settings that are not '
            f'numbers as another parameter (not in wrt)')


def _as_leaf(item, leaf):
    """A tangent `item` (an array) as a value of `leaf`'s type: a float for a
    number, as the generated code is specialized to."""
    return item if isinstance(leaf, np.ndarray) else float(item)


def _number_like(block, leaf):
    """A 0-d `block` as a float where `leaf` is a number, as `grad` of a float is."""
    if np.ndim(block) == 0 and not isinstance(leaf, np.ndarray):
        return float(block)
    return block


def _at(value, path):
    for key in path:
        value = value[key]
    return value


def _replaced(x, path, replaced):
    if path in replaced:
        return replaced[path]
    if isinstance(x, dict):
        return {key: _replaced(item, path + (key,), replaced) for key, item in x.items()}
    if isinstance(x, (tuple, list)):
        items = [_replaced(item, path + (k,), replaced) for k, item in enumerate(x)]
        return type(x)(*items) if hasattr(x, '_fields') else type(x)(items)  # a namedtuple
    return x
