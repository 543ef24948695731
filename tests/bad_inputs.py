"""A corpus of bad inputs (issue 11): each must raise an `adjoint` error that says
what is wrong and what to do — never an internal traceback, never a number.

`CASES` is the data tests/test_bad_inputs.py runs. A case names the user's
function, the API call to make and its arguments, the error class expected, a
fragment of what the message says is wrong and a fragment of what it says to do.
For a `SourceError` the offending line of this file ends in a `# bad:` marker: the
error must name this file, that line, and quote it.

`NOT_ERRORS` lists inputs that look bad but are not, with what adjoint does
instead; test_bad_inputs.py checks that too. The conventions are JAX's: a
derivative at a NaN or infinite input is whatever the rules compute there (NaN or
inf, no error), and a derivative raises where its function raises (the same
TypeError for a missing argument, the same ValueError for math.sqrt(-1.0)).
"""

import cmath
import dataclasses
import functools
import math
import operator
import warnings

import numpy as np

import adjoint
from transforms.core.errors import (AdjointError, NonScalarOutputError, NoSourceError, SourceError,
                                    UndefinedNameError, UnknownCallableError,
                                    UnsupportedSyntaxError)


class Box:
    """A plain object, for attribute writes."""


COUNTER = 0.0


# ---------------------------------------------------------------- unsupported syntax


def class_inside(x):
    class Point:  # bad: class_inside
        pass
    return x * 2.0


def global_statement(x):
    global COUNTER  # bad: global_statement
    COUNTER = x
    return x * 2.0


def nonlocal_statement(x):
    y = x

    def double():
        nonlocal y  # bad: nonlocal_statement
        y = y * 2.0
    double()
    return y


def try_except(x):
    try:  # bad: try_except
        y = math.log(x)
    except ValueError:
        y = 0.0
    return y


def try_finally(x):
    try:  # bad: try_finally
        y = x * 2.0
    finally:
        pass
    return y


def with_lock(x, lock):
    with lock:  # bad: with_lock
        y = x * 2.0
    return y


def generator(x):
    yield x * 2.0  # bad: generator


def yield_from(x):
    yield from [x, x]  # bad: yield_from


async def coroutine(x):  # bad: coroutine
    return x * 2.0


def walrus(x):
    if (y := x * 2.0) > 0.0:  # bad: walrus
        return y
    return x


def starred_assignment(x):
    first, *rest = [x, 2.0 * x, 3.0 * x]  # bad: starred_assignment
    return first


def delete_item(xs):
    ys = [x * 2.0 for x in xs]
    del ys[0]  # bad: delete_item
    return ys[0]


def attribute_write(x):
    box = Box()
    box.value = x  # bad: attribute_write
    return box.value * 2.0


def setattr_call(x):
    box = Box()
    setattr(box, 'value', x)  # bad: setattr_call
    return box.value * 2.0


def delattr_call(x, box):
    delattr(box, 'value')  # bad: delattr_call
    return x * 2.0


def eval_call(x):
    return eval('x * 2.0')  # bad: eval_call


def exec_call(x):
    y = x
    exec('y = 3.0 * x')  # bad: exec_call
    return y


def locals_call(x):
    y = x * 2.0
    return locals()['y']  # bad: locals_call


def vars_call(x):
    y = x * 2.0
    return vars()['y']  # bad: vars_call


def globals_write(x):
    globals()['COUNTER'] = x  # bad: globals_write
    return x


def bare_raise(x):
    if x < 0.0:
        raise  # bad: bare_raise
    return x * 2.0


def import_inside(x):
    import math as m  # bad: import_inside
    return m.sin(x)


def match_return(x, n):
    match n:  # bad: match_return
        case 0:
            return x
        case _:
            return x * 2.0


def dict_comprehension(xs):
    d = {k: x * x for k, x in enumerate(xs)}  # bad: dict_comprehension
    return d[0]


def star_args(*xs):
    return xs[0] * 2.0


def jvp_star_args(*xs):
    return xs[0] * xs[1]


def vjp_star_args(x, *rest):
    return x * rest[0]


def star_kwargs(x, **options):
    return x * 2.0


def nested_star_args(x):
    def first(*items):  # bad: nested_star_args
        return items[0]
    return first(x) * 2.0


def while_else(x):
    while x > 10.0:  # bad: while_else
        x = x / 2.0
    else:
        x = x + 1.0
    return x


def for_else(x, n):
    for i in range(n):  # bad: for_else
        x = x * 2.0
    else:
        x = x + 1.0
    return x


def f_string(x):
    label = f'{x:.3f}'  # bad: f_string
    return x * len(label)


