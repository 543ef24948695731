"""verify: check the IR's invariants, naming the culprit when one fails.

Requires: an `ir.Function`.
Ensures: returns the function unchanged, or raises `InternalError` when
  - a statement is not one of `ir.Stmt`'s kinds, or an operand not an atom
    (`Var`, `Const`, `Global`), or a name not a string;
  - a value is defined twice (parameters, loop indices, carried values and a
    hook's gradient included);
  - a value is read before any definition of it in program order;
  - a value is read outside the region that defines it: a branch of an `if`
    reads a value its other branch defines (one of the two never runs); code
    after a loop reads a value defined inside it, its index or a carried value
    (the loop may run no times: its results are what follows reads); code
    outside a `while` test reads a value the test defines (it yields only its
    condition); code after a hook reads a value defined in it (a hook does
    nothing in the primal);
  - a region's arity is off: the function yields other than its one return
    value; a branch of an `if` yields other than one value per result; a
    loop's inits, carried values, body yields and results differ in number; a
    `while` test yields other than its one condition; a hook's body yields
    other than the one new adjoint, or the hook defines values.

Program order, not dominance: the adjoint's backward branches read values the
matching forward branch of an earlier `if` on the same condition defined,
which Python scoping allows (DESIGN.md).

`checked` makes a pass verify what it returns when the environment variable
`ADJOINT_VERIFY` is `1` (read once, at import; the test suite sets it in
tests/conftest.py), so a broken invariant is reported by the pass that broke
it rather than by a wrong number or a traceback stages later.
"""

import functools
import os

from transforms.core import ir
from transforms.core.errors import InternalError

ENABLED = os.environ.get('ADJOINT_VERIFY') == '1'

_STMTS = (ir.Let, ir.If, ir.For, ir.While, ir.Hook)
_ATOMS = (ir.Var, ir.Const, ir.Global)


def checked(pass_fn):
    """Decorate a pass so that, with checking on, each `ir.Function` it returns
    (alone or in a tuple, as `reverse` returns its kinds with it) is verified,
    and a failure names the pass: "after `optimize.fold`: f: ..."."""
    name = f'{pass_fn.__module__.rsplit(".", 1)[-1]}.{pass_fn.__name__}'

    @functools.wraps(pass_fn)
    def run(*args, **kwargs):
        out = pass_fn(*args, **kwargs)
        if ENABLED:
            for fn in out if isinstance(out, tuple) else (out,):
                if isinstance(fn, ir.Function):
                    after(name, fn)
        return out
    return run


def after(pass_name, fn):
    """`verify(fn)`, its error saying that pass `pass_name` produced `fn`."""
    try:
        return verify(fn)
    except InternalError as error:
        raise InternalError(f'after `{pass_name}`: {error}') from None


def verify(fn):
    """Raise `InternalError` if `fn` breaks an IR invariant; else return `fn`."""
    _Verifier(fn).function()
    return fn


class _Verifier:
    """One walk over a function in program order, with the names defined so far."""

    def __init__(self, fn):
        self.fn = fn
        self.defined = set()
        self.order = []  # the names of `defined`, in the order of their definitions
        self.hidden = {}  # defined name -> why it may not be read here

    def fail(self, message, where):
        raise InternalError(f'{self.fn.name}: {message} ({where})')

    def define(self, name, where):
        if not isinstance(name, str):
            self.fail(f'{name!r} is not a name', where)
        if name in self.defined:
            self.fail(f'`{name}` is defined twice', where)
        self.defined.add(name)
        self.order.append(name)

    def read(self, atoms, where):
        for a in atoms:
            if not isinstance(a, _ATOMS):
                self.fail(f'{a!r} is not an atom', where)
            if isinstance(a, ir.Var):
                if a.name in self.hidden:
                    self.fail(f'`{a.name}` is read {self.hidden[a.name]}', where)
                if a.name not in self.defined:
                    self.fail(f'`{a.name}` is read before it is defined', where)

    def hide(self, since, why):
        """Hide the names defined since `len(self.order)` was `since`; return them."""
        names = self.order[since:]
        self.hidden.update(dict.fromkeys(names, why))
        return names

    def yields(self, region, count, what, stmt, where):
        """Walk `region`, check it yields `count` values, and read them."""
        self.block(region)
        if len(region.yields) != count:
            self.fail(f'{what} on line {stmt.line} yields {len(region.yields)} values '
                      f'for {count}', where)
        self.read(region.yields, where)

    def function(self):
        for p in self.fn.params:
            self.define(p.name, 'parameter')
        if len(self.fn.body.yields) != 1:
            self.fail(f'the body yields {len(self.fn.body.yields)} values for its one '
                      f'return value', 'return')
        self.block(self.fn.body)
        self.read(self.fn.body.yields, 'return')

    def block(self, b):
        for stmt in b.stmts:
            if not isinstance(stmt, _STMTS):
                self.fail(f'{stmt!r} is not a statement', 'a block')
            where = f'line {stmt.line}: {type(stmt).__name__}'
            if isinstance(stmt, ir.Let):
                self.let(stmt, where)
            self.read(ir.stmt_uses(stmt), where)
            if isinstance(stmt, ir.If):
                self.branches(stmt, where)
            elif not isinstance(stmt, ir.Let):
                self.scope(stmt, where)
            for name in ir.stmt_defs(stmt):
                self.define(name, where)

    def let(self, stmt, where):
        if not isinstance(stmt.fn, ir.Global):
            self.fail(f'the operation {stmt.fn!r} is not a `Global`', where)
        for pair in stmt.kwargs:
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
                self.fail(f'the keyword argument {pair!r} is not a (name, atom) pair', where)

    def branches(self, stmt, where):
        """An `if`: what one branch defines is hidden from the other, not from what
        follows (see the module docstring)."""
        count = len(stmt.results)
        since = len(self.order)
        self.yields(stmt.then, count, 'the `then` branch', stmt, where)
        inner = {n: self.hidden[n] for n in self.order[since:] if n in self.hidden}
        then_names = self.hide(since, f'in one branch of the `if` on line {stmt.line} '
                                      f'but defined in the other')
        self.yields(stmt.orelse, count, 'the `else` branch', stmt, where)
        for name in then_names:
            del self.hidden[name]
        self.hidden.update(inner)  # a loop's values stay its own

    def scope(self, stmt, where):
        """A loop or a hook: what its regions define, and what they bind on entry,
        is theirs alone: what follows reads the loop's results (a loop may run
        no times), and a hook does nothing in the primal. A `while` test's values
        are the test's alone too: it yields its condition, and the emitter folds
        the test into one `while` expression when it can."""
        since = len(self.order)
        for name in ir.region_params(stmt):
            self.define(name, where)
        if isinstance(stmt, ir.Hook):
            if stmt.results:
                self.fail(f'a hook defines {len(stmt.results)} values', where)
            self.yields(stmt.body, 1, 'a hook body', stmt, where)
            self.hide(since, f'after the hook on line {stmt.line} but defined inside it')
            return
        count = len(stmt.carried)
        for what, values in (('inits', stmt.inits), ('results', stmt.results)):
            if len(values) != count:
                self.fail(f'a loop on line {stmt.line} has {len(values)} {what} for '
                          f'{count} carried values', where)
        if isinstance(stmt, ir.While):
            tested = len(self.order)
            self.yields(stmt.test, 1, 'a `while` test', stmt, where)
            self.hide(tested, f'outside the `while` test on line {stmt.line} that '
                              f'defines it')
        self.yields(stmt.body, count, 'a loop body', stmt, where)
        self.hide(since, f'after the loop on line {stmt.line} but defined inside it')
