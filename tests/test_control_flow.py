"""Control flow in reverse mode: branches, loops, `break`, `continue`, early `return`.

Each program below is registered with the points where its gradient is checked
against central finite differences (`check_grads`). The points are chosen so that
both sides of every branch run somewhere and no point sits on a kink (a point
where a branch or a trip count changes). The same programs also run through the
pipeline without differentiation, which must reproduce the original's results:
that checks the lowering of `break`/`continue`/`return` on its own.
"""

import ast
import inspect
import math

import gast
import numpy as np
import pytest

import adjoint
from adjoint.rules import TABLE
from adjoint.testing import check_grads, numerical_grad
from transforms import pipeline
from transforms.analysis.kinds import kind_of_value
from transforms.core.names import adjoint_name, base_name
from transforms.core.verify import verify
from transforms.frontend import normalize, parse

PROGRAMS = []


def program(*points, wrt=(0,)):
    """Register a program with the points (argument tuples) where it is checked."""
    def register(fn):
        PROGRAMS.append(pytest.param(fn, points, wrt, id=fn.__name__))
        return fn
    return register


COEFFS = [0.5, -1.5, 2.0, 0.25]
DATA = np.array([0.3, -1.2, 0.8, 2.5, -0.4])


# ---------------------------------------------------------------- branches


@program((1.5, 0.5), (0.3, 0.9), wrt=(0, 1))
def if_else(x, y):
    if x > y:
        z = x * y
    else:
        z = x - y
    return z * z


@program((-1.3,), (0.4,), (2.2,))
def if_elif_else(x):
    if x < 0.0:
        y = -x * x
    elif x < 1.0:
        y = math.sin(x)
    else:
        y = x ** 3
    return y * 2.0


@program((0.3,), (1.2,))
def if_without_else(x):
    z = x
    if x > 0.5:
        z = z * x
    return z + 1.0


@program((1.5, 2.0), (1.5, -1.0), (-0.5, 0.3), wrt=(0, 1))
def nested_if(x, y):
    if x > 0.0:
        if y > 0.0:
            z = x * y
        else:
            z = x + y
    else:
        z = x * x * y
    return z


@program((0.7,), (-0.7,))
def conditional_expression(x):
    y = x * x if x > 0.0 else -x
    return y * 3.0


@program((0.7,), (-0.7,), (1.9,))
def nested_conditional_expression(x):
    return x * x if x < 0.0 else (math.exp(x) if x < 1.0 else x / 2.0)


@program((0.5, 0.5), (-0.5, 2.0), (-2.0, -0.5), wrt=(0, 1))
def and_or_not(x, y):
    if x > 0.0 and y > 0.0 or not x > -1.0:
        z = x * y
    else:
        z = x + 3.0 * y
    return z


@program((0.5,), (1.5,), (-0.5,))
def chained_comparison(x):
    if 0.0 < x < 1.0:
        return math.sin(x)
    return x * x


@program((0.8, 2), (0.8, 3), (-1.1, 0), (1.3, 5))
def comparisons_of_an_integer(x, n):
    y = x
    if n == 2:
        y = y * x
    if n != 3:
        y = y + x
    if n >= 4:
        y = y * 3.0
    if n <= 0:
        y = -y
    return y


@program((2.0, 1.5), (0.5, 1.5), wrt=(0, 1))
def boolean_operator_values(x, y):
    z = (x > 1.0 and x * y) or y * y
    return z * x


# ---------------------------------------------------------------- loops over ranges


@program((0.7, 4), (1.3, 3), (0.9, 0))
def range_accumulator(x, n):
    s = 0.0
    for i in range(n):
        s = s + x ** i
    return s


@program((0.7,), (-1.2,))
def range_start_stop(x):
    s = x
    for i in range(2, 5):
        s = s * x + i
    return s


@program((0.7, 9), (1.1, 4))
def range_with_step(x, n):
    s = 1.0
    for i in range(1, n, 2):
        s = s * x + float(i)
    return s


