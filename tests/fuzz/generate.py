"""A seeded generator of random Python programs for the differential fuzzer.

`generate(seed)` returns the source text of a module defining `f(...)` (and the
helpers it calls), whose parameters are floats and float arrays of shapes (3,)
and (2, 3), together with points to evaluate it at. The same seed always gives
the same program and the same points (`random.Random(seed)` is the only source
of randomness), so a failure is reproduced by its seed alone.

The programs nest every construct adjoint accepts: arithmetic, `math` and NumPy
calls, `if`/`elif`/`else`, conditional expressions, `for` over a range, a list
or an array, bounded `while` loops, `break`/`continue`/early `return`, calls of
helpers (with keyword arguments, defaults and list-of-arrays parameters),
tuples, lists (`xs[i] += v` on an item), dicts (`for k, v in d.items()`), list
comprehensions, subscript reads and writes of arrays and of their copies (by
integer-array indices with repeats, boolean masks and stepped slices), views
(`.T`, reshapes, `np.ravel`, `x[:, None]`) read and written through,
`np.concatenate`/`np.stack`/`np.hstack`, and reassignment of variables and
parameters.
Every operation is smooth where it is defined, and `log`/`sqrt`/division only
see arguments bounded away from zero; the non-smooth points that remain (branch
decisions, `np.maximum`, `np.where`) are left to the checker, which skips a
point whose finite differences show a kink.

Each program records the constructs it used (`Program.constructs`), so a test
can assert that a seed range still covers every name in `CONSTRUCTS`.
"""

import ast
import dataclasses
import random

SCALAR = ()
VEC = (3,)
SHORT = (2,)
MAT = (2, 3)
SHAPES = (SCALAR, VEC, SHORT, MAT)
PARAM_SHAPES = (SCALAR, VEC, MAT)
LIST = 'list'  # a helper's parameter that is a list of two (3,) arrays

# Every construct the generator can emit; `Program.constructs` is a subset.
CONSTRUCTS = frozenset('''
    add sub mul div pow neg math_call np_call np_reduce np_dot np_matmul np_outer
    np_maximum np_where np_axis_sum broadcast np_array_of_floats
    if elif else ifexp phi_in_branches
    for_range for_list for_array for_matrix_rows while while_and break continue early_return
    helper_call helper_calls_helper helper_early_return helper_kwarg helper_default
    list_param list_item_aug dict_items
    tuple_build tuple_unpack tuple_index swap
    list_build list_append list_index list_write list_sum list_concat list_repeat
    list_slice_write list_slice_index
    dict_build dict_index dict_write
    listcomp listcomp_range
    index_read index_loop_var index_matrix slice_read column_read row_read
    copy_method copy_mul copy_add copy_np
    write_index write_slice write_loop_index write_matrix write_row write_aug write_param
    write_alias
    fancy_read fancy_write fancy_aug mask_read mask_write step_read step_write
    view_read view_write view_write_direct np_concatenate np_stack np_hstack
    reassign reassign_param augassign int_as_float
    function_choice function_to_helper lambda_to_helper map_lambda enumerate_start
    star_args_helper kwargs_helper keyed_pick
'''.split())

# Module-level helpers every program defines, for the constructs that pass
# functions, pack arguments or pass keywords on.
FIXED_HELPERS = '''
def apply_twice(fn, v, scale=0.5):
    return fn(fn(v) * scale)


def total(*terms):
    s = 0.0
    for t in terms:
        s = s + t
    return s


def scaled(v, **options):
    return v * options['a'] + options.get('b', 0.25)


def scaled_on(v, **options):
    return scaled(v, **options) * 2.0


def hpair(v, c=1.0):
    return v, c * 2.0
'''

ELEMENTWISE = ('np.sin', 'np.tanh', 'np.cos', 'np.arctan')

CONSTANTS = ('0.5', '1.5', '2.0', '0.25', '-0.75', '0.3', '-1.25', '1.0')


@dataclasses.dataclass(frozen=True)
class Program:
    """One generated program.

    Attributes:
        seed: the seed it was generated from.
        source: the module's source text (imports, helpers, then `f`).
        params: `((name, shape), ...)` of `f`, shape `()` for a float.
        points: evaluation points, each a tuple of nested lists / floats, one
            per parameter (`arguments(point)` makes fresh values of them).
        constructs: the names from `CONSTRUCTS` that the source uses.
    """

    seed: int
    source: str
    params: tuple
    points: tuple
    constructs: frozenset


# NumPy functions and methods whose result may be a view of their first operand.
VIEWS = frozenset({'reshape', 'ravel', 'transpose', 'T'})


