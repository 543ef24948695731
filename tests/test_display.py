"""How generated code and derivative objects show (adjoint/display.py; issue 16,
Notebooks): `Code` is a str that shows as code; every derivative object has a
one-line repr, shows its code in IPython and, highlighted, in Jupyter; `.source`
works before the first call; `.helpers` has the code of every helper called."""

import builtins
import html as html_module
import pathlib
import pickle
import subprocess
import sys

import numpy as np
import pytest

import adjoint
from adjoint.api import specialize
from adjoint.display import Code, highlighted
from adjoint.forward_mode import tangent_source


def layer(w, x):
    return np.tanh(w * x)


def block(w, x):
    return layer(w, x) * 2.0


def loss(w, x):
    return block(w, x) + x * w


def g(x, y):
    return np.sin(x) * y


def no_helpers(x, y):
    return x * x * y


class Model:
    def energy(self, w):
        return 3.0 * w * w


# name -> (make the object, what its repr starts with, the head of its code before a
# call, arguments to call it with)
OBJECTS = {
    'grad': (lambda: adjoint.grad(loss), '<adjoint.grad of loss wrt w>',
             'def grad_loss(w, x):', (0.5, 2.0)),
    'value_and_grad': (lambda: adjoint.value_and_grad(loss, wrt=(0, 1)),
                       '<adjoint.value_and_grad of loss wrt w, x>',
                       'def value_and_grad_loss(w, x):', (0.5, 2.0)),
    'grad of grad': (lambda: adjoint.grad(adjoint.grad(no_helpers)),
                     '<adjoint.grad of (adjoint.grad of no_helpers wrt x) wrt x>',
                     'def grad_grad_no_helpers(x, y):', (0.5, 2.0)),
    'derivative of grad': (lambda: adjoint.derivative(adjoint.grad(g), wrt=1),
                           '<adjoint.derivative of (adjoint.grad of g wrt x) wrt y>',
                           'def derivative_grad_g(x, y):', (0.5, 2.0)),
    'bound method': (lambda: adjoint.grad(Model().energy),
                     '<adjoint.grad of Model.energy wrt w, bound to a Model>',
                     'def grad_energy(self, w):', (0.5,)),
    'derivative': (lambda: adjoint.derivative(loss), '<adjoint.derivative of loss wrt w>',
                   'def derivative_loss(w, x):', (0.5, 2.0)),
    'derivative tuple': (lambda: adjoint.derivative(g, wrt=(0, 'y')),
                         '<adjoint.derivative of g wrt x, y>', 'def derivative_g(x, y):',
                         (0.5, 2.0)),
    'jvp': (lambda: adjoint.jvp(loss), '<adjoint.jvp of loss>',
            'def jvp_loss(w, x, dw, dx):', ((0.5, 2.0), (1.0, 0.0))),
    'jacobian': (lambda: adjoint.jacobian(g), "<adjoint.jacobian of g wrt x, mode='auto'>",
                 'def jvp_g(x, y, dx):', (np.ones(2), 2.0)),
    'jacfwd': (lambda: adjoint.jacfwd(g, argnums=1),
               "<adjoint.jacobian of g wrt y, mode='forward'>", 'def jvp_g(x, y, dy):',
               (np.ones(2), 2.0)),
    'jacrev': (lambda: adjoint.jacrev(g), "<adjoint.jacobian of g wrt x, mode='reverse'>",
               'def g_forward(x, y):', (np.ones(2), 2.0)),
    'jacobian of jacobian': (
        lambda: adjoint.jacobian(adjoint.jacobian(g)),
        "<adjoint.jacobian of (adjoint.jacobian of g wrt x, mode='auto') wrt x, "
        "mode='auto'>", 'def jvp_jvp_g(x, y, dx, dx_1):', (np.ones(2), 2.0)),
    'grad of jacobian': (lambda: adjoint.grad(adjoint.jacobian(g)),
                         "<adjoint.grad of (adjoint.jacobian of g wrt x, mode='auto') wrt x>",
                         'def jvp_jvp_g(x, y, dx, dx_1):', (0.5, 2.0)),
    'hessian': (lambda: adjoint.hessian(loss), '<adjoint.hessian of loss wrt w>',
                'def jvp_grad_loss(w, x, dw):', (0.5, 2.0)),
    'hvp': (lambda: adjoint.hvp(loss, wrt=(0, 1)), '<adjoint.hvp of loss wrt w, x>',
            'def jvp_grad_loss(w, x, dw, dx):', (0.5, 2.0, (1.0, 0.0))),
}


