"""calls: a user function called from differentiated code, as a forward/backward pair.

A call `h = layer(w, x)` whose result is active becomes, in the caller's sweeps,

    h, saved_layer = layer_forward(w, x)        # primal sweep
    ...
    bw, bx = layer_backward(saved_layer, bh)    # backward sweep

`layer_forward` runs the callee's primal sweep and returns its value with what its
backward sweep reads (`saved`); `layer_backward` is that backward sweep. Both are
generated from the callee's own adjoint, split where its backward sweep begins,
compiled once per (function, differentiated parameters, argument kinds) and
shared by every caller (in the rule table's cache, `transforms/core/cache.py`). A
recursive function calls its own pair: the cache entry exists, as forwarding
stubs, before the pair is compiled.
"""

import inspect
import linecache
import operator
import types
from dataclasses import dataclass

from transforms.analysis.kinds import infer_kinds
from transforms.core import ir, names, primitives, substitute
from transforms.core.errors import (GENERATED_FILES, InternalError, NoSourceError,
                                    UnsupportedSyntaxError)
from transforms.core.names import Namer
from transforms.core.verify import checked
from transforms.frontend.ssa import prim


@dataclass
class Pair:
    """The compiled forward and backward functions of one callee specialization."""

    forward: object
    backward: object
    name: str
    sources: tuple = ()


class _Stub:
    """Calls whatever function `target` is set to later (for recursion).

    Args:
        name: the generated function's name (`layer_jvp`).
        arity: the length of the tuple it returns.
        callee: the name of the user function it is made from (`layer`).
    """

    def __init__(self, name, arity, callee=None):
        self.__name__ = name
        self.target = None
        self.arity = arity
        self.callee = callee

    def __call__(self, *args, **kwargs):
        return self.target(*args, **kwargs)


@dataclass(frozen=True)
class Callees:
    """How the two AD passes get the code of the user functions a program
    calls without running the pipeline themselves: the driver (`pipeline.py`,
    above every pass) gives them one of these, `pipeline.CALLEES`.

    Args:
        pair: `pair(fn, wrt, param_kinds, rules)`, the forward/backward `Pair`
            of `fn` (`pair` below, given the driver's compile).
        tangent: `tangent(fn, wrt, param_kinds, rules)`, its tangent function
            (`forward_calls.tangent_function`, given the driver's compile).
    """

    pair: object
    tangent: object


def compiled_at(compile_callee, state, stmt, *args):
    """`compile_callee(*args)` (a `Callees` function) for the call `stmt` of the
    function the pass `state` transforms; a callee without source, found however
    deep in what it calls, is a `NoSourceError` naming this call's line, the
    outermost call's when callees call callees (`scipy.linalg.solve_banded`
    calling `_solve_banded`, which has none)."""
    try:
        return compile_callee(*args)
    except NoSourceError as error:
        problem = getattr(error, 'problem', str(error))
        shown = (state.source_line(stmt.line) or '').strip()
        located = NoSourceError(f'{state.fn.filename}:{stmt.line}: {problem}' +
                                (f'\n    {shown}' if shown else ''))
        located.problem = problem
        raise located from None


def _no_callees(fn, *_):
    raise InternalError(f'`{fn.__name__}` is a user function, and the pass was given '
                        f'no `Callees` to compile it: run it through pipeline.py')


NO_CALLEES = Callees(pair=_no_callees, tangent=_no_callees)


def pair(fn, wrt, param_kinds, rules, compile_pair):
    """The forward/backward pair of user function `fn`, compiled once per
    (function, `wrt`, kinds) and kept in `rules.cache` while what it read holds.

    `compile_pair(fn, wrt, param_kinds, rules, name)` compiles it: `(forward,
    backward, sources)` (`pipeline.py` gives it)."""
    name = names.callee_name(fn)
    stubs = Pair(_Stub(names.forward_name(name), 2),
                 _Stub(names.backward_name(name), len(wrt)), name)

    def make():
        forward, backward, sources = compile_pair(fn, wrt, param_kinds, rules, name)
        stubs.forward.target, stubs.backward.target = forward, backward
        stubs.sources = sources
        return stubs

    key = ('pair', tuple(wrt), tuple(sorted(param_kinds.items())))
    return rules.cache.lookup(fn, key, make, placeholder=stubs)


