"""iterators: `map`, `filter`, `zip`, `enumerate` and `reversed` consumed at once,
as list comprehensions.

Requires: an expression of a function being normalized, and the names its
namespace binds (so a user's own `map` is left alone).
Ensures: each call of one of these builtins that is consumed where it is made —
an argument of `list`, `tuple`, `sum`, `sorted`, `min`, `max`, `dict`, `any`,
`all`, the iterable of a comprehension or of a `for` loop, the value unpacked by
`a, b = ...` — is a list
comprehension computing the same items, which `comprehensions` lowers to a loop
the derivative follows:

    sum(map(f, xs, ys))       ->  sum([f(a, b) for a, b in zip(xs, ys)])
    list(zip(xs, ys))         ->  list([(a, b) for a, b in zip(xs, ys)])
    tuple(enumerate(xs, 1))   ->  tuple([(k + 1, x) for k, x in enumerate(xs)])
    sorted(filter(f, xs))     ->  sorted([x for x in xs if f(x)])

`zip(*pairs)` becomes `__adjoint_zip__(*pairs)`, whose items `ssa` reads off the
`pairs` built in the function: `a, b = zip(*[(x, 1.0), (y, 2.0)])`.

Only there: an iterator held in a variable is exhausted by its first reader, and a
list is not; `len(zip(...))` raises in Python. Those calls stay as they are.
"""

import builtins
import copy

import gast

ITERATORS = ('map', 'filter', 'zip', 'enumerate', 'reversed')
CONSUMERS = ('list', 'tuple', 'sum', 'sorted', 'min', 'max', 'dict', 'any', 'all')


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


class Iterators(gast.NodeTransformer):
    """Rewrite the consumed builtin iterators of an expression (see the module)."""

    def __init__(self, namespace, stored, namer):
        self.namespace = namespace
        self.stored = stored  # names the function assigns: not the builtins then
        self.namer = namer

    def builtin(self, node, names):
        """The name of the builtin `node` calls, if it is one of `names`."""
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and \
                node.func.id in names and node.func.id not in self.stored and \
                self.namespace.get(node.func.id) is getattr(builtins, node.func.id):
            return node.func.id
        return None

    def visit_Call(self, node):
        self.generic_visit(node)
        if self.builtin(node, CONSUMERS) and node.args:
            node.args[0] = self.consumed(node.args[0])
        return node

    def visit_comprehension(self, node):
        self.generic_visit(node)
        node.iter = self.consumed(node.iter, keep_loops=True)
        return node

    def visit_Lambda(self, node):
        return node  # its body is evaluated where it is called

    def consumed(self, node, keep_loops=False):
        """`node` as a list comprehension if it makes one of the iterators.

        `keep_loops`: leave `zip`, `reversed` and `enumerate` of one argument, which
        a `for` loop (and so a comprehension) walks by index already."""
        new = self._consumed(node, keep_loops)
        if new is not node:
            for child in gast.walk(new):
                if isinstance(child, gast.expr) and getattr(child, 'lineno', None) is None:
                    gast.copy_location(child, node)
        return new

    def _consumed(self, node, keep_loops):
        which = self.builtin(node, ITERATORS)
        if which == 'zip' and not node.keywords and \
                any(isinstance(a, gast.Starred) for a in node.args):
            # `zip(*pairs)`: as many sequences as `pairs` has items, which `ssa`
            # knows where `pairs` is built in the function.
            return gast.Call(func=_name('__adjoint_zip__'), args=node.args, keywords=[])
        if which is None or node.keywords and which != 'enumerate' or \
                any(isinstance(a, gast.Starred) for a in node.args):
            return node
        if which == 'map' and len(node.args) >= 2 and _callable_expression(node.args[0]):
            fn, sequences = node.args[0], node.args[1:]
            items = [self.fresh('item') for _ in sequences]
            call = gast.Call(func=copy.deepcopy(fn), args=[_name(i) for i in items], keywords=[])
            return self.comprehension(call, items, sequences)
        if which == 'filter' and len(node.args) == 2 and _callable_expression(node.args[0]):
            item = self.fresh('item')
            test = gast.Call(func=copy.deepcopy(node.args[0]), args=[_name(item)], keywords=[])
            return self.comprehension(_name(item), [item], node.args[1:], test)
        if keep_loops and (which in ('zip', 'reversed') or
                           (which == 'enumerate' and len(node.args) == 1 and not node.keywords)):
            # The loop reads each sequence by index: an iterator in one is a list.
            node.args = [a if self.builtin(a, ('reversed',)) else self.consumed(a)
                         for a in node.args]
            return node
        if which == 'zip' and node.args:
            items = [self.fresh('item') for _ in node.args]
            pair = gast.Tuple(elts=[_name(i) for i in items], ctx=gast.Load())
            return self.comprehension(pair, items, node.args)
        if which == 'reversed' and len(node.args) == 1:
            item = self.fresh('item')
            walked = gast.Call(func=_name('reversed'), args=node.args, keywords=[])
            return _list_of(_name(item), [item], walked)
        if which == 'enumerate' and len(node.args) in (1, 2):
            start = node.args[1] if len(node.args) == 2 else None
            for keyword in node.keywords:
                if keyword.arg != 'start' or start is not None:
                    return node
                start = keyword.value
            count, item = self.fresh('count'), self.fresh('item')
            counted = _name(count) if start is None else \
                gast.BinOp(left=_name(count), op=gast.Add(), right=start)
            pair = gast.Tuple(elts=[counted, _name(item)], ctx=gast.Load())
            walked = gast.Call(func=_name('enumerate'), args=node.args[:1], keywords=[])
            target = gast.Tuple(elts=[_name(count, gast.Store()), _name(item, gast.Store())],
                                ctx=gast.Store())
            return gast.copy_location(gast.ListComp(elt=pair, generators=[gast.comprehension(
                target=target, iter=walked, ifs=[], is_async=0)]), node)
        return node

    def fresh(self, hint):
        return self.namer.fresh(hint)

    def comprehension(self, elt, items, sequences, test=None):
        """`[elt for items in zip(*sequences) if test]` (no `zip` for one)."""
        walked = sequences[0] if len(sequences) == 1 else \
            gast.Call(func=_name('zip'), args=list(sequences), keywords=[])
        return _list_of(elt, items, walked, test)


def _list_of(elt, items, walked, test=None):
    stores = [_name(i, gast.Store()) for i in items]
    target = stores[0] if len(stores) == 1 else gast.Tuple(elts=stores, ctx=gast.Store())
    generator = gast.comprehension(target=target, iter=walked,
                                   ifs=[test] if test is not None else [], is_async=0)
    return gast.ListComp(elt=elt, generators=[generator])


def _callable_expression(node):
    """A function named or written in place: evaluating it once per item, as the
    comprehension does, is evaluating it once."""
    while isinstance(node, gast.Attribute):
        node = node.value
    return isinstance(node, (gast.Name, gast.Lambda))
