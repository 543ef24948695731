"""The page docs/rules.md: every primitive the rule library knows, from the registry.

    python -m adjoint.rules.docs > docs/rules.md

`tests/test_rules_docs.py` regenerates the page and fails when the committed one
is stale. `label` names a primitive the way users write it; the registry sweep in
tests/test_rules.py uses it too.
"""

import builtins
import importlib
import inspect
import math
import operator
import sys

import numpy as np

import adjoint
from adjoint.rules import TABLE, registered
from adjoint.rules.registry import OPTIONAL_RULES
from transforms.core import primitives

_MODULES = (('operator', operator), ('math', math), ('np', np), ('np.linalg', np.linalg),
            ('np.fft', np.fft), ('builtins', builtins))


def _modules():
    """The modules whose functions the library has rules for: the optional
    libraries' too, once imported."""
    optional = tuple((library, sys.modules[library]) for library, _ in OPTIONAL_RULES
                     if sys.modules.get(library) is not None)
    return _MODULES + optional


def label(primitive):
    """`np.sin`, `np.linalg.inv`, `operator.add`, `x.sum()`, `x.T`,
    `scipy.stats.norm.logpdf`, `np.r_[...]`: how users write a primitive. None
    for anything outside the built-in library's modules."""
    if isinstance(primitive, tuple):
        kind, name = primitive
        return f'x.{name}()' if kind == 'method' else f'x.{name}'
    if isinstance(primitive, np.ufunc) and getattr(np, primitive.__name__, None) is primitive:
        return f'np.{primitive.__name__}'  # np.power, not its alias np.pow
    subscripted = [obj for obj, fn in TABLE.subscripted.items() if fn is primitive]
    if subscripted:  # np.r_[...] calls r_(index)
        return f'{label(subscripted[0])}[...]'
    if inspect.ismethod(primitive):  # scipy.stats.norm.logpdf: a method of an instance
        owner = label(primitive.__self__)
        return owner and f'{owner}.{primitive.__name__}'
    module = getattr(primitive, '__module__', None) or ''
    if module == primitives.__name__:  # what `for x in xs` walks, `sequence_of`
        return f'{module}.{primitive.__name__}'
    if module.startswith('adjoint.'):
        public = getattr(adjoint, primitive.__name__, None) is primitive
        return f'adjoint.{primitive.__name__}' if public else f'{module}.{primitive.__name__}'
    for prefix, namespace in _modules():
        own = getattr(primitive, '__name__', None)
        if own and getattr(namespace, own, None) is primitive:
            return f'{prefix}.{own}'  # np.concatenate, not its alias np.concat
        for name in sorted(dir(namespace)):
            if not name.startswith('_') and getattr(namespace, name) is primitive:
                return f'{prefix}.{name}'
    return None


def library_rules():
    """{label: (primitive, PrimitiveRule)} of the built-in library, leaving out
    rules that users (or tests) registered for their own functions."""
    out = {}
    for primitive, rule in registered().items():
        name = label(primitive)
        module = getattr(rule.vjp, '__module__', 'adjoint.rules')
        if name is not None and module.startswith('adjoint.'):
            out[name] = (primitive, rule)
    return out


_SECTIONS = (
    ('Python operators', lambda name: name.startswith('operator.')),
    ('Python builtins', lambda name: name.startswith('builtins.')),
    ('math', lambda name: name.startswith('math.')),
    ('NumPy', lambda name: name.startswith('np.') and
     not name.startswith(('np.linalg.', 'np.fft.'))),
    ('numpy.linalg', lambda name: name.startswith('np.linalg.')),
    ('numpy.fft', lambda name: name.startswith('np.fft.')),
    ('Array methods and attributes', lambda name: name.startswith('x.')),
    ('adjoint', lambda name: name.startswith('adjoint.') and name.count('.') == 1),
    ('Runtime helpers of generated code', lambda name: name.startswith('adjoint.')),
    ('Compiler primitives', lambda name: name.startswith('transforms.')),
)

# The rules of the optional libraries come last, after their own heading, so that
# without the library the page is the same up to it (tests/test_rules_docs.py).
OPTIONAL_HEADING = '## SciPy (optional)'


def is_optional(name):
    return name.startswith(('scipy.', 'adjoint.rules.scipy'))


