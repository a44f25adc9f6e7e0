"""Shared test set-up: every test gets its own config and log dirs, never the developer's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point tgtui's config and log dirs at fresh temp folders for each test."""
    base = tmp_path_factory.mktemp("tgtui-home")
    monkeypatch.setenv("TGTUI_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("TGTUI_LOG_DIR", str(base / "log"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    if not os.environ.get("TGTUI_REAL_KEYRING"):
        monkeypatch.setenv("TGTUI_KEYRING", "off")


@pytest.fixture
def config_root(tmp_path: Path) -> Path:
    """A prepared, empty config folder."""
    from tgtui.config import prepare

    return prepare(tmp_path / "cfg")
