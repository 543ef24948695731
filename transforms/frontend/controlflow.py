"""Lower `break`, `continue` and early `return` to structured control flow.

Requires: a list of gast statements (a function body) after desugaring: every
`for` loops over `range(...)` or `reversed(range(...))`.
Ensures: a new list of statements with no `break` or `continue`, whose only
`return` is the last statement. Statements this adds carry the line number of the
statement they stand for (`gast.copy_location`), so comments in generated code
cite the user's line. The input is not modified.

The scheme. Each function body and each loop body is a *region*; a jump leaves
the region it is in (`break`, `continue`: the loop body; `return`: every region).
- Else-ification: the statements after an `if` that may jump move into the
  branches that fall through; a branch that jumps drops what follows the jump.
  Values computed on one path are then never read on another, which is what the
  SSA construction needs (it tracks bindings per path, not per flag value). An
  `if` whose two branches both fall through gets its own copy of the rest in
  each: the price is code size, paid only by an `if` that jumps on some paths of
  *both* of its branches.
- A loop with a `break` gets a flag `broke = False` set before it; `break`
  becomes `broke = True`. A `return` inside a loop becomes `result = value;
  returned = True` (both bound before the outermost such loop, `result` to None),
  and the code after the loop runs under `if not returned:`.
- A loop that can stop early tests its flags in its condition, so it stops at
  once, and reverse mode never tapes a flag: `while not broke and cond:` (the
  flag first: once broken, `cond` may fail, e.g. index past the end); a `for`
  over a range with a constant step becomes a counting `while`:

      broke = False
      i = 0
      while i < n and not broke:
          if s > limit:
              broke = True
          else:
              s = s + x
          i = i + 1

  A range with a step unknown at compile time keeps its `for` and guards the body
  with `if not broke:`.
- At the function level, each path ends in `result = value`, followed by one
  `return result`. A function that falls off its end returns None.
"""

import copy
from dataclasses import dataclass, replace
from typing import Optional

import gast

from transforms.frontend.parse import copy_tree

_LOOPS = (gast.For, gast.While)
_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)
_JUMPS = (gast.Break, gast.Continue, gast.Return)


def lower(body, namer, error):
    """The function body with a single final `return` and no `break`/`continue`.

    Args:
        body: the function's statements.
        namer: hands out fresh names for flags (`broke`, `returned`, `result`).
        error: `error(node, message)` builds the exception to raise.

    Returns:
        A new list of statements.
    """
    body = list(body)
    if not body or not isinstance(body[-1], gast.Return):
        end = gast.Return(value=_const(None))
        body.append(gast.copy_location(end, body[-1]) if body else end)
    if not any(_find(body[:-1], _JUMPS, into_loops=True)):
        return body
    lowering = _Lowering(namer, error, copy_tree(body))
    return lowering.function()


@dataclass(frozen=True)
class _Region:
    """Where a jump goes: what `break` sets, and whether the return flags are bound.

    Attributes:
        in_loop: False in the function body, True in a loop body.
        broke: the flag `break` sets (the innermost loop's), or None.
        flags_bound: `returned` and `result` are bound here (a loop before set them).
    """

    in_loop: bool = False
    broke: Optional[str] = None
    flags_bound: bool = False


