"""loop_reads: which variables a normalized function may read after each loop starts.

Requires: a FunctionDef from `normalize` (its only `return` last, no jumps).
Provides: `names_read_later(node) -> {id(loop): LoopReads}` for every `for` and
`while` in it, nested functions' loops included.

Python leaves a variable that a loop assigns bound after the loop, to its last
value, and unbound when the loop ran no iteration. `ssa` carries such a
variable round the loop only where something may read it before assigning it
again: after the loop, or in the loop itself on the next iteration. That is
liveness, computed backwards over the structured statements (a loop to its
fixed point: the sets only grow). Names that a nested `def` or `lambda` reads
are read whenever it is called, so they count as read everywhere.
"""

from dataclasses import dataclass

import gast

from transforms.frontend import parse


@dataclass(frozen=True)
class LoopReads:
    """What may be read once a loop starts.

    Attributes:
        at_head: names read before being assigned again, from the top of an
            iteration on: in the body (the previous iteration's value) or after
            the loop.
        after: names read before being assigned again after the loop ends.
    """

    at_head: frozenset
    after: frozenset


def names_read_later(node):
    """{id(loop): LoopReads} of every loop in FunctionDef `node`."""
    nodes = parse.nodes(node)
    if not any(isinstance(n, (gast.For, gast.While)) for n in nodes):
        return {}  # no loop, nothing to find (the liveness walk was for nothing)
    closures = frozenset().union(*(_free_names(scope) for scope in nodes
                                   if scope is not node and
                                   isinstance(scope, (gast.FunctionDef, gast.Lambda))))
    analysis = _Liveness(closures)
    for scope in nodes:
        if isinstance(scope, gast.FunctionDef):
            analysis.block(scope.body, frozenset())
    return analysis.loops


def _loads(node):
    """Names `node` reads, nested functions left out (see `closures`)."""
    out, stack = set(), [node]
    while stack:
        n = stack.pop()
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Load, gast.Del)):
            out.add(n.id)  # `del x` reads x: it fails if x is unbound
        if not isinstance(n, (gast.FunctionDef, gast.Lambda)):
            stack.extend(gast.iter_child_nodes(n))
    return out


def _bound(targets):
    """Names assigning to `targets` binds (`x`, `a, b`; not `x[i]`, which reads x)."""
    return {n.id for t in targets for n in gast.walk(t)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def _free_names(scope):
    """Names a nested function reads from the enclosing one (roughly: those it
    reads but neither takes as a parameter nor assigns)."""
    names = [n for n in gast.walk(scope) if isinstance(n, gast.Name)]
    local = {n.id for n in names if isinstance(n.ctx, (gast.Store, gast.Param))}
    return {n.id for n in names if isinstance(n.ctx, gast.Load)} - local


class _Liveness:
    """Backward liveness of names over structured statements; `loops` collects
    each loop's `LoopReads`."""

    def __init__(self, closures):
        self.closures = closures
        self.loops = {}

    def block(self, stmts, live):
        """The names live before `stmts`, given those live after them."""
        for stmt in reversed(stmts):
            live = self.stmt(stmt, live) | self.closures
        return live

    def stmt(self, stmt, live):
        if isinstance(stmt, gast.If):
            return _loads(stmt.test) | self.block(stmt.body, live) | \
                self.block(stmt.orelse, live)
        if isinstance(stmt, gast.For):
            return _loads(stmt.iter) | self.loop(stmt, live, _bound([stmt.target]))
        if isinstance(stmt, gast.While):
            return self.loop(stmt, live)
        if isinstance(stmt, gast.With):
            bound = _bound([item.optional_vars for item in stmt.items
                            if item.optional_vars is not None])
            return set().union(*(_loads(item.context_expr) for item in stmt.items)) | \
                (self.block(stmt.body, live) - bound)
        if isinstance(stmt, gast.FunctionDef):
            return live - {stmt.name}
        if isinstance(stmt, gast.Return):
            return _loads(stmt)
        targets = stmt.targets if isinstance(stmt, gast.Assign) else []
        return (live - _bound(targets)) | _loads(stmt)

    def loop(self, loop, after, target=frozenset()):
        """Live names before `loop` starts; records its `LoopReads`."""
        test = _loads(loop.test) if isinstance(loop, gast.While) else set()
        head = frozenset(after | test)
        while True:
            new = head | ((self.block(loop.body, head) - target) | test)
            if new == head:
                break
            head = frozenset(new)
        self.loops[id(loop)] = LoopReads(head, frozenset(after))
        return head
