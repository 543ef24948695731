"""recompute: which taped values of a loop body the backward sweep can recompute.

Requires: the forward statements of a loop body (or of a branch inside one), the
names the backward sweep would otherwise save from them, the names the block
defines (its statements' results and the carried values it receives), and kinds.
Provides: `recompute_plan(stmts, saved, defined, kinds) -> [ir.Let, ...]`, the
statements (in their order) that recompute some of the saved values, and whatever
they need from the block, at the top of the backward iteration.

A hand-written gradient of `error += (ys[i] - xs[i] * coef) ** 2` stores nothing:
it recomputes the residual from `ys[i]`, `xs[i]` and `coef`. Pushing a float and
popping it costs two list-method calls; recomputing it from values still alive
costs about as much when it takes a few operations, and, when the tape was all the
forward loop was kept for, removes the forward loop. So a saved value is
recomputed when:

- it is an item read `x[k]` (an array's row too: a view), a tuple of ints (the
  index `(i, j)` of `x[i, j]`), or a scalar (kinds 'int', 'float', 'bool')
  computed by a Python arithmetic or comparison operator (a branch's condition),
  and
- its operands come from outside the block (the loop index counts as outside: the
  backward loop walks it again) or are themselves recomputed, with at most
  `MAX_OPERATIONS` operators in all.

Never an array computed by arithmetic (keeping a reference costs nothing;
recomputing costs O(n)), and
never anything depending on a carried value, which changes every iteration, or on
a value the block computes otherwise (a call, a nested loop's result).

That is the policy for Python (`INTERPRETED`). Code that a compiler (Numba)
compiles has another (`compiled_policy`): there a tape's write and read cost more than
a dozen operations on numbers in registers, and a call of a pure function of
numbers (`math.sqrt`, by the rule table's `is_pure`) is one more such operation.
On the 50-body potential of benchmarks/ (a double loop over the pairs, taping a
square root and a reciprocal), the Numba gradient took 7.8 us with the two tapes
and 5.0 us recomputing them, against 3.4 us for the Numba primal.
"""

import operator
from dataclasses import dataclass

from transforms.analysis.kinds import SCALARS
from transforms.core import ir, primitives

# Pure on numbers, and deterministic: recomputed from the same operands, they give
# the same float, and they cannot raise where the forward sweep did not.
ARITHMETIC = frozenset({operator.add, operator.sub, operator.mul, operator.truediv,
                        operator.floordiv, operator.mod, operator.pow, operator.neg,
                        operator.pos, operator.lt, operator.le, operator.gt, operator.ge,
                        operator.eq, operator.ne})

MAX_OPERATIONS = 4  # arithmetic operators recomputed for one saved value


@dataclass(frozen=True)
class Policy:
    """What the backward sweep computes again rather than saves.

    Args:
        max_operations: the operations recomputed for one saved value, at most.
        pure: None, or `pure(stmt)`: whether a call is a pure function (the rule
            table's `is_pure`), recomputed too when its arguments and result are
            numbers.
    """

    max_operations: int = MAX_OPERATIONS
    pure: object = None


INTERPRETED = Policy()


def compiled_policy(rules):
    """The policy for compiled code (see the module docstring)."""
    return Policy(max_operations=16, pure=rules.is_pure)


def recompute_plan(stmts, saved, defined, kinds, policy=INTERPRETED):
    """The statements recomputing the saved values that are cheap to recompute.

    Args:
        stmts: the forward statements whose values are saved.
        saved: names of the values the backward sweep reads.
        defined: names the block defines (results, carried values it receives);
            an operand among them must itself be recomputable.
        kinds: {name: kind}.
        policy: a `Policy`.

    Returns:
        A list of `ir.Let`, in the block's order; their targets are the names
        to recompute (saved ones and the operands they need).
    """
    lets = {s.target: s for s in stmts if isinstance(s, ir.Let) and s.target is not None}
    defined = set(defined)
    costs = {}  # name -> set of arithmetic statements recomputing it needs

    def cost(name):
        if name in costs:
            return costs[name]
        costs[name] = None  # not recomputable until shown otherwise (no cycles in SSA)
        stmt = lets.get(name)
        if stmt is None or stmt.kwargs:
            return None
        if stmt.fn.value is operator.getitem or _index_tuple(stmt, kinds):
            needs = set()
        elif stmt.fn.value in ARITHMETIC and kinds.get(name) in SCALARS:
            needs = {name}
        elif policy.pure is not None and _pure_of_numbers(stmt, kinds, policy.pure):
            needs = {name}
        else:
            return None
        for arg in stmt.args:
            if isinstance(arg, ir.Var) and arg.name in defined:
                inner = cost(arg.name)
                if inner is None:
                    return None
                needs |= inner
        if len(needs) > policy.max_operations:
            return None
        costs[name] = needs
        return needs

    chosen = set()
    for name in saved:
        if cost(name) is not None:
            chosen |= _closure(name, lets, defined)
    return [s for s in stmts if isinstance(s, ir.Let) and s.target in chosen]


def _pure_of_numbers(stmt, kinds, pure):
    """A call of a pure function of numbers returning a number (`math.sqrt(t)`)."""
    return kinds.get(stmt.target) in SCALARS and pure(stmt) and all(
        kinds.get(a.name) in SCALARS if isinstance(a, ir.Var)
        else isinstance(a, ir.Const) and isinstance(a.value, (int, float))
        for a in stmt.args)


def _index_tuple(stmt, kinds):
    """`(i, j)` of ints, as in `x[i, j]`: as cheap to build again as to pop."""
    return stmt.fn.value is primitives.make_tuple and all(
        kinds.get(a.name) == 'int' if isinstance(a, ir.Var) else isinstance(a, ir.Const)
        for a in stmt.args)


def _closure(name, lets, defined):
    """`name` and the block's values it is computed from."""
    out, stack = set(), [name]
    while stack:
        current = stack.pop()
        if current in out:
            continue
        out.add(current)
        stack.extend(a.name for a in lets[current].args
                     if isinstance(a, ir.Var) and a.name in defined)
    return out
