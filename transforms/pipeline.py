"""The compiler's stages, in order; each is a pure function of the previous result.

    function --parse--> gast --normalize--> core gast --ssa--> IR
          IR --reverse--> adjoint IR --optimize--> IR --emit--> source --compile--> function
          IR --forward--> tangent IR --optimize--> IR --emit--> source --compile--> function

`STAGES` (reverse mode) and `FORWARD_STAGES` name them so the command line can
stop after any stage and print it. With `ADJOINT_VERIFY=1` (the test suite sets
it) every pass verifies the IR it returns and an error names the pass
(`verify.checked`).
"""

import ast
import functools
import gc

import gast

from transforms import (aliasing, aux_output, calls, dead_code, defaults, dict_methods, emit,
                        forward, function_values, ir, iteration, kinds, known_objects,
                        methods, mutation, normalize, optimize, packing, parse, reverse, ssa)
from transforms.compile import compile_function
from transforms.errors import GENERATED_FILES

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
    """parse -> normalize -> ssa: the IR of a live function."""
    parsed = parse.parse_function(fn)
    return ssa.build(normalize.normalize(parsed), parsed), parsed


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


def adjoint_ir(primal, parsed, wrt, rules, param_kinds=None, return_value=False,
               has_aux=False, param_dims=None):
    """reverse -> optimize: (the optimized IR of the adjoint, the kinds of its values).

    `param_dims` ({parameter name: dimension symbols}, see `shapes.py`) specializes
    the code to which dimensions of the array arguments are equal.

    With `has_aux`, the primal returns `(output, aux)`; the adjoint is of `output`
    and returns `aux` too (see `aux_output.py`)."""
    adjoint, kinds = _reversed(primal, parsed, wrt, rules, param_kinds, return_value,
                               has_aux, param_dims)
    return finish(adjoint, kinds, rules), kinds


def _reversed(primal, parsed, wrt, rules, param_kinds, return_value, has_aux,
              param_dims=None):
    """prepare -> reverse (after splitting off the aux output, if there is one)."""
    aux = None
    if has_aux:
        primal, aux = aux_output.split_aux(primal, aux_output.return_line(parsed.node))
    fn, known = prepared(primal, rules, param_kinds, parsed.namespace)
    return reverse.reverse(fn, wrt, rules, param_kinds, return_value,
                           namespace_names=parsed.namespace, aux=aux, param_dims=param_dims,
                           kinds=known)


@_without_gc
def adjoint_function(primal, parsed, wrt, rules, param_kinds=None, return_value=False,
                     has_aux=False, param_dims=None):
    """The whole pipeline: (compiled adjoint, its source, its printed IR)."""
    adjoint, kinds = adjoint_ir(primal, parsed, wrt, rules, param_kinds, return_value,
                                has_aux, param_dims)
    emitted = emit.emit(adjoint, parsed.defaults, parsed.kwdefaults, kinds)
    return compile_function(emitted), emitted.source, ir.format_function(adjoint)


@_without_gc
def stage_text(fn, stage, wrt=None, rules=None, param_kinds=None, return_value=False,
               has_aux=False):
    """The printed result of running the pipeline on `fn` up to `stage`."""
    parsed = parse.parse_function(fn)
    if stage == 'parse':
        return show_gast(parsed.node)
    normalized = normalize.normalize(parsed)
    if stage == 'normalize':
        return show_gast(normalized)
    primal = ssa.build(normalized, parsed)
    if stage == 'ssa':
        return ir.format_function(primal)
    adjoint, kinds = _reversed(primal, parsed, wrt, rules, param_kinds, return_value,
                               has_aux)
    if stage == 'reverse':
        return ir.format_function(adjoint)
    adjoint = finish(adjoint, kinds, rules)
    if stage == 'optimize':
        return ir.format_function(adjoint)
    return emit.emit(adjoint, parsed.defaults, parsed.kwdefaults, kinds).source


def copy_before_writes(fn, rules):
    """`fn` with a copy before the first write to each container it does not own
    (a tangent's, after forward mode)."""
    return mutation.insert_copies(fn, rules.fresh)


def tangent_ir(primal, parsed, wrt, rules, param_kinds=None, seed_ones=False,
               return_value=True, param_dims=None):
    """forward -> optimize: (the optimized IR of the tangent function, the kinds of
    its values)."""
    prepared = prepare(primal, rules, param_kinds, parsed.namespace)
    tangent, kinds = forward.forward(prepared, wrt, rules, param_kinds, parsed.namespace,
                                     seed_ones, return_value, param_dims)
    return finish(copy_before_writes(tangent, rules), kinds, rules), kinds


@_without_gc
def tangent_function(primal, parsed, wrt, rules, param_kinds=None, seed_ones=False,
                     return_value=True, param_dims=None):
    """The forward-mode pipeline: (compiled tangent function, its source, its IR)."""
    tangent, kinds = tangent_ir(primal, parsed, wrt, rules, param_kinds, seed_ones, return_value,
                                param_dims)
    emitted = emit.emit(tangent, parsed.defaults, parsed.kwdefaults, kinds)
    return compile_function(emitted), emitted.source, ir.format_function(tangent)


@_without_gc
def tangent_stage_text(fn, stage, wrt, rules, param_kinds=None, seed_ones=False,
                       return_value=True):
    """The printed result of the forward-mode pipeline on `fn` up to `stage`."""
    if stage in ('parse', 'normalize', 'ssa'):
        return stage_text(fn, stage)
    primal, parsed = primal_ir(fn)
    prepared = prepare(primal, rules, param_kinds, parsed.namespace)
    tangent, kinds = forward.forward(prepared, wrt, rules, param_kinds, parsed.namespace,
                                     seed_ones, return_value)
    if stage == 'forward':
        return ir.format_function(tangent)
    tangent = finish(copy_before_writes(tangent, rules), kinds, rules)
    if stage == 'optimize':
        return ir.format_function(tangent)
    return emit.emit(tangent, parsed.defaults, parsed.kwdefaults, kinds).source
