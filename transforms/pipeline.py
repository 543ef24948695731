"""The compiler's stages, in order; each is a pure function of the previous result.

    function --parse--> gast --normalize--> core gast --ssa--> IR
          IR --reverse--> adjoint IR --optimize--> IR --emit--> source --compile--> function
          IR --forward--> tangent IR --optimize--> IR --emit--> source --compile--> function

`STAGES` (reverse mode) and `FORWARD_STAGES` name them, and `run_stages` runs
them, once, for everything: a derivative, a callee's pair or tangent function
(`CALLEES`, which the AD passes are given: no pass runs this module), and the
command line, which stops after any stage and prints it (`Run.text`). What a run
derives is a `Request`; what the stages made so far, a `Run`. With
`ADJOINT_VERIFY=1` (the test suite sets it) every pass verifies the IR it returns
and an error names the pass (`verify.checked`).
"""

import ast
import functools
import gc
from dataclasses import dataclass, replace

import gast

from transforms import frontend
from transforms.ad import calls
from transforms.ad.forward import forward, forward_calls
from transforms.ad.reverse import reverse
from transforms.analysis import aliasing, kinds, recompute
from transforms.backend import emit
from transforms.backend.compile import compile_function
from transforms.core import ir, names
from transforms.core.errors import GENERATED_FILES
from transforms.frontend import normalize, parse, ssa
from transforms.opt import array_tapes, dead_code, optimize
from transforms.prepare import (aux_output, defaults, dict_methods, function_values, iteration,
                                known_objects, methods, mutation, packing)

STAGES = ('parse', 'normalize', 'ssa', 'reverse', 'optimize', 'emit')
FORWARD_STAGES = ('parse', 'normalize', 'ssa', 'forward', 'optimize', 'emit')


def _without_gc(stage):
    """Run `stage` with Python's cyclic garbage collector paused.

    A compile allocates hundreds of thousands of small IR nodes and tuples,
    none of them in a reference cycle that needs collecting; each full
    collection the allocations trigger walks all of them, which made compile
    time grow faster than the function (a third of the time for 3,000
    statements). Collection resumes as it was when the outermost stage returns
    (a stage compiling a callee runs inside another)."""
    @functools.wraps(stage)
    def run(*args, **kwargs):
        if not gc.isenabled():
            return stage(*args, **kwargs)
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            gc.enable()
    return run


@_without_gc
def primal_ir(fn):
    """parse -> normalize -> ssa: the IR of a live function (`frontend.py`)."""
    return frontend.primal_ir(fn)


def prepare(primal, rules=None, param_kinds=None, namespace=None):
    """The primal as differentiated and emitted (see `prepared`)."""
    return prepared(primal, rules, param_kinds, namespace)[0]


def prepared(primal, rules=None, param_kinds=None, namespace=None):
    """(`prepare`'s function, its kinds if the last passes left its body as the
    kinds were inferred for, else None: the derivative's pass need not infer
    them again).

    The primal as differentiated and emitted: methods and subscripts of objects
    the rule table knows made calls of its primitives (`norm.logpdf(x)`, `np.r_[x,
    y]`; see `known_objects.py`), calls of functions held in variables, of helpers
    that pack their arguments and of `d.get(k)` resolved by the kinds (see
    docs/design.md), calls of derivatives made by the library resolved to their
    generated code (see `calls.resolve_callables`),
    copies before the first write to a container it does not own, repeated pure
    operations merged (so the cotangents of `x[:-1]` read twice add up before one
    `bx[:-1] += g`), loop invariants hoisted (so they are not taped)."""
    if rules is not None:
        kinds_of = _KindsOf(param_kinds or {}, rules)
        primal = known_objects.resolve_known_objects(primal, rules)
        calling = kinds_of(primal)
        primal = function_values.resolve_function_values(primal, calling, namespace or {})
        primal = packing.pack_calls(primal, rules, calling)
        primal = dict_methods.resolve_dict_methods(primal, calling)
        primal = calls.resolve_callables(primal, rules, param_kinds or {}, kinds_of(primal))
        primal = iteration.resolve_sequences(primal, kinds_of(primal))
        primal_kinds = kinds_of(primal)
        if primal.filename not in GENERATED_FILES:
            # Generated code never reads an object through one name after writing
            # it through another (`mutation.Sharing` copied first), so its values
            # are its objects: read again, as a derivative of a derivative does,
            # it needs no check, which its imprecise kinds would fail.
            aliasing.reject_aliased_reads(primal, primal_kinds, rules)
        primal = primal.replace(checked=dead_code.checked_values(primal, primal_kinds))
    fresh = rules.fresh if rules is not None else frozenset()
    helper_writes = None if rules is None or primal.filename in GENERATED_FILES else \
        lambda stmt: aliasing.helper_writes(stmt, primal_kinds, rules)
    copied = mutation.insert_copies(primal, fresh, helper_writes=helper_writes)
    pure = rules.is_pure if rules is not None else None
    known = rules.writes_nothing if rules is not None else None
    fn = optimize.hoist_loop_invariants(
        optimize.eliminate_common_subexpressions(copied, pure=pure, known=known))
    return fn, kinds_of.known(fn) if rules is not None else None