class Printer:
    """What IPython's pretty printer gives `_repr_pretty_`: `text`, `break_`."""

    def __init__(self):
        self.out = []

    def text(self, text):
        self.out.append(text)

    def break_(self):
        self.out.append('\n')


def shown_pretty(obj):
    printer = Printer()
    obj._repr_pretty_(printer, False)
    return ''.join(printer.out)


@pytest.fixture
def without_pygments(monkeypatch):
    """Importing pygments fails, as where it is not installed."""
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == 'pygments' or name.startswith('pygments.'):
            raise ImportError(f'No module named {name!r}')
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, '__import__', fake_import)


# --- Code ----------------------------------------------------------------------------

def test_code_is_still_a_str():
    text = 'def f(x):\n    return x < 2\n'
    code = Code(text)
    assert isinstance(code, str) and code == text and hash(code) == hash(text)
    assert 'return x' in code and code.splitlines() == text.splitlines()
    assert code + '#' == text + '#' and type(code.strip()) is str
    assert f'{code}' == text and str(code) == text
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own test
    assert namespace['f'](1) is True
    assert pickle.loads(pickle.dumps(code)) == text


def test_code_shows_as_the_code_not_a_quoted_str():
    code = Code('def f(x):\n    return x\n')
    assert repr(code) == 'def f(x):\n    return x'
    assert shown_pretty(code) == 'def f(x):\n    return x'


def test_code_in_html_is_highlighted_by_pygments():
    pytest.importorskip('pygments')
    html = Code('def f(x):\n    return x < 2\n')._repr_html_()
    assert '<span style=' in html  # inline styles: no style sheet needed
    assert 'f</span>' in html and '&lt;' in html and 'x < 2' not in html


def test_code_in_html_without_pygments_is_escaped_pre(without_pygments):
    assert Code('x < 2 & y\n')._repr_html_() == '<pre>x &lt; 2 &amp; y\n</pre>'
    assert highlighted('a') == '<pre>a</pre>'


def test_source_and_ir_are_code():
    d = adjoint.grad(g)
    assert type(d.source) is Code and type(d.ir) is Code
    assert type(adjoint.source(d)) is Code and type(adjoint.ir(g)) is Code
    assert repr(adjoint.ir(g)).startswith('def g(x, y):\n')


def test_importing_or_printing_does_not_import_pygments(tmp_path):
    program = tmp_path / 'program.py'  # adjoint reads `f`'s source from a file
    program.write_text('import sys\n'
                       'import adjoint\n'
                       'def f(x):\n    return x * x\n'
                       'd = adjoint.grad(f)\n'
                       'repr(d), repr(d.source), d(1.0)\n'
                       'print(sorted({m.split(".")[0] for m in sys.modules} & '
                       '{"pygments", "IPython"}))\n')
    out = subprocess.run([sys.executable, str(program)], capture_output=True, text=True,
                         check=True, cwd=pathlib.Path(adjoint.__file__).parent.parent)
    assert out.stdout == '[]\n'


# --- derivative objects --------------------------------------------------------------

@pytest.mark.parametrize('name', list(OBJECTS))
def test_every_derivative_object_has_a_one_line_repr(name):
    make, description, _, _ = OBJECTS[name]
    assert repr(make()) == description


@pytest.mark.parametrize('name', list(OBJECTS))
def test_source_before_the_first_call(name):
    make, _, head, _ = OBJECTS[name]
    source = make().source
    assert type(source) is Code
    assert source.startswith(head + '\n')


def test_source_before_a_call_is_the_code_for_arguments_of_unknown_kind():
    assert adjoint.grad(loss).source == specialize(loss)[1]
    assert adjoint.jvp(g).source == tangent_source(g, wrt=(0, 1))
    assert adjoint.derivative(g).source == tangent_source(g, seed_ones=True)
    # and after a call, the code that ran: here for float arguments
    d = adjoint.grad(loss)
    d(0.5, 2.0)
    assert d.source == specialize(loss, kinds={'w': 'float', 'x': 'float'})[1]
    assert d.source != specialize(loss)[1]


@pytest.mark.parametrize('name', list(OBJECTS))
def test_source_after_a_call_is_the_code_that_ran(name):
    make, _, _, args = OBJECTS[name]
    obj = make()
    obj(*args)
    assert type(obj.source) is Code and obj.source.startswith('def ')
    assert shown_pretty(obj).startswith(repr(obj) + '\n' + repr(obj.source))


