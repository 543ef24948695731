"""dead code: drop what nothing needed reads, tapes included.

Requires: an `ir.Function`, and the kinds of its values where known.
Ensures: the same function without statements whose results are not read (calls
kept for their effect and updates of adjoint buffers stay), without region results
nothing reads, and without tapes whose values are never popped into a needed
value — the fixed point of marking what the return value needs.

A derivative raises where its function raises: an operation of the primal that
may raise (`math.log(x - 10.0)` at 2.0, a division of numbers, a call of the
user's own function) is kept when its value is not needed, as a statement run
for its effect.
"""

import math
import operator
import types

from transforms.analysis.kinds import ARRAYS
from transforms.core import ir, primitives, verify
from transforms.core.errors import InternalError
from transforms.core.verify import checked

# Operators that raise on some numbers (ZeroDivisionError, OverflowError).
_RAISING_OPERATORS = frozenset({operator.truediv, operator.floordiv, operator.mod,
                                operator.pow, operator.lshift, operator.rshift})


def _tape_of(stmt):
    if isinstance(stmt, ir.Let) and stmt.fn.value in (primitives.push, primitives.pop):
        return stmt.args[0].name
    return None


# `math` functions that raise on no float, and those that raise on the same numbers
# as another (so one that is needed stands for both).
_NEVER_RAISE = frozenset({math.tanh, math.atan, math.atan2, math.fabs, math.copysign,
                          math.isnan, math.isinf, math.isfinite, math.erf, math.erfc,
                          math.hypot, math.degrees, math.radians})
_SAME_DOMAIN = {math.sin: 'infinite', math.cos: 'infinite', math.tan: 'infinite'}


def may_raise(stmt, kinds):
    """Whether a primal operation may raise where its value is not needed: a
    `math` function, an operator that raises on numbers (not on arrays, where
    NumPy warns), or a Python function called through its source."""
    fn = stmt.fn.value
    if stmt.target is None:
        return False
    if fn in _RAISING_OPERATORS:
        if fn is operator.pow and isinstance(stmt.args[1], ir.Const) and \
                isinstance(stmt.args[1].value, (int, float)) and stmt.args[1].value >= 0:
            return False  # `x ** 2` raises only on overflow, where `x * x` gives inf
        return not any(isinstance(a, ir.Var) and kinds.get(a.name) in ARRAYS
                       for a in stmt.args)
    if getattr(fn, '__module__', None) == 'math':
        return fn not in _NEVER_RAISE
    module = getattr(fn, '__module__', None) or ''
    return isinstance(fn, types.FunctionType) and \
        module != primitives.__name__ and not module.startswith('adjoint.')


def checked_values(fn, kinds):
    """The values of primal `fn` whose operation may raise (see `may_raise`): the
    `checked` of the function, kept by `eliminate_dead_code` for their errors."""
    return frozenset(s.target for s in ir.walk(fn.body)
                     if isinstance(s, ir.Let) and may_raise(s, kinds))


@checked
def eliminate_dead_code(fn):
    """Drop statements, region results and tapes that nothing needed reads."""
    raising = {id(s) for s in ir.walk(fn.body) if isinstance(s, ir.Let) and
               s.target in fn.checked and not s.adjoint and may_raise(s, {})}
    needed = set()
    _need(fn.body.yields, needed)
    live_tapes = set()
    # Without loops every read comes after its definition in program order, so
    # one backward sweep marks all there is to mark: a second one, which only
    # confirmed that, was a tenth of the optimizer's time (checked with
    # ADJOINT_VERIFY=1). A loop's carried values and tapes need the fixed point.
    once = not any(isinstance(s, (ir.For, ir.While)) for s in ir.walk(fn.body))
    while True:
        before = (len(needed), len(live_tapes))
        _mark(fn.body, needed, live_tapes, raising)
        if once and verify.ENABLED:
            marked = (len(needed), len(live_tapes))
            _mark(fn.body, needed, live_tapes, raising)
            if (len(needed), len(live_tapes)) != marked:
                raise InternalError(f'dead code: one sweep did not mark all of `{fn.name}`')
        if once or (len(needed), len(live_tapes)) == before:
            break
    raising -= _raising_alike(fn, needed, raising)
    return fn.replace(body=_sweep(fn.body, needed, live_tapes, raising))


