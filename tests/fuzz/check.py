"""The differential checker: every derivative API of adjoint on one program.

`check(program, directory)` writes the program to a real file (adjoint reads
source through `inspect`), imports it, picks the first of its points where the
function is smooth, and runs `grad`, `value_and_grad`, `jvp`, `vjp` and
`hessian`, comparing each with central finite differences of the primal. Each
API gets an outcome:

- `ok`: the numbers agree, no argument changed, a second call gave the same bits.
- `skipped`: no point was usable (the primal raised, overflowed, or every point
  lies within finite-difference reach of a kink), or the API depends on one
  that could not run.
- `rejected`: an `AdjointError` naming the program's file and a line. Acceptable.
- `BADERROR`: an `AdjointError` that does not name the file and line of the
  user's code (e.g. one that names adjoint's own generated code).
- `WRONG`: a silently wrong number, a mutated argument, a value that differs
  from the primal's, or a second call that differs from the first.
- `CRASH`: any other exception (an internal traceback, an `InternalError`).
- `TIMEOUT`: the program took longer than the per-program limit.

A point is smooth when the finite differences at two step sizes agree, for the
first differences (a kink or a branch flip within reach of either step) and the
second differences (a kink at the point itself, where central differences
average the two one-sided slopes and agree with each other).
"""

import dataclasses
import importlib.util
import itertools
import math
import random
import re
import signal
import traceback
import warnings

import numpy as np

import adjoint
from tests.fuzz.generate import arguments

APIS = ('grad', 'value_and_grad', 'jvp', 'vjp', 'hessian')
# Asked for by name (`--apis grad,numba`): `grad(f, backend='numba')`, whose Numba
# compile costs ~0.5 s a program (docs/numba.md); skipped without Numba.
OPTIONAL_APIS = ('numba',)
BACKEND_RTOL = 1e-9  # Numba's libm may round a last bit differently from NumPy's
# From worst to best: a program's outcome is the worst of its APIs'.
OUTCOMES = ('CRASH', 'WRONG', 'BADERROR', 'TIMEOUT', 'rejected', 'ok', 'skipped')
FAILURES = ('CRASH', 'WRONG', 'BADERROR', 'TIMEOUT')

STEP, WIDE_STEP = 1e-5, 1e-4
RTOL = 1e-5
ATOL = 1e-6  # times the magnitude of the value and of the gradient
VALUE_RTOL = 1e-12
LARGEST = 1e6  # a value larger than this makes finite differences meaningless

_loads = itertools.count()


class Timeout(BaseException):
    """The per-program time limit ran out (a BaseException, so that no `except
    Exception` inside adjoint or the program catches it)."""


class Discrepancy(Exception):
    """A WRONG result, with what differed."""


@dataclasses.dataclass
class Result:
    """The outcome of one program: `apis[name] = (outcome, detail)`."""

    seed: int
    source: str
    apis: dict
    point: tuple = None

    @property
    def outcome(self):
        outcomes = [o for o, _ in self.apis.values()] or ['skipped']
        return min(outcomes, key=OUTCOMES.index)

    @property
    def failed(self):
        return self.outcome in FAILURES

    def report(self):
        """The failure report: seed, point, what each failing API did, source."""
        lines = [f'seed {self.seed}: {self.outcome}', f'  point: {self.point!r}']
        for api, (outcome, detail) in self.apis.items():
            if outcome in FAILURES:
                lines.append(f'  {api}: {outcome}: ' + detail.replace('\n', '\n    '))
        lines.append('  program:')
        lines += ['    ' + line for line in self.source.splitlines()]
        return '\n'.join(lines)


def load(source, directory, seed):
    """`f` of `source`, imported from a new file in `directory` (a new name each
    time, so that no cache keyed by file name sees an older program)."""
    path = directory / f'fuzz_{seed}_{next(_loads)}.py'
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f, str(path)


