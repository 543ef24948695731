"""Gradient checking against central finite differences, for tests and users.

In the spirit of `jax.test_util.check_grads` and `torch.autograd.gradcheck`:

    >>> import adjoint.testing
    >>> adjoint.testing.check_grads(lambda x: x * x, (3.0,))  # doctest: +SKIP

An argument may be a pytree: a number, an array, or a dict, list or tuple
(nested) of them. The finite differences move one float element of one leaf at
a time (or all of them along a random direction), and every derivative adjoint
returns is compared leaf by leaf with `numpy.testing.assert_allclose`, after a
line that names the function, the argument and the place in it, the mode and
the order.
"""

import inspect
import linecache
import itertools
import numbers

import numpy as np

from adjoint.api import grad, wrt_items
from adjoint.forward_mode import jvp
from adjoint.pullbacks import vjp
from transforms.core.errors import AdjointError

MODES = ('fwd', 'rev')

# The two modes compute the same sums of products in a different order: they agree
# to rounding, far tighter than either agrees with finite differences.
_AGREEMENT_RTOL = 1e-9

_generated_files = itertools.count(1)


def numerical_grad(fn, args, k, eps=1e-6, kwargs=None):
    """The central-difference gradient of `fn`, whose result is one number (or an
    array of one element, as for `grad`), with respect to `args[k]`.

    Args:
        fn: the function, called with `args` moved one element at a time.
        args: its positional arguments, a tuple; `args[k]` a number or a float
            array (not a container).
        k: the index of the argument to differentiate.
        eps: the step of the central difference.
        kwargs: keyword arguments passed to every call, unchanged.

    Returns:
        The gradient, shaped like `args[k]` (a float for a number).
    """
    kwargs = kwargs or {}
    x = args[k]
    base = np.array(x, dtype=float)
    out = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        values = []
        for sign in (1.0, -1.0):
            moved = base.copy()
            moved[index] += sign * eps
            arg = moved if isinstance(x, np.ndarray) else float(moved)
            shifted = args[:k] + (arg,) + args[k + 1:]
            # .item(): a result of one element may be an array (keepdims=True)
            values.append(np.asarray(fn(*shifted, **kwargs), dtype=float).item())
        out[index] = (values[0] - values[1]) / (2 * eps)
    return out if isinstance(x, np.ndarray) else float(out)


def check_grads(fn, args, wrt=None, kwargs=None, rtol=1e-5, atol=1e-6, eps=1e-6,
                modes=MODES, order=1):
    """Assert that adjoint's derivatives of `fn` at `args` match central finite
    differences, as `jax.test_util.check_grads` does.

    Args:
        fn: a Python function (or a derivative made by adjoint). Its output may be
            a number (then 'rev' checks `grad`), or an array or a tuple, list or
            dict of them (then 'rev' checks `vjp` with a seeded random cotangent
            `c`, and `order=2` the second derivatives of `<c, fn>`).
        args: a tuple of positional arguments. Each may be a number, an array, or
            a dict, list or tuple (nested) of them — a pytree, as in JAX.
        wrt: the arguments to check: a parameter index or name, or a tuple of them.
            By default, every argument that holds a float (a float, a float
            array, or a pytree with one among its leaves); ints, bools,
            strings, None and integer arrays are skipped. Not `grad`'s default
            (the first parameter): like JAX's `check_grads`, this checks every
            input a derivative is asked of, but not the data — counts, indices
            and labels, whose perturbation would only make `fn` fail. Inside a
            pytree only the float leaves are moved: an int, a bool, a string or
            None there is held fixed and its entry of the gradient is not
            compared. An int (or int array) argument named in `wrt` is checked
            as a float one, as `grad` differentiates it.
        kwargs: keyword arguments of `fn`, passed unchanged (never differentiated)
            to `fn` and to every derivative, in both modes.
        rtol, atol: the tolerances of `numpy.testing.assert_allclose` between
            adjoint's derivatives and the finite differences.
        eps: the step of the central differences.
        modes: 'rev' checks the gradient (or vjp) element by element; 'fwd' checks
            `jvp` along a seeded random tangent of the `wrt` arguments; with both
            (the default), they must also agree with each other: the dot-product
            test <vjp(c), t> = <c, jvp(t)>.
        order: 1, or 2 to check second derivatives as well: 'rev' checks the vjp of
            adjoint's gradient (reverse over reverse) element by element against
            central differences of that gradient, 'fwd' its jvp (forward over
            reverse, a Hessian-vector product) along a random direction.

    Returns:
        The gradients adjoint computed, as a tuple (one per `wrt` argument, each
        shaped like it), if 'rev' is among the modes and `fn` returns a number;
        otherwise None.

    Raises:
        AssertionError: naming the function, the argument (its index, its name and
            the path inside a pytree: `params['W'][1]`) or the output, the mode
            and the order, then what `numpy.testing.assert_allclose` says (the
            mismatched elements, the largest absolute and relative differences);
            or saying that a derivative is not shaped like its argument.
        AdjointError: for a `wrt`, `modes` or `order` that is not understood.
    """
    modes = _checked_modes(modes)
    if order not in (1, 2):
        raise AdjointError(f'check_grads: order={order!r}; check order 1 or 2')
    check = _Check(fn, tuple(args), wrt, dict(kwargs or {}), rtol, atol, eps)
    if check.scalar:
        gradients = check.first_order(modes)
        if order == 2:
            check.second_order(modes)
        return gradients
    check.first_order(modes)
    if order == 2:
        check.contracted().second_order(modes)
    return None


