"""optimize: constant folding, algebraic identities, dead code, invariant carries.

Requires: an `ir.Function`, and kinds of its values (see `kinds.py`) where known.
Ensures: an equivalent function with
  - operations on constants folded (`1.0 * 2` -> `2.0`), identities removed
    (`x * 1.0`, `x ** 1`, `x / 1.0` for float and array `x`), an `if` on a
    constant replaced by the branch it takes;
  - no statement whose result is unused, no tape whose values are never read;
  - no loop-carried value that the loop passes through unchanged.
"""

import operator

from transforms.analysis.kinds import ARRAYS, SCALARS
from transforms.core import ir, primitives, substitute
from transforms.core.errors import InternalError
from transforms.core.verify import checked
from transforms.frontend.ssa import prim
from transforms.opt.dead_code import eliminate_dead_code

_FOLDABLE = set(primitives.BINARY) | set(primitives.UNARY) | set(primitives.COMPARE)
_FLOATISH = ARRAYS | {'float'}


@checked
def optimize(fn, kinds=None, pure=None, known=None):
    """Run the passes below until nothing changes.

    Args:
        fn: the function.
        kinds: {name: kind} (see `kinds.py`), where known.
        pure: `pure(stmt) -> bool` for operations beyond Python's operators and
            `math` that common subexpression elimination may merge.
        known: `known(stmt) -> bool` for calls that write into none of their
            arguments (see `eliminate_common_subexpressions`).
    """
    kinds = kinds or {}
    for _ in range(_MAX_ROUNDS):
        new = eliminate_dead_code(drop_invariant_carries(
            eliminate_common_subexpressions(fold(fn, kinds), kinds, pure, known)))
        if new == fn:
            return fn
        fn = new
    raise InternalError(f'the optimizer did not reach a fixed point on `{fn.name}`')


# A safeguard, never reached: each round that changes the function removes a
# statement, a carried value or an operation, or folds one.
_MAX_ROUNDS = 1000


# ---------------------------------------------------------------- folding


def _foldable(fn):
    return fn in _FOLDABLE or getattr(fn, '__module__', None) == 'math'


def _is(atom, *values):
    return isinstance(atom, ir.Const) and type(atom.value) in (int, float) and \
        not isinstance(atom.value, bool) and atom.value in values


def simplify(stmt, kinds):
    """An atom equal to the statement's value, a new statement, or None."""
    fn, args = stmt.fn.value, stmt.args
    if stmt.kwargs or stmt.target is None:
        return None
    if _foldable(fn) and all(isinstance(a, ir.Const) for a in args):
        try:
            return ir.Const(fn(*(a.value for a in args)))
        except (ArithmeticError, ValueError, TypeError):
            return None

    def floatish(a):
        if isinstance(a, ir.Var):
            return kinds.get(a.name) in _FLOATISH
        return isinstance(a, ir.Const) and isinstance(a.value, float)

    if fn is operator.mul:
        for one, other in ((args[0], args[1]), (args[1], args[0])):
            if _is(one, 1) and floatish(other):
                return other
            if _is(one, -1) and floatish(other):
                return ir.replace(stmt, fn=prim(operator.neg), args=(other,))
    if fn is operator.pow and isinstance(args[1], ir.Const) and type(args[1].value) is int \
            and args[1].value == 1:
        return args[0]  # x ** 1 is x, of the same type, for every number and array
    if getattr(fn, 'pow_for_nonnegative_constants', False) and isinstance(args[1], ir.Const) \
            and type(args[1].value) in (int, float) and args[1].value >= 0:
        return ir.replace(stmt, fn=prim(operator.pow))  # a helper `x ** c` for any c
    if fn in (operator.truediv, operator.pow) and _is(args[1], 1) and floatish(args[0]):
        return args[0]
    if fn is operator.add:
        for zero, other in ((args[0], args[1]), (args[1], args[0])):
            if _is(zero, 0) and floatish(other):
                return other
    if fn is operator.sub and _is(args[1], 0) and floatish(args[0]):
        return args[0]
    if fn is operator.neg and isinstance(args[0], ir.Var):
        return None
    return None


def _subtract_negation(stmt, negations):
    """`a + (-b)` -> `a - b`, and `(-b) + a` -> `a - b`."""
    if stmt.fn.value is not operator.add or stmt.kwargs:
        return stmt
    a, b = stmt.args
    if isinstance(b, ir.Var) and b.name in negations:
        return ir.replace(stmt, fn=prim(operator.sub), args=(a, negations[b.name]))
    if isinstance(a, ir.Var) and a.name in negations:
        return ir.replace(stmt, fn=prim(operator.sub), args=(b, negations[a.name]))
    return stmt


def _negate_scaled(stmt, scaled):
    """`-(c * b)` -> `(-c) * b` for a constant `c`."""
    if stmt.fn.value is operator.neg and isinstance(stmt.args[0], ir.Var) and \
            stmt.args[0].name in scaled:
        c, b = scaled[stmt.args[0].name]
        return ir.replace(stmt, fn=prim(operator.mul), args=(ir.Const(-c.value), b))
    return stmt