@program((0.7, 6), (1.1, 1))
def range_negative_step(x, n):
    s = 0.0
    for i in range(n, 0, -1):
        s = s * x + 1.0 / i
    return s


@program((0.7, 7, 2), (1.1, 7, 3), (0.9, 4, 1))
def range_variable_step(x, n, k):
    s = 0.0
    for i in range(0, n, k):
        s = s + x * i
    return s * x


@program((0.7,), (-2.0,))
def range_empty(x):
    s = x
    for i in range(5, 2):
        s = s * x
    return s


@program((0.7, 4), (1.2, 2))
def reversed_range(x, n):
    s = 0.0
    for i in reversed(range(n)):
        s = s * x + COEFFS[i]
    return s


@program((0.7,), (1.2,))
def reversed_range_start_stop(x):
    s = 1.0
    for i in reversed(range(1, 4)):
        s = s * x - i
    return s


# ---------------------------------------------------------------- loops over data


@program((0.7, COEFFS), (-1.3, COEFFS), (0.7, []))
def loop_over_list(x, cs):
    s = 0.0
    for c in cs:
        s = s * x + c
    return s


@program((0.7,), (1.6,))
def loop_over_tuple(x):
    s = 0.0
    for c in (1.0, -2.0, 0.5):
        s = s * x + c
    return s


@program((0.7, DATA), (-0.2, DATA[:2]))
def loop_over_array(x, vs):
    s = 0.0
    for v in vs:
        s = s + np.sin(v * x)
    return s


@program((0.7, COEFFS), (1.4, COEFFS[:2]))
def loop_over_enumerate(x, cs):
    s = 0.0
    for i, c in enumerate(cs):
        s = s + c * x ** i
    return s


@program((0.7, 1.3, COEFFS, DATA), (-0.4, 0.2, COEFFS[:1], DATA), wrt=(0, 1))
def loop_over_zip(x, y, cs, vs):
    s = 0.0
    for c, v in zip(cs, vs):
        s = s + c * x + v * y * s
    return s


@program((0.7, COEFFS), (1.4, COEFFS))
def loop_over_reversed_list(x, cs):
    s = 0.0
    for c in reversed(cs):
        s = s * x + c
    return s


@program((0.7,), (1.4,))
def loop_over_list_literal(x):
    s = x
    for w in [1.0, 2.0, 3.0]:
        s = s * w + x
    return s


# ---------------------------------------------------------------- while


@program((1.3,), (1.7,), (11.0,))
def while_data_dependent(x):
    s = x
    while s < 10.0:
        s = s * x
    return s


@program((0.7, 4), (1.4, 0))
def while_counter(x, n):
    s = 1.0
    i = 0
    while i < n:
        s = s * x + 1.0
        i = i + 1
    return s


@program((0.9, 8), (1.5, 8), (1.5, 2))
def while_compound_condition(x, n):
    s = x
    i = 0
    while s < 5.0 and i < n:
        s = s * x + 0.5
        i += 1
    return s


@program((2.0,), (0.3,), (7.5,))
def while_newton_sqrt(a):
    x = a
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


@program((12.0,), (3.0,))
def while_zero_iterations(x):
    s = x
    while s > 100.0:
        s = s / 2.0
    return s * 3.0


# ---------------------------------------------------------------- nested loops


@program((0.7, 1.3, 3, 2), (1.1, -0.5, 2, 4), wrt=(0, 1))
def nested_for(x, y, n, m):
    s = 0.0
    for i in range(n):
        for j in range(m):
            s = s + x ** i * y ** j
    return s


@program((0.7, 2), (1.1, 3))
def nested_for_depth_three(x, n):
    s = 1.0
    for i in range(n):
        for j in range(i + 1):
            for k in range(j, 3):
                s = s * x + 0.1 * k
    return s


@program((0.7, 4), (1.2, 3))
def triangular_loops(x, n):
    s = 0.0
    for i in range(n):
        t = 1.0
        for j in range(i):
            t = t * x
        s = s + t
    return s


