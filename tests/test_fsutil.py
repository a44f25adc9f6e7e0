"""Atomic, private writes: the file on disk is always the old or the new one, never torn."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tgtui.accounts import fsutil
from tgtui.accounts.fsutil import atomic_write, ensure_dir


class Crash(Exception):
    """Stands in for the process dying at a given step."""


@pytest.mark.parametrize("step", ["written", "synced", "replaced"])
def test_crash_at_each_step_leaves_old_or_new(tmp_path: Path, step: str, monkeypatch) -> None:
    target = tmp_path / "account.toml"
    atomic_write(target, "old = 1\n")

    def crash(name: str) -> None:
        if name == step:
            raise Crash(name)

    monkeypatch.setattr(fsutil, "_crash_hook", crash)
    with pytest.raises(Crash):
        atomic_write(target, "new = 2\n" * 1000)
    text = target.read_text()
    if step == "replaced":
        assert text == "new = 2\n" * 1000
    else:
        assert text == "old = 1\n"
    # no temp file is left behind to confuse anyone
    assert [p.name for p in tmp_path.iterdir()] == ["account.toml"]


def test_files_and_folders_private_even_with_umask_000(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        folder = ensure_dir(tmp_path / "a" / "b" / "c")
        atomic_write(folder / "x.toml", "k = 1\n")
    finally:
        os.umask(old)
    for path in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "x.toml").stat().st_mode) == 0o600


def test_existing_public_file_becomes_private_on_rewrite(tmp_path: Path) -> None:
    target = tmp_path / "f.toml"
    target.write_text("a = 1\n")
    os.chmod(target, 0o644)
    atomic_write(target, "a = 2\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