def _rescale(stmt, scaled):
    """`(c1 * b) * c2` -> `(c1 * c2) * b` for constants: one multiplication of an
    array instead of two (`-200.0 * r * 2` -> `-400.0 * r`), as a person folds
    constants. It may round differently in the last place, as folding by hand does."""
    if stmt.fn.value is not operator.mul or stmt.kwargs:
        return stmt
    for inner, c2 in (stmt.args, stmt.args[::-1]):
        if isinstance(inner, ir.Var) and inner.name in scaled and \
                isinstance(c2, ir.Const) and type(c2.value) in (int, float):
            c1, b = scaled[inner.name]
            return ir.replace(stmt, args=(ir.Const(float(c1.value * c2.value)), b))
    return stmt


@checked
def fold(fn, kinds):
    """Fold constants and identities; uses of removed values get their atoms."""
    uses = {}
    negations = {}  # name of `t = -b` -> b
    scaled = {}  # name of `t = c * b`, c a float constant -> (c, b)

    def block(b):
        out = []
        for stmt in b.stmts:
            stmt = substitute.operands(stmt, uses)  # its regions: by `block` below
            if isinstance(stmt, ir.Let):
                stmt = _subtract_negation(stmt, negations)
                stmt = _negate_scaled(stmt, scaled)
                stmt = _rescale(stmt, scaled)
                if stmt.fn.value is operator.neg and stmt.target is not None:
                    negations[stmt.target] = stmt.args[0]
                if stmt.fn.value is operator.mul and isinstance(stmt.args[0], ir.Const) \
                        and isinstance(stmt.args[0].value, float):
                    scaled[stmt.target] = stmt.args
                simpler = simplify(stmt, kinds)
                if isinstance(simpler, (ir.Var, ir.Const, ir.Global)):
                    uses[stmt.target] = simpler
                    continue
                if simpler is not None:
                    stmt = simpler
            else:
                stmt = ir.map_regions(stmt, block)
                if isinstance(stmt, ir.If) and isinstance(stmt.cond, ir.Const):
                    # `elif math.log(1.25) > 0.25:` folds to a constant: only one
                    # branch can run, in both sweeps, so it is the code.
                    taken = stmt.then if stmt.cond.value else stmt.orelse
                    out.extend(taken.stmts)
                    uses.update(zip(stmt.results, taken.yields))
                    continue
            out.append(stmt)
        return ir.Block(tuple(out), tuple(substitute.atom(a, uses) for a in b.yields))

    return fn.replace(body=block(fn.body))


# ---------------------------------------------------------------- common subexpressions

# Only operations known to be pure and deterministic are merged: np.random.normal()
# called twice must stay two calls.
_PURE = _FOLDABLE

# Operations that read a container or make a new version of it, never changing the
# version they are given (SSA: `setitem` yields a new one).
_LEAVES_CONTAINER = frozenset({operator.getitem, primitives.setitem, primitives.append,
                               primitives.drop_last, primitives.copy, primitives.make_tuple,
                               primitives.make_list, primitives.make_dict})


def _pure(fn):
    return fn in _PURE or getattr(fn, '__module__', None) == 'math'


def _changeable(fn, pure, known):
    """(names some operation might change in place: arguments of a method call
    (`a.reverse()`), of an unknown function, of `bx[i] += g` in an adjoint;
    the same of the operations `known` does not say write into nothing)."""
    changeable, written = set(), set()
    for stmt in ir.walk(fn.body):
        if isinstance(stmt, ir.Let) and stmt.fn.value not in _LEAVES_CONTAINER and \
                not pure(stmt):
            read = [a.name for a in ir.stmt_uses(stmt) if isinstance(a, ir.Var)]
            changeable.update(read)
            if known is None or not known(stmt):
                written.update(read)
    return changeable, written


_COMMUTATIVE = frozenset({operator.add, operator.mul})


