"""Programs that once got a silently wrong derivative (issue 11), and their families.

Each is checked against finite differences in both modes by tests/test_trust.py;
the ones whose meaning depends on two names sharing one object must be rejected.
"""

import math

import numpy as np

# ---------------------------------------------------------------- writes into arrays


def overwrites_caller(x):
    y = x * 1.0  # the optimizer makes this `x`: the writes below must not reach x
    for i in range(3):
        y[i] = 0.0
    return np.sum(x * x) + y[0]


def overwrites_caller_add(x):
    y = x + 0.0
    for i in range(3):
        y[i] = 0.0
    return np.sum(x * x) + y[0]


def write_then_sum_copy(x):
    y = x.copy()
    y[0] = y[0] * y[1]
    return np.sum(y)


def write_then_sum_scaled(x):
    y = x * 1.0
    y[0] = y[0] * y[1]
    return np.sum(y)


def write_then_sum_argument(x):
    x[0] = x[0] * x[1]
    return np.sum(x)


def write_slice_then_mean(x):
    y = x * 2.0
    y[1:] = y[1:] * y[:-1]
    return np.mean(y)


def append_then_sum(a):
    xs = [a, 2.0 * a]
    xs.append(a * a)
    return np.sum(np.array(xs))


def view_then_write(a):
    w = np.ones(3) * a
    s = np.sum(w[:2] * w[:2])
    w[0] = 5.0
    return s + w[2]


def read_before_loop_write(x):
    y = x * 2.0
    s = np.sum(y * y)
    for i in range(3):
        y[i] = 0.0
    return s + np.sum(y)


def row_view_then_write(m):
    y = m * 1.0
    r = np.sum(y[0] * y[1])
    y[0, 1] = 2.0
    return r + np.sum(y * m)


# ---------------------------------------------------------------- adjoints held per item


def branch_then_index(a, x):
    if a > 0.0:
        y = x * 2.0
    else:
        y = x * 3.0
    return y[1]


def branch_then_index_list(a, x):
    if a > 0.0:
        y = [x * 2.0, x]
    else:
        y = [x * 3.0, x * x]
    return y[0] + y[1]


def loop_then_index(x, n):
    y = x
    for i in range(n):
        y = y * 1.5
    return y[0] + y[2]


def branch_then_fields(a, x):
    if a > 0.0:
        p = (x * 2.0, x * x)
    else:
        p = (x, 3.0 * x)
    u, v = p
    return np.sum(u * v)


# ---------------------------------------------------------------- kinds through loops


def carried(x, v, n):
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    a4 = 0.0
    for i in range(n):
        a0 = a1
        a1 = a2
        a2 = a3
        a3 = a4
        a4 = v
    return np.sum(a0 * x)


def carried_seven(x, v, n):
    a0, a1, a2, a3, a4, a5, a6 = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    for i in range(n):
        a0, a1, a2, a3, a4, a5, a6 = a1, a2, a3, a4, a5, a6, v * x
    return np.sum(a0 * x)


# ---------------------------------------------------------------- shared objects: rejected


def alias_then_write(x):
    y = np.array([x, 2.0 * x])
    z = y
    y[0] = 5.0
    return np.sum(z * x)


def view_read_after_write(x):
    y = x * 1.0
    z = y[:2]
    y[0] = 5.0
    return np.sum(z * x[:2])


def augmented_alias(x):
    y = x * 2.0
    z = y
    y += 1.0
    return np.sum(z * x)


def list_alias(a):
    xs = [a, 2.0 * a]
    ys = xs
    xs.append(3.0 * a)
    return ys[2]


def row_written_through_view(m):
    y = m * 1.0
    r = y[0]
    r[1] = 5.0
    return np.sum(y * m)


def alias_read_in_next_iteration(x):
    y = x * 1.0
    z = y
    s = 0.0
    for i in range(3):
        s = s + z[0] * x[i]
        y[i] = 2.0
    return s