class _KindsOf:
    """`kinds.infer_kinds` of a function, given these parameter kinds and rules,
    inferred again only when the function differs from the last one asked
    about (in its body or its name, all that inference reads): `prepare` asks
    after passes that mostly change nothing (and that keep what they do not
    change, so the comparison is by identity)."""

    def __init__(self, param_kinds, rules):
        self.param_kinds = param_kinds
        self.rules = rules
        self.last = None  # ((name, body), its kinds)

    def __call__(self, fn):
        if self.known(fn) is None:
            self.last = ((fn.name, fn.body), kinds.infer_kinds(fn, self.param_kinds, self.rules))
        return dict(self.last[1])

    def known(self, fn):
        """The kinds of `fn` if they are those of the last function, else None."""
        if self.last is None or self.last[0] != (fn.name, fn.body):
            return None
        return dict(self.last[1])


def finish(fn, kinds, rules):
    """optimize, copy where a write in place would change a value read later (the
    optimizer may merge values, the backward sweep reads primal views), then leave
    default arguments out of calls and call reductions of arrays as methods: the
    last IR stages of both modes."""
    fn = optimize.optimize(fn, kinds, rules.is_pure, rules.writes_nothing)
    fn = mutation.insert_copies(fn, rules.fresh, sharing=mutation.Sharing(fn, kinds, rules))
    fn = defaults.drop_default_arguments(fn)
    return methods.as_methods(fn, kinds, rules.methods)


def show_gast(node):
    """Python source of a gast tree (for printing the parse and normalize stages)."""
    return ast.unparse(gast.gast_to_ast(node)) + '\n'


@_without_gc
def primal_function(fn):
    """parse -> normalize -> ssa -> emit -> compile, without differentiating: the
    round trip that tests SSA construction and emission on their own."""
    primal, parsed = primal_ir(fn)
    emitted = emit.emit(prepare(primal), parsed.defaults, parsed.kwdefaults)
    return compile_function(emitted), emitted.source


# ------------------------------------------------------------ the stages


@dataclass(frozen=True)
class Request:
    """What a run of the stages derives: what every stage after `ssa` reads.

    Args:
        mode: 'reverse' (an adjoint) or 'forward' (a tangent function).
        wrt: the parameter differentiated (a name: the gradient alone), or the
            parameters (a tuple of names).
        rules: the `RuleTable`.
        param_kinds: {parameter name: kind} of the arguments, or None.
        param_dims: {parameter name: dimension symbols} of the array arguments,
            for code specialized to which dimensions are equal (`shapes.py`), or
            None.
        return_value: the derivative returns the value too.
        has_aux: reverse: the primal returns `(output, aux)`; the adjoint is of
            `output` and returns `aux` too (`aux_output.py`).
        seed_param: reverse: the output's cotangent is a last parameter, for a
            callee's forward/backward pair (`calls.split`).
        seed_ones: forward: each `wrt` parameter's tangent is 1.0 (a derivative
            by one scalar), not a parameter.
        compiled: the code is for a compiler (Numba), where memory costs more than
            arithmetic: loops recompute more in the backward sweep
            (`recompute.compiled_policy`) and tapes of numbers of a loop with a
            known trip count are arrays (`array_tapes.py`).
    """

    mode: str = 'reverse'
    wrt: object = ()
    rules: object = None
    param_kinds: dict = None
    param_dims: dict = None
    return_value: bool = False
    has_aux: bool = False
    seed_param: bool = False
    seed_ones: bool = False
    compiled: bool = False


