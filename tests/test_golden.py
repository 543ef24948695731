"""Golden files: the IR and the generated derivatives of small functions, kept for review.

Every public function (name not starting with `_`) defined in a module of the
package `tests/golden_cases/` is a case, named by the function; names are unique
across modules. For a case `f`, `tests/golden/f/` holds:

- `source.py`: the function's source, as read;
- `ir.txt`: the printed SSA IR of the function (`adjoint.ir(f)`);
- `adjoint.py`: the generated gradient, specialized to the case's kinds;
- `adjoint_generic.py`: the generated gradient for arguments of unknown kind
  (the code `grad(f).source` shows before any call), unless the module opts out;
- `tangent.py`: the generated forward-mode code (`jvp(f).source`), specialized
  to the case's kinds, with a tangent for each parameter of WRT.
- `adjoint_shaped.py`, for a case whose first point has arrays: the code a call
  of `grad(f)` at that point runs, specialized to which dimensions of the arrays
  are equal too (transforms/analysis/shapes.py), where it differs from `adjoint.py`.

A case module may declare these module-level dicts, keyed by case name:

- `ARGS = {'f': [(1.0, 2.0), (0.3, -0.7)]}`: the points (tuples of arguments)
  where the derivative is checked against central finite differences. Default:
  two seeded random points, every argument a float in [0.3, 1.7].
- `KINDS = {'f': {'n': 'int'}}`: the kinds (int, float, bool, array, or None for
  unknown) that `adjoint.py` is specialized to. Default: the kinds of the first
  point of ARGS (so all 'float' when ARGS is not given); KINDS overrides per name.
- `WRT = {'f': ('x', 'y')}`: the parameters to differentiate, a tuple (a tuple
  of gradients) or one name (a bare gradient). Default: every parameter of kind
  float or any array kind, as one name when there is just one.
- `GENERIC = False`, or a set of case names: which cases keep `adjoint_generic.py`.
  Default: all of them.
- `ZERO_BUFFERS = {'f': ['zeros_like(x)']}`: the zero initializations a
  straight-line case needs (the adjoints of slices of one array add up in one
  buffer). Default: none.

Every case's derivatives (the specialized and the generic code, plus
`adjoint.testing.check_grads` through `grad`, and the tangent code along a random
direction) are checked against finite differences at every point, so a golden
file cannot freeze a wrong derivative. Straight-line cases (no if/for/while in the
IR) must moreover produce adjoints and tangents with no zero-initialized adjoint
or tangent and no unused statement.

A failing comparison shows a unified diff. After reviewing a change, regenerate:

    pytest tests/test_golden.py --regen-golden      # or ADJOINT_REGEN_GOLDEN=1

The generated code cites line numbers of the case module: add cases at the end.
Printing agrees on Python 3.11, 3.12 and 3.13, so the files are not pinned to one.
"""

import ast
import dataclasses
import importlib
import inspect
import pkgutil

import numpy as np
import pytest

import adjoint
from adjoint import api, forward_mode
from adjoint.testing import check_grads, numerical_grad
from tests import golden_cases
from tests.conftest import GOLDEN
from transforms import pipeline
from transforms.analysis.kinds import ARRAYS, kind_of_value
from transforms.core import ir

NOT_CASES = {'cli'}  # directories of tests/golden/ that other tests own


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    fn: object
    args: tuple   # points: tuples of arguments
    kinds: dict   # parameter name -> kind, for adjoint.py
    wrt: object   # a name or a tuple of names, as `grad` takes it
    generic: bool
    zero_buffers: tuple = ()  # the zero initializations the adjoint needs

    def __str__(self):
        return self.name


def case_modules():
    return [importlib.import_module(f'{golden_cases.__name__}.{info.name}')
            for info in pkgutil.iter_modules(golden_cases.__path__)]


