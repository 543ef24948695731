"""compile: generated source -> a live function that pdb and tracebacks can show.

Requires: an `emit.Emitted`.
Ensures: the function object, compiled from a file name registered in
`linecache`, so `inspect.getsource`, tracebacks and pdb show the generated lines
(and the function can itself be differentiated: higher-order derivatives).
"""

import itertools
import linecache

from transforms.core.errors import GENERATED_FILES, GeneratedFile

_counter = itertools.count(1)


def compile_function(emitted, label=None):
    """Compile `emitted.source` and return the function it defines.

    Each compilation gets a file name of its own, so two derivatives (or two
    versions of one) never show each other's lines.
    """
    filename = f'<adjoint {next(_counter)}: {label or emitted.name}>'
    lines = emitted.source.splitlines(keepends=True)
    # mtime None: linecache.checkcache() leaves the entry alone.
    linecache.cache[filename] = (len(emitted.source), None, lines, filename)
    GENERATED_FILES[filename] = GeneratedFile(emitted.origin, emitted.lines)
    namespace = dict(emitted.namespace)
    exec(compile(emitted.source, filename, 'exec'), namespace)  # noqa: S102
    return namespace[emitted.name]
