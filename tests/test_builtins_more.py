"""Python's builtins on differentiated values where random points say too little:
`max` and `min` at ties (split among differentiated arguments, none for a tie with
a constant), the cotangents of lists, tuples and arrays in the form of the
argument, and the errors of what is not supported; and small realistic functions
that combine them with `abs`, `sum`, `len`, `zip`, `enumerate` and `reversed`,
checked in both modes. The registry sweep (test_rules.py, test_jvp_rules.py, with
tests/builtins_checks.py) checks every rule at random points.
"""

import re

import numpy as np
import pytest

import adjoint
from adjoint.testing import check_grads
from transforms.core.errors import AdjointError


def rng(seed):
    return np.random.default_rng(seed)


def both_modes(fn, args):
    """The gradient of `fn` at `args` (all arguments), after checking that the
    tangent along 1, 2, 3... pairs with it (at a tie, a tangent along one
    argument alone does not: the others are then constants)."""
    grads = adjoint.grad(fn, wrt=tuple(range(len(args))))(*args)
    tangents = tuple(float(k + 1) for k in range(len(args)))
    _, tangent = adjoint.jvp(fn, args, tangents)
    assert isinstance(tangent, float)
    assert tangent == pytest.approx(sum(g * t for g, t in zip(grads, tangents)), rel=1e-15)
    return grads


# ---------------------------------------------------------------- max and min


def larger(x, y):
    return max(x, y)


def smaller(x, y):
    return min(x, y)


def relu(x):
    return max(x, 0.0)


def relu_of_int(x):
    return max(0, x)


def twice(x):
    return max(x, x)


def least_twice(x):
    return min(x, x)


def three_with_a_repeat(x, y):
    return max(x, y, x)


def two_and_a_constant(x, y):
    return max(x, 0.0, y)


def of_list(x, y):
    return max([x, y])


def least_of_tuple(x, y, z):
    return min((x, y, z))


def test_a_tie_between_differentiated_arguments_splits_evenly():
    assert both_modes(larger, (1.5, 1.5)) == (0.5, 0.5)
    assert both_modes(smaller, (-2.0, -2.0)) == (0.5, 0.5)
    assert both_modes(twice, (0.7,)) == (1.0,)
    assert both_modes(least_twice, (0.7,)) == (1.0,)
    assert both_modes(three_with_a_repeat, (1.0, 1.0)) == pytest.approx((2 / 3, 1 / 3),
                                                                       rel=1e-15)
    # The items of one list share alike (as np.max's elements do).
    assert both_modes(of_list, (2.0, 2.0)) == (0.5, 0.5)
    assert both_modes(least_of_tuple, (1.0, -1.0, -1.0)) == (0.0, 0.5, 0.5)


def test_a_tie_with_a_constant_gives_no_derivative():
    # relu written with the builtin, as np.maximum(x, 0.0): derivative 0 at 0.
    assert both_modes(relu, (0.0,)) == (0.0,)
    assert both_modes(relu_of_int, (0.0,)) == (0.0,)
    assert both_modes(two_and_a_constant, (0.0, 0.0)) == (0.0, 0.0)
    assert both_modes(relu, (1e-300,)) == (1.0,)
    assert both_modes(relu, (-1e-300,)) == (0.0,)
    assert both_modes(two_and_a_constant, (0.0, -1.0)) == (0.0, 0.0)


def test_the_winner_gets_everything_away_from_ties():
    assert both_modes(larger, (2.0, 1.0)) == (1.0, 0.0)
    assert both_modes(smaller, (2.0, 1.0)) == (0.0, 1.0)
    assert both_modes(three_with_a_repeat, (1.0, 3.0)) == (0.0, 1.0)
    assert both_modes(least_of_tuple, (1.0, 2.0, 0.5)) == (0.0, 0.0, 1.0)


def largest_item(xs):
    return max(xs)


def least_item_squared(xs):
    return min(xs) ** 2


def test_the_cotangent_of_a_sequence_has_its_form():
    g = adjoint.grad(largest_item)([1.0, 3.0, 3.0, 2.0])
    assert isinstance(g, list) and g == [0.0, 0.5, 0.5, 0.0]
    g = adjoint.grad(least_item_squared)(np.array([1.0, -3.0, 2.0]))
    assert isinstance(g, np.ndarray) and g.tolist() == [0.0, -6.0, 0.0]
    g = adjoint.grad(largest_item)((1.0, 4.0))
    assert isinstance(g, tuple) and g == (0.0, 1.0)
    _, tangent = adjoint.jvp(largest_item, ([1.0, 3.0, 3.0],), ([5.0, 1.0, 2.0],))
    assert tangent == 1.5 and isinstance(tangent, float)
    _, tangent = adjoint.jvp(least_item_squared, (np.array([1.0, -3.0]),),
                             (np.array([5.0, 1.0]),))
    assert tangent == -6.0


