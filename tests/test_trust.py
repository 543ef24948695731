"""Regression tests of issue 11: derivatives that were silently wrong.

Each program is checked against central finite differences in both modes
(`check_grads`: the gradient element by element, the jvp along a random
direction, and the two against each other) at more than one point, and the
arguments must come back unchanged. A program whose meaning depends on two names
sharing one object must be rejected, naming the line.
"""


import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads, numerical_grad
from tests import trust_cases as cases


def points(*shapes, count=2, seed=0):
    """`count` argument tuples with these shapes (() for a float), seeded."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        out.append(tuple(float(rng.normal()) if shape == () else rng.normal(size=shape)
                         for shape in shapes))
    return out


def check_unchanged(fn, args, wrt):
    """check_grads at `args`, and every derivative leaves the arguments as they were."""
    saved = [np.copy(a) for a in args]
    check_grads(fn, tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in args),
                wrt=wrt)
    adjoint.grad(fn, wrt=wrt)(*args)
    adjoint.value_and_grad(fn, wrt=wrt)(*args)
    tangents = [np.ones_like(a) if isinstance(a, np.ndarray) else 1.0 for a in args]
    adjoint.jvp(fn)(tuple(args), tuple(tangents))
    for a, s in zip(args, saved):
        np.testing.assert_array_equal(a, s)


WRITES = [
    (cases.overwrites_caller, ((3,),)),
    (cases.overwrites_caller_add, ((3,),)),
    (cases.write_then_sum_copy, ((3,),)),
    (cases.write_then_sum_scaled, ((3,),)),
    (cases.write_then_sum_argument, ((3,),)),
    (cases.write_slice_then_mean, ((4,),)),
    (cases.append_then_sum, ((),)),
    (cases.view_then_write, ((),)),
    (cases.read_before_loop_write, ((3,),)),
    (cases.row_view_then_write, ((2, 3),)),
    (cases.fresh_rows_in_a_loop, ((3,),)),
    (cases.item_replaced_in_list, ((3,),)),
    (cases.scalar_read_then_write, ((3,),)),
    (cases.copy_then_write, ((3,),)),
    (cases.helper_writes_fresh, ((),)),
    (cases.helper_default_written, ((3,),)),
    (cases.repeated_index_write, ((3,),)),
    (cases.repeated_index_add, ((3,),)),
    (cases.repeated_index_write_2d, ((3,),)),
]


@pytest.mark.parametrize('fn, shapes', WRITES, ids=[f.__name__ for f, _ in WRITES])
def test_writes_into_arrays_and_lists(fn, shapes):
    for args in points(*shapes, seed=len(fn.__name__)):
        check_unchanged(fn, args, wrt=(0,))


def test_a_write_never_reaches_the_callers_array():
    x = np.array([1.0, 2.0, 3.0])
    gradient = adjoint.grad(cases.overwrites_caller)(x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(gradient, 2 * x)


def test_a_view_read_before_a_write_is_taped_before_it():
    assert adjoint.value_and_grad(cases.view_then_write)(3.0) == (21.0, 13.0)


ITEMS = [
    (cases.branch_then_index, ((), (3,))),
    (cases.branch_then_index_list, ((), ())),
    (cases.branch_then_fields, ((), (3,))),
]


@pytest.mark.parametrize('fn, shapes', ITEMS, ids=[f.__name__ for f, _ in ITEMS])
@pytest.mark.parametrize('a', [1.3, -0.7])
def test_items_read_after_a_branch(fn, shapes, a):
    """The cotangent of `y[1]` after an `if` that defines `y`, on both sides."""
    for _, *rest in points(*shapes, seed=3):
        check_grads(fn, (a, *rest), wrt=(1,))


def test_items_read_after_a_loop():
    for (x,) in points((3,)):
        check_grads(lambda x: cases.loop_then_index(x, 4), (x,))


@pytest.mark.parametrize('fn', [cases.carried, cases.carried_seven])
def test_kinds_of_values_carried_through_many_variables(fn):
    """Kind inference runs to its fixed point: after n rounds the loop carries an
    array through n variables, not a float."""
    v = np.array([1.0, 2.0, 3.0])
    for (x,) in points(()):
        check_grads(lambda x: fn(x, v, 10), (x,))


SHARED = [
    (cases.alias_then_write, (3.0,), 'y[0] = 5.0'),
    (cases.view_read_after_write, (np.ones(3),), 'y[0] = 5.0'),
    (cases.augmented_alias, (np.ones(3),), 'y += 1.0'),
    (cases.list_alias, (2.0,), 'xs.append(3.0 * a)'),
    (cases.row_written_through_view, (np.ones((2, 3)),), 'r[1] = 5.0'),
    (cases.alias_read_in_next_iteration, (np.ones(3),), 'y[i] = 2.0'),
    (cases.item_list_write, (np.ones(3),), 'r[0] = 0.0'),
    (cases.loop_result_alias, (np.ones((2, 3)),), 'u[1] += np.dot(v, u)'),
    (cases.row_augmented_in_loop, (1.5,), 'r -= np.sum(y)'),
    (cases.helper_writes_argument, (np.ones(3),), 'h = _write_first(x)'),
    (cases.helper_writes_row, (np.ones((2, 3)),), 's = _write_tail(y[0])'),
    (cases.helper_writes_through_helper, (np.ones(3),), 'h = _through_another(y)'),
    (cases.helper_default_written_by_keyword, (np.ones(3),), 'h = _shifted(x, scale=y)'),
    (cases.helper_writes_in_a_dropped_test, (np.ones(3),), 'if _write_first(x) > 1.5:'),
    (cases.helper_adds_into_a_list_made_in_a_loop, (np.ones(3),),
     's = _add_into_second(z[1], [z, z])'),
    (cases.item_of_a_helper_tuple_read_after_a_write, (np.ones(3),), 'v[0] = 5.0'),
    (cases.item_of_a_nested_helper_tuple_read_after_a_write, (np.ones(3),), 'v[0] = 5.0'),
    (cases.item_of_a_helper_dict_read_after_a_write, (np.ones(3),), 'v[0] = 5.0'),
    (cases.item_of_a_list_slice_read_after_a_write, (np.ones(3),), 'v[0] = 5.0'),
    (cases.item_of_a_tuple_slice_read_after_a_write, (np.ones(3),), 'v[0] = 5.0'),
    (cases.piece_of_a_split_written, (np.ones(4),), 'a[0] = 0.0'),
    (cases.row_of_a_list_of_rows_written, (np.ones(4),), 'r0[1] = x[2] ** 2'),
]


@pytest.mark.parametrize('fn, args, write', SHARED, ids=[f.__name__ for f, _, _ in SHARED])
def test_reads_through_a_shared_object_are_rejected(fn, args, write):
    """Python reads the new contents through the other name; adjoint would read
    the old ones: an error naming the read and the write, not a wrong number."""
    for derivative in (adjoint.grad(fn), lambda *a: adjoint.jvp(fn)(a, a)):
        with pytest.raises(adjoint.UnsupportedSyntaxError) as error:
            derivative(*args)
        message = str(error.value)
        assert 'trust_cases.py:' in message
        assert f'(`{write}`) changed in place' in message
        assert 'copy it first' in message


def test_a_row_written_into_an_array_is_a_copy():
    for (x,) in points((2,), seed=53):
        check_unchanged(cases.trajectory_filled_in_a_loop, (x,), wrt=(0,))


def test_the_items_of_a_tuple_are_told_apart():
    """`u, v = helper(...)` returning `u, v`: a write into `u` is not a write
    into `v` (a tuple's items are tracked one by one, as no write changes them)."""
    for (x,) in points((3,), seed=47):
        check_unchanged(cases.items_of_a_helper_tuple_told_apart, (x,), wrt=(0,))


def test_a_saved_tangent_is_not_changed_by_a_later_write():
    """Forward over reverse: a helper's tangent saves `dx` (the tangent of
    `x - y`), which the tangent of a later write into `x` must not change."""
    for x, y in points((3,), (), seed=43):
        hessian = adjoint.hessian(cases.helper_saves_an_argument_whose_tangent_is_written,
                                  wrt=(0, 1))(x.copy(), y)
        gradient = adjoint.grad(cases.helper_saves_an_argument_whose_tangent_is_written,
                                wrt=(0, 1))
        eps = 1e-5
        for j, step in enumerate(np.eye(3) * eps):
            up, down = gradient(x + step, y), gradient(x - step, y)
            assert np.allclose(hessian[0][0][:, j], (up[0] - down[0]) / (2 * eps), atol=1e-6)
            assert np.allclose(hessian[1][0][j], (up[1] - down[1]) / (2 * eps), atol=1e-6)
        assert np.allclose(hessian[0][0], hessian[0][0].T)


def test_an_if_that_only_continues_keeps_its_test():
    x = np.array([-1.0, 2.0])
    for derivative in (adjoint.grad(cases.test_then_continue),
                       lambda x: adjoint.jvp(cases.test_then_continue)((x,), (x,))):
        with pytest.raises(ValueError, match='math domain error'):
            derivative(x)
    for x in (np.array([0.5, 2.0]), np.array([1.5, -0.4])):
        check_unchanged(cases.test_then_continue, (x,), wrt=(0,))
    with pytest.raises(adjoint.UnsupportedSyntaxError, match='writes into its argument'):
        adjoint.grad(cases.helper_writes_in_a_test)(np.ones((2, 3)))


@pytest.mark.parametrize('fn, shape', [(cases.item_added_in_place, (3,)),
                                       (cases.item_added_into_a_dict_value, (3,)),
                                       (cases.item_added_in_a_concatenated_list, (2, 3))])
def test_an_augmented_assignment_into_an_array_item_is_rejected(fn, shape):
    for derivative in (adjoint.grad(fn), lambda x: adjoint.jvp(fn)((x,), (x,))):
        with pytest.raises(adjoint.UnsupportedSyntaxError,
                           match=r'trust_cases\.py:\d+: an augmented assignment to an item'):
            derivative(np.ones(shape))
    for (x,) in points((3,)):
        check_unchanged(cases.item_added_written_out, (x,), wrt=(0,))


def test_a_helper_adding_into_an_item_of_a_list_it_was_given():
    x, y = np.ones((2, 3)), np.arange(6.0).reshape(2, 3) - 3.0
    with pytest.raises(adjoint.UnsupportedSyntaxError, match='_add_into_second'):
        adjoint.grad(cases.helper_adds_into_a_list_item, wrt=(0, 1))(x, y)
    for x, y in points((2, 3), (2, 3), seed=3):
        check_unchanged(cases.helper_adds_into_an_unread_list_item, (x, y), wrt=(0, 1))


def test_a_helper_writing_into_an_argument_of_unknown_kind():
    for x, y in points((3,), ()):
        check_unchanged(cases.helper_doubles_an_unknown_kind, (x, y), wrt=(0, 1))


def test_two_writes_of_one_slice_give_their_cotangents_in_turn():
    for x, y in points((2, 3), (3,), seed=7):
        check_unchanged(cases.same_write_twice, (x, y), wrt=(0, 1))


def test_a_helper_writing_into_an_argument_says_so():
    with pytest.raises(adjoint.UnsupportedSyntaxError, match='`_write_first` writes into '
                       'its argument') as error:
        adjoint.grad(cases.helper_writes_argument)(np.ones(3))
    assert 'return the changed array from the helper' in str(error.value)


def test_a_helper_kept_for_its_errors_writes_into_a_copy():
    """The helper's own code runs (its value is unused): on a copy of the row, so the
    caller's array stays as it was, in both modes."""
    for m, a in points((2, 3), ()):
        check_unchanged(cases.helper_writes_unread_view, (m, a), wrt=(0, 1))
    for x, a in points((3,), ()):  # a helper adjoint cannot read may write anything
        check_unchanged(cases.unreadable_helper_writes_items, (x, a), wrt=(0, 1))


def test_a_row_taped_in_a_loop_is_not_overwritten_before_the_backward_sweep():
    for x, y in points((2,), (2, 3), count=3, seed=5):
        check_unchanged(cases.row_view_taped_in_loop, (x, y), wrt=(1,))


@pytest.mark.parametrize('fn', [cases.over_dict, cases.over_items, cases.over_values])
def test_a_loop_over_a_dict_walks_its_keys(fn):
    for p in ({'a': 1.5, 'b': -2.0}, {'w': 0.3, 'b': 0.7, 'c': 1.1}):
        gradient = adjoint.grad(fn)(p)
        for key in p:
            eps = 1e-6
            up, down = dict(p), dict(p)
            up[key] += eps
            down[key] -= eps
            assert gradient[key] == pytest.approx((fn(up) - fn(down)) / (2 * eps), rel=1e-6)
        tangent = {k: 1.0 for k in p}
        value, derivative = adjoint.jvp(fn)((p,), (tangent,))
        assert value == fn(p)
        assert derivative == pytest.approx(sum(gradient.values()), rel=1e-9)


def test_integer_keys_are_keys_not_positions():
    p = {1: 2.0, 0: 3.0}
    assert adjoint.value_and_grad(cases.over_int_keys)(p) == (2.0, {1: 1.0, 0: 0.0})
    assert adjoint.jvp(cases.over_int_keys)((p,), ({1: 1.0, 0: 1.0},)) == (2.0, 1.0)


def test_a_comprehension_over_an_array():
    for (a,) in points((4,)):
        check_grads(cases.listcomp, (a,))


def test_a_loop_walks_the_object_it_started_with():
    """Rebinding the name inside the loop does not change what Python walks."""
    x = np.array([1.0, 2.0, 3.0])
    assert adjoint.value_and_grad(cases.loop_over_rebound)(1.0, x)[0] == 6.0
    for a, x in points((), (3,)):
        check_grads(cases.loop_over_rebound, (a, x))


def test_appending_to_the_list_a_loop_walks_is_rejected():
    with pytest.raises(adjoint.UnsupportedSyntaxError, match='changed in place'):
        adjoint.grad(cases.append_while_walking)(1.0)


def test_a_file_edited_after_import_is_not_read_as_the_function(tmp_path, monkeypatch):
    """inspect reads the file as it is now; Python runs the code it had: reject."""
    import importlib
    import sys
    path = tmp_path / 'edited_module.py'
    path.write_text('def f(x):\n    return x * x\n\n\n'
                    'class Model:\n    def loss(self, x):\n        return self.__w * x\n\n\n'
                    'def outer(a):\n    def inner(x):\n        return a * x\n    return inner\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module('edited_module')
    try:
        assert adjoint.grad(module.f)(3.0) == 6.0
        inner = module.outer(2.0)
        assert adjoint.grad(inner)(3.0) == 2.0
        model = module.Model()
        model._Model__w = 4.0
        assert adjoint.grad(model.loss)(3.0) == 4.0
        path.write_text('def f(x):\n    return x ** 4\n')
        adjoint.cache.clear()
        with pytest.raises(adjoint.NoSourceError, match='has changed since `f` was defined'):
            adjoint.grad(module.f)(3.0)
        importlib.reload(module)
        assert adjoint.grad(module.f)(3.0) == 108.0
    finally:
        sys.modules.pop('edited_module', None)


@pytest.mark.parametrize('args', [(0.0644, 0.489, 1.27), (0.0644, 0.489, 0.5),
                                  (-1.5, 0.4, 1.0), (0.7, 2.0, 0.9)])
def test_a_while_test_keeps_the_values_it_exits_with(args):
    """A value the test of a `while` reads (here through a conditional expression)
    is the loop's result when the test fails: nothing may overwrite it."""
    fn = cases.ifexp_in_while
    assert adjoint.value_and_grad(fn, wrt=(0, 1))(*args)[0] == fn(*args)
    check_grads(fn, args, wrt=(0, 1))


@pytest.mark.parametrize('fn', [cases.swap_in_loop, cases.rotate_in_loop])
def test_values_swapped_in_a_loop_keep_their_own_tangents(fn):
    """Loop-carried values that pass each other along (`d, t1 = t1, d`) are alive
    together at the head of the loop: their tangents must not share a name."""
    for x in (1.5, -0.4):
        check_grads(lambda x: fn(x, 3), (x,))


def test_a_derivative_raises_where_its_function_raises():
    """math.log(x - 10.0) at 2.0 raises; its gradient does not need the log's
    value, but must raise too (the optimizer keeps the call for its error)."""
    for derivative in (adjoint.grad(cases.log_outside_domain),
                       lambda x: adjoint.jvp(cases.log_outside_domain)((x,), (1.0,))):
        with pytest.raises(ValueError, match='math domain error'):
            derivative(2.0)
    assert adjoint.grad(cases.log_outside_domain)(12.0) == 0.5


def test_the_test_of_an_empty_if_still_runs():
    """`if c: pass` after an early return: the test is evaluated, and raises where
    the function raises, in both modes; elsewhere the derivative is right."""
    fn = cases.test_of_an_empty_if_raises
    for derivative in (adjoint.grad(fn), lambda x: adjoint.jvp(fn)((x,), (1.0,))):
        with pytest.raises(ValueError, match='math domain error'):
            derivative(-2.0)
    for x in (0.5, 1.7):
        check_grads(fn, (x,))


def test_a_list_whose_items_differ_in_kind_is_not_compiled_for_the_first():
    """Code specialized to the first item's kind (a float) would treat the array
    after it as a float: a gradient of the wrong shape for `b`."""
    w0, b0, w1, b1 = 2.0, 3.0, np.array([1.0, -2.0]), 0.5

    def flat(w0, b0, w1, b1):
        return cases.weighted_pairs([{'w': w0, 'b': b0}, {'w': w1, 'b': b1}])

    flat_args = (w0, b0, w1, b1)
    gradient = adjoint.grad(cases.weighted_pairs)([{'w': w0, 'b': b0}, {'w': w1, 'b': b1}])
    got = (gradient[0]['w'], gradient[0]['b'], gradient[1]['w'], gradient[1]['b'])
    for k, value in enumerate(got):
        expected = numerical_grad(flat, flat_args, k)
        assert np.shape(value) == np.shape(expected)
        np.testing.assert_allclose(value, expected, rtol=1e-6)
    for a, b in [(np.array([1.0, 2.0]), 0.5), (np.array([[0.5], [-1.0]]), -2.0)]:
        ga, gb = adjoint.grad(cases.array_and_scale)((a, b))
        assert np.shape(gb) == ()
        np.testing.assert_allclose(gb, np.sum(a * a))
        np.testing.assert_allclose(ga, 2 * a * b)


@pytest.mark.parametrize('fn', [cases.slice_in_a_branch, cases.reversed_in_a_branch,
                                cases.tail_in_a_branch])
def test_the_gradient_of_a_slice_in_a_branch_is_differentiable_again(fn):
    """The gradient differentiated again, in both modes (`hessian` is forward over
    reverse), against finite differences of the gradient."""
    gradient = adjoint.grad(fn)
    for (x,) in points((3,), seed=7):
        for k in range(3):
            check_grads(lambda x: gradient(x)[k], (x,))
        numerical = np.stack([numerical_grad(lambda x: gradient(x)[k], (x,), 0)
                              for k in range(3)])
        np.testing.assert_allclose(adjoint.hessian(fn)(x), numerical, rtol=1e-5, atol=1e-6)


ITEMS = [cases.array_item_overwritten, cases.dict_value_overwritten, cases.dict_key_added,
         cases.nested_item_overwritten, cases.items_overwritten_in_a_loop,
         cases.list_slice_shrunk, cases.list_slice_grown, cases.list_extended_slice,
         cases.list_slice_of_arrays, cases.list_concatenated, cases.constants_concatenated,
         cases.tuples_concatenated, cases.arrays_concatenated, cases.list_repeated,
         cases.list_repeated_on_the_left, cases.list_grown_in_a_loop,
         cases.repeated_index_added_to_a_selection]


@pytest.mark.parametrize('fn', ITEMS, ids=[f.__name__ for f in ITEMS])
def test_items_of_lists_and_dicts_written_or_concatenated(fn):
    """Each was a crash or a wrong gradient or Hessian: an overwritten item's
    cotangent was the number 0.0, a slice that resized a list misplaced the rest,
    `+`/`*` of lists took the rules of numbers, and `add_at` in the Hessian's
    tangent code wrote into a tangent another value shared."""
    for (x,) in points((3,), seed=len(fn.__name__)):
        check_unchanged(fn, (x,), wrt=(0,))
        gradient = adjoint.grad(fn)
        step = 1e-5 * np.eye(3)
        expected = np.stack([(gradient(x + e) - gradient(x - e)) / 2e-5 for e in step], axis=-1)
        np.testing.assert_allclose(adjoint.hessian(fn)(x), expected, rtol=1e-5, atol=1e-6)


def test_a_helper_adjoint_cannot_read_may_write_into_its_arguments():
    for derivative in (adjoint.grad(cases.unreadable_helper_in_a_test),
                       lambda z: adjoint.jvp(cases.unreadable_helper_in_a_test)((z,), (z,))):
        with pytest.raises(adjoint.UnsupportedSyntaxError,
                           match=r'trust_cases\.py:\d+: .* may have changed in place: adjoint '
                                 r'cannot read `_write_through_a_view` \(.*trust_cases\.py:\d+: '
                                 r'assignment to this target is not supported'):
            derivative(np.array([0.3, -1.2, 0.7]))


def test_two_equal_products_one_a_helper_writes_into_are_two_values():
    for x, y in points((), (3,), seed=11):
        check_unchanged(cases.helper_writes_a_repeated_product, (x, y), wrt=(0, 1))


@pytest.mark.parametrize('fn', [cases.helper_with_star_args, cases.helper_with_star_kwargs])
def test_the_arguments_a_helper_packs_get_their_cotangents(fn):
    for (x,) in points((3,), seed=17):
        check_unchanged(fn, (x,), wrt=(0,))


@pytest.mark.parametrize('fn', [cases.clipped_by_keyword, cases.clipped_above_by_keyword])
def test_a_differentiated_keyword_argument_gets_its_cotangent(fn):
    for x, lo in points((3,), (), seed=13):
        check_unchanged(fn, (x, lo - 0.5), wrt=(0, 1))


@pytest.mark.parametrize('fn', [cases.times_a_complex_constant, cases.times_a_complex_global])
def test_complex_numbers_in_a_derivative_are_rejected(fn):
    for derivative in (adjoint.grad(fn), lambda x: adjoint.jvp(fn)((x,), (x,))):
        with pytest.raises(adjoint.UnsupportedSyntaxError,
                           match=r'trust_cases\.py:\d+: complex numbers are not differentiated'):
            derivative(np.ones(3))


def test_complex_data_is_rejected():
    w = np.array([1j, 2.0, 1.0])
    for derivative in (lambda x: adjoint.grad(cases.times_complex_data)(x, w),
                       lambda x: adjoint.jvp(cases.times_complex_data)((x, w), (x, None))):
        with pytest.raises(adjoint.AdjointError, match='argument `w` of `times_complex_data` '
                           'is .or holds. complex numbers'):
            derivative(np.ones(3))


def test_the_cotangent_of_float_has_the_shape_of_its_argument():
    """float() of a size-1 array (NumPy before 2.x allows it, with a warning): the
    cotangent is an array of that shape, not a float."""
    from adjoint.rules.builtins_rules import float_vjp
    (part,) = float_vjp(2.0, 3.0, np.array([[3.0]]))
    assert part.shape == (1, 1) and part[0, 0] == 2.0
    for value in (0.5, -1.5):
        gradient = adjoint.grad(cases.float_of_a_zero_dimensional_array)(np.array(value))
        assert np.shape(gradient) == ()
        np.testing.assert_allclose(gradient, 2.0 + 2.0 * value)


def test_a_view_saved_in_a_branch_is_not_overwritten_before_the_backward_sweep():
    for m, y in points((2, 3), (), seed=19):
        check_unchanged(cases.view_in_a_branch_then_written, (m, abs(y)), wrt=(0,))


@pytest.mark.parametrize('fn, params', [(cases.helper_given_one_array_twice, ('a', 'b')),
                                        (cases.helper_given_an_array_and_a_list_of_it,
                                         ('a0', 'xs1'))])
def test_a_helper_writing_into_one_of_two_arguments_that_share_an_array(fn, params):
    written, other = params
    for derivative in (adjoint.grad(fn), lambda x: adjoint.jvp(fn)((x,), (x,))):
        with pytest.raises(adjoint.UnsupportedSyntaxError,
                           match=rf'trust_cases\.py:\d+: `_\w+` writes into its parameter '
                                 rf'`{written}`, and its parameter `{other}` may be or hold'):
            derivative(np.array([1.0, 2.0, 3.0]))


def test_a_differentiated_keyword_only_argument_is_rejected_in_reverse_mode():
    fn = cases.padded_with_a_differentiated_constant
    x = np.array([0.5, -1.0])
    with pytest.raises(adjoint.UnsupportedSyntaxError,
                       match=r'trust_cases\.py:\d+: the derivative of `np\.pad` with respect '
                             r'to its argument `constant_values=` is not supported'):
        adjoint.grad(fn, wrt=1)(x, 3.0)
    # forward mode binds it by name: 2 * 2 * v for the two padded elements
    assert adjoint.jvp(fn, (x, 3.0), (np.zeros(2), 1.0))[1] == 12.0


def test_a_differentiated_keyword_only_argument_without_a_tangent_is_rejected_in_both_modes():
    @adjoint.vjp_rule(cases.scaled_square)
    def scaled_square_vjp(g, ans, x, *, scale=1.0):
        return (2.0 * scale * x * g,)

    @adjoint.jvp_rule(cases.scaled_square)
    def scaled_square_jvp(dx, ans, x, *, scale=1.0):
        return 2.0 * scale * x * dx

    fn = cases.scaled_square_of_a_differentiated_scale
    message = (r'trust_cases\.py:\d+: the derivative of `scaled_square` with respect '
               r'to its argument `scale=` is not supported')
    with pytest.raises(adjoint.UnsupportedSyntaxError, match=message):
        adjoint.grad(fn, wrt=1)(0.5, 3.0)
    with pytest.raises(adjoint.UnsupportedSyntaxError, match=message):
        adjoint.jvp(fn, (0.5, 3.0), (0.0, 1.0))
    # differentiated with respect to x alone, both modes take the rule
    assert adjoint.grad(fn, wrt=0)(0.5, 3.0) == 3.0
    assert adjoint.jvp(fn, (0.5, 3.0), (1.0, None))[1] == 3.0
    assert adjoint.derivative(fn, wrt=0)(0.5, 3.0) == 3.0


def test_a_rule_default_unlike_its_callees_is_passed_on_when_inlined():
    @adjoint.vjp_rule(cases.column_sums)
    def column_sums_vjp(g, ans, x, axis=0):
        return (np.broadcast_to(np.expand_dims(g, axis), x.shape),)

    @adjoint.jvp_rule(cases.column_sums)
    def column_sums_jvp(dx, ans, x, axis=0):
        return np.sum(dx, axis=axis)

    for (x,) in points((2, 3), seed=29):
        check_unchanged(cases.weighted_column_sums, (x,), wrt=(0,))


def test_cotangents_of_tuples_add_item_by_item():
    from adjoint.runtime import add_cotangents
    assert add_cotangents((1.0, 2.0), (3.0, 4.0)) == [4.0, 6.0]


def test_cotangents_of_a_tuple_of_unknown_kind_add_item_by_item():
    for (x,) in points((3,), seed=23):
        check_unchanged(cases.tuples_of_unknown_kind_accumulated, (x,), wrt=(0,))


@pytest.mark.parametrize('fn', [cases.writes_into_a_view_of_a_new_array,
                                cases.writes_into_one_of_two_helper_results,
                                cases.reads_a_helper_result_written_through_its_argument])
def test_a_helper_writing_into_one_of_two_different_arrays(fn):
    for (v,) in points((3,), seed=19):
        check_unchanged(fn, (v,), wrt=(0,))


def test_a_helper_that_returns_what_it_wrote_into_in_a_loop():
    for vx, vy in points((4,), (4,), seed=23):
        check_unchanged(cases.projects_in_a_loop, (vx, vy), wrt=(0, 1))


def test_reading_the_array_a_helper_returned_and_wrote_into_is_rejected():
    with pytest.raises(adjoint.UnsupportedSyntaxError,
                       match=r'trust_cases\.py:\d+: this reads, through another name or a '
                             r'view, an array or list that line \d+'):
        adjoint.grad(cases.reads_the_argument_a_helper_returned_and_wrote)(np.ones(3))


@pytest.mark.parametrize('fn', [cases.array_times_a_list_literal,
                                cases.array_plus_a_list_of_differentiated_floats])
def test_an_array_and_a_list_are_arithmetic(fn):
    for (x,) in points((3,), seed=29):
        check_unchanged(fn, (x,), wrt=(0,))


def test_an_array_times_a_list_argument():
    for (x,) in points((3,), seed=31):
        check_grads(lambda v: cases.array_times_a_list_argument(v, [1.0, 2.0, 3.0]), (x,))
        assert np.allclose(adjoint.grad(cases.array_times_a_list_argument)(x, [1.0, 2.0, 3.0]),
                           (1.0 - np.tanh(x) ** 2) * [1.0, 2.0, 3.0])


def test_a_list_times_a_value_of_unknown_kind_is_rejected():
    import types
    config = types.SimpleNamespace(repeat=2)
    for derivative in (adjoint.grad(cases.list_times_a_value_of_unknown_kind),
                       lambda x, c: adjoint.jvp(cases.list_times_a_value_of_unknown_kind)(
                           (x, c), (1.0, None))):
        with pytest.raises(adjoint.UnsupportedSyntaxError,
                           match=r'trust_cases\.py:\d+: this adds or multiplies a list or '
                                 r'tuple and a value adjoint does not know the kind of'):
            derivative(0.5, config)


def test_a_dict_item_read_before_and_after_it_is_overwritten():
    for x, y in points((), (), seed=37):
        check_unchanged(cases.dict_item_overwritten_then_read, (x, y), wrt=(0, 1))


def test_a_spread_list_is_read_when_it_is_spread():
    for (x,) in points((), seed=41):
        check_unchanged(cases.spread_of_a_list_written_in_place, (x,), wrt=(0,))
    with pytest.raises(adjoint.UnsupportedSyntaxError,
                       match=r'trust_cases\.py:\d+: this reads, through another name or a '
                             r'view, an array or list that line \d+ \(`ys\[0\] = 3\.0 \* x`\)'):
        adjoint.grad(cases.spread_of_a_list_written_through_another_name)(1.0)


def test_a_helper_calling_an_unreadable_helper_may_write_into_its_arguments():
    fn = cases.data_passed_to_an_unreadable_writer
    for x, data in points((3,), (3,), seed=43):
        saved = data.copy()
        check_grads(lambda v: fn(v, data.copy()), (x,))
        adjoint.grad(fn)(x, data)
        adjoint.value_and_grad(fn)(x, data)
        adjoint.jvp(fn)((x, data), (np.ones(3), None))
        np.testing.assert_array_equal(data, saved)


@pytest.mark.parametrize('fn', [cases.einsum_through_a_helper,
                                cases.einsum_sublists_through_a_helper])
def test_second_derivatives_of_einsum_subscripts_passed_to_a_helper(fn):
    """The subscripts' zero tangent was contracted as if it were them: the
    Hessian counted the einsum twice (autograd's tests, through a helper)."""
    for a, b, v in points((2, 3), (3, 4), (2, 4), seed=47):
        check_grads(fn, (a, b, v), wrt=(0, 1), order=2)
        gradient = adjoint.grad(fn, wrt=(0, 1))
        _, pullback = adjoint.vjp(gradient, a, b, v)  # reverse over reverse
        ca, cb = np.ones((2, 3)), np.ones((3, 4))
        inner = lambda a_: float(np.sum(gradient(a_, b, v)[0] * ca)  # noqa: E731
                                 + np.sum(gradient(a_, b, v)[1] * cb))
        np.testing.assert_allclose(pullback((ca, cb))[0], numerical_grad(inner, (a,), 0),
                                   rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize('fn, shapes', [(cases.one_cotangent_for_two_slices, ((4,),)),
                                        (cases.one_cotangent_for_two_arguments, ((4,), (4,)))])
def test_one_cotangent_given_to_two_values_is_not_updated_in_place(fn, shapes):
    """An elementwise operation of two arrays of one shape gives both the one
    cotangent; an owned buffer updated in place for one of them changed the
    other's gradient (the generated code made `grads = (bv, bv)` after
    `bv[0] += 5.0`)."""
    for args in points(*shapes, seed=53):
        check_unchanged(fn, args, tuple(range(len(args))))


def test_the_rows_of_a_value_of_unknown_kind_are_views_of_it():
    line = cases.row_of_an_array_of_unknown_kind_written.__code__.co_firstlineno + 8
    for api in (adjoint.grad, adjoint.value_and_grad):
        with pytest.raises(adjoint.UnsupportedSyntaxError,
                           match=rf'trust_cases\.py:{line}: this reads, through another '
                                 rf'name or a view, an array or list that line {line - 1}'):
            api(cases.row_of_an_array_of_unknown_kind_written)(np.ones((3, 3)))