@dataclass(frozen=True)
class Run:
    """What the stages have made so far, each field set by one stage."""

    fn: object = None  # the live function
    parsed: object = None  # parse: a `parse.Parsed`
    normalized: object = None  # normalize: the core gast tree
    primal: object = None  # ssa: the primal's `ir.Function`
    derived: object = None  # reverse / forward, then optimize: the derivative's
    kinds: dict = None  # the kinds of the derivative's values
    emitted: object = None  # emit: an `emit.Emitted`

    def text(self, stage):
        """What the command line prints after `stage`."""
        if stage in ('parse', 'normalize'):
            return show_gast(self.parsed.node if stage == 'parse' else self.normalized)
        if stage == 'ssa':
            return ir.format_function(self.primal)
        if stage == 'emit':
            return self.emitted.source
        return ir.format_function(self.derived)


def _parse(run, request):
    return replace(run, parsed=parse.parse_function(run.fn))


def _normalize(run, request):
    return replace(run, normalized=normalize.normalize(run.parsed))


def _ssa(run, request):
    return replace(run, primal=ssa.build(run.normalized, run.parsed))


def _reverse(run, request):
    """prepare -> reverse (after splitting off the aux output, if there is one)."""
    primal, aux = run.primal, None
    if request.has_aux:
        primal, aux = aux_output.split_aux(primal, aux_output.return_line(run.parsed.node))
    rules, namespace = request.rules, run.parsed.namespace
    fn, known = prepared(primal, rules, request.param_kinds, namespace)
    policy = recompute.compiled_policy(rules) if request.compiled else recompute.INTERPRETED
    derived, kinds_ = reverse.reverse(
        fn, request.wrt, rules, request.param_kinds, request.return_value,
        namespace_names=namespace, seed_param=request.seed_param, aux=aux,
        param_dims=request.param_dims, recompute_policy=policy, callees=CALLEES,
        kinds=known)
    return replace(run, derived=derived, kinds=kinds_)


def _forward(run, request):
    """prepare -> forward."""
    rules, namespace = request.rules, run.parsed.namespace
    prepared = prepare(run.primal, rules, request.param_kinds, namespace)
    derived, kinds_ = forward.forward(
        prepared, request.wrt, rules, request.param_kinds, namespace, request.seed_ones,
        request.return_value, request.param_dims, callees=CALLEES)
    return replace(run, derived=derived, kinds=kinds_)


def _optimize(run, request):
    """`finish`, after copying what a tangent writes into (forward mode); for
    compiled code, tapes as arrays (reverse mode)."""
    derived, rules = run.derived, request.rules
    if request.mode == 'forward':
        derived = copy_before_writes(derived, rules)
    derived = finish(derived, run.kinds, rules)
    if request.mode == 'reverse' and request.compiled:
        derived = array_tapes.preallocate_tapes(derived, run.kinds, rules)
    return replace(run, derived=derived)


def _emit(run, request):
    return replace(run, emitted=emit.emit(run.derived, run.parsed.defaults,
                                          run.parsed.kwdefaults, run.kinds))


_STAGES = {'parse': _parse, 'normalize': _normalize, 'ssa': _ssa, 'reverse': _reverse,
           'forward': _forward, 'optimize': _optimize, 'emit': _emit}


@_without_gc
def run_stages(request, until='emit', fn=None, primal=None, parsed=None):
    """Run the stages of `request.mode` (`STAGES` or `FORWARD_STAGES`), from the
    live function `fn`, or after `ssa` from its `primal` IR and `parsed` source,
    up to and including `until`: the `Run`. Everything that compiles a
    derivative, a callee's or a stage shown by the command line, runs this."""
    stages = STAGES if request.mode == 'reverse' else FORWARD_STAGES
    run = Run(fn=fn) if primal is None else Run(fn=fn, parsed=parsed, primal=primal)
    first = 0 if primal is None else stages.index('ssa') + 1
    for stage in stages[first:stages.index(until) + 1]:
        run = _STAGES[stage](run, request)
    return run


def _compiled(run):
    """(compiled function, its source, its printed IR) of an emitted `Run`."""
    return compile_function(run.emitted), run.emitted.source, ir.format_function(run.derived)


def copy_before_writes(fn, rules):
    """`fn` with a copy before the first write to each container it does not own
    (a tangent's, after forward mode)."""
    return mutation.insert_copies(fn, rules.fresh)


