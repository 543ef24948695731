"""emit: IR -> readable Python source, and the namespace that source runs in.

Requires: an `ir.Function` (after `optimize`).
Ensures: `Emitted(source, namespace)`: one operation a line, the user's variable
names (see `naming.py`), a comment before each group of lines naming the source
line it comes from, loops and branches as Python loops and branches, and merges
as parallel tuple assignments (`a, b = b, a`) where names differ. Expressions
are printed by the standard library's `ast.unparse`. `Emitted.lines` maps each
generated line back to its source line, for tracebacks (`errors.user_location`).
"""

import ast
import operator
from dataclasses import dataclass

from transforms.analysis.release import releases
from transforms.backend.emit_expressions import ExpressionPrinter, is_syntax
from transforms.backend.naming import is_temporary, python_names, stored_values
from transforms.core import ir, primitives, substitute

INDENT = '    '


# Writes into an adjoint buffer, `buffer[index] op value` (index_clear writes 0.0).
_BUFFER_WRITES = {primitives.index_add: '+=', primitives.index_set: '=',
                  primitives.index_clear: '='}


@dataclass(frozen=True)
class Emitted:
    """Generated source, the name of its function, and the globals it reads."""

    source: str
    name: str
    namespace: dict
    origin: str = None  # the file of the source lines its comments name
    # The line of `origin` each generated line comes from (None for the `def`
    # and the final `return`): `lines[k]` is that of generated line k + 1.
    lines: tuple = ()


def emit(fn, defaults=(), kwdefaults=None, kinds=None):
    """Python source for `fn`.

    Args:
        fn: the function to print.
        defaults: values of its positional parameters' defaults, in order.
        kwdefaults: {name: value} of its keyword-only parameters' defaults.
        kinds: {name: kind} of its values, if known: arrays no longer needed are
            then deleted after each group of lines (`release.py`).
    """
    printer = _Printer(fn, defaults, kwdefaults or {}, kinds or {})
    source = printer.source()
    return Emitted(source, printer.fn_name, printer.namespace, fn.filename,
                   printer.line_table())


