"""`<account folder>/secrets.toml`: the api_hash (and the proxy's password or MTProxy
secret, as `proxy`) when the keyring cannot hold them.

The file is 0600 in a 0700 folder, written atomically. It holds `api_hash`, `proxy` when
the account's proxy has a secret, and a `reason` (why they are not in the keyring), plus
a comment. A file that does not parse
raises ConfigFileError and is never overwritten. No message here ever includes the secret.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path

import tomli_w

from tgtui.accounts.fsutil import FILE_MODE, atomic_write, fsync_dir, is_private
from tgtui.accounts.tomlio import ConfigFileError, find_line, read_toml
from tgtui.i18n import N_

FILE_NAME = "secrets.toml"

log = logging.getLogger(__name__)

SECRET_KEYS = ("api_hash", "proxy")

_HEADER = (
    "# tgtui: this account's Telegram api_hash (and proxy secret). Keep it private (0600).\n"
    "# `reason` says why it is here and not in the system keyring.\n"
)


class Hidden:
    """Holds a secret so that reprs, tracebacks with locals and logs show nothing."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<hidden>"

    __str__ = __repr__


def secret_path(folder: Path) -> Path:
    """Where an account's secrets file lives."""
    return Path(folder) / FILE_NAME


def read_secret_file(path: Path) -> str:
    """The api_hash in `path`; ConfigFileError (path + line) if it is unreadable."""
    data = read_toml(path)
    value = data.get("api_hash")
    if value is None:
        raise ConfigFileError(path, N_("has no api_hash"))
    if not isinstance(value, str) or not value.strip():
        raise ConfigFileError(
            path, N_("must be a non-empty string"), find_line(path, "api_hash"), "api_hash"
        )
    _tighten(path)
    return value


def read_secret_value(path: Path, key: str) -> str | None:
    """The secret `key` in `path` ("api_hash" or "proxy"); None when the file lacks it."""
    data = _parsed(path)
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigFileError(path, N_("must be a non-empty string"), find_line(path, key), key)
    return value


# Parsed secrets files of this process by path, each with the identity of the file it
# came from: every health check reads its account's api_hash, and a stat is much
# cheaper than reading and parsing the file again. Any write (atomic: a new inode; by
# hand: a new mtime/ctime) makes the entry stale.
_PARSED: dict[str, tuple[tuple[int, ...], dict]] = {}


def _parsed(path: Path) -> dict:
    """`read_toml(path)`, reused while the file is unchanged; a file others can read is
    made private again."""
    try:
        st = os.stat(path)
    except OSError:
        return read_toml(path)  # reports why it cannot be read
    ident = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    hit = _PARSED.get(str(path))
    if hit is not None and hit[0] == ident:
        data = hit[1]
    else:
        data = read_toml(path)
        # Kept only once settled: file times can be as coarse as a clock tick.
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > 1_000_000_000:
            _PARSED[str(path)] = (ident, data)
    if st.st_mode & 0o077:
        _tighten(path)
    return data


def write_secret_value(path: Path, key: str, secret: Hidden | None, reason: str) -> bool:
    """Set (or with None, drop) one secret in `path`, keeping the others; atomic, 0600.

    Returns False when the file ends up empty and was removed.
    """
    data: dict[str, str] = {}
    if Path(path).exists():
        current = read_toml(path)  # a broken file raises and is left untouched
        data = {k: v for k, v in current.items() if k in SECRET_KEYS and isinstance(v, str)}
    if secret is None:
        data.pop(key, None)
    else:
        data[key] = secret.value
    if not data:
        remove_secret_file(path)
        return False
    atomic_write(path, _HEADER + tomli_w.dumps({**data, "reason": reason}))
    return True


def read_reason(path: Path) -> str:
    """The `reason` stored next to the api_hash, or "" when absent or unreadable."""
    try:
        reason = read_toml(path).get("reason", "")
    except ConfigFileError:
        return ""
    return reason if isinstance(reason, str) else ""


def write_secret_file(path: Path, secret: Hidden, reason: str) -> None:
    """Write the api_hash atomically as a 0600 file (its folder becomes 0700); other
    secrets already in the file are kept."""
    write_secret_value(path, "api_hash", secret, reason)


def remove_secret_file(path: Path) -> bool:
    """Delete the file if present; True when something was removed."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    with contextlib.suppress(OSError):
        fsync_dir(Path(path).parent)
    return True


def _tighten(path: Path) -> None:
    """A secrets file others can read is made private again (content untouched)."""
    try:
        if not is_private(path):
            os.chmod(path, FILE_MODE)
            log.warning("%s was readable by others; made it private (0600)", path)
    except OSError:
        pass
