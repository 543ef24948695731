"""normalize: rewrite a function's statements into the core subset SSA accepts.

Requires: a gast FunctionDef from `parse`.
Ensures: a new FunctionDef in which
  - augmented assignments are plain assignments (`s += x` -> `s = s + x`);
  - every `for` loops over `range(...)` or `reversed(range(...))`: loops over a
    sequence, `enumerate`, `zip` and `reversed` read their items by index;
  - `break`, `continue` and early `return` are gone (see `controlflow.py`): the
    function ends in its only `return`;
  - docstrings and `pass` are dropped.
Expressions are left nested: `ssa` flattens them to one operation a statement.
"""

import copy

import gast

from transforms.core.errors import UnsupportedSyntaxError
from transforms.core.names import Namer
from transforms.frontend import comprehensions, controlflow, iterators, parse


def normalize(parsed):
    """The core-subset FunctionDef of a `ParsedFunction` (a new tree)."""
    node = parse.copy_tree(parsed.node)
    user_names = {n.id for n in parse.nodes(node) if isinstance(n, gast.Name)}
    namer = Namer(user_names)
    namer.taken.update(user_names)  # new names here must not be any user's name
    rewriter = _Desugar(parsed, namer)
    node.body = rewriter.block(node.body)
    node.body = controlflow.lower(node.body, namer, _report(parsed))
    return node


def _report(parsed):
    def error(node, message):
        line = getattr(node, 'lineno', None)
        return UnsupportedSyntaxError(message, parsed.filename, line,
                                      parsed.source_lines.get(line))
    return error


def _name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _call(fn, *args):
    return gast.Call(func=_name(fn) if isinstance(fn, str) else fn, args=list(args),
                     keywords=[])


def _is_call_to(node, name):
    return (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
            and node.func.id == name)


_FROM_ZERO = object()  # `enumerate(xs)`, counting from 0


def _enumerate_start(node):
    """The start of `enumerate(xs)`, `enumerate(xs, s)` or `enumerate(xs, start=s)`
    (`_FROM_ZERO` for none), or None if `node` is not such a call."""
    if not _is_call_to(node, 'enumerate') or not node.args or len(node.args) > 2:
        return None
    if len(node.args) == 2:
        return node.args[1] if not node.keywords else None
    if not node.keywords:
        return _FROM_ZERO
    if len(node.keywords) == 1 and node.keywords[0].arg == 'start':
        return node.keywords[0].value
    return None


def _dict_view(node):
    """('keys' | 'values' | 'items', the dict) for `d.keys()` and the like, else None."""
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) and \
            node.func.attr in ('keys', 'values', 'items') and not node.args and \
            not node.keywords:
        return node.func.attr, node.func.value
    return None


_COMPREHENSIONS = (gast.ListComp, gast.GeneratorExp, gast.SetComp, gast.DictComp,
                   gast.comprehension)


def _rewritten(value):
    """Whether `iterators.Iterators.visit` or `comprehensions.Hoist` may change
    the expression `value`: it holds a comprehension, or a call of a name
    `Iterators` rewrites the argument of (most expressions hold neither, and
    walking them with the two transformers was a fifth of `normalize`)."""
    return any(isinstance(n, _COMPREHENSIONS) or
               (isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and
                n.func.id in iterators.CONSUMERS)
               for n in parse.nodes(value))


