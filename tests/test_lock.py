"""The per-account lock names its holder and never outlives a dead process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tgtui.accounts.lock import AccountInUse, AccountLock, read_holder

HOLD = """
import sys, time
from tgtui.accounts.lock import AccountLock
lock = AccountLock(sys.argv[1]).acquire()
print("held", flush=True)
time.sleep(60)
"""


def _spawn_holder(folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_holder_gets_pid_and_command(tmp_path: Path) -> None:
    proc = _spawn_holder(tmp_path)
    try:
        with pytest.raises(AccountInUse) as info:
            AccountLock(tmp_path, "work").acquire()
        assert info.value.holder is not None
        assert info.value.holder.pid == proc.pid
        assert f"pid {proc.pid}" in str(info.value)
        assert "python" in info.value.holder.command
        assert "database is locked" not in str(info.value)
        assert read_holder(tmp_path).pid == proc.pid  # type: ignore[union-attr]
    finally:
        proc.kill()
        proc.wait()


def test_lock_of_killed_process_is_free_again(tmp_path: Path) -> None:
    proc = _spawn_holder(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while read_holder(tmp_path) is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    with AccountLock(tmp_path, "work") as lock:
        assert lock.held
        assert read_holder(tmp_path) is not None


def test_two_locks_in_one_process_conflict_and_release(tmp_path: Path) -> None:
    first = AccountLock(tmp_path, "work").acquire()
    with pytest.raises(AccountInUse):
        AccountLock(tmp_path, "work").acquire()
    first.release()
    first.release()  # twice is harmless
    assert read_holder(tmp_path) is None
    with AccountLock(tmp_path, "work"):
        pass
    assert (tmp_path / "session.lock").stat().st_mode & 0o077 == 0
