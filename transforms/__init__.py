"""transforms: the compiler, a Python function to the source of its derivative.

A stack of layers, each a sub-package, whose imports only go down
(docs/design.md, "Layers"; tests/test_imports.py checks it):

    core      the IR, its printer and verifier, names, errors, the rule-table protocol
    frontend  parse -> normalize -> ssa: a live function to its primal IR
    analysis  what passes ask of the IR: activity, kinds, shapes, aliasing, releases
    prepare   rewrites the argument kinds decide, before differentiating
    ad        reverse and forward mode (with `opt` beside it: neither imports the other)
    opt       the optimizer passes and the compiled backend's tapes
    backend   out of SSA, naming, emitting and compiling Python source
    pipeline  the driver: the one list of stages, run for every derivative and callee
"""
