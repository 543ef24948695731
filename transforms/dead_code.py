"""dead code: drop what nothing needed reads, tapes included.

Requires: an `ir.Function`.
Ensures: the same function without statements whose results are not read (calls
kept for their effect and updates of adjoint buffers stay), without region results
nothing reads, and without tapes whose values are never popped into a needed
value — the fixed point of marking what the return value needs.
"""

from transforms import ir, primitives


def _tape_of(stmt):
    if isinstance(stmt, ir.Let) and stmt.fn.value in (primitives.push, primitives.pop):
        return stmt.args[0].name
    return None


def eliminate_dead_code(fn):
    """Drop statements, region results and tapes that nothing needed reads."""
    needed = set()
    _need(fn.body.yields, needed)
    live_tapes = set()
    while True:
        before = (len(needed), len(live_tapes))
        _mark(fn.body, needed, live_tapes)
        if (len(needed), len(live_tapes)) == before:
            break
    return fn.replace(body=_sweep(fn.body, needed, live_tapes))


def _need(atoms, needed):
    needed.update(a.name for a in atoms if isinstance(a, ir.Var))


def _kept(stmt, needed, live_tapes):
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
            stmt.fn.value in primitives.EFFECTFUL
    if any(r in needed for r in stmt.results):
        return True
    return any(_kept(s, needed, live_tapes) for r in ir.regions(stmt) for s in r.stmts)


def _mark(block, needed, live_tapes):
    for stmt in reversed(block.stmts):
        if not _kept(stmt, needed, live_tapes):
            continue
        if isinstance(stmt, ir.Let):
            _need(ir.stmt_uses(stmt), needed)
            continue
        if isinstance(stmt, ir.If):
            needed.add(getattr(stmt.cond, 'name', None))
            for b in (stmt.then, stmt.orelse):
                _need([y for r, y in zip(stmt.results, b.yields) if r in needed], needed)
                _mark(b, needed, live_tapes)
            continue
        if isinstance(stmt, ir.For):
            _need((stmt.start, stmt.stop, stmt.step), needed)
        else:
            _need(stmt.test.yields, needed)
            _mark(stmt.test, needed, live_tapes)
        for param, init, nxt, result in zip(stmt.carried, stmt.inits, stmt.body.yields,
                                            stmt.results):
            if param in needed or result in needed:
                _need((init, nxt), needed)
                needed.add(param)
        _mark(stmt.body, needed, live_tapes)
    needed.discard(None)


def _sweep(block, needed, live_tapes):
    out = []
    for stmt in block.stmts:
        if not _kept(stmt, needed, live_tapes):
            continue
        if isinstance(stmt, ir.If):
            keep = [k for k, r in enumerate(stmt.results) if r in needed]
            then = _sweep(stmt.then, needed, live_tapes)
            orelse = _sweep(stmt.orelse, needed, live_tapes)
            stmt = ir.replace(
                stmt, results=tuple(stmt.results[k] for k in keep),
                then=ir.Block(then.stmts, tuple(then.yields[k] for k in keep)),
                orelse=ir.Block(orelse.stmts, tuple(orelse.yields[k] for k in keep)))
        elif isinstance(stmt, (ir.For, ir.While)):
            keep = [k for k, (p, r) in enumerate(zip(stmt.carried, stmt.results))
                    if p in needed or r in needed]
            body = _sweep(stmt.body, needed, live_tapes)
            pick = lambda seq: tuple(seq[k] for k in keep)  # noqa: E731
            changes = dict(carried=pick(stmt.carried), inits=pick(stmt.inits),
                           results=pick(stmt.results),
                           body=ir.Block(body.stmts, pick(body.yields)))
            if isinstance(stmt, ir.While):
                changes['test'] = _sweep(stmt.test, needed, live_tapes)
            stmt = ir.replace(stmt, **changes)
        out.append(stmt)
    return ir.Block(tuple(out), block.yields)
