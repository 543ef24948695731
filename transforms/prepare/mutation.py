"""mutation: copy on first write, so generated code never mutates a caller's data.

Requires: an `ir.Function` and the set of callables known to return new objects;
for `Sharing`, the kinds of its values and the `RuleTable`.
Ensures: every `setitem` / `append` updates a container this function created
(a literal, a fresh array, a copy, or an earlier update of one); a container that
came from outside — a parameter, a global — is copied once, before the first
write (before the loop that writes it, not in every iteration). The emitter
then writes in place wherever the old version is not read again.

Given a `Sharing`, the function's last IR is checked once more: the optimizer may
have made two values one (`y = x * 1.0` is `x`), and the backward sweep reads
values of the primal sweep after it ends — a view `t = w[:2]` that an in-place
`w[0] = 5.0` would change under it. A write whose object another value still read
later may be (`aliasing.memory`) goes into a copy instead.
"""

import copy

from transforms.analysis import aliasing
from transforms.core import ir, primitives
from transforms.core.names import Namer, base_name
from transforms.core.rules import primitive_key
from transforms.core.verify import checked
from transforms.frontend.ssa import prim

_MAKERS = frozenset({primitives.make_list, primitives.make_dict, primitives.make_tuple,
                     primitives.setitem, primitives.append, primitives.copy})
_OPERATORS = frozenset(primitives.BINARY) | frozenset(primitives.UNARY)


@checked
def insert_copies(fn, fresh=frozenset(), namer=None, sharing=None, helper_writes=None):
    """`fn` with a `copy` before each first write to a container it does not own,
    and, given a `Sharing` of `fn`, before each write to an object that another
    value read later may be. Given `helper_writes(stmt) -> atoms`, the arguments a
    call of a user's helper writes into (`aliasing.writes`) are copied before the
    call when this function does not own them: the helper's own code runs there
    when its result is unused but it is kept for its errors (`dead_code.py`)."""
    defined = ir.all_names(fn)
    namer = namer or Namer(defined)
    namer.taken |= defined
    state = _Copies(frozenset(fresh) | _MAKERS | _OPERATORS, namer, sharing,
                    helper_writes or (lambda stmt: ()))
    return fn.replace(body=state.block(fn.body, set(),
                                       _Defined(None, [p.name for p in fn.params])))


class _Defined:
    """The values defined before a point of a block: those defined before the
    block, seen through its enclosing block's `_Defined` (copying them into
    each nested block made this quadratic in the length of the function), and
    the block's own so far."""

    __slots__ = ('outer', 'own')

    def __init__(self, outer, own=()):
        self.outer = outer
        self.own = set(own)

    def __contains__(self, name):
        scope = self
        while scope is not None:
            if name in scope.own:
                return True
            scope = scope.outer
        return False

    def update(self, names):
        self.own.update(names)


class Sharing:
    """Which values of a function may share an object, and which are read after
    each statement: whether writing in place would change what another value holds.

    Args:
        fn: the function, as it will be emitted.
        kinds: {name: kind} of its values.
        rules: the `RuleTable` (which primitives make new objects, which views).
    """

    def __init__(self, fn, kinds, rules):
        self.memory = aliasing.memory(fn, kinds, rules)
        self.holders = {}  # object -> the values that may be or hold it
        for name in self.memory.objects:
            for o in self.memory.reach(name):
                self.holders.setdefault(o, set()).add(name)
        self.live = live_after(fn)

    def others(self, atom, defined):
        """The values defined so far, but `atom`, that may be or hold its object."""
        found = set()
        for o in self.memory.of(atom):
            found |= self.holders.get(o, set())
        found.discard(getattr(atom, 'name', None))
        return {name for name in found if name in defined}

    def shared_at(self, stmt, defined):
        """Whether the write `stmt` would change a value read after it."""
        return bool(self.others(stmt.args[0], defined) & self.live[id(stmt)])

    def shared_init(self, loop, init, defined):
        """Whether a loop writing into the value it carries from `init` would
        change `init` itself, or another value, read in or after the loop."""
        read = set(self.live[id(loop)])
        for region in ir.regions(loop):
            read |= set(ir.free_vars(region))
        return bool((self.others(init, defined) | {init.name}) & read)


def live_after(fn):
    """{id(statement): names read after it}, on some path, for each write in place
    and each loop (what `Sharing` asks about: a set kept for every statement made
    this quadratic in the length of the function); a loop's body is live
    throughout the loop (an over-approximation where it matters: more copies)."""
    out = {}

    def block(b, live):
        live = set(live) | {a.name for a in b.yields if isinstance(a, ir.Var)}
        for stmt in reversed(b.stmts):
            if _mutated(stmt) or (isinstance(stmt, (ir.For, ir.While)) and
                                  not _written(stmt).isdisjoint(stmt.carried)):
                # Only for a loop writing a value it carries does `Sharing` ask
                # (`_Copies.loop`): a copy of `live` for every loop was quadratic.
                out[id(stmt)] = frozenset(live)
            live -= set(ir.stmt_defs(stmt))
            if isinstance(stmt, ir.If):
                live = block(stmt.then, live) | block(stmt.orelse, live)
            elif isinstance(stmt, (ir.For, ir.While)):
                inner = set(live)
                while True:
                    entry = set(inner)
                    for region in reversed(ir.regions(stmt)):
                        entry = block(region, entry)
                    entry -= set(ir.region_params(stmt))
                    if entry <= inner:
                        break
                    inner |= entry
                live = inner
            elif isinstance(stmt, ir.Hook):
                live |= set(ir.free_vars(stmt.body))
            live |= {a.name for a in ir.stmt_uses(stmt) if isinstance(a, ir.Var)}
        return live

    block(fn.body, set())
    return out