@pytest.mark.parametrize('name', list(OBJECTS))
def test_ipython_shows_the_description_then_the_code(name):
    obj = OBJECTS[name][0]()
    shown = shown_pretty(obj)
    assert shown.startswith(repr(obj) + '\n' + repr(obj.source))
    if obj.helpers:
        assert shown.endswith(f'# calls the generated {", ".join(obj.helpers)} '
                              f'(see .helpers)')
    else:
        assert shown == repr(obj) + '\n' + repr(obj.source)


@pytest.mark.parametrize('name', list(OBJECTS))
def test_ipython_pretty_printer_uses_it(name):
    # IPython takes the first of __repr__ and _repr_pretty_ along the MRO.
    pretty = pytest.importorskip('IPython.lib.pretty')
    obj = OBJECTS[name][0]()
    assert pretty.pretty(obj) == shown_pretty(obj)
    assert pretty.pretty(obj.source) == repr(obj.source)


@pytest.mark.parametrize('name', list(OBJECTS))
def test_jupyter_shows_the_description_and_highlighted_code(name):
    pytest.importorskip('pygments')
    obj = OBJECTS[name][0]()
    html = obj._repr_html_()
    assert html.startswith(f'<code>{html_module.escape(repr(obj))}</code>\n'
                           f'<div class="highlight"')
    function = OBJECTS[name][2].split()[1].split('(')[0]
    assert f'{function}</span>' in html
    for helper in obj.helpers:
        assert f'<summary>helper <code>{helper}</code></summary>' in html


@pytest.mark.parametrize('name', ['grad', 'jvp', 'hessian', 'jacrev'])
def test_jupyter_without_pygments_shows_escaped_code(name, without_pygments):
    obj = OBJECTS[name][0]()
    html = obj._repr_html_()
    assert '<span' not in html
    assert f'<pre>{html_module.escape(obj.source)}</pre>' in html


def test_a_pullback_shows_the_code_it_runs():
    _, pullback = adjoint.vjp(loss, 0.5, 2.0)
    assert repr(pullback) == '<adjoint.vjp pullback of loss wrt w, x>'
    assert pullback.source.startswith('def loss_forward(w, x):')
    assert '\ndef loss_backward(saved_loss, ' in pullback.source
    assert list(pullback.helpers) == ['block_forward', 'block_backward', 'layer_forward',
                                      'layer_backward']
    assert shown_pretty(pullback).startswith(repr(pullback) + '\n' + repr(pullback.source))


def test_code_that_cannot_be_made_shows_why():
    def constant():
        return 1.0

    shown = adjoint.jvp(constant)
    with pytest.raises(adjoint.AdjointError, match='no positional parameters'):
        shown.source
    assert shown_pretty(shown) == ('<adjoint.jvp of test_code_that_cannot_be_made_shows_why.'
                                   '<locals>.constant>\n(no code to show: jvp: `constant` '
                                   'has no positional parameters, so no tangent code)')
    assert 'no code to show' in shown._repr_html_()


# --- helpers -------------------------------------------------------------------------

def test_helpers_hold_the_code_of_every_helper_called():
    d = adjoint.grad(loss)
    helpers = d.helpers
    # those the code calls, then those they call: block calls layer
    assert list(helpers) == ['block_forward', 'block_backward', 'layer_forward',
                             'layer_backward']
    for name, code in helpers.items():
        assert type(code) is Code and code.startswith(f'def {name}(')
    assert 'block_forward(' in d.source and 'layer_forward(' not in d.source
    assert 'layer_forward(' in helpers['block_forward']
    assert adjoint.grad(no_helpers).helpers == {}


def test_forward_mode_helpers():
    assert list(adjoint.derivative(loss).helpers) == ['block_jvp', 'layer_jvp']
    assert list(adjoint.jvp(loss).helpers) == ['block_jvp', 'layer_jvp']
    hessian = adjoint.hessian(loss)
    hessian(0.5, 2.0)
    assert set(hessian.helpers) >= {'block_forward_jvp', 'block_backward_jvp'}


def test_helpers_of_a_recursive_function_end():
    def power(x, n):
        if n == 0:
            return 1.0
        return x * power(x, n - 1)

    d = adjoint.grad(power)
    assert d(2.0, 3) == pytest.approx(12.0)
    assert list(d.helpers) == ['power_forward', 'power_backward']


def test_two_versions_of_one_helper_are_both_shown():
    def twice(w, x):
        return layer(w, x) + layer(w, w * x)  # x not differentiated, then x too

    d = adjoint.grad(twice)
    d(0.5, 2.0)
    helpers = d.helpers
    assert {'layer_backward', 'layer_backward_1'} <= set(helpers)
    assert sorted('bx' in helpers[name] for name in ('layer_backward', 'layer_backward_1')) \
        == [False, True]