def check(program, directory, apis=APIS, timeout=None, source=None):
    """Run every API in `apis` on `program` (or on `source`, a variant of its
    source with the same parameters, as the shrinker makes) and classify each.

    Args:
        program: a `generate.Program`.
        directory: a `pathlib.Path` to write the program's file in.
        apis: the APIs to check, from `APIS`.
        timeout: seconds for the whole program, or None.
        source: the source to check instead of `program.source`.

    Returns:
        A `Result`.
    """
    source = program.source if source is None else source
    result = Result(program.seed, source, {})
    if timeout:
        signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with warnings.catch_warnings(), np.errstate(all='ignore'):
            warnings.simplefilter('ignore')
            _check(program, source, directory, apis, result)
    except Timeout:
        for api in apis:
            if api not in result.apis:
                result.apis[api] = ('TIMEOUT', f'over {timeout} s')
                break
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return result


def _raise_timeout(signum, frame):
    raise Timeout()


def _check(program, source, directory, apis, result):
    try:
        f, path = load(source, directory, program.seed)
    except Exception:  # a shrunk variant that no longer runs
        result.apis = {api: ('skipped', 'the module does not import') for api in apis}
        return
    point = _smooth_point(f, program)
    if point is None:
        result.apis = {api: ('skipped', 'no smooth point') for api in apis}
        return
    result.point = point.values
    rng = random.Random(program.seed)
    checks = {'grad': _grad, 'value_and_grad': _value_and_grad, 'jvp': _jvp,
              'vjp': _vjp, 'hessian': _hessian, 'numba': _numba}
    done = {}
    for api in apis:
        try:
            detail = checks[api](f, point, rng, done)
            result.apis[api] = ('ok', '') if detail is None else ('skipped', detail)
        except Discrepancy as error:
            result.apis[api] = ('WRONG', str(error))
        except adjoint.InternalError:
            result.apis[api] = ('CRASH', _traceback())
        except adjoint.AdjointError as error:
            if re.search(re.escape(path) + r':\d+', str(error)):
                result.apis[api] = ('rejected', str(error))
            else:
                result.apis[api] = ('BADERROR', f'{type(error).__name__}: {error}')
        except Exception:
            result.apis[api] = ('CRASH', _traceback())


def _traceback():
    return traceback.format_exc(limit=-6).rstrip()


# The point and its finite differences.


@dataclasses.dataclass
class Point:
    """A smooth point of `f`: its arguments, value and finite-difference gradient."""

    program: object
    values: tuple  # one entry of program.points
    value: float
    fd: np.ndarray  # the gradient, flat over all parameters in order
    sizes: tuple  # the number of scalars of each parameter

    def args(self):
        return arguments(self.program, self.values)

    def unflatten(self, flat):
        """Per-parameter pieces of a flat vector, shaped like the parameters."""
        pieces, start = [], 0
        for (_, shape), size in zip(self.program.params, self.sizes):
            piece = np.asarray(flat[start:start + size], dtype=float).reshape(shape)
            pieces.append(float(piece) if shape == () else piece)
            start += size
        return tuple(pieces)


def flatten(values):
    return np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in values])


def _smooth_point(f, program):
    for values in program.points:
        base = arguments(program, values)
        sizes = tuple(int(np.size(v)) for v in base)
        point = Point(program, values, None, None, sizes)
        try:
            value = _scalar(f(*point.args()))
            if value is None or not abs(value) < LARGEST:
                continue
            fd = _differences(lambda flat: _scalar(f(*point.unflatten(flat))),
                              flatten(base), value)
        except Exception:  # the primal raises here, or near here
            continue
        if fd is not None:
            point.value, point.fd = value, fd
            return point
    return None


def _scalar(out):
    try:
        value = float(out)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _differences(fn, x, value):
    """The central-difference gradient of `fn` at flat `x` (where it is `value`,
    scalar, or an array), or None near a kink: the first and second differences
    at `STEP` and `WIDE_STEP` must agree."""
    gradient = []
    for k in range(x.size):
        at = {}
        for h in (STEP, WIDE_STEP):
            for sign in (1, -1):
                moved = x.copy()
                moved[k] += sign * h
                out = fn(moved)
                if out is None or not np.all(np.abs(out) < LARGEST):
                    return None
                at[sign * h] = np.asarray(out, dtype=float)
        first = {h: (at[h] - at[-h]) / (2 * h) for h in (STEP, WIDE_STEP)}
        second = {h: (at[h] - 2 * value + at[-h]) / h ** 2 for h in (STEP, WIDE_STEP)}
        scale = max(1.0, np.max(np.abs(value)), np.max(np.abs(first[STEP])))
        if not np.all(np.abs(first[STEP] - first[WIDE_STEP]) <= 1e-4 * scale):
            return None
        # Smooth: both are f''. A kink at x: they are its jump over h, 10 times apart.
        curvature = max(1.0, np.max(np.abs(second[WIDE_STEP])))
        if not np.all(np.abs(second[STEP] - second[WIDE_STEP]) <= 0.05 * curvature + 1e-3 * scale):
            return None
        gradient.append(first[STEP])
    return np.array(gradient)


