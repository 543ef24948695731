"""frontend: a live Python function to its primal IR: parse -> normalize -> ssa.

The analyses that look into a user function a program calls (what it returns and
writes, `aliasing.py`; the kind of its result, `kinds.py`) need its IR, and only
that: they import this module, below them, rather than the driver
(`pipeline.py`), which is above every pass.
"""

from transforms.frontend import normalize, parse, ssa


def primal_ir(fn):
    """(the IR of `fn`, its `parse.Parsed` source): parse -> normalize -> ssa."""
    parsed = parse.parse_function(fn)
    return ssa.build(normalize.normalize(parsed), parsed), parsed