def item_list_write(x):
    rows = [x * 1.0, x * 2.0]
    r = rows[0]
    r[0] = 0.0
    return np.sum(rows[0] * x)


def repeated_index_write(x):
    y = np.zeros(3)
    y[[0, 0]] = x[:2]  # NumPy writes in order: y[0] is x[1]
    return np.sum(y * y)


def repeated_index_add(x):
    y = x * 1.0
    y[[0, 0, 2]] += x[:3] ** 2  # y[0] + x[1] ** 2: the first sum is overwritten
    return np.sum(y * y)


def repeated_index_write_2d(x):
    y = np.zeros((2, 2))
    y[[0, 0], [1, 1]] = x[:2]
    return np.sum(y * np.arange(4.0).reshape(2, 2))


def same_write_twice(x, y):
    # the two writes' cotangents are two reads of one buffer, cleared between
    # them: not one value (the fuzzer's seed 378)
    v = y[1:]
    x[:, 1:] = v[1]
    x[:, 1:] = v[1]
    return np.sum(x)


def _log_of_first(a):
    return math.log(a[0])


def test_then_continue(x):
    # `if ...: continue` ending a loop body still evaluates its test, which raises
    # for x[0] <= 0 (the fuzzer's seed 100595 wrote through it)
    s = 0.0
    for i in range(2):
        s = s + x[i] * x[0]
        if _log_of_first(x) > 5.0:
            continue
    return s


def _double(a):
    a += a
    return 1.0


def helper_writes_in_a_test(x):
    for k in range(2):
        if _double(x[0]) > 1.0:
            continue
    return np.mean(x)


def item_added_in_place(x):
    y = x * 1.0
    xs = [y]
    xs[0] += x  # adds into y too
    return np.sum(y * y)


def item_added_in_a_concatenated_list(m):
    # fuzz seed 160222: the kind of `xs + [...]` was unknown, so the row m[0] in it
    # was not seen as an array that `-=` changes in place
    xs = [1.0, m[0], 1.0]
    xs = xs + [m[:1]]
    xs[1] -= np.mean(m)
    return np.mean(m)


def item_added_into_a_dict_value(x):
    d = {'a': x * 1.0, 'b': x * 2.0}
    e = d['a']
    d['a'] += x
    return np.sum(e * d['b'])


def item_added_written_out(x):
    y = x * 1.0
    xs = [y, y]
    xs[0] = xs[0] + x  # a new array: y and xs[1] keep theirs
    return np.sum(y * y) + np.sum(xs[0] * xs[1])


def _add_into_second(a, xs):
    xs[1] += a
    return np.mean(a)


def helper_adds_into_a_list_item(x, y):
    # the list is new, its second item a view of x: the helper changes x
    s = _add_into_second(y[0], [y[1], x[1, ::1]])
    return np.sum(x) * s


def helper_adds_into_a_list_made_in_a_loop(z):
    # the list is new each iteration, but its items are the z from before the loop
    k = 0
    while k < 2:
        k = k + 1
        s = _add_into_second(z[1], [z, z])
    return np.mean(z)


def _paired_with_one(a):
    return (a, 1.0)


def _nested_in_a_tuple(a):
    return ((a,), 2.0)


def _in_a_dict(a):
    return {'a': a}


def item_of_a_helper_tuple_read_after_a_write(x):
    # s is v itself (the tuple holds it), so Python reads the 5.0
    v = x * 1.0
    s, c = _paired_with_one(v)
    v[0] = 5.0
    return np.sum(s * s) * c


def item_of_a_nested_helper_tuple_read_after_a_write(x):
    v = x * 1.0
    s = _nested_in_a_tuple(v)[0][0]
    v[0] = 5.0
    return np.sum(s * s)


def item_of_a_helper_dict_read_after_a_write(x):
    v = x * 1.0
    s = _in_a_dict(v)['a']
    v[0] = 5.0
    return np.sum(s * s)