def _close(got, want, scale):
    return np.all(np.abs(got - want) <= RTOL * np.abs(want) + ATOL * scale)


def _scale(point):
    return max(1.0, abs(point.value), float(np.max(np.abs(point.fd), initial=0.0)))


# The APIs.


def _same_args(point, args, api):
    """Raise if the call changed an argument."""
    for (name, _), before, after in zip(point.program.params, point.args(), args):
        if np.shape(before) != np.shape(after) or not np.array_equal(before, after):
            raise Discrepancy(f'{api} changed argument {name}: it was {before!r}, '
                              f'it is now {after!r}')


def _same_bits(first, second, api):
    a, b = flatten(first), flatten(second)
    if a.shape != b.shape or a.tobytes() != b.tobytes():
        raise Discrepancy(f'{api}: a second call returned {second!r}, the first {first!r}')


def _same_value(point, value, api):
    got = _scalar(value)
    if got is None or not math.isclose(got, point.value, rel_tol=VALUE_RTOL, abs_tol=1e-300):
        raise Discrepancy(f'{api} returned the value {value!r}; the function returns '
                          f'{point.value!r}')


def _compare_gradient(point, gradients, indices, api):
    """`gradients[j]` is the derivative wrt parameter `indices[j]`."""
    names = [name for name, _ in point.program.params]
    expected = point.unflatten(point.fd)
    scale = _scale(point)
    for k, g in zip(indices, gradients):
        want = np.asarray(expected[k])
        if np.shape(g) != want.shape:
            raise Discrepancy(f'{api}: the gradient wrt {names[k]} has shape '
                              f'{np.shape(g)}, the parameter {want.shape}')
        if not isinstance(g, (float, np.ndarray, np.floating)):
            raise Discrepancy(f'{api}: the gradient wrt {names[k]} is a {type(g).__name__}')
        if not _close(np.asarray(g, dtype=float), want, scale):
            raise Discrepancy(f'{api}: d/d{names[k]}:\n  adjoint:            {g!r}\n'
                              f'  finite differences: {want!r}')


def _grad(f, point, rng, done):
    n = len(point.sizes)
    derivative = adjoint.grad(f, wrt=tuple(range(n)))
    args = point.args()
    first = derivative(*args)
    _same_args(point, args, 'grad')
    if not isinstance(first, tuple) or len(first) != n:
        raise Discrepancy(f'grad with a tuple wrt returned {first!r}')
    _compare_gradient(point, first, range(n), 'grad')
    _same_bits(first, derivative(*point.args()), 'grad')
    done['grad'] = derivative


def _numba(f, point, rng, done):
    """`grad(f, backend='numba')`: against finite differences, and the same numbers
    as the Python backend's gradient, to rounding."""
    try:
        importlib.import_module('numba')
    except ImportError:
        return 'numba is not installed'
    n = len(point.sizes)
    args = point.args()
    compiled = adjoint.grad(f, wrt=tuple(range(n)), backend='numba')(*args)
    _same_args(point, args, 'numba')
    if not isinstance(compiled, tuple) or len(compiled) != n:
        raise Discrepancy(f'numba: grad with a tuple wrt returned {compiled!r}')
    _compare_gradient(point, compiled, range(n), 'numba')
    python = adjoint.grad(f, wrt=tuple(range(n)))(*point.args())
    a, b = flatten(python), flatten(compiled)
    if a.shape != b.shape or not np.allclose(b, a, rtol=BACKEND_RTOL,
                                             atol=BACKEND_RTOL * _scale(point)):
        raise Discrepancy(f'numba: the gradient {compiled!r}, the Python backend\'s '
                          f'{python!r}')


