"""ssa: a normalized function -> the structured SSA IR.

Requires: a FunctionDef from `normalize` (one final `return`, `for` over ranges).
Ensures: an `ir.Function` in which every value is assigned once, expressions are
flattened to one operation a statement, operators are calls of `operator.*`,
globals are resolved to the objects they name, branches yield the values that
differ between them and loops carry the values they change. A variable first
assigned inside a loop and read after it (or in its next iteration) is carried
from `UNBOUND`, and checked where it is read (`check_bound`): after a loop that
ran no iteration, reading it raises UnboundLocalError, as in Python.
"""

import operator

import gast

from transforms.core import ir, primitives
from transforms.core.errors import GENERATED_FILES, UndefinedNameError, UnsupportedSyntaxError
from transforms.core.names import Namer
from transforms.core.verify import checked
from transforms.frontend import parse
from transforms.frontend.branch_values import export_branch_values
from transforms.frontend.loop_reads import LoopReads, names_read_later
from transforms.frontend.ssa_expressions import Expressions
from transforms.frontend.ssa_values import (TEMP, UNSUPPORTED_HINT, UNSUPPORTED_HINTS,
                                            LocalFunction, MaybeUnbound, Undefined, prim, unmarked)


@checked
def build(node, parsed):
    """Build the IR of a normalized FunctionDef."""
    names = {n.id for n in parse.nodes(node) if isinstance(n, gast.Name)}
    # Generated code writes UNBOUND out where a loop may leave a name unbound: a
    # name it reads after a loop that assigned it is another value of the name,
    # assigned on the path that reads it (see `Undefined.branches`).
    reads = {} if parsed.filename in GENERATED_FILES else names_read_later(node)
    builder = _Builder(parsed, Namer(names), reads)
    params = []
    positional = node.args.args
    n_defaults = len(node.args.defaults)
    for k, arg in enumerate(positional):
        default = k - (len(positional) - n_defaults)
        params.append(ir.Param(arg.id, 'positional', default if default >= 0 else None))
    for arg in node.args.kwonlyargs:
        default = arg.id if arg.id in parsed.kwdefaults else None
        params.append(ir.Param(arg.id, 'keyword_only', default))
    for p in params:
        builder.namer.taken.add(p.name)
        builder.env[p.name] = ir.Var(p.name)
    *body, ret = node.body
    builder.statements(body)
    builder.line = ret.lineno
    value = builder.expr(ret.value) if ret.value is not None else ir.Const(None)
    block = ir.Block(tuple(builder.stmts), (value,))
    fn = ir.Function(node.name, tuple(params), block, parsed.filename, parsed.source_lines,
                     user_names=frozenset(names), augmented=frozenset(builder.augmented),
                     augmented_items=frozenset(builder.augmented_items))
    return export_branch_values(fn, builder.namer)


def _stored_names(stmts):
    """Names assigned (or deleted) anywhere in these statements, nested blocks
    included, counting `x[i] = v` and `x.append(v)`, which make a new version of `x`."""
    out = []
    for stmt in stmts:
        for node in gast.walk(stmt):
            if isinstance(node, gast.Name) and isinstance(node.ctx, (gast.Store, gast.Del)):
                out.append(node.id)
            elif isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store) \
                    and isinstance(node.value, gast.Name):
                out.append(node.value.id)
            elif isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) \
                    and node.func.attr in ('append', 'pop') and \
                    isinstance(node.func.value, gast.Name):
                out.append(node.func.value.id)
    return list(dict.fromkeys(out))


