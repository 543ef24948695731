"""docs/api.md is written from the docstrings (adjoint/reference.py): it is
current, it shows every public name, and every parameter is described."""

import inspect
import pathlib

import pytest

import adjoint
from adjoint import reference

PAGE = pathlib.Path(__file__).resolve().parent.parent / 'docs' / 'api.md'


def public_functions():
    """(dotted name, callable, its docstring) of every public callable the
    reference shows, with the public methods of its classes."""
    for name in reference.documented_names():
        obj = reference.resolve(name)
        if not inspect.isclass(obj) or name[0].islower():  # or a class used as one
            yield name, obj, inspect.getdoc(obj)
        elif not issubclass(obj, BaseException):
            for member, value in vars(obj).items():
                if not member.startswith('_') and inspect.isfunction(value):
                    yield f'{name}.{member}', value, inspect.getdoc(value)


def test_the_page_is_current():
    assert PAGE.read_text() == reference.page(), \
        'docs/api.md is stale: run `python -m adjoint.reference > docs/api.md`'


def test_every_public_name_is_on_the_page():
    shown = set(reference.documented_names())
    assert set(adjoint.__all__) - shown == set()
    assert 'testing.check_grads' in shown


@pytest.mark.parametrize('name, fn, doc', list(public_functions()),
                         ids=[name for name, _, _ in public_functions()])
def test_every_parameter_is_described(name, fn, doc):
    params = [p for p in inspect.signature(fn).parameters if p != 'self']
    described = reference.documented_parameters(doc)
    assert [p for p in params if p not in described] == [], \
        f'adjoint.{name}: describe these parameters in its Args: section'


def test_docstring_sections_become_lists_and_examples_become_code():
    doc = ('Do a thing.\n\n    y = f(x)\n\nArgs:\n    a, b: the inputs,\n        two.\n'
           '    *rest: more.\n\nReturns:\n    The thing.\n')
    text = reference.markdown(doc)
    assert '```py\ny = f(x)\n```' in text
    assert '- `a`, `b`: the inputs,\n  two.' in text
    assert '**Returns**\n\nThe thing.' in text
    assert reference.documented_parameters(doc) == {'a', 'b', 'rest'}