def _raising_alike(fn, needed, raising):
    """The unneeded raising operations that a needed one raises for as well:
    `math.sin(t)` where `math.cos(t)` is computed anyway."""
    domains = {(_SAME_DOMAIN[s.fn.value], s.args) for s in ir.walk(fn.body)
               if isinstance(s, ir.Let) and s.fn.value in _SAME_DOMAIN and
               s.target in needed}
    return {id(s) for s in ir.walk(fn.body) if id(s) in raising and s.target not in needed
            and (_SAME_DOMAIN.get(s.fn.value), s.args) in domains}


def _need(atoms, needed):
    needed.update(a.name for a in atoms if isinstance(a, ir.Var))


def _kept(stmt, needed, live_tapes, raising=frozenset()):
    if isinstance(stmt, ir.Let):
        tape = _tape_of(stmt)
        if stmt.fn.value is primitives.pop:
            if stmt.target in needed:
                live_tapes.add(tape)
            return tape in live_tapes
        if tape is not None:
            return tape in live_tapes
        if stmt.fn.value is primitives.new_tape:
            return stmt.target in live_tapes
        return stmt.target is None or stmt.target in needed or \
            stmt.fn.value in primitives.EFFECTFUL or id(stmt) in raising
    if any(r in needed for r in stmt.results):
        return True
    return any(_kept(s, needed, live_tapes, raising) for r in ir.regions(stmt)
               for s in r.stmts)


def _mark(block, needed, live_tapes, raising):
    for stmt in reversed(block.stmts):
        if not _kept(stmt, needed, live_tapes, raising):
            continue
        if isinstance(stmt, ir.Let):
            _need(ir.stmt_uses(stmt), needed)
            continue
        if isinstance(stmt, ir.If):
            needed.add(getattr(stmt.cond, 'name', None))
            for b in (stmt.then, stmt.orelse):
                _need([y for r, y in zip(stmt.results, b.yields) if r in needed], needed)
                _mark(b, needed, live_tapes, raising)
            continue
        if isinstance(stmt, ir.For):
            _need((stmt.start, stmt.stop, stmt.step), needed)
        else:
            _need(stmt.test.yields, needed)
            _mark(stmt.test, needed, live_tapes, raising)
        for param, init, nxt, result in zip(stmt.carried, stmt.inits, stmt.body.yields,
                                            stmt.results):
            if param in needed or result in needed:
                _need((init, nxt), needed)
                needed.add(param)
        _mark(stmt.body, needed, live_tapes, raising)
    needed.discard(None)


def _sweep(block, needed, live_tapes, raising):
    out = []
    for stmt in block.stmts:
        if not _kept(stmt, needed, live_tapes, raising):
            continue
        if isinstance(stmt, ir.Let) and id(stmt) in raising and stmt.target not in needed:
            stmt = ir.replace(stmt, target=None)  # run for its error, its value unused
        elif isinstance(stmt, ir.If):
            keep = [k for k, r in enumerate(stmt.results) if r in needed]
            then = _sweep(stmt.then, needed, live_tapes, raising)
            orelse = _sweep(stmt.orelse, needed, live_tapes, raising)
            stmt = ir.replace(
                stmt, results=tuple(stmt.results[k] for k in keep),
                then=ir.Block(then.stmts, tuple(then.yields[k] for k in keep)),
                orelse=ir.Block(orelse.stmts, tuple(orelse.yields[k] for k in keep)))
        elif isinstance(stmt, (ir.For, ir.While)):
            keep = [k for k, (p, r) in enumerate(zip(stmt.carried, stmt.results))
                    if p in needed or r in needed]
            body = _sweep(stmt.body, needed, live_tapes, raising)
            pick = lambda seq: tuple(seq[k] for k in keep)  # noqa: E731
            changes = dict(carried=pick(stmt.carried), inits=pick(stmt.inits),
                           results=pick(stmt.results),
                           body=ir.Block(body.stmts, pick(body.yields)))
            if isinstance(stmt, ir.While):
                changes['test'] = _sweep(stmt.test, needed, live_tapes, raising)
            stmt = ir.replace(stmt, **changes)
        out.append(stmt)
    return ir.Block(tuple(out), block.yields)