class _Builder(Expressions):
    """Walks statements, keeping the current SSA value of each user variable."""

    def __init__(self, parsed, namer, loop_reads):
        self.parsed = parsed
        self.namer = namer
        self.loop_reads = loop_reads  # id(loop) -> LoopReads (see `loop_reads.py`)
        self.env = {}
        self.stmts = []
        self.line = 0
        self.inlined_line = None  # the line calling the helper being inlined, if any
        self._inlining = 0  # how deeply local functions and helpers are inlined
        self.made = {}  # name of a tuple, list or dict literal -> (maker, items)
        self.augmented = set()  # values of augmented assignments (`ir.Function`)
        self.augmented_items = set()

    # ------------------------------------------------------------ helpers

    def error(self, node, message, cls=UnsupportedSyntaxError):
        line = getattr(node, 'lineno', None) or self.line
        return cls(message, self.parsed.filename, line, self.parsed.source_lines.get(line))

    def emit(self, fn, args, kwargs=(), hint=None):
        target = self.namer.fresh(hint) if hint else self.namer.temp()
        self.stmts.append(ir.Let(target, fn, tuple(args), tuple(kwargs), self.line))
        if fn.value in (primitives.make_tuple, primitives.make_list, primitives.make_dict):
            self.made[target] = (fn.value, tuple(args))  # what `f(*items)` spreads
        return ir.Var(target)

    def sub_block(self, env, visit):
        """Run `visit()` in a fresh block with `env`; return (stmts, env after)."""
        saved = self.stmts, self.env
        self.stmts, self.env = [], dict(env)
        try:
            visit()
            return tuple(self.stmts), self.env
        finally:
            self.stmts, self.env = saved

    # ------------------------------------------------------------ statements

    def statements(self, stmts):
        for stmt in stmts:
            # A helper inlined here (`inline_helper`) is at the line that calls it.
            self.line = self.inlined_line or stmt.lineno
            visit = getattr(self, 'visit_' + type(stmt).__name__, None)
            if visit is None:
                what = type(stmt).__name__
                raise self.error(stmt, f'`{what}` statements are not supported in a '
                                       f'differentiated function: '
                                       f'{UNSUPPORTED_HINTS.get(what, UNSUPPORTED_HINT)}')
            visit(stmt)

    def visit_FunctionDef(self, node):
        self.env[node.name] = LocalFunction(node, node.name)

    def visit_Delete(self, node):
        """`del x` (generated code releases arrays so): reading `x` after it is an
        error, as in Python; the values themselves are unchanged."""
        for target in node.targets:
            if not isinstance(target, gast.Name):
                raise self.error(node, '`del` is supported for names only: to drop an '
                                       'item, build a new list or dict without it')
            if target.id not in self.env or isinstance(self.env[target.id], Undefined):
                raise self.error(target, f'name `{target.id}` is not defined here',
                                 UndefinedNameError)
            if isinstance(self.env[target.id], MaybeUnbound):
                self.check_bound(target.id)
            self.env[target.id] = Undefined(f'it is deleted on line {node.lineno}')

    def visit_With(self, node):
        """Only `with adjoint.insert_grad_of(x) as g:` (a hook on the adjoint of x)."""
        item = node.items[0] if len(node.items) == 1 else None
        call = getattr(item, 'context_expr', None)
        fn = self.static(call.func) if isinstance(call, gast.Call) else None
        if fn is None or not getattr(fn[1], '__adjoint_hook__', False) or \
                not isinstance(item.optional_vars, gast.Name) or len(call.args) != 1:
            raise self.error(node, '`with` is supported only as `with '
                                   'adjoint.insert_grad_of(x) as g:`')
        value = self.expr(call.args[0])
        user_grad = item.optional_vars.id
        grad = self.namer.fresh(user_grad)
        env = {**self.env, user_grad: ir.Var(grad)}
        stmts, env_after = self.sub_block(env, lambda: self.statements(node.body))
        body = ir.Block(stmts, (env_after[user_grad],))
        self.stmts.append(ir.Hook(value, grad, body, self.inlined_line or node.lineno))

    def visit_Assign(self, node):
        if len(node.targets) == 1 and isinstance(node.targets[0], gast.Name) and \
                isinstance(node.value, gast.Lambda):
            self.env[node.targets[0].id] = LocalFunction(node.value, node.targets[0].id)
            return
        if len(node.targets) == 1 and isinstance(node.targets[0], gast.Name) and \
                self._is_pop(node.value):
            # v = xs.pop(): v = xs[-1], then a new version of xs without it.
            items_name = node.value.func.value.id
            items = self.expr(node.value.func.value)
            self.env[node.targets[0].id] = self.emit(
                prim(operator.getitem), (items, ir.Const(-1)), hint=node.targets[0].id)
            self.env[items_name] = self.emit(prim(primitives.drop_last), (items,),
                                             hint=items_name)
            return
        if len(node.targets) == 1 and isinstance(node.targets[0], gast.Name):
            name = node.targets[0].id
            value = self.expr(node.value, hint=name)
            last = self.stmts[-1] if self.stmts else None
            if isinstance(value, ir.Var) and isinstance(last, ir.Let) and \
                    last.target == value.name and TEMP.match(value.name) and \
                    value.name not in self.namer.reserved:
                # `h = act(z)` for an inlined local function: the result keeps `h`.
                value = ir.Var(self.namer.fresh(name))
                self.stmts[-1] = ir.replace(last, target=value.name)
            self.env[name] = value
            return
        if len(node.targets) == 1 and isinstance(node.targets[0], gast.Tuple) and \
                isinstance(node.value, gast.Tuple) and \
                len(node.value.elts) == len(node.targets[0].elts):
            values = [self.expr(v, hint=self._hint(t))
                      for t, v in zip(node.targets[0].elts, node.value.elts)]
            for target, value in zip(node.targets[0].elts, values):
                self.bind(target, value)
            return
        value = self.expr(node.value)
        for target in node.targets:
            self.bind(target, value)

    def _is_pop(self, value):
        return isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) \
            and value.func.attr == 'pop' and not value.args and not value.keywords \
            and isinstance(value.func.value, gast.Name) and value.func.value.id in self.env

    @staticmethod
    def _hint(target):
        return target.id if isinstance(target, gast.Name) else None

    def bind(self, target, value):
        if isinstance(target, gast.Name):
            self.env[target.id] = value
        elif isinstance(target, (gast.Tuple, gast.List)):
            if any(isinstance(elt, gast.Starred) for elt in target.elts):
                raise self.error(target, 'starred assignment is not supported: '
                                         'assign the items by index, or a slice')
            self.check_unpack(value, len(target.elts))
            for k, elt in enumerate(target.elts):
                item = self.emit(prim(operator.getitem), (value, ir.Const(k)),
                                 hint=self._hint(elt))
                self.bind(elt, item)
        elif isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name) \
                and target.value.id in self.env:
            # x[i] = v: a new version of x; emitted in place when the old one is dead.
            container = self.expr(target.value)
            index = self.index(target.slice)
            updated = self.emit(prim(primitives.setitem), (container, index, value),
                                hint=target.value.id)
            self.env[target.value.id] = updated
            made = self.made.get(container.name) if isinstance(container, ir.Var) else None
            if made is not None and made[0] is primitives.make_list and \
                    isinstance(index, ir.Const) and type(index.value) is int and \
                    -len(made[1]) <= index.value < len(made[1]):
                # `xs[0] = v` of a list built here: still of known length (`f(*xs)`).
                items = list(made[1])
                items[index.value] = value
                self.made[updated.name] = (primitives.make_list, tuple(items))
        else:
            raise self.error(target, 'assignment to this target is not supported: '
                                     'assign to a name, a tuple of names, or `x[i]` '
                                     'for a local `x`')

    def check_unpack(self, value, count):
        """`a, b = value` raises as in Python where `value` has not two items: a
        check, kept as an `assert` is, unless the items are known here (a tuple
        built in the function, a constant) or the code is generated (whose
        unpackings are of its own tuples)."""
        made = self.made.get(value.name) if isinstance(value, ir.Var) else None
        known = len(made[1]) if made is not None and made[0] in (
            primitives.make_tuple, primitives.make_list) else \
            len(value.value) if isinstance(value, ir.Const) and \
            isinstance(value.value, (tuple, list)) else None
        if known == count or self.parsed.filename in GENERATED_FILES:
            return
        self.stmts.append(ir.Let(None, prim(primitives.check_unpack),
                                 (value, ir.Const(count)), line=self.line))

    def visit_Expr(self, node):
        call = node.value
        if isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute) and \
                call.func.attr == 'append' and isinstance(call.func.value, gast.Name) and \
                call.func.value.id in self.env and len(call.args) == 1 and not call.keywords:
            # xs.append(v): a new version of xs, appended in place when possible.
            name = call.func.value.id
            items, value = self.expr(call.func.value), self.expr(call.args[0])
            self.env[name] = self.emit(prim(primitives.append), (items, value), hint=name)
            return
        before = len(self.stmts)
        self.expr(node.value)
        last = self.stmts[-1] if len(self.stmts) > before else None
        if isinstance(last, ir.Let):  # kept for its effect, e.g. print(x)
            self.stmts[-1] = ir.replace(last, target=None)

    def visit_Assert(self, node):
        """`assert test, message`: an operation of the primal with no result, which
        no pass removes, so the derivative raises where the function raises. The
        message is computed only when the test fails, as in Python: under
        `if not test:` unless it is a constant or a name."""
        test = self.expr(node.test)
        check = prim(primitives.assert_true)
        if node.msg is None:
            self.stmts.append(ir.Let(None, check, (test,),
                                     line=self.inlined_line or node.lineno))
            return
        message = []
        stmts, _ = self.sub_block(_on_branch(self.env, test, False),
                                  lambda: message.append(self.expr(node.msg)))
        failed = ir.Let(None, check, (test, message[0]),
                        line=self.inlined_line or node.lineno)
        if not stmts:
            self.stmts.append(failed)
            return
        self.stmts.append(ir.If(test, ir.Block(), ir.Block(stmts + (failed,)), (),
                                self.inlined_line or node.lineno))

    def visit_Raise(self, node):
        """`raise error` (`from cause`): an operation of the primal with no result,
        as an `assert` is, so the derivative raises where the function raises.
        The statements after it in its block never run, as in Python."""
        if node.exc is None:
            raise self.error(node, 'a bare `raise` re-raises the exception being '
                                   'handled, and a differentiated function handles none: '
                                   'raise an exception')
        args = (self.expr(node.exc),) + ((self.expr(node.cause),) if node.cause else ())
        self.stmts.append(ir.Let(None, prim(primitives.raise_error), args,
                                 line=self.inlined_line or node.lineno))

    def visit_If(self, node):
        test, body, orelse = node.test, node.body, node.orelse
        # `if not c: A else: B` is `if c: B else: A`: the emitted form of an `if`
        # whose first branch is empty, read back on the same condition as the
        # other `if`s on `c`.
        while isinstance(test, gast.UnaryOp) and isinstance(test.op, gast.Not):
            test, body, orelse = test.operand, orelse, body
        cond = self.expr(test)
        line = self.inlined_line or node.lineno
        then, env_then = self.sub_block(_on_branch(self.env, cond, True),
                                        lambda: self.statements(body))
        orelse, env_else = self.sub_block(_on_branch(self.env, cond, False),
                                          lambda: self.statements(orelse))
        self.line = line
        self.merge(cond, then, env_then, orelse, env_else, line)

    def merge(self, cond, then, env_then, orelse, env_else, line):
        """Append an `If` yielding the variables whose values differ by branch."""
        names, yields_then, yields_else, results = [], [], [], []
        for name in dict.fromkeys([*env_then, *env_else]):
            a, b = env_then.get(name), env_else.get(name)
            if a is b:  # unchanged by the `if` (bound or not)
                self.env[name] = a
                continue
            if a is None or b is None or isinstance(a, Undefined) or isinstance(b, Undefined):
                self.env[name] = Undefined(f'`{name}` is assigned in only one branch of '
                                           f'the `if` on line {line}; assign it before the '
                                           f'`if` or in both branches', _branches(cond, a, b))
                continue
            # Unbound after the `if` if it may be so after either branch.
            maybe = isinstance(a, MaybeUnbound) or isinstance(b, MaybeUnbound)
            a, b = unmarked(a), unmarked(b)
            if a == b:
                self.env[name] = MaybeUnbound(a) if maybe else a
                continue
            result = self.namer.fresh(name)
            names.append(name)
            yields_then.append(a)
            yields_else.append(b)
            results.append(result)
            self.env[name] = MaybeUnbound(ir.Var(result)) if maybe else ir.Var(result)
        self.stmts.append(ir.If(cond, ir.Block(then, tuple(yields_then)),
                                ir.Block(orelse, tuple(yields_else)), tuple(results), line))

    def _carried(self, body, reads, exclude=()):
        """Variables a loop body assigns that the loop carries: those bound before
        it, and those first assigned in it that may be read after it or in its
        next iteration (`reads`, see `loop_reads.py`); and the rest."""
        stored = _stored_names(body)
        carried = [n for n in stored if n not in exclude and (
            n in self.env and not isinstance(self.env[n], Undefined) or
            n not in self.env and n in reads.at_head)]
        fresh = [n for n in stored if n not in carried]
        return carried, fresh

    def _inits(self, carried):
        """The initial value of each carried variable: `UNBOUND` for one first
        assigned in the loop. Returns (inits, names that may be unbound)."""
        unbound = ir.Global('UNBOUND', primitives.UNBOUND)
        inits = tuple(unmarked(self.env[n]) if n in self.env else unbound for n in carried)
        maybe = {n for n in carried
                 if n not in self.env or isinstance(self.env[n], MaybeUnbound)}
        return inits, maybe

    def _loop_env(self, carried, fresh, maybe):
        """The environment at the start of a loop body: (env, carried values)."""
        env = _in_loop(self.env, fresh)
        params = []
        for name in carried:
            params.append(self.namer.fresh(name))
            env[name] = MaybeUnbound(ir.Var(params[-1])) if name in maybe \
                else ir.Var(params[-1])
        return env, tuple(params)

    def _loop_body(self, carried, fresh, maybe, body, index=None):
        """Build a loop body; return (block, carried values)."""
        env, params = self._loop_env(carried, fresh, maybe)
        if index is not None:
            env[index[0]] = ir.Var(index[1])
        stmts, env_after = self.sub_block(env, lambda: self.statements(body))
        yields = tuple(unmarked(env_after[n]) if not isinstance(env_after[n], Undefined)
                       else None for n in carried)
        if any(y is None for y in yields):
            raise self.error(body[0], 'a variable is assigned on only some paths of this '
                                      'loop body; assign it on every path')
        return ir.Block(stmts, yields), params

    def _bind_results(self, carried, inits, maybe, yields, unbound, line, kind):
        """Bind the loop's results; `unbound` are the names it leaves undefined.

        A result that starts `UNBOUND` is bound only after an iteration, and then
        equals any other result with the same next value."""
        results = [self.namer.fresh(name) for name in carried]
        for k, name in enumerate(carried):
            self.env[name] = ir.Var(results[k])
            if name not in maybe:
                continue
            same = None
            if isinstance(inits[k], ir.Global) and inits[k].value is primitives.UNBOUND:
                same = next((ir.Var(results[j]) for j, n in enumerate(carried)
                             if n not in maybe and yields[j] == yields[k]), None)
            self.env[name] = MaybeUnbound(ir.Var(results[k]), same)
        for name in unbound:
            if name not in self.env or isinstance(self.env[name], Undefined):
                self.env[name] = Undefined(f'`{name}` is assigned only inside the {kind} '
                                           f'loop on line {line}; assign it before the loop')
        return tuple(results)

    def visit_For(self, node):
        call, reverse = node.iter, False
        if call.func.id == 'reversed':
            call, reverse = call.args[0], True
        if call.keywords or not 1 <= len(call.args) <= 3:
            raise self.error(node, '`range` takes 1 to 3 positional arguments')
        args = [self.expr(a) for a in call.args]
        if len(args) == 1:
            args = [ir.Const(0)] + args
        if len(args) == 2:
            args.append(ir.Const(1))
        if not isinstance(node.target, gast.Name):
            raise self.error(node, 'a `for` over `range` must bind a single name')
        line = self.inlined_line or node.lineno
        user_index = node.target.id
        index = self.namer.fresh(user_index)
        reads = self.loop_reads.get(id(node), _NO_READS)
        carried, fresh = self._carried(node.body, reads, exclude=(user_index,))
        if user_index in reads.after and not isinstance(self.env.get(user_index), Undefined):
            carried.append(user_index)  # read after the loop: its last value (or before)
        else:
            self.env.pop(user_index, None)  # Python rebinds it: not its value before
            fresh.append(user_index)
        inits, maybe = self._inits(carried)
        body, params = self._loop_body(carried, fresh, maybe, node.body, (user_index, index))
        self.line = line
        results = self._bind_results(carried, inits, maybe, body.yields, fresh, line,
                                     '`for`')
        self.stmts.append(ir.For(index, *args, params, inits, body, results, reverse, line))

    def visit_While(self, node):
        line = self.inlined_line or node.lineno
        carried, fresh = self._carried(node.body, self.loop_reads.get(id(node), _NO_READS))
        inits, maybe = self._inits(carried)
        env, params = self._loop_env(carried, fresh, maybe)
        test_stmts, _ = self.sub_block(env, lambda: self._test(node.test))
        test = ir.Block(test_stmts[:-1], (test_stmts[-1],))
        stmts, env_after = self.sub_block(env, lambda: self.statements(node.body))
        yields = tuple(unmarked(env_after[n]) for n in carried)
        self.line = line
        results = self._bind_results(carried, inits, maybe, yields, fresh, line, '`while`')
        self.stmts.append(ir.While(params, inits, test, ir.Block(stmts, yields),
                                   results, line))

    def _test(self, node):
        # The condition atom is passed out as the block's last "statement".
        self.stmts.append(self.expr(node))


