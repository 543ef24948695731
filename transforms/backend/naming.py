"""naming: give SSA values Python names, merging the versions of a variable.

Requires: an `ir.Function`.
Provides: `python_names(fn, reserved) -> {ssa name: python name}`.

The values a branch or loop merges (a loop's initial, carried, next and final
values; a branch's yields and result) form a class, as in Sreedhar's out-of-SSA
translation. A class shares one Python name when its members are never alive at
the same time, so `s_2 = for ... carry (s_1 = s)` prints as a loop updating `s`
and needs no copies. Then each class takes its user's name (`s`), or `s_1`,
`s_2` if a class alive at the same time already has it.

Liveness is an interval over statements in program order; a value read inside a
loop it is defined outside of lives to the end of that loop.
"""

import bisect
import itertools
import math

from transforms.core import ir, names, primitives, verify
from transforms.core.errors import InternalError



def is_temporary(name, user_names):
    """Whether `name` is a compiler temporary (`t3`), not a user's variable named so."""
    return bool(names.TEMPORARY.match(name)) and names.base_name(name) not in user_names


def _rank(name, user_names):
    """0 for a name from the user's code (`s`, `bs`, `ds`), 1 for the adjoint,
    tangent or tape of a temporary (`bt3`), 2 for a temporary (`t3`)."""
    if is_temporary(name, user_names):
        return 2
    base = names.base_name(name)
    return 1 if names.DERIVED.match(base) and base not in user_names else 0


class _Liveness:
    """Positions of definitions and uses, walking statements in program order."""

    def __init__(self, fn):
        self.position = 0
        self.span = {}  # name -> [definition, last use]
        self.uses = []  # (name, position, the loops and `else` branches open there)
        self.loops = []  # (start, end) of each loop
        self.branches = []  # (then start, then end, else start, else end) of each `if`
        self.open_loops = ()  # indices into `loops`, outermost first
        self.open_elses = ()  # indices into `branches` of the `else` regions open
        for p in fn.params:
            self.define(p.name)
        self.block(fn.body)
        self.tick()
        self.use(fn.body.yields)

    def tick(self):
        self.position += 1

    def define(self, name):
        self.span.setdefault(name, [self.position, self.position])

    def use(self, atoms):
        self.uses.extend((a.name, self.position, self.open_loops, self.open_elses)
                         for a in atoms if isinstance(a, ir.Var))

    def block(self, b):
        for stmt in b.stmts:
            self.tick()
            self.use(ir.stmt_uses(stmt))
            if isinstance(stmt, ir.If):
                index, bounds, outside = len(self.branches), [], self.open_elses
                self.branches.append(None)
                for region in (stmt.then, stmt.orelse):
                    if region is stmt.orelse:
                        self.open_elses = outside + (index,)
                    bounds.append(self.position + 1)
                    self.block(region)
                    self.tick()
                    self.use(region.yields)
                    bounds.append(self.position)
                self.open_elses = outside
                self.branches[index] = tuple(bounds)
            elif not isinstance(stmt, ir.Let):
                self.loop(stmt)
            self.tick()
            for name in ir.stmt_defs(stmt):
                self.define(name)
            if isinstance(stmt, ir.Let) and stmt.fn.value in primitives.MUTATING and \
                    stmt.target is not None:
                # Not in place, `y_1 = setitem(y, i, v)` is `y_1 = y.copy(); y_1[i] = v`:
                # the index and the value are read after `y_1` is assigned, so neither
                # may share its name.
                self.tick()
                self.use(stmt.args[1:])

    def loop(self, stmt):
        self.tick()  # the loop's own operands (inits, bounds) are read before it starts
        start = self.position
        index, outside = len(self.loops), self.open_loops
        self.loops.append(None)
        self.open_loops = outside + (index,)
        for name in ir.region_params(stmt):
            self.define(name)
        for region in ir.regions(stmt):
            self.block(region)
            if region is getattr(stmt, 'test', None):
                # A `while` whose test fails ends with its carried values as they
                # are here: they are its results, alive to the end of the test.
                self.tick()
                self.use(ir.Var(name) for name in stmt.carried)
        self.tick()
        self.use(stmt.body.yields)
        self.open_loops = outside
        self.loops[index] = (start, self.position)

    def intervals(self):
        """{name: [(first, last), ...]}: where each value is alive.

        A use inside a loop of a value from outside it lasts to the end of that
        loop, since the next iteration may read it again. A value read in an
        `else` branch (and not after it) is not alive in the `then` branch before
        it, which is another path: so `xs.append(v)` in one branch of a loop can
        update `xs` in place even though the other branch passes `xs` on as is.
        """
        live = {k: [tuple(v)] for k, v in self.span.items()}
        for name, pos, loops, elses in self.uses:
            if name not in live:
                continue
            first, last = self.span[name][0], pos
            for start, end in map(self.loops.__getitem__, loops):  # the loops around pos
                if first < start:  # defined outside the loop
                    last = max(last, end)
            pieces = [(first, last)]
            for k in reversed(elses):  # the `else` branches around pos, innermost first
                then_start, then_end, else_start, else_end = self.branches[k]
                if first < then_start and last <= else_end:
                    pieces = [piece for a, b in pieces
                              for piece in ((a, min(b, then_start - 1)),
                                            (max(a, then_end + 1), b)) if piece[0] <= piece[1]]
            live[name].extend(pieces)
        return live