_OPTIONAL_HEADER = f"""\
{OPTIONAL_HEADING}

With SciPy installed (`pip install "adjoint[scipy]"`, SciPy 1.10 or newer), these
rules are registered once the program imports `scipy.special`, `scipy.stats` or
`scipy.signal` (`import adjoint` itself never imports SciPy, which takes most of
a second).

- `scipy.special.psi` is `scipy.special.digamma`; the derivatives of `gammaln`,
  `digamma` and `polygamma(n, x)` are `digamma`, `polygamma(1, x)` and
  `polygamma(n + 1, x)`: any order. The order `n` has no derivative.
- `xlogy(x, y)`, `xlog1py(x, y)`: where `x` is 0 the derivative in `y` is 0 (the
  function is 0 for every `y`), also at `y = 0`; in `x` it is `log(y)`, `-inf`
  at `y = 0`, as JAX's.
- `logsumexp(a, axis, b, keepdims)`: differentiable in `a` and in `b`, which
  broadcasts against `a`; `return_sign=True` raises.
- The Bessel functions `j0`, `j1`, `y0`, `y1`, `jv`, `yv`, `yn`, `i0`, `i1`, `iv`,
  `ive` (and `i0e`, `i1e`) in `x`, and `gammainc(a, x)`, `gammaincc(a, x)`,
  `betainc(a, b, x)` in `x`: any order. A differentiated order `v` or shape `a`,
  `b` raises (their derivatives there are no such functions); `gammasgn` has
  derivative 0.
- `scipy.signal.convolve(in1, in2, mode, method)`, N-d, in both inputs, in every
  mode.
- `scipy.stats`, the distributions autograd differentiates (written
  `norm.logpdf(...)` after `from scipy.stats import norm`, or
  `scipy.stats.norm.logpdf(...)`): `norm`, `t`, `gamma`, `beta`, `chi2` are
  differentiable in `x`, their shape parameters, `loc` and `scale`, by position
  or by name; their distribution functions (`cdf`, `t.logcdf`) in `x`, `loc`
  and `scale` only: a differentiated shape parameter there raises.
  `poisson` is differentiable in `mu` (the count `k` is data),
  `multivariate_normal` in `x`, `mean` and `cov` (cov's cotangent is autograd's:
  its entries taken as independent), `dirichlet` in `x` and `alpha`.
- A frozen distribution, `norm(mu, sigma).logpdf(x)`, is `norm.logpdf(x, mu,
  sigma)` where its method is called, with `x` by position, in the function
  that freezes it. Passed to another function or stored, it raises: write
  `norm.logpdf(x, mu, sigma)`.
- This section is generated with SciPy installed: `python -m adjoint.rules.docs`
  refuses to write the page without it. The rest of the page does not depend on
  SciPy.
"""


def core_part(text):
    """The page `text` without the sections of the optional libraries: what
    `page()` gives where none of them is installed."""
    return text.partition('\n' + OPTIONAL_HEADING)[0]


def import_optional_libraries():
    """Import the optional libraries, which registers their rules; returns those
    that cannot be imported here (whose rules the page then cannot list)."""
    missing = []
    for library, _ in OPTIONAL_RULES:
        try:
            importlib.import_module(library)
        except ImportError:
            missing.append(library)
    return missing

