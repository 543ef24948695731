"""Expression flattening for `ssa` (a mixin of `ssa._Builder`).

Each expression becomes one operation a statement on atoms; `and`, `or`,
conditional expressions and chained comparisons become `If` regions, so
short-circuiting is exact; operators become calls of `operator.*`; dotted names
of modules resolve to the objects they name; local lambdas and defs are inlined.
"""

import ast
import builtins
import operator
import types

import gast

from transforms.core import ir, primitives
from transforms.core.errors import UndefinedNameError
from transforms.frontend import keyed, normalize, parse
from transforms.frontend.loop_reads import names_read_later
from transforms.frontend.ssa_values import (BINOPS, CMPOPS, UNARYOPS, UNSUPPORTED_HINT,
                                            UNSUPPORTED_HINTS, LocalFunction, MaybeUnbound,
                                            Undefined, SIMPLE, prim)


# Builtins that reach variables or attributes through a string: the derivative
# sees neither the read nor the write (`eval('x * 2')` would get gradient 0).
_BY_NAME = (eval, exec, locals, vars, globals, setattr, delattr)
# Builtins whose `key=` picks the order or the item: their code with the key
# function inlined (`keyed.py`). By id: {id(builtin): (builtin, helper)}.
_KEYED = {id(builtin): (builtin, helper) for builtin, helper in (
    (builtins.sorted, keyed.sorted_with_key), (builtins.max, keyed.max_with_key),
    (builtins.min, keyed.min_with_key))}