def item_of_a_list_slice_read_after_a_write(x):
    # xs[1:] is a new list, but its items are xs's: s is v
    v = x * 1.0
    xs = [x, v]
    s = xs[1:][0]
    v[0] = 5.0
    return np.sum(s * s)


def item_of_a_tuple_slice_read_after_a_write(x):
    v = x * 1.0
    t = (v, x)
    s = t[::-1][1]
    v[0] = 5.0
    return np.sum(s * s)


def _sines_plus_last(a0):
    return np.sum(np.sin(a0)) + a0[-1]


def helper_saves_an_argument_whose_tangent_is_written(x, y):
    """Fuzz seed 299847. The Hessian's tangent of `v4 = x - y` (y not
    differentiated) is `dx` itself; the helper's tangent saves it for the backward
    sweep, and the write `x[-1] = ...` must not change it there."""
    x[1] = 1.5
    v4 = x - y
    x[-1] = _sines_plus_last(v4)
    return np.sum(x * x)


def helper_adds_into_an_unread_list_item(x, y):
    # x is not read again; the derivative runs the helper on a deep copy, so the
    # caller's x stays as it was
    if _add_into_second(np.ones(3), [np.ones(3), x[1, ::1]]) <= y[0, 0]:
        p = y[:, 1]
    else:
        p = y[0]
    return np.sum(p)


def _double_first(a0, a1):
    a0 += a0  # in place for an array, not for a float
    return a1


def helper_doubles_an_unknown_kind(x, y):
    # the first argument's kind is unknown when compiled (a float at run time):
    # copied before the call all the same (the fuzzer's seed 111952)
    v = _double_first(sum([0.3 for e in range(3)]), np.sum(x))
    return v * y


def _write_first(a):
    a[0] = np.sum(a)
    return 1.0


def helper_writes_argument(x):
    # the caller's x changes: `np.sum(x)` reads the new x
    h = _write_first(x)
    return np.sum(x) * h


def _write_tail(a):
    a[1:] = 2.0 * a[0]
    return np.sum(a * a)


def helper_writes_in_a_dropped_test(x):
    if x[0] > 5.0:
        return 0.0
    # An `if` with nothing in it, after an early return: its test still runs.
    if _write_first(x) > 1.5:
        pass
    return np.sum(x)


def helper_writes_row(m):
    y = m * 1.0
    # a view: the write reaches y
    s = _write_tail(y[0])
    return s + np.sum(y)


def _through_another(a):
    return _write_first(a) + np.sum(a)


def helper_writes_through_helper(x):
    y = x * 1.0
    h = _through_another(y)
    return np.sum(y * x) + h


def loop_result_alias(x):
    u = x[1]
    for i in range(1):
        u = x[i]  # a view of x, carried out of the loop
    v = x[0]
    u[1] += np.dot(v, u)
    return np.mean(v)


def row_augmented_in_loop(x):
    y = x * np.ones((2, 3))
    for r in y:  # each row is a view: `-=` writes into y
        r -= np.sum(y)
    return np.mean(y)


# ---------------------------------------------------------------- shared objects: fine


def helper_writes_fresh(x):
    b = np.zeros(3) + x
    return _write_tail(b) * x  # b is the caller's own, not read again


def helper_writes_unread_view(m, a):
    y = m * 1.0
    s = _write_tail(y[0])  # kept for its errors (its value is unused): y is not read
    return a * 2.0


def _write_item(xs):
    xs[0][1] = 5.0  # not differentiable code: never compiled, only run
    return 1.0


def unreadable_helper_writes_items(x, a):
    h = _write_item([x])  # kept for its errors: it runs on a deep copy
    return a * 2.0


def _shifted(a, scale=0.75):
    scale -= a  # a float default: rebound; an array argument: written in place
    return scale * a


def helper_default_written(x):
    return np.sum(_shifted(x)) + np.sum(_shifted(x, 1.5)) + _shifted(x[0] * x[1])