class _Lowering:
    """Working state for one function: its fresh flag names and its name uses."""

    def __init__(self, namer, error, body):
        self.namer = namer
        self.error = error
        self.body = body
        self.loads = _count_loads(body)
        self._returned = self._result = None

    @property
    def returned(self):
        if self._returned is None:
            self._returned = self.namer.fresh('returned')
        return self._returned

    @property
    def result(self):
        if self._result is None:
            self._result = self.namer.fresh('result')
        return self._result

    def function(self):
        """Lower the whole body; join its returns into one."""
        out = self.region(self.body, _Region())
        returns = list(_find(out, gast.Return, into_loops=True))
        if len(returns) == 1 and out[-1] is returns[0]:
            return out
        last = self.body[-1]
        out = [_ReturnToResult(self.result).visit(stmt) for stmt in out]
        return out + [gast.copy_location(gast.Return(value=_name(self.result)), last)]

    # ------------------------------------------------------------ regions

    def region(self, stmts, where):
        """Lower statements after which control reaches the end of the region."""
        out = []
        for k, stmt in enumerate(stmts):
            if isinstance(stmt, _JUMPS):
                return out + self.jump(stmt, where)
            if not _may_jump(stmt):
                out.extend(self.nested(stmt, where))
                continue
            rest = stmts[k + 1:]
            if isinstance(stmt, gast.If):
                return out + self.elsify(stmt, rest, where)
            if not isinstance(stmt, _LOOPS):
                name = type(stmt).__name__.lower()
                fix = 'write it as `if`/`elif`' if name == 'match' else \
                    'move it out, behind a flag'
                raise self.error(stmt, f'`break`, `continue` or `return` inside `{name}` '
                                       f'is not supported: {fix}')
            if not where.flags_bound:
                out += self.return_flags(stmt)
                where = replace(where, flags_bound=True)
            out += self.loop(stmt, where)
            return out + self.after_return(stmt, rest, where)
        return out

    def jump(self, stmt, where):
        """The assignments a jump becomes (the rest of its region is dropped)."""
        if isinstance(stmt, gast.Continue):
            return []
        if isinstance(stmt, gast.Break):
            if where.broke is None:
                raise self.error(stmt, '`break` outside a loop')
            return [_assign(where.broke, _const(True), stmt)]
        if not where.in_loop:
            return [stmt]  # joined into the final `return` by `function()`
        value = stmt.value if stmt.value is not None else _const(None)
        return [_assign(self.result, value, stmt),
                _assign(self.returned, _const(True), stmt)]

    def nested(self, stmt, where):
        """A statement that does not jump out of the region, with its loops lowered."""
        if isinstance(stmt, gast.If):
            then = self.region(stmt.body, where)
            orelse = self.region(stmt.orelse, where)
            return _if(stmt.test, then, orelse, stmt)
        if isinstance(stmt, _LOOPS):
            return self.loop(stmt, where)
        return [stmt]

    def elsify(self, stmt, rest, where):
        """`if c: A` + rest -> `if c: A; rest else: rest`, each lowered."""
        then = self.region(stmt.body + rest, where)
        orelse = self.region(stmt.orelse + copy_tree(rest), where)
        return _if(stmt.test, then, orelse, stmt)

    def return_flags(self, loop):
        """`returned = False; result = None`, bound before a loop that may return."""
        return [_assign(self.returned, _const(False), loop),
                _assign(self.result, _const(None), loop)]

    def after_return(self, loop, rest, where):
        """The rest of a region after a loop that may return: `if not returned:`."""
        body = self.region(rest, where)
        if not where.in_loop and len(body) == 1 and _returns_none(body[0]):
            return []  # `result` is still None whenever `returned` is False
        if not body:
            return []
        guard = gast.If(test=_not(self.returned, loop), body=body, orelse=[])
        return [gast.copy_location(guard, loop)]

    # ------------------------------------------------------------ loops

    def loop(self, loop, where):
        """A loop whose jumps are lowered; it stops as soon as a flag is set."""
        broke = self.namer.fresh('broke') if any(_find(loop.body, gast.Break)) else None
        inner = replace(where, in_loop=True, broke=broke)
        body = self.region(loop.body, inner)
        flags = [broke] if broke else []
        if any(_find(loop.body, gast.Return, into_loops=True)):
            flags.append(self.returned)
        pre = [_assign(broke, _const(False), loop)] if broke else []
        if not flags:
            new = gast.copy_location(copy.copy(loop), loop)
            new.body = body
            return [new]
        if isinstance(loop, gast.While):
            forever = isinstance(loop.test, gast.Constant) and loop.test.value is True
            test = _and([_not(f, loop) for f in flags] + ([] if forever else [loop.test]), loop)
            return pre + [gast.copy_location(gast.While(test=test, body=body, orelse=[]),
                                             loop)]
        counting = self.counting_loop(loop, body, flags)
        if counting is not None:
            return pre + counting
        guarded = _if(_and([_not(f, loop) for f in flags], loop), body, [], loop)
        new = gast.copy_location(copy.copy(loop), loop)
        new.body = guarded
        return pre + [new]

    def counting_loop(self, loop, body, flags):
        """`for i in range(a, b, step)` -> `i = a; while i < b and not flag: ...`,
        or None when the step is not a constant."""
        bounds = _range_bounds(loop.iter)
        if bounds is None or not isinstance(loop.target, gast.Name):
            return None
        start, comparison, stop, step = bounds
        index = loop.target.id
        counter = index if self.may_count_with(loop) else self.namer.fresh('count')
        pre = [_assign(counter, start, loop)]
        if not _invariant(stop, loop, (counter, index)):
            hoisted = self.namer.fresh('stop')
            pre.append(_assign(hoisted, stop, loop))
            stop = _name(hoisted)
        compare = gast.Compare(left=_name(counter), ops=[comparison], comparators=[stop])
        test = _and([gast.copy_location(compare, loop)] + [_not(f, loop) for f in flags], loop)
        op = gast.Add() if step > 0 else gast.Sub()
        increment = gast.BinOp(left=_name(counter), op=op, right=_const(abs(step)))
        head = [] if counter == index else [_assign(index, _name(counter), loop)]
        body = head + body + [_assign(counter, increment, loop)]
        return pre + [gast.copy_location(gast.While(test=test, body=body, orelse=[]), loop)]

    def may_count_with(self, loop):
        """Whether the user's loop variable can itself be the counter: only when
        nothing reads it outside the loop (after a `for`, Python leaves it at the
        last item, the counter one step beyond) and the body does not assign it."""
        index = loop.target.id
        inside = _count_loads(loop.body).get(index, 0)
        return self.loads.get(index, 0) == inside and index not in _stored(loop.body)