class _Classes:
    """Union-find over values, merging only classes whose intervals do not overlap."""

    def __init__(self, span, params, user_names):
        self.params = set(params)
        self.user_names = user_names
        self.parent = {}
        self.span = span  # name -> [(first, last), ...]
        self.members = {k: [k] for k in span}
        self.alive = {k: _merged(v) for k, v in span.items()}  # root -> where its class is

    def user_name(self, name):
        """The user's name of a class's first named member (None: only temporaries)."""
        for member in self.members[self.find(name)]:
            if _rank(member, self.user_names) == 0:
                return names.base_name(member)
        return None

    def find(self, name):
        root = name
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while name != root:  # path compression: chains of merges made this quadratic
            self.parent[name], name = root, self.parent[name]
        return root

    def overlaps(self, a, b):
        """Whether the classes of roots `a` and `b` are alive together somewhere."""
        small, large = sorted((self.alive[a], self.alive[b]), key=len)
        return _clash(large, small)

    def union(self, a, b):
        if a not in self.span or b not in self.span:
            return
        if self.user_name(a) and self.user_name(b) and \
                self.user_name(a) != self.user_name(b):
            return  # `y = y0` stays a copy, as the user wrote it
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.overlaps(ra, rb):
            return
        if self.params & set(self.members[ra]) and self.params & set(self.members[rb]):
            return  # two parameters keep their own names
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        self.alive[ra] = sorted(self.alive[ra] + self.alive.pop(rb))


_STORES = {primitives.push: (1,), primitives.append: (1,), primitives.setitem: (2,)}
_MAKERS = frozenset({primitives.make_list, primitives.make_tuple, primitives.make_dict})


def stored_values(fn):
    """Values put into a container or on a tape: the container then holds the very
    object, so it must not be updated in place afterwards (a tape of lists, in
    generated code differentiated again, would see its saved lists change)."""
    stored = set()
    for stmt in ir.walk(fn.body):
        if isinstance(stmt, ir.Let):
            value = stmt.fn.value
            positions = _STORES.get(value, range(len(stmt.args)) if value in _MAKERS else ())
            stored.update(stmt.args[k].name for k in positions
                          if isinstance(stmt.args[k], ir.Var))
    return stored