def dict_unpacking(x, extra):
    d = {**extra, 'x': x}  # bad: dict_unpacking
    return d['x'] * 2.0


def star_call_of_argument(xs):
    return max(*xs)  # bad: star_call_of_argument


def call_of_a_value(x):
    return np.sum(np.vectorize(math.erf)(x))  # bad: call_of_a_value


def partial_inside(x):
    double = functools.partial(operator.mul, 2.0)
    return double(x)  # bad: partial_inside


def local_function_as_value(xs):
    def square(t):
        return t * t
    functions = [square]  # bad: local_function_as_value
    return functions[0](xs[0])


def grad_of_a_closure(x):
    def inner(y):
        return x * y
    return x * adjoint.grad(inner)(2.0)  # bad: grad_of_a_closure


def grad_of_a_lambda(x):
    return adjoint.grad(lambda y: x * y ** 2)(x)  # bad: grad_of_a_lambda


def list_reversed_in_place(xs):
    ys = [x * 2.0 for x in xs]
    ys.reverse()  # bad: list_reversed_in_place
    return ys[0]


def array_filled_in_place(x):
    y = x * 2.0
    y.fill(1.0)  # bad: array_filled_in_place
    return np.sum(y)


def written_through_out(x):
    y = x * 2.0
    np.add(y, 1.0, out=y)  # bad: written_through_out
    return np.sum(y * x)


def written_through_a_ufunc_output(x):
    y = x * 2.0
    np.negative(y, y)  # bad: written_through_a_ufunc_output
    return np.sum(y * x)


def written_by_copyto(x):
    y = np.zeros(3)
    np.copyto(y, x)  # bad: written_by_copyto
    return np.sum(y)


def written_by_put(x):
    y = x * 1.0
    np.put(y, [0], 0.0)  # bad: written_by_put
    return np.sum(y)


def written_by_fill_diagonal(x):
    a = np.outer(x, x)
    np.fill_diagonal(a, 0.0)  # bad: written_by_fill_diagonal
    return np.sum(a)


def written_by_ufunc_at(x):
    y = np.zeros(3)
    np.add.at(y, [0, 0, 1], x)  # bad: written_by_ufunc_at
    return np.sum(y * y)


def written_by_operator_setitem(x):
    y = x * 1.0
    operator.setitem(y, 0, 0.0)  # bad: written_by_operator_setitem
    return np.sum(y)


def written_by_dunder_setitem(x):
    y = x * 1.0
    y.__setitem__(0, 0.0)  # bad: written_by_dunder_setitem
    return np.sum(y)


def item_appended_to(x):
    out = {'a': []}
    out['a'].append(x * x)  # bad: item_appended_to
    return out['a'][0]


def view_filled_in_place(x):
    y = np.outer(x, x)
    y[:, 0].fill(0.0)  # bad: view_filled_in_place
    return np.sum(y)


def _scaled_in_place(a):
    a *= 3.0


def _apply_to(fn, a):
    fn(a)


def written_by_a_function_passed_on(x):
    y = x * 2.0
    _apply_to(_scaled_in_place, y)
    return np.sum(y)  # bad: written_by_a_function_passed_on


def written_into_an_int_array(x):
    y = np.zeros(3, dtype=int)
    y[0] = x
    return y[0] * 1.0 + x


def written_into_an_int_buffer_in_a_loop(x):
    out = np.zeros_like(np.array([0, 1, 2]))
    for i in range(3):
        out[i] = x[i] * 7.0
    return np.sum(out * x)


def reduction_with_an_unknown_keyword(x):
    return np.sum(np.exp(x), out=None)  # bad: reduction_with_an_unknown_keyword


def undefined_name(x):
    return x * not_defined_anywhere  # noqa: F821  # bad: undefined_name


def unbound_after_branch(x):
    if x > 0.0:
        y = x * 2.0
    return y  # bad: unbound_after_branch


# ---------------------------------------------------------------- calls without rules


def ldexp_call(x):
    return math.ldexp(x, 2)  # bad: ldexp_call


def frexp_call(x):
    return math.frexp(x)[0] * x  # bad: frexp_call


def fft_call(x):
    return np.sum(np.fft.fft(x))  # bad: fft_call


def unwrap_call(x):
    return np.sum(np.unwrap(x))  # bad: unwrap_call


def eigvals_call(x):
    return np.linalg.eigvals(x)[0]  # bad: eigvals_call


def reduce_call(x):
    return functools.reduce(operator.mul, [x, x, x])  # bad: reduce_call


def map_call(xs):  # an iterator held: its first reader exhausts it
    sines = map(math.sin, xs)  # bad: map_call
    return sum(sines)