def make_case(module, fn):
    name = fn.__name__
    params = list(inspect.signature(fn).parameters)
    args = getattr(module, 'ARGS', {}).get(name)
    if args is None:
        rng = np.random.default_rng(sum(map(ord, name)))
        args = [tuple(float(v) for v in rng.uniform(0.3, 1.7, len(params))) for _ in range(2)]
    kinds = {p: kind_of_value(v) for p, v in zip(params, args[0])}
    kinds.update(getattr(module, 'KINDS', {}).get(name, {}))
    wrt = getattr(module, 'WRT', {}).get(name)
    if wrt is None:
        wrt = tuple(p for p in params if kinds.get(p) == 'float' or kinds.get(p) in ARRAYS)
        wrt = wrt[0] if len(wrt) == 1 else wrt
    generic = getattr(module, 'GENERIC', True)
    generic = generic if isinstance(generic, bool) else name in generic
    zero_buffers = tuple(getattr(module, 'ZERO_BUFFERS', {}).get(name, ()))
    return Case(name, fn, tuple(map(tuple, args)), kinds, wrt, generic, zero_buffers)


def collect():
    cases = []
    for module in case_modules():
        fns = [fn for name, fn in vars(module).items() if inspect.isfunction(fn)
               and fn.__module__ == module.__name__ and not name.startswith('_')]
        fns.sort(key=lambda fn: fn.__code__.co_firstlineno)
        cases.extend(make_case(module, fn) for fn in fns)
    return cases


CASES = collect()
GENERIC = [case for case in CASES if case.generic]


def is_straight_line(fn):
    primal, _ = pipeline.primal_ir(fn)
    return not any(isinstance(s, (ir.If, ir.For, ir.While)) for s in primal.body.stmts)


STRAIGHT = [case for case in CASES if is_straight_line(case.fn)]


def wrt_tuple(case):
    return case.wrt if isinstance(case.wrt, tuple) else (case.wrt,)


def assert_matches_finite_differences(case, derivative):
    """`derivative` (a compiled gradient of `case.fn`) against central differences."""
    params = list(inspect.signature(case.fn).parameters)
    for args in case.args:
        got = derivative(*args)
        got = got if isinstance(case.wrt, tuple) else (got,)
        for name, g in zip(wrt_tuple(case), got):
            k = params.index(name)
            expected = numerical_grad(case.fn, args, k)
            assert np.shape(g) == np.shape(args[k]), f'd/d{name} at {args}'
            np.testing.assert_allclose(g, expected, rtol=1e-5, atol=1e-6,
                                       err_msg=f'd{case.name}/d{name} at {args}')


# ---------------------------------------------------------------- golden files


def test_case_names_are_unique():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_golden_directory_has_a_case():
    names = {case.name for case in CASES} | NOT_CASES
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name not in names)
    assert not stale, f'golden directories without a case; delete them: {stale}'


@pytest.mark.parametrize('case', CASES, ids=str)
def test_source(case, golden):
    golden(f'{case.name}/source.py', inspect.getsource(case.fn))


@pytest.mark.parametrize('case', CASES, ids=str)
def test_ir(case, golden):
    golden(f'{case.name}/ir.txt', adjoint.ir(case.fn))


@pytest.mark.parametrize('case', CASES, ids=str)
def test_adjoint(case, golden):
    golden(f'{case.name}/adjoint.py', api.derivative_source(case.fn, case.wrt, case.kinds))


def _shaped_source(case):
    """The source `grad(f)` runs at the case's first point, if it has arrays and
    the code differs from the case's `adjoint.py`; else None."""
    if not any(isinstance(a, np.ndarray) and a.ndim for a in case.args[0]):
        return None
    derivative = adjoint.grad(case.fn, wrt=case.wrt)
    derivative(*case.args[0])
    source = derivative.source
    return None if source == api.derivative_source(case.fn, case.wrt, case.kinds) else source


@pytest.mark.parametrize('case', CASES, ids=str)
def test_shaped_adjoint(case, golden):
    source = _shaped_source(case)
    if source is None:
        stale = GOLDEN / case.name / 'adjoint_shaped.py'
        assert not stale.exists(), f'{stale} is stale: delete it'
        return
    golden(f'{case.name}/adjoint_shaped.py', source)


@pytest.mark.parametrize('case', GENERIC, ids=str)
def test_generic_adjoint(case, golden):
    golden(f'{case.name}/adjoint_generic.py', api.derivative_source(case.fn, case.wrt))


