"""iteration: what a `for x in xs` loop walks, once the kind of `xs` is known.

Requires: an `ir.Function` from `ssa` and the kinds of its values (`kinds.py`).
Ensures: each `seq = sequence_of(xs)` that `normalize` wrote before an index loop
is `xs` itself where `xs` is known to be a list, a tuple or an array (reads of
`seq` read `xs`), `list(xs)` of its keys where `xs` is a dict, and is left to
decide when it runs where the kind is not known.

`for x in xs` becomes `for i in range(len(seq)): x = seq[i]`; `seq` is the object
the loop starts with, as in Python, where a body that rebinds `xs` does not change
what is walked, and for a dict it is the keys, not `xs[0], xs[1], ...`.
"""

from transforms.analysis.kinds import ARRAYS
from transforms.core import ir, primitives, substitute
from transforms.core.verify import checked


@checked
def resolve_sequences(fn, kinds):
    """`fn` with each `sequence_of` resolved where the kind of its argument says."""
    renames = {}

    def resolved(stmt):
        if stmt.fn.value is not primitives.sequence_of:
            return stmt
        xs = stmt.args[0]
        kind = kinds.get(xs.name) if isinstance(xs, ir.Var) else None
        if isinstance(kind, tuple) and kind[0] == 'dict':
            return ir.replace(stmt, fn=ir.Global('keys_of', primitives.keys_of))
        if kind in ARRAYS or (isinstance(kind, tuple) and kind[0] in ('list', 'tuple')):
            renames[stmt.target] = xs
            return None
        return stmt

    def block(b):
        stmts = []
        for stmt in b.stmts:
            stmt = resolved(stmt) if isinstance(stmt, ir.Let) else ir.map_regions(stmt, block)
            if stmt is not None:
                stmts.append(stmt)
        return ir.Block(tuple(stmts), b.yields)

    body = block(fn.body)
    if renames:
        body = substitute.block(body, renames)
    return fn.replace(body=body)