def of_arrays(x, y):
    return 2.0 * max(x, y)  # 0-d arrays compare as numbers


def test_max_of_zero_dimensional_arrays():
    a, b = np.array(1.0), np.array(3.0)
    grads = adjoint.grad(of_arrays, wrt=(0, 1))(a, b)
    assert [float(g) for g in grads] == [0.0, 2.0]
    _, tangent = adjoint.jvp(of_arrays, (a, b), (np.array(1.0), np.array(1.0)))
    assert float(tangent) == 2.0


def with_key(x, y):
    return max(x, y, key=abs)


def largest_or(x, y):
    xs = [x] if x > 10.0 else []
    return max(xs, default=y)


def largest_or_constant(x, y):
    xs = [x, y] if x > 10.0 else []
    return min(xs, default=0.0) + x * y


def seven(x, y):
    return max(x, y, x, y, x, y, x)


def test_what_is_not_supported_raises():
    with pytest.raises(AdjointError, match='at most 6 arguments'):
        adjoint.grad(seven)(1.0, 2.0)
    with pytest.raises(AdjointError, match='at most 6 arguments'):
        adjoint.jvp(seven, (1.0, 2.0), (1.0, 0.0))


def test_the_default_gets_the_cotangent_where_it_is_the_result():
    assert adjoint.grad(largest_or, wrt=(0, 1))(11.0, 2.0) == (1.0, 0.0)
    assert adjoint.grad(largest_or, wrt=(0, 1))(1.0, 2.0) == (0.0, 1.0)
    assert adjoint.grad(largest_or, wrt=1)(1.0, 2.0) == 1.0  # x, and xs, constant
    assert adjoint.jvp(largest_or, (1.0, 2.0), (None, 3.0)) == (2.0, 3.0)
    assert adjoint.grad(largest_or_constant, wrt=(0, 1))(1.0, 2.0) == (2.0, 1.0)
    check_grads(largest_or, (12.0, 3.0))
    check_grads(largest_or, (1.0, 3.0))
    check_grads(largest_or_constant, (12.0, 3.0))


# A hinge loss of a small linear classifier, clipped, with the margin of the
# closest point: max and min of numbers and of lists, with zip and abs.
def clipped_hinge(w, b, xs, ys):
    total = 0.0
    margins = []
    for x, y in zip(xs, ys):
        margin = y * (w * x + b)
        margins.append(margin)
        total = total + min(max(0.0, 1.0 - margin), 2.0)
    return total / len(xs) + 0.1 * abs(w) - 0.01 * min(margins)


def test_a_clipped_hinge_loss():
    xs, ys = [0.5, -1.2, 2.0, 0.1], [1.0, -1.0, 1.0, -1.0]
    for w, b in ((0.3, 0.1), (-0.8, 0.4), (1.7, -0.2)):
        check_grads(clipped_hinge, (w, b, xs, ys), wrt=(0, 1))


# The worst drawdown of a path: a running maximum carried through a loop over
# enumerate, and the minimum of an array.
def peak_drawdown(prices):
    peak = prices[0]
    worst = 0.0
    for k, p in enumerate(prices):
        peak = max(peak, p)
        worst = max(worst, (peak - p) / peak + 0.001 * k)
    return worst + 0.1 * min(prices)


def test_a_running_maximum_in_a_loop():
    for seed in (0, 1, 2):
        prices = 1.0 + np.abs(np.cumsum(rng(seed).normal(size=8))) + 0.1 * np.arange(8)
        check_grads(peak_drawdown, (prices,))


def softened(x, y):
    # max and min of values that depend on both: second derivatives go through
    # the rules' helpers.
    return max(x * y, x ** 2) * min(x, y, 1.5)