def generated_helpers(functions):
    """`{name: source}` of every generated function that the generated `functions`
    call, directly or through one another: the pairs of this module, the tangent
    functions of `forward_calls.py`, derivatives made while compiling. Found in
    the globals each generated function runs with: those `functions` call, in
    the order their code names them, then those these call, and so on, each once
    (a recursive helper too); two different functions of one name are told apart
    as the emitted code does (`layer_forward_1`).

    Args:
        functions: generated functions (or the `_Stub`s standing for them), whose
            own source is not included.
    """
    todo = [target(f) for f in functions]
    seen = {id(f) for f in todo}
    found = {}
    while todo:
        for value in getattr(todo.pop(0), '__globals__', {}).values():
            callee = target(value)
            filename = getattr(getattr(callee, '__code__', None), 'co_filename', None)
            if filename not in GENERATED_FILES or id(callee) in seen:
                continue
            seen.add(id(callee))
            name, k = callee.__name__, 0
            while name in found:
                k += 1
                name = f'{callee.__name__}_{k}'
            found[name] = ''.join(linecache.getlines(filename))
            todo.append(callee)
    return found


def target(value):
    """The function a `_Stub` forwards to (once it is compiled), or `value`; the
    Python function of a compiled one (a Numba dispatcher's `py_func`)."""
    value = value.target if isinstance(value, _Stub) else value
    return getattr(value, 'py_func', value)


@checked
def split(adjoint, name):
    """Split an adjoint made with `seed_param=True` where its backward sweep begins.

    Returns (forward, backward): `forward(*params)` returns `(value, saved)`;
    `backward(saved, b_value)` returns the tuple of gradients.
    """
    *params, seed = adjoint.params
    stmts = adjoint.body.stmts
    final = stmts[-1]  # result = (value, grads)
    value, grads = final.args
    body = stmts[:-1]
    forward = [s for s in body if not s.adjoint]
    backward = [s for s in body if s.adjoint]
    needed = ir.free_vars(ir.Block(tuple(backward), (grads,)))
    namer = Namer(ir.all_names(adjoint))
    namer.taken |= ir.all_names(adjoint)
    forward, renames = _export_from_branches(forward, set(needed), namer)
    backward = list(substitute.stmts(backward, renames))
    grads = substitute.atom(grads, renames)
    needed = ir.free_vars(ir.Block(tuple(backward), (grads,)))
    defined = {p.name for p in params}
    for s in forward:
        defined.update(ir.stmt_defs(s))
    saved = [n for n in needed if n in defined]
    # Fresh names: the adjoint may hold its own calls' `saved_{name}` (recursion)
    # or a `forward_result` (a callee that is itself a forward function).
    saved_var = ir.Var(namer.fresh(names.saved_name(name)))
    pack = ir.Let(saved_var.name, prim(primitives.make_tuple),
                  tuple(ir.Var(n) for n in saved))
    result = ir.Var(namer.fresh('forward_result'))
    out = ir.Let(result.name, prim(primitives.make_tuple), (value, saved_var))
    forward_fn = adjoint.replace(
        name=names.forward_name(name), params=tuple(params),
        body=ir.Block(tuple(forward) + (pack, out), (result,)))
    unpack = tuple(ir.Let(n, prim(operator.getitem), (saved_var, ir.Const(k)))
                   for k, n in enumerate(saved))
    backward_fn = adjoint.replace(
        name=names.backward_name(name), params=(ir.Param(saved_var.name), seed),
        body=ir.Block(unpack + tuple(backward), (grads,)))
    return forward_fn, backward_fn


def _export_from_branches(stmts, wanted, namer):
    """Make each `if` yield the wanted values its branches define (None on the
    path that does not), so the forward function can return them.

    Returns (statements, {inner name: Var of the exported result}).
    """
    renames = {}
    out = []
    for stmt in stmts:
        if isinstance(stmt, ir.If):
            then_stmts, then_renames = _export_from_branches(stmt.then.stmts, wanted, namer)
            else_stmts, else_renames = _export_from_branches(stmt.orelse.stmts, wanted, namer)
            inner = {**then_renames, **else_renames}
            then_defs = {d for s in then_stmts for d in ir.stmt_defs(s)}
            else_defs = {d for s in else_stmts for d in ir.stmt_defs(s)}
            exports = [n for n in sorted(wanted) if n in then_defs or n in else_defs
                       or n in inner]
            yields_then, yields_else, results = [], [], []
            for n in exports:
                local = inner[n].name if n in inner else n
                yields_then.append(ir.Var(local) if local in then_defs else ir.Const(None))
                yields_else.append(ir.Var(local) if local in else_defs else ir.Const(None))
                results.append(namer.fresh(n))
                renames[n] = ir.Var(results[-1])
            stmt = ir.replace(
                stmt, results=stmt.results + tuple(results),
                then=ir.Block(then_stmts, stmt.then.yields + tuple(yields_then)),
                orelse=ir.Block(else_stmts, stmt.orelse.yields + tuple(yields_else)))
        out.append(stmt)
    return tuple(out), renames


