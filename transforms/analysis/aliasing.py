"""aliasing: which values may share one mutable object, and reads that would see a write.

Requires: an `ir.Function`, the kinds of its values (`kinds.py`), a `RuleTable`.
Provides:
  - `memory(fn, kinds, rules) -> Memory`: the objects each value may be, or hold;
  - `reject_aliased_reads(fn, kinds, rules)`: returns nothing, or raises
    `UnsupportedSyntaxError` naming a read that Python would answer from an object
    a write has changed, where the IR reads the version before the write.

The IR treats arrays and containers as values: `y[0] = v` makes a new version
`y_1` of `y`, and what reads `y_1` sees the write. In Python the write changes the
object, so every other name bound to it sees the change too: after `z = y`, a
view `z = y[:2]`, `xs = [y]`, or `z = y` and `y += 1.0` on an array, reading `z`
reads the new contents, where the IR (and so the derivative) reads the old ones.
That is a different function, differentiated without a word; so the read is an
error, which tells the user to copy (`z = y.copy()`).

The objects are abstract: one per parameter and one per statement that makes a
new object (an array operation, a literal, a copy), as in Andersen's points-to
analysis. A view or an item read out of a container is the objects it may be part
of; a value of a scalar kind is no object. The analysis is conservative where it
must be: the result of a call the rule table says nothing about (a user's helper)
may be any object its arguments reach.
"""

import inspect
import operator
import types
from dataclasses import dataclass, field

from transforms import frontend
from transforms.analysis.kinds import ARRAYS, SCALARS, FunctionKind, called, infer_kinds
from transforms.core import ir, primitives
from transforms.core.errors import InternalError, UnsupportedSyntaxError
from transforms.core.rules import primitive_key

# Operations that make a new object whose items are those of their arguments.
_MAKERS = frozenset({primitives.make_tuple, primitives.make_list, primitives.make_dict,
                     primitives.new_tape})
# Operations whose result is the object of their first argument, updated.
_UPDATES = frozenset({primitives.setitem, primitives.append, primitives.drop_last})
# Attributes that are metadata, never a view of the array.
_METADATA = frozenset({'shape', 'ndim', 'size', 'dtype', 'itemsize', 'nbytes'})

_MAX_ROUNDS = 1000  # a safeguard: object sets only grow, over finitely many objects


@dataclass
class Memory:
    """What each value may be, as sets of abstract objects.

    Attributes:
        objects: {value name: frozenset of the objects it may be}.
        contents: {object: set of the objects it may hold as items}.
        fields: {object: [set, ...]}: for a tuple (which no write changes), the
            objects each of its items may be, so that `t[0]` of `t = (vx, vy)`
            is `vx` alone (a helper's `return vx, vy` too); `contents` holds their union.
    """

    objects: dict = field(default_factory=dict)
    contents: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)

    def of(self, atom):
        """The objects an atom may be (none for constants and globals)."""
        return self.objects.get(atom.name, frozenset()) if isinstance(atom, ir.Var) \
            else frozenset()

    def reach(self, name):
        """The objects value `name` may be, and those they hold, transitively."""
        return self.reach_objects(self.objects.get(name, ()))

    def reach_objects(self, objects):
        """`objects`, and those they hold, transitively."""
        seen = set(objects)
        stack = list(seen)
        while stack:
            for item in self.contents.get(stack.pop(), ()):
                if item not in seen:
                    seen.add(item)
                    stack.append(item)
        return seen

    def items_of(self, objects):
        out = set()
        for o in objects:
            out |= self.contents.get(o, set())
        return frozenset(out)

    def item_at(self, objects, position):
        """The objects item `position` (an int) of a tuple that may be any of
        `objects` may be, or None unless each of them is a tuple with that item."""
        out = set()
        for o in objects:
            items = self.fields.get(o)
            if items is None or not -len(items) <= position < len(items):
                return None
            out |= items[position]
        return frozenset(out)


def updates(stmt):
    """Whether the Let `stmt` changes the object of its first argument and returns
    it: a `setitem`, `append` or `drop_last`, or a call of a runtime helper that
    says so (`bx = add_at(bx, i, g)`, in generated code differentiated again)."""
    return stmt.fn.value in _UPDATES or (
        stmt.target is not None and getattr(stmt.fn.value, 'updates_first_argument', False))


