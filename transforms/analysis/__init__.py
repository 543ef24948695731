"""analysis: what the passes ask of a function's IR, computed once and returned as
data: which values are active, their kinds and shapes, which values alias,
what is recomputed rather than saved, and where arrays are last read."""