def helper_default_written_by_keyword(x):
    y = x * 2.0  # written by the call, then read
    h = _shifted(x, scale=y)
    return np.sum(h * y)


def test_of_an_empty_if_raises(x):
    if x > 5.0:
        return 0.0
    if math.log(x) > 9.0:  # raises for x <= 0 (the `if` has nothing in it)
        pass
    return x * x * x


# A slice in a branch: its adjoint writes into zeros (`bx_1[::1] = bx`), whose
# tangent, in a Hessian, is a copy written in the same way; it was given the name
# of the tangent it writes, and so overwrote it before reading it.


def slice_in_a_branch(x):
    if x[0] > -5.0:
        x = x[::1]
    return np.mean(x * x * x)


def reversed_in_a_branch(x):
    if x[0] > -5.0:
        x = x[::-1]
    return np.sum(np.sin(x) * x[0])


def tail_in_a_branch(x):
    if x[0] > -5.0:
        x = x[1:]
    return np.sum(x * x * x)


def row_view_taped_in_loop(x, y):
    for e in [x[0]]:
        y[0] = np.cos(y[0])  # y[0] is a row, saved for the backward sweep, then written
    return np.sum(y * y * y)


def fresh_rows_in_a_loop(x):
    rows = []
    for i in range(3):
        r = x * float(i + 1)
        r[0] = 0.0
        rows.append(r)
    return np.sum(rows[0] * rows[1]) + np.sum(rows[2])


def item_replaced_in_list(x):
    xs = [x * 1.0, x * 2.0]
    v = xs[0]
    xs[0] = v * 3.0
    return np.sum(v) + np.sum(xs[0])


def scalar_read_then_write(x):
    y = x * 1.0
    a = y[0]
    y[0] = 2.0 * a
    return a + np.sum(y * x)


def copy_then_write(x):
    y = x * 1.0
    z = y.copy()
    y[0] = 5.0
    return np.sum(z * x) + np.sum(y)


# ---------------------------------------------------------------- what a loop walks


def listcomp(a):
    return np.sum([i * 3 for i in a])


def over_dict(p):
    t = 0.0
    for k in p:
        t = t + p[k] ** 2
    return t


def over_items(p):
    t = 0.0
    for k, v in p.items():
        t = t + v * p[k]
    return t


def over_values(p):
    t = 1.0
    for v in p.values():
        t = t * v
    return t


def over_int_keys(p):
    t = 0.0
    for k in p:
        t = t + k * p[k]
    return t


def loop_over_rebound(a, x):
    s = 0.0
    for e in x:
        s = s + e * a
        x = x * 2.0
    return s


def append_while_walking(a):
    xs = [a, 2.0 * a]
    for v in xs:
        if len(xs) < 4:
            xs.append(v * 3.0)
    return xs[-1]


# ---------------------------------------------------------------- the primal is Python's


def ifexp_in_while(a, b, c):
    k = 0
    while k < 2 and a + b < (b if c > 0.8 else a):
        k += 1
        a = k
    return a * b


def swap_in_loop(x, n):
    d = x
    t2 = 2.0 * x
    t1 = 0.0
    for i in range(n):
        t1 = t2
        d, t1 = t1, d
        t2 = t2 * d
    return t1 + d


def rotate_in_loop(x, n):
    a, b, c = x, 2.0 * x, 0.5
    for i in range(n):
        a, b, c = b, c, a * 1.1
    return a + 2.0 * b + 3.0 * c


def log_outside_domain(x):
    return math.log(x - 10.0)


# ---------------------------------------------------------------- arguments of mixed kinds


def weighted_pairs(ps):
    s = 0.0
    for p in ps:
        s = s + np.sum(p['w'] * p['b'])
    return s


def array_and_scale(t):
    a, b = t
    return np.sum(a * a) * b