_HEADER = """\
# Supported functions

<!-- Generated from the rule registry by `python -m adjoint.rules.docs > docs/rules.md`.
     Do not edit by hand: tests/test_rules_docs.py fails when this page is stale. -->

Every function adjoint differentiates without reading its source, and how:

- **adjoint** (reverse mode, `adjoint.grad`): *yes* if it has a vjp rule,
  *non-differentiable* if its result carries no derivative (`np.floor`, `len`,
  comparisons: nothing flows through it), *no* if not supported yet.
- **tangent** (forward mode): *yes* if it has a jvp rule.

A function missing here raises `UnknownCallableError` naming it, unless adjoint
can read its source; register a rule with `@adjoint.vjp_rule` (and
`@adjoint.jvp_rule`). Every rule is checked against central finite differences at
random points, in both modes and at second order (tests/test_rules.py,
tests/test_jvp_rules.py).

## Conventions

The two modes agree everywhere, kinks and ties included: a jvp rule gives the
tangent that pairs with its vjp rule's cotangent (<vjp(g), t> = <g, jvp(t)>).

- Where a function has no derivative: `abs'(0) = 0`; `np.maximum(x, 0)` (relu)
  has derivative 0 at 0; a tie between two differentiated arguments of
  `np.maximum` or `np.minimum` splits evenly, so `np.maximum(x, x)` has derivative
  1 (rules learn which arguments are differentiated from `active_<name>` flags).
- `np.clip(x, lo, hi)`: derivative 1 strictly inside the bounds, 0 outside and at
  the bounds; a differentiated bound gets the cotangent where it is active.
- `np.max`, `np.min` (and `x.max()`...): tied elements share the cotangent
  equally; the tangent is the mean of the tied elements' tangents.
- `max`, `min` (the builtins) of up to six numbers: the arguments equal to the
  result share its cotangent equally (`max(x, x)` has derivative 1), unless one
  of them is not differentiated, when none gets any (`max(x, 0.0)`, relu, has
  derivative 0 at 0, as `np.maximum(x, 0.0)`). Of one list, tuple or 1-d array,
  the tied items share it, as in `np.max`. `default=` gets the cotangent where
  it is the result. With `key=` (a function, a lambda, a local `def`), the item
  whose key is the first largest (smallest) gets it all: the key picks the item
  and has no derivative (transforms/frontend/keyed.py).
- `np.where(c, x, y)`: the tangent is that of the side selected, element by
  element (a side that is not differentiated contributes nothing).
- `np.sort`: the derivative follows the permutation of a stable sort,
  `np.argsort(x, kind='stable')`, whatever `kind` is: of tied elements, the
  first gets the first of their places. So does the builtin `sorted`'s, whose
  sort is stable, with `reverse=True` too, and with `key=`, whose keys decide
  the order and carry no derivative. `np.take`,
  `np.take_along_axis`: the cotangents of an element taken more than once add up.
- `sorted`, `list`, `tuple`, `max`, `min` of one list, tuple or 1-d array: its
  cotangent has its form, a list for a list or tuple (a gradient with respect to
  a tuple is a tuple), an array for an array.
- `dict(a=x, b=y)` is the literal `{'a': x, 'b': y}`; `dict(pairs)` of (key,
  value) pairs, and `dict(mapping)`, give each value the cotangent of its key (a
  value that a later pair replaces gets none). `dict(mapping, k=v)` is not
  supported, nor `dict(zip(keys, values))` (`zip` is only walked by a `for`).
- `np.prod`: right where `x` has zeros (products of the other elements, not
  `prod / x`), at every order up to the fifth.
- `np.cumprod` (and `x.cumprod()`): right where `x` has zeros, at every order up
  to the fifth (it divides by elements only before the first zero of a row).
- `np.linalg.norm`: every order, with `axis` and `keepdims`: for vectors
  `None`, any number >= 1, `inf`, `-inf` (`ord=0`, a count, and `ord < 1` raise);
  for matrices `'fro'`, `'nuc'`, 1, -1, 2, -2, `inf`, `-inf`. The cotangent is 0
  where the norm is 0; tied elements (`inf`), columns or rows (1, `inf` of
  matrices) share it equally, and so do tied singular values (2, -2: equal to
  within 1e-10 of the largest); `'nuc'` gives the singular values of 0 none.
  Third derivatives of `'nuc'`, 2 and -2 raise.
- `np.linalg.det`, `np.linalg.slogdet` need an invertible matrix;
  `np.linalg.pinv` one of full rank. `np.linalg.cholesky` and `np.linalg.eigh`
  read one triangle of their argument, the lower one by default, as NumPy does:
  the elements of the other one get cotangent 0. The derivatives of
  `np.linalg.eigh` and `np.linalg.svd` raise where eigenvalues or singular values
  are repeated (to within 1e-10 of the largest), and of `svd` where one is 0;
  `svd` of a matrix that is not square needs `full_matrices=False`. Results that
  are tuples are indexed or unpacked (`w, v = np.linalg.eigh(a)`).
- `np.linalg.qr`: the reduced mode (the default) of a matrix, or a stack, with
  at least as many rows as columns and of full rank; another mode, a matrix
  with more columns, or one not of full rank raises. `np.linalg.lstsq` of a
  matrix of full rank (else it raises): the solution, the residuals, and the
  singular values `s` (their first derivatives only); the rank is constant.
- `np.linalg.matrix_power` of every integer power (0 and negative ones too):
  its derivative along `e` is the upper right block of the power of
  `[[a, e], [0, a]]` (Higham 2008), so its own rules serve every order.
  `np.linalg.multi_dot` of matrices and end vectors; its derivative solves one
  system of the size of all the matrices' dimensions together.
- `np.fft`: `fftshift`, `ifftshift`, and `irfft` of a real array. The
  transforms with complex results (`fft`, `ifft`, `rfft`, ...) raise where a
  differentiated value flows into them: adjoint does not differentiate through
  complex intermediates yet.
- `math.gamma`, `math.lgamma`: their derivatives call the digamma function,
  `polygamma(x, 0)`, whose derivative is `polygamma(x, 1)`: any order.
- At the edges of a domain, derivatives follow IEEE arithmetic, as NumPy's do,
  for Python floats too (`math`, `**`): a derivative raises only where its
  function raises (`math.log(0.0)`, `0.0 ** -1`), never with a ZeroDivisionError
  or ValueError of Python's own float arithmetic.
  - Infinite derivatives are `inf`: `math.sqrt`, `np.sqrt`, `x ** 0.5`,
    `math.pow(x, 0.5)` and `np.cbrt` at 0, `math.asin`, `np.arcsin` (`-inf` for
    `acos`) at ±1; for Python floats through `adjoint.runtime.power_or_inf`,
    which is `**` with NumPy's inf where `**` raises.
  - Where the derivative exists but the textbook formula is 0 * inf or 0 / 0, it
    is the derivative: `x ** 0`, `np.power(x, 0.0)` have derivative 0 at `x = 0`,
    and `np.power(0.0, y)`, `0.0 ** y` derivative 0 in `y` (JAX's guards).
  - At the tip of a cone the derivative is 0, as for `abs` and `np.linalg.norm`:
    `math.hypot`, `np.hypot` at the origin, `np.std` where all the elements of
    a reduction are equal (of one element, `np.std` is constant: 0 is exact).
  - Where a function jumps, the derivative is NaN: `math.atan2(0.0, 0.0)`, as
    `np.arctan2`.
- `np.einsum`: explicit or implicit subscripts, repeated letters (`'ii->'`), an
  ellipsis broadcasting operands of different ranks (`'...ij,...jk->...ik'`),
  and the operand and sublist form, `np.einsum(x, [0, 1], y, [1, 2], [0, 2])`
  (`Ellipsis` in a sublist too); nine arguments at most (eight operands with
  subscripts, four with sublists and the output's).
- `np.r_[...]`, `np.c_[...]` of numbers, lists and arrays: `np.r_` joins its
  items along the first axis, `np.c_` along the last, vectors as columns (the
  compiler calls `r_(index)` or `c_(index)`, whose rules these are). A slice
  (`np.r_[0:3, x]`) or a string directive (`np.r_['0,2', x, y]`) raises, naming
  np.concatenate or np.column_stack to write instead.
- `np.remainder`, `np.fmod`: derivative 1 in `x`, and `-floor(x / y)`,
  `-trunc(x / y)` in `y` (as `x % y`, and JAX), with the quotient that NumPy's
  remainder itself leaves (`np.fmod(1.0, 0.1)` leaves 0.0999..., a quotient of 9).
- `np.nan_to_num`: derivative 1 where `x` is finite and 0 where it is replaced,
  even where the tangent there is NaN; a replacement given as a positional
  argument gets the cotangent of what it replaces; `copy=False` raises.
- `np.sinc` at and near 0 from its Taylor series (no 0 / 0); the derivative of
  `np.i0` is I_1, which NumPy lacks, summed from its series (all terms positive).
- `np.real` of a real argument is the argument, `np.imag` of it is 0
  (non-differentiable); adjoint differentiates real arguments only.
- `np.pad`: `mode='constant'` only (another mode raises, naming it); a
  differentiated `constant_values`, a keyword argument, has its tangent in
  forward mode, and raises in reverse mode, which gives keywords no cotangent.
- `np.average(a, axis, weights, keepdims=...)`: in `a` and in `weights`
  (shaped like `a`, or like its axes `axis`, laid along them as NumPy lays
  them); `returned=True` raises.
- `np.cov`, `np.corrcoef`: in `m` (`x`) and `y`, with `rowvar`, `bias`, `ddof`;
  `fweights` and `aweights` raise. `np.corrcoef` of one variable is 1.0, of
  derivative 0.
- `np.trapezoid(y, x, dx, axis)`: in `y`, in the sample points `x` and in one
  step `dx` (a number; steps of an array raise). `x` is given by position,
  `np.trapezoid(y, x)`: `x=` raises, because the tangent of a parameter `x`
  would be named `dx`, the name of np.trapezoid's step (NumPy 2.4 has no
  `np.trapz`).
- `np.row_stack`, where NumPy still has it (before 2.5): the rules of
  `np.vstack`, whose old name it is.
- `np.interp(x, xp, fp, left, right)`: in `x`, `fp`, `left` and `right`. At a
  sample point `xp[k]` the derivative in `x` is the slope of the segment to its
  right, the one NumPy computes the value from (as JAX's), at `xp[-1]` that of
  the last segment, and 0 outside `[xp[0], xp[-1]]`. A differentiated `xp`
  raises, naming it; so does `period`.
- `np.convolve`, `np.correlate` of 1-d sequences, in both, in every mode;
  `np.polyval(p, x)` in the coefficients `p` (1-d) and in `x`; `np.polyder(p)`
  of the first order (`m` raises: apply it twice).
- `np.meshgrid` of up to four arrays, with `indexing`, `sparse` and `copy`
  (with `copy=False` its results are views of its arguments, as NumPy's).
- `np.unique(ar)`, its values only (`return_index`, `return_inverse`,
  `return_counts` and `axis` raise): where `ar` repeats no value, it is `np.sort`
  of it. Where a value repeats there is no derivative (moving one copy adds an
  element to the result) and it raises, rather than give the first copy the
  cotangent, as JAX's gather does.
- `np.dot` of Python scalars, `np.where` and `np.outer` with scalar arguments
  give 0-d arrays, not floats, as gradients.
- `x.astype(dtype)` is the identity to a float type, and raises to another (an
  int: use np.floor or np.round, whose derivative is 0); `x.item()` is the one
  element of a size-1 array (`x.item(k)` is not supported).
- A Python float argument has a float tangent; `np.full_like(x, v)` of an int
  array `x` has a float tangent.
- Second derivatives (`grad(grad(f))`, `hessian(f)`, `derivative(derivative(f))`)
  differentiate the generated code, which calls the runtime helpers listed last.
  Each has rules in both modes, written with the helpers themselves, so
  derivatives compose to any order.
"""


