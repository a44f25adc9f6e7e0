"""`--config-dir` moves the log exactly as $TGTUI_CONFIG_DIR does ($TGTUI_LOG_DIR still
wins), for the TUI and every sub-command, and every message that names the log names it."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tgtui.cli import main


@pytest.fixture
def plain_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user with neither variable set and their own home: returns the home folder."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("TGTUI_LOG_DIR", "TGTUI_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    return home


def _logs_in(folder: Path) -> list[Path]:
    return sorted(folder.rglob("tgtui.log")) if folder.exists() else []


def _tgtui(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tgtui", *argv],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )


def test_sub_commands_log_into_the_config_dir_and_say_so(plain_user: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "srv-tg"
    for command in (["status"], ["list"], ["secrets", "where"]):
        res = _tgtui("--config-dir", str(cfg), *command)
        assert res.returncode == 0, res.stderr
    doctor = _tgtui("--config-dir", str(cfg), "doctor", "--no-network")
    log = cfg.resolve() / "logs" / "tgtui.log"
    assert f"Log        {log}" in doctor.stdout
    assert log.is_file() and stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert _logs_in(plain_user) == []  # nothing in ~/.local/state (or anywhere in $HOME)


def test_log_dir_variable_still_wins(plain_user: Path, tmp_path: Path) -> None:
    os.environ["TGTUI_LOG_DIR"] = str(tmp_path / "my-logs")
    try:
        res = _tgtui("--config-dir", str(tmp_path / "cfg"), "doctor", "--no-network")
    finally:
        del os.environ["TGTUI_LOG_DIR"]
    assert f"Log        {tmp_path / 'my-logs' / 'tgtui.log'}" in res.stdout
    assert _logs_in(tmp_path / "cfg") == [] and _logs_in(plain_user) == []


def test_an_unexpected_error_names_the_log_in_the_config_dir(
    plain_user: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from tgtui.accounts import AccountStore

    def broken(self: AccountStore) -> list[object]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(AccountStore, "accounts", broken)
    cfg = tmp_path / "cfg"
    assert main(["--config-dir", str(cfg), "secrets", "where"]) == 2
    log = cfg.resolve() / "logs" / "tgtui.log"
    assert f"details in {log}" in capsys.readouterr().err
    assert "RuntimeError: disk on fire" in log.read_text()
    assert _logs_in(plain_user) == []


def test_the_tui_logs_into_the_config_dir(
    plain_user: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tgtui.ui import app as app_module
    from tgtui.ui.errors import log_path

    seen: list[str] = []

    async def look_and_quit(pilot) -> None:  # noqa: ANN001 - textual's Pilot
        await pilot.pause()
        seen.append(log_path())
        logging.getLogger("tgtui.ui").warning("written while the TUI runs")
        pilot.app.exit()

    original = app_module.TgtuiApp.run

    def headless_run(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        return original(self, headless=True, auto_pilot=look_and_quit)

    monkeypatch.setattr(app_module.TgtuiApp, "run", headless_run)
    cfg = tmp_path / "cfg"
    assert main(["--config-dir", str(cfg)]) == 0
    log = cfg.resolve() / "logs" / "tgtui.log"
    assert seen == [str(log)]  # "Details in the log: ..." names this file
    assert "written while the TUI runs" in log.read_text()
    assert _logs_in(plain_user) == []


def test_config_dir_flag_wins_over_the_variable_for_the_log_too(
    plain_user: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("TGTUI_CONFIG_DIR", str(tmp_path / "from-env"))
    cfg = tmp_path / "from-flag"
    assert main(["--config-dir", str(cfg), "doctor", "--no-network"]) == 0
    assert f"Log        {cfg.resolve() / 'logs' / 'tgtui.log'}" in capsys.readouterr().out
    assert (cfg / "logs" / "tgtui.log").is_file()
    assert _logs_in(tmp_path / "from-env") == [] and _logs_in(plain_user) == []
