"""The corpus of bad inputs (tests/bad_inputs.py): each raises the `adjoint` error
it should, saying what is wrong and what to do, and an error about a place in the
code names this corpus's file, the offending line, and quotes it.

Never an `InternalError`, never a bare Python exception from inside the
compiler or the generated code, and never a number.
"""

import pathlib
import re

import numpy as np
import pytest

import adjoint
from tests import bad_inputs
from tests.bad_inputs import CASES, NOT_ERRORS

CORPUS = pathlib.Path(bad_inputs.__file__)
LINES = CORPUS.read_text().splitlines()
MARKER = re.compile(r'# bad: \w+$')


def call(api, fn, args, options, tangents=None, cotangent=None):
    """Make the API call a case names, and return what it returns."""
    if api == 'jvp':
        if tangents is None:
            tangents = tuple(np.ones(np.shape(a)) if np.ndim(a) else 1.0 for a in args)
        return adjoint.jvp(fn)(args, tangents)
    if api == 'vjp':
        out, pullback = adjoint.vjp(fn, *args)
        return pullback(np.ones(np.shape(out)) if cotangent is None else cotangent)
    return getattr(adjoint, api)(fn, **options)(*args)


def marked_line(marker):
    """The 1-based line of the corpus that ends in `marker`, and its text."""
    found = [(k + 1, text) for k, text in enumerate(LINES) if text.endswith(marker)]
    assert len(found) == 1, f'{marker!r} marks {len(found)} lines of {CORPUS.name}'
    return found[0]


def test_the_corpus_is_large_and_its_names_are_distinct():
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES)
    apis = {case.api for case in CASES}
    assert apis == {'grad', 'value_and_grad', 'derivative', 'hessian', 'hvp', 'jacobian',
                    'jvp', 'vjp'}


@pytest.mark.parametrize('case', CASES, ids=[case.name for case in CASES])
def test_a_bad_input_raises_an_adjoint_error_saying_what_to_do(case):
    adjoint.cache.clear()  # an error is raised however the cache was left
    with pytest.raises(adjoint.AdjointError) as info:
        call(case.api, case.fn, case.args, case.options, case.tangents, case.cotangent)
    error = info.value
    assert type(error) is case.error, f'{type(error).__name__}: {error}'
    assert not isinstance(error, adjoint.InternalError)
    message = str(error)
    assert case.wrong in message, message
    assert case.hint in message, message
    if issubclass(case.error, adjoint.SourceError):
        line, text = marked_line(case.marker)
        assert (error.filename, error.line) == (str(CORPUS), line), message
        assert error.source_line.strip() == text.strip()
        assert message.startswith(f'{CORPUS}:{line}: ')
        assert message.endswith('\n    ' + text.strip())
    else:
        # Not about a line of code: a misuse of the API, or a value at run time.
        assert not any(text.strip() in message for text in LINES if MARKER.search(text))


@pytest.mark.parametrize('case', CASES, ids=[case.name for case in CASES])
def test_a_bad_input_raises_again_on_a_second_call(case):
    """The error is not a one-off of the first compilation: nothing half-built is
    cached that a second call would run (and get a number from)."""
    for _ in range(2):
        with pytest.raises(case.error):
            call(case.api, case.fn, case.args, case.options, case.tangents, case.cotangent)


def test_every_marked_line_is_a_case():
    markers = {case.marker for case in CASES if issubclass(case.error, adjoint.SourceError)}
    marked = {m.group(0) for text in LINES if (m := MARKER.search(text))}
    assert marked == markers


@pytest.mark.parametrize('case', NOT_ERRORS, ids=[case.name for case in NOT_ERRORS])
def test_inputs_that_are_not_errors(case):
    adjoint.cache.clear()
    if isinstance(case.expected, type) and issubclass(case.expected, Exception):
        with pytest.raises(case.expected) as info:
            call(case.api, case.fn, case.args, case.options)
        assert not isinstance(info.value, adjoint.AdjointError)
        with pytest.raises(case.expected):  # the function raises the same way
            case.fn(*case.args)
        return
    got, expected = call(case.api, case.fn, case.args, case.options), case.expected
    if isinstance(expected, dict):
        assert list(got) == list(expected)
        got, expected = list(got.values()), list(expected.values())
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_an_int_array_gradient_agrees_with_finite_differences():
    """The one not-an-error whose number is not obvious, checked by the library's
    own finite-difference check at two points."""
    from adjoint.testing import check_grads
    for point in (np.arange(3), np.array([-2, 5, 1])):
        gradient = adjoint.grad(bad_inputs.squared_norm)(point)
        np.testing.assert_allclose(gradient, 2.0 * point)
        check_grads(bad_inputs.squared_norm, (point.astype(float),))
