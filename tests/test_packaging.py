"""What the package says about itself: license, version, URLs, changelog, error names.

These read the files a source distribution ships (pyproject.toml, LICENSE,
CHANGELOG.md) and the metadata of the installed distribution, so that the
version is written once and the metadata points at real places.
"""

import importlib.metadata
import inspect
import pathlib
import pickle
import re
import tomllib
import traceback

import pytest

import adjoint
from transforms.core import errors

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / 'pyproject.toml').read_text())
ERROR_CLASSES = [cls for _, cls in inspect.getmembers(errors, inspect.isclass)
                 if issubclass(cls, adjoint.AdjointError)]


# ----------------------------------------------------------------------- license


def test_license_file_is_the_apache_license_the_metadata_names():
    assert PROJECT['project']['license'] == 'Apache-2.0'
    assert PROJECT['project']['license-files'] == ['LICENSE']
    text = (ROOT / 'LICENSE').read_text()
    assert text.split()[:4] == ['Apache', 'License', 'Version', '2.0,']
    # The whole text: its nine sections and the appendix, not an excerpt.
    sections = re.findall(r'^\s+(\d)\. (\w[\w ]*)\.', text, flags=re.MULTILINE)
    assert [number for number, _ in sections] == [str(n) for n in range(1, 10)]
    assert 'END OF TERMS AND CONDITIONS' in text
    assert 'APPENDIX: How to apply the Apache License to your work.' in text
    assert len(text.split()) > 1500


# ----------------------------------------------------------------------- version


def test_the_version_is_written_once_as_adjoint_version():
    project = PROJECT['project']
    assert 'version' not in project and 'version' in project['dynamic']
    attr = PROJECT['tool']['setuptools']['dynamic']['version']['attr']
    assert attr == 'adjoint.__version__'
    assert re.fullmatch(r'\d+\.\d+\.\d+', adjoint.__version__)


def test_setuptools_reads_the_version_adjoint_has():
    expand = pytest.importorskip('setuptools.config.expand')
    attr = PROJECT['tool']['setuptools']['dynamic']['version']['attr']
    assert expand.read_attr(attr, root_dir=str(ROOT)) == adjoint.__version__


def test_installed_metadata_has_adjoints_version():
    try:
        installed = importlib.metadata.version('adjoint')
    except importlib.metadata.PackageNotFoundError:
        pytest.skip('adjoint is not installed (pip install -e .)')
    assert installed == adjoint.__version__


def test_version_option_prints_it(capsys):
    from adjoint import cli
    with pytest.raises(SystemExit):
        cli.main(['--version'])
    assert capsys.readouterr().out == f'adjoint {adjoint.__version__}\n'


# -------------------------------------------------------------------------- URLs


def test_project_urls_point_at_the_repository():
    urls = PROJECT['project']['urls']
    assert set(urls) == {'Homepage', 'Documentation', 'Changelog', 'Issues'}
    home = urls['Homepage']
    assert re.fullmatch(r'https://github\.com/[\w-]+/adjoint', home)
    assert urls['Issues'] == f'{home}/issues'
    assert urls['Documentation'] == f'{home}/tree/main/docs'
    assert urls['Changelog'] == f'{home}/blob/main/CHANGELOG.md'
    for path in ('docs', 'CHANGELOG.md'):
        assert (ROOT / path).exists()


# --------------------------------------------------------------------- changelog


def test_changelog_has_unreleased_and_the_current_version():
    text = (ROOT / 'CHANGELOG.md').read_text()
    headings = re.findall(r'^## \[([^\]]+)\]', text, flags=re.MULTILINE)
    assert headings[0] == 'Unreleased'
    assert adjoint.__version__ in headings[1:]
    for heading in headings:  # Keep a Changelog: each heading links to its changes
        assert re.search(rf'^\[{re.escape(heading)}\]: https://', text, flags=re.MULTILINE)


# ------------------------------------------------------------------------ errors


def test_every_error_class_is_exported_under_adjoints_name():
    assert len(ERROR_CLASSES) == 9
    for cls in ERROR_CLASSES:
        assert cls.__module__ == 'adjoint'
        assert getattr(adjoint, cls.__name__) is cls and cls.__name__ in adjoint.__all__


def test_traceback_names_adjoint_error():
    def f(x):
        with open(x):
            pass
        return x
    with pytest.raises(adjoint.UnsupportedSyntaxError) as info:
        adjoint.grad(f)(1.0)
    shown = ''.join(traceback.format_exception(info.value))
    assert '\nadjoint.UnsupportedSyntaxError: ' in shown
    assert 'transforms.core.errors' not in shown


@pytest.mark.parametrize('error', [
    adjoint.AdjointError('plain'),
    adjoint.InternalError('a bug'),
    adjoint.NonScalarOutputError('not a scalar'),
    adjoint.NoSourceError('no source'),
    adjoint.SourceError('bad', 'model.py', 3, '    return x\n'),
    adjoint.UnsupportedSyntaxError('`with`', 'model.py', 2, 'with open(a):'),
    adjoint.UnknownCallableError('no rule', 'model.py', 5),
    adjoint.UndefinedNameError('unbound', 'model.py'),
], ids=lambda error: type(error).__name__)
def test_errors_pickle_by_their_adjoint_name(error):
    data = pickle.dumps(error)
    assert b'transforms' not in data
    loaded = pickle.loads(data)
    assert type(loaded) is type(error)
    assert str(loaded) == str(error)
    assert vars(loaded) == vars(error)  # file, line and source line of a SourceError