# ---------------------------------------------------------------- analyses


def _find(stmts, types, into_loops=False):
    """The nodes of `types` in `stmts`; nested loops are searched if `into_loops`."""
    stack = list(stmts)
    while stack:
        node = stack.pop()
        if isinstance(node, types):
            yield node
        if isinstance(node, _SCOPES) or (isinstance(node, _LOOPS) and not into_loops):
            continue
        stack.extend(gast.iter_child_nodes(node))


def _may_jump(stmt):
    """Whether control can leave `stmt` other than by falling through it."""
    if isinstance(stmt, _LOOPS):
        return any(_find(stmt.body, gast.Return, into_loops=True))
    return any(_find([stmt], (gast.Break, gast.Continue))) or \
        any(_find([stmt], gast.Return, into_loops=True))


def _count_loads(stmts):
    counts = {}
    for node in _find(stmts, gast.Name, into_loops=True):
        if isinstance(node.ctx, gast.Load):
            counts[node.id] = counts.get(node.id, 0) + 1
    return counts


def _stored(stmts):
    return {n.id for n in _find(stmts, gast.Name, into_loops=True)
            if isinstance(n.ctx, gast.Store)}


def _range_bounds(call):
    """(start, comparison, stop, step) of the range a loop counts through, the
    step an int; None if the step is not a constant or the call not a plain range."""
    descending = _is_call(call, 'reversed') and len(call.args) == 1
    if descending:
        call = call.args[0]
    if not _is_call(call, 'range') or call.keywords or not 1 <= len(call.args) <= 3:
        return None
    args = list(call.args)
    if len(args) == 3:
        step = _int_literal(args[2])
        if step is None or step == 0 or descending:
            return None
        return args[0], gast.Lt() if step > 0 else gast.Gt(), args[1], step
    start, stop = (args if len(args) == 2 else [_const(0), args[0]])
    if not descending:
        return start, gast.Lt(), stop, 1
    last = gast.BinOp(left=stop, op=gast.Sub(), right=_const(1))
    return last, gast.GtE(), start, -1


def _invariant(expr, loop, counters):
    """Whether `expr` has the same value on every trip (so the test may reread it)."""
    if isinstance(expr, gast.Constant):
        return True
    if isinstance(expr, gast.UnaryOp) and isinstance(expr.operand, gast.Constant):
        return True
    return isinstance(expr, gast.Name) and expr.id not in counters and \
        expr.id not in _stored(loop.body)


def _int_literal(node):
    if isinstance(node, gast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        value = _int_literal(node.operand)
        return None if value is None else -value
    return None


def _is_call(node, name):
    return isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and \
        node.func.id == name


def _returns_none(stmt):
    return isinstance(stmt, gast.Return) and (
        stmt.value is None or (isinstance(stmt.value, gast.Constant)
                               and stmt.value.value is None))


# ---------------------------------------------------------------- building nodes


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _const(value):
    return gast.Constant(value=value, kind=None)


def _assign(target, value, origin):
    node = gast.Assign(targets=[_name(target, gast.Store())], value=value, type_comment=None)
    return gast.copy_location(node, origin)


def _not(flag, origin):
    return gast.copy_location(gast.UnaryOp(op=gast.Not(), operand=_name(flag)), origin)


def _and(values, origin):
    if len(values) == 1:
        return values[0]
    return gast.copy_location(gast.BoolOp(op=gast.And(), values=values), origin)


_INVERSE = {gast.Eq: gast.NotEq, gast.NotEq: gast.Eq, gast.Is: gast.IsNot,
            gast.IsNot: gast.Is, gast.In: gast.NotIn, gast.NotIn: gast.In}


def _negate(test):
    """`not test`, written simply where that is exact (not for `<`: NaN)."""
    if isinstance(test, gast.UnaryOp) and isinstance(test.op, gast.Not):
        return test.operand
    if isinstance(test, gast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _INVERSE:
        flipped = gast.Compare(left=test.left, ops=[_INVERSE[type(test.ops[0])]()],
                               comparators=test.comparators)
        return gast.copy_location(flipped, test)
    return gast.copy_location(gast.UnaryOp(op=gast.Not(), operand=test), test)


def _if(test, then, orelse, origin):
    """`if test: then else: orelse` with no empty `then`; if both are empty, the
    test alone (`if h(x) > 1.0: continue` still calls `h`, which may raise or
    write into `x`)."""
    if not then and not orelse:
        return [gast.copy_location(gast.Expr(value=test), origin)]
    if not then:
        test, then, orelse = _negate(test), orelse, []
    return [gast.copy_location(gast.If(test=test, body=then, orelse=orelse), origin)]


class _ReturnToResult(gast.NodeTransformer):
    """`return value` -> `result = value` (at the end of a function-level path)."""

    def __init__(self, result):
        self.result = result

    def visit_Return(self, node):
        value = node.value if node.value is not None else _const(None)
        return _assign(self.result, value, node)

    def visit_FunctionDef(self, node):
        return node