# An item of a list or dict overwritten (fuzz seeds 51025, 107044, 134793): the
# cotangent of what was there before is a zero of its shape, not the number 0.0.
_M = np.arange(6.0).reshape(3, 2) / 5.0


def array_item_overwritten(x):
    rows = [np.hstack((x[1], x[[1, 0]]))]
    rows[-1] = x * 2.0
    return np.mean(rows[0]) + np.sum(rows[-1])


def dict_value_overwritten(x):
    d = {'a': np.dot(x, _M)}
    d['a'] = x * 2.0
    return np.sum(d['a'])


def dict_key_added(x):
    d = {'a': x}
    d['b'] = x * 2.0
    return np.sum(d['a'] * d['b'])


def nested_item_overwritten(x):
    ls = [[x, x], x]
    ls[0] = [x * 3.0]
    return np.sum(ls[0][0]) + np.sum(ls[1])


def items_overwritten_in_a_loop(x):
    ls = [x, x * 2.0, np.zeros(2)]
    for i in range(3):
        ls[i] = np.sin(ls[i]) * ls[(i + 1) % 3][:3].sum()
    return np.sum(ls[0]) + np.sum(ls[1])


# A slice of a list assigned a list of another length moves the items after it.
def list_slice_shrunk(x):
    ls = [x[0], x[1], x[2]]
    ls[0:2] = [x[2] * 3.0]
    return ls[0] * ls[1]


def list_slice_grown(x):
    ls = [x[0], x[1]]
    ls[1:1] = [x[2] * 2.0, x[0] * x[1]]
    return ls[0] * ls[1] + ls[2] * ls[3]


def list_extended_slice(x):
    ls = [x[0], x[1], x[2], x[0]]
    ls[::2] = [x[2] * 2.0, x[1] * 5.0]
    return ls[0] * ls[1] + ls[2] * ls[3]


def list_slice_of_arrays(x):
    ls = [x, x * 2.0, x * 3.0]
    ls[0:2] = (x[1:] * 3.0,)
    return np.sum(ls[0] * ls[1][1:])


# `+` concatenates lists and tuples and `*` repeats them: not numbers' rules.
def list_concatenated(x):
    ls = [x[0], x[1], x[2]]
    ls = [x[2] * 3.0] + ls[2:]
    return ls[0] * ls[1]


def constants_concatenated(x):
    ls = [2.0, 5.0] + [x[0], x[1] * 2.0]
    return ls[1] * ls[2] + ls[3]


def tuples_concatenated(x):
    t = (x[0],) + (x[1], x[2] * x[0])
    return t[0] * t[2] + t[1]


def arrays_concatenated(x):
    ls = [x] + [x * 2.0, np.sin(x)]
    return np.sum(ls[0] * ls[2]) + np.sum(ls[1])


def list_repeated(x):
    ls = [x[0], x[1]] * 3
    return ls[0] * ls[3] + ls[5]


def list_repeated_on_the_left(x):
    ls = 2 * [x[0], x[1] * x[2]]
    return ls[0] * ls[3] + ls[2]


def list_grown_in_a_loop(x):
    ls = []
    for i in range(3):
        ls = ls + [x[i] * x[0]]
    return ls[0] + ls[1] * ls[2]


def _write_through_a_view(a):
    a[::1][0] = a[2]  # a write adjoint's IR cannot express: the helper is not read
    return 1.0


def unreadable_helper_in_a_test(z):
    # the helper is not differentiated (its value only decides a branch), yet it
    # writes into z, which is read after it (fuzz seed 117346)
    if _write_through_a_view(z) <= z[2]:
        pass
    return np.sum(z)


def repeated_index_added_to_a_selection(x):
    # fuzz seed 110072: the Hessian's tangent code added into a tangent that
    # another one shared (`unbroadcast` hands back its argument)
    v1 = np.where(x[::1] > x, x[::1], x)
    x[[1, 1, 1]] += v1 - v1[[1, 1, 1]]
    return np.sum(v1) + np.sum(np.sin(x))


