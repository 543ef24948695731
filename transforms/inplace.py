"""inplace: reject updates in place that the SSA construction cannot see.

Requires: an `ir.Function` and the names of its active values (`activity.py`).
Ensures: returns nothing, or raises `UnsupportedSyntaxError` when a method known to
change its object in place (`xs.sort()`, `a.fill(0.0)`, `d.update(e)`) is called
on a differentiated value.

The IR treats containers and arrays as values: `xs.append(v)` and `x[i] = v` make
new versions, which derivatives follow. A method that changes its object behind
the IR's back would leave the derivative computed from the old version — wrong
without a word. So it is an error naming the call and the functional form to use.
"""

from transforms import ir, primitives
from transforms.errors import UnsupportedSyntaxError

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
}


def reject_hidden_updates(fn, active):
    """Raise if an active value is changed in place by a method call (see above)."""
    for stmt in ir.walk(fn.body):
        if not (isinstance(stmt, ir.Let) and stmt.fn.value is primitives.call_method):
            continue
        obj, name = stmt.args[0], stmt.args[1].value
        if name in UPDATING_METHODS and isinstance(obj, ir.Var) and obj.name in active:
            raise UnsupportedSyntaxError(
                f'`.{name}()` changes a differentiated value in place, which adjoint '
                f'cannot follow: write it without changing the object, e.g. '
                f'{UPDATING_METHODS[name]}', fn.filename, stmt.line, fn.source_line(stmt.line))
