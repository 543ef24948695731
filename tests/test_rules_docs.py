"""docs/rules.md is generated from the rule registry and must not go stale."""

import pathlib
import re

from adjoint.rules import docs

PAGE = pathlib.Path(__file__).resolve().parent.parent / 'docs' / 'rules.md'
REGENERATE = 'python -m adjoint.rules.docs > docs/rules.md'


def test_rules_page_is_up_to_date():
    expected = docs.page()
    committed = PAGE.read_text() if PAGE.exists() else ''
    if docs.import_optional_libraries():
        # Without SciPy its rules are not registered: the rest of the page is
        # checked here, all of it where SciPy is installed (as CI does on 3.11).
        assert docs.OPTIONAL_HEADING in committed, (
            f'{PAGE} has no SciPy section: regenerate it with SciPy installed')
        committed = docs.core_part(committed)
    assert committed == expected, (
        f'{PAGE} is stale: the rule registry changed. Regenerate it with\n'
        f'    {REGENERATE}\nand commit the result.')


def test_the_optional_part_of_the_page_comes_last():
    # What core_part cuts off is only the optional libraries' sections.
    page = docs.page()
    core = docs.core_part(page)
    assert page.startswith(core)
    rest = page[len(core):]
    assert not rest or rest.startswith('\n' + docs.OPTIONAL_HEADING)
    listed = re.findall(r'^\| `([^`]+)`', rest, re.MULTILINE)
    assert all(docs.is_optional(name) for name in listed)
    assert not any(docs.is_optional(name)
                   for name in re.findall(r'^\| `([^`]+)`', core, re.MULTILINE))


def test_rules_page_lists_every_library_rule_once():
    first_cells = [line.split('|')[1] for line in docs.page().splitlines()
                   if line.startswith('| `')]
    listed = [re.findall(r'`([^`]+)`', cell)[-1] for cell in first_cells]
    # but those some NumPy versions lack, which its notes name instead
    assert sorted(listed) == sorted(set(docs.library_rules()) - docs._IN_SOME_NUMPY)
    for name in docs._IN_SOME_NUMPY:
        assert f'`{name}`' in docs.page()


def test_labels_are_what_users_write():
    import operator

    import numpy as np
    assert docs.label(np.power) == 'np.power'  # not its alias np.pow
    assert docs.label(np.concatenate) == 'np.concatenate'  # not np.concat
    assert docs.label(np.linalg.inv) == 'np.linalg.inv'
    assert docs.label(operator.matmul) == 'operator.matmul'
    assert docs.label(('method', 'sum')) == 'x.sum()'
    assert docs.label(('attr', 'T')) == 'x.T'
    assert docs.label(print) == 'builtins.print'
    assert docs.label(pathlib.Path) is None
