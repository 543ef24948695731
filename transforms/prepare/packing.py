"""packing: a call of a helper that takes `*args` or `**kwargs`, as a call that
passes the tuple and the dict it packs.

Requires: an `ir.Function` from `ssa` and the rule table (a helper with a rule of
its own is called as it is).
Ensures: each call of a user function whose signature packs arguments,

    h = concat_and_multiply(W, x, h_prev)        # def concat_and_multiply(W, *args)

builds what Python would pack and calls the function's packed form, which takes
the tuple (and the dict) as ordinary parameters:

    args = (x, h_prev)
    h = concat_and_multiply(W, args)

`packed(fn)` is a Python function that runs `fn` so, and that the parser reads
as `fn`'s own source with the signature `(W, args)`; the rest of the compiler
differentiates it as any helper, and the tuple's cotangent reaches `x` and
`h_prev` through the adjoint of building it.
"""

import inspect
import operator
import types

from transforms.analysis.kinds import keyed_kinds
from transforms.core import ir, primitives
from transforms.core.errors import UnsupportedSyntaxError
from transforms.core.names import Namer
from transforms.core.verify import checked
from transforms.frontend.ssa import prim


@checked
def pack_calls(fn, rules, kinds):
    """`fn` with each call of a helper that packs arguments passing them packed, and
    each `**options` passed on spread into keywords (`kinds` say its keys)."""
    names = ir.all_names(fn)
    namer = Namer(names)
    namer.taken |= names

    def packs(stmt):
        callee = stmt.fn.value
        if not isinstance(callee, types.FunctionType) or \
                callee.__module__ == primitives.__name__ or \
                hasattr(callee, '__adjoint_packs__') or rules.lookup(callee) is not None:
            return False
        return any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                   for p in inspect.signature(callee).parameters.values())

    def block(b):
        stmts = []
        for stmt in b.stmts:
            if isinstance(stmt, ir.Let) and stmt.fn.value is primitives.call_with:
                *reads, stmt = _spread_options(stmt, fn, kinds, namer)
                stmts.extend(reads)
            if isinstance(stmt, ir.Let) and packs(stmt):
                stmts.extend(_packed_call(stmt, fn, rules, namer))
            else:
                stmts.append(ir.map_regions(stmt, block))
        return ir.Block(tuple(stmts), b.yields)

    return fn.replace(body=block(fn.body))


def _spread_options(stmt, caller, kinds, namer):
    """`call_with(f, options, *args)` as `f(*args, key=options['key'], ...)`: the
    reads of the items, then the call."""
    callee, options, *args = stmt.args
    keyed = keyed_kinds(kinds.get(options.name)) if isinstance(options, ir.Var) else None
    if keyed is None or not all(isinstance(key, str) for key, _ in keyed):
        raise UnsupportedSyntaxError(
            f'`**{_shown(options)}` passes on a dict whose keys adjoint does not know '
            f'when it compiles: pass the options by name, or spread a dict built in '
            f'this function or a `**kwargs` parameter',
            caller.filename, stmt.line, caller.source_line(stmt.line))
    reads, keywords = [], list(stmt.kwargs)
    for key, _ in keyed:
        item = namer.fresh(key if key.isidentifier() else 'option')
        reads.append(ir.Let(item, prim(operator.getitem), (options, ir.Const(key)),
                            line=stmt.line))
        keywords.append((key, ir.Var(item)))
    return reads + [ir.replace(stmt, fn=callee, args=tuple(args), kwargs=tuple(keywords))]


def _shown(atom):
    return atom.name if isinstance(atom, ir.Var) else 'options'


def _packed_call(stmt, caller, rules, namer):
    callee = stmt.fn.value
    signature = inspect.signature(callee)
    try:
        bound = signature.bind(*stmt.args, **dict(stmt.kwargs))
    except TypeError as error:
        raise UnsupportedSyntaxError(
            f'`{stmt.fn.path}` is called with arguments it does not take: {error}',
            caller.filename, stmt.line, caller.source_line(stmt.line)) from None
    out, args, kwargs = [], [], []
    for param in signature.parameters.values():
        if param.kind is param.VAR_POSITIONAL:
            value = bound.arguments.get(param.name, ())
        elif param.kind is param.VAR_KEYWORD:
            value = bound.arguments.get(param.name, {})
        elif param.name in bound.arguments:
            value = bound.arguments[param.name]
        else:
            continue  # a default: the packed form has it too
        if param.kind is param.VAR_POSITIONAL:
            pack = namer.fresh(param.name)
            out.append(ir.Let(pack, prim(primitives.make_tuple), tuple(value), line=stmt.line))
            args.append(ir.Var(pack))
        elif param.kind is param.VAR_KEYWORD:
            pack = namer.fresh(param.name)
            items = tuple(a for key, atom in value.items() for a in (ir.Const(key), atom))
            out.append(ir.Let(pack, prim(primitives.make_dict), items, line=stmt.line))
            kwargs.append((param.name, ir.Var(pack)))
        elif param.kind is param.KEYWORD_ONLY:
            kwargs.append((param.name, value))
        else:
            args.append(value)
    form = packed(callee, rules.cache)
    out.append(ir.replace(stmt, fn=ir.Global(stmt.fn.path, form, stmt.fn.root),
                          args=tuple(args), kwargs=tuple(kwargs)))
    return out


def packed(fn, cache):
    """The packed form of `fn` (see the module docstring), one per version of `fn`
    (kept in `cache`)."""
    return cache.lookup(fn, ('packed',), lambda: _make_packed(fn))


def packed_signature(signature):
    """`(W, *args, axis=0, **options)` as `(W, args, *, axis=0, options)`: the packed
    tuple a positional parameter (with the default `()` where earlier parameters
    have defaults), the packed dict a keyword-only one."""
    params = list(signature.parameters.values())
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    out = [p.replace(kind=p.POSITIONAL_OR_KEYWORD) for p in positional]
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            needs_default = any(q.default is not q.empty for q in positional)
            out.append(p.replace(kind=p.POSITIONAL_OR_KEYWORD,
                                 default=() if needs_default else p.empty))
    out += [p for p in params if p.kind is p.KEYWORD_ONLY]
    out += [p.replace(kind=p.KEYWORD_ONLY) for p in params if p.kind is p.VAR_KEYWORD]
    return signature.replace(parameters=out)


def _make_packed(fn):
    signature = inspect.signature(fn)
    form = packed_signature(signature)
    kinds = {p.name: p.kind for p in signature.parameters.values()}

    def call_packed(*args, **kwargs):
        bound = form.bind(*args, **kwargs)
        bound.apply_defaults()
        positional, keywords = [], {}
        for name, value in bound.arguments.items():
            kind = kinds[name]
            if kind is inspect.Parameter.VAR_POSITIONAL:
                positional.extend(value)
            elif kind is inspect.Parameter.VAR_KEYWORD:
                keywords.update(value)
            elif kind is inspect.Parameter.KEYWORD_ONLY:
                keywords[name] = value
            else:
                positional.append(value)
        return fn(*positional, **keywords)

    call_packed.__signature__ = form
    call_packed.__name__, call_packed.__qualname__ = fn.__name__, fn.__qualname__
    call_packed.__module__ = fn.__module__
    call_packed.__adjoint_packs__ = fn  # the function whose source the parser reads
    return call_packed
