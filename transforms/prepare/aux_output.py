"""aux_output: a function returning `(output, aux)`, as `has_aux=True` differentiates it.

Requires: an `ir.Function` from `ssa`.
Ensures: the same function returning only `output`, and the atom holding `aux`,
which the derivative returns next to the gradient (as `jax.grad(f, has_aux=True)`
does). Where the function builds the pair itself (`return loss, aux`), its two
items are read as they are; otherwise a check raises where the result is not a
pair, and the pair is read by index. `aux` reaches no output, so it gets no
adjoint: the derivative is of `output` alone.
"""

import operator

import gast

from transforms.core import ir, primitives
from transforms.core.names import Namer
from transforms.core.verify import checked
from transforms.frontend.ssa_values import prim


@checked
def split_aux(fn, line=0):
    """(`fn` returning the first item of its result, the atom of the second);
    `line` is that of the `return` (`return_line`), for the check's comment."""
    result = fn.returns
    pair = _built_pair(fn.body, result)
    if pair is not None:
        output, aux = pair
        return fn.replace(body=ir.Block(fn.body.stmts, (output,))), aux
    names = ir.all_names(fn)
    namer = Namer(names)
    namer.taken |= names
    output, aux = namer.fresh('output'), namer.fresh('aux')
    stmts = fn.body.stmts + (
        ir.Let(None, prim(primitives.check_aux), (result, ir.Const(fn.name)), line=line),
        ir.Let(output, prim(operator.getitem), (result, ir.Const(0)), line=line),
        ir.Let(aux, prim(operator.getitem), (result, ir.Const(1)), line=line))
    return fn.replace(body=ir.Block(stmts, (ir.Var(output),))), ir.Var(aux)


def _built_pair(body, result):
    """The two atoms of the pair `result` is, where the top level of the body
    builds it as a tuple or list of two items (or it is a constant pair)."""
    if isinstance(result, ir.Const):
        value = result.value
        if isinstance(value, (tuple, list)) and len(value) == 2:
            return ir.Const(value[0]), ir.Const(value[1])
        return None
    for stmt in body.stmts:
        if isinstance(stmt, ir.Let) and stmt.target == result.name:
            if stmt.fn.value in (primitives.make_tuple, primitives.make_list) and \
                    len(stmt.args) == 2 and not stmt.kwargs:
                return stmt.args
            return None
    return None


def return_line(node):
    """The line of the last `return` in the function (or lambda) `node`."""
    if isinstance(node, gast.Lambda):
        return node.body.lineno
    return max((n.lineno for n in gast.walk(node) if isinstance(n, gast.Return)), default=0)
