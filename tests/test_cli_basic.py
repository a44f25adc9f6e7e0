"""The `tgtui` command: version, help, and the store commands, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tgtui import __version__
from tgtui.accounts import Account, AccountStore
from tgtui.accounts.secrets import SecretStore

HASH = "0123456789abcdef0123456789abcdef"


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tgtui", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def _seed(root: Path) -> None:
    from tgtui.config import prepare

    store = AccountStore(prepare(root), SecretStore(mode="off"))
    store.create(Account(name="work", api_id=12345, phone="+15551234567", label="Work"), HASH)


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"tgtui {__version__}"
    out = run("--help").stdout
    for word in ("--demo", "--config-dir", "list", "remove", "trash", "troubleshoot"):
        assert word in out


def test_list_json_and_path(tmp_path: Path) -> None:
    _seed(tmp_path / "cfg")
    res = run("--config-dir", str(tmp_path / "cfg"), "list", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert [a["name"] for a in data["accounts"]] == ["work"]
    assert data["accounts"][0]["phone"] == "+1 555 ••• 67"
    assert HASH not in res.stdout
    res = run("--config-dir", str(tmp_path / "cfg"), "path", "work")
    assert res.stdout.strip() == str((tmp_path / "cfg").resolve() / "accounts/work/session.session")


def test_unknown_account_is_one_line_and_exit_2(tmp_path: Path) -> None:
    res = run("--config-dir", str(tmp_path / "cfg"), "path", "nope")
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "No account named 'nope'" in res.stderr
    assert "Traceback" not in res.stderr


def test_remove_needs_yes_without_a_terminal_then_trash_restore(tmp_path: Path) -> None:
    cfg = str(tmp_path / "cfg")
    _seed(tmp_path / "cfg")
    res = run("--config-dir", cfg, "remove", "work")
    assert res.returncode == 2 and "--yes" in res.stderr
    res = run("--config-dir", cfg, "remove", "work", "--yes")
    assert res.returncode == 0 and "tgtui trash restore work-" in res.stdout
    assert "work-" in run("--config-dir", cfg, "trash", "list").stdout
    assert run("--config-dir", cfg, "trash", "restore", "work").returncode == 0
    assert (
        json.loads(run("--config-dir", cfg, "list", "--json").stdout)["accounts"][0]["name"]
        == "work"
    )


def test_bad_usage_exits_2() -> None:
    res = run("frobnicate")
    assert res.returncode == 2 and "invalid choice" in res.stderr


def test_an_unexpected_error_in_any_command_is_one_line_and_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `list` does not guard itself: the CLI does it for every command.
    from tgtui.cli import main

    def boom(self: object) -> list[object]:
        raise RuntimeError("disk on fire")

    monkeypatch.setenv("TGTUI_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(AccountStore, "accounts", boom)
    rc = main(["--config-dir", str(tmp_path / "cfg"), "list"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "Traceback" not in err and "list failed unexpectedly (RuntimeError)" in err
    assert "disk on fire" in (tmp_path / "logs" / "tgtui.log").read_text()