def reversed_value(xs):
    backwards = reversed(xs)  # bad: reversed_value
    return sum(backwards)


def next_call(xs):
    return next(iter(xs)) * 2.0  # bad: next_call


def hash_call(x):
    return x * hash(x)  # bad: hash_call


def str_call(x):
    return float(str(x)) * 2.0  # bad: str_call


def cmath_call(x):
    return abs(cmath.sqrt(x))  # bad: cmath_call


def method_call(x):
    return np.sum(x.conjugate())  # bad: method_call


def dunder_method_call(x):
    return x.__mul__(x)  # bad: dunder_method_call


def real_attribute(x):
    return x.real * 2.0  # bad: real_attribute


def helper_without_rule(x):
    return math.ldexp(x, 1) * 2.0  # bad: helper_without_rule


def calls_helper(x):
    return helper_without_rule(x * 3.0) + x


# ---------------------------------------------------------------- plain functions


def rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def square(x):  # bad: parameter_of_square
    return x * x


def squared_norm(x):  # bad: parameter_of_squared_norm
    return np.sum(x * x)


def scaled(p):  # bad: parameter_of_scaled
    return p['a'] * 2.0


def doubled(x):
    return x * 2.0


def pair(x):
    return x, 2.0 * x


def returns_nothing(x):
    x * 2.0


def returns_text(x):
    return 'done'


def returns_dict(x):
    return {'x': x}


def returns_list(x):
    return [x, x * x]


def returns_complex(x):
    return (x - 2.0) ** 0.5  # a negative float to a fractional power: complex


def times_complex(x):
    return x * 1j  # bad: times_complex


def returns_outer(x):
    return np.outer(x, x)


def safe_sqrt(x):
    return math.sqrt(x)


def checked_log(x):
    assert x > 0.0, 'x must be positive'
    return math.log(x)


def last_term(x, n):
    for i in range(n):
        y = x * i
    return y


def delete_name(x):
    y = x * 3.0
    del y
    return x * x


def power_by_recursion(x, n):
    if n == 0:
        return 1.0
    return x * power_by_recursion(x, n - 1)


def is_positive(x):
    return x > 0.0


# ---------------------------------------------------------------- the cases


@dataclasses.dataclass(frozen=True)
class Case:
    """One bad input.

    Attributes:
        name: the case's id (and, by default, its `# bad:` marker).
        fn: what is passed to the API: the user's function, or the non-function.
        api: 'grad', 'value_and_grad', 'derivative', 'hessian', 'hvp', 'jacobian',
            'jvp' or 'vjp' (which calls the pullback with `cotangent`, if given).
        args: the arguments of the call.
        error: the `AdjointError` subclass expected.
        wrong: a fragment of the message: what is wrong.
        hint: a fragment of the message: what to do.
        options: keyword arguments of the API function (`wrt`, `mode`).
        tangents: for 'jvp', the tangents (default: ones shaped like the args).
        cotangent: for 'vjp', the cotangent the pullback is called with.
        where: the `# bad:` marker of the offending line, for a SourceError.
    """

    name: str
    fn: object
    api: str
    args: tuple
    error: type
    wrong: str
    hint: str
    options: dict = dataclasses.field(default_factory=dict)
    tangents: tuple = None
    cotangent: object = None
    where: str = None

    @property
    def marker(self):
        return f'# bad: {self.where or self.name}'


def syntax(fn, api, args, wrong, hint, error=UnsupportedSyntaxError, **extra):
    """A case whose message names the marked line of `fn`."""
    return Case(fn.__name__ if 'name' not in extra else extra.pop('name'), fn, api, args,
                error, wrong, hint, **extra)


def no_rule(fn, api, args, wrong, hint='@adjoint.vjp_rule', **extra):
    return syntax(fn, api, args, wrong, hint, error=UnknownCallableError, **extra)


V3 = np.array([0.5, -1.0, 2.0])
with warnings.catch_warnings():
    warnings.simplefilter('ignore', PendingDeprecationWarning)
    MATRIX = np.matrix([[1.0, 2.0]])