def _is_container(kind):
    return isinstance(kind, tuple)


def memory(fn, kinds, rules):
    """The objects of every value of `fn` (see `Memory`); loops to a fixed point."""
    mem = Memory()
    views = rules.views if rules is not None else frozenset()
    views_of_any = rules.views_of_any if rules is not None else frozenset()
    fresh = rules.fresh if rules is not None else frozenset()

    def kind(atom):
        return kinds.get(atom.name) if isinstance(atom, ir.Var) else None

    def define(name, objects):
        old = mem.objects.get(name, frozenset())
        new = old | objects
        mem.objects[name] = new
        return new != old

    def hold(objects, items):
        changed = False
        for o in objects:
            held = mem.contents.setdefault(o, set())
            if not items <= held:
                held |= items
                changed = True
        return changed

    def hold_fields(tuple_object, per_item):
        """Record what each item of the new tuple `tuple_object` may be."""
        old = mem.fields.get(tuple_object)
        if old is not None and len(old) != len(per_item):  # never: one tuple per statement
            raise InternalError(f'alias analysis of `{fn.name}`: a tuple changed its length')
        new = [set(items) for items in per_item] if old is None else \
            [o | items for o, items in zip(old, per_item)]
        mem.fields[tuple_object] = new
        return hold({tuple_object}, frozenset().union(*per_item)) | (new != old)

    def let(stmt):
        target = stmt.target
        fn_ = stmt.fn.value
        args = [a for a in stmt.args] + [a for _, a in stmt.kwargs]
        changed = False
        if fn_ in (primitives.setitem, primitives.append, primitives.push) and \
                not (fn_ is primitives.setitem and kind(stmt.args[0]) in ARRAYS):
            # (`traj[k] = x` of an array copies the numbers of `x`: it holds none)
            changed |= hold(mem.of(stmt.args[0]), mem.of(stmt.args[-1]))
        if target is None:
            return changed
        if kinds.get(target) in SCALARS:
            return changed
        if updates(stmt):
            return define(target, mem.of(stmt.args[0])) | changed
        if fn_ is primitives.make_tuple and not stmt.kwargs:
            return define(target, frozenset({target})) | \
                hold_fields(target, [mem.of(a) for a in stmt.args]) | changed
        if fn_ in _MAKERS:
            items = frozenset().union(*(mem.of(a) for a in args)) if args else frozenset()
            return define(target, frozenset({target})) | hold({target}, items) | changed
        if fn_ in (primitives.copy, primitives.pop, primitives.list_pop):
            source = mem.of(stmt.args[0])
            if fn_ is primitives.copy:  # a shallow copy: a new object, the same items
                return define(target, frozenset({target})) | \
                    hold({target}, mem.items_of(source)) | changed
            return define(target, mem.items_of(source)) | changed  # a saved value
        if fn_ is operator.getitem or fn_ is primitives.item_before:
            container = stmt.args[0]
            items = mem.items_of(mem.of(container))
            if _is_container(kind(container)):
                position = stmt.args[1].value if fn_ is operator.getitem and \
                    isinstance(stmt.args[1], ir.Const) and type(stmt.args[1].value) is int \
                    else None
                item = None if position is None else mem.item_at(mem.of(container), position)
                if item is not None:  # `t[0]` of a tuple whose items are known
                    return define(target, item) | changed
                if fn_ is operator.getitem and not _one_item(stmt.args[1], kind):
                    # `xs[1:]`: a new list holding the same items, so `xs[1:][0]` is one
                    return define(target, frozenset({target}) | items) | \
                        hold({target}, items) | changed
                return define(target, items) | changed  # an item: not the list itself
            return define(target, mem.of(container) | items) | changed  # maybe a view
        if fn_ is getattr and stmt.args[1].value in _METADATA:
            return changed
        key = primitive_key(stmt)
        if _lookup(views_of_any, key):
            shared = frozenset().union(*(mem.of(a) for a in args if kind(a) not in ARRAYS))
            return define(target, frozenset().union(*(mem.of(a) for a in args)) |
                          mem.items_of(shared)) | changed
        shares = _lookup(views, key)
        made = _lookup(fresh, key) or (rules is not None and not shares and
                                       rules.lookup(key) is not None)
        if target in fn.augmented and args and kind(args[0]) not in SCALARS:
            # `y += v` of an array or a list changes `y`'s object and is it.
            return define(target, frozenset({target}) | mem.of(args[0])) | changed
        if fn_ in primitives.BINARY or fn_ in primitives.UNARY or made:
            # A new object (an operator's result, a function with a rule); a list
            # built from others (`xs + ys`, `n * xs`, `sorted(xs)`) holds their
            # items. Arithmetic with a float array or a float is of numbers, and
            # holds nothing (`v * 2.0` holds none of what `v` reaches).
            numeric = fn_ in primitives.UNARY or (
                fn_ in primitives.BINARY and (fn_ not in (operator.add, operator.mul) or
                                              any(kind(a) in ARRAYS | {'float'} for a in args)))
            items = frozenset() if numeric else mem.items_of(frozenset().union(
                *(mem.of(a) for a in args if kind(a) not in ARRAYS)))
            if not numeric and _is_container(kinds.get(target)):
                # `list(y)`: the rows of an array are views of it; so they may be of
                # a value of unknown kind (fuzz seed 315227: `np.outer` of a column
                # read through `z.T[2]`, whose kind is not inferred)
                items |= frozenset().union(*(mem.of(a) for a in args
                                             if kind(a) in ARRAYS or kind(a) is None))
            return define(target, frozenset({target})) | hold({target}, items) | changed
        if shares or fn_ in (primitives.call_method, getattr):
            obj = stmt.args[0]
            if _is_container(kinds.get(target)) and not _is_container(kind(obj)):
                # `np.split(y, 2)`: a new list of views of `y`
                return define(target, frozenset({target})) | \
                    hold({target}, mem.of(obj)) | changed
            items = mem.items_of(mem.of(obj)) if kind(obj) not in ARRAYS else frozenset()
            return define(target, mem.of(obj) | items) | changed
        # Anything else (a user's function, a callable without a rule) may return any
        # object its arguments reach; a helper whose source says which of its
        # parameters its result may be or hold, only what those reach. It may be
        # them (`return a`) or hold them (`return (a, 1.0)`), so an item read out
        # of it (`t[0]`) may be them too.
        returned = _returned_arguments(stmt, kinds, rules) if rules is not None else None
        if returned is not None and isinstance(returned, _Items):
            # `return vx, vy`: a new tuple, whose items are what the helper says
            return define(target, frozenset({target})) | hold_fields(target, [
                frozenset().union(*(mem.reach(a.name) for a in item if isinstance(a, ir.Var)))
                for item in returned]) | changed
        reached = frozenset()
        for a in (args if returned is None else returned):
            if isinstance(a, ir.Var):
                reached |= mem.reach(a.name)
        return define(target, frozenset({target}) | reached) | hold({target}, reached) | \
            changed

    def merge(names, atoms):
        changed = False
        for name, atom in zip(names, atoms):
            if kinds.get(name) not in SCALARS:
                changed |= define(name, mem.of(atom))
        return changed

    def block(b):
        changed = False
        for stmt in b.stmts:
            if isinstance(stmt, ir.Let):
                changed |= let(stmt)
            elif isinstance(stmt, ir.If):
                changed |= block(stmt.then) | block(stmt.orelse)
                changed |= merge(stmt.results, stmt.then.yields)
                changed |= merge(stmt.results, stmt.orelse.yields)
            elif isinstance(stmt, (ir.For, ir.While)):
                changed |= merge(stmt.carried, stmt.inits)
                for _ in range(_MAX_ROUNDS):
                    inner = False
                    for region in ir.regions(stmt):
                        inner |= block(region)
                    inner |= merge(stmt.carried, stmt.body.yields)
                    changed |= inner
                    if not inner:
                        break
                else:
                    raise InternalError(f'alias analysis of `{fn.name}` did not reach a '
                                        f'fixed point')
                changed |= merge(stmt.results, [ir.Var(c) for c in stmt.carried])
        return changed

    for p in fn.params:
        if kinds.get(p.name) not in SCALARS:
            mem.objects[p.name] = frozenset({p.name})
            if kinds.get(p.name) in ARRAYS:
                continue  # a float array holds numbers
            items = item_object(p.name)  # what it holds, at any depth: one object
            mem.contents[p.name] = {items}
            mem.contents[items] = {items}
    for _ in range(_MAX_ROUNDS):  # contents found late may widen earlier reads
        if not block(fn.body):
            return mem
    raise InternalError(f'alias analysis of `{fn.name}` did not reach a fixed point')


