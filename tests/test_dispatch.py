"""The fast path of a derivative's call (adjoint/dispatch.py): the generated
`__call__` that checks argument types inline picks the version compiled for the
arguments' kinds, never a stale one, and leaves everything else to the general
path, which raises what the function's own call would."""

import linecache
import traceback

import numpy as np
import pytest

import adjoint
from adjoint import cache, dispatch


def square_sum(x, scale=2.0):
    return np.sum(x * x) * scale


def dispatch_source(derivative):
    return ''.join(linecache.getlines(type(derivative).__call__.__code__.co_filename))


def test_each_kind_gets_its_own_version_and_the_fast_path_finds_it():
    cache.clear()
    g = adjoint.grad(square_sum)
    values = [1.5, 3, np.float64(0.5), np.arange(3.0), np.ones((2, 2)),
              np.ones(3, dtype=np.float32), np.array(2.0)]
    for value in values:
        np.testing.assert_allclose(g(value), 4.0 * np.asarray(value, dtype=float))
    compiled = cache.stats['compile']
    for value in values * 2:  # every call now takes the fast path
        np.testing.assert_allclose(g(value), 4.0 * np.asarray(value, dtype=float))
        assert g._last[0] is not None
    assert cache.stats['compile'] == compiled
    source = dispatch_source(g)
    assert 'def __call__(self, a0=MISSING, a1=MISSING, /, *more, **kwargs):' in source
    assert 'a0.ndim == 2 and a0.dtype is' in source and 'a1 is MISSING' in source
    assert len(g._inline) == len(values)


def test_the_version_that_ran_is_the_one_shown():
    g = adjoint.grad(square_sum)
    g(1.5)
    g(np.arange(3.0))
    shown = g.source
    g(1.5)
    assert g.source != shown and g._last is g._inline[((float,),), (None,)][2]


def test_a_default_given_or_not_is_another_arity():
    g = adjoint.grad(square_sum)
    assert g(1.5) == 6.0
    assert g(1.5, 3.0) == 9.0
    assert g(1.5, scale=4.0) == 12.0  # a keyword argument: the general path
    assert g(1.5) == 6.0


def test_a_changed_global_is_not_called_stale(tmp_path, monkeypatch):
    (tmp_path / 'dispatch_globals.py').write_text(
        'K = 2.0\n\n\ndef f(x):\n    return K * x * x\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    import dispatch_globals
    g = adjoint.grad(dispatch_globals.f)
    assert g(3.0) == 12.0 and g(3.0) == 12.0
    dispatch_globals.K = 5.0
    assert g(3.0) == 30.0
    assert g(np.array(3.0)) == 30.0


def test_lists_and_dicts_keep_the_general_path():
    def total(xs):
        return xs[0] * xs[1]

    g = adjoint.grad(total)
    assert g([2.0, 3.0]) == [3.0, 2.0]
    assert g([2.0, 3.0]) == [3.0, 2.0]
    assert dispatch.spec_of(([2.0, 3.0],)) is None and not g._inline


def test_past_the_most_versions_the_general_path_serves_the_rest():
    g = adjoint.grad(square_sum)
    arrays = [np.ones((1,) * ndim) for ndim in range(dispatch._MOST_VERSIONS + 3)]
    for x in arrays + arrays:
        np.testing.assert_allclose(g(x), 4.0 * x)
    assert len(g._inline) == dispatch._MOST_VERSIONS


def test_the_dispatch_frame_is_not_in_a_traceback():
    def inverse(x):
        return 1.0 / x

    g = adjoint.grad(inverse)
    g(2.0)
    with pytest.raises(ZeroDivisionError) as info:
        g(0.0)
    frames = [frame.filename for frame in traceback.extract_tb(info.value.__traceback__)]
    assert not any('<dispatch' in name for name in frames)


def test_a_call_the_checks_do_not_cover_raises_what_the_function_would():
    g = adjoint.grad(square_sum)
    assert g(1.5) == 6.0  # a version: the generated __call__ is in place
    with pytest.raises(TypeError) as its:
        square_sum(1.5, 2.0, 3.0)
    with pytest.raises(TypeError) as ours:
        g(1.5, 2.0, 3.0)
    assert str(ours.value).replace('grad_', '') == str(its.value)
    with pytest.raises(TypeError, match='missing 1 required positional'):
        g()
    assert g(x=1.5) == 6.0 and g(1.5, scale=1.0) == 3.0  # keywords: the general path


def test_each_derivative_has_its_own_call():
    def cube(x):
        return x * x * x

    g, h = adjoint.grad(square_sum), adjoint.grad(cube)
    assert g(2.0) == 8.0 and h(2.0) == 12.0
    assert type(g) is not type(h) and type(g).__call__ is not type(h).__call__
    assert isinstance(g, adjoint.api.Derivative) and isinstance(h, adjoint.api.Derivative)
    cache.clear()  # forgets the versions, and the generated __call__ with them
    assert '__call__' not in type(g).__dict__
    assert g(2.0) == 8.0 and '__call__' in type(g).__dict__