CASES = [
    # Syntax the compiler has no form for: rejected when the function is read.
    syntax(class_inside, 'grad', (1.0,), '`ClassDef` statements', 'at module level'),
    syntax(global_statement, 'grad', (1.0,), '`Global` statements', 'as a parameter'),
    syntax(nonlocal_statement, 'jvp', (1.0,), '`Nonlocal` statements', 'as a parameter'),
    syntax(try_except, 'grad', (1.0,), '`Try` statements', 'around the call'),
    syntax(try_finally, 'value_and_grad', (1.0,), '`Try` statements', 'around the call'),
    syntax(with_lock, 'jvp', (1.0, None), '`with` is supported only as',
           'adjoint.insert_grad_of', tangents=(1.0, None)),
    syntax(generator, 'grad', (1.0,), '`Yield` expressions', 'return a list'),
    syntax(yield_from, 'jvp', (1.0,), '`YieldFrom` expressions', 'return a list'),
    syntax(coroutine, 'grad', (1.0,), 'is an `async def`', 'plain `def`'),
    syntax(walrus, 'grad', (1.0,), '`NamedExpr` expressions', 'on a line of its own'),
    syntax(starred_assignment, 'grad', (1.0,), 'starred assignment', 'by index'),
    syntax(delete_item, 'grad', ([1.0, 2.0],), '`del` is supported for names only',
           'build a new list'),
    syntax(attribute_write, 'grad', (1.0,), 'assignment to this target', 'assign to a name'),
    syntax(setattr_call, 'grad', (1.0,), '`setattr()` reaches', 'write the expression'),
    syntax(delattr_call, 'grad', (1.0, None), '`delattr()` reaches', 'write the expression'),
    syntax(eval_call, 'grad', (1.0,), '`eval()` reaches', 'write the expression'),
    syntax(exec_call, 'jvp', (1.0,), '`exec()` reaches', 'write the expression'),
    syntax(locals_call, 'grad', (1.0,), '`locals()` reaches', 'write the expression'),
    syntax(vars_call, 'value_and_grad', (1.0,), '`vars()` reaches', 'write the expression'),
    syntax(globals_write, 'grad', (1.0,), 'assignment to this target', 'assign to a name'),
    syntax(bare_raise, 'grad', (1.0,), 'a bare `raise` re-raises', 'raise an exception'),
    syntax(import_inside, 'grad', (1.0,), '`Import` statements', 'import at module level'),
    syntax(match_return, 'grad', (1.0, 0), '`return` inside `match`', 'as `if`/`elif`'),
    syntax(dict_comprehension, 'grad', ([1.0, 2.0],), 'dict comprehensions',
           'build the container with a loop'),
    syntax(nested_star_args, 'grad', (1.0,), 'a nested function with *args',
           'define it at module level'),
    syntax(while_else, 'grad', (20.0,), '`while ... else` is not supported', 'behind a flag'),
    syntax(for_else, 'grad', (1.0, 3), '`for ... else` is not supported', 'behind a flag'),
    syntax(f_string, 'grad', (1.0,), '`JoinedStr` expressions', 'format strings outside'),
    syntax(dict_unpacking, 'grad', (1.0, {}), '`**` in a dict literal', 'write the keys out'),
    syntax(star_call_of_argument, 'grad', ([1.0, 2.0],), '`*xs` in a call',
           'pass them one by one'),
    syntax(call_of_a_value, 'grad', (V3,), 'calling this value', 'call a function by its name'),
    syntax(partial_inside, 'grad', (1.0,), 'calling this value',
           'call a function by its name'),
    # autograd's test_graphs.py: it read adjoint.grad's own source, and said it had none
    syntax(grad_of_a_closure, 'grad', (1.5,), '`adjoint.grad` of a function made in this',
           'define that function at module level'),
    syntax(grad_of_a_lambda, 'jvp', (1.5,), '`adjoint.grad` of a function made in this',
           'pass the values it reads as arguments'),
    syntax(local_function_as_value, 'grad', ([1.0, 2.0],), 'the local function `square`',
           'define it at module level'),
    syntax(list_reversed_in_place, 'grad', ([1.0, 2.0],), '`.reverse()` changes',
           'xs[::-1]'),
    syntax(array_filled_in_place, 'jvp', (V3,), '`.fill()` changes', 'without changing'),
    syntax(written_through_out, 'grad', (V3,), 'this call changes `y` in place',
           'leave out `out=`'),
    syntax(written_through_a_ufunc_output, 'jvp', (V3,), 'this call changes `y` in place',
           'leave out the output argument'),
    syntax(written_by_copyto, 'grad', (V3,), 'this call changes `y` in place',
           'build the new array'),
    syntax(written_by_put, 'vjp', (V3,), 'this call changes `y` in place', '`y[index] = v`'),
    syntax(written_by_fill_diagonal, 'hessian', (V3,), 'this call changes `a` in place',
           'y[i, i] = v'),
    syntax(written_by_ufunc_at, 'grad', (V3,), 'this call changes `y` in place',
           'repeated indices'),
    syntax(written_by_operator_setitem, 'grad', (V3,), 'this call changes `y` in place',
           '`y[i] = v`'),
    syntax(written_by_dunder_setitem, 'jvp', (V3,), 'this call changes `y` in place',
           '`y[i] = v`'),
    syntax(item_appended_to, 'grad', (1.5,), '`.append()` changes', 'a name for the item'),
    syntax(reduction_with_an_unknown_keyword, 'grad', (V3,),
           '`np.sum` is called with arguments adjoint cannot differentiate',
           "unexpected keyword argument 'out'"),
    Case('written_into_an_int_array', written_into_an_int_array, 'grad', (2.7,), AdjointError,
         'written into an array of dtype int64, which rounds it', 'make the array float'),
    Case('written_into_an_int_buffer_in_a_loop', written_into_an_int_buffer_in_a_loop, 'jvp',
         (V3,), AdjointError, 'written into an array of dtype int64',
         'make the array float'),
    syntax(view_filled_in_place, 'grad', (V3,), '`.fill()` changes', 'np.full_like'),
    syntax(written_by_a_function_passed_on, 'grad', (V3,), 'this reads, through another name',
           '`_apply_to` writes into'),
    syntax(undefined_name, 'grad', (1.0,), 'name `not_defined_anywhere` is not defined',
           'define or import it', error=UndefinedNameError),
    syntax(unbound_after_branch, 'grad', (1.0,), '`y` may be unbound here',
           'in both branches', error=UndefinedNameError),

    # A differentiated value flows into a callable with no rule: rejected when the
    # derivative is compiled, naming the call's line (in a callee: the callee's).
    no_rule(ldexp_call, 'grad', (0.5,), 'no derivative rule for `math.ldexp`'),
    no_rule(frexp_call, 'jvp', (1.5,), 'no tangent (forward-mode) rule for `math.frexp`',
            '@adjoint.jvp_rule'),
    # Declared unsupported: the error says why, not to write a rule.
    no_rule(fft_call, 'grad', (V3,), '`np.fft.fft` is not differentiable yet',
            'complex intermediates'),
    no_rule(unwrap_call, 'value_and_grad', (V3,), 'no derivative rule for `np.unwrap`'),
    no_rule(eigvals_call, 'grad', (np.eye(2),), 'no derivative rule for `np.linalg.eigvals`'),
    no_rule(reduce_call, 'grad', (1.5,), 'no derivative rule for `functools.reduce`'),
    no_rule(map_call, 'grad', ([1.0, 2.0],), 'no derivative rule for `map`'),
    no_rule(reversed_value, 'grad', ([2.0, 1.0],), 'no derivative rule for `reversed`'),
    no_rule(next_call, 'grad', ([2.0, 1.0],), 'no derivative rule for `next`'),
    no_rule(hash_call, 'grad', (2.0,), 'no derivative rule for `hash`'),
    no_rule(str_call, 'grad', (2.0,), 'no derivative rule for `str`'),
    no_rule(cmath_call, 'grad', (2.0,), 'no derivative rule for `cmath.sqrt`'),
    no_rule(method_call, 'grad', (V3,), 'no derivative rule for `.conjugate()`',
            'a function with a rule'),
    no_rule(dunder_method_call, 'grad', (2.0,), 'no derivative rule for `.__mul__()`',
            'a function with a rule'),
    no_rule(real_attribute, 'grad', (2.0,), 'no derivative rule for `.real`',
            'a function with a rule'),
    no_rule(calls_helper, 'grad', (0.5,), 'no derivative rule for `math.ldexp`',
            where='helper_without_rule'),

    # `wrt` that names no parameter, or one twice: rejected by the API call.
    Case('wrt_out_of_range', rosenbrock, 'grad', (1.0, 2.0), AdjointError,
         'wrt=2, but `rosenbrock` has 2 parameter(s)', 'x, y', {'wrt': 2}),
    Case('wrt_negative_out_of_range', rosenbrock, 'value_and_grad', (1.0, 2.0), AdjointError,
         'wrt=-3, but `rosenbrock` has 2 parameter(s)', 'x, y', {'wrt': -3}),
    Case('wrt_twice', rosenbrock, 'grad', (1.0, 2.0), AdjointError,
         'wrt names a parameter twice', '(0, 0)', {'wrt': (0, 0)}),
    Case('wrt_twice_by_name', rosenbrock, 'grad', (1.0, 2.0), AdjointError,
         'wrt names a parameter twice', "(0, 'x')", {'wrt': (0, 'x')}),
    Case('wrt_twice_derivative', rosenbrock, 'derivative', (1.0, 2.0), AdjointError,
         'wrt names a parameter twice', "('x', 'x')", {'wrt': (0, 'x')}),
    Case('wrt_unknown_name', rosenbrock, 'derivative', (1.0, 2.0), AdjointError,
         "wrt='z' is not a parameter of `rosenbrock`", 'its parameters are: x, y',
         {'wrt': 'z'}),
    Case('wrt_float', rosenbrock, 'grad', (1.0, 2.0), AdjointError,
         'got 1.0', 'wrt must be a parameter index or name', {'wrt': 1.0}),
    Case('wrt_bool', rosenbrock, 'grad', (1.0, 2.0), AdjointError,
         'got True', 'wrt must be a parameter index or name', {'wrt': True}),
    Case('wrt_bytes', rosenbrock, 'value_and_grad', (1.0, 2.0), AdjointError,
         "got b'x'", 'wrt must be a parameter index or name', {'wrt': b'x'}),
    Case('wrt_set', rosenbrock, 'grad', (1.0, 2.0), AdjointError,
         'got {0}', 'wrt must be a parameter index or name', {'wrt': {0}}),
    Case('wrt_hessian_out_of_range', rosenbrock, 'hessian', (1.0, 2.0), AdjointError,
         'wrt=5, but `rosenbrock` has 2 parameter(s)', 'x, y', {'wrt': 5}),
    Case('wrt_jacobian_unknown_name', rosenbrock, 'jacobian', (1.0, 2.0), AdjointError,
         "wrt='q' is not a parameter of `rosenbrock`", 'its parameters are: x, y',
         {'wrt': 'q'}),
    Case('wrt_hvp_out_of_range', rosenbrock, 'hvp', (1.0, 2.0, 1.0), AdjointError,
         'wrt=7, but `rosenbrock` has 2 parameter(s)', 'x, y', {'wrt': 7}),
    Case('jacobian_unknown_mode', doubled, 'jacobian', (1.0,), AdjointError,
         "mode='sideways'", 'the modes are: auto, forward, reverse', {'mode': 'sideways'}),

    # `grad` of a function whose output is no real scalar: rejected when it returns.
    Case('output_array', doubled, 'value_and_grad', (V3,), NonScalarOutputError,
         'returned ndarray of shape (3,)', 'reduce it to a scalar'),
    Case('output_matrix', returns_outer, 'grad', (V3,), NonScalarOutputError,
         'returned ndarray of shape (3, 3)', 'adjoint.jacobian'),
    Case('output_tuple', pair, 'grad', (1.0,), NonScalarOutputError,
         'returned a tuple of 2 items', 'pass has_aux=True'),
    Case('output_nothing', returns_nothing, 'grad', (1.0,), NonScalarOutputError,
         'returned None', 'return a real number'),
    Case('output_dict', returns_dict, 'grad', (1.0,), NonScalarOutputError,
         'returned dict', 'return a real number'),
    Case('output_list', returns_list, 'value_and_grad', (1.0,), NonScalarOutputError,
         'returned a list of 2 items', 'pass has_aux=True'),
    Case('output_complex', returns_complex, 'grad', (1.0,), NonScalarOutputError,
         'returned complex', 'return a real number'),
    syntax(times_complex, 'grad', (1.0,), 'complex numbers are not differentiated',
           'write the real and imaginary parts as real values'),
    Case('output_hessian_of_array', returns_outer, 'hessian', (V3,), NonScalarOutputError,
         'returned ndarray of shape (3, 3)', 'reduce it to a scalar'),
    Case('output_text', returns_text, 'grad', (1.0,), NonScalarOutputError,
         "returned 'done'", 'return a real number'),
    # The other APIs take any outputs of numbers: None or a string has no derivative.
    Case('output_nothing_jvp', returns_nothing, 'jvp', (1.0,), AdjointError,
         'adjoint.jvp needs `returns_nothing` to return real numbers', 'return the numbers'),
    Case('output_text_jvp', returns_text, 'jvp', (1.0,), AdjointError,
         "but it returned 'done', which has no derivative", 'return the numbers'),
    Case('output_nothing_vjp', returns_nothing, 'vjp', (1.0,), AdjointError,
         'adjoint.vjp needs `returns_nothing` to return real numbers', 'return the numbers'),
    Case('output_text_derivative', returns_text, 'derivative', (1.0,), AdjointError,
         "adjoint.derivative needs `returns_text` to return real numbers", 'return the numbers'),
    Case('output_nothing_derivative', returns_nothing, 'derivative', (1.0,), AdjointError,
         'returned None, which has no derivative', 'return the numbers'),
    Case('output_nothing_jacobian', returns_nothing, 'jacobian', (V3,), AdjointError,
         'adjoint.jacobian needs `returns_nothing`', 'return the numbers'),
    Case('output_text_jacobian_forward', returns_text, 'jacobian', (1.0,), AdjointError,
         'adjoint.jvp needs `returns_text`', 'return the numbers', {'mode': 'forward'}),

    # Something that is not a Python function with source code.
    Case('no_source_builtin', math.sin, 'grad', (1.0,), NoSourceError,
         'cannot read the source of `sin`', 'define the function with `def`'),
    Case('no_source_builtin_abs', abs, 'derivative', (1.0,), NoSourceError,
         'cannot read the source of `abs`', '@adjoint.vjp_rule'),
    Case('no_source_ufunc', np.tanh, 'value_and_grad', (1.0,), NoSourceError,
         'cannot read the source of `tanh`', 'define the function with `def`'),
    Case('no_source_ufunc_jacobian', np.exp, 'jacobian', (V3,), NoSourceError,
         'cannot read the source of `exp`', 'define the function with `def`'),
    Case('no_source_builtin_jvp', math.exp, 'jvp', (1.0,), NoSourceError,
         'it is not a Python function', 'define the function with `def`'),
    Case('no_source_builtin_vjp', math.cos, 'vjp', (1.0,), NoSourceError,
         'it is not a Python function', 'define the function with `def`'),
    Case('no_source_partial', functools.partial(rosenbrock, 1.0), 'grad', (2.0,),
         NoSourceError, 'functools.partial', 'define the function with `def`'),
    Case('no_source_vectorize', np.vectorize(math.erf), 'grad', (1.0,), NoSourceError,
         'numpy.vectorize', 'define the function with `def`'),
    Case('no_source_class', Box, 'hessian', (1.0,), NoSourceError,
         'cannot read the source of `Box`', 'define the function with `def`'),
    Case('no_source_eval_lambda', eval('lambda x: x * x'), 'grad', (1.0,), NoSourceError,
         'could not get source code', 'made with exec() have no source file'),

    # Arguments that cannot be differentiated: rejected when the call compiles.
    Case('argument_string', square, 'grad', ('a',), SourceError,
         "argument `x` of `square` is (or holds) 'a'", 'pass a number',
         where='parameter_of_square'),
    Case('argument_none', square, 'value_and_grad', (None,), SourceError,
         'is (or holds) None', 'pass a number',
         where='parameter_of_square'),
    Case('argument_object', square, 'jvp', (Box(),), SourceError,
         'is (or holds) a Box', 'pass a number', tangents=(1.0,),
         where='parameter_of_square'),
    Case('argument_complex', square, 'derivative', (1.0 + 2.0j,), SourceError,
         'is (or holds) a complex', 'its real and imaginary parts',
         where='parameter_of_square'),
    Case('argument_complex_array', squared_norm, 'grad', (V3 * 1j,), SourceError,
         'an ndarray of dtype complex128', 'its real and imaginary parts',
         where='parameter_of_squared_norm'),
    Case('argument_complex_vjp', squared_norm, 'vjp', (V3 * 1j,), SourceError,
         'an ndarray of dtype complex128', 'its real and imaginary parts',
         where='parameter_of_squared_norm'),
    Case('argument_object_array', squared_norm, 'grad',
         (np.array([1.0, 'a'], dtype=object),), SourceError,
         'an ndarray of dtype object', 'pass a number',
         where='parameter_of_squared_norm'),
    Case('argument_list_holding_a_complex', squared_norm, 'grad', ([1.0, 2.0j],),
         SourceError, 'is (or holds) a complex', 'its real and imaginary parts',
         where='parameter_of_squared_norm'),
    Case('argument_dict_holding_a_complex_array', scaled, 'jvp', ({'a': V3 * 1j},),
         SourceError, 'an ndarray of dtype complex128', 'its real and imaginary parts',
         tangents=({'a': np.ones(3)},),
         where='parameter_of_scaled'),
    Case('argument_string_hessian', square, 'hessian', ('a',), SourceError,
         "is (or holds) 'a'", 'pass a number',
         where='parameter_of_square'),
    Case('argument_matrix_subclass', squared_norm, 'vjp', (MATRIX,),
         SourceError, 'a subclass of np.ndarray', 'np.asarray(x)',
         where='parameter_of_squared_norm'),
    Case('argument_array_to_derivative', squared_norm, 'derivative', (V3,), AdjointError,
         'adjoint.derivative is for a scalar input', 'use adjoint.jacobian'),
    Case('tangent_of_another_shape', squared_norm, 'jvp', (V3,), AdjointError,
         'the tangent of argument 0 has shape (2,)', 'they must be the same',
         tangents=(np.ones(2),)),
    Case('tangents_missing', squared_norm, 'jvp', (V3,), AdjointError,
         '1 primals but 0 tangents', 'give one tangent per primal', tangents=()),
    Case('cotangent_of_another_shape', doubled, 'vjp', (V3,), AdjointError,
         'the cotangent has shape (2,), but the output has shape (3,)',
         'a cotangent shaped like the output', cotangent=np.ones(2)),
    Case('vjp_arguments_missing', rosenbrock, 'vjp', (1.0,), AdjointError,
         '`rosenbrock` takes 2 arguments (x, y), 1 given', 'takes 2 arguments'),
]


