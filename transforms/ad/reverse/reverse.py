"""reverse: a primal function -> its adjoint (reverse mode), as one function.

Requires: an `ir.Function` from `ssa`, the `wrt` parameter names, a `RuleTable`,
and the kind of each parameter (see `kinds.py`).
Ensures: an `ir.Function` with the same parameters that runs the primal sweep,
then the backward sweep, and returns the gradient(s) (and the value, if asked).

What is stored for the backward sweep follows from SSA (../shared/DESIGN.md):
- a value defined outside every loop is still alive in the backward sweep;
- a value defined inside a loop and read by the backward sweep is pushed on its own
  tape (`tape_x`) right after it is defined and popped when its block is reversed;
- a `for` is reversed by walking its range backwards; a `while` counts its trips.
Adjoints start from their first contribution (`bx = ...`); later ones add.
Only active values (see `activity.py`) get adjoints.
"""

import operator

from transforms.ad import calls, inline, inplace
from transforms.ad.reverse.reverse_calls import CallAdjoints
from transforms.ad.reverse.reverse_containers import ContainerAdjoints
from transforms.ad.reverse.reverse_regions import RegionAdjoints
from transforms.ad.reverse.reverse_uniform import UniformAdjoints
from transforms.ad.transformation import Transformation
from transforms.analysis import activity, kinds as kinds_, recompute, shapes
from transforms.analysis.kinds import ARRAYS, SCALARS
from transforms.core import ir, names, primitives, substitute
from transforms.core.errors import UnsupportedSyntaxError
from transforms.core.rules import activity_keywords, keywords_in_place, primal_args, primitive_key
from transforms.core.verify import checked
from transforms.frontend.ssa import prim


@checked
def reverse(fn, wrt, rules, param_kinds=None, return_value=False, namespace_names=(),
            seed_param=False, aux=None, param_dims=None, recompute_policy=None,
            callees=None, kinds=None):
    """The adjoint function of `fn` with respect to the parameters named in `wrt`.

    Args:
        fn: the primal IR.
        wrt: a parameter name (the gradient is returned alone), or a tuple of
            names (a tuple of gradients is returned, in that order).
        rules: the `RuleTable`.
        param_kinds: {parameter name: kind}; unknown parameters may be anything.
        return_value: return `(value, gradients)` instead of the gradients.
        namespace_names: names the generated code must not shadow.
        seed_param: take the output's cotangent as a last parameter instead of
            seeding 1.0, and return `(value, gradients)` (see `calls.split`).
        aux: the atom of a value to return with the gradients, not differentiated
            (`has_aux=True`, see `aux_output.py`): `(gradients, aux)`, or
            `((value, aux), gradients)` with `return_value`.
        param_dims: {parameter name: dimension symbols} of the array parameters,
            for code specialized to which of their dimensions are equal
            (`shapes.py`), or None.
        recompute_policy: what loops compute again in the backward sweep rather
            than tape (`recompute.Policy`; None: `recompute.INTERPRETED`).
        callees: a `calls.Callees`, which compiles the user functions `fn`
            calls (the driver's, `pipeline.CALLEES`).
        kinds: the kinds of `fn`'s values inferred from `param_kinds`, if known
            (else they are inferred here).

    Returns:
        (adjoint function, kinds of its values).
    """
    if kinds is None:
        kinds = kinds_.infer_kinds(fn, param_kinds or {}, rules)
    varied, active = activity.varied_and_active(fn, (wrt,) if isinstance(wrt, str) else wrt,
                                                rules)
    inplace.reject_hidden_updates(fn, varied, rules)
    state = _Reverse(fn, rules, kinds, active, namespace_names, param_dims)
    state.recompute_policy = recompute_policy or recompute.INTERPRETED
    state.callees = callees or calls.NO_CALLEES
    adjoint = state.function(wrt, return_value, seed_param, aux)
    return shapes.stand_in_shapes(adjoint, state.shapes, rules), state.kinds