@program((1.3, 3), (2.1, 2))
def while_inside_for(x, n):
    s = 0.0
    for i in range(n):
        t = x
        while t < 4.0:
            t = t * x
        s = s + t
    return s


@program((1.3,), (1.1,))
def for_inside_while(x):
    s = x
    while s < 20.0:
        for i in range(2):
            s = s * x + 1.0
    return s


# ---------------------------------------------------------------- loops and branches


@program((0.7, 5), (1.3, 4))
def branch_inside_loop(x, n):
    s = 1.0
    for i in range(n):
        if i % 2 == 0:
            s = s * x
        else:
            s = s + x
    return s


@program((0.7, 3), (-0.7, 3))
def loop_inside_branch(x, n):
    if x > 0.0:
        s = x
        for i in range(n):
            s = s * x + 1.0
    else:
        s = 0.0
        for i in range(n + 1):
            s = s - x * i
    return s


@program((0.7, 6), (1.9, 5), (1.3, 3))
def data_dependent_branch_inside_loop(x, n):
    s = x
    for i in range(n):
        if s > 1.0:
            s = s / 2.0 + x
        else:
            s = s * x * 3.0
    return s


@program((0.7, 1.3, 3), (1.1, -0.4, 4), wrt=(0, 1))
def swap_in_loop(a, b, n):
    for i in range(n):
        a, b = b, a * 2.0 + b
    return a * b


@program((0.7, 5), (1.2, 0))
def rotate_three_in_loop(x, n):
    a, b, c = x, 2.0 * x, 1.0
    for i in range(n):
        a, b, c = b, c, a * x + b
    return a + b * c


# ---------------------------------------------------------------- break and continue


@program((0.7, 6), (2.3, 6), (0.7, 0))
def break_in_for(x, n):
    s = 0.0
    for i in range(n):
        if s > 3.0:
            break
        s = s + x * i
    return s


@program((1.3,), (0.4,))
def break_in_while_true(x):
    s = x
    while True:
        s = s * 1.5 + x
        if s > 10.0:
            break
    return s


@program((0.7, 6), (1.3, 5))
def continue_in_for(x, n):
    s = 0.0
    for i in range(n):
        if i % 3 == 1:
            continue
        s = s * x + i
    return s


@program((0.7, 6), (1.3, 4))
def continue_in_while(x, n):
    s = 0.0
    i = 0
    while i < n:
        i = i + 1
        if i == 2:
            continue
        s = s * x + 1.0
    return s


@program((0.7, 9), (1.3, 9), (0.2, 4))
def break_and_continue(x, n):
    s = 1.0
    for i in range(n):
        if i % 2 == 1:
            continue
        s = s * x + 0.5
        if s > 2.0:
            break
        s = s + 0.1
    return s


@program((0.7, 4), (1.6, 4))
def break_in_inner_loop(x, n):
    s = 0.0
    for i in range(n):
        t = 1.0
        for j in range(n):
            if t > 2.0:
                break
            t = t * x + 0.5
        s = s + t
    return s


@program((0.7, 5), (1.6, 5), (0.2, 5))
def break_in_outer_loop(x, n):
    s = 0.0
    for i in range(n):
        for j in range(2):
            s = s + x * (j + 1)
        if s > 4.0:
            break
    return s


@program((0.7, COEFFS), (1.2, COEFFS))
def break_in_loop_over_list(x, cs):
    s = 0.0
    for c in cs:
        if c < 0.0 and s * x > 0.4:
            break
        s = s * x + c
    return s


@program((0.7, COEFFS), (-0.3, COEFFS))
def break_in_reversed_loop(x, cs):
    s = 0.0
    for c in reversed(cs):
        s = s * x + c
        if c < 0.0:
            break
    return s * x


