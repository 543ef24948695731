"""branch_values: values read after the `if` that defines them in one branch.

Requires: an `ir.Function` in program order: a branch of an `if` may read a
value that the same branch of an earlier `if` on the same condition defined
(`ssa.py` accepts this, and the adjoint's backward branches read their forward
branch's values so — generated code that higher-order derivatives read back).
Ensures: the same function in dominance order: each `if` also yields the values
that statements after it read (None from the branch that does not define
them), and those statements read the `if`'s result. Every pass after `ssa`
then sees a value only where its definition dominates the read, so a
cotangent or tangent flows through the `if`'s yields like any other.
"""

from transforms import ir, substitute
from transforms.verify import checked


@checked
def export_branch_values(fn, namer):
    """`fn` with every value read outside the branch that defines it yielded by
    that branch's `if`; `namer` hands out the results' names."""
    body, _ = _block(fn.body, frozenset(), namer)
    return fn.replace(body=body)


def _block(block, after, namer):
    """(`block` with its `if`s exporting the values read later, {name defined in
    the block's regions: the Var that holds it at the block's end}).

    Args:
        block: an `ir.Block`.
        after: names read after the block ends, outside it.
        namer: the function's `Namer`.
    """
    renames = {}
    out = []
    stmts = block.stmts
    for k, stmt in enumerate(stmts):
        stmt = substitute.statement(stmt, renames)
        if isinstance(stmt, ir.If):
            later = set(ir.free_vars(ir.Block(stmts[k + 1:], block.yields))) | after
            stmt, exported = _export(stmt, later, namer)
            renames.update(exported)
        else:
            stmt = ir.map_regions(stmt, lambda region: _block(region, frozenset(), namer)[0])
        out.append(stmt)
    yields = tuple(substitute.atom(a, renames) for a in block.yields)
    return ir.Block(tuple(out), yields), renames


def _export(stmt, later, namer):
    """(the `if` yielding each name in `later` its branches define, {name: result})."""
    then, then_renames = _block(stmt.then, frozenset(later), namer)
    orelse, else_renames = _block(stmt.orelse, frozenset(later), namer)
    sides = []
    for region, inner in ((then, then_renames), (orelse, else_renames)):
        defined = {d for s in region.stmts for d in ir.stmt_defs(s)}
        sides.append({n: ir.Var(n) for n in defined} | inner)
    exported = {}
    yields = [list(then.yields), list(orelse.yields)]
    results = list(stmt.results)
    for name in sorted(later):
        if name not in sides[0] and name not in sides[1]:
            continue
        for side, local in zip(yields, sides):
            side.append(local.get(name, ir.Const(None)))
        results.append(namer.fresh(name))
        exported[name] = ir.Var(results[-1])
    stmt = ir.replace(stmt, then=ir.Block(then.stmts, tuple(yields[0])),
                      orelse=ir.Block(orelse.stmts, tuple(yields[1])), results=tuple(results))
    return stmt, exported
