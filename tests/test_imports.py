"""The import rule of the compiler (docs/design.md, "Layers"): `transforms/` never
imports `adjoint/`; no module of `transforms/` imports another inside a function
(an import hidden there is how a pass came to call the driver); the imports
between its modules form no cycle; and only the driver, `pipeline.py`, is above
every pass: no module of `transforms/` imports it.

Read from the source with `ast`, every import statement (at any depth) counted.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
TRANSFORMS = ROOT / 'transforms'


def _modules():
    return {path.stem: path for path in sorted(TRANSFORMS.glob('*.py'))}


def _imports(path, modules):
    """[(imported module, at top level?)] of the `transforms` modules `path` imports,
    and the other packages it imports (by their first name)."""
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    found, packages = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split('.')
            if parts[0] == 'transforms':
                names = [a.name for a in node.names] if len(parts) == 1 else [parts[1]]
                found += [(n, id(node) in top) for n in names if n in modules]
            packages.add(parts[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split('.')
                if parts[0] == 'transforms' and len(parts) > 1 and parts[1] in modules:
                    found.append((parts[1], id(node) in top))
                packages.add(parts[0])
    return found, packages


def _graph():
    modules = _modules()
    return {name: _imports(path, modules) for name, path in modules.items()}


def _cycle(edges):
    """A cycle of `edges` ({module: {imported}}) as a list of modules, or None."""
    state = {}  # module -> 'open' while on the path, 'done' after

    def visit(module, path):
        state[module] = 'open'
        for other in sorted(edges[module]):
            if state.get(other) == 'open':
                return path[path.index(other):] + [other]
            if other not in state:
                found = visit(other, path + [other])
                if found:
                    return found
        state[module] = 'done'
        return None

    for module in sorted(edges):
        if module not in state:
            found = visit(module, [module])
            if found:
                return found
    return None


GRAPH = _graph()


@pytest.mark.parametrize('module', sorted(GRAPH))
def test_no_import_inside_a_function(module):
    hidden = sorted({name for name, at_top in GRAPH[module][0] if not at_top})
    assert not hidden, f'transforms/{module}.py imports {hidden} inside a function'


@pytest.mark.parametrize('module', sorted(GRAPH))
def test_the_compiler_does_not_import_the_library(module):
    assert 'adjoint' not in GRAPH[module][1], f'transforms/{module}.py imports adjoint'


def test_no_pass_imports_the_driver():
    importers = sorted(m for m, (found, _) in GRAPH.items()
                       if m != 'pipeline' and any(n == 'pipeline' for n, _ in found))
    assert not importers, f'{importers} import transforms/pipeline.py'


def test_the_imports_form_no_cycle():
    edges = {m: {n for n, _ in found if n != m} for m, (found, _) in GRAPH.items()}
    assert _cycle(edges) is None, ' -> '.join(_cycle(edges))


def test_a_cycle_is_found():
    """The check itself: a cycle it must see, and an order it must accept."""
    assert _cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert _cycle({'a': {'b', 'c'}, 'b': {'c'}, 'c': set()}) is None