def _one_item(index, kind):
    """Whether subscripting a container by atom `index` reads one item (`xs[0]`,
    `d['a']`, `xs[i]`), not a slice of it (an index of unknown kind may be one)."""
    if isinstance(index, ir.Const):
        return not isinstance(index.value, slice)
    return kind(index) in SCALARS


def item_object(param):
    """The abstract object of whatever a parameter holds (its items, theirs...);
    no value is named so."""
    return f'{param}[]'


def _lookup(table, key):
    try:
        return key in table
    except TypeError:  # an unhashable key is in no table
        return False


def writes(stmt, kinds, augmented=frozenset(), rules=None, augmented_items=frozenset()):
    """The values whose objects `stmt` changes in Python: the container of
    `x[i] = v` and `xs.append(v)`, `y` of `y += v` for an array or a list, the item
    of `xs[i] += v` that may be an array, and the arguments a user's helper writes
    into (`parameters_written`)."""
    if not isinstance(stmt, ir.Let):
        return ()
    if stmt.target in augmented_items and stmt.args and isinstance(stmt.args[0], ir.Var) \
            and (kinds.get(stmt.args[0].name) is None or kinds.get(stmt.args[0].name) in ARRAYS):
        return (stmt.args[0],)
    if updates(stmt):
        return (stmt.args[0],) if isinstance(stmt.args[0], ir.Var) else ()
    if stmt.target in augmented and stmt.args and isinstance(stmt.args[0], ir.Var):
        kind = kinds.get(stmt.args[0].name)  # unknown (a row or an item?): maybe an array
        if kind is None or kind in ARRAYS or (_is_container(kind) and kind[0] == 'list'):
            return (stmt.args[0],)
    if rules is None:
        return ()
    hidden = rules.written_arguments(stmt)  # `np.copyto(a, v)`, `out=a`
    if hidden is not None:
        return hidden[0]
    return tuple(atom for atom, _ in helper_writes(stmt, kinds, rules, unread=False))


