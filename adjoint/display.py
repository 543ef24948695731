"""How generated code and derivative objects show in a terminal, IPython and Jupyter.

The point of adjoint is code a person reads, and notebooks are where many read it.
A plain str shows there as one quoted line full of `\\n`; `Code` is a str that
shows as the code it holds, syntax-highlighted in HTML (by Pygments, when it is
installed: an optional extra, imported only when a notebook asks for HTML).
Derivative objects (`Shown`) show a line saying what they are, then their code.
"""

import html
import inspect

from transforms.core.errors import AdjointError


class Code(str):
    """Generated Python source (or printed IR): a str, shown as code.

    Everything a str does it still does — `==`, `in`, `print`, `exec`, slicing,
    and methods return plain str; only how it shows differs: `repr` is the text
    itself (in a terminal, `d.source` reads as code), IPython prints it as it is,
    and Jupyter shows it highlighted (`_repr_html_`).
    """

    __slots__ = ()

    def __repr__(self):
        return str(self).rstrip('\n')

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))

    def _repr_html_(self):
        return highlighted(str(self))


def highlighted(text):
    """`text` as HTML: highlighted as Python by Pygments if it is installed (with
    inline styles, so it needs no style sheet), else escaped in a `<pre>`."""
    try:  # here, not at import: Pygments is optional and slow to import
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return f'<pre>{html.escape(text)}</pre>'
    return highlight(text, PythonLexer(), HtmlFormatter(noclasses=True))


class Shown:
    """A derivative object that shows as what it is and the code it runs.

    A class using it has `_describe()` (its repr: one line saying what it is),
    `.source` (its generated code, a `Code`) and `.helpers` (`{name: Code}` of
    the generated functions that code calls). In IPython the description is
    followed by the code and the names of the helpers; in Jupyter by the
    highlighted code, and each helper's code folded under its name. Code that
    cannot be compiled shows as the error saying why.
    """

    def __repr__(self):
        # Here, not in each class: IPython takes the first of `__repr__` and
        # `_repr_pretty_` that a class along the MRO defines.
        return self._describe()

    def _describe(self):
        return object.__repr__(self)  # for the internal ones: a repr never raises

    def _shown_code(self):
        """(source, helpers), or (None, the AdjointError's message)."""
        try:
            return self.source, self.helpers
        except AdjointError as error:
            return None, str(error)

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))
        if cycle:
            return
        source, helpers = self._shown_code()
        if source is None:
            printer.text(f'\n(no code to show: {helpers})')
            return
        printer.text('\n' + repr(source))
        if helpers:
            printer.text(f'\n# calls the generated {", ".join(helpers)} (see .helpers)')

    def _repr_html_(self):
        head = f'<code>{html.escape(repr(self))}</code>'
        source, helpers = self._shown_code()
        if source is None:
            return f'{head}<p>no code to show: {html.escape(helpers)}</p>'
        parts = [head, source._repr_html_()]
        for name, code in helpers.items():
            parts.append(f'<details><summary>helper <code>{html.escape(name)}</code>'
                         f'</summary>{code._repr_html_()}</details>')
        return '\n'.join(parts)


class Joined:
    """The code of several derivative objects shown as one: the parts of
    `derivative(f, wrt=(0, 1))`, or the jvp of each column a Jacobian would run
    (before it has run)."""

    def __init__(self, parts):
        self.parts = tuple(parts)

    @property
    def source(self):
        return Code('\n'.join(part.source for part in self.parts))

    @property
    def ir(self):
        return Code('\n'.join(part.ir for part in self.parts))

    @property
    def helpers(self):
        return joined_helpers(part.helpers for part in self.parts)


def joined_helpers(dicts):
    """The helpers of several derivative objects, each once."""
    out = {}
    for helpers in dicts:
        out.update(helpers)
    return out


def as_code(sources):
    """`{name: source}` as `{name: Code}`."""
    return {name: Code(text) for name, text in sources.items()}


def describe(fn):
    """`fn` named in a derivative object's repr: its qualified name, or an adjoint
    object's own description, in parentheses (`(adjoint.grad of f wrt x)`)."""
    if isinstance(fn, Shown):
        return f'({repr(fn).strip("<>")})'
    return getattr(fn, '__qualname__', None) or repr(fn)


def wrt_text(fn, wrt):
    """`wrt` (an index or name, or a tuple of them) as names of `fn`'s parameters,
    where they can be found (derivative objects wrap the function they are of)."""
    try:
        params = [p.name for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    names = []
    for item in wrt if isinstance(wrt, (tuple, list)) else (wrt,):
        known = isinstance(item, int) and not isinstance(item, bool) and \
            -len(params) <= item < len(params)
        names.append(params[item] if known else str(item))
    return ', '.join(names)