class _Reverse(Transformation, RegionAdjoints, ContainerAdjoints, CallAdjoints,
               UniformAdjoints):
    """Working state of one reverse-mode transformation (not shared across calls)."""

    def __init__(self, fn, rules, kinds, active, namespace_names, param_dims=None):
        super().__init__(fn, rules, kinds, active, namespace_names, param_dims)
        self.adj = {}  # primal value name -> atom holding its adjoint so far
        self.uniform = {}  # name -> one number standing for its whole adjoint
        self.fields = {}  # container name -> {constant key: adjoint of that item}
        self.owned = set()  # adjoint buffers generated code may update in place
        self.returned = set()  # names of the gradients taken for the result so far
        self.block_defs = {p.name for p in fn.params}  # defined in the current block
        self.tapes = []  # Let statements creating the tapes
        self.items_before = {}  # setitem target -> primal read of the item it replaces
        self.param_names = {p.name for p in fn.params}
        self.definitions = {s.target: s for s in ir.walk(fn.body)
                            if isinstance(s, ir.Let) and s.target is not None}

    # ------------------------------------------------------------ helpers

    def let(self, out, fn, args, hint=None, line=0):
        """Append `name = fn(*args)` to `out` (as backward code); return its Var."""
        name = self.namer.fresh(hint) if hint else self.namer.temp()
        stmt = ir.Let(name, fn, tuple(args), line=line, adjoint=True)
        out.append(stmt)
        self.kinds[name] = kinds_.let_kind(stmt, self.kind, self.rules)
        return ir.Var(name)

    def runtime(self, helper, name):
        return ir.Global(name, helper)

    def zero(self, like, out, line):
        """A zero adjoint shaped like `like`: `0.0` for scalars, else `zeros_like`."""
        if not isinstance(like, ir.Var) or self.kind(like) in SCALARS:
            return ir.Const(0.0)
        zero = self.let(out, self.runtime(self.rules.zeros_like, 'zeros_like'), (like,),
                        names.adjoint_name(like.name), line)
        self.kinds[zero.name] = self.kind(like)
        return zero

    def accumulate(self, name, contribution, out, line):
        """Add `contribution` to the adjoint of value `name`."""
        if name not in self.active:
            return
        if name in self.uniform:  # the array plus the number, broadcast
            self.adj[name] = self.uniform.pop(name)
        if name not in self.adj:
            self.adj[name] = contribution
            return
        # list + list would concatenate
        adder = self.helper('add_cotangents') if self.may_be_container(name) \
            else prim(operator.add)
        total = self.let(out, adder, (self.adj[name], contribution),
                         names.adjoint_name(name), line)
        self.kinds[total.name] = self.adjoint_kind(name)
        self.owned.add(total.name)  # a sum is a new object
        self.adj[name] = total

    def may_be_container(self, name):
        """Whether value `name` may be a list, tuple or dict, whose cotangents add
        item by item: its kind says so, or is unknown and it is not a parameter
        (whose kind is known when the derivative runs, or it is no container)
        nor the result of arithmetic other than `+` and `*` or of a NumPy
        function that broadcasts (an array or a number)."""
        kind = self.kinds.get(name)
        if kind is not None:
            return isinstance(kind, tuple)
        if name in self.param_names:
            return False
        stmt = self.definitions.get(name)
        if stmt is None:
            return True
        rule = self.rules.lookup(primitive_key(stmt))
        numeric = (stmt.fn.value in primitives.BINARY or stmt.fn.value in primitives.UNARY) \
            and stmt.fn.value not in (operator.add, operator.mul)
        return not (numeric or (rule is not None and (rule.broadcasts or rule.elementwise)))

    def adjoint_kind(self, name):
        kind = self.kinds.get(name)
        return 'float' if kind in SCALARS else kind

    # ------------------------------------------------------------ the function

    def function(self, wrt, return_value, seed_param=False, aux=None):
        fn = self.fn
        ret = fn.returns
        seed_stmts = []
        params = fn.params
        if seed_param:
            seed = self.namer.fresh(names.adjoint_name(getattr(ret, 'name', 'result')))
            params += (ir.Param(seed),)
            self.kinds[seed] = self.adjoint_kind(getattr(ret, 'name', ''))
            wrt, return_value = tuple(wrt), True
            if isinstance(ret, ir.Var) and ret.name in self.active:
                self.adj[ret.name] = ir.Var(seed)
        elif isinstance(ret, ir.Var) and ret.name in self.active:
            if self.kind(ret) in SCALARS and not _may_be_complex(fn, self.kind):
                self.adj[ret.name] = ir.Const(1.0)
            else:
                self.adj[ret.name] = self.let(
                    seed_stmts, self.runtime(self.rules.scalar_seed, 'scalar_seed'),
                    (ret, ir.Const(fn.name)), names.adjoint_name(ret.name))
                # An array of one element is seeded with ones of its shape: a
                # float only where the output is known to be a number.
                self.kinds[self.adj[ret.name].name] = \
                    self.adjoint_kind(ret.name) if self.kind(ret) in SCALARS | ARRAYS else None
        elif self.kind(ret) not in SCALARS:
            # An output without a derivative (None, a string, a constant array)
            # must be a scalar too: the check is kept for its error alone.
            seed_stmts.append(ir.Let(None, self.runtime(self.rules.scalar_seed, 'scalar_seed'),
                                     (ret, ir.Const(fn.name)), adjoint=True))
        forward, backward = self.block(fn.body, 0)
        tail = []
        grads = []
        for name in ((wrt,) if isinstance(wrt, str) else wrt):
            grad = self.take(name, tail, 0)
            if isinstance(grad, ir.Var):
                self.returned.add(grad.name)
            if grad is None:
                grad = self.zero(ir.Var(name), tail, 0)
            helper = kinds_.retupling(self.kinds.get(name))
            if helper is None and kinds_.is_list_kind(self.kinds.get(name)) and \
                    getattr(grad, 'name', None) not in self.owned:
                helper = 'like'  # a rule's cotangent of a list may be an array
            if helper is not None:  # a tuple's cotangent is a list; its gradient a tuple
                grad = self.let(tail, self.helper(helper), (grad, ir.Var(name)),
                                names.adjoint_name(name))
            grads.append(grad)
        if isinstance(wrt, str):
            result = grads[0]
        else:
            result = self.let(tail, prim(primitives.make_tuple), grads, 'grads')
        if aux is not None and return_value:
            value = self.let(tail, prim(primitives.make_tuple), (ret, aux), 'value')
            result = self.let(tail, prim(primitives.make_tuple), (value, result), 'result')
        elif aux is not None:
            result = self.let(tail, prim(primitives.make_tuple), (result, aux), 'result')
        elif return_value:
            result = self.let(tail, prim(primitives.make_tuple), (ret, result), 'result')
        body = tuple(self.tapes) + tuple(forward) + tuple(seed_stmts) + tuple(backward) \
            + tuple(tail)
        prefix = 'value_and_grad_' if return_value else 'grad_'
        return fn.replace(name=prefix + fn.name.replace('<lambda>', 'lambda'),
                          params=params, body=ir.Block(body, (result,)))

    # ------------------------------------------------------------ blocks

    def block(self, block, depth, params=(), finish=None):
        """Reverse one block; return (forward statements, backward statements).

        `depth` counts enclosing loops. Inside a loop, values this block defines
        (and `params`, the carried values it receives) that the backward code reads
        are pushed on tapes in the forward code and popped back in the backward;
        `finish()` returns statements that end the backward code, read so too.
        """
        forwards, backward = [], []
        outer_defs = self.block_defs
        self.block_defs = {d for s in block.stmts for d in ir.stmt_defs(s)}
        if block is self.fn.body:
            self.block_defs |= {p.name for p in self.fn.params}
        for stmt in reversed(block.stmts):
            fwd, bwd = self.statement(stmt, depth)
            forwards.append(fwd)  # joined in program order below: inserting each at
            backward.extend(bwd)  # the front made this quadratic in the block's length
        forward = [s for fwd in reversed(forwards) for s in fwd]
        backward.extend(self.spread_all(block.stmts[0].line if block.stmts else 0))
        if finish is not None:
            backward.extend(finish())
        self.block_defs = outer_defs
        if depth == 0:
            return forward, backward
        return self.save(block, forward, backward, params)

    def save(self, block, forward, backward, params):
        """Put the values `backward` reads from this loop block on tapes."""
        defined = list(params)
        for stmt in forward:  # not block.stmts: a forward `while` also yields its trip count
            defined.extend(ir.stmt_defs(stmt))
        adj_atoms = [a for a in self.adj.values() if isinstance(a, ir.Var)]
        read = set(ir.free_vars(ir.Block(tuple(backward), tuple(adj_atoms))))
        saved = [name for name in defined if name in read]
        if not saved:
            return forward, backward
        pushes, pops, renames = {}, [], {}
        recomputed = recompute.recompute_plan(forward, saved, defined, self.kinds,
                                              self.recompute_policy)
        for stmt in recomputed:  # `t = ys[i] - xs[i] * c`: computed again, not taped
            popped = self.namer.fresh(stmt.target)
            self.kinds[popped] = self.kinds.get(stmt.target)
            pops.append(substitute.statement(ir.replace(stmt, adjoint=True), renames,
                                             {stmt.target: popped}))
            renames[stmt.target] = ir.Var(popped)
        tape_pops = []
        for name in saved:
            if name in renames:
                continue
            tape = self.namer.fresh(names.tape_name(name))
            self.tapes.append(ir.Let(tape, prim(primitives.new_tape), ()))
            pushes[name] = ir.Let(None, prim(primitives.push), (ir.Var(tape), ir.Var(name)),
                                  line=self.line_of(block, name))
            popped = self.namer.fresh(name)
            self.kinds[popped] = self.kinds.get(name)
            renames[name] = ir.Var(popped)
            tape_pops.insert(0, ir.Let(popped, prim(primitives.pop), (ir.Var(tape),),
                                       line=self.line_of(block, name), adjoint=True))
        new_forward = [pushes[p] for p in params if p in pushes]
        for stmt in forward:
            new_forward.append(stmt)
            new_forward.extend(pushes[d] for d in ir.stmt_defs(stmt) if d in pushes)
        backward = tape_pops + pops + list(substitute.stmts(backward, renames))
        self.adj = {k: substitute.atom(a, renames) for k, a in self.adj.items()}
        return new_forward, backward

    @staticmethod
    def line_of(block, name):
        for stmt in block.stmts:
            if name in ir.stmt_defs(stmt):
                return stmt.line
        return block.stmts[0].line if block.stmts else 0

    def statement(self, stmt, depth):
        """(forward statements, backward statements) of one statement."""
        if isinstance(stmt, ir.Let):
            if stmt.target in self.active:
                self.check_real(stmt)
            if stmt.target in self.active and calls.is_user_function(stmt.fn.value,
                                                                      self.rules):
                return self.call_adjoint(stmt)
            backward = self.let_adjoint(stmt)
            before = self.items_before.pop(stmt.target, None)  # see `item_before`
            return [before, stmt] if before else [stmt], backward
        spread = self.spread_all(stmt.line)  # no number stands for an array past here
        if isinstance(stmt, ir.Hook):
            return [], spread + self.hook_adjoint(stmt)
        if isinstance(stmt, ir.If):
            fwd, bwd = self.if_adjoint(stmt, depth)
        else:
            fwd, bwd = self.loop_adjoint(stmt, depth)
        return [fwd], spread + bwd

    # ------------------------------------------------------------ operations

    def let_adjoint(self, stmt):
        """Backward code for one operation: its rule, inlined."""
        special = self.container_adjoint(stmt)
        if special is not None:
            return special
        if stmt.target is None or not self.has_adjoint(stmt.target):
            return []
        out = []
        rule = self.rules.lookup(primitive_key(stmt))
        if rule is None or (rule.differentiable and rule.vjp is None):
            raise self.unknown(stmt)
        args = primal_args(stmt)
        if rule.vjp_for_kinds:
            rule = rule.for_kinds(tuple(self.kind(a) for a in args))
        if rule.differentiable and stmt.kwargs:
            stmt = self.keywords_in_place(rule, stmt)
            args = primal_args(stmt)
            self.reject_keyword_cotangents(stmt)
        mode = self.uniform_input(stmt, rule) if rule.differentiable else None
        parts = self.uniform_parts(stmt, rule, mode, args, out) if mode else None
        if parts is not None:
            for k, (item, uniform) in parts.items():
                if uniform:
                    self.accumulate_uniform(args[k].name, item, out, stmt.line)
                else:
                    self.contribute(stmt, rule, args, k, item, out)
            return out
        g = self.take(stmt.target, out, stmt.line)
        if not rule.differentiable:
            return []
        body, items = self.rule_body(rule, g, stmt, args)
        wanted = {}
        for k, (arg, item) in enumerate(zip(args, items)):
            if isinstance(arg, ir.Var) and arg.name in self.active and \
                    not (isinstance(item, ir.Const) and item.value is None):
                wanted[k] = item
        body, wanted = _prune(body, wanted)
        self.note_kinds(body)
        out.extend(body)
        wanted = self.merge_repeated(args, wanted, out, stmt.line)
        items = [a.name for a in wanted.values() if isinstance(a, ir.Var)]
        shared = {n for n in items if items.count(n) > 1}  # `(g, g)`: keep g's name
        for k, item in wanted.items():
            self.contribute(stmt, rule, args, k, item, out, shared)
        return out

    def keywords_in_place(self, rule, stmt):
        """`stmt` with its differentiated keyword arguments passed by position
        (`rules.keywords_in_place`), so that their cotangents reach them; an error
        where that cannot be done."""
        moved = keywords_in_place(rule.vjp, stmt,
                                  lambda a: isinstance(a, ir.Var) and a.name in self.active)
        if moved is None:
            raise UnsupportedSyntaxError(
                f'a differentiated value is passed to `{stmt.fn.path}` by keyword, and '
                f'its derivative needs it by position: pass the arguments before it by '
                f'position too', self.fn.filename, stmt.line, self.source_line(stmt.line))
        return moved

    def reject_keyword_cotangents(self, stmt):
        """A differentiated value still passed by keyword after `keywords_in_place`
        binds a keyword-only parameter of the rule, which returns no cotangent for
        it (`np.pad(x, 1, constant_values=v)`): an error, not a zero gradient."""
        for name, atom in stmt.kwargs:
            if isinstance(atom, ir.Var) and atom.name in self.active:
                raise self.keyword_not_differentiated(stmt, name)

    def rule_body(self, rule, g, stmt, args):
        """The rule's statements for cotangent `g`, and its cotangent atoms."""
        if not inline.inlinable(rule.vjp):
            return self.call_rule(rule.vjp, g, stmt, args)
        return inline.split_tuple(*self.inline_rule(rule.vjp, g, stmt, args))

    def inline_rule(self, template, g, stmt, args):
        """(body, result) of the rule `template` inlined for cotangent `g`; an
        error naming the call where the rule does not take its arguments."""
        try:
            return inline.inline(template, (g, ir.Var(stmt.target)) + args,
                                 self.rule_keywords(template, stmt), self.namer, stmt.line)
        except inline.UnsupportedCall as error:
            raise UnsupportedSyntaxError(
                f'`{stmt.fn.path}` is called with arguments adjoint cannot '
                f'differentiate: {error}', self.fn.filename, stmt.line,
                self.source_line(stmt.line)) from None

    def rule_keywords(self, rule_fn, stmt):
        """`stmt`'s keyword arguments, and the `active_<name>` flags the rule takes."""
        return stmt.kwargs + activity_keywords(
            rule_fn, stmt, lambda a: isinstance(a, ir.Var) and a.name in self.active)

    def contribute(self, stmt, rule, args, k, item, out, shared=()):
        """Add cotangent `item` of argument k, its broadcasting undone, to its adjoint;
        it takes the adjoint's name unless it is also another argument's (`shared`)."""
        arg = args[k]
        if rule.broadcasts and self.needs_unbroadcast(args, k, stmt.target):
            item = self.unbroadcast(item, arg, out, stmt.line)
        out_name = names.adjoint_name(arg.name)
        if arg.name not in self.adj and arg.name not in self.uniform and \
                isinstance(item, ir.Var) and item.name not in shared and \
                _defined_last_by(out, item.name):
            item = _rename_last(out, item.name, self.namer.fresh(out_name))
            self.kinds[item.name] = self.adjoint_kind(arg.name)
        self.accumulate(arg.name, item, out, stmt.line)

    def unbroadcast(self, item, arg, out, line):
        """`unbroadcast(item, arg)`, appended to `out`. For an `item = -a` of the
        rule's own that nothing else reads, `-unbroadcast(a, arg)`: the same
        numbers, negating the smaller array (`y` of `x - y` is often a row or a
        number)."""
        helper = self.runtime(self.rules.unbroadcast, 'unbroadcast')
        negation = _negation_of(out, item)
        if negation is not None:
            item = out.pop(negation).args[0]
        summed = self.let(out, helper, (item, arg), None, line)
        self.kinds[summed.name] = self.adjoint_kind(arg.name)
        if negation is None:
            return summed
        return self.let(out, prim(operator.neg), (summed,), None, line)

    def merge_repeated(self, args, wanted, out, line):
        """`x * x`: add the two cotangents of `x` before undoing broadcasting once."""
        first = {}
        merged = {}
        for k, item in wanted.items():
            name = args[k].name
            if name in first:
                j = first[name]
                merged[j] = self.let(out, prim(operator.add), (merged[j], item), None, line)
            else:
                first[name] = k
                merged[k] = item
        return merged

    def needs_unbroadcast(self, args, k, target):
        """Whether argument k's cotangent may have a larger shape than argument k:
        not if the other arguments are scalars, nor if argument k is an array of
        the result's shape (`shapes.py`)."""
        others = [self.kind(a) for j, a in enumerate(args) if j != k]
        if all(o in SCALARS for o in others):
            return False
        return not (self.kind(args[k]) in ARRAYS and
                    shapes.same_shape(self.shapes, args[k], target))

    def unknown(self, stmt):
        return self.missing_rule(stmt, 'vjp')


