"""Values shared by the SSA builder's modules: operator tables and markers."""

import operator
import re

import gast

from transforms.core import ir, primitives

BINOPS = {
    gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
    gast.Div: operator.truediv, gast.FloorDiv: operator.floordiv, gast.Mod: operator.mod,
    gast.Pow: operator.pow, gast.MatMult: operator.matmul, gast.BitAnd: operator.and_,
    gast.BitOr: operator.or_, gast.BitXor: operator.xor,
}
UNARYOPS = {gast.USub: operator.neg, gast.UAdd: operator.pos, gast.Not: operator.not_,
            gast.Invert: operator.invert}
CMPOPS = {
    gast.Lt: operator.lt, gast.LtE: operator.le, gast.Gt: operator.gt, gast.GtE: operator.ge,
    gast.Eq: operator.eq, gast.NotEq: operator.ne, gast.Is: operator.is_,
    gast.IsNot: operator.is_not,
}
SIMPLE = (int, float, complex, bool, str, type(None))

# What to do instead of a statement or expression the IR has no form for, by the
# gast node's name; the rest get `UNSUPPORTED_HINT`.
UNSUPPORTED_HINTS = {
    'Try': 'handle errors around the call of the derivative, or in a function it '
           'does not differentiate',
    'Global': 'pass the value in as a parameter and return the new one',
    'Nonlocal': 'pass the value in as a parameter and return the new one',
    'ClassDef': 'define the class at module level',
    'Import': 'import at module level',
    'ImportFrom': 'import at module level',
    'Yield': 'build and return a list instead of yielding',
    'YieldFrom': 'build and return a list instead of yielding',
    'Await': 'differentiate a plain function that computes the value',
    'NamedExpr': 'assign the value on a line of its own before using it',
    'JoinedStr': 'format strings outside the differentiated function',
    'Match': 'write it as `if`/`elif`',
}
UNSUPPORTED_HINT = 'rewrite it in the supported subset, or move it out of the function'
TEMP = re.compile(r't\d+$')


class LocalFunction:
    """A `def` or `lambda` bound inside the differentiated function: inlined where
    it is called, reading the enclosing variables as they are at the call.

    One passed to a helper (`apply(lambda v: v * w, x)`, which `ssa` inlines)
    keeps `env` and `parsed`: the variables and the source it reads are the
    caller's, as they are at the helper's call, which cannot rebind them."""

    def __init__(self, node, name, env=None, parsed=None):
        self.node = node  # gast.Lambda or a normalized gast.FunctionDef
        self.name = name
        self.env = env
        self.parsed = parsed


class Undefined:
    """Marks a name bound on some paths only (in one branch, or only inside a loop).

    `branches` maps `(condition, taken)` — the name of an `if`'s condition and
    which branch — to the name's value on that branch, when the name is bound in
    one branch of that `if` only. A later `if` on the same condition takes the
    same branch (SSA: the condition is the same value), so inside its matching
    branch the name is bound again. The adjoint's backward branches read the
    values their forward branch defined so, and higher-order derivatives read
    that generated code back.
    """

    def __init__(self, why, branches=None):
        self.why = why
        self.branches = branches or {}

    def on_branch(self, cond, taken):
        """The value on branch `taken` of an `if` on `cond` (a Var), or self."""
        return self.branches.get((cond.name, taken), self) if isinstance(cond, ir.Var) \
            else self


class MaybeUnbound:
    """Marks a name that may still hold `primitives.UNBOUND`: first assigned inside a
    loop, which may have run no iteration. Reading it checks (`check_bound`).

    `checked` is an atom equal to `value` wherever the check passes, if one is
    known: a loop's other result with the same next value (`inputs` after
    `for ...: outputs = layer(inputs); inputs = outputs`), so that one value, not
    two, carries the derivative.
    """

    def __init__(self, value, checked=None):
        self.value = value  # the atom the name holds
        self.checked = checked if checked is not None else value


def unmarked(value):
    """The atom a name holds, whether or not it may be unbound."""
    return value.value if isinstance(value, MaybeUnbound) else value


def prim(fn):
    """The `ir.Global` for an operator or primitive, named as the IR prints it."""
    return ir.Global(primitives.IR_NAMES.get(fn, getattr(fn, '__name__', str(fn))), fn)