@program((0.7, 12, 3), (1.2, 12, 2), (0.1, 12, 3))
def break_with_variable_step(x, n, k):
    s = 0.0
    for i in range(0, n, k):
        s = s + x * i
        if s > 5.0:
            break
    return s


@program((0.7, COEFFS), (1.6, COEFFS))
def continue_in_enumerate(x, cs):
    s = 0.0
    for i, c in enumerate(cs):
        if c < 0.0:
            continue
        s = s + c * x ** (i + 1)
    return s


@program((0.7, 6), (0.3, 6), (0.1, 6), (0.9, 0))
def index_read_after_break(x, n):
    s = 0.0
    i = -1
    for i in range(n):
        s = s + x
        if s > 1.0:
            break
    return s * i


@program((0.7, DATA), (1.3, DATA[:3]))
def break_before_the_condition_fails(x, vs):
    # `while cond and not broke` would evaluate vs[i] once more, past the end.
    s = 0.0
    i = 0
    while vs[i] < 10.0:
        s = s * x + vs[i]
        i = i + 1
        if i == len(vs):
            break
    return s


@program((0.7, 5), (1.4, 5))
def loop_variable_reassigned_before_break(x, n):
    s = 0.0
    for i in range(n):
        i = i * 2
        s = s + x * i
        if s > 4.0:
            break
    return s


@program((0.7, 5), (1.4, 5), (0.1, 5))
def range_stop_reassigned_in_body(x, n):
    s = 0.0
    for i in range(n):
        n = n - 1
        s = s * x + n
        if s > 3.0:
            break
    return s


@program((0.7, 5), (0.1, 5), (0.5, 0))
def break_in_range_over_its_own_index(x, i):
    s = 0.0
    for i in range(i):
        s = s + x
        if s > 2.0:
            break
    return s * i


@program((0.7, 4), (1.5, 4), (0.2, 4))
def break_in_else_branch(x, n):
    s = 1.0
    for i in range(n):
        if s < 2.0:
            s = s * (1.0 + x)
        else:
            s = s - x
            break
    return s


# ---------------------------------------------------------------- early return


@program((0.7,), (-0.7,))
def return_in_branch(x):
    if x > 0.0:
        return x * x
    y = -x
    return y * 3.0


@program((1.5,), (0.5,), (-0.5,))
def return_in_nested_branch(x):
    if x > 0.0:
        if x > 1.0:
            return x * 2.0
        y = x * x
    else:
        y = 3.0 * x
    z = y * y
    return z + x


@program((1.5, 5), (1.1, 3), (0.5, 4))
def return_in_for(x, n):
    s = x
    for i in range(n):
        s = s * x
        if s > 5.0:
            return s * 2.0
    return -s


@program((0.35, 4), (0.1, 3))
def return_in_nested_loops(x, n):
    s = 0.0
    for i in range(n):
        for j in range(n):
            s = s + x * (i + 1)
            if s > 3.0:
                return s * j
    return s


@program((1.3,), (1.01,))
def return_in_while(x):
    s = x
    i = 0
    while i < 100:
        s = s * x
        if s > 10.0:
            return s + i
        i = i + 1
    return 0.0


@program((0.6, 5), (-0.6, 5), (0.1, 5))
def return_in_loop_in_branch(x, n):
    if x > 0.0:
        s = 1.0
        for i in range(n):
            s = s * (1.0 + x)
            if s > 3.0:
                return s
        y = s + 1.0
    else:
        y = x * x
    return y * 2.0


@program((0.7, 3), (1.5, 3))
def return_after_loops(x, n):
    s = x
    for i in range(n):
        s = s * x
    if s > 1.0:
        return s
    for j in range(n):
        s = s + x
    return s * s


@program((0.7, COEFFS), (2.5, COEFFS))
def return_in_loop_over_list(x, cs):
    s = 0.0
    for c in cs:
        s = s * x + c
        if s > 3.0:
            return s
    return s / 2.0


