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
  `r_((x, t))` has a rule.

Only what the table names is rewritten, so the compiler learns nothing of NumPy.
"""

import inspect
import operator
import types

from transforms import ir, primitives
from transforms.verify import checked


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


@checked
def resolve_known_objects(fn, rules):
    """`fn` with the calls and subscripts of known objects rewritten (see the module)."""
    def resolved(stmt):
        target = stmt.args[0] if stmt.args else None
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
