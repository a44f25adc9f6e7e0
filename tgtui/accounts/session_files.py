"""Moving Telethon session files into place: 0600, fsynced, atomic, journals handled.

A session file is a bearer credential, so these are the only functions that put one
into an account folder. Each one makes the file durable (fsync) and private (0600)
before the `os.replace` that publishes it, then fsyncs the folder so the rename
survives a crash. SQLite side files (`-journal`, `-wal`, `-shm`) travel with the
session; a stale journal left beside the old session is deleted first, because SQLite
would otherwise "roll it back" into the new file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets as _random
import shutil
import time
from pathlib import Path

from tgtui.accounts.fsutil import FILE_MODE, ensure_dir, fsync_dir
from tgtui.accounts.lock import AccountInUse, AccountLock

SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
LEDGER = "ledger"  # the folder of flood-wait records inside pending/, never tidied


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(source: Path, target: Path) -> None:
    """fsync, chmod 0600 and rename `source` over `target` (same file system)."""
    _fsync_file(source)
    os.chmod(source, FILE_MODE)
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        # Another file system (a pending folder elsewhere): copy next to the target first.
        tmp = target.with_name(f".{target.name}.{_random.token_hex(6)}.tmp")
        shutil.copyfile(source, tmp)
        os.chmod(tmp, FILE_MODE)
        _fsync_file(tmp)
        os.replace(tmp, target)
        os.unlink(source)


def install_session(source: Path, target: Path) -> Path:
    """Make `source` (a closed Telethon session) the session at `target`; returns `target`.

    The target's folder must exist. Whatever session was at `target` is replaced in one
    rename: a crash leaves the old session or the new one, never a mix.
    """
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise FileNotFoundError(f"no session file at {source}")
    for suffix in SIDE_SUFFIXES:  # stale side files of the old session go first
        with contextlib.suppress(FileNotFoundError):
            os.unlink(str(target) + suffix)
    for suffix in SIDE_SUFFIXES:  # side files of the new one (rare: the session is closed)
        side = Path(str(source) + suffix)
        if side.exists():
            _publish(side, Path(str(target) + suffix))
    _publish(source, target)
    fsync_dir(target.parent)
    return target


def lock_patiently(lock: AccountLock, wait: float) -> AccountLock:
    """Acquire `lock`; wait up to `wait` seconds if this very process holds it (its own
    health check ends within seconds), but fail at once for another program."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return lock.acquire()
        except AccountInUse as exc:
            ours = exc.holder is not None and exc.holder.pid == os.getpid()
            if not ours or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def new_pending(root: Path, prefix: str) -> Path:
    """A fresh private folder `<root>/<prefix>-<random>` for a session not yet saved."""
    ensure_dir(root)
    return ensure_dir(Path(root) / f"{prefix}-{_random.token_hex(4)}")


def tidy_pending(root: Path, now: float, max_age: float) -> int:
    """Delete folders under `root` older than `max_age` seconds; how many went."""
    root = Path(root)
    if not root.is_dir():
        return 0
    removed = 0
    for item in root.iterdir():
        if not item.is_dir() or item.name == LEDGER:
            continue
        try:
            age = now - item.stat().st_mtime
        except OSError:
            continue
        if age > max_age:
            shutil.rmtree(item, ignore_errors=True)
            removed += 1
    return removed