@program((0.7, 3), (0.5, 3), (0.3, 3))
def returns_in_sibling_loops(x, n):
    s = x
    for i in range(n):
        s = s * (1.0 + x)
        if s > 3.0:
            return s
    for j in range(n):
        s = s + x * j
        if s > 2.0:
            return s * 2.0
    return s * 3.0


@program((0.7, 4), (1.3, 4), (0.2, 4))
def return_break_and_continue(x, n):
    s = 0.0
    for i in range(n):
        if i == 1:
            continue
        for j in range(n):
            if j > i:
                break
            s = s + x * (j + 1)
            if s > 5.0:
                return s * x
    return s


# ---------------------------------------------------------------- the example


def linear_regression_error(coef, xs, ys):
    error = 0.0
    for i in range(len(ys)):
        error += (ys[i] - xs[i] * coef) ** 2
    return error


XS = np.array([0.5, 1.0, 1.5, 2.0, 3.0])
YS = np.array([1.2, 1.9, 3.2, 3.9, 6.1])
program((0.0, XS, YS), (1.7, XS, YS), (2.3, XS[:1], YS[:1]))(linear_regression_error)


# ---------------------------------------------------------------- recomputed, not taped
# (transforms/analysis/recompute.py: cheap scalars are computed again in the backward sweep)

XS_LIST = [0.5, 1.0, 1.5, 2.0, 3.0]
YS_LIST = [1.2, 1.9, 3.2, 3.9, 6.1]


@program((1.7, XS_LIST, YS_LIST), (-0.4, XS_LIST, YS_LIST), (0.3, [], []))
def residuals_of_lists(coef, xs, ys):
    error = 0.0
    for i in range(len(ys)):
        error += (ys[i] - xs[i] * coef) ** 2
    return error


@program((0.7, 4), (1.1, 3), (0.9, 0))
def carried_value_scaled(x, n):
    # t depends on y, which changes every iteration: it must be taped, not recomputed.
    y = 1.0
    s = 0.0
    for i in range(n):
        t = y * 2.0 + i
        s = s + math.sin(t) * x
        y = y * x
    return s + y


@program((0.6, XS_LIST), (-1.3, XS_LIST), (0.2, []))
def nested_products(c, xs):
    s = 0.0
    for i in range(len(xs)):
        for j in range(i):
            t = xs[i] * xs[j] * c
            s = s + t * t
    return s


@program((0.8, XS_LIST), (-0.5, XS_LIST))
def recomputed_in_a_branch(c, xs):
    s = 0.0
    for i in range(len(xs)):
        if xs[i] > 1.2:
            u = xs[i] * c - 1.0
            s = s + u * u
        else:
            s = s + math.cos(c * i)
    return s


@program((0.9, XS_LIST), (1.4, XS_LIST))
def long_chain(c, xs):
    # Nine operators from xs[i] to v: more than `MAX_OPERATIONS`, so v is taped.
    s = 0.0
    for i in range(len(xs)):
        v = ((((xs[i] * c + 1.0) * c - 2.0) * c + 0.5) * c - i) * c
        s = s + v * v
    return s


@program((0.4, 5), (1.3, 0))
def recomputed_while(x, n):
    s = 0.0
    k = 0
    while k < n:
        u = x * 3.0 - 1.0  # from x alone: hoisted or recomputed, never taped
        s = s + u * u * k
        k = k + 1
    return s


