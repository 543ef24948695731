"""known_objects: method calls and subscripts of global objects the rule table knows.

Requires: an `ir.Function` and a `RuleTable`.
Ensures: the same function, in which

- `method(obj, 'name', *args)` of a global object `obj` (not a module or a class,
  whose attributes `ssa` resolves already) calls the bound method `obj.name`
  itself where that is a primitive with a rule: `norm.logpdf(x, mu, sigma)`, where
  `scipy.stats.norm` is an instance. Its own rule then applies, which a rule for
  every method of that name (`('method', 'logpdf')`) could not be;
- `getitem(obj, index)` of a global object the table maps to a function
  (`rules.subscripted`) calls that function on the index: `np.r_[x, 2.0 * x]`
  builds an array from its index, which no derivative flows through, and
  `r_((x, t))` has a rule;
- `method(frozen, 'name', v)` of a value `frozen = obj(*a, **k)` made in the
  function, where `obj` is one the table says freezes its arguments
  (`rules.freezes`), calls `obj.name(v, *a, **k)` where that bound method has a
  rule: `norm(mu, sigma).logpdf(x)` is `norm.logpdf(x, mu, sigma)`, as SciPy's
  frozen distributions compute it. The call `obj(*a, **k)` stays, for what else
  reads the frozen value (the optimizer drops it where nothing does); a method given
  more than one argument, or one by name, or frozen with an argument the method
  does not take (`seed=`), stays a method call (its meaning depends on the frozen
  object's signature, which the compiler cannot see).

Only what the table names is rewritten, so the compiler learns nothing of NumPy.
"""

import inspect
import operator
import types

from transforms.core import ir, primitives
from transforms.core.verify import checked


def _bound_primitive(obj, name, rules):
    """`obj.name`, if it is a method with a rule in `rules`; else None. The class
    attribute is looked at first (`inspect.getattr_static`), so that no property of
    the user's object runs while compiling."""
    if isinstance(obj, (types.ModuleType, type)):
        return None
    try:
        attribute = inspect.getattr_static(obj, name)
    except AttributeError:
        return None
    if not isinstance(attribute, types.FunctionType):
        return None
    bound = getattr(obj, name)
    return bound if rules.lookup(bound) is not None else None


def _subscript_function(obj, rules):
    try:
        return rules.subscripted.get(obj)
    except TypeError:  # an unhashable object is not in the table
        return None


def _frozen_values(fn, rules):
    """{name: the `Let` that made it} of the values of `fn` made by calling an
    object of `rules.freezes` (SSA: each name is made once, before its uses)."""
    frozen = {}
    for stmt in ir.walk(fn.body):
        if isinstance(stmt, ir.Let) and stmt.target is not None and \
                isinstance(stmt.fn, ir.Global) and rules.freezes_arguments(stmt.fn.value):
            frozen[stmt.target] = stmt
    return frozen


def _unfrozen_call(stmt, freeze, rules):
    """The method call `stmt` on the value `freeze` made as a call of its frozen
    object's own method, or None where that method has no rule, `stmt` passes
    more than one argument or one by name, or the method does not take what was
    frozen."""
    name, own = stmt.args[1].value, stmt.args[2:]
    if len(own) > 1 or stmt.kwargs:
        return None
    bound = _bound_primitive(freeze.fn.value, name, rules)
    if bound is None or not _binds(bound, len(own) + len(freeze.args), freeze.kwargs):
        return None
    callee = ir.Global(f'{freeze.fn.path}.{name}', bound, freeze.fn.root_value)
    return ir.replace(stmt, fn=callee, args=own + freeze.args, kwargs=freeze.kwargs)


def _binds(method, count, kwargs):
    """Whether `method` takes `count` arguments by position and `kwargs` by name:
    not a keyword only the freezing takes (`multivariate_normal(m, c, seed=0)`)."""
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):  # no signature to read: as the frozen object would
        return True
    try:
        signature.bind(*range(count), **{name: None for name, _ in kwargs})
    except TypeError:
        return False
    return True


@checked
def resolve_known_objects(fn, rules):
    """`fn` with the calls and subscripts of known objects rewritten (see the module)."""
    frozen = _frozen_values(fn, rules)

    def resolved(stmt):
        target = stmt.args[0] if stmt.args else None
        if stmt.fn.value is primitives.call_method and isinstance(target, ir.Var) and \
                target.name in frozen:
            return _unfrozen_call(stmt, frozen[target.name], rules) or stmt
        if not isinstance(target, ir.Global):
            return stmt
        if stmt.fn.value is primitives.call_method:
            name = stmt.args[1].value
            bound = _bound_primitive(target.value, name, rules)
            if bound is None:
                return stmt
            callee = ir.Global(f'{target.path}.{name}', bound, target.root_value)
            return ir.replace(stmt, fn=callee, args=stmt.args[2:])
        if stmt.fn.value is operator.getitem and len(stmt.args) == 2:
            function = _subscript_function(target.value, rules)
            if function is None:
                return stmt
            return ir.replace(stmt, fn=ir.Global(function.__name__, function),
                              args=stmt.args[1:])
        return stmt

    return ir.map_lets(fn, resolved)