def _phi_groups(fn):
    """Tuples of value names a branch or loop merges."""
    groups = []
    for stmt in ir.walk(fn.body):
        if isinstance(stmt, ir.Let) and stmt.fn.value in primitives.MUTATING and \
                stmt.target is not None:
            groups.append((stmt.target, stmt.args[0]))  # in place when they merge
        elif isinstance(stmt, ir.If):
            for k, result in enumerate(stmt.results):
                groups.append((result, stmt.then.yields[k], stmt.orelse.yields[k]))
        elif isinstance(stmt, (ir.For, ir.While)):
            for k, param in enumerate(stmt.carried):
                groups.append((param, stmt.body.yields[k], stmt.results[k], stmt.inits[k]))
    return groups


def _preferred_base(members, span, user_names):
    """The user's name if any member has one, else the first derived name (`bt3`),
    else the first temporary's."""
    first = min(members, key=lambda m: (_rank(m, user_names), span[m][0][0]))
    return first if _rank(first, user_names) == 2 else names.base_name(first)


def _merged(intervals):
    """The intervals, sorted, with those that overlap (not only touch) merged:
    where a class is alive, in the form `_clash` takes."""
    out = []
    for start, end in sorted(intervals):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _clash(held, alive):
    """Whether any of the intervals `alive` clashes with any of `held`: they
    overlap, or start at one point (two values defined at one point, the carried
    values of a loop, are alive together there even if never read).

    `held` is sorted, and no two of its intervals from different classes clash,
    so their ends are sorted too: each interval is checked by bisection, not
    against every one held, which made naming quadratic in the length of the
    function.
    """
    for start, end in alive:
        k = bisect.bisect_left(held, (end,))  # the intervals starting before `end`
        if k and held[k - 1][1] > start:
            return True
        k = bisect.bisect_left(held, (start,))
        if k < len(held) and held[k][0] == start:
            return True
    return False


class _Occupancy:
    """Where each Python name is taken: the intervals of the classes holding it."""

    def __init__(self):
        self.intervals = {}  # python name -> sorted [(start, end)]
        self.forced = set()  # names a parameter took over a clash: compared one by one

    def free(self, name, alive):
        """Whether `name` is free wherever the `_merged` intervals `alive` are."""
        held = self.intervals.get(name)
        if not held:
            return True
        if name in self.forced:
            return not any(_clash([interval], alive) for interval in held)
        return not _clash(held, alive)

    def covering(self, name, point):
        """The end of an interval `name` holds from `point` or before to after it,
        or None (also for a name taken over a clash, whose intervals may overlap):
        where there is one, `name` is not free for any class starting between
        `point` and that end (its interval starts before that class, or where it
        starts, and ends after)."""
        held = self.intervals.get(name)
        if not held or name in self.forced:
            return None
        k = bisect.bisect_right(held, (point, math.inf))
        if k and held[k - 1][1] > point:
            return held[k - 1][1]
        return None

    def take(self, name, alive):
        """Give `name` to a class alive at `alive` (a parameter's, even where it
        is not free)."""
        if not self.free(name, alive):
            self.forced.add(name)
        held = self.intervals.setdefault(name, [])
        for interval in alive:
            bisect.insort(held, interval)


def _candidate(base, k):
    """The k-th name a class of values named `base` may take: `s`, `s_1`, `s_2`..."""
    return f'{base}_{k}' if k else base


