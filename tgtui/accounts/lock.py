"""A per-account advisory lock, held while a process uses the account's session.

Uses `fcntl.flock` on `<account>/session.lock`: the kernel drops it when the holder
exits, however it exits, so a lock left by a killed process never blocks anyone. The
file records the holder's pid and command so a second user gets "in use by pid N
(command)" instead of SQLite's "database is locked".
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from tgtui.accounts.fsutil import FILE_MODE
from tgtui.failure import localize
from tgtui.i18n import N_

LOCK_NAME = "session.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds a lock."""

    pid: int
    command: str

    def __str__(self) -> str:
        return f"pid {self.pid} ({self.command})" if self.command else f"pid {self.pid}"


class AccountInUse(Exception):
    """Another process holds the account's lock."""

    def __init__(self, name: str, holder: Holder | None) -> None:
        self.name = name
        self.holder = holder
        super().__init__(localize(self.english))

    @property
    def english(self) -> str:
        """The message in English (for a `Failure`, which `localize` translates when shown)."""
        if self.holder:
            return N_("Account {name} is in use by {holder}; close it there or wait.").format(
                name=repr(self.name), holder=self.holder
            )
        return N_("Account {name} is in use by another process; close it there or wait.").format(
            name=repr(self.name)
        )


def _command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return Path(sys.argv[0]).name if pid == os.getpid() else ""
    parts = [p.decode("utf-8", "replace") for p in raw.split(b"\0") if p]
    if not parts:
        return ""
    # Show the program and its sub-command only: arguments may hold things not meant for display.
    shown = [Path(parts[0]).name]
    if len(parts) > 1 and shown[0].startswith("python"):
        shown.append(Path(parts[1]).name if parts[1] != "-m" else " ".join(parts[1:3]))
    elif len(parts) > 1 and not parts[1].startswith("-"):
        shown.append(parts[1])
    return " ".join(shown)[:60]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_ACQUIRED = object()


def _contend(fd: int, operation: int) -> object:
    """Try to take the lock; when it is held, name the holder from its record.

    Returns `_ACQUIRED`, the `Holder`, or None when the holder cannot be named. The record
    is empty for an instant after a holder takes the lock (before it writes its pid) and
    while it lets go (it empties the record, then unlocks): in those windows try again for
    a moment rather than name nobody, or the wrong process.
    """
    deadline = time.monotonic() + 0.25
    while True:
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return _ACQUIRED
        except BlockingIOError:
            pass
        text = os.pread(fd, 200, 0).decode("utf-8", "replace")
        if "\n" in text:  # a whole record (it is written in one go, ending in a newline)
            pid_text, _, command = text.strip().partition(" ")
            if pid_text.isdigit() and _alive(int(pid_text)):
                return Holder(int(pid_text), command)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.005)


def read_holder(folder: Path) -> Holder | None:
    """The recorded holder of `folder`'s lock, if the lock is held right now."""
    path = Path(folder) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        outcome = _contend(fd, fcntl.LOCK_SH)
        if outcome is _ACQUIRED:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        return outcome if isinstance(outcome, Holder) else Holder(0, "")
    finally:
        os.close(fd)


class AccountLock:
    """Exclusive use of one account's session. Use as a context manager."""

    def __init__(self, folder: Path, name: str | None = None) -> None:
        self.folder = Path(folder)
        self.name = name or self.folder.name
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> AccountLock:
        """Take the lock now or raise AccountInUse naming the holder."""
        if self._fd is not None:
            return self
        path = self.folder / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            outcome = _contend(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        if outcome is not _ACQUIRED:
            os.close(fd)
            raise AccountInUse(self.name, outcome if isinstance(outcome, Holder) else None)
        record = f"{os.getpid()} {_command_of(os.getpid())}\n".encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, record, 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Give the lock back (safe to call twice)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        # Empty the record first, so nobody ever names this process as a later holder.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> AccountLock:
        return self.acquire()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
