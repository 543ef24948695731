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

from transforms.core import ir, substitute
from transforms.core.verify import checked


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
    read_later = _read_later(block)
    for k, stmt in enumerate(stmts):
        stmt = substitute.statement(stmt, renames)
        if isinstance(stmt, ir.If):
            later = read_later[k] | after
            stmt, exported = _export(stmt, later, namer)
            renames.update(exported)
        else:
            stmt = ir.map_regions(stmt, lambda region: _block(region, frozenset(), namer)[0])
        out.append(stmt)
    yields = tuple(substitute.atom(a, renames) for a in block.yields)
    return ir.Block(tuple(out), yields), renames


def _read_later(block):
    """{k: the names `ir.free_vars` finds in the statements after the `if` at
    index k and the block's yields}, for every `if` of the block.

    Walked once from the end, not once per `if` (which made SSA construction
    quadratic in the number of branches): the names read in a suffix but not
    defined in it, each name being defined once."""
    free = {a.name for a in block.yields if isinstance(a, ir.Var)}
    defined = set()
    out = {}
    for k in range(len(block.stmts) - 1, -1, -1):
        stmt = block.stmts[k]
        if isinstance(stmt, ir.If):
            out[k] = set(free)
        uses, defs = set(), set()
        _names_in(stmt, uses, defs)
        free.difference_update(defs)
        free.update(n for n in uses if n not in defs and n not in defined)
        defined.update(defs)
    return out


def _names_in(stmt, uses, defs):
    """Add the names `stmt` reads and defines, its regions' included, to `uses`
    and `defs` (what `ir.free_vars` counts of it)."""
    uses.update(a.name for a in ir.stmt_uses(stmt) if isinstance(a, ir.Var))
    defs.update(ir.region_params(stmt))
    for region in ir.regions(stmt):
        for inner in region.stmts:
            _names_in(inner, uses, defs)
        uses.update(a.name for a in region.yields if isinstance(a, ir.Var))
    defs.update(ir.stmt_defs(stmt))


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
