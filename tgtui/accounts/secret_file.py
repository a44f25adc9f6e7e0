"""`<account folder>/secrets.toml`: the api_hash when the keyring cannot hold it.

The file is 0600 in a 0700 folder, written atomically. It holds `api_hash` and a
`reason` (why it is not in the keyring), plus a comment. A file that does not parse
raises ConfigFileError and is never overwritten. No message here ever includes the secret.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import tomli_w

from tgtui.accounts.fsutil import FILE_MODE, atomic_write, fsync_dir, is_private
from tgtui.accounts.tomlio import ConfigFileError, find_line, read_toml

FILE_NAME = "secrets.toml"

log = logging.getLogger(__name__)

_HEADER = (
    "# tgtui: this account's Telegram api_hash. Keep this file private (0600).\n"
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
        raise ConfigFileError(path, "has no api_hash")
    if not isinstance(value, str) or not value.strip():
        raise ConfigFileError(
            path, "api_hash must be a non-empty string", find_line(path, "api_hash")
        )
    _tighten(path)
    return value


def read_reason(path: Path) -> str:
    """The `reason` stored next to the api_hash, or "" when absent or unreadable."""
    try:
        reason = read_toml(path).get("reason", "")
    except ConfigFileError:
        return ""
    return reason if isinstance(reason, str) else ""


def write_secret_file(path: Path, secret: Hidden, reason: str) -> None:
    """Write the api_hash atomically as a 0600 file (its folder becomes 0700)."""
    body = tomli_w.dumps({"api_hash": secret.value, "reason": reason})
    atomic_write(path, _HEADER + body)


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