_NO_READS = LoopReads(frozenset(), frozenset())  # a loop `loop_reads` did not see


def _on_branch(env, cond, taken):
    """`env` inside branch `taken` of an `if` on `cond`: a name bound in the same
    branch of an earlier `if` on the same condition is bound here too."""
    return {name: value.on_branch(cond, taken) if isinstance(value, Undefined) else value
            for name, value in env.items()}


def _branches(cond, then, orelse):
    """`Undefined.branches` of a name bound as `then` and `orelse` (a value, an
    `Undefined`, or None when absent) in the two branches of an `if` on `cond`:
    each branch's value, and where both branches leave the name as some earlier
    `if` left it, what that `if` knew."""
    sides = ((True, then), (False, orelse))
    branches = {(cond.name, taken): value for taken, value in sides
                if value is not None and isinstance(cond, ir.Var)}
    if isinstance(then, Undefined) and isinstance(orelse, Undefined):
        branches.update({key: value for key, value in then.branches.items()
                         if orelse.branches.get(key) is value})
    return branches


def _in_loop(env, assigned):
    """`env` at the start of a loop body that assigns the names `assigned`
    without carrying them: one bound in a branch before the loop may hold the
    previous iteration's value instead, so no branch binds it any more."""
    return {name: Undefined(value.why) if name in assigned and isinstance(value, Undefined)
            else value for name, value in env.items()}