def adjoint_ir(primal, parsed, wrt, rules, param_kinds=None, return_value=False,
               has_aux=False, param_dims=None, compiled=False, seed_param=False):
    """reverse -> optimize: (the optimized IR of the adjoint, the kinds of its
    values); the arguments as for `Request`."""
    run = run_stages(Request('reverse', wrt, rules, param_kinds, param_dims, return_value,
                             has_aux, seed_param=seed_param, compiled=compiled),
                     'optimize', primal=primal, parsed=parsed)
    return run.derived, run.kinds


@_without_gc
def adjoint_function(primal, parsed, wrt, rules, param_kinds=None, return_value=False,
                     has_aux=False, param_dims=None, compiled=False):
    """The whole pipeline: (compiled adjoint, its source, its printed IR); the
    arguments as for `Request`."""
    return _compiled(run_stages(Request('reverse', wrt, rules, param_kinds, param_dims,
                                        return_value, has_aux, compiled=compiled),
                                primal=primal, parsed=parsed))


def stage_text(fn, stage, wrt=None, rules=None, param_kinds=None, return_value=False,
               has_aux=False):
    """The printed result of running the pipeline on `fn` up to `stage`."""
    request = Request('reverse', wrt, rules, param_kinds, return_value=return_value,
                      has_aux=has_aux)
    return run_stages(request, stage, fn=fn).text(stage)


def tangent_ir(primal, parsed, wrt, rules, param_kinds=None, seed_ones=False,
               return_value=True, param_dims=None):
    """forward -> optimize: (the optimized IR of the tangent function, the kinds of
    its values)."""
    run = run_stages(Request('forward', wrt, rules, param_kinds, param_dims, return_value,
                             seed_ones=seed_ones), 'optimize', primal=primal, parsed=parsed)
    return run.derived, run.kinds


@_without_gc
def tangent_function(primal, parsed, wrt, rules, param_kinds=None, seed_ones=False,
                     return_value=True, param_dims=None):
    """The forward-mode pipeline: (compiled tangent function, its source, its IR)."""
    return _compiled(run_stages(Request('forward', wrt, rules, param_kinds, param_dims,
                                        return_value, seed_ones=seed_ones),
                                primal=primal, parsed=parsed))


def tangent_stage_text(fn, stage, wrt, rules, param_kinds=None, seed_ones=False,
                       return_value=True):
    """The printed result of the forward-mode pipeline on `fn` up to `stage`."""
    request = Request('forward', wrt, rules, param_kinds, return_value=return_value,
                      seed_ones=seed_ones)
    return run_stages(request, stage, fn=fn).text(stage)


# ------------------------------------------------------------ callees


def _compile_pair(fn, wrt, param_kinds, rules, name):
    """(forward, backward, sources) of user function `fn`'s pair: its adjoint,
    with the output's cotangent a parameter, split where the backward sweep
    begins (`calls.split`)."""
    primal, parsed = primal_ir(fn)
    adjoint, kinds = adjoint_ir(primal, parsed, tuple(wrt), rules, param_kinds,
                                seed_param=True)
    forward_ir, backward_ir = calls.split(adjoint, name)
    compiled, sources = [], []
    for part in (forward_ir, backward_ir):
        defaults = parsed.defaults if part is forward_ir else ()
        emitted = emit.emit(part, defaults, parsed.kwdefaults if part is forward_ir else {},
                            kinds)
        compiled.append(compile_function(emitted))
        sources.append(emitted.source)
    return compiled[0], compiled[1], tuple(sources)


def _compile_tangent(fn, wrt, param_kinds, rules, name):
    """(function, source) of user function `fn`'s tangent function `{name}_jvp`:
    all of `fn`'s parameters, by position, then the tangents of `wrt`."""
    primal, parsed = primal_ir(fn)
    positional = tuple(ir.Param(p.name) for p in primal.params)
    tangent, kinds_ = tangent_ir(primal.replace(params=positional), parsed, tuple(wrt),
                                 rules, param_kinds)
    emitted = emit.emit(tangent.replace(name=names.jvp_name(name)), kinds=kinds_)
    return compile_function(emitted), emitted.source


def pair(fn, wrt, param_kinds, rules):
    """The forward/backward pair of user function `fn` (`calls.pair`)."""
    return calls.pair(fn, wrt, param_kinds, rules, _compile_pair)


def callee_tangent(fn, wrt, param_kinds, rules):
    """The tangent function of user function `fn` (`forward_calls.tangent_function`)."""
    return forward_calls.tangent_function(fn, wrt, param_kinds, rules, _compile_tangent)


# What the AD passes call to have a callee compiled: this module's stages.
CALLEES = calls.Callees(pair=pair, tangent=callee_tangent)
