"""opt: passes that make generated code cheaper without changing what it computes:
the optimizer (constant folding, common subexpressions, dead code) and, for the
compiled backend, tapes as preallocated arrays. It never imports `ad`, nor `ad` it."""