def _written(loop):
    """The names of the containers `loop`'s body writes into."""
    return {s.args[0].name for s in ir.walk(loop.body)
            if _mutated(s) and isinstance(s.args[0], ir.Var)}


def _mutated(stmt):
    return isinstance(stmt, ir.Let) and (stmt.fn.value in primitives.MUTATING or
                                         aliasing.updates(stmt))


class _Copies:
    def __init__(self, fresh, namer, sharing, helper_writes):
        self.fresh = fresh
        self.namer = namer
        self.sharing = sharing
        self.helper_writes = helper_writes

    def makes_new(self, stmt):
        key = primitive_key(stmt)
        try:
            return stmt.fn.value in self.fresh or key in self.fresh
        except TypeError:  # an unhashable key
            return False

    def copy(self, atom, out, line):
        # A version of the user's variable (`z_3_1` would name a variable `z_3`,
        # which out-of-SSA naming could not merge with the `z` it updates).
        name = self.namer.fresh(base_name(atom.name) if isinstance(atom, ir.Var) else 'items')
        out.append(ir.Let(name, prim(primitives.copy), (atom,), line=line))
        return ir.Var(name)

    def block(self, block, owned, defined):
        """`block` with its copies; `owned` are the containers it may write into,
        `defined` the values defined before it."""
        owned = set(owned)
        defined = _Defined(defined)
        out = []
        for stmt in block.stmts:
            if isinstance(stmt, ir.Let):
                if _mutated(stmt) and (
                        not (isinstance(stmt.args[0], ir.Var) and stmt.args[0].name in owned)
                        or (self.sharing is not None and
                            self.sharing.shared_at(stmt, defined))):
                    copied = self.copy(stmt.args[0], out, stmt.line)
                    stmt = ir.replace(stmt, args=(copied,) + stmt.args[1:])
                for atom, deep in self.helper_writes(stmt):
                    # What a container holds may come from outside even when the
                    # container is this function's own (`[x]`).
                    if deep or atom.name not in owned:
                        stmt = self.pass_copy(stmt, atom, deep, out)
                if stmt.target is not None and (self.makes_new(stmt) or _mutated(stmt)):
                    owned.add(stmt.target)
                out.append(stmt)
            elif isinstance(stmt, ir.Hook):
                out.append(stmt)
            elif isinstance(stmt, ir.If):
                then = self.block(stmt.then, owned, defined)
                orelse = self.block(stmt.orelse, owned, defined)
                stmt = ir.replace(stmt, then=then, orelse=orelse)
                owned |= {r for r, a, b in zip(stmt.results, then.yields, orelse.yields)
                          if self._owns(a, owned, then) and self._owns(b, owned, orelse)}
                out.append(stmt)
            else:
                out.append(self.loop(stmt, owned, out, defined))
            defined.update(ir.stmt_defs(stmt))
            # A value defined in a branch or a loop body is a Python variable after
            # it too: the backward sweep reads a view saved there (`t = x[:, 2]` in
            # an `if`) after a later write into `x` would have changed it.
            for region in ir.regions(stmt):
                for inner in ir.walk(region):
                    defined.update(ir.stmt_defs(inner))
        return ir.Block(tuple(out), block.yields)

    def pass_copy(self, stmt, atom, deep, out):
        """The call `stmt` with a copy of `atom` passed wherever `atom` was: a
        `deepcopy` if the helper writes into what `atom` holds."""
        if deep:
            copied = ir.Var(self.namer.fresh(atom.name))
            out.append(ir.Let(copied.name, ir.Global('copy.deepcopy', copy.deepcopy, copy), (atom,),
                              line=stmt.line))
        else:
            copied = self.copy(atom, out, stmt.line)

        def swap(a):
            return copied if a == atom else a
        return ir.replace(stmt, args=tuple(map(swap, stmt.args)),
                          kwargs=tuple((k, swap(a)) for k, a in stmt.kwargs))

    @staticmethod
    def _owns(atom, owned, block):
        if not isinstance(atom, ir.Var):
            return False
        return atom.name in owned or any(
            isinstance(s, ir.Let) and s.target == atom.name and _mutated(s)
            for s in block.stmts)

    def loop(self, stmt, owned, out, defined):
        """Copy, before the loop, the initial value of each container it writes."""
        written = _written(stmt)
        inits = list(stmt.inits)
        inside = set(owned)
        for k, (param, init) in enumerate(zip(stmt.carried, stmt.inits)):
            if param in written:
                if not (isinstance(init, ir.Var) and init.name in owned) or (
                        self.sharing is not None and
                        self.sharing.shared_init(stmt, init, defined)):
                    inits[k] = self.copy(init, out, stmt.line)
                inside.add(param)
        inner = _Defined(defined, ir.region_params(stmt))
        body = self.block(stmt.body, inside, inner)
        changes = {'inits': tuple(inits), 'body': body}
        if isinstance(stmt, ir.While):
            changes['test'] = self.block(stmt.test, inside, inner)
        for param, result in zip(stmt.carried, stmt.results):
            if param in inside:
                owned.add(result)
        return ir.replace(stmt, **changes)