def helper_writes(stmt, kinds, rules, unread=True):
    """((argument, deep), ...) for each `ir.Var` that `stmt`, if it calls a user's
    helper, passes for a parameter the helper writes into; `deep` if it writes
    into what the argument holds (`xs[0][1] = v`), where a copy of the argument
    alone would still share the written object. A helper whose source cannot be
    read (compiling it will say why) may write into any argument if `unread`."""
    return tuple((atom, deep) for _, atom, deep in
                 _written_parameters(stmt, kinds, rules, unread))


def _written_parameters(stmt, kinds, rules, unread=True):
    """((parameter, argument, deep), ...): `helper_writes` with the parameters."""
    if isinstance(stmt, ir.Let) and stmt.fn.value is primitives.call_value:
        # `fn(a)` of a function passed in (`apply(scale, y)`): what the functions
        # it may be write into; any argument, if that is not known
        function = kinds.get(stmt.args[0].name) if isinstance(stmt.args[0], ir.Var) else None
        if isinstance(function, FunctionKind):
            return tuple(found for f in function.functions
                         for found in _written_parameters(called(stmt, f), kinds, rules, unread))
        return tuple((None, a, True) for a in stmt.args[1:]
                     if isinstance(a, ir.Var) and kinds.get(a.name) not in SCALARS) \
            if unread else ()
    if not isinstance(stmt, ir.Let) or not _is_helper(stmt.fn.value, rules):
        return ()
    bound = _bind(stmt)
    if bound is None:
        return ()
    arg_kinds = {p: kinds.get(a.name) if isinstance(a, ir.Var) else None
                 for p, a in bound.items()}
    written = parameters_written(stmt.fn.value, arg_kinds, rules)
    if written is None:
        written = [(p, True) for p, kind in arg_kinds.items()
                   if kind not in SCALARS] if unread else ()
    # A parameter left to its default is the helper's own object, not the caller's;
    # an argument of unknown kind (a float? a list?) only a deep copy copies safely.
    return tuple((p, bound[p], deep or arg_kinds.get(p) is None)
                 for p, deep in written if isinstance(bound.get(p), ir.Var))


