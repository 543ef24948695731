"""verify: check the IR's invariants, naming the culprit when one fails.

Requires: an `ir.Function`.
Ensures: returns the function unchanged, or raises `InternalError` when
  - a value is defined twice;
  - a value is read before any definition of it in program order;
  - a region yields a different number of values than its statement defines.

Program order, not dominance: the adjoint's backward branches read values the
matching forward branch defined, which Python scoping allows (DESIGN.md).
"""

from transforms import ir
from transforms.errors import InternalError


def verify(fn):
    """Raise `InternalError` if `fn` breaks an IR invariant; else return `fn`."""
    defined = set()

    def define(name, where):
        if name in defined:
            raise InternalError(f'{fn.name}: `{name}` is defined twice ({where})')
        defined.add(name)

    def read(atoms, where):
        for a in atoms:
            if isinstance(a, ir.Var) and a.name not in defined:
                raise InternalError(f'{fn.name}: `{a.name}` is read before it is '
                                    f'defined ({where})')

    def arity(stmt, block, what):
        if len(block.yields) != len(stmt.results):
            raise InternalError(f'{fn.name}: {what} on line {stmt.line} yields '
                                f'{len(block.yields)} values for {len(stmt.results)} results')

    def block(b):
        for stmt in b.stmts:
            where = f'line {stmt.line}: {type(stmt).__name__}'
            read(ir.stmt_uses(stmt), where)
            for name in ir.region_params(stmt):
                define(name, where)
            if isinstance(stmt, ir.If):
                for region in (stmt.then, stmt.orelse):
                    block(region)
                    read(region.yields, where)
                    arity(stmt, region, 'a branch')
            elif isinstance(stmt, ir.Hook):
                block(stmt.body)
                read(stmt.body.yields, where)
            elif isinstance(stmt, (ir.For, ir.While)):
                if len(stmt.carried) != len(stmt.inits):
                    raise InternalError(f'{fn.name}: loop on line {stmt.line} has '
                                        f'{len(stmt.inits)} inits for {len(stmt.carried)} '
                                        f'carried values')
                if isinstance(stmt, ir.While):
                    block(stmt.test)
                    read(stmt.test.yields, where)
                block(stmt.body)
                read(stmt.body.yields, where)
                arity(stmt, stmt.body, 'a loop body')
            for name in ir.stmt_defs(stmt):
                define(name, where)

    for p in fn.params:
        define(p.name, 'parameter')
    block(fn.body)
    read(fn.body.yields, 'return')
    return fn
