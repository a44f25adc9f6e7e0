"""Everything tgtui creates is private (folders 0700, files 0600), even under umask 000,
and `tgtui doctor` flags a session file that others can read.

The flows run in a child process that sets umask 000 first (perm_child.py): a login with
a code (pending folder, session file, secrets.toml), a flood deadline (ledger), a health
check (status rewrite, session lock), remove/restore (trash), an import (staging folder),
config.toml, and the CLI's crash log. Then both trees are walked.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reliability.support import figures, make_world
from tgtui.accounts import Account
from tgtui.cli import main
from tgtui.commands import common

CHILD = Path(__file__).with_name("perm_child.py")
TESTS = Path(__file__).parent.parent


def walk(top: Path) -> tuple[int, list[str]]:
    """(paths seen, paths that are not 0700 folders / 0600 files) under and including `top`."""
    seen, bad = 0, []
    for path in [top, *sorted(top.rglob("*"))]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        want = 0o700 if path.is_dir() else 0o600
        seen += 1
        if mode != want:
            bad.append(f"{mode:04o} {path.relative_to(top.parent)}")
    return seen, bad


def env_for_child() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    return env


def test_everything_created_under_umask_000_is_private(tmp_path: Path) -> None:
    """Config tree and log dir, created from nothing under umask 000: 0700 / 0600 only."""
    root, logs = tmp_path / "new" / "cfg", tmp_path / "newlog" / "log"
    out = subprocess.run(
        [sys.executable, str(CHILD), str(root), str(logs)],
        env=env_for_child(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and "DONE" in out.stdout, out.stderr
    seen_cfg, bad_cfg = walk(tmp_path / "new")
    seen_log, bad_log = walk(tmp_path / "newlog")
    kinds = sorted({p.name for p in root.rglob("*") if p.is_file()} | {"tgtui.log"})
    figures(
        "permissions.umask000",
        paths_checked=seen_cfg + seen_log,
        not_private=len(bad_cfg + bad_log),
        file_kinds=kinds,
    )
    assert (root / "trash").is_dir() and list((root / "pending" / "ledger").iterdir())
    assert (logs / "tgtui.log").is_file()
    assert bad_cfg + bad_log == []


def test_the_tui_log_file_is_private_under_umask_000(tmp_path: Path) -> None:
    """The TUI's own log file (setup_logging) is 0600 in 0700 folders under umask 000."""
    logs = tmp_path / "newlog" / "log"
    code = (
        "import logging, os; os.umask(0)\n"
        "from tgtui.ui.errors import setup_logging\n"
        "setup_logging(); logging.getLogger('tgtui.test').warning('x')\n"
    )
    env = dict(os.environ, TGTUI_LOG_DIR=str(logs))
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert (logs / "tgtui.log").is_file()
    _, bad = walk(tmp_path / "newlog")
    assert bad == []


def test_doctor_flags_a_session_file_others_can_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """chmod 0644 on a session file: `tgtui doctor` exits 1 and names it with the fix."""
    tg, sim, _ = make_world(tmp_path / "cfg")
    staging = tmp_path / "s.session"
    sim.authorize_session(staging, "+15555550101", 611335)
    account = tg.store.create(
        Account(name="acct", api_id=611335, phone="+15555550101"),
        "d524b414d21f4d37f08684c1df41ac9c",
        session_file=staging,
    )
    with common.override_telegram(tg):
        assert main(["doctor", "--no-network"]) == 0
        clean = capsys.readouterr().out
        os.chmod(account.session_path, 0o644)
        code = main(["doctor", "--no-network"])
        out = capsys.readouterr().out
    assert "No problems found" in clean
    assert code == 1
    assert str(account.session_path) in out and "0644" in out and "chmod 600" in out
    figures("permissions.doctor", exit_clean=0, exit_exposed=code)
