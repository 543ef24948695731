"""Result kinds of NumPy primitives that are not elementwise (see `transforms/analysis/kinds.py`).

A kind function gets the kinds of a call's arguments and returns the kind of its
result, or None when it is not sure: a wrong 'float' (say, for a reduction that
keeps an axis) would make generated code skip `unbroadcast` and be wrong, while
None only costs a helper call. 'array' is claimed for float results that may be
0-d (`np.sum(x, axis=0)` of a vector): every use of 'array' is right for those.
'vector' and 'matrix' are claimed only where the result surely has one or two
dimensions.
"""

from transforms.analysis.kinds import ARRAYS, NDIMS, SCALARS, array_kind

FLOATS = ARRAYS | {'float'}


def method(kind):
    """The kind function of `x.name(...)` from that of `np.name(x, ...)`.

    A method call's arguments are `(x, name, *args)`: this drops the name.
    """
    def method_kind(args, kwargs):
        return kind([args[0]] + list(args[2:]), kwargs)
    method_kind.__doc__ = kind.__doc__
    return method_kind


def _reduction(scalar_result):
    def kind(args, kwargs):
        x = args[0] if args else None
        if x in ('int', 'float'):
            return scalar_result.get(x)
        if x not in ARRAYS:
            return None
        keeps_axes = len(args) > 1 or 'axis' in kwargs or 'keepdims' in kwargs
        return 'array' if keeps_axes else 'float'
    return kind


summed = _reduction({'int': 'int', 'float': 'float'})
summed.__doc__ = """`np.sum`, `np.prod`, `np.max`: an int of an int, a float of a float or
of a whole float array, 'array' with an axis."""
averaged = _reduction({'int': 'float', 'float': 'float'})
averaged.__doc__ = """`np.mean`, `np.var`, `np.std`: like `summed`, but a float of an int."""


def scanned(args, kwargs):
    """`np.cumsum`, `np.cumprod`: without an axis, a vector (they flatten); with one
    (which may be None), 'array'; of floats or float arrays."""
    if not args or args[0] not in FLOATS or 'dtype' in kwargs:
        return None
    return 'array' if len(args) > 1 or 'axis' in kwargs else 'vector'


def float_array(args, kwargs):
    """A float array made from a float array or scalar (`np.reshape`, `np.inv`)."""
    return 'array' if args and args[0] in FLOATS and 'dtype' not in kwargs else None


def float_arrays(args, kwargs):
    """A float array (or a float) made from two float arguments, arrays or
    scalars (`np.convolve`, `scipy.signal.convolve`)."""
    return 'array' if args and all(k in FLOATS for k in args[:2]) else None


def array_like_first(args, kwargs):
    """A float array with the dimensions of the first argument (`np.roll`,
    `np.pad`): its kind for a float array, 'array' (0-d) for a float."""
    if not args or 'dtype' in kwargs:
        return None
    return args[0] if args[0] in ARRAYS else ('array' if args[0] == 'float' else None)


def triangle(args, kwargs):
    """`np.tril`, `np.triu`: a matrix of a vector (each row a copy of it, cut) or of
    a matrix; 'array' of a stack of matrices."""
    x = args[0] if args else None
    return 'matrix' if x in ('vector', 'matrix') else ('array' if x == 'array' else None)


def diagonal_of(args, kwargs):
    """`np.diagonal`: a vector of a matrix, 'array' of a stack of them."""
    x = args[0] if args else None
    return 'vector' if x == 'matrix' else ('array' if x == 'array' else None)


def diag_of(args, kwargs):
    """`np.diag`: a matrix of a vector (on its diagonal), a vector of a matrix (its
    diagonal); 'array' of a float array of either."""
    x = args[0] if args else None
    return {'vector': 'matrix', 'matrix': 'vector', 'array': 'array'}.get(x)


def appended(args, kwargs):
    """`np.append(arr, values, axis)` of floats (or of ints and floats): a vector
    without an axis (it flattens both), 'array' with one (which may be None)."""
    if len(args) < 2 or not all(k in FLOATS | {'int'} for k in args[:2]) or \
            not any(k in FLOATS for k in args[:2]):
        return None
    return 'array' if len(args) > 2 or 'axis' in kwargs else 'vector'


def _floats(kind):
    if isinstance(kind, tuple):
        return kind[0] in ('list', 'tuple') and _floats(kind[1])
    return kind in FLOATS


def array_of_items(args, kwargs):
    """A float array made from a list or tuple of floats or float arrays
    (`np.array([a, b])`, `np.concatenate`), or from a float array itself."""
    return 'array' if args and _floats(args[0]) and 'dtype' not in kwargs else None


def product(args, kwargs):
    """`x @ y`, `np.dot`, `np.tensordot`: arithmetic of scalars; of vectors and
    matrices, a matrix, a vector or a float (`np.dot` of two vectors); 'array' of
    other float arrays; else unknown."""
    if any(k is None for k in args[:2]) or len(args) < 2:
        return None
    if all(k in SCALARS for k in args[:2]):
        return 'float' if 'float' in args[:2] else 'int'
    if len(args) == 2 and not kwargs and all(k in NDIMS for k in args):
        return array_kind(NDIMS[args[0]] + NDIMS[args[1]] - 2)
    return 'array' if all(k in FLOATS for k in args[:2]) else None


def outer_product(args, kwargs):
    """`np.outer`: a matrix, whatever its arguments' shapes (it flattens them), of
    floats if either is a float (of ints, its kind is not known)."""
    if len(args) != 2 or any(k is None for k in args) or not any(k in FLOATS for k in args):
        return None
    return 'matrix' if all(k in FLOATS | {'int'} for k in args) else None


def scalar_product(args, kwargs):
    """`np.vdot`: one number, whatever its arguments' shapes (it flattens them)."""
    if len(args) != 2 or not all(k in FLOATS | {'int'} for k in args):
        return None
    return 'float' if any(k in FLOATS for k in args) else 'int'


def tensor_product(args, kwargs):
    """`np.tensordot`: an array of floats, 0-d or of any dimensions (the number of
    axes summed over is a value, `axes`, which kinds do not see)."""
    return 'array' if len(args) >= 2 and all(k in FLOATS for k in args[:2]) else None


def contraction(args, kwargs):
    """`np.einsum(subscripts, *operands)`: 'array' for float operands."""
    return 'array' if len(args) > 1 and all(k in FLOATS for k in args[1:]) else None
