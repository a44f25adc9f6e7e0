"""Tests of tgtui's own code never skip silently in CI.

With the environment variable CI set, conftest.py turns a skip into a failure unless its
reason names a missing system tool (tmux, gnome-keyring); the real Secret Service tests
are deselected in the main run (not skipped) and run on their own with
TGTUI_REAL_KEYRING=1. These tests run pytest on small test files with our conftest.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

SAMPLE = '''
import pytest

def test_runs():
    pass

def test_skips_for_no_good_reason():
    pytest.skip("the simulator did not import")

@pytest.mark.skipif(True, reason="not on this machine")
def test_skipif_mark():
    pass

def test_importorskip_of_a_module():
    pytest.importorskip("tgtui_no_such_module")

def test_needs_tmux():
    pytest.skip("tmux is not installed (apt-get install tmux)")

def test_needs_gnome_keyring():
    pytest.skip("gnome-keyring-daemon is not installed")

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_known_bug():
    assert False

@pytest.mark.keyring_real
def test_real_keyring():
    pass
'''

MODULE_SKIP = '''
import pytest

pytest.skip("this module is not for today", allow_module_level=True)

def test_never_collected():
    pass
'''


@pytest.fixture
def sample(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A folder with our conftest.py and the sample test files; CI and the real-keyring
    switch cleared (each test sets what it needs)."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TGTUI_REAL_KEYRING", raising=False)
    pytester.makeconftest((TESTS / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nmarkers =\n    keyring_real: a real Secret Service\n")
    pytester.makepyfile(test_sample=SAMPLE, test_module_skip=MODULE_SKIP)
    return pytester


def test_in_ci_a_skip_fails_the_run_unless_a_system_tool_is_missing(
    sample: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = sample.runpytest_subprocess(
        "-p", "no:cacheprovider", "-rA", "--continue-on-collection-errors"
    )
    # test_skips_for_no_good_reason and the importorskip fail; the skipif mark (a setup
    # skip) and the module-level skip become errors; tmux and gnome-keyring may skip.
    result.assert_outcomes(
        passed=1, failed=2, errors=2, skipped=2, xfailed=1, deselected=1
    )
    assert result.ret != 0
    out = result.stdout.str()
    assert "skipped in CI: the simulator did not import" in out
    assert "skipped in CI: not on this machine" in out
    assert "skipped in CI: this module is not for today" in out
    assert "could not import 'tgtui_no_such_module'" in out
    assert re.search(r"SKIPPED \[1\] test_sample.py:\d+: tmux is not installed", out)
    assert re.search(r"SKIPPED \[1\] test_sample.py:\d+: gnome-keyring-daemon", out)


def test_outside_ci_a_skip_stays_a_skip(sample: pytest.Pytester) -> None:
    result = sample.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=6, xfailed=1, deselected=1)
    assert result.ret == 0


def test_real_keyring_tests_are_selected_only_when_asked_for(
    sample: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    monkeypatch.setenv("TGTUI_REAL_KEYRING", "1")
    result = sample.runpytest_subprocess(
        "-p", "no:cacheprovider", "-m", "keyring_real", "test_sample.py"
    )
    result.assert_outcomes(passed=1, deselected=7)
    assert result.ret == 0


def test_the_real_keyring_file_is_deselected_in_the_main_run_not_skipped(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `.ci/run` does: the README's command, then `-m keyring_real` under dbus."""
    real = str(TESTS / "test_keyring_real.py")
    monkeypatch.setenv("CI", "1")
    monkeypatch.delenv("TGTUI_REAL_KEYRING", raising=False)
    main = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--rootdir", str(REPO), real)
    outcomes = main.parseoutcomes()
    assert "skipped" not in outcomes and "passed" not in outcomes, outcomes
    assert outcomes["deselected"] >= 5
    assert "keyring_real tests deselected" in main.stdout.str()
    monkeypatch.setenv("TGTUI_REAL_KEYRING", "1")
    alone = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--rootdir", str(REPO), "--collect-only", "-m",
        "keyring_real", real,
    )
    assert alone.parseoutcomes().get("tests", alone.parseoutcomes().get("test")) == (
        outcomes["deselected"]
    )


def test_no_test_imports_tgtui_with_importorskip() -> None:
    """If a module of ours stopped importing, importorskip would skip its tests quietly."""
    pattern = re.compile(r"importorskip\(\s*[\"']tgtui[.\"']")
    found = [
        f"{path.relative_to(REPO)}:{n}"
        for path in sorted(TESTS.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == [], "import tgtui's own modules plainly: " + ", ".join(found)

