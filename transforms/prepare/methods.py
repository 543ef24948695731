"""methods: a library function of an array as the array's own method.

Requires: an `ir.Function` (after `optimize`), the kinds of its values
(`kinds.py`), and a table {function: method name} (`RuleTable.methods`).
Ensures: the same function, in which each call `f(x, *args, **kwargs)` of a
function in the table whose first argument is a float array (a kind in
`kinds.ARRAYS`) is `x.name(*args, **kwargs)`: `t.sum(axis=1)`, not
`np.sum(t, axis=1)`. The result is the same (NumPy's `np.sum` of an array calls
the same reduction, and of a subclass its method); the kinds and the shapes of
the arguments decided everything else already.

Why: `np.sum` and `np.max` reach the reduction through a Python layer
(`_wrapreduction`) that the method does not have. Measured in the MLP gradient of
benchmarks/, with the caches cold after the 64x128 arrays, that layer cost
4-5 us a call, three calls 0.07x of a hand-written gradient, which calls the
methods. The comment above each group of lines still shows the user's own line.
"""

from transforms.analysis.kinds import ARRAYS, atom_kind
from transforms.core import ir, primitives
from transforms.core.verify import checked
from transforms.frontend.ssa import prim


@checked
def as_methods(fn, kinds, methods):
    """`fn` with calls of the functions in `methods` on arrays as method calls."""
    if not methods:
        return fn

    def method_call(stmt):
        try:
            name = methods.get(stmt.fn.value)
        except TypeError:  # an unhashable callable
            return stmt
        if name is None or not stmt.args or atom_kind(stmt.args[0], kinds) not in ARRAYS:
            return stmt
        return ir.replace(stmt, fn=prim(primitives.call_method),
                          args=(stmt.args[0], ir.Const(name)) + tuple(stmt.args[1:]))

    return ir.map_lets(fn, method_call)
