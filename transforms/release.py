"""release: the arrays generated code can let go of, and where.

Requires: an `ir.Function` (after `optimize`), the kinds of its values
(`kinds.py`), and the Python names `emit` gives them (`naming.python_names`).
Ensures: `{index of a top-level statement: Python names}`. After the last
statement of each group of lines that one source line became, the names bound at
top level to arrays that nothing reads afterwards. `emit` prints them as
`del a, b` there.

Why: every value in generated code has a name, so each temporary array would
otherwise live until the function returns. A hand-written gradient nests its
expressions, and the temporaries of an expression die as soon as the expression
is evaluated. Keeping all of them makes the gradient's peak memory grow with its
length: for the two-layer MLP of benchmarks/ it was 580 KB, against 270 KB for
the hand-written gradient. That is memory a large model does not have, and
allocator work a small one pays for on every call.

Only the top level of the function is released: inside a loop, the next
iteration binds the same names again. Only values whose kind is an array
(`kinds.ARRAYS`) are released: keeping a scalar costs nothing, and in generic
code nothing is known. Releasing once per group, not after every statement,
keeps the code readable; the arrays of one source line live together, as they
would in the line itself.
"""

from transforms import ir, substitute
from transforms.kinds import ARRAYS


def releases(fn, kinds, names):
    """{k: Python names to delete after top-level statement k}.

    Args:
        fn: the function to emit.
        kinds: {SSA name: kind}; names missing from it are not released.
        names: {SSA name: Python name} (a name missing from it is its own).
    """
    stmts = fn.body.stmts
    read_later = _read_after(stmts, fn.body.yields)
    ends = _group_ends(stmts)
    python = lambda ssa: names.get(ssa, ssa)  # noqa: E731
    bound = {}  # Python name -> the top-level SSA value it holds (None: bound in a region)
    out = {}
    for k, stmt in enumerate(stmts):
        for name in _defined_inside(stmt):
            bound.pop(python(name), None)
            bound[python(name)] = None
        for name in ir.stmt_defs(stmt):
            bound.pop(python(name), None)
            bound[python(name)] = name
        if k in ends:
            free = tuple(p for p, ssa in bound.items() if ssa is not None
                         and ssa not in read_later[k] and kinds.get(ssa) in ARRAYS)
            for p in free:
                del bound[p]
            if free:
                out[k] = free
    return out


def _read_after(stmts, yields):
    """[the SSA names read after statement k, for each k]."""
    read = set(substitute.uses_of((), yields))
    after = []
    for stmt in reversed(stmts):
        after.append(set(read))
        read |= set(substitute.uses_of((stmt,)))
    return after[::-1]


def _defined_inside(stmt):
    """The names a compound statement binds inside its regions."""
    names = list(ir.region_params(stmt))
    for region in ir.regions(stmt):
        for inner in ir.walk(region):
            names.extend(ir.stmt_defs(inner))
            names.extend(ir.region_params(inner))
    return names


def _group_ends(stmts):
    """The indices of the statements that end a group of lines with one source
    comment (see `emit`), the last statement excepted: nothing runs after it."""
    keys, key = [], None
    for stmt in stmts:
        if stmt.line and not isinstance(stmt, ir.Hook):
            key = (stmt.line, stmt.adjoint)
        keys.append(key)
    return {k for k in range(len(stmts) - 1) if keys[k + 1] != keys[k]}