@checked
def resolve_callables(fn, rules, param_kinds, kinds=None):
    """`fn` with each call of an object the rule table can resolve — a derivative
    made by the library, `h = grad(f)(x)` — turned into a call of the Python
    function that object runs for arguments of these kinds (its generated code),
    which is then differentiated like any other user function.

    Requires the table's `resolve(obj, arg_kinds, kwarg_kinds)`, returning a
    function or None; without one, `fn` is returned unchanged. `kinds`, if
    given, are `fn`'s inferred from `param_kinds` (else inferred here).
    """
    if rules.resolve is None:
        return fn
    if kinds is None:
        kinds = infer_kinds(fn, param_kinds, rules)

    def kind(atom):
        return kinds.get(atom.name) if isinstance(atom, ir.Var) else None

    def resolved(stmt):
        if isinstance(stmt.fn.value, types.FunctionType):
            return stmt
        if isinstance(stmt.fn.value, _Stub):  # generated code calling a callee's pair
            target = stmt.fn.value.target
            return ir.replace(stmt, fn=ir.Global(target.__name__, target))
        try:
            target = rules.resolve(stmt.fn.value, tuple(map(kind, stmt.args)),
                                   {k: kind(a) for k, a in stmt.kwargs})
        except TypeError:  # not a derivative, or unhashable
            target = None
        if target is None:
            return stmt
        return ir.replace(stmt, fn=ir.Global(target.__name__, target))

    return ir.map_lets(fn, resolved)


def bind_call(fn, stmt, caller):
    """{parameter: atom} of a call of user function `fn` in the IR function `caller`,
    defaults filled in; an error naming the call if it passes arguments `fn` does
    not take."""
    signature = inspect.signature(fn)
    try:
        bound = signature.bind(*stmt.args, **dict(stmt.kwargs))
    except TypeError as error:
        raise UnsupportedSyntaxError(
            f'`{stmt.fn.path}` is called with arguments it does not take: {error}',
            caller.filename, stmt.line, caller.source_line(stmt.line)) from None
    packed = [p for p in signature.parameters.values()
              if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if packed:
        # The arguments it packs into a tuple or dict would be constants here: a
        # derivative through them lost, silently.
        star = '*' if packed[0].kind == packed[0].VAR_POSITIONAL else '**'
        raise UnsupportedSyntaxError(
            f'`{stmt.fn.path}` takes `{star}{packed[0].name}`, and a helper that packs '
            f'its arguments is not differentiated yet: give it one parameter per '
            f'argument, or pass a tuple or list',
            caller.filename, stmt.line, caller.source_line(stmt.line))
    bound.apply_defaults()
    return {p: a if isinstance(a, (ir.Var, ir.Const, ir.Global)) else ir.Const(a)
            for p, a in bound.arguments.items()}


def is_user_function(fn, rules, mode='vjp'):
    """A Python function differentiated through its own source: it has no rule for
    this mode ('vjp' or 'jvp'), and is not declared non-differentiable. So a user
    who registers only a jvp rule for a function keeps reverse mode through its
    source.

    The compiler's own primitives (`make_tuple`, ...) are Python functions too,
    but are handled where they are used.
    """
    if not isinstance(fn, types.FunctionType) or fn.__module__ == primitives.__name__:
        return False
    rule = rules.lookup(fn)
    if rule is None:
        return True
    # Only a rule for the other mode: this one goes through the source. A rule
    # with neither (a helper whose rules are not written) fails naming it.
    return rule.differentiable and getattr(rule, mode) is None and \
        (rule.vjp is not None or rule.jvp is not None)