# ---------------------------------------------------------------- checks


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_gradient_matches_finite_differences(fn, points, wrt):
    for args in points:
        check_grads(fn, args, wrt=wrt)


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_lowered_program_computes_the_same_values(fn, points, wrt):
    lowered, _ = pipeline.primal_function(fn)
    for args in points:
        assert lowered(*args) == fn(*args)


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_normalized_code_has_one_return_and_no_jumps(fn, points, wrt):
    parsed = parse.parse_function(fn)
    node = normalize.normalize(parsed)
    first, last = min(parsed.source_lines), max(parsed.source_lines)
    returns = [n for n in gast.walk(node) if isinstance(n, gast.Return)]
    assert returns == [node.body[-1]]
    assert not [n for n in gast.walk(node) if isinstance(n, (gast.Break, gast.Continue))]
    for stmt in gast.walk(node):
        if isinstance(stmt, gast.stmt) and stmt is not node:
            assert first <= stmt.lineno <= last, ast.dump(gast.gast_to_ast(stmt))


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_every_stage_verifies(fn, points, wrt):
    primal, parsed = pipeline.primal_ir(fn)
    verify(primal)
    names = [p.name for p in primal.params]
    kinds = {name: kind_of_value(v) for name, v in zip(names, points[0])}
    verify(pipeline.adjoint_ir(primal, parsed, [names[k] for k in wrt], TABLE, kinds)[0])


@pytest.mark.parametrize('fn, args, expected', [
    (range_empty, (0.7,), 1.0),                      # s = x, untouched
    (range_accumulator, (0.7, 0), 0.0),
    (loop_over_list, (0.7, []), 0.0),
    (while_zero_iterations, (12.0,), 3.0),
    (rotate_three_in_loop, (0.7, 0), 3.0),           # x + (2 x) * 1
    (break_in_for, (0.7, 0), 0.0),
    (index_read_after_break, (0.9, 0), 0.0),
])
def test_zero_iterations_give_exact_gradients(fn, args, expected):
    assert adjoint.grad(fn)(*args) == expected


def test_linear_regression_against_the_analytic_gradient():
    df = adjoint.grad(linear_regression_error)
    for coef in (0.0, 1.7, -0.4):
        expected = np.sum(-2.0 * XS * (YS - XS * coef))
        assert df(coef, XS, YS) == pytest.approx(expected, rel=1e-12)
        assert df(coef, XS, YS) == pytest.approx(
            numerical_grad(linear_regression_error, (coef, XS, YS), 0), rel=1e-6)


def find_first_negative(xs):
    for i, v in enumerate(xs):
        if v < 0.0:
            return i


def test_falling_off_the_end_returns_none():
    lowered, _ = pipeline.primal_function(find_first_negative)
    assert lowered([1.0, -2.0, -3.0]) == 1
    assert lowered([1.0, 2.0]) is None
    assert lowered([]) is None


def jump_inside_with(x, path):
    for i in range(3):
        with open(path) as stream:
            if stream:
                break
    return x


def test_a_jump_out_of_an_unsupported_statement_names_it_and_its_line():
    with pytest.raises(adjoint.UnsupportedSyntaxError) as info:
        adjoint.grad(jump_inside_with)
    assert '`with`' in str(info.value)
    assert info.value.line == jump_inside_with.__code__.co_firstlineno + 2


# ---------------------------------------------------------------- what gets stored


def generated_source(fn, points, wrt):
    df = adjoint.grad(fn, wrt=wrt)
    df(*points[0])
    return ast.parse(df.source).body[0]


def assigned_names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}


def pushes(loop):
    """The names `tape_*.append(name)` saves in `loop`, outside its nested loops."""
    found, stack = [], list(loop.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.For, ast.While)):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == 'append' and node.func.value.id.startswith('tape_'):
            found.append(node.args[0].id)
        stack.extend(ast.iter_child_nodes(node))
    return found


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_only_values_defined_in_a_loop_are_taped(fn, points, wrt):
    function = generated_source(fn, points, wrt)
    params = {a.arg for a in function.args.args}
    loops = [n for n in ast.walk(function) if isinstance(n, (ast.For, ast.While))]
    all_pushes = [name for loop in loops for name in pushes(loop)]
    assert len(all_pushes) == ast.unparse(function).count('.append(')
    for loop in loops:
        for name in pushes(loop):
            assert name not in params and name in assigned_names(loop), name