class Expressions:
    """`expr(node) -> atom` and its helpers."""

    def expr(self, node, hint=None):
        """Flatten an expression; return the atom holding its value."""
        visit = getattr(self, 'expr_' + type(node).__name__, None)
        if visit is None:
            what = type(node).__name__
            raise self.error(node, f'`{what}` expressions are not supported in a '
                                   f'differentiated function: '
                                   f'{UNSUPPORTED_HINTS.get(what, UNSUPPORTED_HINT)}')
        return visit(node, hint)

    def expr_Constant(self, node, hint):
        return ir.Const(node.value)

    def expr_Name(self, node, hint):
        if node.id in self.env:
            value = self.env[node.id]
            if isinstance(value, Undefined):
                raise self.error(node, f'`{node.id}` may be unbound here: {value.why}',
                                 UndefinedNameError)
            if isinstance(value, LocalFunction):
                raise self.error(node, f'the local function `{node.id}` can only be '
                                       f'called here, not passed around as a value: '
                                       f'define it at module level to pass it')
            if isinstance(value, MaybeUnbound):
                return self.check_bound(node.id)
            return value
        if node.id in self.parsed.namespace:
            return self.global_atom(node.id, self.parsed.namespace[node.id])
        raise self.error(node, f'name `{node.id}` is not defined: define or import '
                               f'it before the derivative runs', UndefinedNameError)

    def check_bound(self, name):
        """The value of `name`, which a loop that ran no iteration leaves unbound:
        an operation raising UnboundLocalError then, as Python does, after which
        (on this path) `name` is known to be bound."""
        marked = self.env[name]
        self.stmts.append(ir.Let(None, prim(primitives.check_bound),
                                 (marked.value, ir.Const(name)), line=self.line))
        self.env[name] = marked.checked
        return marked.checked

    def global_atom(self, path, value):
        if isinstance(value, SIMPLE):
            return ir.Const(value)
        if _array_subclass(value):
            cls = type(value)
            raise self.error(None, f'`{path}` is a {cls.__module__}.{cls.__qualname__}, a '
                                   f'subclass of np.ndarray whose operators adjoint does not '
                                   f'know (for np.matrix, `*` is a matrix product): make it '
                                   f'np.asarray({path}) and write `@` for matrix products')
        return self.global_(path, value)

    def global_(self, path, value):
        root = self.parsed.namespace.get(path.split('.')[0]) if '.' in path else None
        return ir.Global(path, value, root)

    def static(self, node):
        """The object a dotted global name refers to, or None if it is not one."""
        if isinstance(node, gast.Name) and node.id not in self.env:
            if node.id in primitives.NORMALIZED:
                return primitives.NORMALIZED[node.id]
            if node.id in self.parsed.namespace:
                return node.id, self.parsed.namespace[node.id]
            raise self.error(node, f'name `{node.id}` is not defined: define or import '
                               f'it before the derivative runs', UndefinedNameError)
        if isinstance(node, gast.Attribute):
            base = self.static(node.value)
            if base is not None and isinstance(base[1], (types.ModuleType, type)):
                try:
                    return f'{base[0]}.{node.attr}', getattr(base[1], node.attr)
                except AttributeError:
                    raise self.error(node, f'`{base[0]}` has no attribute `{node.attr}`') \
                        from None
        return None

    def expr_Attribute(self, node, hint):
        resolved = self.static(node)
        if resolved is not None:
            return self.global_atom(*resolved)
        obj = self.expr(node.value)
        return self.emit(prim(getattr), (obj, ir.Const(node.attr)), hint=hint)

    def expr_BinOp(self, node, hint):
        left, right = self.expr(node.left), self.expr(node.right)
        result = self.emit(prim(BINOPS[type(node.op)]), (left, right), hint=hint)
        if getattr(node, 'augmented', False):
            self.augmented.add(result.name)
        if getattr(node, 'augmented_item', False):
            self.augmented_items.add(result.name)
        return result

    def expr_UnaryOp(self, node, hint):
        operand = self.expr(node.operand)
        return self.emit(prim(UNARYOPS[type(node.op)]), (operand,), hint=hint)

    def compare(self, op, left, right, hint=None):
        if isinstance(op, (gast.In, gast.NotIn)):
            found = self.emit(prim(operator.contains), (right, left),
                              hint=None if isinstance(op, gast.NotIn) else hint)
            if isinstance(op, gast.NotIn):
                return self.emit(prim(operator.not_), (found,), hint=hint)
            return found
        return self.emit(prim(CMPOPS[type(op)]), (left, right), hint=hint)

    def expr_Compare(self, node, hint):
        left = self.expr(node.left)
        right = self.expr(node.comparators[0])
        result = self.compare(node.ops[0], left, right, hint if len(node.ops) == 1 else None)
        for op, comparator in zip(node.ops[1:], node.comparators[1:]):
            # a < b < c  is  (a < b) and (b < c), with b evaluated once.
            previous = right

            def rest(op=op, comparator=comparator, previous=previous):
                nonlocal right
                right = self.expr(comparator)
                return self.compare(op, previous, right)
            result = self.conditional(result, rest, lambda r=result: r, hint)
        return result

    def conditional(self, cond, then, orelse, hint=None):
        """An `If` whose branches compute `then()` / `orelse()`; returns its result."""
        env = self.env
        out = {}
        then_stmts, _ = self.sub_block(env, lambda: out.__setitem__('then', then()))
        else_stmts, _ = self.sub_block(env, lambda: out.__setitem__('else', orelse()))
        result = self.namer.fresh(hint) if hint else self.namer.temp()
        self.stmts.append(ir.If(cond, ir.Block(then_stmts, (out['then'],)),
                                ir.Block(else_stmts, (out['else'],)), (result,), self.line))
        return ir.Var(result)

    def expr_BoolOp(self, node, hint):
        first = self.expr(node.values[0])
        if len(node.values) == 1:
            return first
        rest = gast.BoolOp(op=node.op, values=node.values[1:])
        rest_value = lambda: self.expr(rest)  # noqa: E731 - evaluated lazily
        keep = lambda: first  # noqa: E731
        if isinstance(node.op, gast.And):
            return self.conditional(first, rest_value, keep, hint)
        return self.conditional(first, keep, rest_value, hint)

    def expr_IfExp(self, node, hint):
        cond = self.expr(node.test)
        return self.conditional(cond, lambda: self.expr(node.body),
                                lambda: self.expr(node.orelse), hint)

    def expr_Call(self, node, hint):
        func = node.func
        if isinstance(func, gast.Attribute) and self.static(func) is None:
            obj = self.expr(func.value)
            args, kwargs = self.call_arguments(node)
            return self.emit(prim(primitives.call_method), [obj, ir.Const(func.attr)] + args,
                             kwargs, hint)
        if isinstance(func, gast.Name) and isinstance(self.env.get(func.id), LocalFunction):
            return self.inline_local(self.env[func.id], node)
        if isinstance(func, gast.Lambda):  # `(lambda v: v * v)(x)`, as `map` makes
            return self.inline_local(LocalFunction(func, 'lambda'), node)
        resolved = self.static(func)
        if resolved is None:
            held = self.expr(func)
            args, kwargs = self.call_arguments(node)
            if isinstance(held, ir.Global):  # `act = np.tanh; act(x)`
                return self.emit(held, args, kwargs, hint)
            if isinstance(held, ir.Const) and not callable(held.value):
                raise self.error(node, f'`{held.value!r}` is not callable')
            if isinstance(held, ir.Const):
                return self.emit(_atom_of(held.value), args, kwargs, hint)
            # A parameter, `act = np.tanh if relu else np.sin`: `function_values`
            # calls the function once the kinds say which it is.
            return self.emit(prim(primitives.call_value), [held] + args, kwargs, hint)
        path, fn = resolved
        if isinstance(fn, types.FunctionType) and fn.__module__ != primitives.__name__ and \
                self.passes_local_function(node):
            if getattr(fn, primitives.FOLDS, False):  # `adjoint.grad(inner)`: made when compiling
                raise self.error(node, f'`{path}` of a function made in this function (a '
                                       f'lambda or a nested def) is not supported: adjoint '
                                       f'makes derivatives when it compiles, of functions '
                                       f'it can name; define that function at module level '
                                       f'and pass the values it reads as arguments')
            return self.inline_helper(fn, node)
        keyed = _KEYED.get(id(fn))
        if keyed is not None and keyed[0] is fn and \
                any(k.arg == 'key' for k in node.keywords):
            return self.inline_helper(keyed[1], self.keyed_call(node))
        if any(fn is builtin for builtin in _BY_NAME):
            raise self.error(node, f'`{path}()` reaches variables or attributes through '
                                   f'strings, which the derivative cannot follow: write '
                                   f'the expression or the assignment out in the code')
        passed_on = self.passed_on(node)
        if passed_on is not None:  # `inner(x, **options)` of a `**options` parameter
            args, kwargs = self.call_arguments(passed_on)
            options = self.expr(node.keywords[-1].value)
            return self.emit(prim(primitives.call_with),
                             [self.global_(path, fn), options] + args, kwargs, hint)
        args, kwargs = self.call_arguments(node)
        if fn is primitives.zip_list:
            rows = self.transposed(args)
            if rows is not None:
                return self.emit(prim(primitives.make_list), rows, hint=hint)
        if fn in (builtins.list, builtins.tuple) and len(args) == 1 and not kwargs and \
                isinstance(args[0], ir.Var) and self.made.get(args[0].name, (None,))[0] in (
                    primitives.make_tuple, primitives.make_list):
            # `list(args)` of a tuple built here: a list of its items, still of a known
            # length where it is spread (`f(*args)`).
            maker = primitives.make_list if fn is builtins.list else primitives.make_tuple
            return self.emit(prim(maker), self.items_of(args[0]), hint=hint)
        if fn is builtins.dict and not args:
            # `dict(a=x)` is `{'a': x}`, whose items the derivative follows (a rule
            # could give keyword arguments no cotangent).
            items = [atom for key, value in kwargs for atom in (ir.Const(key), value)]
            return self.emit(prim(primitives.make_dict), items, hint=hint)
        return self.emit(self.global_(path, fn), args, kwargs, hint)

    def call_arguments(self, node):
        """The positional atoms and `(name, atom)` keywords of a call. `f(*items)` and
        `f(**options)` spread a tuple, list or dict that this function builds (or a
        constant one): the IR calls with a known number of arguments."""
        args, kwargs = [], []
        for arg in node.args:
            if isinstance(arg, gast.Starred):
                args.extend(self.spread(arg.value, node, 'a tuple or list', '*'))
            else:
                args.append(self.expr(arg))
        for keyword in node.keywords:
            if keyword.arg is not None:
                kwargs.append((keyword.arg, self.expr(keyword.value)))
                continue
            items = self.spread(keyword.value, node, 'a dict', '**')
            if not all(isinstance(k, ir.Const) and isinstance(k.value, str) for k in items[::2]):
                raise self.error(node, '`**options` needs a dict with constant string keys')
            kwargs.extend((k.value, v) for k, v in zip(items[::2], items[1::2]))
        return args, kwargs

    def passed_on(self, call):
        """`call` without its last keyword, if that is `**options` of a dict not
        built in this function (a parameter), which `packing` spreads; else None."""
        if not call.keywords or call.keywords[-1].arg is not None:
            return None
        value = call.keywords[-1].value
        if isinstance(value, gast.Name) and value.id in self.env:
            atom = self.env[value.id]
            if isinstance(atom, ir.Var) and atom.name not in self.made:
                return gast.Call(func=call.func, args=call.args, keywords=call.keywords[:-1])
        return None

    def items_of(self, atom):
        """The items of a tuple, list or dict (keys and values alternating) built in
        this function. A list's and a dict's are read from it (`xs[0]`), not taken
        from where it was built: a write through another name (`ys = xs; ys[0] =
        v`) changes them, and the alias checks see a read of `xs` after it."""
        maker, items = self.made[atom.name]
        if maker is primitives.make_tuple:
            return list(items)
        if maker is primitives.make_list:
            reads = [self.emit(prim(operator.getitem), (atom, ir.Const(k)))
                     for k in range(len(items))]
            for read, item in zip(reads, items):  # the same object: built as it was
                if isinstance(item, ir.Var) and item.name in self.made:
                    self.made[read.name] = self.made[item.name]
            return reads
        keys = items[::2]
        return [a for key in keys for a in (key, self.emit(prim(operator.getitem), (atom, key)))]

    def transposed(self, sequences):
        """The tuples `zip(*sequences)` yields, where each sequence is built in this
        function (or constant), so its items are known; else None."""
        columns = []
        for atom in sequences:
            made = self.made.get(atom.name) if isinstance(atom, ir.Var) else None
            if made is not None and made[0] in (primitives.make_tuple, primitives.make_list):
                columns.append(self.items_of(atom))
            elif isinstance(atom, ir.Const) and isinstance(atom.value, (tuple, list)):
                columns.append([ir.Const(v) for v in atom.value])
            else:
                return None
        if not columns:
            return []
        return [self.emit(prim(primitives.make_tuple), [column[k] for column in columns])
                for k in range(min(map(len, columns)))]

    def spread(self, node, call, what, stars):
        """The items of the container `*node` or `**node` spreads into `call`."""
        makers = (primitives.make_dict,) if what == 'a dict' else \
            (primitives.make_tuple, primitives.make_list)
        value = self.expr(node)
        made = self.made.get(value.name) if isinstance(value, ir.Var) else None
        if made is not None and made[0] in makers:
            return self.items_of(value)
        if isinstance(value, ir.Const) and what != 'a dict' and \
                isinstance(value.value, (tuple, list)):
            return [ir.Const(v) for v in value.value]
        shown = stars + ast.unparse(gast.gast_to_ast(node))
        raise self.error(call, f'`{shown}` in a call needs {what} built in this function, '
                               f'so that the arguments are known when it is compiled: pass '
                               f'them one by one, or build {what} here')

    def passes_local_function(self, call):
        """Whether `call` passes a lambda or a local def as an argument."""
        values = list(call.args) + [k.value for k in call.keywords]
        return any(isinstance(v, gast.Lambda) or (isinstance(v, gast.Name) and
                   isinstance(self.env.get(v.id), LocalFunction)) for v in values)

    def local_argument(self, node):
        """The atom of an argument, or the LocalFunction a lambda or local def
        passes, with the variables it reads now."""
        if isinstance(node, gast.Lambda):
            return LocalFunction(node, 'lambda', dict(self.env), self.parsed)
        if isinstance(node, gast.Name) and isinstance(self.env.get(node.id), LocalFunction):
            local = self.env[node.id]
            return local if local.env is not None else \
                LocalFunction(local.node, local.name, dict(self.env), self.parsed)
        if isinstance(node, gast.Starred):
            raise self.error(node, 'a call that passes a lambda or a local function '
                                   'cannot also spread `*items`: pass them one by one')
        return self.expr(node)

    def keyed_call(self, node):
        """`sorted`, `max` or `min` with a `key=` as the call of its `keyed.py`
        helper: `max(a, b, key=f)` passes `[a, b]`."""
        if any(k.arg == 'default' for k in node.keywords):
            raise self.error(node, '`default=` with `key=` is not supported: test for an '
                                   'empty sequence first (`max(xs, key=f) if xs else d`)')
        if len(node.args) > 1:
            if any(isinstance(a, gast.Starred) for a in node.args):
                raise self.error(node, 'a call with `key=` cannot also spread `*items`: '
                                       'pass a list of them')
            items = gast.List(elts=list(node.args), ctx=gast.Load())
            return gast.Call(func=node.func, args=[items], keywords=node.keywords)
        return node

    def inline_helper(self, fn, call):
        """A module-level function given a lambda or a local def: its body,
        flattened here with its parameters bound (a function value it calls is
        then the lambda, inlined in turn). It reads its own module's globals; its
        statements count as the call's line."""
        if self._inlining > 16:
            raise self.error(call, f'`{fn.__name__}` is given a function and calls '
                                   f'itself too deeply to be inlined')
        parsed = parse.parse_function(fn)
        node = normalize.normalize(parsed)
        args = [self.local_argument(a) for a in call.args]
        keywords = {k.arg: self.local_argument(k.value) for k in call.keywords
                    if k.arg is not None}
        if len(keywords) != len(call.keywords):
            raise self.error(call, 'a call that passes a lambda or a local function '
                                   'cannot also spread `**options`: pass them by name')
        params = [a.id for a in node.args.args]
        kwonly = [a.id for a in node.args.kwonlyargs]
        if len(args) > len(params):
            raise self.error(call, f'`{fn.__name__}` takes {len(params)} positional '
                                   f'arguments, and is given {len(args)}')
        bound = dict(zip(params, args))
        first_default = len(params) - len(parsed.defaults)
        for k, name in enumerate(params + kwonly):
            if name in bound:
                if name in keywords:
                    raise self.error(call, f'`{fn.__name__}` is given `{name}` twice')
                continue
            if name in keywords:
                bound[name] = keywords.pop(name)
            elif k < len(params) and k >= first_default:
                bound[name] = _atom_of(parsed.defaults[k - first_default])
            elif k >= len(params) and name in parsed.kwdefaults:
                bound[name] = _atom_of(parsed.kwdefaults[name])
            else:
                raise self.error(call, f'`{fn.__name__}` is missing the argument `{name}`')
        if keywords:
            raise self.error(call, f'`{fn.__name__}` takes no argument '
                                   f'`{sorted(keywords)[0]}`')
        self.loop_reads.update(names_read_later(node))
        saved = self.env, self.parsed, self.line, self.inlined_line
        self.env, self.parsed = bound, parsed
        self.inlined_line = saved[3] or self.line
        self._inlining = self._inlining + 1
        try:
            *body, ret = node.body
            self.statements(body)
            self.line = self.inlined_line
            return self.expr(ret.value) if ret.value is not None else ir.Const(None)
        finally:
            self.env, self.parsed, self.line, self.inlined_line = saved
            self._inlining -= 1

    def inline_local(self, local, call):
        """The body of a local function, with its parameters bound to the call's
        arguments, flattened into the current block."""
        if self._inlining > 16:
            raise self.error(call, f'the local function `{local.name}` calls itself; '
                                   f'define recursive functions at module level')
        params = [a.id for a in local.node.args.args]
        defaults = local.node.args.defaults
        args, keywords = self.call_arguments(call)
        kwargs = dict(keywords)
        bound = dict(zip(params, args))
        for k, name in enumerate(params):
            if name in bound:
                continue
            if name in kwargs:
                bound[name] = kwargs.pop(name)
            elif k >= len(params) - len(defaults):
                bound[name] = self.expr(defaults[k - (len(params) - len(defaults))])
            else:
                raise self.error(call, f'`{local.name}` is missing the argument `{name}`')
        if kwargs or len(args) > len(params):
            raise self.error(call, f'`{local.name}` does not take these arguments')
        saved_env, saved_line, saved_parsed = self.env, self.line, self.parsed
        self.env = {**(self.env if local.env is None else local.env), **bound}
        self.parsed = local.parsed or self.parsed
        self._inlining = self._inlining + 1
        try:
            if isinstance(local.node, gast.Lambda):
                return self.expr(local.node.body)
            *body, ret = local.node.body
            self.statements(body)
            self.line = self.inlined_line or ret.lineno
            return self.expr(ret.value) if ret.value is not None else ir.Const(None)
        finally:
            self.env, self.line, self.parsed = saved_env, saved_line, saved_parsed
            self._inlining -= 1

    def expr_Subscript(self, node, hint):
        value = self.expr(node.value)
        index = self.index(node.slice)
        return self.emit(prim(operator.getitem), (value, index), hint=hint)

    def index(self, node):
        if isinstance(node, gast.Slice):
            parts = [self.bound(p) for p in (node.lower, node.upper, node.step)]
            if all(isinstance(p, ir.Const) for p in parts):
                return ir.Const(slice(*(p.value for p in parts)))
            return self.emit(ir.Global('slice', builtins.slice), parts)
        if isinstance(node, gast.Tuple):
            parts = [self.index(e) for e in node.elts]
            if all(isinstance(p, ir.Const) for p in parts):
                return ir.Const(tuple(p.value for p in parts))
            return self.emit(prim(primitives.make_tuple), parts)
        return self.expr(node)

    def bound(self, node):
        """A slice bound: `x[:-1]` is a constant slice, as `x[1:]` is, though `-1`
        is the expression `-(1)`; so both reads are constants that later passes
        compare, merge and index with (`bx[:-1] += g`)."""
        if node is None:
            return ir.Const(None)
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)) \
                and isinstance(node.operand, gast.Constant) and \
                type(node.operand.value) is int:
            value = node.operand.value
            return ir.Const(-value if isinstance(node.op, gast.USub) else value)
        return self.expr(node)

    def expr_Tuple(self, node, hint):
        items = [self.expr(e) for e in node.elts]
        return self.emit(prim(primitives.make_tuple), items, hint=hint)

    def expr_Dict(self, node, hint):
        if any(k is None for k in node.keys):
            raise self.error(node, '`**` in a dict literal is not supported: write '
                                   'the keys out, or build the dict with assignments')
        items = []
        for key, value in zip(node.keys, node.values):
            items += [self.expr(key), self.expr(value)]
        return self.emit(prim(primitives.make_dict), items, hint=hint)

    def expr_List(self, node, hint):
        items = [self.expr(e) for e in node.elts]
        return self.emit(prim(primitives.make_list), items, hint=hint)


def _atom_of(value):
    """The atom of a helper's default value: a function is called by what it is."""
    if callable(value) and not isinstance(value, type):
        return ir.Global(getattr(value, '__name__', 'function'), value)
    return ir.Const(value)


def _array_subclass(value):
    """Whether a global is an object of a subclass of np.ndarray (np.matrix, a
    masked array); told by name, as the compiler does not import NumPy."""
    return any(c.__module__ == 'numpy' and c.__name__ == 'ndarray'
               for c in type(value).__mro__[1:])