class _Skips:
    """Where to start looking for a free `_candidate` of each base name.

    A straight-line adjoint keeps every version of `a` alive into the backward
    sweep, so the class of the k-th version finds `a`, `a_1`, ... `a_(k-1)` all
    taken: trying each made naming quadratic in the length of the function. A
    candidate holding an interval that covers the point where a class starts is
    taken for every class starting from there to that interval's end, and
    classes come in order of their start: so the candidates passed over once
    are passed over at once until the first of those intervals ends. The name
    chosen is the same: only candidates that are not free are passed over
    (checked with `ADJOINT_VERIFY=1`).
    """

    def __init__(self, reserved):
        self.reserved = reserved
        self.known = {}  # base -> (first candidate not passed over, since, until)

    def first(self, base, alive, taken):
        """The index of the first candidate of `base` that may be free for a class
        alive at `alive` (sorted intervals)."""
        start = alive[0][0]
        k, since, until = self.known.get(base, (0, start, math.inf))
        if not since <= start < until:
            k, until = 0, math.inf
        while True:
            candidate = _candidate(base, k)
            if candidate in self.reserved:
                k += 1
                continue
            end = taken.covering(candidate, start)
            if end is None:
                break
            if verify.ENABLED and taken.free(candidate, alive):
                raise InternalError(f'naming passed over `{candidate}`, which is free')
            k, until = k + 1, min(until, end)
        self.known[base] = (k, start, until)
        return k


class _TempNumbers:
    """Renumbers temporaries `t1, t2, ...` in order of first appearance — of the
    temporary or of its adjoint, tangent or tape (`bt3`, `dt3`, `tape_t3`), named after
    it even when the temporary itself is gone from the code."""

    def __init__(self, taken):
        self.taken = taken  # names a temporary must not become
        self.numbers = {}  # SSA temporary -> its new name
        self.count = 0

    def original(self, members):
        """The new name of the temporary that a version among `members` (`t4_1`,
        restored from a tape) is a copy of, if it has one."""
        for member in members:
            if names.base_name(member) != member and names.base_name(member) in self.numbers:
                return self.numbers[names.base_name(member)]
        return None

    def number(self, members):
        """The new name of the temporary class with these SSA members."""
        for member in members:
            if member in self.numbers:
                return self.numbers[member]
        while True:
            self.count += 1
            name = f't{self.count}'
            if name not in self.taken or name in members:
                break
        self.numbers.update(dict.fromkeys(members, name))
        return name


def python_names(fn, reserved=()):
    """Map every SSA value of `fn` to the Python name it is emitted as."""
    span = _Liveness(fn).intervals()
    params = [p.name for p in fn.params]
    user = fn.user_names
    classes = _Classes(span, params, user)
    for head, *rest in _phi_groups(fn):
        for atom in rest:
            name = atom if isinstance(atom, str) else getattr(atom, 'name', None)
            if name is not None and isinstance(atom, (str, ir.Var)):
                classes.union(head, name)
    roots = {}
    for name in span:
        roots.setdefault(classes.find(name), []).append(name)
    # Tapes are made at the top but named after what they save: name them last.
    order = sorted(roots, key=lambda r: (any(m.startswith('tape_t') for m in roots[r]),
                                         min(span[m][0][0] for m in roots[r])))
    taken = _Occupancy()
    skips = _Skips(reserved)
    result = {}
    temps = _TempNumbers(set(reserved) | user)
    for root in order:
        members = roots[root]
        alive = classes.alive[root]
        fixed = [m for m in members if m in params]
        base = fixed[0] if fixed else _preferred_base(members, span, user)
        if is_temporary(base, user):  # renumber temporaries in order: t1, t2, ...
            name = temps.original(members)  # `t4_1 = tape_t4.pop()` restores t4
            if name is None or not taken.free(name, alive):
                name = temps.number(members)
            taken.take(name, alive)
            result.update(dict.fromkeys(members, name))
            continue
        derived = names.DERIVED.match(base) if base not in user else None
        if derived and derived.group(2) in user:  # `dt3` of a user's own `t3`
            derived = None
        if derived and not fixed:  # `bt7`, the adjoint of `t7`, follows t7's new name
            base = derived.group(1) + temps.number([derived.group(2)])
        candidates = [base] if fixed else \
            (_candidate(base, k) for k in itertools.count(skips.first(base, alive, taken)))
        for candidate in candidates:
            if candidate in reserved and not fixed:
                continue
            if fixed or taken.free(candidate, alive):
                taken.take(candidate, alive)
                for m in members:
                    result[m] = candidate
                break
    return result
