"""Shared pytest set-up: IR verification after every pass, the `--regen-golden`
option and the `golden` fixture."""

import difflib
import os
import pathlib

import pytest

GOLDEN = pathlib.Path(__file__).parent / 'golden'


def pytest_configure(config):
    """Verify the IR after every compiler pass in every test (transforms/core/verify.py),
    so a pass that breaks an invariant is named where it does, not found later as
    a wrong number. Set before any test imports `transforms`, which reads it once;
    subprocesses (the CLI's tests) inherit it. `ADJOINT_VERIFY=0` turns it off,
    to time the suite without it."""
    os.environ.setdefault('ADJOINT_VERIFY', '1')


def pytest_addoption(parser):
    parser.addoption('--regen-golden', action='store_true', default=False,
                     help='rewrite the golden files under tests/golden/ from the current '
                          'output instead of comparing (also: ADJOINT_REGEN_GOLDEN=1)')


def regenerating(config):
    """Whether golden files are being rewritten rather than compared."""
    return config.getoption('--regen-golden') or os.environ.get('ADJOINT_REGEN_GOLDEN') == '1'


@pytest.fixture
def golden(request):
    """`golden(path, text)`: compare `text` with the golden file at `path` (relative
    to tests/golden/), failing with a unified diff; rewrite it when regenerating."""
    regen = regenerating(request.config)

    def check(path, text):
        path = GOLDEN / path
        if regen:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text() != text:
                path.write_text(text)
            return
        if not path.exists():
            pytest.fail(f'missing golden file {path.relative_to(GOLDEN.parent)}; create it '
                        f'with: pytest tests/test_golden.py --regen-golden', pytrace=False)
        expected = path.read_text()
        if text != expected:
            name = str(path.relative_to(GOLDEN.parent))
            diff = ''.join(difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True),
                fromfile=f'{name} (golden)', tofile=f'{name} (now)'))
            pytest.fail(f'output differs from the golden file; if the change is right, '
                        f'review it and rerun with --regen-golden\n{diff}', pytrace=False)
    return check


@pytest.fixture(scope='session')
def rule_wrappers(tmp_path_factory):
    """The generated module of rule wrappers (tests/rule_sweep.py), shared by the
    reverse and the forward registry sweeps: what one compiles, the other reuses."""
    import sys

    from tests.rule_sweep import import_wrappers
    module = import_wrappers(tmp_path_factory.mktemp('rules'))
    yield module
    del sys.modules['rule_wrappers']


def pytest_collection_modifyitems(session, config, items):
    """Run the forward registry sweep (test_jvp_rules.py) right after the reverse
    one (test_rules.py): they differentiate the same wrappers, so the gradients
    one compiles are cached for the other — unless a test in between clears
    adjoint's cache (test_readme.py does), which costs the suite ~10 s."""
    def module(item):
        return item.nodeid.split('::')[0].rsplit('/', 1)[-1]
    forward = [item for item in items if module(item) == 'test_jvp_rules.py']
    reverse = [k for k, item in enumerate(items) if module(item) == 'test_rules.py']
    if not forward or not reverse:
        return
    rest = [item for item in items if module(item) != 'test_jvp_rules.py']
    at = max(k for k, item in enumerate(rest) if module(item) == 'test_rules.py') + 1
    items[:] = rest[:at] + forward + rest[at:]
