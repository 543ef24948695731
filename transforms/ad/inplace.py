"""inplace: reject updates in place that the SSA construction cannot see.

Requires: an `ir.Function`, the names of its values that depend on a `wrt`
parameter (`activity.varied_values`), and the `RuleTable`.
Ensures: returns nothing, or raises `UnsupportedSyntaxError` when
  - a call changes an argument in place behind the IR's back: NumPy's `out=`,
    `np.copyto(y, x)`, `np.add.at(y, i, v)`, `operator.setitem(y, i, v)` (the
    rule table says which: `RuleTable.writes_in_place`), whatever it is given;
  - a method known to change its object in place (`xs.sort()`, `a.fill(0.0)`,
    `d.update(e)`, and `.append()` of an item, `d['a'].append(v)`) is called on,
    or with, a value that depends on a differentiated input.

The IR treats containers and arrays as values: `xs.append(v)` and `x[i] = v` make
new versions, which derivatives follow. A call that changes an object behind the
IR's back would leave the derivative computed from the old version — wrong
without a word. A call writing through `out=` is rejected even on data: the
optimizer shares two reads of `y[0]` on either side of it (they look the same).
A method on data is left to run (`idx.sort()`), as Python reads it.
"""

from transforms.core import ir, primitives
from transforms.core.errors import UnsupportedSyntaxError
from transforms.core.names import base_name

UPDATING_METHODS = {
    'sort': 'sorted(xs) or np.sort(x)',
    'reverse': 'xs[::-1]',
    'extend': 'xs + ys',
    'insert': 'xs[:i] + [v] + xs[i:]',
    'remove': 'a list comprehension',
    'pop': 'xs[k] and xs[:k] + xs[k + 1:] (xs.pop() with no argument works)',
    'clear': 'a new empty container',
    'update': '{**d, **e}',
    'setdefault': 'd.get(k, v)',
    'popitem': 'a dict comprehension',
    'fill': 'np.full_like(x, v)',
    'put': 'x[i] = v',
    'resize': 'np.resize(x, shape)',
    'partition': 'np.partition(x, k)',
    # `xs.append(v)` of a name makes a new version of `xs` (ssa.py); what is
    # left is of an item or a view, `d['a'].append(v)`
    'append': 'a name for the item: `xs = d["a"] + [v]; d["a"] = xs`',
}


def reject_hidden_updates(fn, varied, rules):
    """Raise for a hidden update in place (see above); `varied` are the names of
    the values that depend on a differentiated input (`activity.varied_values`)."""
    for stmt in ir.walk(fn.body):
        if not isinstance(stmt, ir.Let):
            continue
        written = rules.written_arguments(stmt)
        if written is not None:
            atoms, fix = written
            named = [base_name(a.name) for a in atoms if base_name(a.name) in fn.user_names]
            what = ', '.join(f'`{name}`' for name in named) or 'an argument'
            raise UnsupportedSyntaxError(
                f'this call changes {what} in place, which adjoint cannot follow (it '
                f'follows values, not objects): {fix}', fn.filename, stmt.line,
                fn.source_line(stmt.line))
        if stmt.fn.value is not primitives.call_method:
            continue
        obj, name = stmt.args[0], stmt.args[1].value
        if name not in UPDATING_METHODS:
            continue
        differentiated = {a.name for a in (obj, *stmt.args[2:], *(v for _, v in stmt.kwargs))
                          if isinstance(a, ir.Var)} & varied
        if differentiated:
            raise UnsupportedSyntaxError(
                f'`.{name}()` changes a differentiated value in place, which adjoint '
                f'cannot follow: write it without changing the object, e.g. '
                f'{UPDATING_METHODS[name]}', fn.filename, stmt.line, fn.source_line(stmt.line))