def bookkeeping_names(fn, args):
    """Integer arguments, loop variables, integer counters, and lowering's flags."""
    tree = ast.parse(inspect.getsource(fn)).body[0]
    names = {'broke', 'returned', 'n_iter', 'count', 'stop'}
    names.update(p for p, v in zip(inspect.signature(fn).parameters, args)
                 if isinstance(v, int))
    for node in ast.walk(tree):
        if isinstance(node, ast.For):
            names.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and \
                type(node.value.value) is int:
            names.update(n.id for n in node.targets if isinstance(n, ast.Name))
    return names


@pytest.mark.parametrize('fn, points, wrt', PROGRAMS)
def test_integer_bookkeeping_gets_no_adjoint(fn, points, wrt):
    function = generated_source(fn, points, wrt)
    used = {base_name(n.id) for n in ast.walk(function) if isinstance(n, ast.Name)}
    adjoints = {adjoint_name(name) for name in bookkeeping_names(fn, points[0])}
    assert not used & adjoints


def test_loop_invariants_are_not_taped():
    # coef, xs, ys and len(ys) are defined outside the loop; only the loop's own
    # values may be saved, and the index is recomputed by the backward loop.
    function = generated_source(linear_regression_error, ((1.7, XS, YS),), (0,))
    loop = next(n for n in ast.walk(function) if isinstance(n, ast.For))
    saved = set(pushes(loop))
    assert not saved & {'coef', 'xs', 'ys', 'i', 't1'}


def all_pushes(function):
    return {name for loop in ast.walk(function) if isinstance(loop, (ast.For, ast.While))
            for name in pushes(loop)}


def test_a_residual_of_items_is_recomputed_and_the_forward_loop_is_gone():
    # Nothing is taped, and the only loop left is the backward one, as by hand.
    function = generated_source(residuals_of_lists, ((1.7, XS_LIST, YS_LIST),), (0,))
    assert 'tape_' not in ast.unparse(function)
    loops = [n for n in ast.walk(function) if isinstance(n, (ast.For, ast.While))]
    assert len(loops) == 1 and 'reversed' in ast.unparse(loops[0].iter)


def test_values_computed_from_carried_values_are_taped():
    function = generated_source(carried_value_scaled, ((0.7, 4),), (0,))
    assert all_pushes(function) >= {'t', 'y'}


def test_recomputation_is_capped():
    # Each saved value is recomputed only if that takes at most MAX_OPERATIONS.
    function = generated_source(long_chain, ((0.9, XS_LIST),), (0,))
    saved = all_pushes(function)
    assert 'v' in saved and len(saved) < 6


def test_nested_loops_and_branches_recompute_items_and_tape_nothing():
    for fn, args in ((nested_products, (0.6, XS_LIST)), (recomputed_in_a_branch,
                                                           (0.8, XS_LIST))):
        function = generated_source(fn, (args,), (0,))
        assert 'tape_' not in ast.unparse(function), fn.__name__


def test_arrays_are_taped_not_recomputed():
    def scaled_rows(c, m):
        s = 0.0
        for i in range(len(m)):
            row = m[i] * c
            s = s + np.sum(row * row)
        return s
    m = np.arange(6.0).reshape(3, 2)
    check_grads(scaled_rows, (0.7, m), wrt=(0,))
    function = generated_source(scaled_rows, ((0.7, m),), (0,))
    assert 'row' in all_pushes(function)


def test_a_break_turns_a_for_into_a_while_that_tapes_no_flag():
    function = generated_source(break_in_for, ((0.7, 6),), (0,))
    saved = {name for loop in ast.walk(function) if isinstance(loop, (ast.For, ast.While))
             for name in pushes(loop)}
    assert not saved & {'broke', 'returned'}
    # The loop stops at the break: the flag is in the `while` condition.
    lowered = normalize.normalize(parse.parse_function(break_in_for))
    loops = [n for n in gast.walk(lowered) if isinstance(n, (gast.For, gast.While))]
    assert len(loops) == 1 and isinstance(loops[0], gast.While)
    assert 'broke' in {n.id for n in gast.walk(loops[0].test) if isinstance(n, gast.Name)}