class _Desugar:
    """Statement rewrites that need no knowledge of control flow."""

    def __init__(self, parsed, namer):
        self.parsed = parsed
        self.namer = namer
        self.error = _report(parsed)
        stored = {n.id for n in parse.nodes(parsed.node) if isinstance(n, gast.Name) and
                  isinstance(n.ctx, (gast.Store, gast.Param, gast.Del))}
        self.iterators = iterators.Iterators(parsed.namespace, stored, namer)

    def block(self, stmts):
        out = []
        for stmt in stmts:
            out.extend(self.stmt(stmt))
        return out

    def stmt(self, node):
        before = self.hoist_comprehensions(node)
        if isinstance(node, gast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], gast.Name) and \
                isinstance(node.value, gast.Name) and node.value.id == node.targets[0].id:
            return before  # `pred = pred` after building `pred` in place
        visit = getattr(self, 'visit_' + type(node).__name__, None)
        if visit is None:
            return before + [node]
        return before + visit(node)

    def hoist_comprehensions(self, node):
        """Statements computing the comprehensions in `node`'s own expressions."""
        fields = {gast.Assign: ('value',), gast.AugAssign: ('value',), gast.Expr: ('value',),
                  gast.Return: ('value',), gast.If: ('test',), gast.For: ('iter',),
                  gast.Assert: ('test',)}  # not its message, computed only if it fails
        if isinstance(node, gast.While) and any(
                isinstance(n, (gast.ListComp, gast.GeneratorExp)) for n in gast.walk(node.test)):
            raise self.error(node, 'a comprehension in a `while` condition is not '
                                   'supported: compute it in the loop body')
        before = []
        for field in fields.get(type(node), ()):
            value = getattr(node, field)
            if value is None:
                continue
            unpacked = isinstance(node, gast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], (gast.Tuple, gast.List))
            if isinstance(node, (gast.Assign, gast.Expr, gast.Return)) and not unpacked \
                    and not _rewritten(value):
                continue  # `visit` and `Hoist` would leave it as it is
            hint = None
            if isinstance(node, gast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], gast.Name) and \
                    isinstance(value, (gast.ListComp, gast.GeneratorExp)):
                hint = node.targets[0].id
            value = self.iterators.visit(value)
            if isinstance(node, gast.For):
                value = self.iterators.consumed(value, keep_loops=True)
            elif isinstance(node, gast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], (gast.Tuple, gast.List)):
                value = self.iterators.consumed(value)  # `a, b = zip(*pairs)`
            hoist = comprehensions.Hoist(self.namer, self.error, hint)
            setattr(node, field, hoist.visit(value))
            before.extend(self.block(hoist.before))
        return before

    def visit_Expr(self, node):
        if isinstance(node.value, gast.Constant):  # a docstring or a bare literal
            return []
        return [node]

    def visit_Pass(self, node):
        return []

    def visit_With(self, node):
        node.body = self.block(node.body)
        return [node]

    def visit_FunctionDef(self, node):
        """A nested def: normalized like the outer function; `ssa` inlines it."""
        if node.args.vararg is not None or node.args.kwarg is not None or \
                node.decorator_list:
            raise self.error(node, 'a nested function with *args, **kwargs or '
                                   'decorators is not supported: define it at module level')
        node.body = controlflow.lower(self.block(node.body), self.namer, self.error)
        return [node]

    def visit_AugAssign(self, node):
        load = copy.deepcopy(node.target)
        for sub in gast.walk(load):
            if hasattr(sub, 'ctx'):
                sub.ctx = gast.Load()
        value = gast.BinOp(left=load, op=node.op, right=node.value)
        # `y += v` changes an array or list in place (see `aliasing.py`); `y[i] += v`
        # writes its result back into `y`, as the IR does.
        value.augmented = isinstance(node.target, gast.Name)
        value.augmented_item = isinstance(node.target, gast.Subscript)
        assign = gast.Assign(targets=[node.target], value=value, type_comment=None)
        return [gast.copy_location(assign, node)]

    def visit_If(self, node):
        node.body = self.block(node.body)
        node.orelse = self.block(node.orelse)
        return [node]

    def visit_While(self, node):
        if node.orelse:
            raise self.error(node, '`while ... else` is not supported: move the `else` '
                                   'body after the loop behind a flag')
        node.body = self.block(node.body)
        return [node]

    def visit_For(self, node):
        if node.orelse:
            raise self.error(node, '`for ... else` is not supported: move the `else` '
                                   'body after the loop behind a flag')
        node.body = self.block(node.body)
        pre = self._unpack_starred_zip(node)
        if pre:
            return pre + self.visit_For(node)
        if _is_call_to(node.iter, 'range'):
            return [node]
        if _is_call_to(node.iter, 'reversed') and _is_call_to(node.iter.args[0], 'range'):
            return [node]
        return self._index_loop(node)

    def _unpack_starred_zip(self, node):
        """`for a, b, c in zip(*parts)`: each item unpacks into three names, so
        `parts` holds three sequences; statements `s1, s2, s3 = parts` (which
        raise, as the loop would, if it holds another number), and the loop
        then walks `zip(s1, s2, s3)`. Nothing for any other loop."""
        call = node.iter
        if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name) and
                call.func.id == '__adjoint_zip__' and len(call.args) == 1 and
                isinstance(call.args[0], gast.Starred) and not call.keywords and
                isinstance(node.target, gast.Tuple) and
                not any(isinstance(e, gast.Starred) for e in node.target.elts)):
            return []
        names = [self.namer.fresh('sequence') for _ in node.target.elts]
        unpack = gast.Assign(targets=[gast.Tuple(elts=[_name(n, gast.Store()) for n in names],
                                                 ctx=gast.Store())],
                             value=call.args[0].value, type_comment=None)
        node.iter = gast.copy_location(_call('zip', *[_name(n) for n in names]), call)
        return [gast.copy_location(unpack, node)]

    def _bound(self, expr, hint, pre, node):
        """A name for `expr`: itself if it is one, else a new variable assigned in `pre`."""
        if isinstance(expr, gast.Name):
            return _name(expr.id)
        temp = self.namer.fresh(hint)
        pre.append(gast.copy_location(gast.Assign(
            targets=[_name(temp, gast.Store())], value=expr, type_comment=None), node))
        return _name(temp)

    def _index_loop(self, node):
        """`for x in xs: body` -> `for i in range(len(xs)): x = xs[i]; body`."""
        pre, sequences, reverse, pre_count = [], [], False, None
        iterable = node.iter
        if _is_call_to(iterable, 'reversed'):
            iterable, reverse = iterable.args[0], True
        start = _enumerate_start(iterable)
        if start is not None and isinstance(node.target, gast.Tuple) and \
                len(node.target.elts) == 2:
            if reverse:
                raise self.error(node, '`reversed(enumerate(...))` is not supported: '
                                       'loop over `reversed(range(len(xs)))` instead')
            counter, item = node.target.elts
            index = counter
            if start is not _FROM_ZERO:  # `for k, x in enumerate(xs, 1)`: k = i + 1
                index = _name(self.namer.fresh('i'), gast.Store())
                count = gast.BinOp(left=_name(index.id), op=gast.Add(), right=start)
                pre_count = gast.copy_location(
                    gast.Assign(targets=[counter], value=count, type_comment=None), node)
            seqs, items = [iterable.args[0]], [item]
        elif _is_call_to(iterable, 'zip') and isinstance(node.target, gast.Tuple) \
                and len(node.target.elts) == len(iterable.args):
            index = None
            seqs, items = iterable.args, node.target.elts
        else:
            index = None
            seqs, items = [iterable], [node.target]
        lookups = []  # (target, mapping, key name): `v = d[k]` for d.items(), d.values()
        for k, seq in enumerate(seqs):
            if _is_call_to(seq, 'reversed') and len(seq.args) == 1:
                # A reversed copy has a length and indices; the iterator has neither.
                backwards = gast.Slice(lower=None, upper=None, step=gast.UnaryOp(
                    op=gast.USub(), operand=gast.Constant(value=1, kind=None)))
                seq = gast.Subscript(value=seq.args[0], slice=backwards, ctx=gast.Load())
            view = _dict_view(seq)
            if view is not None:  # d.keys(), d.values(), d.items(): walk the keys
                seq = self._bound(view[1], 'mapping', pre, node)
                if view[0] != 'keys':
                    target = items[k]
                    if view[0] == 'items':
                        if not (isinstance(target, gast.Tuple) and len(target.elts) == 2):
                            raise self.error(node, 'unpack `d.items()` into two names: '
                                                   '`for k, v in d.items()`')
                        key, target = target.elts
                    else:
                        key = _name(self.namer.fresh('key'), gast.Store())
                    items[k] = key
                    lookups.append((target, seq, key))
            # What is walked is the object as the loop starts, as in Python (the body
            # may rebind its name), and a dict's keys (see `primitives.sequence_of`).
            temp = self.namer.fresh('seq')
            pre.append(gast.copy_location(gast.Assign(
                targets=[_name(temp, gast.Store())],
                value=_call('__adjoint_sequence_of__', seq), type_comment=None), node))
            sequences.append(_name(temp))
        if index is None:
            index = _name(self.namer.fresh('i'), gast.Store())
        lengths = [_call('len', copy.deepcopy(s)) for s in sequences]
        length = lengths[0] if len(lengths) == 1 else _call('min', *lengths)
        if reverse:
            one = gast.Constant(value=1, kind=None)
            start = gast.BinOp(left=length, op=gast.Sub(), right=one)
            minus_one = gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=1, kind=None))
            range_call = _call('range', start, minus_one, copy.deepcopy(minus_one))
        else:
            range_call = _call('range', length)
        reads = [pre_count] if pre_count is not None else []
        for seq, item in zip(sequences, items):
            read = gast.Subscript(value=copy.deepcopy(seq), slice=_name(index.id), ctx=gast.Load())
            reads.append(gast.copy_location(
                gast.Assign(targets=[item], value=read, type_comment=None), node))
        for target, mapping, key in lookups:
            read = gast.Subscript(value=copy.deepcopy(mapping), slice=_name(key.id),
                                  ctx=gast.Load())
            reads.append(gast.copy_location(
                gast.Assign(targets=[target], value=read, type_comment=None), node))
        loop = gast.For(target=index, iter=range_call, body=reads + node.body, orelse=[],
                        type_comment=None)
        return pre + [gast.copy_location(loop, node)]
