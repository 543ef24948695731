"""Shrinking a failing program to a small one that fails the same way.

Greedy and syntactic, in the manner of C-Reduce's simplest passes: delete a
statement, replace an `if` by one of its arms, replace an expression by one of
its operands — and keep the change whenever the program still fails with the
same signature (the same API, outcome and kind of discrepancy). Variants that
no longer run (a name left undefined, shapes that no longer match) are skipped
by the checker like any program without a usable point, so they are simply not
kept. Nor is a variant that writes into an array another name may share where
the original did not (cutting `x[::2] + x[::2]` to `x[::2]` makes a view): that
would trade the bug being shrunk for the aliasing one.
"""

import ast
import copy
import re

from tests.fuzz.check import check
from tests.fuzz.generate import aliased

# What an API's check needs to have run first.
NEEDS = {'hessian': ('grad',), 'vjp': ('jvp',)}


# The first line of a WRONG detail (see check.py) -> the kind of discrepancy.
WRONG_KINDS = (('returned the value', 'value differs from the primal'),
               ('changed argument', 'argument mutated'),
               ('a second call', 'second call differs'),
               ('dot-product', 'dot-product test (jvp vs vjp)'),
               ('has shape', 'gradient of the wrong shape'),
               (' is a ', 'gradient of the wrong type'))


def signature(api, outcome, detail):
    """A short description of a failure that stays the same while the program
    shrinks: the API and outcome, and the last line of an exception (its names
    and numbers blurred) or the kind of discrepancy."""
    if outcome == 'WRONG':
        for words, kind in WRONG_KINDS:
            if words in detail.split('\n', 1)[0]:
                return f'{api} WRONG {kind}'
        return f'{api} WRONG derivative'
    last = detail.strip().splitlines()[-1] if detail.strip() else ''
    if outcome in ('BADERROR', 'rejected'):
        last = detail.split('\n', 1)[0]
        last = re.sub(r'<adjoint \d+: ', '<adjoint ', last)
        last = re.sub(r'^/\S*fuzz_\d+_\d+\.py:\d+: ', '', last)
    last = re.sub(r'\b[a-z]+_?\d+\b', 'N', last)
    last = re.sub(r'\d+', 'N', last)
    return f'{api} {outcome} {last}'


def failures(result):
    """{signature: api} of the failing APIs of a `check.Result`."""
    from tests.fuzz.check import FAILURES
    return {signature(api, o, d): api for api, (o, d) in result.apis.items() if o in FAILURES}


def shrink(program, wanted, directory, timeout=10, budget=400):
    """The smallest source found that still fails with signature `wanted`.

    Args:
        program: the failing `generate.Program`.
        wanted: a signature from `failures(check(program, ...))`.
        directory: where the checker writes the variants.
        timeout: seconds per variant.
        budget: the most variants to try.

    Returns:
        The source text of the smallest failing variant (`program.source` if no
        smaller one fails the same way).
    """
    api = wanted.split(' ', 1)[0]
    apis = NEEDS.get(api, ()) + (api,)
    tree = ast.parse(program.source)
    aliased_writes = writes_through_alias(tree)
    best = ast.unparse(tree) + '\n'
    tried = 0
    progress = True
    while progress and tried < budget:
        progress = False
        for variant in _variants(tree):
            if tried >= budget:
                break
            tried += 1
            source = ast.unparse(variant) + '\n'
            if len(source) >= len(best) or not writes_through_alias(variant) <= aliased_writes:
                continue
            result = check(program, directory, apis, timeout, source=source)
            if wanted in failures(result):
                tree, best, progress = variant, source, True
                break
    return best


def writes_through_alias(tree):
    """The names `a` of the writes `a[...] = ...` (or `+=`) that may write into
    an array another name shares: `a` or what it was bound from is a name, a subscript or
    slice of one, a conditional of such, a helper's result, a helper's
    parameter, a loop variable, or an item of a container. Conservative."""
    shared = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name != 'f':
            shared.update(a.arg for a in node.args.args)
        elif isinstance(node, ast.For):
            shared.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
            shared.update(aliased(ast.unparse(node.iter)))
        elif isinstance(node, ast.Assign):
            target = node.targets[0]
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts))
            for name, value in pairs:
                names = aliased(ast.unparse(value))
                if isinstance(value, (ast.List, ast.Tuple, ast.Dict)):
                    names = set().union(*(aliased(ast.unparse(v))
                                          for v in ast.iter_child_nodes(value)
                                          if isinstance(v, ast.expr)))
                shared |= names
                if names and not isinstance(name, ast.Subscript):  # a write copies
                    shared.update(n.id for n in ast.walk(name) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == 'append':
            for arg in node.args:
                shared |= aliased(ast.unparse(arg))
    containers = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                  and isinstance(node.value, (ast.List, ast.Dict, ast.ListComp))
                  for t in node.targets if isinstance(t, ast.Name)}
    shared -= containers  # an item written into a list or dict is no array write
    written = set()
    for node in ast.walk(tree):
        target = node.targets[0] if isinstance(node, ast.Assign) else \
            node.target if isinstance(node, ast.AugAssign) else None
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and \
                target.value.id in shared:
            written.add(target.value.id)
    return written


def _variants(tree):
    """Every tree one simplification away from `tree`, biggest cuts first."""
    yield from _statement_cuts(tree)
    yield from _expression_cuts(tree)


def _bodies(tree):
    """(node, field) of every statement list in `tree`."""
    for node in ast.walk(tree):
        for field in ('body', 'orelse'):
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                yield node, field


def _statement_cuts(tree):
    for path in range(sum(1 for _ in _bodies(tree))):
        node, field = list(_bodies(tree))[path]
        for k, statement in enumerate(getattr(node, field)):
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(statement, ast.FunctionDef) and statement.name == 'f':
                continue
            if isinstance(statement, ast.Return) and isinstance(node, ast.FunctionDef):
                continue
            if _is_counter_step(statement):  # without it the `while` never ends
                continue
            replacements = [[]]
            if isinstance(statement, ast.If):
                replacements += [statement.body, statement.orelse]
            if isinstance(statement, (ast.For, ast.While)):
                replacements.append(statement.body)
            for replacement in replacements:
                variant = copy.deepcopy(tree)
                target, target_field = list(_bodies(variant))[path]
                body = getattr(target, target_field)
                new = body[:k] + copy.deepcopy(replacement) + body[k + 1:]
                if not new and target_field == 'body':
                    new = [ast.Pass()]
                setattr(target, target_field, new)
                yield variant


def _is_counter_step(statement):
    """`k = k + 1`, the step of a generated `while` loop's counter."""
    return isinstance(statement, ast.Assign) and isinstance(statement.value, ast.BinOp) and \
        isinstance(statement.targets[0], ast.Name) and \
        ast.unparse(statement.value) == f'{statement.targets[0].id} + 1'


def _children(node):
    """The operands an expression could be replaced by."""
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.IfExp):
        return [node.body, node.orelse]
    if isinstance(node, ast.Call):  # not a shape: np.ones((2, 3)) -> (2, 3)
        return [a for a in node.args if not isinstance(a, ast.Tuple)]
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    return []


def _expression_cuts(tree):
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.expr) and _children(n)]
    for index in range(len(nodes)):
        for child in range(len(_children(nodes[index]))):
            variant = copy.deepcopy(tree)
            node = [n for n in ast.walk(variant) if isinstance(n, ast.expr) and _children(n)][index]
            replacement = _children(node)[child]
            _replace(variant, node, replacement)
            yield variant


def _replace(tree, old, new):
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for k, item in enumerate(value):
                    if item is old:
                        value[k] = new
                        return