def _returned_arguments(stmt, kinds, rules):
    """The arguments whose objects the result of a call of a helper may be or hold
    (`parameters_returned`), or None where that is not known."""
    if not _is_helper(stmt.fn.value, rules):
        return None
    bound = _bind(stmt)
    if bound is None:
        return None
    arg_kinds = {p: kinds.get(a.name) if isinstance(a, ir.Var) else None
                 for p, a in bound.items()}
    returned = parameters_returned(stmt.fn.value, arg_kinds, rules)
    if returned is None:
        return None
    if isinstance(returned, _Items):
        return _Items(tuple(bound[p] for p in item if p in bound) for item in returned)
    return [bound[p] for p in returned if p in bound]


class _Items(tuple):
    """What `parameters_returned` gives for a helper that returns a tuple it
    builds: per item, the parameters (or arguments) that item may be or hold."""


def parameters_returned(fn, arg_kinds, rules):
    """The parameters of the user's function `fn` whose objects (or what they
    hold) its result may be or hold, for arguments of `arg_kinds`; None if `fn`'s
    source cannot be read. `def double(v): return v * 2.0` returns none: two calls
    `h(double(v), double(v))` give two arrays. Kept in `rules.cache`; None (any)
    while a recursive call is made."""

    def make():
        try:
            primal, _ = frontend.primal_ir(fn)
        except Exception:  # noqa: BLE001 - compiling the call reports what cannot be read
            return None
        kinds = infer_kinds(primal, {p.name: arg_kinds.get(p.name) for p in primal.params},
                            rules)
        mem = memory(primal, kinds, rules)
        result = primal.returns
        if not isinstance(result, ir.Var):
            return ()

        def params_in(reached):
            return tuple(p.name for p in primal.params
                         if p.name in reached or item_object(p.name) in reached)

        objects = mem.objects.get(result.name, frozenset())
        if objects and all(o in mem.fields for o in objects) and \
                len({len(mem.fields[o]) for o in objects}) == 1:
            # A tuple it builds (`return vx, vy`): each item on its own.
            width = len(mem.fields[next(iter(objects))])
            return _Items(params_in(mem.reach_objects(mem.item_at(objects, k)))
                          for k in range(width))
        return params_in(mem.reach(result.name))

    key = ('returns', tuple(sorted(arg_kinds.items(), key=lambda kv: kv[0])))
    return rules.cache.lookup(fn, key, make, placeholder=None)


def _is_helper(fn, rules):
    """A Python function whose own source runs when it is called: no rule at all."""
    return isinstance(fn, types.FunctionType) and fn.__module__ != primitives.__name__ \
        and rules.lookup(fn) is None


def _bind(stmt):
    """{parameter: atom} of a call of a Python function, or None if it does not bind."""
    try:
        return inspect.signature(stmt.fn.value).bind(*stmt.args, **dict(stmt.kwargs)).arguments
    except (TypeError, ValueError):
        return None


def _unreadable(fn):
    """Why the IR of helper `fn` cannot be built (the error's first line), or None."""
    if not isinstance(fn, types.FunctionType):
        return None
    try:
        frontend.primal_ir(fn)
    except Exception as error:  # noqa: BLE001 - the reason is all that is wanted
        return str(error).splitlines()[0]
    return None


def parameters_written(fn, arg_kinds, rules):
    """((parameter, deep), ...): the parameters of the user's function `fn` whose
    objects a call of it changes in place, directly or through the helpers it
    calls, for arguments of `arg_kinds` ({parameter: kind}); `deep` where it
    changes what the parameter holds; None if `fn`'s source cannot be read. The
    caller sees those writes, which its own IR does not show. Kept in
    `rules.cache`; empty while a recursive call is made."""

    def make():
        try:
            primal, _ = frontend.primal_ir(fn)
        except Exception:  # noqa: BLE001 - compiling the call reports what cannot be read
            return None
        kinds = infer_kinds(primal, {p.name: arg_kinds.get(p.name) for p in primal.params},
                            rules)
        mem = memory(primal, kinds, rules)
        changed = {}  # parameter -> deep
        for stmt in ir.walk(primal.body):
            # A helper it calls whose source cannot be read may write into anything
            # it is given (`unread`), and so into what `fn` gave it.
            written = [(atom, False) for atom in
                       writes(stmt, kinds, primal.augmented, None, primal.augmented_items)]
            # `np.copyto(a, v)`, `out=a`: what a compiled derivative rejects, a
            # helper run as it is does (`inplace.py`)
            written += [(atom, False) for atom in (rules.written_arguments(stmt) or ((),))[0]]
            written += helper_writes(stmt, kinds, rules, unread=True)
            for atom, deep in written:
                objects = mem.reach(atom.name) if deep else mem.of(atom)
                for p in primal.params:
                    if item_object(p.name) in objects:
                        changed[p.name] = True
                    elif p.name in objects:
                        changed.setdefault(p.name, False)
        return tuple(sorted(changed.items()))

    key = ('writes', tuple(sorted(arg_kinds.items(), key=lambda kv: kv[0])))
    return rules.cache.lookup(fn, key, make, placeholder=())


