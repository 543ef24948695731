"""What reverse and forward mode share: the working state of one transformation.

Both modes walk a function's IR once, keep the kinds of the values they make,
hand out fresh names that no user name or global shadows, and report a primitive
without a rule in the same way; `reverse._Reverse` and `forward._Forward` start
from this class.
"""

import sys

from transforms.analysis import kinds as kinds_, shapes
from transforms.core import ir, primitives
from transforms.core.errors import UnknownCallableError, UnsupportedSyntaxError
from transforms.core.names import Namer
from transforms.core.rules import primitive_key

_MODES = {'vjp': ('derivative', 'vjp_rule'), 'jvp': ('tangent (forward-mode)', 'jvp_rule')}


class Transformation:
    """The state one transformation of `fn` starts from (not shared across calls).

    Args:
        fn: the primal IR.
        rules: the `RuleTable`.
        kinds: {name: kind} of the primal's values (`kinds.py`); new values are added.
        active: the names of the active values (`activity.py`).
        namespace_names: names the generated code must not shadow.
        param_dims: {parameter name: dimension symbols} of array parameters whose
            shapes the code is specialized to (`shapes.py`), or None.
    """

    def __init__(self, fn, rules, kinds, active, namespace_names, param_dims=None):
        self.fn = fn
        self.rules = rules
        self.kinds = dict(kinds)
        self.active = active
        used = ir.all_names(fn)
        self.namer = Namer(set(namespace_names) | used)
        self.namer.taken.update(used)
        self.shapes = shapes.shape_classes(fn, kinds, rules, param_dims)

    def keyword_not_differentiated(self, stmt, name):
        """The error for a differentiated value passed to `stmt`'s primitive as
        the keyword `name=`, which its rule has no derivative for (both modes)."""
        return UnsupportedSyntaxError(
            f'the derivative of `{stmt.fn.path}` with respect to its argument '
            f'`{name}=` is not supported: write what it computes with a '
            f'differentiated value another way, or leave `{name}` undifferentiated',
            self.fn.filename, stmt.line, self.source_line(stmt.line))

    def check_real(self, stmt):
        """Reject a complex constant or global (`x * 1j`, a complex array read from
        the module) in an operation on a differentiated value: the rules are
        written for real numbers, and would give a complex or wrong derivative."""
        for atom in tuple(stmt.args) + tuple(a for _, a in stmt.kwargs):
            value = atom.value if isinstance(atom, (ir.Const, ir.Global)) else None
            # A complex scalar, or anything with a complex dtype (an array).
            if isinstance(value, complex) or \
                    getattr(getattr(value, 'dtype', None), 'kind', None) == 'c':
                raise UnsupportedSyntaxError(
                    'complex numbers are not differentiated: adjoint differentiates '
                    'real functions of real numbers; write the real and imaginary parts '
                    'as real values', self.fn.filename, stmt.line,
                    self.source_line(stmt.line))

    def kind(self, atom):
        """The kind of an atom: from the table for a value, from the object else."""
        return kinds_.atom_kind(atom, self.kinds)

    def note_kinds(self, stmts):
        """Record the kinds of the values new statements compute."""
        for s in stmts:
            if isinstance(s, ir.Let) and s.target is not None:
                self.kinds[s.target] = kinds_.let_kind(s, self.kind, self.rules)

    def source_line(self, line):
        return self.fn.source_line(line)

    def check_index(self, stmt):
        """Reject `c[i]` or `c[i] = v` differentiated by its index `i`: derivatives
        never flow through an index (a float index into a list or an array fails
        when it runs), so one that does is lost, silently. (`np.r_[x]` builds an
        array from its index: `known_objects.py` makes it a call first.)"""
        index = stmt.args[1] if len(stmt.args) > 1 else None
        if isinstance(index, ir.Var) and index.name in self.active and \
                stmt.target in self.active:
            raise UnsupportedSyntaxError(
                'cannot differentiate through the index of a subscript: its index '
                'depends on a differentiated value, and no derivative flows through an '
                'index (to build an array from values, write np.concatenate, np.stack '
                'or np.array)',
                self.fn.filename, stmt.line, self.source_line(stmt.line))

    def frozen_by(self, stmt):
        """The `Let` that made the object of the method call `stmt` by calling an
        object that freezes its arguments (`d = norm(mu)` for `d.logpdf(x, y)`,
        `rules.freezes`), whose method `known_objects` left a method call; else None."""
        if stmt.fn.value is not primitives.call_method or not stmt.args or \
                not isinstance(stmt.args[0], ir.Var):
            return None
        for made in ir.walk(self.fn.body):
            if isinstance(made, ir.Let) and made.target == stmt.args[0].name:
                freezes = isinstance(made.fn, ir.Global) and \
                    self.rules.freezes_arguments(made.fn.value)
                return made if freezes else None
        return None

    def missing_rule(self, stmt, mode):
        """The error for a primitive a differentiated value flows into, with no rule
        for this mode ('vjp' or 'jvp'): it names the callable and the decorator."""
        what, decorator = _MODES[mode]
        key = primitive_key(stmt)
        rule = self.rules.lookup(key)
        if rule is not None and rule.unsupported:
            return UnknownCallableError(
                f'`{stmt.fn.path}` is not differentiable yet, and a differentiated value '
                f'flows into it: {rule.unsupported}', self.fn.filename, stmt.line,
                self.source_line(stmt.line))
        frozen = self.frozen_by(stmt)
        frozen_rule = self.rules.lookup(frozen.fn.value) if frozen is not None else None
        if frozen_rule is not None and frozen_rule.unsupported:
            return UnknownCallableError(
                f'`.{key[1]}()` of `{frozen.fn.path}(...)` is not differentiated here, and a '
                f'differentiated value flows into it: {frozen_rule.unsupported}',
                self.fn.filename, stmt.line, self.source_line(stmt.line))
        if not isinstance(key, tuple):
            full = full_name(stmt.fn.value)
            if full is not None and full.rsplit('.', 1)[1] != stmt.fn.path.rsplit('.', 1)[-1]:
                named, target = f'`{stmt.fn.path}` ({full})', full  # a variable holding it
            else:
                module = full.rsplit('.', 1)[0] if full else '?'
                named, target = f'`{stmt.fn.path}` ({module})', stmt.fn.path
            hint = f'register one with @adjoint.{decorator}({target})'
        else:  # a method or an attribute: no rule can be registered for it
            kind = 'method' if key[0] == 'method' else 'attribute'
            named = f'`.{key[1]}()`' if kind == 'method' else f'`.{key[1]}`'
            hint = (f'this {kind} is not supported yet: write it as a call of a function '
                    f'with a rule (for an array, the NumPy function of that name)')
        return UnknownCallableError(
            f'no {what} rule for {named}, which a differentiated value flows into; '
            f'{hint}', self.fn.filename, stmt.line, self.source_line(stmt.line))


def full_name(value):
    """`module.name` of a function or ufunc, for errors: NumPy's and SciPy's
    ufuncs keep no module of their own, and are found in the modules users import
    them from; None where it cannot be told."""
    name = getattr(value, '__qualname__', None) or getattr(value, '__name__', None)
    if not isinstance(name, str):
        return None
    module = getattr(value, '__module__', None)
    if not module:
        for candidate in ('numpy', 'scipy.special', 'math'):
            if getattr(sys.modules.get(candidate), name, None) is value:
                module = candidate
                break
    return f'{module}.{name}' if module else None