class _Printer(ExpressionPrinter):
    def __init__(self, fn, defaults, kwdefaults, kinds):
        self.fn = fn
        self.defaults = defaults
        self.kwdefaults = kwdefaults
        self.namespace = {}
        self.global_names = {}  # (root name, id(root)) -> emitted root name
        self.dotted_names = {}  # dotted name -> its `ast` node (see `dotted`)
        roots = [g for g in _globals(fn)]
        for g in roots:
            self.global_name(g)
        self.names = python_names(fn, reserved=set(self.namespace))
        self.releases = releases(fn, kinds, self.names)
        self.released = None  # the Python names `releases` deletes, once asked for
        self.stored = stored_values(fn)  # never updated in place (see `mutation`)
        self.uses = substitute.uses_of(fn.body.stmts, fn.body.yields)
        self.used = set(self.uses)
        self.fn_name = fn.name
        self.lines = []  # (text, the source line it comes from)
        self.origin_line = None  # the source line of the statement being printed
        self.last_comment = {}

    # ------------------------------------------------------------ names

    def global_name(self, g):
        key = (g.root_name, id(g.root_value))
        if key not in self.global_names:
            name, k = g.root_name, 0
            # The generated function's own name is bound to it when it runs: a
            # callee's `loss_forward` called from `loss_forward` needs another.
            while name == self.fn.name or \
                    (name in self.namespace and self.namespace[name] is not g.root_value):
                k += 1
                name = f'{g.root_name}_{k}'
            self.namespace[name] = g.root_value
            self.global_names[key] = name
        root = self.global_names[key]
        return root + g.path[len(g.root_name):]

    def name(self, ssa_name):
        return self.names.get(ssa_name, ssa_name)

    # ------------------------------------------------------------ statements

    def out(self, depth, text):
        self.lines.append((INDENT * depth + text, self.origin_line))

    def line_table(self):
        """The source line of each generated line (`Emitted.lines`)."""
        return tuple(line for text, line in self.lines for _ in range(text.count('\n') + 1))

    def comment(self, stmt, depth):
        """`# line N: source` when a statement starts a new group of lines."""
        if not stmt.line:
            return
        key = (stmt.line, stmt.adjoint)
        if self.last_comment.get(depth) == key:
            return
        self.last_comment[depth] = key
        text = (self.fn.source_line(stmt.line) or '').strip()
        prefix = 'adjoint of line' if stmt.adjoint else 'line'
        self.out(depth, f'# {prefix} {stmt.line}: {text}'.rstrip())

    def assign(self, depth, targets, values):
        """A parallel assignment, leaving out `x = x`."""
        pairs = [(t, v) for t, v in zip(targets, values)
                 if not (isinstance(v, ir.Var) and self.name(v.name) == t)]
        if not pairs:
            return
        lhs = ', '.join(t for t, _ in pairs)
        rhs = ', '.join(ast.unparse(self.atom(v)) for _, v in pairs)
        self.out(depth, f'{lhs} = {rhs}')

    def block(self, block, depth, releases=None):
        """Print a block; `releases` ({index: names}, see `release.py`) for the body."""
        stmts = list(block.stmts)
        k = 0
        # A statement of no line of its own (`scalar_seed`) comes from the one
        # before it, as it reads under that one's comment; lines a compound
        # statement prints after its regions (`else:`, the yields) come from it.
        enclosing = current = self.origin_line
        while k < len(stmts):
            stmt = stmts[k]
            used = 1
            self.origin_line = current = stmt.line or current
            if not isinstance(stmt, ir.Hook):  # outside differentiation, nothing
                self.comment(stmt, depth)
                unpacked = self.unpacking(stmts, k)
                if unpacked:
                    self.out(depth, f'{unpacked[0]} = {ast.unparse(self.expression(stmt))}')
                    used = unpacked[1]
                elif self.tested_by_assert(stmts, k):
                    self.comment(stmts[k + 1], depth)
                    self.out(depth, self.assertion(stmts[k + 1], self.expression(stmt)))
                    used = 2
                elif isinstance(stmt, ir.Let) and stmt.fn.value is primitives.raise_error:
                    self.out(depth, 'raise ' + ' from '.join(
                        ast.unparse(self.atom(a)) for a in stmt.args))
                else:
                    assertion = self.assertion(stmt)
                    if assertion:
                        self.out(depth, assertion)
                    else:
                        getattr(self, 'visit_' + type(stmt).__name__)(stmt, depth)
            if releases:
                self.release(releases, range(k, k + used), depth)
            k += used
        self.origin_line = enclosing
        return block

    def release(self, releases, indices, depth):
        """`del a, b` for the arrays no longer needed after these statements."""
        free = [name for k in indices for name in releases.get(k, ())]
        if free:
            self.out(depth, f'del {", ".join(free)}')

    def unpacking(self, stmts, k):
        """`a, b = f(x)` for a call returning a tuple of known length whose items
        are read right after it and nowhere else: (targets, statements used)."""
        stmt = stmts[k]
        arity = getattr(getattr(stmt, 'fn', None) and stmt.fn.value, 'arity', None)
        if not isinstance(stmt, ir.Let) or arity is None or stmt.target is None:
            return None
        items = {}
        for later in stmts[k + 1:k + 1 + arity]:
            if not (isinstance(later, ir.Let) and later.fn.value is operator.getitem and
                    later.args[0] == ir.Var(stmt.target) and
                    isinstance(later.args[1], ir.Const)):
                break
            items[later.args[1].value] = self.name(later.target)
        if not items or self.uses.get(stmt.target, 0) != len(items):
            return None
        names = [items.get(j, '_') for j in range(arity)]
        targets = ', '.join(names) + (',' if arity == 1 else '')  # `bx, = f()`
        return targets, 1 + len(items)

    def assertion(self, stmt, test=None):
        """The `assert` statement that `stmt` is, or None: an `assert_true`, or the
        `if not test:` that computes its message only when the test fails (see
        `ssa.visit_Assert`) if the message's operations nest into one expression,
        which Python too computes only then. `test` prints the test, if given."""
        check, message = stmt, None
        if isinstance(stmt, ir.If):
            check = stmt.orelse.stmts[-1] if stmt.orelse.stmts else None
            if stmt.results or stmt.then.stmts or not _is_assert(check) or \
                    check.args[0] != stmt.cond or len(check.args) < 2:
                return None
            message = self.nested(stmt.orelse.stmts[:-1], check.args[1])
            if message is None:
                return None
        elif not _is_assert(stmt):
            return None
        elif len(stmt.args) > 1:
            message = self.atom(stmt.args[1])
        parts = [test or self.atom(check.args[0])] + ([message] if message is not None else [])
        return 'assert ' + ', '.join(ast.unparse(p) for p in parts)

    def tested_by_assert(self, stmts, k):
        """Whether `stmts[k]` computes a temporary that only the `assert` after it
        reads, as its test: printed inside it, `assert x > 0.0`, as the user wrote."""
        stmt, after = stmts[k], stmts[k + 1] if k + 1 < len(stmts) else None
        if not (isinstance(stmt, ir.Let) and stmt.target is not None and
                is_temporary(stmt.target, self.fn.user_names) and
                stmt.fn.value not in primitives.MUTATING and
                stmt.fn.value not in _BUFFER_WRITES and self.assertion(after)):
            return False
        if self.released is None:  # found once: it was found for every `assert`
            self.released = {name for names in self.releases.values() for name in names}
        reads = substitute.uses_of((after,)).get(stmt.target, 0)
        return reads == self.uses.get(stmt.target) and \
            self.name(stmt.target) not in self.released and \
            substitute.uses_of(after.orelse.stmts[:-1] if isinstance(after, ir.If) else ()
                               ).get(stmt.target) is None

    def subscript(self, container, index):
        return ast.unparse(ast.Subscript(self.atom(container), self.atom(index), ast.Load()))

    def mutation(self, stmt, depth):
        """Statements that update a container in place; True if `stmt` is one."""
        fn, args = stmt.fn.value, stmt.args
        if fn in _BUFFER_WRITES:
            target = self.subscript(args[0], args[1])
            value = ast.unparse(self.atom(args[2])) if len(args) > 2 else '0.0'
            self.out(depth, f'{target} {_BUFFER_WRITES[fn]} {value}')
            return True
        if fn not in primitives.MUTATING:
            return False
        old = ast.unparse(self.atom(args[0]))
        new = self.name(stmt.target) if stmt.target is not None else old
        value = ast.unparse(self.atom(args[-1]))
        # In place when the old version is dead, unless a tape or container holds it.
        in_place = new == old and getattr(args[0], 'name', None) not in self.stored
        if fn is primitives.append:
            text = f'{old}.append({value})' if in_place else f'{new} = [*{old}, {value}]'
            self.out(depth, text)
            return True
        if fn is primitives.drop_last:
            self.out(depth, f'{old}.pop()' if in_place else f'{new} = {old}[:-1]')
            return True
        if not in_place:  # the old version is read later: write into a copy
            self.out(depth, f'{new} = {old}.copy()')
        self.out(depth, f'{self.subscript(ir.Var(stmt.target), args[1])} = {value}'
                 if stmt.target is not None else f'{self.subscript(args[0], args[1])} = {value}')
        return True

    def visit_Let(self, stmt, depth):
        if self.mutation(stmt, depth):
            return
        text = self.expression_text(stmt)
        if stmt.target is not None:
            text = f'{self.name(stmt.target)} = {text}'
        elif getattr(stmt.fn.value, 'updates_first_argument', False):
            # `bx = add_at(bx, i, g)`: a helper that updates its first argument in
            # place and returns it. The assignment changes nothing when this code
            # runs; when it is differentiated again, it makes the update a new
            # version of `bx` that the SSA construction sees.
            text = f'{ast.unparse(self.atom(stmt.args[0]))} = {text}'
        self.out(depth, text)

    def visit_If(self, stmt, depth):
        targets = [self.name(r) for r in stmt.results]
        cond = ast.unparse(self.atom(stmt.cond))
        start = len(self.lines)
        self.out(depth, f'if {cond}:')
        self.branch(stmt.then, targets, depth + 1)
        if stmt.orelse.stmts or any(self.name(getattr(y, 'name', '')) != t
                                    for y, t in zip(stmt.orelse.yields, targets)):
            if len(self.lines) == start + 2 and self.lines[-1][0].strip() == 'pass':
                # `if c: pass else: B` (e.g. the adjoint of `if c: break`) -> `if not c: B`
                del self.lines[start:]
                self.out(depth, f'if not {cond}:')
            else:
                self.out(depth, 'else:')
            self.branch(stmt.orelse, targets, depth + 1)

    def branch(self, block, targets, depth):
        self.last_comment.pop(depth, None)
        start = len(self.lines)
        self.block(block, depth)
        self.assign(depth, targets, block.yields)
        if len(self.lines) == start:
            self.out(depth, 'pass')

    def enter_loop(self, stmt, depth):
        carried = [self.name(c) for c in stmt.carried]
        self.assign(depth, carried, stmt.inits)
        return carried

    def leave_loop(self, stmt, carried, depth):
        used = [(r, c) for r, c in zip(stmt.results, stmt.carried) if r in self.used]
        self.assign(depth, [self.name(r) for r, _ in used], [ir.Var(c) for _, c in used])

    def loop_body(self, block, carried, depth):
        self.last_comment.pop(depth, None)
        start = len(self.lines)
        self.block(block, depth)
        self.assign(depth, carried, block.yields)
        if len(self.lines) == start:
            self.out(depth, 'pass')

    def visit_For(self, stmt, depth):
        carried = self.enter_loop(stmt, depth)
        bounds = [stmt.start, stmt.stop, stmt.step]
        if stmt.step == ir.Const(1):
            bounds = bounds[:2] if stmt.start != ir.Const(0) else bounds[1:2]
        rng = f'range({", ".join(ast.unparse(self.atom(b)) for b in bounds)})'
        if stmt.reverse:
            rng = f'reversed({rng})'
        self.out(depth, f'for {self.name(stmt.index)} in {rng}:')
        self.loop_body(stmt.body, carried, depth + 1)
        self.leave_loop(stmt, carried, depth)

    def visit_While(self, stmt, depth):
        carried = self.enter_loop(stmt, depth)
        condition = self.inline_test(stmt.test)
        if condition is not None:
            self.out(depth, f'while {condition}:')
        else:
            self.out(depth, 'while True:')
            self.block(stmt.test, depth + 1)
            self.out(depth + 1, f'if not {ast.unparse(self.atom(stmt.test.yields[0]))}:')
            self.out(depth + 2, 'break')
        self.loop_body(stmt.body, carried, depth + 1)
        self.leave_loop(stmt, carried, depth)

    def inline_test(self, test):
        """The loop condition as one expression, if its statements nest into one."""
        condition = self.nested(test.stmts, test.yields[0])
        return None if condition is None else ast.unparse(condition)

    def nested(self, stmts, atom):
        """The expression of `atom` with the operations `stmts` nested into it, if
        none of the values they compute is read twice by them (else None)."""
        exprs = {}
        for stmt in stmts:
            if not isinstance(stmt, ir.Let) or stmt.target is None:
                return None
            exprs[stmt.target] = stmt
        if not stmts:
            return self.atom(atom)
        counts = substitute.uses_of(stmts)
        if any(counts.get(t, 0) > 1 for t in exprs):
            return None
        saved = self.atom

        def nested_atom(a):
            if isinstance(a, ir.Var) and a.name in exprs:
                return self.expression(exprs[a.name])
            return saved(a)
        self.atom = nested_atom
        try:
            return nested_atom(atom)
        finally:
            self.atom = saved

    # ------------------------------------------------------------ function

    def signature(self):
        parts, keyword_only = [], False
        for p in self.fn.params:
            if p.kind == 'keyword_only' and not keyword_only:
                parts.append('*')
                keyword_only = True
            text = p.name
            if p.default is not None:
                value = self.defaults[p.default] if p.kind == 'positional' \
                    else self.kwdefaults[p.name]
                text += '=' + ast.unparse(self.constant(value))
            parts.append(text)
        return ', '.join(parts)

    def source(self):
        self.out(0, f'def {self.fn_name}({self.signature()}):')
        if self.fn.doc:
            self.out(1, f'"""{self.fn.doc}"""')
        self.block(ir.Block(self.fn.body.stmts), 1, self.releases)
        self.out(1, f'return {ast.unparse(self.atom(self.fn.returns))}')
        return '\n'.join(text for text, _ in self.lines) + '\n'


def _is_assert(stmt):
    return isinstance(stmt, ir.Let) and stmt.fn.value is primitives.assert_true


def _globals(fn):
    """Every `ir.Global` the function refers to, as callee or atom."""
    found = []
    for stmt in ir.walk(fn.body):
        if isinstance(stmt, ir.Let) and not is_syntax(stmt.fn.value):
            found.append(stmt.fn)
        atoms = list(ir.stmt_uses(stmt))
        for region in ir.regions(stmt):
            atoms.extend(region.yields)
        found.extend(a for a in atoms if isinstance(a, ir.Global))
    found.extend(a for a in fn.body.yields if isinstance(a, ir.Global))
    return found