def reject_aliased_reads(fn, kinds, rules):
    """Raise if a value is read after a write changed an object it may be or hold
    (see the module docstring); the new version the write makes is read freely."""
    mem = memory(fn, kinds, rules)
    holders = {}  # object -> names of the values that may reach it
    for name in mem.objects:
        for o in mem.reach(name):
            holders.setdefault(o, set()).add(name)
    _StaleReads(fn, kinds, mem, holders, rules).function()


class _StaleReads:
    """Walks `fn` in program order with the set of stale values: those a write
    has changed behind their back, {name: the write's Let}."""

    def __init__(self, fn, kinds, mem, holders, rules):
        self.fn = fn
        self.kinds = kinds
        self.mem = mem
        self.holders = holders
        self.rules = rules

    def function(self):
        self.current = {}  # value -> the statement in a loop that made its object
        self.defs = {}  # value -> the Let that defines it
        defined = [p.name for p in self.fn.params]
        self.block(self.fn.body, {}, defined, 0)

    def read(self, atoms, stale, line):
        for atom in atoms:
            if isinstance(atom, ir.Var) and atom.name in stale:
                self.fail(atom.name, stale[atom.name], line)

    def fail(self, name, write, line):
        fn = self.fn
        written = fn.source_line(write.line)
        where = f'line {write.line} (`{written.strip()}`)' if written else 'an earlier line'
        if write.fn.value in _UPDATES or write.target in fn.augmented:
            how, instead = 'changed in place', 'read the changed variable'
        elif (unreadable := _unreadable(write.fn.value)) is not None:
            how = (f'may have changed in place: adjoint cannot read `{write.fn.path}` '
                   f'({unreadable}), so it may write into its argument')
            instead = 'rewrite the helper so that adjoint can read it'
        else:
            how = f'changed in place: `{write.fn.path}` writes into its argument'
            instead = 'return the changed array from the helper and read that'
        raise UnsupportedSyntaxError(
            f'this reads, through another name or a view, an array or list that {where} '
            f'{how}; adjoint follows values, not objects, and would read the contents '
            f'from before that change: copy it first (`.copy()`, `list(...)`) where the '
            f'old contents are meant, or {instead}',
            fn.filename, line or write.line, fn.source_line(line or write.line))

    def block(self, b, stale, defined, depth):
        """Check `b`; return the stale values after it. `defined` lists the values
        defined so far, in order; `depth` counts the enclosing loops."""
        stale = dict(stale)
        for stmt in b.stmts:
            line = stmt.line
            self.read(ir.stmt_uses(stmt), stale, line)
            if isinstance(stmt, ir.Let):
                self.defs[stmt.target] = stmt
                if stmt.target in self.fn.augmented_items:
                    self.reject_item_update(stmt)
                # A helper whose source adjoint cannot read may write anything it is
                # given; that it is not differentiated (its value is an integer, a
                # test) does not make its writes go away.
                helper = _written_parameters(stmt, self.kinds, self.rules) \
                    if self.rules is not None else ()
                self.reject_shared_arguments(stmt, helper)
                written_by = [(a, False) for a in writes(stmt, self.kinds, self.fn.augmented)]
                for written, deep in written_by + [(a, deep) for _, a, deep in helper]:
                    for name in self.changed_by(written, defined, deep):
                        if name != stmt.target:
                            stale.setdefault(name, stmt)
                self.note_current(stmt, depth)
            elif isinstance(stmt, ir.If):
                after = {}
                for region in (stmt.then, stmt.orelse):
                    inner = self.block(region, stale, list(defined), depth)
                    self.read(region.yields, inner, line)
                    after.update(inner)
                stale = {**after, **stale}
            elif isinstance(stmt, (ir.For, ir.While)):
                stale = self.loop(stmt, stale, defined, depth)
            defined.extend(ir.stmt_defs(stmt))
        return stale

    def reject_shared_arguments(self, stmt, written):
        """A helper writing into a parameter that another of its parameters may be
        or hold here (`h(x, [x, x])`, `h(y, y)`): the helper's own IR takes its
        parameters for distinct objects, so its reads through the other one would
        be stale with nothing to see it. An error. `written`: the helper's
        `((parameter, argument, deep), ...)`."""
        if not written:
            return
        bound = [(p, a) for p, a in (_bind(stmt) or {}).items() if isinstance(a, ir.Var)]
        for into, atom, deep in written:
            objects = self.mem.reach(atom.name) if deep else self.mem.of(atom)
            for param, other in bound:
                if param != into and objects & self.mem.reach(other.name):
                    fn = self.fn
                    raise UnsupportedSyntaxError(
                        f'`{stmt.fn.path}` writes into its parameter `{into}`, and its '
                        f'parameter `{param}` may be or hold the same array here: adjoint '
                        f'follows values, not objects, and would read `{param}` as it was '
                        f'before the write; pass a copy (`.copy()`) to one of them',
                        fn.filename, stmt.line, fn.source_line(stmt.line))

    def reject_item_update(self, stmt):
        """`xs[i] += v` of an array in a list or dict adds into that array in place,
        which any other name or item holding it would see; the IR writes a new
        array back into `xs[i]`. Told apart only by objects, which the analysis
        cannot follow into the items of one container: an error."""
        read = stmt.args[0] if stmt.args else None
        source = self.defs.get(read.name) if isinstance(read, ir.Var) else None
        if source is None or source.fn.value is not operator.getitem:
            return
        container = self.kinds.get(getattr(source.args[0], 'name', None))
        item = self.kinds.get(read.name)
        if _is_container(container) and (item is None or item in ARRAYS):
            fn = self.fn
            raise UnsupportedSyntaxError(
                'an augmented assignment to an item of a list or dict that may be an '
                'array changes that array in place, which other names may hold: write '
                'it out (`xs[i] = xs[i] + v`), which makes a new array',
                fn.filename, stmt.line, fn.source_line(stmt.line))

    def note_current(self, stmt, depth):
        """Track the values that are an object made in this very iteration of the
        loop around them (and updates of it): allocation sites alone would take the
        arrays of earlier iterations, kept in a list, for this iteration's."""
        if depth == 0 or stmt.target is None:
            return
        if updates(stmt) and isinstance(stmt.args[0], ir.Var):
            site = self.current.get(stmt.args[0].name)
            if site is not None:
                self.current[stmt.target] = site
        elif self.mem.objects.get(stmt.target) == frozenset({stmt.target}):
            self.current[stmt.target] = stmt.target

    def changed_by(self, written, defined, deep=False):
        """The values defined so far that may reach an object the write to
        `written` changes (or, `deep`, an object it holds: a helper writing into
        `xs[0]`). Of an object made earlier in this iteration, only what was
        defined since can hold this iteration's instance; not so the objects it
        holds, which may come from any iteration (`[z, z]` made in the loop holds
        the `z` from before it)."""
        site = self.current.get(written.name)
        recent = set(defined[defined.index(site):] if site in defined else defined)
        own = self.mem.of(written)
        out = set()
        for o in own:
            out |= self.holders.get(o, set()) & recent
        for o in (self.mem.reach(written.name) - own) if deep else ():
            out |= self.holders.get(o, set()) & set(defined)
        return out

    def loop(self, stmt, stale, defined, depth):
        """A loop body runs again after its writes: a value from outside the loop
        that a write made stale is stale from the body's first statement on."""
        inside = list(defined) + list(ir.region_params(stmt))
        entry = dict(stale)
        for _ in range(2):  # the second pass sees the first one's stale outer values
            after = dict(entry)
            for region in ir.regions(stmt):
                after = self.block(region, after, list(inside), depth + 1)
                self.read(region.yields, after, stmt.line)
            outer = {n: w for n, w in after.items() if n in defined}
            if outer.keys() <= entry.keys():
                break
            entry = {**outer, **entry}
        return {**{n: w for n, w in after.items() if n in defined}, **entry}
