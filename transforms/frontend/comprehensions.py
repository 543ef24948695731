"""Rewrite list comprehensions and generator expressions as loops that append.

    pred = [x * coef for x in xs if x > 0]

becomes

    pred = []
    for x_1 in xs:
        if x_1 > 0:
            pred.append(x_1 * coef)

The comprehension's own variables get fresh names, since in Python 3 they do not
leak into the function. A generator expression is treated as a list, which gives
the same result for what adjoint supports (`sum(...)`, `np.array(...)`, ...).
"""

import copy

import gast


class _Rename(gast.NodeTransformer):
    def __init__(self, renames):
        self.renames = renames

    def visit_Name(self, node):
        if node.id in self.renames:
            return gast.copy_location(gast.Name(id=self.renames[node.id], ctx=node.ctx,
                                                annotation=None, type_comment=None), node)
        return node


def _stored(target):
    return [n.id for n in gast.walk(target) if isinstance(n, gast.Name)]


def lower(node, result, namer, error):
    """Statements that build the comprehension `node` into the list `result`."""
    if isinstance(node, (gast.SetComp, gast.DictComp)):
        raise error(node, 'set and dict comprehensions are not supported; build the '
                          'container with a loop')
    renames = {}
    for generator in node.generators:
        if generator.is_async:
            raise error(node, 'async comprehensions are not supported')
        for name in _stored(generator.target):
            renames[name] = namer.fresh(name)
    rename = _Rename(renames)
    append = gast.Expr(value=gast.Call(
        func=gast.Attribute(value=_name(result), attr='append', ctx=gast.Load()),
        args=[rename.visit(copy.deepcopy(node.elt))], keywords=[]))
    body = [append]
    for generator in reversed(node.generators):
        for condition in reversed(generator.ifs):
            body = [gast.If(test=rename.visit(copy.deepcopy(condition)), body=body,
                            orelse=[])]
        target = rename.visit(copy.deepcopy(generator.target))
        # Only the first iterable is evaluated outside every loop; the others may
        # read the outer targets, so they see the renamed names too.
        iterable = generator.iter if generator is node.generators[0] else \
            rename.visit(copy.deepcopy(generator.iter))
        body = [gast.For(target=target, iter=iterable, body=body, orelse=[],
                         type_comment=None)]
    start = gast.Assign(targets=[_name(result, gast.Store())],
                        value=gast.List(elts=[], ctx=gast.Load()), type_comment=None)
    statements = [start] + body
    for statement in statements:
        for child in gast.walk(statement):
            if isinstance(child, (gast.stmt, gast.expr)) and \
                    getattr(child, 'lineno', None) is None:
                gast.copy_location(child, node)
    return statements


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


class Hoist(gast.NodeTransformer):
    """Replace each comprehension in an expression by a fresh list variable,
    collecting the statements that build it in `self.before`."""

    def __init__(self, namer, error, hint=None):
        self.namer = namer
        self.error = error
        self.hint = hint
        self.before = []

    def _hoist(self, node):
        node = self.generic_visit(node)  # comprehensions nested inside come first
        reads = {n.id for n in gast.walk(node) if isinstance(n, gast.Name)}
        if self.hint and self.hint not in reads:
            result = self.hint  # `pred = [...]` builds `pred` itself
        else:
            result = self.namer.fresh(self.hint or 'items')
        self.hint = None
        self.before.extend(lower(node, result, self.namer, self.error))
        return gast.copy_location(_name(result), node)

    visit_ListComp = visit_GeneratorExp = visit_SetComp = visit_DictComp = _hoist

    def visit_Lambda(self, node):
        return node  # a lambda's body is not evaluated here