@checked
def eliminate_common_subexpressions(fn, kinds=None, pure=None, known=None):
    """Reuse the first of two identical pure operations where it is visible.

    Pure: Python's operators, `math`, and what `pure(stmt)` says (the rule table:
    `np.sin`, not `np.random.normal` or a fresh `np.zeros`). Two reads `x[k]` of
    the same container and constant or same index are one (`x[:-1]` twice in
    Rosenbrock's function), unless something may change `x` in place between them;
    the same for any operation of a value something may change in place.
    With kinds, `a * b` and `b * a` of numbers or arrays are one too (the tangent of
    `x * x` is `dx * x + x * dx`). Two results are never one where a call might
    write into either (`h(x, y * y)` and `y * y` again): a call of which
    `known(stmt)` does not say it writes into none of its arguments."""
    uses = {}
    purity = {}  # id(stmt) -> (stmt, whether it is pure): each is asked twice

    def is_pure(stmt):
        found = purity.get(id(stmt))
        if found is None or found[0] is not stmt:
            found = purity[id(stmt)] = (
                stmt, _pure(stmt.fn.value) or (pure is not None and pure(stmt)))
        return found[1]
    changeable, written = _changeable(fn, is_pure, known)
    kinds = kinds or {}

    def numeric(atom):
        kind = kinds.get(atom.name) if isinstance(atom, ir.Var) else \
            'float' if isinstance(atom, ir.Const) and type(atom.value) in (int, float) else None
        return kind in SCALARS or kind in ARRAYS

    def key_of(stmt):
        args = stmt.args
        if stmt.fn.value in _COMMUTATIVE and not stmt.kwargs and all(map(numeric, args)):
            args = tuple(sorted(args, key=str))  # a * b and b * a: one value, exactly
        return (stmt.fn, args, stmt.kwargs)

    def mergeable(stmt):
        # A pure operation of a value changed in place between two reads (`bx`
        # under `bx[i] = 0.0`) is not one value: its result depends on when.
        if stmt.target in written or changeable and any(
                isinstance(a, ir.Var) and a.name in changeable for a in ir.stmt_uses(stmt)):
            return False
        if stmt.fn.value is operator.getitem:
            return isinstance(stmt.args[0], ir.Var)
        return is_pure(stmt)

    def block(b, seen):
        seen = dict(seen)
        out = []
        for stmt in b.stmts:
            stmt = substitute.operands(stmt, uses)  # its regions: by `block` below
            if isinstance(stmt, ir.Let) and stmt.target is not None and mergeable(stmt):
                key = key_of(stmt)
                try:
                    earlier = seen.get(key)
                except TypeError:
                    earlier, key = None, None
                if earlier is not None:
                    uses[stmt.target] = ir.Var(earlier)
                    continue
                if key is not None:
                    seen[key] = stmt.target
            elif not isinstance(stmt, ir.Let):
                stmt = ir.map_regions(stmt, lambda r: block(r, seen))
            out.append(stmt)
        return ir.Block(tuple(out), tuple(substitute.atom(a, uses) for a in b.yields))

    return fn.replace(body=block(fn.body, {}))


# ---------------------------------------------------------------- loop invariants

# Operations that cannot raise on numbers, so computing them once before a loop
# that might run zero times changes nothing.
_SAFE_TO_HOIST = frozenset({operator.neg, operator.pos, operator.add, operator.sub,
                            operator.mul})


@checked
def hoist_loop_invariants(fn):
    """Move safe operations whose operands are all defined outside a loop out of it.

    Reverse mode would otherwise tape a value like `-k` once per iteration.
    """
    def block(b):
        out = []
        for stmt in b.stmts:
            if isinstance(stmt, (ir.For, ir.While)):
                stmt = ir.map_regions(stmt, block)
                hoisted, stmt = _hoist(stmt)
                out.extend(hoisted)
            elif isinstance(stmt, ir.If):
                stmt = ir.map_regions(stmt, block)
            out.append(stmt)
        return ir.Block(tuple(out), b.yields)

    return fn.replace(body=block(fn.body))


def _hoist(loop):
    inside = set(ir.region_params(loop))
    for s in ir.walk(loop.body):
        inside.update(ir.stmt_defs(s), ir.region_params(s))
    hoisted, kept = [], []
    for stmt in loop.body.stmts:
        if isinstance(stmt, ir.Let) and stmt.fn.value in _SAFE_TO_HOIST and \
                not stmt.kwargs and stmt.target is not None and \
                not any(isinstance(a, ir.Var) and a.name in inside for a in stmt.args):
            hoisted.append(stmt)
            inside.discard(stmt.target)
        else:
            kept.append(stmt)
    if not hoisted:
        return [], loop
    return hoisted, ir.replace(loop, body=ir.Block(tuple(kept), loop.body.yields))


# ---------------------------------------------------------------- invariant carries


@checked
def drop_invariant_carries(fn):
    """Remove loop-carried values whose next value is the value itself (or its init)."""
    uses = {}

    def block(b):
        out = []
        for stmt in b.stmts:
            stmt = substitute.statement(stmt, uses)
            if isinstance(stmt, (ir.For, ir.While)):
                stmt = _drop_invariant(stmt, uses)
            if not isinstance(stmt, ir.Let):
                stmt = ir.map_regions(stmt, block)
            out.append(stmt)
        return ir.Block(tuple(out), tuple(substitute.atom(a, uses) for a in b.yields))

    return fn.replace(body=block(fn.body))


def _drop_invariant(stmt, uses):
    keep = []
    inner = {}
    for k, (param, init, nxt) in enumerate(zip(stmt.carried, stmt.inits, stmt.body.yields)):
        if nxt == ir.Var(param) or nxt == init:
            inner[param] = init
            uses[stmt.results[k]] = init
        else:
            keep.append(k)
    if len(keep) == len(stmt.carried):
        return stmt
    pick = lambda seq: tuple(seq[k] for k in keep)  # noqa: E731
    body = substitute.block(stmt.body, inner)
    body = ir.Block(body.stmts, pick(body.yields))
    changes = dict(carried=pick(stmt.carried), inits=pick(stmt.inits), body=body,
                   results=pick(stmt.results))
    if isinstance(stmt, ir.While):
        changes['test'] = substitute.block(stmt.test, inner)
    return ir.replace(stmt, **changes)
