"""Renaming in IR: replace uses of values by atoms, and rename definitions."""

import operator

from transforms.core import ir


def atom(a, uses):
    if isinstance(a, ir.Var) and a.name in uses:
        return uses[a.name]
    return a


def _renames(atoms, uses):
    """Whether `uses` replaces any of `atoms`."""
    for a in atoms:
        if isinstance(a, ir.Var) and a.name in uses:
            return True
    return False


def _same(new, old):
    """Whether the tuple `new` holds the very items of the tuple `old`."""
    return new is old or (type(new) is tuple and type(old) is tuple and
                          len(new) == len(old) and all(map(operator.is_, new, old)))


def _kept(s, **fields):
    """`s` itself if every field in `fields` is what `s` holds (tuples item by
    item), else a copy with them."""
    for name, value in fields.items():
        if not _same(value, getattr(s, name)):
            return ir.replace(s, **fields)
    return s


def block(b, uses, defs=None):
    """A copy of block `b` with uses replaced (`uses`: name -> Atom) and defined
    names renamed (`defs`: name -> new name); `b` itself if nothing changes."""
    return _kept(b, stmts=stmts(b.stmts, uses, defs),
                 yields=tuple(atom(a, uses) for a in b.yields))


def stmts(statements, uses, defs=None):
    defs = defs or {}
    return tuple(statement(s, uses, defs) for s in statements)


def _names(names, defs):
    return tuple(defs.get(n, n) for n in names)


def statement(s, uses, defs=None):
    """A copy of one statement with uses and definitions renamed."""
    defs = defs or {}
    if isinstance(s, ir.Let):
        # `s` itself where nothing changes: most statements a pass renames in
        # are untouched, and the optimizer's fixed-point test (`new == fn`)
        # then compares them by identity.
        target = s.target
        if defs and target is not None:
            target = defs.get(target, target)
        args = s.args
        if type(args) is not tuple or (uses and _renames(args, uses)):
            args = tuple(atom(a, uses) for a in args)
        kwargs = s.kwargs
        if type(kwargs) is not tuple or (kwargs and uses and
                                         _renames((a for _, a in kwargs), uses)):
            kwargs = tuple((k, atom(a, uses)) for k, a in kwargs)
        if target is s.target and args is s.args and kwargs is s.kwargs:
            return s
        return ir.replace(s, target=target, args=args, kwargs=kwargs)
    if isinstance(s, ir.Hook):
        return _kept(s, value=atom(s.value, uses), grad=defs.get(s.grad, s.grad),
                     body=block(s.body, uses, defs))
    results = _names(s.results, defs)
    if isinstance(s, ir.If):
        return _kept(s, cond=atom(s.cond, uses), then=block(s.then, uses, defs),
                     orelse=block(s.orelse, uses, defs), results=results)
    inits = tuple(atom(a, uses) for a in s.inits)
    if isinstance(s, ir.For):
        return _kept(s, index=defs.get(s.index, s.index), start=atom(s.start, uses),
                     stop=atom(s.stop, uses), step=atom(s.step, uses),
                     carried=_names(s.carried, defs), inits=inits,
                     body=block(s.body, uses, defs), results=results)
    return _kept(s, carried=_names(s.carried, defs), inits=inits,
                 test=block(s.test, uses, defs), body=block(s.body, uses, defs),
                 results=results)


def operands(s, uses):
    """`s` with uses replaced in its own operands only (an `if`'s condition, a
    loop's bounds and inits, a hook's value), not in its regions: for a pass
    that goes on to walk those regions renaming with the same `uses`, where
    renaming them here too was the same work twice. The same as `statement`
    when no value of `uses` is one of its keys (what the optimizer's passes
    keep: a name is renamed to a value defined before it, never renamed)."""
    if isinstance(s, ir.Let):
        return statement(s, uses)
    if isinstance(s, ir.If):
        return _kept(s, cond=atom(s.cond, uses))
    if isinstance(s, ir.For):
        return _kept(s, start=atom(s.start, uses), stop=atom(s.stop, uses),
                     step=atom(s.step, uses), inits=tuple(atom(a, uses) for a in s.inits))
    if isinstance(s, ir.While):
        return _kept(s, inits=tuple(atom(a, uses) for a in s.inits))
    return _kept(s, value=atom(s.value, uses))


def uses_of(statements, yields=()):
    """How many times each name is read in these statements (regions included)."""
    counts = {}

    def count(atoms):
        for a in atoms:
            if isinstance(a, ir.Var):
                counts[a.name] = counts.get(a.name, 0) + 1

    def visit(b_stmts, b_yields):
        for s in b_stmts:
            count(ir.stmt_uses(s))
            for region in ir.regions(s):
                visit(region.stmts, region.yields)
        count(b_yields)

    visit(statements, yields)
    return counts
