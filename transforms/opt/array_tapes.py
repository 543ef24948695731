"""array tapes: a loop's tapes of numbers as arrays as long as its trip count.

Requires: an adjoint `ir.Function` after `pipeline.finish`, the kinds of its
values (`kinds.py`), and a rule table with the helpers `float_tape`, `int_tape`
and `bool_tape` (`n -> an array of n numbers of that kind, not initialized`).
Ensures: the same function, in which each tape that

- is made at the top of the function and holds numbers (a kind in `SCALARS`),
- is pushed once per iteration of one top-level `for` loop (a statement of its
  body, not of a region inside it) and popped once per iteration of the
  reversed loop over the same range,

is an array of the loop's trip count, made just before the loop: the push
writes `tape_y[i] = y` at the iteration's position, `(i - start) // step`, and
the pop reads `y = tape_y[i]` back. Each iteration of the reversed loop reads
what the same iteration of the forward loop wrote, so the values are those the
pops would have taken: a list is last in, first out, and the two loops walk one
range in opposite orders. Any other tape stays a list.

Why: only `backend='numba'` runs it (see `pipeline.adjoint_function`). Numba's
list appends and pops cost more than the arithmetic of a small loop body, and
the list grows by reallocation: on the 1,000-step Euler loop of benchmarks/ the
gradient took 1.8x the Numba-compiled primal with list tapes and 1.6x with
arrays, at 100,000 steps 2.4x and 1.9x. In plain Python an item of a NumPy array
costs more to write and read than a list's, so the Python backend keeps lists.
"""

import builtins
import operator

from transforms.analysis.kinds import atom_kind
from transforms.core import ir, primitives
from transforms.core.names import Namer
from transforms.core.verify import checked
from transforms.frontend.ssa import prim

_HELPERS = {'float': 'float_tape', 'int': 'int_tape', 'bool': 'bool_tape'}


@checked
def preallocate_tapes(fn, kinds, rules):
    """`fn` with its tapes of numbers pushed and popped once an iteration of a
    top-level loop as arrays (see the module docstring)."""
    tapes = _array_tapes(fn, kinds)
    if not tapes:
        return fn
    namer = Namer(ir.all_names(fn))
    namer.taken |= ir.all_names(fn)
    by_loop = {}  # id of the forward loop -> [tape names]
    for tape, (loop, _, _) in tapes.items():
        by_loop.setdefault(id(loop), []).append(tape)
    stmts = []
    for stmt in fn.body.stmts:
        if isinstance(stmt, ir.Let) and stmt.target in tapes:
            continue  # made just before its loop, below
        if isinstance(stmt, ir.For) and id(stmt) in by_loop:
            names = by_loop[id(stmt)]
            count = _trip_count(stmt, namer, stmts)
            for tape in names:
                helper = _HELPERS[tapes[tape][2]]
                stmts.append(ir.Let(tape, ir.Global(helper, rules.helper(helper)), (count,),
                                    line=stmt.line, adjoint=stmt.adjoint))
            stmt = _indexed(stmt, set(names), primitives.push, namer)
        elif isinstance(stmt, ir.For) and stmt.reverse:
            popped = {t for t, (_, back, _) in tapes.items() if back is stmt}
            if popped:
                stmt = _indexed(stmt, popped, primitives.pop, namer)
        stmts.append(stmt)
    return fn.replace(body=ir.Block(tuple(stmts), fn.body.yields))


def _array_tapes(fn, kinds):
    """{tape name: (forward loop, reversed loop, kind of its items)} of the tapes
    that can be arrays."""
    made = {s.target for s in fn.body.stmts
            if isinstance(s, ir.Let) and s.fn.value is primitives.new_tape}
    uses = {}  # tape -> number of statements that read it
    for stmt in ir.walk(fn.body):
        for atom in ir.stmt_uses(stmt):
            if isinstance(atom, ir.Var) and atom.name in made:
                uses[atom.name] = uses.get(atom.name, 0) + 1
    pushed, popped = {}, {}  # tape -> (loop, kind of the item) / loop
    loops = [s for s in fn.body.stmts if isinstance(s, ir.For)]
    order = {id(loop): k for k, loop in enumerate(loops)}
    for loop in loops:
        for stmt in loop.body.stmts:
            if not isinstance(stmt, ir.Let) or not stmt.args or \
                    not isinstance(stmt.args[0], ir.Var) or stmt.args[0].name not in made:
                continue
            tape = stmt.args[0].name
            if stmt.fn.value is primitives.push and not loop.reverse:
                pushed[tape] = (loop, atom_kind(stmt.args[1], kinds))
            elif stmt.fn.value is primitives.pop and loop.reverse:
                popped[tape] = loop
    tapes = {}
    for tape, (loop, kind) in pushed.items():
        back = popped.get(tape)
        if kind in _HELPERS and back is not None and uses.get(tape) == 2 and \
                (back.start, back.stop, back.step) == (loop.start, loop.stop, loop.step) and \
                order[id(back)] > order[id(loop)]:
            tapes[tape] = (loop, back, kind)
    return tapes


def _counts_from_zero(loop):
    return loop.start == ir.Const(0) and loop.step == ir.Const(1)


def _trip_count(loop, namer, out):
    """The atom of the number of iterations of `loop`, its statements appended to
    `out`: a constant for a range of constants, `max(n, 0)` for `range(n)`, else
    `len(range(start, stop, step))`."""
    bounds = (loop.start, loop.stop, loop.step)
    if all(isinstance(a, ir.Const) and type(a.value) is int for a in bounds):
        return ir.Const(len(range(*(a.value for a in bounds))))
    count = namer.fresh('steps')
    if _counts_from_zero(loop):
        out.append(ir.Let(count, ir.Global('max', builtins.max), (loop.stop, ir.Const(0)),
                          line=loop.line, adjoint=loop.adjoint))
        return ir.Var(count)
    steps = namer.temp()
    out.append(ir.Let(steps, ir.Global('range', builtins.range),
                      (loop.start, loop.stop, loop.step), line=loop.line, adjoint=loop.adjoint))
    out.append(ir.Let(count, ir.Global('len', builtins.len), (ir.Var(steps),),
                      line=loop.line, adjoint=loop.adjoint))
    return ir.Var(count)


def _indexed(loop, tapes, op, namer):
    """`loop` with its pushes (or pops) of `tapes` as writes (reads) of the
    iteration's item of the array."""
    body = []
    if _counts_from_zero(loop):
        position = ir.Var(loop.index)
    else:
        offset, position = namer.temp(), ir.Var(namer.fresh('position'))
        body.append(ir.Let(offset, prim(operator.sub), (ir.Var(loop.index), loop.start),
                           line=loop.line, adjoint=loop.adjoint))
        body.append(ir.Let(position.name, prim(operator.floordiv), (ir.Var(offset), loop.step),
                           line=loop.line, adjoint=loop.adjoint))
    for stmt in loop.body.stmts:
        if isinstance(stmt, ir.Let) and stmt.fn.value is op and \
                isinstance(stmt.args[0], ir.Var) and stmt.args[0].name in tapes:
            if op is primitives.push:
                stmt = ir.replace(stmt, fn=prim(primitives.index_set),
                                  args=(stmt.args[0], position, stmt.args[1]))
            else:
                stmt = ir.replace(stmt, fn=prim(operator.getitem),
                                  args=(stmt.args[0], position))
        body.append(stmt)
    return ir.replace(loop, body=ir.Block(tuple(body), loop.body.yields))