def _write_second(a0, a1):
    a1[1] = a0
    return a1


def helper_writes_a_repeated_product(x, y):
    # fuzz seed 140215: the two `y * y` were merged, so the helper's write into
    # the first reached the second
    h = _write_second(x, y * y)
    return np.mean(y * y) + np.sum(h)


def _concatenated(*args):
    return np.concatenate(args)


def _scaled(x, **options):
    return x * options['scale']


def helper_with_star_args(x):
    # the packed arguments were taken for a constant: a zero gradient (then rejected)
    return np.sum(_concatenated(x, x * 2.0))


def helper_with_star_kwargs(x):
    return np.sum(_scaled(x, scale=3.0))


def clipped_by_keyword(x, lo):
    # the cotangent of `lo`, passed by keyword, was dropped in reverse mode
    return np.sum(np.clip(x, a_min=lo, a_max=1.0) * x)


def clipped_above_by_keyword(x, lo):
    return np.sum(np.clip(x, lo, a_max=lo + 0.5))


# Complex numbers meet the rules of real ones: an error, not a complex "gradient".
_COMPLEX_WEIGHTS = np.array([1j, 2.0, 1.0 + 1.0j])


def times_a_complex_constant(x):
    return np.sum(np.abs(x * 1j))


def times_a_complex_global(x):
    return np.sum(np.abs(x * _COMPLEX_WEIGHTS))


def times_complex_data(x, w):
    return np.sum(np.abs(x * w))


def float_of_a_zero_dimensional_array(x):
    # the gradient came back as a float, not in the shape of x
    return float(x) * 2.0 + float(np.sum(x * x))


def view_in_a_branch_then_written(x, y):
    # fuzz seed 174452: the column t = x[:, 2], saved in a branch for the backward
    # sweep, was overwritten by the later x[:, 1:] = ... (in place: no copy)
    x[1:] = np.dot(x[[1, 1], [1, 1]], x)
    v = 1.0 if y < -1.25 else x[:, 2] ** 2
    x[:, 1:] = np.sum(x)
    return np.sum(v) + np.sum(x)


def _write_first_read_second(a, b):
    a[0] = 5.0
    return np.sum(b)


def _write_then_return_item(a0, xs1):
    a0[[1, 0, 0]] = a0
    return xs1[1]


def helper_given_one_array_twice(x):
    y = x * 1.0
    return _write_first_read_second(y, y) * np.sum(x)


def helper_given_an_array_and_a_list_of_it(x):
    # fuzz seed 177665
    x = _write_then_return_item(x, [x, x])
    return np.mean(x)


def padded_with_a_differentiated_constant(x, v):
    # constant_values is keyword-only: reverse mode gave it a zero gradient
    return np.sum(np.pad(x, 1, constant_values=v) ** 2)


def _square_times_and_saved(a, b):
    return a * a * b, (a, b)


def tuples_of_unknown_kind_accumulated(x):
    # the cotangents of `saved`, a tuple whose kind is not known, were added with
    # `+`, which concatenates them (found by the frontend helper)
    s = 0.0
    saved = (0.0, 0.0)
    tape = []
    for i in range(2):
        t, saved = _square_times_and_saved(x[i], x[i + 1])
        tape.append(saved)
        s = s + t
    r = s
    for i in range(2):
        sv = tape.pop()
        r = r + sv[0] * sv[1]
    return r + saved[0] * saved[1]


# Helpers that write into one argument, given arrays the alias analysis must tell
# apart: views of two new arrays, two results of a helper that returns a new
# array. Rejected before (their items were taken for one object); and a helper
# returning what it wrote into, whose result is then that object.

def _subtract_into(x, y):
    x -= y
    return x


def _doubled(v):
    return v * 2.0


