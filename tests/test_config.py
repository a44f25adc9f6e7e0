"""Where tgtui keeps things, and settings that do not parse."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tgtui.accounts import ConfigFileError
from tgtui.config import Settings, config_dir, prepare


def test_config_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGTUI_CONFIG_DIR", str(tmp_path / "env"))
    assert config_dir() == (tmp_path / "env").resolve()
    assert config_dir(tmp_path / "flag") == (tmp_path / "flag").resolve()
    monkeypatch.delenv("TGTUI_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir() == tmp_path / "xdg" / "tgtui"


def test_prepare_makes_the_layout_private(tmp_path: Path) -> None:
    root = prepare(tmp_path / "cfg")
    for folder in (root, root / "accounts", root / "trash"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_settings_defaults_roundtrip_and_errors(tmp_path: Path) -> None:
    root = prepare(tmp_path / "cfg")
    assert Settings.load(root) == Settings()
    Settings(refresh_interval=30, concurrency=4).save(root)
    assert Settings.load(root).concurrency == 4
    (root / "config.toml").write_text('refresh_interval = 30\nconcurrency = "many"\n')
    with pytest.raises(ConfigFileError) as info:
        Settings.load(root)
    assert info.value.line == 2 and "concurrency" in str(info.value)
    (root / "config.toml").write_text("concurrency = 0\n")
    with pytest.raises(ConfigFileError, match="above 0"):
        Settings.load(root)


def test_config_dir_env_moves_the_log_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tgtui.config import log_dir
    from tgtui.logfile import setup_logging

    monkeypatch.delenv("TGTUI_LOG_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("TGTUI_CONFIG_DIR", str(tmp_path / "elsewhere"))
    assert log_dir() == (tmp_path / "elsewhere").resolve() / "logs"
    path = setup_logging()
    assert path is not None and path.parent == log_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("TGTUI_LOG_DIR", str(tmp_path / "logs-here"))
    assert log_dir() == tmp_path / "logs-here"  # its own variable still wins
