"""Private, atomic file operations: folders 0700, files 0600, never a torn file.

Every write goes to a temp file in the same folder (created 0600 with O_EXCL, so it is
never readable by others whatever the umask), is flushed and fsynced, then renamed over
the target with `os.replace`, and the folder is fsynced so the rename itself survives a
crash.
"""

from __future__ import annotations

import contextlib
import os
import secrets as _random
from collections.abc import Callable
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600

# Test hook: called with a step name ("written", "synced", "replaced") during atomic_write,
# so a test can fail the write between steps and prove the old or new file survives.
_crash_hook: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if _crash_hook is not None:
        _crash_hook(name)


def ensure_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700 folders; tighten an existing one."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, DIR_MODE)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask; chmod is not
    if path.is_dir() and (path.stat().st_mode & 0o777) != DIR_MODE and not missing:
        os.chmod(path, DIR_MODE)
    return path


def fsync_dir(path: Path) -> None:
    """fsync a folder so a rename inside it is durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_private(path: Path) -> int:
    """Open a new file 0600 exclusively (no window where others can read it)."""
    fd = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE
    )
    os.fchmod(fd, FILE_MODE)
    return fd


def atomic_write(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` atomically; the result is a 0600 file."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    ensure_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{_random.token_hex(6)}.tmp")
    fd = create_private(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            _step("written")
            handle.flush()
            os.fsync(handle.fileno())
        _step("synced")
        os.replace(tmp, path)
        _step("replaced")
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_stray_temps(folder: Path) -> None:
    """Delete temp files an interrupted atomic_write left behind."""
    if not folder.is_dir():
        return
    for item in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            item.unlink()


def is_private(path: Path) -> bool:
    """True when neither group nor others can read or write `path`."""
    return (path.stat().st_mode & 0o077) == 0