def _value_and_grad(f, point, rng, done):
    n = len(point.sizes)
    indices = sorted(rng.sample(range(n), rng.randrange(1, n + 1)))
    bare = len(indices) == 1 and rng.random() < 0.5
    derivative = adjoint.value_and_grad(f, wrt=indices[0] if bare else tuple(indices))
    args = point.args()
    value, gradients = derivative(*args)
    _same_args(point, args, 'value_and_grad')
    _same_value(point, value, 'value_and_grad')
    _compare_gradient(point, (gradients,) if bare else gradients, indices, 'value_and_grad')
    again = derivative(*point.args())
    _same_bits((again[0],) + ((again[1],) if bare else tuple(again[1])),
               (value,) + ((gradients,) if bare else tuple(gradients)), 'value_and_grad')


def _direction(point, rng):
    flat = np.array([rng.uniform(-1.0, 1.0) for _ in range(sum(point.sizes))])
    return flat, point.unflatten(flat)


def _jvp(f, point, rng, done):
    flat, tangents = _direction(point, rng)
    args = point.args()
    out, tangent = adjoint.jvp(f, args, tangents)
    _same_args(point, args, 'jvp')
    _same_value(point, out, 'jvp')
    want = float(point.fd @ flat)
    scale = max(_scale(point), float(np.abs(point.fd) @ np.abs(flat)))
    if np.shape(tangent) != () or not _close(float(tangent), want, scale):
        raise Discrepancy(f'jvp along {tangents!r}:\n  adjoint:            {tangent!r}\n'
                          f'  finite differences: {want!r}')
    _same_bits((out, tangent), adjoint.jvp(f, point.args(), tangents), 'jvp')
    done['jvp'] = (flat, float(tangent))


def _vjp(f, point, rng, done):
    args = point.args()
    out, pullback = adjoint.vjp(f, *args)
    _same_args(point, args, 'vjp')
    _same_value(point, out, 'vjp')
    c = rng.uniform(0.5, 2.0)
    cotangents = pullback(c)
    if not isinstance(cotangents, tuple) or len(cotangents) != len(point.sizes):
        raise Discrepancy(f'vjp: the pullback returned {cotangents!r}')
    _compare_gradient(point, tuple(np.asarray(g) / c if g is not None else g
                                   for g in cotangents), range(len(point.sizes)), 'vjp')
    _same_bits(cotangents, pullback(c), 'vjp (the pullback called again)')
    if 'jvp' in done:  # the dot-product test: <t, vjp(c)> == <jvp(t), c>
        t, tangent = done['jvp']
        left, right = float(t @ flatten(cotangents)), tangent * c
        # Rounding: a derivative that is zero in exact arithmetic comes out as
        # zero in one mode and as 1e-18 in the other (`np.mean(ones * y) - y`).
        terms = float(np.abs(t) @ np.abs(flatten(cotangents))) + \
            _scale(point) * float(np.sum(np.abs(t))) * c
        if not math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12 * terms):
            raise Discrepancy(f'dot-product test: <t, vjp(c)> = {left!r}, '
                              f'<jvp(t), c> = {right!r}')


def _hessian(f, point, rng, done):
    gradient = done.get('grad')
    if gradient is None:
        return 'no gradient to compare with'
    n = len(point.sizes)
    args = point.args()
    blocks = adjoint.hessian(f, wrt=tuple(range(n)))(*args)
    _same_args(point, args, 'hessian')
    rows = []
    for k in range(n):
        rows.append(np.concatenate([np.reshape(np.asarray(blocks[k][j], dtype=float),
                                               (point.sizes[k], point.sizes[j]))
                                    for j in range(n)], axis=1))
    got = np.concatenate(rows, axis=0)

    def flat_gradient(flat):
        return flatten(gradient(*point.unflatten(flat)))

    x = flatten(point.args())
    want = _differences(flat_gradient, x, flat_gradient(x))  # row k: d grad / d x_k
    if want is None:
        return 'the gradient has a kink near the point'
    want = want.T
    scale = max(1.0, float(np.max(np.abs(want))))
    if not _close(got, want, scale):
        raise Discrepancy(f'hessian:\n  adjoint:\n{got!r}\n'
                          f'  finite differences of the gradient:\n{want!r}')
