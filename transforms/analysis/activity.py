"""activity: which values need an adjoint.

Requires: an `ir.Function`, the names of the `wrt` parameters, a `RuleTable`.
Provides: `active_values(fn, wrt, rules) -> set of names`, and
`varied_values(fn, wrt, rules)`, the values that depend on a `wrt` input, and
`varied_and_active` for both at once.

A value is active when it depends on a `wrt` input (it is *varied*) and the
output depends on it (it is *useful*), both through differentiable operations.
Integers from `range`, `len`, comparisons and flags are never active, so they get
no adjoint. Dependencies form a graph; loops and branches add edges from the
values they yield to the values they define, so one reachability search per
direction reaches the fixed point.
"""

from collections import defaultdict

from transforms.core import ir
from transforms.core.rules import primitive_key


def dependency_graph(fn, rules):
    """Edges `a -> b` meaning a derivative can flow from value `a` to value `b`."""
    edges = defaultdict(set)

    def link(sources, target):
        for atom in sources:
            if isinstance(atom, ir.Var):
                edges[atom.name].add(target)

    def block(b):
        for stmt in b.stmts:
            if isinstance(stmt, ir.Let):
                rule = rules.lookup(primitive_key(stmt))
                if stmt.target is not None and (rule is None or rule.differentiable):
                    link(list(stmt.args) + [a for _, a in stmt.kwargs], stmt.target)
            elif isinstance(stmt, ir.Hook):
                continue  # not differentiated: it runs on adjoints
            elif isinstance(stmt, ir.If):
                block(stmt.then)
                block(stmt.orelse)
                for result, a, b_ in zip(stmt.results, stmt.then.yields, stmt.orelse.yields):
                    link((a, b_), result)
            else:
                for region in ir.regions(stmt):
                    block(region)
                for param, init, nxt, result in zip(stmt.carried, stmt.inits,
                                                    stmt.body.yields, stmt.results):
                    link((init, nxt), param)
                    link((ir.Var(param),), result)
    block(fn.body)
    return edges


def _reachable(edges, starts):
    seen, stack = set(starts), list(starts)
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def varied_values(fn, wrt, rules):
    """The names of the values that depend on a `wrt` input."""
    return _reachable(dependency_graph(fn, rules), wrt)


def active_values(fn, wrt, rules):
    """The names of the values that are both varied and useful."""
    return varied_and_active(fn, wrt, rules)[1]


def varied_and_active(fn, wrt, rules):
    """`(varied_values, active_values)`, from one dependency graph."""
    edges = dependency_graph(fn, rules)
    varied = _reachable(edges, wrt)
    reverse = defaultdict(set)
    for source, targets in edges.items():
        for target in targets:
            reverse[target].add(source)
    ret = fn.returns
    useful = _reachable(reverse, [ret.name] if isinstance(ret, ir.Var) else [])
    return varied, varied & useful