# ---------------------------------------------------------------- not errors


@dataclasses.dataclass(frozen=True)
class NotAnError:
    """An input that looks bad but is not: what adjoint does, and why.

    Attributes:
        name: the id.
        fn, api, args, options: the call, as for `Case`.
        expected: the result (compared with `np.testing.assert_allclose`, NaN
            equal to NaN), or an exception class the function itself raises.
        why: the convention it follows.
    """

    name: str
    fn: object
    api: str
    args: tuple
    expected: object
    why: str
    options: dict = dataclasses.field(default_factory=dict)


NOT_ERRORS = [
    NotAnError('nan_input', square, 'grad', (math.nan,), math.nan,
               'a derivative at NaN is NaN, as in JAX: the rules compute it'),
    NotAnError('nan_input_jvp', square, 'derivative', (math.nan,), math.nan,
               'forward mode agrees with reverse mode at NaN'),
    NotAnError('inf_input', square, 'grad', (math.inf,), math.inf,
               'd(x * x) = 2x is inf at inf; no error, as in JAX'),
    NotAnError('nan_in_array', squared_norm, 'grad', (np.array([1.0, math.nan]),),
               np.array([2.0, math.nan]), 'NaN stays in the element it is in'),
    NotAnError('outside_the_domain', safe_sqrt, 'grad', (-1.0,), ValueError,
               'the derivative raises where the function raises: math domain error'),
    NotAnError('failed_assertion', checked_log, 'derivative', (-1.0,), AssertionError,
               'the derivative raises where the function raises: its `assert` fails'),
    NotAnError('assertion_that_holds', checked_log, 'grad', (2.0,), 0.5,
               'an `assert` that holds contributes nothing to the derivative'),
    NotAnError('read_after_no_iteration', last_term, 'grad', (2.0, 0), UnboundLocalError,
               'a variable first assigned in a loop that ran no iteration is unbound '
               'after it, as in Python'),
    NotAnError('read_after_the_last_iteration', last_term, 'grad', (2.0, 3), 2.0,
               'after the loop, a variable first assigned in it holds its last value'),
    NotAnError('missing_argument', rosenbrock, 'grad', (1.0,), TypeError,
               'the TypeError the function itself raises for a missing argument'),
    NotAnError('int_array_argument', squared_norm, 'grad', (np.arange(3),),
               np.array([0.0, 2.0, 4.0]), 'an int array is differentiated as a real one, '
               'as an int is; its gradient is a float array'),
    NotAnError('setting_in_a_dict', scaled, 'grad', ({'a': 1.5, 'name': 'layer1'},),
               {'a': 2.0, 'name': 0.0}, 'a string next to the parameters is a setting: '
               'its gradient is 0 (a string alone is an error)'),
    NotAnError('bool_output', is_positive, 'grad', (1.0,), 0.0,
               'a bool output is an int: its gradient is 0, as for math.floor'),
    NotAnError('delete_a_name', delete_name, 'grad', (1.5,), 3.0,
               '`del name` only ends a name: nothing to differentiate'),
    NotAnError('recursion', power_by_recursion, 'grad', (1.5, 3), 3 * 1.5 ** 2,
               'a recursive call is differentiated like any other callee'),
    NotAnError('star_args', star_args, 'grad', (1.0,), 2.0,
               'a differentiated function taking *args is differentiated as a function '
               'of one parameter per argument of the call'),
    NotAnError('star_kwargs', star_kwargs, 'jvp', (1.0,), (2.0, 2.0),
               '**options of the differentiated function: constants, as keywords are'),
    NotAnError('jvp_star_args', jvp_star_args, 'jvp', (1.0, 2.0), (2.0, 3.0),
               'each argument *xs packs has its tangent'),
    NotAnError('vjp_star_args', vjp_star_args, 'vjp', (1.0, 2.0), (2.0, 1.0),
               'each argument *rest packs has its cotangent'),
    NotAnError('empty_wrt', rosenbrock, 'grad', (1.0, 2.0), (),
               'wrt=() asks for no gradients and gets an empty tuple, as in JAX',
               {'wrt': ()}),
]