def _checked_modes(modes):
    modes = (modes,) if isinstance(modes, str) else tuple(modes)
    if not modes or any(mode not in MODES for mode in modes):
        raise AdjointError(f'check_grads: modes={modes!r}; give \'fwd\', \'rev\' or both')
    return modes


class _Check:
    """The checks of one function at one point: which leaves move, the random
    tangent and cotangent (seeded, so a failure reproduces), and the comparisons.

    Args:
        fn, args, wrt, kwargs, rtol, atol, eps: as for `check_grads`.
        label: what to call `fn` in a message (its name by default).
        names: what to call its parameters in a message (their names by default).
    """

    def __init__(self, fn, args, wrt, kwargs, rtol, atol, eps, label=None, names=None):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.rtol, self.atol, self.eps = rtol, atol, eps
        self.label = label or f'`{getattr(fn, "__name__", fn)}`'
        self.names = _parameter_names(fn) if names is None else names
        self.wrt = _chosen(wrt, args, self.names, self.label)
        # (k, path, leaf) of every leaf the finite differences move
        self.leaves = [(k, path, leaf) for k in self.wrt for path, leaf in _moved_leaves(
            args[k], explicit=wrt is not None)]
        for k in self.wrt:
            if not any(j == k for j, _, _ in self.leaves):
                raise AdjointError(f'check_grads: {self.argument(k)} of {self.label} holds '
                                   f'no number to move; leave it out of wrt')
        self.out = fn(*args, **kwargs)
        self.scalar = _is_scalar(self.out)
        rng = np.random.default_rng(0)
        self.tangent = {(k, path): _random_like(leaf, rng) for k, path, leaf in self.leaves}
        self.cotangent = None if self.scalar else _random_cotangent(self.out, rng)

    # ------------------------------------------------------------ first order

    def first_order(self, modes):
        """Check `grad` (or `vjp`) and `jvp`, and that they agree; return the
        gradients for a function returning a number."""
        gradients = pairing = None
        if 'rev' in modes:
            if self.scalar:
                gradients = grad(self.fn, wrt=self.wrt)(*self.args, **self.kwargs)
                self.compare_elements(gradients, self.value, 'rev', 1, "adjoint's gradient")
            else:
                gradients = self.pullback(self.fn, self.cotangent)
                self.compare_elements(gradients, lambda args: _inner(self.cotangent, self.value(
                    args, whole=True)), 'rev', 1, "adjoint's vjp of a random cotangent")
            pairing = self.dot_tangent(gradients)
        if 'fwd' in modes:
            _, tangent = jvp(self.fn, self.args, self.tangents(), **self.kwargs)
            expected = self.along(lambda args: self.value(args, whole=True), self.out)
            self.compare_outputs(tangent, expected, self.out, 'fwd', 1)
            if pairing is not None:
                paired = _inner(self.cotangent, tangent) if not self.scalar else \
                    float(np.sum(tangent))
                self.agree(pairing, paired, 1, 'jvp(t)')
        return gradients if self.scalar else None

    # ------------------------------------------------------------ second order

    def second_order(self, modes):
        """Check the derivatives of adjoint's gradient of `fn` (a function returning
        a number) against central differences of that gradient."""
        gradient = grad(self.fn, wrt=self.wrt)
        def gradients(args):
            return gradient(*args, **self.kwargs)
        at = gradients(self.args)
        rng = np.random.default_rng(1)
        weights = tuple(_random_cotangent(g, rng) for g in at)  # a cotangent of the gradient
        pairing = None
        if 'rev' in modes:
            pulled = self.pullback(gradient, weights)
            self.compare_elements(pulled, lambda args: _inner(weights, gradients(args)),
                                  'rev', 2, "adjoint's vjp of its gradient")
            pairing = self.dot_tangent(pulled)
        if 'fwd' in modes:
            _, tangent = jvp(gradient, self.args, self.tangents(), **self.kwargs)
            expected = self.along(gradients, at)
            self.compare_outputs(tangent, expected, at, 'fwd', 2, self.gradient_leaf)
            if pairing is not None:
                self.agree(pairing, _inner(weights, tangent), 2, 'jvp(t) of the gradient')

    def contracted(self):
        """The check of `<c, fn>`, `c` the random cotangent of `fn`'s output: a
        function returning a number, whose gradient is the vjp of `c`."""
        contraction = _contraction(self.fn, self.out, self.cotangent, len(self.args),
                                   self.kwargs)
        return _Check(contraction, self.args, self.wrt, {}, self.rtol, self.atol, self.eps,
                      label=f'<c, {self.label}> (c a random cotangent of its output)',
                      names=self.names)

    # ------------------------------------------------------------ derivatives

    def pullback(self, fn, cotangent):
        """The cotangents `vjp` pulls back from `cotangent` for the `wrt` arguments
        (as a tuple in their order). vjp differentiates its positional arguments:
        with `wrt` the first ones, the others go by name, as constants; otherwise a
        generated function taking the `wrt` arguments first calls `fn`."""
        count, chosen = len(self.args), len(self.wrt)
        names = _parameter_names(fn)
        if self.wrt == tuple(range(chosen)) and len(names) >= count:
            rest = dict(zip(names[chosen:count], self.args[chosen:]))
            _, pull = vjp(fn, *self.args[:chosen], **rest, **self.kwargs)
            return pull(cotangent)[:chosen]
        others = [k for k in range(count) if k not in self.wrt]
        reordered = _generated(
            'reordered', [f'arg{k}' for k in self.wrt + tuple(others)],
            f'return fn({_call_text(count, self.kwargs)})', _call_namespace(fn, self.kwargs))
        _, pull = vjp(reordered, *(self.args[k] for k in self.wrt),
                      **{f'arg{k}': self.args[k] for k in others})
        return pull(cotangent)[:chosen]

    def tangents(self):
        """The random tangent, one per argument (None for those not checked)."""
        return tuple(_rebuilt(x, lambda path, leaf, k=k: self.tangent.get(
            (k, path), _zero_tangent(leaf))) if k in self.wrt else None
                     for k, x in enumerate(self.args))

    def value(self, args, whole=False):
        """`fn` at `args`: one float, or (`whole`) the output as it is."""
        out = self.fn(*args, **self.kwargs)
        return out if whole else np.asarray(out, dtype=float).item()

    # ------------------------------------------------------------ finite differences

    def moved(self, direction, scale):
        """The arguments with each leaf `(k, path)` in `direction` moved by `scale`
        times its entry there (new values: the arguments are never changed)."""
        args = list(self.args)
        for k in self.wrt:
            args[k] = _rebuilt(args[k], lambda path, leaf, k=k: leaf if (k, path) not in
                               direction else _plus(leaf, scale * direction[k, path]))
        return tuple(args)

    def central(self, h, direction):
        """The central difference of `h` (of the arguments) along `direction`."""
        up, down = h(self.moved(direction, self.eps)), h(self.moved(direction, -self.eps))
        return (np.asarray(up, dtype=float) - np.asarray(down, dtype=float)) / (2 * self.eps)

    def along(self, h, reference):
        """The central difference of `h` along the random tangent: `h`'s value is
        laid out like `reference`; the difference is the flat vector of its
        numeric leaves."""
        def flat(args):
            return np.concatenate([np.ravel(leaf) for leaf in _flat_like(h(args), reference)]
                                  or [np.zeros(0)])
        return self.central(flat, self.tangent)

    def elements(self, h):
        """The central differences of `h` (a number) with respect to each element of
        each moved leaf: {(k, path): an array of the leaf's shape}."""
        found = {}
        for k, path, leaf in self.leaves:
            shape = np.shape(leaf)
            block = np.zeros(shape)
            for index in np.ndindex(shape):
                unit = np.zeros(shape)
                unit[index] = 1.0
                block[index] = self.central(h, {(k, path): unit})
            found[k, path] = block
        return found

    # ------------------------------------------------------------ comparisons

    def compare_elements(self, derivatives, h, mode, order, what):
        """Compare `derivatives` (one per `wrt` argument, each shaped like it) with
        the central differences of `h` element by element."""
        for k, derivative in zip(self.wrt, derivatives):
            wrong = _structure_mismatch(derivative, self.args[k])
            if wrong is not None:
                raise AssertionError(f'{self.heading(mode, order)}: {what} for '
                                     f'{self.argument(k)} is not laid out like the '
                                     f'argument: {self.names_of(k)}{wrong}')
        expected = self.elements(h)
        for k, path, leaf in self.leaves:
            got = _at(derivatives[self.wrt.index(k)], path)
            self.assert_close(np.zeros(np.shape(leaf)) if got is None else got,
                              expected[k, path], f'{self.heading(mode, order)}, '
                              f'{self.argument(k, path)}: {what} (ACTUAL) vs central '
                              f'differences (DESIRED)')

    def compare_outputs(self, tangent, expected, reference, mode, order, name=None):
        """Compare the jvp `tangent` of a value shaped like `reference` with
        `expected`, the directional central difference (`along`), leaf by leaf;
        `name(path)` names a leaf of the value (by default, of the output)."""
        name = name or (lambda path: f'the output{_path_text(path)}')
        wrong = _structure_mismatch(tangent, reference)
        if wrong is not None:
            raise AssertionError(f'{self.heading(mode, order)}: the tangent of {name(())} '
                                 f'is not laid out like it: {name(())}{wrong}')
        start = 0
        along = ', '.join(self.argument(k) for k in self.wrt)
        for (path, leaf), got in zip(_numeric_leaves(reference), _flat_like(tangent, reference)):
            size = int(np.size(leaf))
            want = expected[start:start + size].reshape(np.shape(leaf))
            start += size
            self.assert_close(got, want, f'{self.heading(mode, order)}, {name(path)}: '
                              f"adjoint's jvp along a random tangent of {along} (ACTUAL) "
                              f'vs central differences (DESIRED)')

    def gradient_leaf(self, path):
        """A leaf of the tuple of gradients named: `the gradient for argument 0 (x)`."""
        if not path:
            return 'the gradients'
        return f'the gradient for {self.argument(self.wrt[path[0]], path[1:])}'

    def dot_tangent(self, pulled):
        """<pulled, t>: the cotangents paired with the random tangent."""
        return sum(float(np.sum(np.asarray(_at(pulled[self.wrt.index(k)], path), dtype=float)
                                * self.tangent[k, path]))
                   for k, path, _ in self.leaves if _at(pulled[self.wrt.index(k)], path)
                   is not None)

    def agree(self, pairing, paired, order, what):
        """The dot-product test: `pairing` = <vjp(c), t>, `paired` = <c, jvp(t)>."""
        self.assert_close(paired, pairing, f"{self.heading(('fwd', 'rev'), order)}: the modes "
                          f'disagree: <c, {what}> (ACTUAL) vs <vjp(c), t> (DESIRED)',
                          rtol=_AGREEMENT_RTOL,
                          atol=_AGREEMENT_RTOL * (abs(pairing) + abs(paired)) + 1e-12)

    def assert_close(self, got, want, heading, rtol=None, atol=None):
        try:
            np.testing.assert_allclose(np.asarray(got, dtype=float), want,
                                       rtol=self.rtol if rtol is None else rtol,
                                       atol=self.atol if atol is None else atol)
        except AssertionError as error:
            raise AssertionError(f'{heading}{error}') from None

    def heading(self, mode, order):
        modes = f"modes {' and '.join(map(repr, mode))}" if isinstance(mode, tuple) else \
            f'mode {mode!r}'
        return f'check_grads of {self.label}, {modes}, order {order}'

    def argument(self, k, path=()):
        """Argument `k` named for a message: `argument 0 (params['W'][1])`."""
        return f'argument {k} ({self.names_of(k)}{_path_text(path)})'

    def names_of(self, k):
        return self.names[k] if k < len(self.names) else f'args[{k}]'


