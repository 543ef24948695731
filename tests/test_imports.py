"""The import rule of the compiler (docs/design.md, "Layers").

`transforms/` is a stack of layers, each a sub-package:

    core <- frontend <- analysis <- prepare <- ad | opt <- backend <- pipeline.py

A module imports modules of its own layer and of the layers below it, never
above; `ad` and `opt` sit side by side and never import each other; and only the
driver, `pipeline.py`, is above every pass, so no module of `transforms/`
imports it. Also: `transforms/` never imports `adjoint/`; no module imports
another inside a function (an import hidden there is how a pass came to call
the driver); and the imports between modules form no cycle.

Read from the source with `ast`, every import statement (at any depth) counted.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
TRANSFORMS = ROOT / 'transforms'
# The rank of each layer: a module may import from a layer of a lower rank, or
# from its own layer; two layers of one rank may not import each other.
RANKS = {'core': 0, 'frontend': 1, 'analysis': 2, 'prepare': 3, 'ad': 4, 'opt': 4,
         'backend': 5, 'pipeline': 6}


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def _modules():
    return {_module_name(path): path for path in sorted(TRANSFORMS.rglob('*.py'))}


def _imports(path, modules):
    """[(imported module, at top level?)] of the `transforms` modules `path` imports,
    and the other packages it imports (by their first name)."""
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    found, packages = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split('.')[0] == 'transforms':
                for alias in node.names:  # a module, or a name of one
                    name = f'{node.module}.{alias.name}'
                    found.append((name if name in modules else node.module, id(node) in top))
            packages.add(node.module.split('.')[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    found.append((alias.name, id(node) in top))
                packages.add(alias.name.split('.')[0])
    return found, packages


def _graph():
    modules = _modules()
    return {name: _imports(path, modules) for name, path in modules.items()}


def layer(module):
    """The layer of a module of `transforms/`: its sub-package, or 'pipeline'."""
    parts = module.split('.')
    return parts[1] if len(parts) > 1 else None


def allowed(importer, imported):
    """Whether the import rule lets `importer` import `imported`."""
    if layer(importer) == layer(imported):
        return True
    return RANKS[layer(importer)] > RANKS[layer(imported)]


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
MODULES = sorted(m for m in GRAPH if m != 'transforms')


def test_every_module_is_in_a_layer():
    unplaced = sorted(m for m in MODULES if layer(m) not in RANKS)
    assert not unplaced, f'{unplaced} are in no layer of tests/test_imports.py RANKS'
    flat = sorted(p.name for p in TRANSFORMS.glob('*.py')
                  if p.name not in ('__init__.py', 'pipeline.py'))
    assert not flat, f'transforms/{flat} belong in a layer sub-package'


@pytest.mark.parametrize('module', MODULES)
def test_imports_go_down_the_layers(module):
    upward = sorted({name for name, _ in GRAPH[module][0]
                     if name != 'transforms' and not allowed(module, name)})
    assert not upward, f'{module} imports {upward}, of a layer above or beside its own'


@pytest.mark.parametrize('module', MODULES)
def test_no_import_inside_a_function(module):
    hidden = sorted({name for name, at_top in GRAPH[module][0] if not at_top})
    assert not hidden, f'{module} imports {hidden} inside a function'


@pytest.mark.parametrize('module', MODULES)
def test_the_compiler_does_not_import_the_library(module):
    assert 'adjoint' not in GRAPH[module][1], f'{module} imports adjoint'


def test_no_pass_imports_the_driver():
    importers = sorted(m for m, (found, _) in GRAPH.items()
                       if m != 'transforms.pipeline'
                       and any(n == 'transforms.pipeline' for n, _ in found))
    assert not importers, f'{importers} import transforms/pipeline.py'


def test_the_imports_form_no_cycle():
    edges = {m: {n for n, _ in found if n != m} for m, (found, _) in GRAPH.items()}
    assert _cycle(edges) is None, ' -> '.join(_cycle(edges))


def test_the_rule_itself():
    """The checks themselves: a cycle and an upward import they must see, and an
    order they must accept."""
    assert _cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert _cycle({'a': {'b', 'c'}, 'b': {'c'}, 'c': set()}) is None
    assert allowed('transforms.ad.reverse.reverse', 'transforms.analysis.kinds')
    assert allowed('transforms.ad.calls', 'transforms.ad.reverse.reverse_calls')
    assert not allowed('transforms.analysis.kinds', 'transforms.ad.calls')
    assert not allowed('transforms.ad.calls', 'transforms.opt.optimize')
    assert not allowed('transforms.opt.optimize', 'transforms.ad.calls')
    assert allowed('transforms.pipeline', 'transforms.backend.emit')