def _may_be_complex(fn, kind):
    """Whether a number `fn` computes may be complex where kinds say float: a
    negative float to a fractional power (`(-1.0) ** 0.5` is `1j`), which the
    seed's check then rejects. `kind(atom)` is its kind."""
    def whole(atom):  # an integer, or a float constant of an integer's value
        return kind(atom) in ('int', 'bool') or isinstance(atom, ir.Const) and \
            isinstance(atom.value, float) and atom.value.is_integer()
    return any(isinstance(s, ir.Let) and s.fn.value is operator.pow and
               kind(s.args[0]) not in ('int', 'bool') and not whole(s.args[1])
               for s in ir.walk(fn.body))


def _prune(body, wanted):
    """Drop the rule's statements that only compute unwanted cotangents."""
    live = {a.name for a in wanted.values() if isinstance(a, ir.Var)}
    kept = []
    for stmt in reversed(body):
        defs = ir.stmt_defs(stmt)
        if any(d in live for d in defs):
            kept.insert(0, stmt)
            live.update(substitute.uses_of((stmt,)))
    return list(kept), wanted


def _negation_of(out, item):
    """The index of `item = -a` in `out` if nothing else in `out` reads `item`."""
    if not isinstance(item, ir.Var) or item.name in substitute.uses_of(out):
        return None
    for k, stmt in enumerate(out):
        if isinstance(stmt, ir.Let) and stmt.target == item.name:
            neg = stmt.fn.value is operator.neg and not stmt.kwargs
            return k if neg else None
    return None


def _defined_last_by(out, name):
    """Whether a `Let` in `out` defines `name`, which nothing in `out` reads: the
    contribution can take the adjoint's name (`bx = g * y`, not `t4 = g * y`)."""
    defines = any(isinstance(s, ir.Let) and s.target == name for s in out)
    return defines and name not in substitute.uses_of(out)


def _rename_last(out, old, new):
    for k, stmt in enumerate(out):
        if isinstance(stmt, ir.Let) and stmt.target == old:
            out[k] = substitute.statement(stmt, {}, {old: new})
    return ir.Var(new)
