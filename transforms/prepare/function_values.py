"""function_values: a call of a function held in a variable, as a call of the function.

Requires: an `ir.Function` from `ssa`, the kinds of its values (`kinds.py`), and
the namespace its source reads (to name the functions it calls).
Ensures: no `call_value(f, *args)` is left. Where the kind of `f` says which
function it holds (`FunctionKind`: a parameter given `np.tanh`, `act = np.tanh`),
the call is a call of that function, which the rules and the callee pairs then
differentiate like any other; where `f` may be one of several (`act = np.tanh if
relu else np.sin`), an `if` tests which one it is (`act is np.tanh`) and calls it.

Raises:
    UnsupportedSyntaxError: where the kind of `f` is not known: the derivative of
        a call needs the function called, and the code would have to guess it.
"""

import operator
import types

from transforms.analysis.kinds import FunctionKind, called, kind_of_value
from transforms.core import ir, primitives, substitute
from transforms.core.errors import UnsupportedSyntaxError
from transforms.core.names import Namer
from transforms.core.primitives import FOLDS
from transforms.core.verify import checked
from transforms.frontend.ssa import prim


@checked
def resolve_function_values(fn, kinds, namespace):
    """`fn` with every `call_value` resolved (see the module docstring). A
    function made in `fn` by a callable that `FOLDS` (`d = adjoint.grad(f)`, with
    `f` a global or a closure's function) is that function."""
    made = _folded(fn)
    namer = None

    def resolved(stmt):
        nonlocal namer
        held = stmt.args[0]
        kind = kinds.get(held.name) if isinstance(held, ir.Var) else \
            kind_of_value(held.value) if isinstance(held, ir.Global) else None
        if not isinstance(kind, FunctionKind):
            raise UnsupportedSyntaxError(
                'calling this value is not supported: adjoint cannot tell which '
                'function it is when it compiles (a function made by a call, or read '
                'from a container of other values); call a function by its name, or '
                'pass the function in as an argument',
                fn.filename, stmt.line, fn.source_line(stmt.line))
        functions = sorted(kind.functions, key=_order)
        calls = [ir.replace(called(stmt, f), fn=_global(f, namespace)) for f in functions]
        if len(calls) == 1:
            return [calls[0]]
        if namer is None:
            names = ir.all_names(fn)
            namer = Namer(names)
            namer.taken |= names
        return _dispatch(stmt, held, functions, calls, namer, namespace)

    def block(b):
        stmts = []
        for stmt in b.stmts:
            if isinstance(stmt, ir.Let) and stmt.target in made:
                continue  # made when compiling: the function itself is used
            if isinstance(stmt, ir.Let) and stmt.fn.value is primitives.call_value:
                stmts.extend(resolved(stmt))
            else:
                stmts.append(ir.map_regions(stmt, block))
        return ir.Block(tuple(stmts), b.yields)

    body = substitute.block(fn.body, made) if made else fn.body
    return fn.replace(body=block(body))


def _folded(fn):
    """{value: ir.Global} of the functions `fn` makes by a callable that `FOLDS`,
    from constant arguments (one that raises is left to raise when it runs)."""
    out = {}
    for stmt in ir.walk(fn.body):
        if not (isinstance(stmt, ir.Let) and stmt.target is not None and
                getattr(stmt.fn.value, FOLDS, False)):
            continue
        atoms = list(stmt.args) + [a for _, a in stmt.kwargs]
        if not all(isinstance(a, (ir.Const, ir.Global)) for a in atoms):
            continue
        try:
            made = stmt.fn.value(*(a.value for a in stmt.args),
                                 **{k: a.value for k, a in stmt.kwargs})
        except Exception:  # noqa: BLE001 - the call raises again where it runs
            continue
        if isinstance(kind_of_value(made), FunctionKind):
            name = getattr(made, '__name__', None)
            out[stmt.target] = ir.Global(name if isinstance(name, str) and
                                         name.isidentifier() else 'derivative', made)
    return out


def _dispatch(stmt, held, functions, calls, namer, namespace):
    """`if f is first: r = first(...) else: (the rest)`: the call of whichever of
    `functions` the value `held` is, the last taken when the others are not."""
    if len(calls) == 1:
        return [calls[0]]
    test = namer.fresh('is_' + getattr(functions[0], '__name__', 'function'))
    check = ir.Let(test, prim(operator.is_), (held, _global(functions[0], namespace)),
                   line=stmt.line)
    first = namer.fresh(stmt.target)
    then = ir.Block((ir.replace(calls[0], target=first),), (ir.Var(first),))
    rest_target = namer.fresh(stmt.target)
    rest = _dispatch(ir.replace(stmt, target=rest_target), held, functions[1:],
                     [ir.replace(c, target=rest_target) for c in calls[1:]], namer, namespace)
    orelse = ir.Block(tuple(rest), (ir.Var(rest_target),))
    return [check, ir.If(ir.Var(test), then, orelse, (stmt.target,), stmt.line)]


def _order(function):
    return (getattr(function, '__module__', None) or '', getattr(function, '__qualname__',
                                                               repr(function)))


def _global(function, namespace):
    """The `ir.Global` of a function, named as the source can reach it: `np.tanh`
    where `np` is a module of the namespace holding it, its own name otherwise."""
    name = getattr(function, '__name__', None)
    if isinstance(name, str) and name.isidentifier() and name != '<lambda>':
        if namespace.get(name) is function:
            return ir.Global(name, function)
        for root, value in namespace.items():  # in the order the module binds them
            if isinstance(value, types.ModuleType) and getattr(value, name, None) is function:
                return ir.Global(f'{root}.{name}', function, value)
        return ir.Global(name, function)
    return ir.Global('function', function)
