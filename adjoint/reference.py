"""reference: docs/api.md, the API reference, written from the docstrings.

    python -m adjoint.reference > docs/api.md

The docstrings are the one place each public function is described; this
module lays them out as Markdown, in the order a user meets them, so the page
cannot drift from the code. tests/test_reference.py checks that docs/api.md is
what this writes, that every public name is on it, and that every parameter of
every public function is described in its docstring's `Args:` section.
"""

import inspect
import re
import sys

import adjoint
import adjoint.cache
import adjoint.testing

# (heading, what the section is for, the objects in it by dotted name under `adjoint`)
SECTIONS = (
    ('Derivatives', 'Each takes a Python function and returns a function computing a '
     'derivative; the code is generated on the first call and cached per kind of '
     'argument.',
     ('grad', 'value_and_grad', 'jvp', 'vjp', 'linearize', 'derivative', 'jacobian',
      'jacfwd', 'jacrev', 'hessian', 'hvp')),
    ('Seeing the generated code', 'A derivative shows the code it runs.',
     ('source', 'ir', 'Derivative', 'Code')),
    ('Controlling the derivative', 'Calls that mean something inside a differentiated '
     'function and are the identity outside it.',
     ('stop_gradient', 'insert_grad_of')),
    ('Rules', 'Derivatives of functions adjoint cannot read (C functions, library '
     'calls), or whose derivative you write yourself. See [calls.md](calls.md) and '
     '[rules.md](rules.md).',
     ('vjp_rule', 'jvp_rule', 'nondifferentiable')),
    ('Testing', 'Finite-difference checks, for your tests (see [testing.md](testing.md)).',
     ('testing.check_grads', 'testing.numerical_grad')),
    ('The cache', 'What is compiled, kept while the function lives.',
     ('cache.clear',)),
    ('Errors', 'Every error adjoint raises about your program is an `AdjointError` naming '
     'the file, the line and the source, and saying what to do (see '
     '[errors.md](errors.md)).',
     ('AdjointError', 'SourceError', 'UnsupportedSyntaxError', 'UndefinedNameError',
      'UnknownCallableError', 'NoSourceError', 'NonScalarOutputError', 'BackendError',
      'InternalError')),
)

SECTION_NAMES = ('Args', 'Returns', 'Raises', 'Yields')


def documented_names():
    """Every dotted name the reference shows, in order."""
    return [name for _, _, names in SECTIONS for name in names]


def resolve(name):
    """The object `adjoint.<name>`."""
    obj = adjoint
    for part in name.split('.'):
        obj = getattr(obj, part)
    return obj


def page():
    """The Markdown text of docs/api.md."""
    parts = ['# API reference\n',
             'Written from the docstrings by `python -m adjoint.reference > docs/api.md`; '
             'tests/test_reference.py checks that it is current. '
             '[usage.md](usage.md) shows the calls at work.\n']
    for heading, about, names in SECTIONS:
        parts.append(f'## {heading}\n\n{about}\n')
        for name in names:
            parts.append(_entry(name, resolve(name)))
    return '\n'.join(parts)


def _entry(name, obj):
    if inspect.isclass(obj):
        return _class_entry(name, obj)
    return f'### `adjoint.{name}{_signature(obj)}`\n\n{markdown(inspect.getdoc(obj))}'


def _class_entry(name, cls):
    if cls.__name__[0].islower():  # a class used like a function (`insert_grad_of`)
        return f'### `adjoint.{name}{_signature(cls)}`\n\n{markdown(inspect.getdoc(cls))}'
    base = next((b for b in cls.__mro__[1:] if b.__module__ == 'adjoint'), None)
    kind = f'subclass of `adjoint.{base.__name__}`' if base is not None else 'class'
    text = [f'### `adjoint.{name}`\n\n*{kind}*\n\n{markdown(inspect.getdoc(cls))}']
    if issubclass(cls, BaseException):
        return ''.join(text)
    for member in sorted(vars(cls)):
        value = vars(cls)[member]
        if member.startswith('_') or not (callable(value) or isinstance(value, property)):
            continue
        shown = f'.{member}' if isinstance(value, property) else \
            f'.{member}{_signature(value, skip_self=True)}'
        text.append(f'#### `{shown}`\n\n{markdown(inspect.getdoc(value))}')
    return '\n'.join(text)


def _signature(fn, skip_self=False):
    signature = inspect.signature(fn)
    if skip_self:
        params = list(signature.parameters.values())[1:]
        signature = signature.replace(parameters=params)
    return str(signature)


def markdown(doc):
    """A Google-style docstring as Markdown: the `Args:`, `Returns:`, `Raises:`
    sections as lists, indented blocks (examples) as code."""
    out, section, code = [], None, []

    def flush_code():
        if code:
            while code and not code[-1].strip():
                code.pop()
            out.extend(['```py', *code, '```', ''])
            code.clear()

    for line in (doc or '').splitlines():
        header = line.rstrip(':')
        if line.endswith(':') and header in SECTION_NAMES:
            flush_code()
            section = header
            if out and out[-1]:
                out.append('')
            out.extend([f'**{section}**', ''])
            continue
        if section and line.strip() and not line.startswith(' '):
            section = None
            out.append('')
        if section is None:
            if line.startswith('    ') or (code and not line.strip()):
                code.append(line[4:])
            else:
                flush_code()
                out.append(line)
            continue
        if not line.strip():
            continue
        if section in ('Args', 'Raises') and not line.startswith('        '):
            names, _, text = line.strip().partition(':')
            shown = ', '.join(f'`{n.strip()}`' for n in names.split(','))
            out.append(f'- {shown}:{text}')
        else:
            out.append(('  ' if section in ('Args', 'Raises') else '') + line.strip())
    flush_code()
    return '\n'.join(out).strip() + '\n'


def documented_parameters(doc):
    """The parameter names the `Args:` section of `doc` describes (`*args` as
    `args`; `a, b: ...` describes both)."""
    names, in_args = set(), False
    for line in (doc or '').splitlines():
        if line.endswith(':') and line.rstrip(':') in SECTION_NAMES:
            in_args = line == 'Args:'
            continue
        if in_args and line.startswith('    ') and not line.startswith('        '):
            head, colon, _ = line.strip().partition(':')
            if colon:
                names.update(re.sub(r'[`*\s]', '', n) for n in head.split(','))
        elif in_args and line.strip() and not line.startswith(' '):
            in_args = False
    return names


if __name__ == '__main__':
    sys.stdout.write(page())