def _status(rule, mode):
    if not rule.differentiable:
        return 'non-differentiable'
    return 'yes' if getattr(rule, mode) is not None else 'no'


def _shown(name, primitive):
    symbol = primitives.BINARY.get(primitive) or primitives.COMPARE.get(primitive)
    if symbol:
        return f'`x {symbol} y` (`{name}`)'
    if primitive in primitives.UNARY:
        return f'`{primitives.UNARY[primitive]}x` (`{name}`)'
    return f'`{name}`'


def _tables(rules, sections):
    """The lines of one table per section of `rules` ({label: (primitive, rule)}),
    then their count."""
    lines, placed = [], set()
    for title, belongs in sections:
        names = sorted(n for n in rules if belongs(n) and n not in placed)
        if not names:
            continue
        placed.update(names)
        if title:
            lines += [f'## {title}', '']
        lines += ['| function | adjoint | tangent |', '|---|---|---|']
        for name in names:
            primitive, rule = rules[name]
            lines.append(f'| {_shown(name, primitive)} | {_status(rule, "vjp")} '
                         f'| {_status(rule, "jvp")} |')
        lines.append('')
    adjoints = sum(1 for _, r in rules.values() if r.vjp is not None)
    tangents = sum(1 for _, r in rules.values() if r.jvp is not None)
    lines.append(f'{len(rules)} functions; {adjoints} with an adjoint rule, {tangents} '
                 f'with a tangent rule.')
    return lines


# Functions that some of the NumPy versions adjoint supports do not have: the
# notes above name them, and the tables leave them out, so that the page is the
# same whatever NumPy is installed (CI checks it on each Python version).
_IN_SOME_NUMPY = frozenset({'np.row_stack'})


def page():
    """The markdown of docs/rules.md: the rules of the optional libraries that
    can be imported here (importing them registers their rules) in a last part."""
    import_optional_libraries()
    rules = {n: entry for n, entry in library_rules().items() if n not in _IN_SOME_NUMPY}
    core = {n: entry for n, entry in rules.items() if not is_optional(n)}
    lines = [_HEADER] + _tables(core, _SECTIONS)
    optional = {n: entry for n, entry in rules.items() if is_optional(n)}
    if optional:
        lines += ['', _OPTIONAL_HEADER] + _tables(optional, (('', is_optional),))
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    missing = import_optional_libraries()
    if missing:
        sys.exit(f'docs/rules.md lists the rules of {", ".join(missing)}, which cannot be '
                 f'imported here: install them (pip install -e ".[scipy]") to regenerate it')
    print(page(), end='')
