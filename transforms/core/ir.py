"""The structured SSA intermediate representation, and its text printer.

Every value is assigned once. Python's structured control flow is kept as regions
with explicit merges, in the shape of MLIR's `scf` dialect:

    def f(x, n):
      s = 0.0
      s_2 = for i in range(0, n, 1) carry (s_1 = s):
        t1 = mul(x, i)
        s_3 = add(s_1, t1)
        yield s_3
      return s_2

Nodes are frozen dataclasses; passes build new ones instead of mutating.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any, Union

from transforms.core import names


@dataclass(frozen=True)
class Var:
    """A use of an SSA value, by its unique name."""

    name: str

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Const:
    """A literal: a number, bool, string, None, or a tuple of those."""

    value: Any

    def __str__(self):
        return repr(self.value)

    def __eq__(self, other):
        # 1 == 1.0 == True in Python, but they are different constants here.
        return (isinstance(other, Const) and type(self.value) is type(other.value)
                and self.value == other.value)

    def __hash__(self):
        try:
            return hash((type(self.value), self.value))
        except TypeError:  # slices are unhashable before Python 3.12
            return hash((type(self.value), repr(self.value)))


Atom = Union[Var, Const, 'Global']


@dataclass(frozen=True, eq=False)
class Global:
    """An object from a namespace (a callable, module attribute, or constant).

    Args:
        path: the dotted name it is emitted as, e.g. 'math.exp'.
        value: the object itself; rules are looked up by it.
        root: the object the first part of `path` names (`math` for 'math.exp'),
            so the emitted code can bind that name; None when `path` has one part.
    """

    path: str
    value: Any
    root: Any = None

    @property
    def root_name(self):
        return self.path.split('.')[0]

    @property
    def root_value(self):
        return self.value if '.' not in self.path else self.root

    def __eq__(self, other):
        return isinstance(other, Global) and self.value is other.value and self.path == other.path

    def __hash__(self):
        return hash((self.path, id(self.value)))

    def __str__(self):
        return self.path


@dataclass(frozen=True)
class Let:
    """`target = fn(*args, **kwargs)`; `target` is None for a call kept for its effect.

    `line` is the line in the user's file this operation comes from (0 if none).
    """

    target: Union[str, None]
    fn: Global
    args: tuple = ()
    kwargs: tuple = ()  # ((name, Atom), ...)
    line: int = 0
    adjoint: bool = False  # part of the backward sweep (for comments)


@dataclass(frozen=True)
class Block:
    """A sequence of statements, ending by yielding values to the enclosing region."""

    stmts: tuple = ()
    yields: tuple = ()


@dataclass(frozen=True)
class If:
    """`results = if cond { then; yield } else { orelse; yield }`: the phis of a branch."""

    cond: Atom
    then: Block
    orelse: Block
    results: tuple = ()
    line: int = 0
    adjoint: bool = False


@dataclass(frozen=True)
class For:
    """A loop over `range(start, stop, step)` (walked backwards if `reverse`).

    `carried[k]` starts as `inits[k]`; the body yields the next value of each; after the
    loop, `results[k]` holds the final one. `index` is the loop variable.
    """

    index: str
    start: Atom
    stop: Atom
    step: Atom
    carried: tuple
    inits: tuple
    body: Block
    results: tuple
    reverse: bool = False
    line: int = 0
    adjoint: bool = False


@dataclass(frozen=True)
class While:
    """`while test: body`, with values carried as in `For`.

    `test` computes the condition from the carried values and yields it.
    """

    carried: tuple
    inits: tuple
    test: Block
    body: Block
    results: tuple
    line: int = 0
    adjoint: bool = False


@dataclass(frozen=True)
class Hook:
    """`with adjoint.insert_grad_of(value) as grad: body`.

    Does nothing in the primal. In the backward sweep, at this point, `grad` is
    bound to the adjoint of `value` accumulated so far, `body` runs, and what it
    yields becomes that adjoint (a debugging hook in the spirit of Tangent's).
    """

    value: Atom
    grad: str
    body: Block
    line: int = 0
    adjoint: bool = False
    results: tuple = ()


Stmt = Union[Let, If, For, While, Hook]


@dataclass(frozen=True)
class Param:
    """A parameter; `default` is the index into the function's defaults, or None."""

    name: str
    kind: str = 'positional'  # or 'keyword_only'
    default: Any = None


@dataclass(frozen=True)
class Function:
    """A function: parameters, a body whose single yield is the return value.

    Args:
        name: the function's name.
        params: its parameters, in order.
        body: the body; `body.yields` is `(return_value,)`.
        filename: the user's file, for comments and errors.
        source_lines: the lines of that file's function, by absolute line number.
        doc: a docstring for the generated function, if any.
        user_names: the variable names the user's source uses, so that emission
            keeps a user's `t3` (in generated code differentiated again) and
            renumbers only the compiler's temporaries.
        augmented: the values an augmented assignment computes (`y += v`), which
            Python computes in place for an array or a list (see `aliasing.py`).
        augmented_items: the same of an item (`xs[i] += v`), computed in place in
            the item when it is an array, before it is written back.
        checked: the values of the primal whose operation may raise, which the
            derivative computes for their errors even where it does not need
            them (see `dead_code.py`).
    """

    name: str
    params: tuple
    body: Block
    filename: str = '<unknown>'
    source_lines: Any = None  # dict line -> text
    doc: Union[str, None] = None
    user_names: frozenset = frozenset()
    augmented: frozenset = frozenset()
    augmented_items: frozenset = frozenset()
    checked: frozenset = frozenset()

    def replace(self, **changes):
        return replace(self, **changes)

    @property
    def returns(self):
        return self.body.yields[0]

    def source_line(self, line):
        """The text of the user's source line `line`, or None."""
        return (self.source_lines or {}).get(line)


_FIELDS = {}  # IR class -> the names of its fields


def replace(node, **changes):
    """A copy of `node` with some fields changed.

    `dataclasses.replace` without its per-call look-up of the fields and call of
    `__init__`: the IR's classes are frozen dataclasses whose fields are all set
    by `__init__` (no `__post_init__`), so a copy of the instance dictionary is
    the same node, and the passes make tens of thousands of these copies."""
    cls = type(node)
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    if not fields.issuperset(changes):
        return dataclasses.replace(node, **changes)  # its error names the field
    new = object.__new__(cls)
    state = node.__dict__.copy()
    state.update(changes)
    object.__setattr__(new, '__dict__', state)
    return new


def stmt_defs(stmt):
    """The names a statement defines in its enclosing block."""
    if isinstance(stmt, Let):
        return () if stmt.target is None else (stmt.target,)
    return tuple(stmt.results)


def stmt_uses(stmt):
    """The atoms a statement reads in its enclosing block (not inside its regions)."""
    if isinstance(stmt, Let):
        return tuple(stmt.args) + tuple(a for _, a in stmt.kwargs)
    if isinstance(stmt, If):
        return (stmt.cond,)
    if isinstance(stmt, For):
        return (stmt.start, stmt.stop, stmt.step) + tuple(stmt.inits)
    if isinstance(stmt, Hook):
        return (stmt.value,)
    return tuple(stmt.inits)


def regions(stmt):
    """The blocks nested directly in a statement."""
    if isinstance(stmt, Let):  # the most common, first
        return ()
    if isinstance(stmt, If):
        return (stmt.then, stmt.orelse)
    if isinstance(stmt, For):
        return (stmt.body,)
    if isinstance(stmt, While):
        return (stmt.test, stmt.body)
    if isinstance(stmt, Hook):
        return (stmt.body,)
    return ()


def region_params(stmt):
    """The names a statement's regions bind on entry (loop index, carried values)."""
    if isinstance(stmt, Let):
        return ()
    if isinstance(stmt, For):
        return (stmt.index,) + tuple(stmt.carried)
    if isinstance(stmt, While):
        return tuple(stmt.carried)
    if isinstance(stmt, Hook):
        return (stmt.grad,)
    return ()


def map_regions(stmt, visit):
    """A copy of `stmt` with each nested block replaced by `visit(block)`."""
    if isinstance(stmt, Let):
        return stmt
    if isinstance(stmt, If):
        return replace(stmt, then=visit(stmt.then), orelse=visit(stmt.orelse))
    if isinstance(stmt, (For, Hook)):
        return replace(stmt, body=visit(stmt.body))
    if isinstance(stmt, While):
        return replace(stmt, test=visit(stmt.test), body=visit(stmt.body))
    return stmt


def map_lets(fn, visit):
    """A copy of function `fn` with each `Let`, nested ones included, replaced by
    `visit(let)`: the walk of the passes that rewrite single calls."""
    def block(b):
        stmts = tuple(visit(s) if isinstance(s, Let) else map_regions(s, block)
                      for s in b.stmts)
        return Block(stmts, b.yields)
    return fn.replace(body=block(fn.body))


def walk(block):
    """Every statement in a block, nested ones included, in program order."""
    for stmt in block.stmts:
        yield stmt
        for region in regions(stmt):
            yield from walk(region)


def free_vars(block):
    """Names read in `block` (nested regions included) but not defined in it."""
    defined, used = set(), []

    def visit(b):
        for stmt in b.stmts:
            used.extend(a.name for a in stmt_uses(stmt) if isinstance(a, Var))
            defined.update(region_params(stmt))
            for region in regions(stmt):
                visit(region)
            defined.update(stmt_defs(stmt))
        used.extend(a.name for a in b.yields if isinstance(a, Var))

    visit(block)
    return [n for n in dict.fromkeys(used) if n not in defined]


def all_names(fn):
    """Every name defined anywhere in a function, parameters included."""
    names = {p.name for p in fn.params}
    for stmt in walk(fn.body):
        names.update(stmt_defs(stmt))
        names.update(region_params(stmt))
    return names


# ---------------------------------------------------------------- printer


def format_let(stmt, names=None):
    """One operation as text; `names` renames values (see `format_function`)."""
    return _format_let(stmt, _namer(names))


def _namer(names):
    return (lambda n: n) if not names else (lambda n: names.get(n, n))


def _atom(a, name):
    return name(a.name) if isinstance(a, Var) else str(a)


def _lhs(results, name):
    return f'{", ".join(map(name, results))} = ' if results else ''


def _print_block(block, indent, out, name):
    pad = '  ' * indent
    for stmt in block.stmts:
        if isinstance(stmt, Let):
            out.append(pad + _format_let(stmt, name))
        elif isinstance(stmt, If):
            out.append(f'{pad}{_lhs(stmt.results, name)}if {_atom(stmt.cond, name)}:')
            _print_block(stmt.then, indent + 1, out, name)
            out.append(f'{pad}else:')
            _print_block(stmt.orelse, indent + 1, out, name)
        elif isinstance(stmt, For):
            carry = ', '.join(f'{name(c)} = {_atom(i, name)}'
                              for c, i in zip(stmt.carried, stmt.inits))
            rng = (f'range({_atom(stmt.start, name)}, {_atom(stmt.stop, name)}, '
                   f'{_atom(stmt.step, name)})')
            if stmt.reverse:
                rng = f'reversed({rng})'
            out.append(f'{pad}{_lhs(stmt.results, name)}for {name(stmt.index)} in {rng} '
                       f'carry ({carry}):')
            _print_block(stmt.body, indent + 1, out, name)
        elif isinstance(stmt, Hook):
            out.append(f'{pad}on adjoint of {_atom(stmt.value, name)} as {name(stmt.grad)}:')
            _print_block(stmt.body, indent + 1, out, name)
        elif isinstance(stmt, While):
            carry = ', '.join(f'{name(c)} = {_atom(i, name)}'
                              for c, i in zip(stmt.carried, stmt.inits))
            out.append(f'{pad}{_lhs(stmt.results, name)}while carry ({carry}):')
            _print_block(stmt.test, indent + 1, out, name)
            out.append(f'{pad}do:')
            _print_block(stmt.body, indent + 1, out, name)
    if block.yields:
        out.append(f'{pad}yield {", ".join(_atom(a, name) for a in block.yields)}')


def _format_let(stmt, name):
    args = [_atom(a, name) for a in stmt.args] + [f'{k}={_atom(v, name)}'
                                                  for k, v in stmt.kwargs]
    call = f'{stmt.fn}({", ".join(args)})'
    return call if stmt.target is None else f'{name(stmt.target)} = {call}'




def canonical_names(fn):
    """{name: printed name} renumbering the compiler's temporaries in the order
    they first appear, `t1`, `t2`, ... (IRTools' `renumber`): printed IR, and
    the golden files of it, then change only where the program does, not where
    a pass made one more temporary elsewhere. A temporary's versions and its
    adjoint, tangent and tape follow it (`t3_1`, `bt3`); names the user wrote
    (`fn.user_names`) are left alone, and no new name is one of them."""
    user = fn.user_names
    numbers, renamed, taken = {}, {}, [0]

    def number(old):
        if old not in numbers:
            k = taken[0] + 1
            while any(f'{form}t{k}' in user for form in names.TEMPORARY_PREFIXES):
                k += 1
            numbers[old] = taken[0] = k
        return numbers[old]

    def see(name):
        if name in renamed:
            return
        match = names.TEMPORARY_FORM.match(name)
        if match is None or f't{match.group(2)}' in user or name in user:
            return
        prefix, old, versions = match.groups()
        renamed[name] = f'{prefix or ""}t{number(old)}{versions}'

    for param in fn.params:
        see(param.name)

    def block(b):
        for stmt in b.stmts:
            for atom in stmt_uses(stmt):
                if isinstance(atom, Var):
                    see(atom.name)
            for name in stmt_defs(stmt) + region_params(stmt):
                see(name)
            for region in regions(stmt):
                block(region)
        for atom in b.yields:
            if isinstance(atom, Var):
                see(atom.name)

    block(fn.body)
    return {old: new for old, new in renamed.items() if old != new}


def format_function(fn):
    """The IR of `fn` as stable text: one operation a line, regions indented, the
    compiler's temporaries numbered canonically (`canonical_names`)."""
    name = _namer(canonical_names(fn))
    params = ', '.join(name(p.name) for p in fn.params)
    out = [f'def {fn.name}({params}):']
    body = Block(fn.body.stmts, ())
    _print_block(body, 1, out, name)
    out.append(f'  return {_atom(fn.returns, name)}')
    return '\n'.join(out) + '\n'