@pytest.mark.parametrize('case', CASES, ids=str)
def test_tangent(case, golden):
    golden(f'{case.name}/tangent.py', forward_mode.tangent_source(case.fn, case.wrt, case.kinds))


# ------------------------------------------------------- the numbers are right


@pytest.mark.parametrize('case', CASES, ids=str)
def test_specialized_adjoint_matches_finite_differences(case):
    assert_matches_finite_differences(case, api.specialize(case.fn, case.wrt, case.kinds)[0])


@pytest.mark.parametrize('case', GENERIC, ids=str)
def test_generic_adjoint_matches_finite_differences(case):
    assert_matches_finite_differences(case, api.specialize(case.fn, case.wrt)[0])


@pytest.mark.parametrize('case', CASES, ids=str)
def test_check_grads(case):
    params = list(inspect.signature(case.fn).parameters)
    for args in case.args:
        check_grads(case.fn, args, wrt=[params.index(name) for name in wrt_tuple(case)])


@pytest.mark.parametrize('case', CASES, ids=str)
def test_tangent_matches_finite_differences(case):
    params = list(inspect.signature(case.fn).parameters)
    rng = np.random.default_rng(sum(map(ord, case.name)))
    jvp = adjoint.jvp(case.fn)
    for args in case.args:
        tangents = [rng.normal(size=np.shape(a)) if p in wrt_tuple(case) else None
                    for p, a in zip(params, args)]
        tangents = [float(t) if t is not None and np.ndim(args[k]) == 0 and
                    not isinstance(args[k], np.ndarray) else t for k, t in enumerate(tangents)]
        out, tangent = jvp(args, tangents)
        expected = sum(np.sum(numerical_grad(case.fn, args, k) * t)
                       for k, t in enumerate(tangents) if t is not None)
        np.testing.assert_allclose(tangent, expected, rtol=1e-5, atol=1e-6,
                                   err_msg=f'tangent of {case.name} at {args}')
    assert jvp.source == forward_mode.tangent_source(case.fn, case.wrt, case.kinds)


# ----------------------------------------- straight-line code is what you'd write


def assigned_then_unused(source):
    """Names assigned by a statement of the (flat) function body and never read after
    (`del` releases names; it assigns none)."""
    body = ast.parse(source).body[0].body
    unused = []
    for k, stmt in enumerate(body):
        if isinstance(stmt, ast.Delete):
            continue
        targets = [node.id for target in getattr(stmt, 'targets', ())
                   for node in ast.walk(target) if isinstance(node, ast.Name)]
        read = {node.id for later in body[k + 1:] for node in ast.walk(later)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
        unused.extend(f'{name} (line {stmt.lineno})' for name in targets if name not in read)
    return unused


def zero_initializations(source):
    """Statements that start an adjoint at zero: `bx = 0.0`, `zeros_like(...)`, `np.zeros`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and node.value.value == 0:
            found.append(ast.unparse(node))
        if isinstance(node, ast.Call) and ast.unparse(node.func).split('.')[-1] in (
                'zeros_like', 'zeros'):
            found.append(ast.unparse(node))
    return found


def test_lean_code_checks_can_fail():
    bad = ('def g(x):\n    bx = 0.0\n    t1 = x * x\n    t2 = zeros_like(x)\n    del bx\n'
           '    return t2\n')
    assert assigned_then_unused(bad) == ['bx (line 2)', 't1 (line 3)']
    assert zero_initializations(bad) == ['bx = 0.0', 'zeros_like(x)']


def test_straight_line_cases_exist():
    assert len(STRAIGHT) >= 6


@pytest.mark.parametrize('generic', [False, True], ids=['specialized', 'generic'])
@pytest.mark.parametrize('case', STRAIGHT, ids=str)
def test_straight_line_adjoint_is_lean(case, generic):
    source = api.derivative_source(case.fn, case.wrt, None if generic else case.kinds)
    assert zero_initializations(source) == list(case.zero_buffers)
    assert assigned_then_unused(source) == []


@pytest.mark.parametrize('case', STRAIGHT, ids=str)
def test_straight_line_tangent_is_lean(case):
    source = forward_mode.tangent_source(case.fn, case.wrt, case.kinds)
    assert zero_initializations(source) == []
    assert assigned_then_unused(source) == []