def _both_projected(vx, vy):
    vx -= 0.5 * np.roll(vy, 1)
    vy -= 0.25 * np.roll(vx, -1)
    return vx, vy


def writes_into_a_view_of_a_new_array(v):
    a = np.reshape(v * 2.0, v.shape)
    b = np.reshape(np.sin(v), v.shape)
    return np.sum(_subtract_into(a, b) * v)


def writes_into_one_of_two_helper_results(v):
    return np.sum(_subtract_into(_doubled(v), np.cos(_doubled(v))) * v)


def projects_in_a_loop(vx, vy):
    for _ in range(3):
        a, b = _doubled(vx), _doubled(vy)
        vx, vy = _both_projected(a, b)
        vx = np.tanh(vx)
    return np.sum(vx * vy)


def reads_a_helper_result_written_through_its_argument(v):
    w = v * 1.0
    r = _subtract_into(w, v * 0.5)
    r[0] = r[1] * 3.0  # `w` is `r`: reading it now is rejected
    return np.sum(r * v)


def reads_the_argument_a_helper_returned_and_wrote(v):
    w = v * 1.0
    r = _subtract_into(w, v * 0.5)
    r[0] = r[1] * 3.0
    return np.sum(r * v) + np.sum(w)  # `w` is `r`, written twice


# An array and a list in `*` or `+`: NumPy's arithmetic, element by element (the
# list was taken to be repeated or concatenated: a zero gradient, or a crash).

def array_times_a_list_literal(x):
    return np.sum(np.sin(x) * [1.0, 2.0, 3.0]) + np.sum([0.5, -1.0, 2.0] * x ** 2)


def array_plus_a_list_of_differentiated_floats(x):
    return np.sum(np.cos(x) + [x[0], x[1] * x[2], 1.0])


def array_times_a_list_argument(x, weights):
    return np.sum(np.tanh(x) * weights)


def list_times_a_value_of_unknown_kind(x, config):
    return np.sum(np.array([x, x] * config.repeat))


# A dict item overwritten, then read and put in an array: the read before the
# write and the read after it were merged across the clearing of its cotangent
# (seed 211558).

def dict_item_overwritten_then_read(x, y):
    d1 = {'a': y, 'b': y}
    d1['a'] = x
    return np.array([y, d1['a']]).sum() * d1['b']


# `h(*xs)` of a list built in the function took the items it was built with, so a
# write through another name (`ys = xs; ys[0] = v`) was not seen: a wrong
# gradient. The items are read from `xs` now, which the alias checks see.

def _weighted(a, b):
    return a * 10.0 + b


def spread_of_a_list_written_through_another_name(x):
    xs = [x, 2.0 * x]
    ys = xs
    ys[0] = 3.0 * x
    return _weighted(*xs)


def spread_of_a_list_written_in_place(x):
    xs = [x, 2.0 * x]
    xs[0] = 3.0 * x
    pairs = [(x, 1.0), (xs[1], x * x)]
    firsts, seconds = zip(*pairs)
    return _weighted(*xs) + firsts[1] * seconds[1]


# A helper calling a helper adjoint cannot read (a chained subscript write) was
# taken to write into nothing, so a data argument passed through both was changed
# in place by the derivative (seed 224468).

def _write_through_a_slice(a0, a1):
    a0[::1][0] = a1
    return a0


def _calls_an_unreadable_writer(a0):
    return _write_through_a_slice(a0, 2.0) * 1.0


def data_passed_to_an_unreadable_writer(x, data):
    for row in [_calls_an_unreadable_writer(data)]:
        x = x * np.sum(row)
    return np.sum(x)


def contract_by(spec, a, b):
    """np.einsum with its subscripts as a parameter: through a helper, their
    zero tangent and cotangent reach the einsum rules at run time."""
    return np.einsum(spec, a, b)


def einsum_through_a_helper(a, b, v):
    return np.sum(np.sin(v * contract_by('ij,jk->ik', a, b)))


