"""dict_methods: `d.get(key, default)` of a dict, as the read it is; `d.keys()`,
`sorted(d)`, `list(d)` and `tuple(d)` of a dict, as its keys.

Requires: an `ir.Function` from `ssa` and the kinds of its values (`kinds.py`).
Ensures: each `d.get(key)` or `d.get(key, default)` where `d` is known to be a
dict reads `d[key]` if the dict has the key and is `default` (None) if it has not:
told when compiling where the kind of `d` knows its keys (a dict of parameters,
a `**kwargs` parameter), else by an `if key in d` that the derivative follows
like any branch. A read of an item is differentiated (`params['W']`); a method
call would not be. The keys of a dict are no differentiated value: `for k in
sorted(params): params[k]` reads each item by a constant of the loop, as `for k
in params` does (`keys_of`).
"""

import builtins
import operator

from transforms.analysis.kinds import keyed_kinds
from transforms.core import ir, primitives, substitute
from transforms.core.names import Namer
from transforms.core.verify import checked
from transforms.frontend.ssa import prim


@checked
def resolve_dict_methods(fn, kinds):
    """`fn` with each `get` of a dict as its read (see the module docstring)."""
    names = ir.all_names(fn)
    namer = Namer(names)
    namer.taken |= names
    renames = {}  # the result of a `get` of a key the dict has not -> its default

    def is_get(stmt):
        if stmt.fn.value is not primitives.call_method or stmt.args[1].value != 'get' or \
                stmt.kwargs or len(stmt.args) not in (3, 4):
            return False
        kind = kinds.get(stmt.args[0].name) if isinstance(stmt.args[0], ir.Var) else None
        return isinstance(kind, tuple) and kind[0] == 'dict'

    def read(stmt):
        mapping, key = stmt.args[0], stmt.args[2]
        default = stmt.args[3] if len(stmt.args) == 4 else ir.Const(None)
        item = ir.Let(stmt.target, prim(operator.getitem), (mapping, key), line=stmt.line)
        keyed = keyed_kinds(kinds.get(mapping.name))
        if keyed is not None and isinstance(key, ir.Const):
            if key.value in dict(keyed):
                return [item]
            renames[stmt.target] = default
            return []
        has = namer.fresh('has_key')
        found = namer.fresh(stmt.target)
        test = ir.Let(has, prim(operator.contains), (mapping, key), line=stmt.line)
        then = ir.Block((ir.replace(item, target=found),), (ir.Var(found),))
        return [test, ir.If(ir.Var(has), then, ir.Block((), (default,)), (stmt.target,),
                            stmt.line)]

    def is_dict(atom):
        kind = kinds.get(atom.name) if isinstance(atom, ir.Var) else None
        return isinstance(kind, tuple) and kind[0] == 'dict'

    def keys(stmt):
        """`d.keys()` as `keys_of(d)`; `sorted(d)`, `list(d)`, `tuple(d)` of its keys."""
        if stmt.fn.value is primitives.call_method and len(stmt.args) == 2 and \
                stmt.args[1].value == 'keys' and not stmt.kwargs and is_dict(stmt.args[0]):
            return [ir.replace(stmt, fn=ir.Global('keys_of', primitives.keys_of),
                               args=stmt.args[:1])]
        if stmt.fn.value in (builtins.sorted, builtins.list, builtins.tuple) and \
                len(stmt.args) == 1 and is_dict(stmt.args[0]):
            names = namer.fresh('keys')
            listed = ir.Let(names, ir.Global('keys_of', primitives.keys_of), stmt.args[:1],
                            line=stmt.line)
            return [listed, ir.replace(stmt, args=(ir.Var(names),))]
        return None

    def block(b):
        stmts = []
        for stmt in b.stmts:
            if isinstance(stmt, ir.Let) and is_get(stmt):
                stmts.extend(read(stmt))
            elif isinstance(stmt, ir.Let) and keys(stmt) is not None:
                stmts.extend(keys(stmt))
            else:
                stmts.append(ir.map_regions(stmt, block))
        return ir.Block(tuple(stmts), b.yields)

    body = block(fn.body)
    return fn.replace(body=substitute.block(body, renames) if renames else body)
