"""A Jupyter notebook run in a real kernel (issue 16, "How it will be checked"):
define a function, show a derivative (rich output with highlighted code), raise
inside generated code and find the user's line in the traceback.

Needs the optional test extra `notebook` (nbclient, nbformat, ipykernel); skipped
without it. The kernel is this Python, with this process's environment (so the
adjoint under test, by PYTHONPATH or as installed)."""

import importlib.metadata
import re

import pytest

nbclient = pytest.importorskip('nbclient')
nbformat = pytest.importorskip('nbformat')
pytest.importorskip('ipykernel')
pytest.importorskip('pygments')  # a Jupyter kernel has it: IPython depends on it

CELLS = {
    'import': 'import math\n\nimport numpy as np\n\nimport adjoint',
    'define': 'def f(x):\n    y = np.sin(x)\n    return y * x',
    'show': 'adjoint.grad(f)',
    'source': 'd = adjoint.grad(f)\nd(0.5)\nd.source',
    'raise': 'def g(x):\n    shifted = x - 10.0\n    return math.log(shifted) * x\n\n'
             'adjoint.grad(g)(2.0)',
}
ANSI = re.compile(r'\x1b\[[0-9;]*m')


@pytest.fixture(scope='module')
def outputs(tmp_path_factory):
    """{cell name: its outputs}, of the notebook run once in a fresh kernel."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS.values()]
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name='python3', allow_errors=True,
        resources={'metadata': {'path': str(tmp_path_factory.mktemp('notebook'))}})
    client.execute()
    return {name: cell.outputs for name, cell in zip(CELLS, notebook.cells)}


def rich(outputs):
    """The one execute_result's data, by MIME type."""
    results = [o for o in outputs if o.output_type == 'execute_result']
    assert len(results) == 1, outputs
    return results[0].data


def test_the_notebook_defines_and_differentiates(outputs):
    for name in ('import', 'define'):
        assert not [o for o in outputs[name] if o.output_type == 'error'], outputs[name]


def test_a_derivative_shows_as_highlighted_code(outputs):
    data = rich(outputs['show'])
    assert data['text/plain'].startswith('<adjoint.grad of f wrt x>\ndef grad_f(x):\n')
    html = data['text/html']
    assert html.startswith('<code>&lt;adjoint.grad of f wrt x&gt;</code>')
    # Pygments' inline styles around the generated function's name and keywords
    assert re.search(r'<span style="[^"]*">grad_f</span>', html)
    assert re.search(r'<span style="[^"]*">return</span>', html)


def test_source_shows_as_code_not_a_quoted_string(outputs):
    data = rich(outputs['source'])
    assert data['text/plain'].startswith('def grad_f(x):\n    # line 2: y = np.sin(x)')
    assert '\\n' not in data['text/plain']
    assert re.search(r'<span style="[^"]*">def</span>', data['text/html'])


def error_text(outputs):
    errors = [o for o in outputs if o.output_type == 'error']
    assert len(errors) == 1, outputs
    return errors[0].ename, ANSI.sub('', '\n'.join(errors[0].traceback))


def test_an_error_in_generated_code_is_raised(outputs):
    ename, _ = error_text(outputs['raise'])
    assert ename == 'ValueError'


IPYTHON_SHOWS_NOTES = pytest.mark.skipif(
    tuple(int(part) for part in importlib.metadata.version('ipython').split('.')[:2]) < (8, 15),
    reason='IPython shows exception notes from 8.15 on (ipython/ipython#14039)')


@IPYTHON_SHOWS_NOTES
def test_the_traceback_names_the_users_line(outputs):
    _, text = error_text(outputs['raise'])
    # After the error's message, where notes are printed: the frames above show
    # the cell's lines, and the generated lines with their `# line 3:` comments.
    notes = text.split('ValueError: math domain error', 1)[1]
    assert 'return math.log(shifted) * x' in notes
    assert re.search(r'\.py:3\b', notes)  # the cell's file, line 3


def test_no_frame_of_adjoint_sits_between_the_cell_and_the_generated_code(outputs):
    _, text = error_text(outputs['raise'])
    frames = re.findall(r'^(?:Cell In\[\d+\]|File [^\n]*?)(?=[,:])', text, re.M)
    assert [f.split()[0] for f in frames] == ['Cell', 'File'], frames
    assert 'File <adjoint' in text
