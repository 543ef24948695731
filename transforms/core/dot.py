"""dot: the IR as a Graphviz graph, the picture people draw of a computation.

Requires: an `ir.Function`.
Provides: `to_dot(fn) -> str`, a `digraph` in Graphviz's DOT language
(`adjoint ir --dot f.py:f | dot -Tsvg > f.svg`).

The text IR reads top to bottom; the graph shows what flows where. A node is a
parameter, an operation (labelled as the IR prints it, `t1 = sub(1.0, x)`), a
value a region yields (an `if`'s results, a loop's carried values), or the
return. An edge goes from the node defining a value to each node using it.
Each `if` branch, loop body and `while` test is a cluster (a box around its
operations), so the regions of the structured IR stay visible: a loop's
carried values get the initial value on an edge labelled `init`, the value the
body yields for the next iteration on a dashed edge labelled `next`, and pass
their last value to the loop's results (`final`).
"""

import itertools

from transforms.core import ir
from transforms.core.errors import InternalError


def to_dot(fn):
    """The IR of `fn` as a Graphviz `digraph`, one statement a line."""
    return _Graph(fn).text()


def _quote(text):
    """`text` as a DOT string, quotes and backslashes escaped."""
    return '"' + str(text).replace('\\', '\\\\').replace('"', '\\"') + '"'


class _Graph:
    """The lines of the graph of one function, built in one walk of its IR.

    Node ids are the IR's value names (each assigned once, so one node each);
    nodes that are not values get ids with a colon (`op:3`), which no Python
    name has. A node is declared inside the cluster of its region, and every
    edge after all clusters: Graphviz makes a node a member of each subgraph
    that mentions it, an edge's end included.
    """

    def __init__(self, fn):
        self.fn = fn
        self.ids = itertools.count(1)
        self.lines = [f'digraph {_quote(fn.name)} {{',
                      '  graph [fontname="monospace"];',
                      '  node [shape=box, fontname="monospace"];',
                      '  edge [fontname="monospace", fontsize=10];']
        self.edges = []

    def text(self):
        for param in self.fn.params:
            self.node(param.name, param.name, 1, shape='ellipse')
        self.block(ir.Block(self.fn.body.stmts), 1)
        self.node('return:', 'return', 1, shape='doublecircle')
        self.edge(self.fn.returns, 'return:', 1)
        return '\n'.join(self.lines + self.edges + ['}']) + '\n'

    # ------------------------------------------------------------- primitives

    def line(self, text, depth):
        self.lines.append('  ' * depth + text)

    def node(self, node_id, label, depth, **attributes):
        attributes = ''.join(f', {key}={value}' for key, value in attributes.items())
        self.line(f'{_quote(node_id)} [label={_quote(label)}{attributes}];', depth)
        return node_id

    def edge(self, atom, target, depth, label=None, **attributes):
        """An edge from the value `atom` (a constant or global gets a node of its
        own, at `depth` where it is used) to the node `target`."""
        if isinstance(atom, ir.Var):
            source = atom.name
        else:
            source = self.node(f'const:{next(self.ids)}', str(atom), depth, shape='plaintext')
        if label is not None:
            attributes = {'label': _quote(label), **attributes}
        shown = ', '.join(f'{key}={value}' for key, value in attributes.items())
        self.edges.append(f'  {_quote(source)} -> {_quote(target)}'
                          f'{f" [{shown}]" if shown else ""};')

    def cluster(self, label, depth):
        """Open a cluster (close it with `end`); the depth of its contents."""
        self.line(f'subgraph "cluster:{next(self.ids)}" {{', depth)
        self.line(f'label={_quote(label)};', depth + 1)
        return depth + 1

    def end(self, depth):
        self.line('}', depth - 1)

    def results(self, names, depth):
        for name in names:
            self.node(name, name, depth, shape='ellipse')

    # ------------------------------------------------------------- statements

    def block(self, block, depth):
        for stmt in block.stmts:
            if isinstance(stmt, ir.Let):
                self.let(stmt, depth)
            elif isinstance(stmt, ir.If):
                self.branch(stmt, depth)
            elif isinstance(stmt, (ir.For, ir.While)):
                self.loop(stmt, depth)
            elif isinstance(stmt, ir.Hook):
                self.hook(stmt, depth)
            else:
                raise InternalError(f'dot: no drawing of a {type(stmt).__name__} statement')

    def let(self, stmt, depth):
        target = stmt.target or f'op:{next(self.ids)}'
        self.node(target, ir.format_let(stmt), depth)
        for atom in dict.fromkeys(ir.stmt_uses(stmt)):
            if isinstance(atom, ir.Var):  # constants and globals are in the label
                self.edge(atom, target, depth)

    def branch(self, stmt, depth):
        inner = self.cluster(f'if {stmt.cond}', depth)
        test = self.node(f'if:{next(self.ids)}', f'if {stmt.cond}', inner, shape='diamond')
        self.edge(stmt.cond, test, inner)
        for label, region in (('then', stmt.then), ('else', stmt.orelse)):
            if region.stmts:  # an arm that only yields is drawn by its edges
                arm = self.cluster(label, inner)
                self.block(region, arm)
                self.end(arm)
        self.end(inner)
        self.results(stmt.results, depth)
        for label, region in (('then', stmt.then), ('else', stmt.orelse)):
            for value, result in zip(region.yields, stmt.results):
                self.edge(value, result, depth, label=label)

    def loop(self, stmt, depth):
        if isinstance(stmt, ir.For):
            walked = f'range({stmt.start}, {stmt.stop}, {stmt.step})'
            inner = self.cluster(f'for {stmt.index} in '
                                 f'{f"reversed({walked})" if stmt.reverse else walked}', depth)
            self.node(stmt.index, stmt.index, inner, shape='ellipse')
            for bound in dict.fromkeys((stmt.start, stmt.stop, stmt.step)):
                if isinstance(bound, ir.Var):
                    self.edge(bound, stmt.index, inner, label='range')
        else:
            inner = self.cluster('while', depth)
        for carried, init in zip(stmt.carried, stmt.inits):
            self.node(carried, carried, inner, shape='ellipse')
            self.edge(init, carried, inner, label='init')
        if isinstance(stmt, ir.While):
            test = self.cluster('test', inner)
            self.block(stmt.test, test)
            condition = self.node(f'while:{next(self.ids)}', 'while', test, shape='diamond')
            self.edge(stmt.test.yields[0], condition, test)
            self.end(test)
            body = self.cluster('do', inner)
            self.block(stmt.body, body)
            self.end(body)
        else:
            self.block(stmt.body, inner)
        for value, carried in zip(stmt.body.yields, stmt.carried):
            self.edge(value, carried, inner, label='next', style='dashed', constraint='false')
        self.end(inner)
        self.results(stmt.results, depth)
        for carried, result in zip(stmt.carried, stmt.results):
            self.edge(ir.Var(carried), result, depth, label='final')

    def hook(self, stmt, depth):
        inner = self.cluster(f'on adjoint of {stmt.value} as {stmt.grad}', depth)
        self.node(stmt.grad, stmt.grad, inner, shape='ellipse')
        self.edge(stmt.value, stmt.grad, inner, label='adjoint of', style='dashed')
        self.block(stmt.body, inner)
        self.end(inner)
        self.results(stmt.results, depth)
        for value, result in zip(stmt.body.yields, stmt.results):
            self.edge(value, result, depth)
