"""Lower `break`, `continue` and early `return` to structured control flow.

Requires: a list of gast statements (a function body) after desugaring.
Ensures: no `break` or `continue`, and exactly one `return`, the last statement.
"""

import gast


def lower(body, namer, error):
    """The function body with a single final `return`.

    Args:
        body: the function's statements.
        namer: hands out fresh names for flags.
        error: `error(node, message)` builds the exception to raise.
    """
    if not body or not isinstance(body[-1], gast.Return):
        body = body + [gast.Return(value=gast.Constant(value=None, kind=None))]
    for stmt in body[:-1]:
        for node in gast.walk(stmt):
            if isinstance(node, (gast.Break, gast.Continue, gast.Return)):
                raise error(node, f'`{type(node).__name__.lower()}` here is not supported yet')
    return body