def aliased(expr):
    """The names whose objects the value of `expr` may be, or share memory with
    (a name, a subscript or slice of one, a view of one, either arm of a
    conditional, a helper's result, which may be its argument)."""
    def names(node):
        if isinstance(node, ast.Name):
            return {node.id}
        if isinstance(node, ast.Subscript):
            return names(node.value)
        if isinstance(node, ast.Attribute) and node.attr in VIEWS:  # `y.T`
            return names(node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in VIEWS:  # `y.reshape(6)`, `np.ravel(y)`
            is_np = isinstance(node.func.value, ast.Name) and node.func.value.id == 'np'
            return names(node.args[0]) if is_np else names(node.func.value)
        if isinstance(node, ast.IfExp):
            return names(node.body) | names(node.orelse)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                (node.func.id.startswith('h') or node.func.id == 'list'):
            return {node.func.id}.union(*(names(a) for a in node.args))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ('split', 'einsum'):  # pieces, a transpose: views
            return set().union(*(names(a) for a in node.args))
        if isinstance(node, ast.List):
            return set().union(*(names(e) for e in node.elts))
        return set()
    return names(ast.parse(expr, mode='eval').body)


def arguments(program, point):
    """Fresh argument values (floats and float64 arrays) for one point."""
    import numpy as np
    return tuple(value if shape == SCALAR else np.array(value, dtype=float)
                 for (_, shape), value in zip(program.params, point))


@dataclasses.dataclass
class Scope:
    """What the generated code can use at one place: names by kind and shape."""

    values: dict  # name -> shape of a float or float array
    ints: dict  # name -> exclusive upper bound of an int loop variable
    tuples: dict  # name -> tuple of item shapes
    lists: dict  # name -> [item shape, least length]
    dicts: dict  # name -> {key: shape}
    params: frozenset
    shared: set = dataclasses.field(default_factory=set)  # arrays that may alias another name
    loop: str = None  # 'for' / 'while' inside a loop body, else None
    returns: tuple = SCALAR  # the shape this function returns

    def child(self, loop=None):
        # `shared` is one set for the whole function: an alias made in a branch or
        # a loop body outlives it.
        return Scope(dict(self.values), dict(self.ints), dict(self.tuples),
                     {k: list(v) for k, v in self.lists.items()},
                     {k: dict(v) for k, v in self.dicts.items()},
                     self.params, self.shared, loop or self.loop, self.returns)

    def share(self, target, expr):
        """Record that `target` (a name, or None for a container item) now holds
        the value of `expr`."""
        names = aliased(expr)
        if names:
            self.shared.update(names)
            if target is not None:
                self.shared.add(target)


@dataclasses.dataclass(frozen=True)
class Helper:
    name: str
    params: tuple  # shapes (or LIST) of the parameters without a default
    returns: tuple  # shape
    default: str = None  # the name of a last float parameter with a default


class Generator:
    """Builds one program from a `random.Random`; see `generate`."""

    def __init__(self, seed, aliasing=True):
        self.rng = random.Random(seed)
        self.aliasing = aliasing
        self.seed = seed
        self.used = set()
        self.counter = 0
        self.helpers = []
        self.budget = 0  # statements left for the function being generated
        self.current_helper = False  # generating a helper rather than `f`

    # Names and small choices.

    def fresh(self, prefix):
        self.counter += 1
        return f'{prefix}{self.counter}'

    def chance(self, p):
        return self.rng.random() < p

    def tag(self, *names):
        for name in names:
            assert name in CONSTRUCTS, name
            self.used.add(name)

    def const(self):
        return self.rng.choice(CONSTANTS)

    # Expressions: `expr(shape, scope, depth)` is source text of that shape.

    def expr(self, shape, scope, depth):
        options = self.options(shape, scope, depth)
        weights = [w for w, _ in options]
        make = self.rng.choices([m for _, m in options], weights)[0]
        return make()

    def options(self, shape, scope, depth):
        """[(weight, thunk)] of every production of `shape` applicable here."""
        rng = self.rng
        names = [n for n, s in scope.values.items() if s == shape]
        options = []
        if names:
            options.append((6 if depth <= 0 else 3, lambda: rng.choice(names)))
        if shape == SCALAR:
            options.append((2 if depth <= 0 else 1, self.const))
            if scope.ints:
                options.append((1, lambda: self.int_as_float(scope)))
        options += self.reads(shape, scope)
        if depth <= 0:
            if not options:  # build the shape from a constant
                options.append((1, lambda: self.filled(shape, scope)))
            return options
        sub = lambda s=shape: self.expr(s, scope, depth - 1)  # noqa: E731
        options += [(3, lambda: self.unary(shape, sub())),
                    (4, lambda: self.binary(shape, scope, depth)),
                    (1, lambda: self.ifexp(shape, scope, depth))]
        options += [(0.4, lambda: self.function_value(shape, scope, depth)),
                    (0.4, lambda: self.packed_call(shape, scope, depth))]
        if shape == SCALAR:
            options += [(3, lambda: self.reduction(scope, depth)),
                        (1, lambda: self.comprehension(scope, depth)),
                        (0.4, lambda: self.iterated(scope, depth))]
        else:
            options += [(1, lambda: self.np_pair(shape, scope, depth)),
                        (0.4, lambda: self.joined(shape, scope, depth)),
                        (1, lambda: self.reshaped(shape, scope, depth))]
            if shape in (VEC, SHORT):
                options.append((1, lambda: self.array_of_floats(shape, scope, depth)))
        if any(h.returns == shape for h in self.helpers):
            options.append((2, lambda: self.helper_call(shape, scope, depth)))
        return options

    def filled(self, shape, scope):
        """`shape` made of a float in scope (or a constant)."""
        floats = [n for n, s in scope.values.items() if s == SCALAR]
        value = self.rng.choice(floats) if floats and self.chance(0.7) else self.const()
        return value if shape == SCALAR else f'(np.ones({shape}) * {value})'

    def int_as_float(self, scope):
        self.tag('int_as_float')
        return f'({self.rng.choice(list(scope.ints))} * {self.const()})'

    def unary(self, shape, e):
        rng = self.rng
        if shape == SCALAR and self.chance(0.5):
            self.tag('math_call')
            return rng.choice([
                f'math.sin({e})', f'math.cos({e})', f'math.tanh({e})',
                f'math.exp(0.3 * math.tanh({e}))', f'math.log(1.0 + ({e}) ** 2)',
                f'math.sqrt(1.0 + ({e}) ** 2)', f'math.atan({e})'])
        choice = rng.randrange(4)
        if choice == 0:
            self.tag('neg')
            return f'(-{e})'
        if choice == 1:
            self.tag('pow')
            return rng.choice([f'({e}) ** 2', f'({e}) ** 3', f'(1.0 + ({e}) ** 2) ** 0.5'])
        self.tag('np_call')
        return rng.choice([
            f'np.sin({e})', f'np.cos({e})', f'np.tanh({e})', f'np.exp(0.3 * np.tanh({e}))',
            f'np.log(1.0 + ({e}) * ({e}))', f'np.sqrt(1.0 + ({e}) ** 2)',
            f'np.square({e})'])

    def binary(self, shape, scope, depth):
        """`a op b` with `a` of `shape` and `b` of `shape` or a float (or, for a
        matrix, a broadcast row)."""
        a = self.expr(shape, scope, depth - 1)
        other = shape
        if shape != SCALAR and self.chance(0.3):
            other = SCALAR
        elif shape == MAT and self.chance(0.3):
            other = VEC
            self.tag('broadcast')
        b = self.expr(other, scope, depth - 1)
        if other != shape and self.chance(0.5):
            a, b = b, a
        op = self.rng.choice(['+', '-', '*', '/'])
        self.tag({'+': 'add', '-': 'sub', '*': 'mul', '/': 'div'}[op])
        if op == '/':
            return f'({a} / (1.0 + ({b}) ** 2))'
        return f'({a} {op} {b})'

    def ifexp(self, shape, scope, depth):
        self.tag('ifexp')
        a, b = self.expr(shape, scope, depth - 1), self.expr(shape, scope, depth - 1)
        return f'({a} if {self.condition(scope, depth - 1)} else {b})'

    def condition(self, scope, depth):
        a = self.expr(SCALAR, scope, max(depth, 0))
        b = self.expr(SCALAR, scope, 0) if self.chance(0.5) else self.const()
        return f'{a} {self.rng.choice(["<", ">", "<=", ">="])} {b}'

    def reduction(self, scope, depth):
        rng = self.rng
        shape = rng.choice([VEC, SHORT, MAT])
        a = self.expr(shape, scope, depth - 1)
        choice = rng.randrange(5)
        if choice == 0 and shape != MAT:
            self.tag('np_dot')
            return f'np.dot({a}, {self.expr(shape, scope, depth - 1)})'
        self.tag('np_reduce')
        if choice == 1:
            return f'np.sum({a} * {self.expr(shape, scope, depth - 1)})'
        return rng.choice([f'np.sum({a})', f'np.mean({a})', f'({a}).sum()'])

    def np_pair(self, shape, scope, depth):
        a, b = self.expr(shape, scope, depth - 1), self.expr(shape, scope, depth - 1)
        if self.chance(0.5):
            self.tag('np_maximum')
            return self.rng.choice([f'np.maximum({a}, {b})', f'np.minimum({a}, {b})'])
        self.tag('np_where')
        c = self.expr(shape, scope, depth - 1)
        return self.rng.choice([f'np.where({a} > {b}, {a}, {c})',
                                f'np.where({a} > 0.0, {b}, {c})'])

    def reshaped(self, shape, scope, depth):
        """A `shape` computed from arrays of other shapes."""
        rng = self.rng
        e = lambda s: self.expr(s, scope, depth - 1)  # noqa: E731
        if shape == VEC:
            choice = rng.randrange(3)
            if choice == 0:
                self.tag('np_axis_sum')
                return f'np.{rng.choice(["sum", "mean"])}({e(MAT)}, axis=0)'
            if choice == 1:
                self.tag('np_dot')
                return f'np.dot({e(SHORT)}, {e(MAT)})'
            self.tag('np_matmul')
            return f'(({e(MAT)}).T @ ({e(SHORT)}))'
        if shape == SHORT:
            choice = rng.randrange(3)
            if choice == 0:
                self.tag('np_axis_sum')
                return f'np.sum({e(MAT)}, axis=1)'
            if choice == 1:
                self.tag('np_dot')
                return f'np.dot({e(MAT)}, {e(VEC)})'
            self.tag('np_matmul')
            return f'(({e(MAT)}) @ ({e(VEC)}))'
        self.tag('np_outer')
        return f'np.outer({e(SHORT)}, {e(VEC)})'

    def joined(self, shape, scope, depth):
        """A `shape` made by `np.concatenate`, `np.stack` or `np.hstack` of
        differentiated pieces."""
        e = lambda s: self.expr(s, scope, depth - 1)  # noqa: E731
        if shape == VEC:
            made = [('np_concatenate',
                     lambda: f'np.concatenate([{e(SHORT)}, np.array([{e(SCALAR)}])])'),
                    ('np_concatenate', lambda: f'np.concatenate(({e(VEC)}, {e(VEC)}))[::2]'),
                    ('np_hstack', lambda: f'np.hstack([{e(SHORT)}, {e(SCALAR)}])'),
                    ('np_hstack', lambda: f'np.hstack(({e(SCALAR)}, {e(SHORT)}))')]
        elif shape == SHORT:
            made = [('np_stack', lambda: f'np.stack([{e(SCALAR)}, {e(SCALAR)}])'),
                    ('np_hstack', lambda: f'np.hstack([{e(SCALAR)}, {e(SCALAR)}])'),
                    ('np_concatenate', lambda: f'np.concatenate([{e(VEC)}, {e(SHORT)}])[1:3]')]
        else:
            made = [('np_stack', lambda: f'np.stack([{e(VEC)}, {e(VEC)}])'),
                    ('np_stack',
                     lambda: f'np.stack([{e(SHORT)}, {e(SHORT)}, {e(SHORT)}], axis=1)'),
                    ('np_stack', lambda: f'np.vstack([{e(VEC)}, {e(VEC)}])'),
                    ('np_concatenate',
                     lambda: f'np.concatenate([{e(MAT)}, {e(MAT)}], axis=1)[:, ::2]'),
                    ('np_hstack', lambda: f'np.hstack([({e(MAT)})[:, :1], ({e(MAT)})[:, 1:]])')]
        kind, make = self.rng.choice(made)
        self.tag(kind)
        return make()

    def array_of_floats(self, shape, scope, depth):
        self.tag('np_array_of_floats')
        items = ', '.join(self.expr(SCALAR, scope, depth - 1) for _ in range(shape[0]))
        return f'np.array([{items}])'

    def reads(self, shape, scope):
        """Reads of `shape` out of the arrays and containers in scope."""
        rng = self.rng
        options = []
        values = scope.values

        def of(s):
            return [n for n, t in values.items() if t == s]

        if shape == SCALAR:
            for s in (VEC, SHORT):
                if of(s):
                    options.append((2, lambda s=s: self.index_read(rng.choice(of(s)), s, scope)))
            if of(MAT):
                options.append((1, lambda: self.matrix_read(rng.choice(of(MAT)), scope)))
        if shape == SHORT:
            if of(VEC):
                options.append((1, lambda: self.slice_read(rng.choice(of(VEC)))))
            if of(MAT):
                options.append((1, lambda: self.column_read(rng.choice(of(MAT)))))
        if shape == VEC and of(MAT):
            options.append((1, lambda: self.row_read(rng.choice(of(MAT)), scope)))
        if shape == SCALAR and (of(VEC) or of(MAT)):
            options.append((0.25, lambda: self.mask_read(scope)))
        if shape != SCALAR:
            sources = [(n, t) for n, t in values.items() if t != SCALAR]
            if sources:
                options.append((0.4, lambda: self.indexed_read(shape, rng.choice(sources), scope)))
        tuples = [(n, k) for n, t in scope.tuples.items() for k, s in enumerate(t) if s == shape]
        if tuples:
            options.append((1, lambda: self.tuple_index(rng.choice(tuples))))
        lists = [n for n, (s, _) in scope.lists.items() if s == shape]
        if lists:
            options.append((1, lambda: self.list_index(rng.choice(lists), scope)))
            if shape == SCALAR:
                options.append((1, lambda: self.list_sum(rng.choice(lists))))
        keys = [(n, k) for n, d in scope.dicts.items() for k, s in d.items() if s == shape]
        if keys:
            options.append((1, lambda: self.dict_index(rng.choice(keys))))
        return options

    def index_read(self, name, shape, scope):
        loop_vars = [i for i, bound in scope.ints.items() if bound <= shape[0]]
        if loop_vars and self.chance(0.5):
            self.tag('index_loop_var')
            return f'{name}[{self.rng.choice(loop_vars)}]'
        self.tag('index_read')
        return f'{name}[{self.rng.randrange(-1, shape[0])}]'

    def matrix_read(self, name, scope):
        self.tag('index_matrix')
        rows = [i for i, bound in scope.ints.items() if bound <= 2]
        row = self.rng.choice(rows) if rows and self.chance(0.5) else self.rng.randrange(2)
        return f'{name}[{row}, {self.rng.randrange(3)}]'

    def slice_read(self, name):
        self.tag('slice_read')
        return self.rng.choice([f'{name}[1:]', f'{name}[:2]', f'{name}[::2]'])

    def column_read(self, name):
        self.tag('column_read')
        return f'{name}[:, {self.rng.randrange(3)}]'

    def row_read(self, name, scope):
        self.tag('row_read')
        rows = [i for i, bound in scope.ints.items() if bound <= 2]
        row = self.rng.choice(rows) if rows and self.chance(0.5) else self.rng.randrange(-1, 2)
        return f'{name}[{row}]'

    def mask_read(self, scope):
        """A reduction of the items a boolean mask selects (none, some or all)."""
        self.tag('mask_read')
        name = self.rng.choice([n for n, s in scope.values.items() if s in (VEC, MAT)])
        shape = scope.values[name]
        by = self.rng.choice([n for n, s in scope.values.items() if s == shape])
        selected = f'{name}[{by} {self.rng.choice([">", "<"])} {self.const()}]'
        return self.rng.choice([f'np.sum({selected})', f'np.sum(np.sin({selected}))',
                                f'np.sum({selected} * {selected})'])

    def index_list(self, bound, length, scope):
        """`[i, j, ...]`: `length` indices below `bound`, often repeated, some of
        them loop variables."""
        loop_vars = [i for i, b in scope.ints.items() if b <= bound]
        first = [str(self.rng.randrange(-1, bound))]
        if loop_vars and self.chance(0.4):
            first = [self.rng.choice(loop_vars)]
        items = first + [self.rng.choice(first + [str(self.rng.randrange(bound))])
                         for _ in range(length - 1)]
        return f'[{", ".join(items)}]'

    def indexed_read(self, shape, source, scope):
        """An array of `shape` read out of array `source` (`(name, its shape)`) by
        an integer-array (fancy) index, a stepped slice, or a view (`.T`, a
        reshape, a ravel, a new axis): every pair of array shapes has some."""
        name, of = source
        rng = self.rng
        fancy, stepped, views = [], [], []
        if of != MAT:
            if shape != MAT:
                fancy.append(f'{name}[{self.index_list(of[0], shape[0], scope)}]')
            if of == shape:
                stepped.append(f'{name}[::-1]')
            elif of == VEC and shape == SHORT:
                stepped += [f'{name}[::-2]', f'{name}[2:0:-1]', f'{name}[-1::-2]']
            elif shape == MAT and of == SHORT:
                vectors = [v for v, t in scope.values.items() if t == VEC] or ['np.ones(3)']
                views += [f'({name}[:, None] * {rng.choice(vectors)}[None, :])',
                          f'({name}[:, None] * {rng.choice(vectors)})']
            elif shape == MAT:
                views.append(f'(np.reshape({name}, (1, 3)) * np.ones((2, 1)))')
        elif shape == MAT:
            fancy += [f'{name}[{self.index_list(2, 2, scope)}]',
                      f'{name}[:, {self.index_list(3, 3, scope)}]']
            stepped += [f'{name}[::-1]', f'{name}[:, ::-1]', f'{name}[::-1, ::-1]']
            views += [f'{name}.reshape(3, 2).T', f'np.reshape({name}.T, (3, 2)).T']
        else:
            n = shape[0]
            fancy.append(f'{name}[{self.index_list(2, n, scope)}, {self.index_list(3, n, scope)}]')
            if shape == VEC:
                stepped.append(f'{name}[-1, ::-1]')
                views += [f'np.ravel({name})[::2]', f'{name}.ravel()[3:]',
                          f'np.reshape({name}, (6,))[:3]', f'{name}.reshape(6)[1::2]']
            else:
                stepped.append(f'{name}[::-1, {rng.randrange(3)}]')
                views += [f'{name}.T[{rng.randrange(3)}]',
                          f'{name}.reshape(3, 2)[{rng.randrange(3)}]',
                          f'np.transpose({name})[{rng.randrange(-1, 3)}]']
        kind, texts = rng.choice([(k, texts) for k, texts in [
            ('fancy_read', fancy), ('step_read', stepped), ('view_read', views)] if texts])
        self.tag(kind)
        return rng.choice(texts)

    def tuple_index(self, item):
        self.tag('tuple_index')
        return f'{item[0]}[{item[1]}]'

    def list_index(self, name, scope):
        length = scope.lists[name][1]
        if length >= 2 and self.chance(0.2):
            # a new list of the same items: after a write into one, Python reads it
            self.tag('list_slice_index')
            return f'{name}[1:][{self.rng.randrange(-1, length - 1)}]'
        self.tag('list_index')
        return f'{name}[{self.rng.randrange(-1, length)}]'

    def list_sum(self, name):
        self.tag('list_sum')
        return f'sum({name})'

    def dict_index(self, item):
        self.tag('dict_index')
        return f'{item[0]}[{item[1]!r}]'

    def function_value(self, shape, scope, depth):
        """A function chosen by a condition and called, or passed to a helper (as a
        NumPy function or as a lambda reading the variables in scope)."""
        rng = self.rng
        e = self.expr(shape, scope, depth - 1)
        f, g = rng.sample(ELEMENTWISE, 2)
        choice = rng.randrange(3)
        if choice == 0:
            self.tag('function_choice', 'ifexp')
            return f'({f} if {self.condition(scope, depth - 1)} else {g})({e})'
        if choice == 1:
            self.tag('function_to_helper')
            return f'apply_twice({f}, {e})'
        self.tag('lambda_to_helper')
        var = self.fresh('u')
        inner = scope.child()
        inner.values[var] = shape
        body = f'{f}({var}) * {self.expr(SCALAR, inner, 0)}'
        return f'apply_twice(lambda {var}: {body}, {e}, scale={self.const()})'

    def packed_call(self, shape, scope, depth):
        """A call of a helper taking `*terms` or `**options`."""
        e = lambda: self.expr(shape, scope, depth - 1)  # noqa: E731
        if self.chance(0.5):
            self.tag('star_args_helper')
            return f'total({", ".join(e() for _ in range(self.rng.randrange(1, 4)))})'
        self.tag('kwargs_helper')
        a = self.expr(SCALAR, scope, depth - 1)
        extra = f', b={self.expr(SCALAR, scope, depth - 1)}' if self.chance(0.5) else ''
        helper = self.rng.choice(['scaled', 'scaled_on'])
        return f'{helper}({e()}, a={a}{extra})'

    def iterated(self, scope, depth):
        """`sum(map(lambda ...))` of a list, or a sum over `enumerate(..., 1)`."""
        items = [self.expr(SCALAR, scope, depth - 1) for _ in range(self.rng.randrange(1, 4))]
        var = self.fresh('m')
        if self.chance(0.3):
            return self.keyed_pick(items, var, scope, depth)
        if self.chance(0.5):
            self.tag('map_lambda')
            inner = scope.child()
            inner.values[var] = SCALAR
            body = f'{var} * {self.expr(SCALAR, inner, depth - 1)}'
            return f'sum(map(lambda {var}: {body}, [{", ".join(items)}]))'
        self.tag('enumerate_start')
        k = self.fresh('k')
        return f'sum([{k} * {var} for {k}, {var} in enumerate([{", ".join(items)}], 1)])'

    def keyed_pick(self, items, var, scope, depth):
        """`max`, `min` or `sorted` with a `key=`: a lambda of the item (and of
        the variables in scope), or `abs`; the item picked is the result."""
        rng = self.rng
        self.tag('keyed_pick')
        if rng.random() < 0.3:
            key = 'abs'
        else:
            inner = scope.child()
            inner.values[var] = SCALAR
            key = f'lambda {var}: ({var} - {self.expr(SCALAR, inner, depth - 2)}) ** 2'
        listed = f'[{", ".join(items)}]'
        choice = rng.randrange(3)
        if choice == 0:
            return f'max({listed}, key={key})'
        if choice == 1 and len(items) > 1:
            return f'min({", ".join(items)}, key={key})'
        reverse = ', reverse=True' if rng.random() < 0.5 else ''
        return f'sorted({listed}, key={key}{reverse})[{rng.randrange(-len(items), len(items))}]'

    def comprehension(self, scope, depth):
        """`sum([...])` of a list comprehension over an array, a list or a range."""
        rng = self.rng
        var = self.fresh('e')
        inner = scope.child()
        sources = [n for n, s in scope.values.items() if s in (VEC, SHORT)]
        float_lists = [n for n, (s, _) in scope.lists.items() if s == SCALAR]
        choice = rng.randrange(3)
        if choice == 0 and sources:
            over = rng.choice(sources)
            inner.values[var] = SCALAR
            self.tag('listcomp')
        elif choice == 1 and float_lists:
            over = rng.choice(float_lists)
            inner.values[var] = SCALAR
            self.tag('listcomp')
        else:
            over = f'range({rng.randrange(1, 4)})'
            inner.ints[var] = int(over[6:-1])
            self.tag('listcomp_range')
        body = self.expr(SCALAR, inner, depth - 1)
        if var not in body:
            body = f'({body}) * {var}' if var in inner.values else f'({body}) + {var}'
        comp = f'[{body} for {var} in {over}]'
        return rng.choice([f'sum({comp})', f'np.sum(np.array({comp}))'])

    def helper_call(self, shape, scope, depth):
        """A call of a helper returning `shape`: a list literal for a list
        parameter, and a defaulted parameter left out, passed by position or by
        keyword (the others then sometimes by keyword too)."""
        rng = self.rng
        helper = rng.choice([h for h in self.helpers if h.returns == shape])
        self.tag('helper_call')
        args = []
        for s in helper.params:
            if s == LIST:
                self.tag('list_param')
                items = [self.expr(VEC, scope, depth - 1) for _ in range(2)]
                args.append(f'[{", ".join(items)}]')
            else:
                args.append(self.expr(s, scope, depth - 1))
        if helper.default is not None:
            how = rng.randrange(3)
            if how == 0:
                self.tag('helper_default')
            else:
                self.tag('helper_kwarg')
                value = self.expr(SCALAR, scope, depth - 1)
                if how == 1:
                    args.append(f'{helper.default}={value}')
                    if self.chance(0.3):  # every argument by keyword, in another order
                        names = [f'a{j}' if s != LIST else f'xs{j}'
                                 for j, s in enumerate(helper.params)]
                        args = [args[-1]] + [f'{n}={a}' for n, a in zip(names, args[:-1])]
                else:
                    args.append(value)
        return f'{helper.name}({", ".join(args)})'

    # Statements: each returns a list of source lines (without the base indent).

    def block(self, scope, depth, size):
        lines = []
        for _ in range(size):
            if self.budget <= 0:
                break
            self.budget -= 1
            lines += self.statement(scope, depth)
        return lines or ['pass']

    def statement(self, scope, depth):
        options = [(5, self.assign_new), (4, self.reassign), (1, self.augassign),
                   (2, self.tuple_statement), (3, self.container_statement),
                   (3, self.array_copy_and_write)]
        if any(self.writable(scope, n) for n, s in scope.values.items() if s != SCALAR):
            options.append((3, self.subscript_write))
        if self.aliasing and any(s != SCALAR for s in scope.values.values()):
            options.append((0.3, self.view_write))
        if depth > 0:
            options += [(3, self.if_statement), (3, self.for_statement), (1, self.while_statement)]
            if any(len(set(shapes.values())) == 1 for shapes in scope.dicts.values()):
                options.append((2, self.dict_items_loop))
        if any(s == SCALAR or self.writable(scope, n) for n, (s, _) in scope.lists.items()):
            options.append((1, self.list_item_aug))
        if scope.loop:
            options.append((2, self.break_or_continue))
        options.append((1, self.early_return))
        make = self.rng.choices([m for _, m in options], [w for w, _ in options])[0]
        return make(scope, depth)

    def any_shape(self):
        return self.rng.choice([SCALAR, SCALAR, VEC, SHORT, MAT])

    def assign_new(self, scope, depth):
        shape = self.any_shape()
        name = self.fresh('v')
        value = self.expr(shape, scope, 2)
        scope.share(name, value)
        scope.values[name] = shape
        return [f'{name} = {value}']

    def reassign(self, scope, depth):
        name = self.rng.choice(list(scope.values))
        shape = scope.values[name]
        self.tag('reassign_param' if name in scope.params else 'reassign')
        value = self.expr(shape, scope, 2)
        scope.share(name, value)
        return [f'{name} = {value}']

    def augassign(self, scope, depth):
        name = self.rng.choice(list(scope.values))
        if scope.values[name] != SCALAR and not self.writable(scope, name):
            return self.reassign(scope, depth)  # `+=` writes into the array
        if scope.values[name] != SCALAR:
            self.written(scope, name)
        self.tag('augassign')
        op = self.rng.choice(['+=', '-=', '*='])
        value = self.expr(SCALAR if self.chance(0.5) else scope.values[name], scope, 1)
        if op == '*=':  # by a factor in [-1, 1], so that loops do not blow up
            value = f'np.cos({value})'
        return [f'{name} {op} {value}']

    def tuple_statement(self, scope, depth):
        rng = self.rng
        choice = rng.randrange(3)
        pairs = [(a, b) for a in scope.values for b in scope.values
                 if a < b and scope.values[a] == scope.values[b]]
        if choice == 0 and pairs:
            self.tag('swap')
            a, b = rng.choice(pairs)
            if {a, b} & scope.shared:
                scope.shared.update((a, b))
            return [f'{a}, {b} = {b}, {a}']
        shapes = [self.any_shape() for _ in range(rng.randrange(2, 4))]
        items = [self.expr(s, scope, 1) for s in shapes]
        if choice == 1:
            self.tag('tuple_build')
            name = self.fresh('t')
            lines = [f'{name} = ({", ".join(items)})']
            for item in items:
                scope.share(None, item)
            scope.tuples[name] = tuple(shapes)
            if self.chance(0.5):
                self.tag('tuple_unpack')
                targets = [self.fresh('u') for _ in shapes]
                lines.append(f'{", ".join(targets)} = {name}')
                for target, item in zip(targets, items):
                    scope.share(target, item)
                    scope.share(target, name)  # the very object in the tuple
                scope.values.update(zip(targets, shapes))
            return lines
        self.tag('tuple_unpack')
        targets = [self.fresh('u') for _ in shapes]
        for target, item in zip(targets, items):
            scope.share(target, item)
        scope.values.update(zip(targets, shapes))
        return [f'{", ".join(targets)} = {", ".join(items)}']

    def list_reshaped(self, name, scope):
        """A statement that changes the length of list `name`: a slice assigned a
        list of another length, a concatenation, a repetition (not in a loop body:
        doubling a list on every trip of nested loops makes millions of items)."""
        rng = self.rng
        shape, length = scope.lists[name]
        choice = rng.randrange(3)
        if choice == 0 and length <= 2 and scope.loop is None:
            self.tag('list_repeat')
            scope.lists[name] = [shape, length * 2]
            return [f'{name} = {name} * 2' if self.chance(0.5) else f'{name} = 2 * {name}']
        if choice <= 1:
            self.tag('list_concat')
            item = self.expr(shape, scope, 1)
            scope.share(name, item)
            scope.lists[name] = [shape, length + 1]
            return [f'{name} = {name} + [{item}]' if self.chance(0.5)
                    else f'{name} = [{item}] + {name}']
        self.tag('list_slice_write')
        start = rng.randrange(0, length + 1)
        stop = rng.randrange(start, length + 1)
        count = rng.randrange(0 if stop - start < length else 1, 3)
        items = [self.expr(shape, scope, 1) for _ in range(count)]
        for item in items:
            scope.share(name, item)
        scope.lists[name] = [shape, length - (stop - start) + count]
        return [f'{name}[{start}:{stop}] = [{", ".join(items)}]']

    def container_statement(self, scope, depth):
        rng = self.rng
        lists = list(scope.lists)
        if lists and self.chance(0.7):
            name = rng.choice(lists)
            shape, length = scope.lists[name]
            if self.chance(0.4):
                return self.list_reshaped(name, scope)
            if self.chance(0.5):
                self.tag('list_append')
                item = self.expr(shape, scope, 1)
                scope.share(name, item)
                return [f'{name}.append({item})']
            self.tag('list_write')
            item = self.expr(shape, scope, 1)
            scope.share(name, item)
            return [f'{name}[{rng.randrange(-1, length)}] = {item}']
        if scope.dicts and self.chance(0.5):
            name = rng.choice(list(scope.dicts))
            self.tag('dict_write')
            key = rng.choice(['a', 'b', 'c'])
            shape = scope.dicts[name].get(key, SCALAR)
            item = self.expr(shape, scope, 1)
            scope.share(None, item)
            line = f'{name}[{key!r}] = {item}'
            scope.dicts[name][key] = shape
            return [line]
        if self.chance(0.4):
            self.tag('dict_build')
            name = self.fresh('d')
            first = self.any_shape()
            shapes = {'a': first, 'b': first if self.chance(0.5) else self.any_shape()}
            values = [self.expr(s, scope, 1) for s in shapes.values()]
            for item in values:
                scope.share(None, item)
            items = ', '.join(f'{k!r}: {v}' for k, v in zip(shapes, values))
            scope.dicts[name] = shapes
            return [f'{name} = {{{items}}}']
        self.tag('list_build')
        name = self.fresh('l')
        shape = rng.choice([SCALAR, SCALAR, VEC])
        length = rng.randrange(1, 4)
        values = [self.expr(shape, scope, 1) for _ in range(length)]
        for item in values:
            scope.share(name, item)
        items = ', '.join(values)
        scope.lists[name] = [shape, length]
        return [f'{name} = [{items}]']

    def list_item_aug(self, scope, depth):
        """`xs[i] += v`: for an array item, a write into the item in place, seen
        through every other name of it (`xs = [y]`, a helper's list argument)."""
        rng = self.rng
        name = rng.choice([n for n, (s, _) in scope.lists.items()
                           if s == SCALAR or self.writable(scope, n)])
        shape, length = scope.lists[name]
        self.tag('list_item_aug')
        if shape != SCALAR:
            self.written(scope, name)
        loop_vars = [i for i, bound in scope.ints.items() if bound <= length]
        index = rng.choice(loop_vars) if loop_vars and self.chance(0.4) else \
            rng.randrange(-1, length)
        op = rng.choice(['+=', '-=', '*='])
        value = self.expr(SCALAR if self.chance(0.5) else shape, scope, 1)
        if op == '*=':
            value = f'np.cos({value})'
        return [f'{name}[{index}] {op} {value}']

    def array_copy_and_write(self, scope, depth):
        """`y = <copy of an array>` followed by a write into it."""
        rng = self.rng
        arrays = [n for n, s in scope.values.items() if s != SCALAR]
        if not arrays:
            return self.assign_new(scope, depth)
        source = rng.choice(arrays)
        kind = rng.randrange(4)
        self.tag(('copy_method', 'copy_mul', 'copy_add', 'copy_np')[kind])
        copy = (f'{source}.copy()', f'{source} * 1.0', f'{source} + 0.0',
                f'np.copy({source})')[kind]
        name = self.fresh('y')
        scope.values[name] = scope.values[source]
        return [f'{name} = {copy}'] + self.subscript_write(scope, depth, name)

    def writable(self, scope, name):
        """Whether the generator may write into array `name` in place: always,
        unless aliasing is off and `name` may share its memory with another."""
        return self.aliasing or name not in scope.shared

    def written(self, scope, name):
        if name in scope.shared:
            self.tag('write_alias')

    def subscript_write(self, scope, depth, name=None):
        rng = self.rng
        if name is None:
            name = rng.choice([n for n, s in scope.values.items()
                               if s != SCALAR and (n not in scope.shared or self.aliasing)])
            if name in scope.params:
                self.tag('write_param')
        self.written(scope, name)
        shape = scope.values[name]
        if self.chance(0.2):
            return self.indexed_write(scope, name, shape)
        loop_vars = [i for i, bound in scope.ints.items() if bound <= shape[0]]
        value = lambda s: self.expr(s, scope, 1)  # noqa: E731
        choice = rng.randrange(4)
        if choice == 0 and loop_vars:
            self.tag('write_loop_index')
            index = rng.choice(loop_vars)
            target, item = (f'{name}[{index}]', SCALAR) if len(shape) == 1 else \
                (f'{name}[{index}]', VEC)
        elif choice == 1:
            self.tag('write_slice')
            if len(shape) == 1:
                item = (shape[0] - 1,)
                target, item = f'{name}[1:]', item if item in SHAPES else SCALAR
            else:
                target, item = rng.choice([(f'{name}[:, 0]', SHORT), (f'{name}[1:]', VEC),
                                           (f'{name}[:, 1:]', SCALAR)])
        elif len(shape) == 2 and choice == 2:
            self.tag('write_row')
            target, item = f'{name}[{rng.randrange(2)}]', VEC
        elif len(shape) == 2:
            self.tag('write_matrix')
            target, item = f'{name}[{rng.randrange(2)}, {rng.randrange(3)}]', SCALAR
        else:
            self.tag('write_index')
            target, item = f'{name}[{rng.randrange(-1, shape[0])}]', SCALAR
        if self.chance(0.2):
            self.tag('write_aug')
            return [f'{target} += {value(item)}']
        return [f'{target} = {value(item)}']

    def indexed_write(self, scope, name, shape):
        """A write into array `name` through an integer-array index (repeated
        indices: NumPy keeps the last write, and `+=` adds once), a boolean mask
        or a stepped slice, by `=` or an augmented assignment."""
        rng = self.rng
        lines = []
        kind = rng.choice(['fancy_write', 'mask_write', 'step_write'])
        if kind == 'fancy_write':
            if shape == MAT:
                target, item = rng.choice([
                    (f'[{self.index_list(2, 2, scope)}, {self.index_list(3, 2, scope)}]', SHORT),
                    (f'[{self.index_list(2, 2, scope)}]', rng.choice([MAT, VEC])),
                    (f'[:, {self.index_list(3, 3, scope)}]', MAT)])
            else:
                item = rng.choice([s for s in (VEC, SHORT) if s[0] <= shape[0]])
                target = f'[{self.index_list(shape[0], item[0], scope)}]'
            if self.chance(0.3) and not target.startswith('[:'):  # the index in a variable
                index = self.fresh('n')
                lines.append(f'{index} = {target[1:-1]}')
                target = f'[{index}]'
        elif kind == 'mask_write':
            by = rng.choice([n for n, s in scope.values.items() if s == shape])
            target, item = f'[{by} {rng.choice([">", "<"])} {self.const()}]', SCALAR
        elif shape == MAT:
            target, item = rng.choice([('[::-1]', MAT), ('[:, ::-1]', rng.choice([MAT, VEC])),
                                       ('[::-1, ::2]', SCALAR), ('[-1, ::-1]', VEC)])
        elif shape == VEC:
            target, item = rng.choice([('[::-1]', VEC), ('[::2]', SHORT), ('[2:0:-1]', SHORT)])
        else:
            target, item = '[::-1]', SHORT
        self.tag(kind)
        if self.chance(0.3):
            item = SCALAR  # broadcast
        value = self.expr(item, scope, 1)
        if self.chance(0.3):
            self.tag('fancy_aug' if kind == 'fancy_write' else 'write_aug')
            return lines + [f'{name}{target} += {value}']
        return lines + [f'{name}{target} = {value}']

    def view_write(self, scope, depth):
        """A write into an array through a view of it (`r = y.reshape(2, 3);
        r[0] = v`), or into a view directly (`y.T[0] = v`), which NumPy shows in
        the array: adjoint must follow it or reject the program."""
        rng = self.rng
        name = rng.choice([n for n, s in scope.values.items() if s != SCALAR])
        shape = scope.values[name]
        self.tag('write_alias')
        if self.chance(0.3):
            self.tag('view_write_direct')
            if shape == MAT:
                target, item = rng.choice([(f'{name}.T[{rng.randrange(3)}]', SHORT),
                                           (f'{name}.reshape(6)[{rng.randrange(6)}]', SCALAR),
                                           (f'np.ravel({name})[{rng.randrange(6)}]', SCALAR)])
            else:
                target, item = rng.choice([(f'{name}[::-1][0]', SCALAR),
                                           (f'{name}.reshape({shape[0]})[1]', SCALAR)])
            return [f'{target} = {self.expr(item, scope, 1)}']
        self.tag('view_write')
        if shape == MAT:
            view, of = rng.choice([(f'{name}.reshape(2, 3)', MAT),
                                   (f'np.reshape({name}, (2, 3))', MAT),
                                   (f'{name}.T.T', MAT), (f'{name}[::-1]', MAT),
                                   (f'np.ravel({name})[:3]', VEC), (f'{name}.reshape(6)[3:]', VEC),
                                   (f'{name}.T[{rng.randrange(3)}]', SHORT),
                                   # views made by functions and held in containers
                                   (f'list({name})[{rng.randrange(2)}]', VEC),
                                   (f'np.split({name}, 2)[{rng.randrange(2)}][0]', VEC),
                                   (f'np.einsum("ij->ji", {name}).T', MAT),
                                   (f'hpair({name})[0]', MAT)])
        elif shape == VEC:
            view, of = rng.choice([(f'{name}[::-1]', VEC), (f'{name}.reshape(3)', VEC),
                                   (f'np.reshape({name}, (3,))', VEC), (f'{name}[:2]', SHORT),
                                   (f'np.einsum("i->i", {name})', VEC),
                                   (f'hpair({name})[0]', VEC),
                                   (f'[{name}, {name}][1:][0]', VEC)])
        else:
            view, of = rng.choice([(f'{name}[::-1]', SHORT), (f'{name}.ravel()', SHORT),
                                   (f'hpair({name}, 0.5)[0]', SHORT)])
        view_name = self.fresh('r')
        scope.share(view_name, view)
        scope.values[view_name] = of
        return [f'{view_name} = {view}'] + self.subscript_write(scope, depth, view_name)

    def if_statement(self, scope, depth):
        lines = []
        phi = self.fresh('p') if self.chance(0.5) else None
        phi_shape = self.any_shape()
        arms = 1 + self.rng.randrange(3)  # if, if/elif, if/elif/elif
        has_else = self.chance(0.7) or phi is not None
        self.tag('if')
        for arm in range(arms):
            keyword = 'if' if arm == 0 else 'elif'
            if arm:
                self.tag('elif')
            lines.append(f'{keyword} {self.condition(scope, 1)}:')
            lines += self.arm(scope, depth, phi, phi_shape)
        if has_else:
            self.tag('else')
            lines.append('else:')
            lines += self.arm(scope, depth, phi, phi_shape)
        if phi is not None and has_else:
            self.tag('phi_in_branches')
            scope.values[phi] = phi_shape
        return lines

    def arm(self, scope, depth, phi, phi_shape):
        inner = scope.child()
        body = self.block(inner, depth - 1, self.rng.randrange(1, 4))
        if phi is not None:
            body = [line for line in body if line != 'pass']
            value = self.expr(phi_shape, inner, 2)
            inner.share(phi, value)
            body.append(f'{phi} = {value}')
        return ['    ' + line for line in body]

    def for_statement(self, scope, depth):
        rng = self.rng
        inner = scope.child(loop='for')
        var = self.fresh('i')
        vectors = [n for n, s in scope.values.items() if s in (VEC, SHORT)]
        matrices = [n for n, s in scope.values.items() if s == MAT]
        choice = rng.randrange(4)
        if choice == 1:
            self.tag('for_list')
            lists = list(scope.lists)
            if lists and self.chance(0.5):
                over = rng.choice(lists)
                inner.values[var] = scope.lists[over][0]
                inner.share(var, over)
                del inner.lists[over]  # an append in the body would never end the loop
            else:
                items = [self.expr(SCALAR, scope, 1) for _ in range(rng.randrange(1, 4))]
                over = f'[{", ".join(items)}]'
                inner.values[var] = SCALAR
        elif choice == 2 and vectors:
            self.tag('for_array')
            over = rng.choice(vectors)
            inner.values[var] = SCALAR
        elif choice == 3 and matrices:
            self.tag('for_matrix_rows')
            over = rng.choice(matrices)
            inner.share(var, over)
            inner.values[var] = VEC
        else:
            self.tag('for_range')
            bound = rng.randrange(1, 4)
            over = f'range({bound})'
            inner.ints[var] = bound
        body = self.block(inner, depth - 1, rng.randrange(1, 4))
        return [f'for {var} in {over}:'] + ['    ' + line for line in body]

    def dict_items_loop(self, scope, depth):
        """`for k, v in d.items():` over a dict whose values have one shape; the
        body may write `d[k]` (never a new key: that would change the dict's size
        while it is iterated)."""
        self.tag('dict_items')
        name = self.rng.choice([d for d, shapes in scope.dicts.items()
                                if len(set(shapes.values())) == 1])
        inner = scope.child(loop='for')
        key, value = self.fresh('k'), self.fresh('w')
        shape = next(iter(scope.dicts[name].values()))
        inner.values[value] = shape
        inner.share(value, name)
        del inner.dicts[name]
        body = []
        if self.chance(0.4):
            self.tag('dict_write')
            item = self.expr(shape, inner, 1)
            scope.share(None, item)
            body.append(f'{name}[{key}] = {item}')
        body += [line for line in self.block(inner, depth - 1, self.rng.randrange(1, 3))
                 if line != 'pass' or not body]
        return [f'for {key}, {value} in {name}.items():'] + ['    ' + line for line in body]

    def while_statement(self, scope, depth):
        rng = self.rng
        counter = self.fresh('k')
        inner = scope.child(loop='while')
        bound = rng.randrange(1, 4)
        test = f'{counter} < {bound}'
        if self.chance(0.4):
            self.tag('while_and')
            test += f' and {self.condition(scope, 0)}'
        self.tag('while')
        # The counter moves first, so a `continue` in the body cannot loop forever.
        body = self.block(inner, depth - 1, rng.randrange(1, 4))
        body = [f'{counter} = {counter} + 1'] + [line for line in body if line != 'pass']
        # Inside the body the counter is 1..bound: usable as an index of bound - 1.
        return [f'{counter} = 0', f'while {test}:'] + ['    ' + line for line in body]

    def break_or_continue(self, scope, depth):
        word = self.rng.choice(['break', 'continue'])
        self.tag(word, 'if')
        return [f'if {self.condition(scope, 1)}:', f'    {word}']

    def early_return(self, scope, depth):
        self.tag('early_return', 'if')
        if self.current_helper:
            self.tag('helper_early_return')
        return [f'if {self.condition(scope, 1)}:',
                f'    return {self.expr(scope.returns, scope, 2)}']

    # Functions and the module.

    def function(self, name, params, returns, budget, depth, default=None):
        """`def name(params):` with `default` (None, or `(name, constant)`) a last
        float parameter with a default value."""
        values = {p: s for p, s in params if s != LIST}
        if default is not None:
            values[default[0]] = SCALAR
        scope = Scope(values, {}, {}, {p: [VEC, 2] for p, s in params if s == LIST}, {},
                      frozenset(values), returns=returns)
        if name != 'f':  # a helper's array arguments (and list items) are its caller's
            scope.shared.update(p for p, s in params if s != SCALAR)
        self.budget = budget
        body = self.block(scope, depth, budget)
        body = [line for line in body if line != 'pass']
        body.append(f'return {self.result(scope, returns)}')
        signature = ', '.join([p for p, _ in params] +
                              ([f'{default[0]}={default[1]}'] if default else []))
        return [f'def {name}({signature}):'] + ['    ' + line for line in body]

    def result(self, scope, returns):
        """The returned expression: reads several of the values in scope, so that
        whatever went wrong on the way reaches the output."""
        if returns != SCALAR:
            return self.expr(returns, scope, 1)
        names = list(scope.values)
        self.rng.shuffle(names)
        terms = []
        for name in names[:4]:
            terms.append(name if scope.values[name] == SCALAR else
                         self.rng.choice([f'np.sum({name})', f'np.sum(np.sin({name}))',
                                          f'np.mean({name} * {name})']))
        for name, shapes in list(scope.tuples.items())[:1]:
            terms.append(f'np.sum({name}[0])')
        return ' + '.join(terms) or self.expr(SCALAR, scope, 1)

    def program(self):
        rng = self.rng
        lines = ['import math', '', 'import numpy as np', ''] + FIXED_HELPERS.splitlines() + \
            ['', '']
        for k in range(rng.choice([0, 0, 1, 1, 2])):
            params = tuple((f'xs{j}', LIST) if j and self.chance(0.25) else
                           (f'a{j}', rng.choice([SCALAR, SCALAR, VEC]))
                           for j in range(rng.randrange(1, 3)))
            default = ('scale', self.const()) if self.chance(0.3) else None
            returns = rng.choice([SCALAR, SCALAR, VEC])
            name = f'h{k}'
            self.current_helper = True
            before = set(self.used)
            self.used.discard('helper_call')
            lines += self.function(name, params, returns, rng.randrange(1, 4), 1, default)
            if 'helper_call' in self.used:
                self.tag('helper_calls_helper')
            self.used |= before
            self.current_helper = False
            lines += ['', '']
            self.helpers.append(Helper(name, tuple(s for _, s in params), returns,
                                       default and default[0]))
        names = ['x', 'y', 'z']
        params = tuple((names[j], rng.choice(PARAM_SHAPES)) for j in range(rng.randrange(1, 4)))
        lines += self.function('f', params, SCALAR, rng.randrange(3, 12), 3)
        source = '\n'.join(lines) + '\n'
        points = tuple(tuple(self.value(s) for _, s in params) for _ in range(3))
        return Program(self.seed, source, params, points, frozenset(self.used))

    def value(self, shape):
        if shape == SCALAR:
            return round(self.rng.uniform(-1.5, 1.5), 6)
        if len(shape) == 1:
            return [round(self.rng.uniform(-1.5, 1.5), 6) for _ in range(shape[0])]
        return [self.value(shape[1:]) for _ in range(shape[0])]


def generate(seed, aliasing=True):
    """The program of `seed`: the same seed always gives the same `Program`.

    Args:
        seed: an int.
        aliasing: whether the program may write into an array that another name
            may share (`z = y; y[0] = 1.0`, a row of a matrix, a helper's argument,
            an item of a container). Python shows such a write through every
            alias; with False, every write goes to an array only one name holds.
    """
    return Generator(seed, aliasing).program()