# ---------------------------------------------------------------- choosing arguments


def _parameter_names(fn):
    """The names of `fn`'s positional parameters, or () where it has no signature."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return ()
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return tuple(p.name for p in parameters if p.kind in positional)


def _chosen(wrt, args, names, label):
    """`wrt` as a tuple of argument indices; by default those holding floats."""
    if wrt is None:
        chosen = tuple(k for k, x in enumerate(args) if _holds_floats(x))
        if not chosen:
            raise AdjointError(f'check_grads: no argument of {label} holds a float; name '
                               f'the arguments to check with wrt')
        return chosen
    chosen = []
    for item in wrt_items(wrt):
        if isinstance(item, str):
            if item not in names[:len(args)]:
                raise AdjointError(f'check_grads: wrt={item!r} is not a parameter given in '
                                   f'args; they are: {", ".join(names[:len(args)])}')
            item = names.index(item)
        elif not -len(args) <= item < len(args):
            raise AdjointError(f'check_grads: wrt={item}, but {len(args)} argument(s) are '
                               f'given')
        chosen.append(item % len(args))
    if len(set(chosen)) != len(chosen):
        raise AdjointError(f'check_grads: wrt names an argument twice: {wrt!r}')
    return tuple(chosen)


def _is_float(leaf):
    if isinstance(leaf, np.ndarray):
        return leaf.dtype.kind == 'f'
    return isinstance(leaf, (float, np.floating))


def _is_number(leaf):
    """A real number or array, bools aside (a flag, never a parameter)."""
    if isinstance(leaf, np.ndarray):
        return leaf.dtype.kind in 'iuf'
    return isinstance(leaf, numbers.Real) and not isinstance(leaf, (bool, np.bool_))


def _holds_floats(x):
    return any(_is_float(leaf) for _, leaf in _leaves(x))


def _moved_leaves(x, explicit):
    """(path, leaf) of the leaves of argument `x` the finite differences move: its
    float leaves; an int argument itself when it was named in `wrt`."""
    if explicit and _is_number(x):
        return [((), x)]
    return [(path, leaf) for path, leaf in _leaves(x) if _is_float(leaf)]


# ---------------------------------------------------------------- pytrees


def _leaves(x, path=()):
    """(path, leaf) of everything in `x` that is not a dict, list or tuple, in order
    (a dict's in its key order)."""
    if isinstance(x, dict):
        for key, item in x.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(x, (tuple, list)):
        for k, item in enumerate(x):
            yield from _leaves(item, path + (k,))
    else:
        yield path, x


def _rebuilt(x, make, path=()):
    """`x`'s structure (its container types, namedtuples too) with each leaf
    replaced by `make(path, leaf)`."""
    if isinstance(x, dict):
        return {key: _rebuilt(item, make, path + (key,)) for key, item in x.items()}
    if isinstance(x, (tuple, list)):
        items = [_rebuilt(item, make, path + (k,)) for k, item in enumerate(x)]
        return type(x)(*items) if hasattr(x, '_fields') else type(x)(items)
    return make(path, x)


def _at(value, path):
    """The item of `value` at `path`; None where a derivative has a symbolic zero."""
    for key in path:
        if value is None:
            return None
        value = value[key]
    return value


def _path_text(path):
    return ''.join(f'[{key!r}]' for key in path)


def _numeric_leaves(x):
    return [(path, leaf) for path, leaf in _leaves(x) if _is_number(leaf)
            or isinstance(leaf, (bool, np.bool_))]


def _flat_like(value, reference):
    """The leaves of `value` at the numeric leaves of `reference` (of `value`
    itself if None), as float arrays; a None (a zero) as zeros."""
    reference = value if reference is None else reference
    return [np.zeros(np.shape(leaf)) if _at(value, path) is None
            else np.asarray(_at(value, path), dtype=float)
            for path, leaf in _numeric_leaves(reference)]


def _inner(a, b):
    """The sum of the products of the numeric leaves of `a` and of `b` (laid out
    like `a`)."""
    return sum(float(np.sum(x * y)) for x, y in zip(_flat_like(a, None), _flat_like(b, a)))


def _random_like(leaf, rng):
    if isinstance(leaf, np.ndarray):
        return rng.normal(size=leaf.shape)
    return float(rng.normal())


def _zero_tangent(leaf):
    """The tangent of a leaf that is not moved: zeros for a number, the leaf
    itself for a string or None (which take anything)."""
    if _is_number(leaf) or isinstance(leaf, (bool, np.bool_)):
        return np.zeros(np.shape(leaf)) if isinstance(leaf, np.ndarray) else 0.0
    return leaf


def _random_cotangent(out, rng):
    """A cotangent of `out`: random where it holds floats, zeros elsewhere."""
    return _rebuilt(out, lambda path, leaf: _random_like(leaf, rng) if _is_float(leaf)
                    else _zero_tangent(leaf))


def _plus(leaf, step):
    """`leaf + step`, a new float array for an array, a float for a number."""
    if isinstance(leaf, np.ndarray):
        return np.asarray(leaf, dtype=float) + step
    return float(leaf + step)


def _is_scalar(out):
    """Whether `out` is one number, as `grad` takes (an array of one element too)."""
    if isinstance(out, np.ndarray):
        return out.size == 1
    return _is_number(out) or isinstance(out, (bool, np.bool_))


def _structure_mismatch(value, reference, path=()):
    """Where derivative `value` is not laid out like `reference`, the value it is
    the derivative of — the same container types (a tuple for a tuple), keys and
    lengths, an array of the same shape for an array, a number or a 0-d array for
    a number or a 0-d array — as text, or None. Leaves that are not numbers take anything, and None (a
    symbolic zero) stands for zeros."""
    at = _path_text(path)
    if isinstance(reference, (dict, tuple, list)):
        if type(value) is not type(reference):
            return f'{at} is {_described(value)}, not {_described(reference)}'
        if isinstance(reference, dict) and set(value) != set(reference):
            return f'{at} has the keys {list(value)}, not {list(reference)}'
        if len(value) != len(reference):
            return f'{at} has {len(value)} items, not {len(reference)}'
        keys = reference if isinstance(reference, dict) else range(len(reference))
        for key in keys:
            found = _structure_mismatch(value[key], reference[key], path + (key,))
            if found is not None:
                return found
        return None
    if value is None or not (_is_number(reference) or isinstance(reference, np.generic)):
        return None
    if np.ndim(reference) > 0:
        if not isinstance(value, np.ndarray) or value.shape != reference.shape:
            return f'{at} is {_described(value)}, not {_described(reference)}'
    elif np.ndim(value) != 0 or not isinstance(value, (numbers.Real, np.ndarray)):
        # A number and a 0-d array stand for each other (np.float64 is both).
        return f'{at} is {_described(value)}, not a number'
    return None


def _described(value):
    if isinstance(value, np.ndarray):
        return f'an array of shape {value.shape}'
    name = type(value).__name__
    return f'{"an" if name[0] in "aeiou" else "a"} {name}'


# ---------------------------------------------------------------- <c, fn>


def _contraction(fn, out, cotangent, count, kwargs):
    """A Python function of `fn`'s positional arguments returning `<cotangent,
    fn(...)>`, so that its gradient — the vjp of `cotangent` — can itself be
    differentiated. Each output leaf is read by a constant path, which adjoint
    follows through tuples, lists and dicts; `kwargs` are constants."""
    namespace = _call_namespace(fn, kwargs)
    terms = []
    for j, (path, _) in enumerate(_numeric_leaves(out)):
        namespace[f'c_{j}'] = _at(cotangent, path)
        terms.append(f'np.sum(out{_path_text(path)} * c_{j})')
    return _generated('contracted', [f'arg{k}' for k in range(count)],
                      f'out = fn({_call_text(count, kwargs)})\n'
                      f'    return {" + ".join(terms) or "0.0"}', namespace)


def _call_text(count, kwargs):
    """The arguments of `fn`'s call in a generated function: its parameters
    `arg0, arg1, ...` in order, then `kwargs` by name, from constants."""
    return ', '.join([f'arg{k}' for k in range(count)] +
                     [f'{name}=kw_{j}' for j, name in enumerate(kwargs)])


def _call_namespace(fn, kwargs):
    namespace = {'np': np, 'fn': fn}
    namespace.update({f'kw_{j}': value for j, value in enumerate(kwargs.values())})
    return namespace


def _generated(name, params, body, namespace):
    """The function `def name(params): body`, with source that adjoint reads (as it
    reads the user's) from a file name registered in `linecache`, as
    transforms/backend/compile.py registers generated code."""
    source = f'def {name}({", ".join(params)}):\n    {body}\n'
    filename = f'<adjoint.testing {next(_generated_files)}: {name}>'
    # mtime None: linecache.checkcache() leaves the entry alone.
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, 'exec'), namespace)  # noqa: S102
    return namespace[name]
