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

import heapq
import itertools

from transforms.analysis.kinds import ARRAYS
from transforms.core import ir, substitute


def releases(fn, kinds, names):
    """{k: Python names to delete after top-level statement k}.

    One sweep: each top-level array value is due for release at the first group
    end at or after its last read, and is released there if its Python name
    still holds it (a later binding of the name, at top level or in a region,
    has let it go already). The names of one `del` are in the order they were
    bound.

    Args:
        fn: the function to emit.
        kinds: {SSA name: kind}; names missing from it are not released.
        names: {SSA name: Python name} (a name missing from it is its own).
    """
    stmts = fn.body.stmts
    last_read = _last_reads(stmts, fn.body.yields)
    ends = _group_ends(stmts)
    python = lambda ssa: names.get(ssa, ssa)  # noqa: E731
    order = itertools.count()  # when each binding was made
    holds = {}  # Python name -> (binding, the top-level SSA value; None: bound in a region)
    due = []  # heap of (the statement it is read last in, binding, Python name)
    out = {}
    for k, stmt in enumerate(stmts):
        for name in _defined_inside(stmt):
            holds[python(name)] = (next(order), None)
        for name in ir.stmt_defs(stmt):
            binding = next(order)
            holds[python(name)] = (binding, name)
            if kinds.get(name) in ARRAYS:
                heapq.heappush(due, (max(k, last_read.get(name, k)), binding, python(name)))
        if k in ends:
            free = []
            while due and due[0][0] <= k:
                _, binding, p = heapq.heappop(due)
                if holds.get(p, (None,))[0] == binding:
                    del holds[p]
                    free.append((binding, p))
            if free:
                out[k] = tuple(p for _, p in sorted(free))
    return out


def _last_reads(stmts, yields):
    """{SSA name: the index of the last top-level statement that reads it (in its
    regions too)}; `len(stmts)` for a name the function's result reads."""
    last = {}
    for k, stmt in enumerate(stmts):
        for name in substitute.uses_of((stmt,)):
            last[name] = k
    for name in substitute.uses_of((), yields):
        last[name] = len(stmts)
    return last


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