def contract_by_sublists(a, a_axes, b, b_axes):
    return np.einsum(a, a_axes, b, b_axes, [0, 2])


def einsum_sublists_through_a_helper(a, b, v):
    return np.sum(np.sin(v * contract_by_sublists(a, [0, 1], b, [1, 2])))


def read_through_an_einsum_transpose(x):
    # np.einsum('ij->ji', a) is a view of a: the write shows in y
    a = x * 1.0
    y = np.einsum('ij->ji', a)
    a[0, 1] = 5.0
    return np.sum(y * y)


def read_through_an_einsum_diagonal(x):
    a = x * 1.0
    y = np.einsum('ii->i', a)
    a[1, 1] = 5.0
    return np.sum(y * y)


def read_through_a_diff_of_order_zero(x):
    a = x * 1.0
    y = np.diff(a, n=0)
    a[0, 1] = 5.0
    return np.sum(y * y)


def _both_halved(u, v):
    u -= 0.5 * v
    v -= 0.5 * u
    return u, v


def items_of_a_helper_tuple_told_apart(x):
    # as autograd's fluidsim: `vx, vy = project(vx, vy)`, then a write into vx;
    # vy is another array, so reading it after the write is what Python reads
    u, v = x * 1.0, x * 2.0
    for _ in range(2):
        u, v = _both_halved(u * 1.0, v * 1.0)
        u[0] = np.sin(v[1])
    t = (u, v)
    w = t[1]
    u[1] = 2.0 * w[0]
    return np.sum(u * v) + np.sum(w)


def piece_of_a_split_written(x):
    # the pieces of np.split are views of y: the write shows in y
    y = x * 2.0
    a, b = np.split(y, 2)
    a[0] = 0.0
    return np.sum(y)


def row_of_a_list_of_rows_written(x):
    # list(Y) holds views of Y's rows
    Y = np.reshape(x * 2.0, (2, 2))
    rows = list(Y)
    r0 = rows[0]
    r0[1] = x[2] ** 2
    return np.sum(Y.ravel() * x)


def trajectory_filled_in_a_loop(x0):
    # `traj[k] = x` copies the numbers of x into the array: a later `x += ...`
    # does not change the row
    traj = np.zeros((3, 2))
    x = x0 * 1.0
    for k in range(3):
        x += 0.1 * x * x
        traj[k] = x
    return np.sum(traj * traj)


def one_cotangent_for_two_slices(x):
    # x[1:] + x[:-1] * 2.0 gives both slices the cotangent of v; the read a[0]
    # then added into it in place, into b's too
    a = x[1:]
    b = x[:-1] * 2.0
    v = a + b
    w = v * v
    return np.sum(w) + a[0] * 3.0 + b[1]


def one_cotangent_for_two_arguments(y, z):
    # fuzz seed 321770: with y and z of one shape, y's gradient was z's buffer,
    # which the read z[0] then added into
    v = y + z
    s = np.sum(v * v)
    return s + z[0] * 5.0


def row_of_an_array_of_unknown_kind_written(z):
    # fuzz seed 315227: the kind of `z.T[2]`, and so of v, is not inferred; the
    # rows of `list(v)` were taken for no views of it, the write through r went
    # unseen and even the value was wrong
    u = z.T[2]
    v = np.outer(z[:, 2], u)
    r = list(v)[0]
    r[1:] += 1.0
    return np.sum(np.sin(v))


def scaled_square(x, *, scale=1.0):
    return scale * x * x


def scaled_square_of_a_differentiated_scale(x, s):
    # a user's rules give `scale=` no tangent: forward mode left it out
    return scaled_square(x, scale=s)


def column_sums(x, axis=0):
    return np.sum(x, axis=axis)


def weighted_column_sums(x):
    # the rule's default axis=0 is not np.sum's axis=None: inlining dropped `axis=axis`
    return np.sum(column_sums(x) * np.array([1.0, 2.0, 3.0]))