def test_second_derivatives_through_max_and_min():
    for x, y in ((0.7, 2.0), (1.3, 0.4), (2.0, 3.0)):
        check_grads(softened, (x, y))
        h = adjoint.hessian(softened, wrt=(0, 1))(x, y)
        step = 1e-5
        for k in range(2):
            moved = [[x, y], [x, y]]
            moved[0][k] += step
            moved[1][k] -= step
            up = adjoint.grad(softened, wrt=(0, 1))(*moved[0])
            down = adjoint.grad(softened, wrt=(0, 1))(*moved[1])
            expected = (np.array(up) - np.array(down)) / (2 * step)
            np.testing.assert_allclose(np.asarray(h)[k], expected, rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------- sorted


def weighted_order(x, y, z):
    low, middle, high = sorted([x, y, z])
    return 3.0 * low + 2.0 * middle + high


def weighted_order_reversed(x, y, z):
    high, middle, low = sorted((x, y, z), reverse=True)
    return 3.0 * low + 2.0 * middle + high


def test_sorted_follows_the_stable_permutation():
    assert both_modes(weighted_order, (0.5, -1.0, 2.0)) == (2.0, 3.0, 1.0)
    assert both_modes(weighted_order_reversed, (0.5, -1.0, 2.0)) == (2.0, 3.0, 1.0)
    # Tied items keep their order: the first of them takes the first of their
    # places, as np.sort's derivative has it; with reverse=True too.
    assert both_modes(weighted_order, (1.0, 1.0, 0.0)) == (2.0, 1.0, 3.0)
    assert both_modes(weighted_order_reversed, (1.0, 1.0, 0.0)) == (1.0, 2.0, 3.0)
    assert both_modes(weighted_order, (0.0, 0.0, 0.0)) == (3.0, 2.0, 1.0)


def sorted_weights(xs):
    return sum((k + 1) * v for k, v in enumerate(sorted(xs)))


def test_the_cotangent_of_sorted_has_the_form_of_its_argument():
    g = adjoint.grad(sorted_weights)([0.3, -2.0, 1.0])
    assert isinstance(g, list) and g == [2.0, 1.0, 3.0]
    g = adjoint.grad(sorted_weights)(np.array([0.3, -2.0, 1.0]))
    assert isinstance(g, np.ndarray) and g.tolist() == [2.0, 1.0, 3.0]
    g = adjoint.grad(sorted_weights)((0.3, -2.0))
    assert isinstance(g, tuple) and g == (2.0, 1.0)
    _, tangent = adjoint.jvp(sorted_weights, ([0.3, -2.0, 1.0],), ([1.0, 10.0, 100.0],))
    assert tangent == 2.0 + 10.0 + 300.0


def sorted_by_key(xs):
    return sorted(xs, key=abs)[0]


def sorted_by_lambda(x, w):
    xs = [x[0] * w, x[1] - w, x[2] * x[0], w * 2.0]
    ys = sorted(xs, key=lambda v: (v - 0.4) ** 2, reverse=True)
    return ys[0] * 3.0 + ys[1] * 5.0 - ys[3]


def largest_by_lambda(x, w):
    xs = [x[0] * w, x[1] - w, x[2] * x[0]]
    def closeness(v):
        return -abs(v - w)
    return max(xs, key=closeness) * 2.0 + min(x[0], x[1], w, key=lambda v: v * v) \
        + max(x, key=lambda v: np.sin(v))


def sorted_ties(x):
    # equal keys keep the items' order, reversed or not, as Python's sort does
    xs = [x[0], x[1], x[2]]
    up = sorted(xs, key=lambda v: 1.0)
    down = sorted(xs, key=lambda v: 1.0, reverse=True)
    return up[0] * 2.0 + down[0] * 3.0 + max(xs, key=lambda v: 0.0) * 5.0


def largest_of_nothing(x):
    return max([v for v in [x] if v > 1e9], key=abs)


def largest_with_default(x):
    return max([x], key=abs, default=0.0)


@pytest.mark.parametrize('fn, args', [
    (sorted_by_key, ([1.0, -2.0],)), (sorted_by_key, ([-0.5, 0.25, 3.0],)),
    (with_key, (1.0, -2.0)), (with_key, (-3.0, 0.5)),
    (sorted_by_lambda, (np.array([0.3, -1.2, 2.0]), 0.7)),
    (sorted_by_lambda, (np.array([1.5, 0.2, -0.4]), -0.35)),
    (largest_by_lambda, (np.array([0.3, -1.2, 2.0]), 0.7)),
    (largest_by_lambda, (np.array([1.5, 0.2, -0.4]), -0.3)),
])
def test_a_key_picks_the_order_or_the_item_and_the_derivative_follows_it(fn, args):
    # Tested where no two keys tie, where the function is smooth (the order is
    # piecewise constant: the derivative is that of the items it picks).
    wrt = tuple(k for k, a in enumerate(args) if not isinstance(a, list))
    if wrt:
        check_grads(fn, args, wrt=wrt, order=2)
    else:
        grad = adjoint.grad(fn)(*args)
        expected = [1.0 if k == min(range(len(args[0])), key=lambda i: abs(args[0][i]))
                    else 0.0 for k in range(len(args[0]))]
        assert grad == expected
        _, tangent = adjoint.jvp(fn, args, ([1.0, 10.0, 100.0][:len(args[0])],))
        assert tangent == sum(g * t for g, t in zip(expected, [1.0, 10.0, 100.0]))


def test_equal_keys_keep_the_items_order_as_python_sorts_them():
    x = np.array([0.3, -1.2, 2.0])
    assert tuple(adjoint.grad(sorted_ties)(x)) == (2.0 + 3.0 + 5.0, 0.0, 0.0)
    check_grads(sorted_ties, (x,))


def test_a_key_on_nothing_raises_as_python_does_and_default_is_named():
    with pytest.raises(ValueError):
        largest_of_nothing(0.5)
    with pytest.raises(ValueError):
        adjoint.grad(largest_of_nothing)(0.5)
    with pytest.raises(AdjointError, match=r'test_builtins_more\.py:\d+: `default=` with '
                                           r'`key=` is not supported'):
        adjoint.grad(largest_with_default)(0.5)


# A trimmed mean (the largest and the smallest left out), and the median: sorted
# with slices, len and sum, of a list of values computed in the function.
def trimmed_mean(x, scale):
    values = [abs(scale * v - 0.3) for v in x]
    kept = sorted(values)[1:-1]
    return sum(kept) / len(kept)


def median_of(x):
    s = sorted(x * x)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def test_a_trimmed_mean_and_a_median():
    for seed in (3, 4, 5):
        x = rng(seed).normal(size=7)
        check_grads(trimmed_mean, (x, 1.3))
        check_grads(median_of, (x,))
        check_grads(median_of, (x[:6],))


# An ordered weighted average of the gaps between consecutive sorted values,
# walked with zip over two slices and with reversed.
def spread_of_gaps(x):
    s = sorted(x)
    gaps = [b - a for a, b in zip(s[:-1], s[1:])]
    total = 0.0
    for k, gap in enumerate(reversed(gaps)):
        total = total + (k + 1) * gap ** 2
    return total + max(gaps) - min(s)


def test_gaps_between_sorted_values():
    for seed in (6, 7):
        x = rng(seed).normal(size=6)
        check_grads(spread_of_gaps, (x,))
        h = adjoint.hessian(spread_of_gaps)(x)
        step = 1e-5
        for k in range(len(x)):
            e = np.zeros_like(x)
            e[k] = step
            expected = (adjoint.grad(spread_of_gaps)(x + e) -
                        adjoint.grad(spread_of_gaps)(x - e)) / (2 * step)
            np.testing.assert_allclose(h[k], expected, rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------- list and tuple


def sum_of_squares(xs):
    return sum(v * v for v in list(xs))


def ends_and_top(xs):
    t = tuple(xs)
    return t[0] * t[-1] + max(t)


@pytest.mark.parametrize('form', [list, tuple, np.array])
def test_list_and_tuple_give_cotangents_in_the_form_of_their_argument(form):
    xs = form([1.0, 2.0, 3.0])
    for fn, expected in ((sum_of_squares, [2.0, 4.0, 6.0]), (ends_and_top, [3.0, 0.0, 2.0])):
        g = adjoint.grad(fn)(xs)
        assert type(g) is type(xs) and list(g) == expected, (fn.__name__, g)
        _, tangent = adjoint.jvp(fn, (xs,), (form([1.0, 10.0, 100.0]),))
        assert tangent == sum(e * t for e, t in zip(expected, (1.0, 10.0, 100.0)))


def edited_copy(x):
    ys = list(x)
    ys[0] = ys[0] * 2.0
    ys.append(x[1] ** 2)
    return sum(ys) * tuple(ys)[-1]


def test_a_list_copy_is_written_into_without_changing_the_argument():
    x = np.array([1.0, 2.0, 3.0])
    check_grads(edited_copy, (x,))
    assert x.tolist() == [1.0, 2.0, 3.0]
    check_grads(edited_copy, (np.array([-0.5, 1.5, 0.25]),))


# The range of each window of three: tuples of slices of an array, their max and
# min, over range and len.
def window_ranges(x, scale):
    windows = [tuple(scale * x[i:i + 3]) for i in range(len(x) - 2)]
    return sum((max(w) - min(w)) ** 2 for w in windows) + abs(sum(list(x)))


def test_ranges_of_windows():
    for seed in (8, 9, 10):
        check_grads(window_ranges, (rng(seed).normal(size=6), 0.7))


# ---------------------------------------------------------------- dict


def from_keywords(x, y):
    d = dict(a=x, b=y * x)
    return d['a'] * d['b']


def from_pairs(x, y):
    d = dict([('a', x), ('b', y), ('a', 2.0 * y)])  # the second 'a' replaces the first
    return d['a'] * d['b'] + x


def from_a_copy(x, y):
    d = dict({'a': x, 'b': y})
    d['a'] = d['a'] * 3.0
    return d['a'] * d['b']


def test_dicts_from_keywords_pairs_and_mappings():
    # dict(a=..., b=...) is read as a dict literal: its items, key and value.
    assert "d = dict('a', x, 'b', t1)" in adjoint.ir(from_keywords)
    assert both_modes(from_keywords, (1.5, 2.0)) == (6.0, 2.25)
    assert both_modes(from_pairs, (1.5, 2.0)) == (1.0, 8.0)
    assert both_modes(from_a_copy, (1.5, 2.0)) == (6.0, 4.5)
    for args in ((1.5, 2.0), (-0.3, 0.7)):
        for fn in (from_keywords, from_pairs, from_a_copy):
            check_grads(fn, args)


def predict(w, b, x):
    return w * x + b


# A least-squares fit whose parameters are a dict made with keywords, passed on
# with `**`, over zip; the largest residual, by max, is penalized too.
def fit(w, b, xs, ys):
    params = dict(w=w, b=b)
    residuals = [predict(**params, x=x) - y for x, y in zip(xs, ys)]
    return sum(r * r for r in residuals) / len(residuals) + 0.5 * max(abs(r) for r in residuals)


def test_a_fit_with_parameters_in_a_dict():
    xs, ys = [0.0, 1.0, 2.0, 3.5], [0.3, 1.1, 2.4, 3.2]
    for w, b in ((0.9, 0.1), (1.4, -0.5), (-0.2, 2.0)):
        check_grads(fit, (w, b, xs, ys), wrt=(0, 1))


def from_zip(x, y):
    return dict(zip(['a', 'b'], [x, y]))['a']


def from_a_mapping_and_keywords(x, y):
    return dict({'a': x}, b=y)['b']


def test_a_dict_of_a_zip_is_its_pairs():
    assert adjoint.grad(from_zip, wrt=(0, 1))(1.0, 2.0) == (1.0, 0.0)
    assert adjoint.jvp(from_zip)((1.0, 2.0), (0.5, 3.0)) == (1.0, 0.5)


def test_what_dict_does_not_take():
    with pytest.raises(adjoint.UnsupportedSyntaxError,
                       match='the derivative of `dict` with respect to its argument `b=`'):
        adjoint.grad(from_a_mapping_and_keywords, wrt=1)(1.0, 2.0)


def _apply_each(f, xs):
    out = []
    for v in xs:
        out.append(f(v))
    return out


def helper_loop_with_a_lambda(x, w):
    return sum(_apply_each(lambda v: v * w, [x, x * x]))


@pytest.mark.parametrize('fn, args', [(sorted_by_lambda, (np.array([0.3, -1.2, 2.0]), 0.7)),
                                      (helper_loop_with_a_lambda, (0.5, 1.5))])
def test_an_inlined_helpers_loops_point_at_the_callers_line(fn, args):
    # The loops of `keyed.py`, or of a helper given a lambda, came with their own
    # line numbers, so the comment named a line of the caller's file that says
    # nothing (`# line 23:`).
    source = adjoint.grad(fn, wrt=(0, 1)).source
    lines = fn.__code__.co_firstlineno, fn.__code__.co_firstlineno + 5
    for number in map(int, re.findall(r'# (?:adjoint of )?line (\d+):', source)):
        assert lines[0] < number < lines[1], (number, source)
    check_grads(fn, args, wrt=(0, 1))
