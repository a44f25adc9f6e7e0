"""Read and write TOML; a file that does not parse is reported with its path and line."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import tomli_w

from tgtui.accounts.fsutil import atomic_write
from tgtui.failure import localize
from tgtui.i18n import N_

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


class ConfigFileError(Exception):
    """A file tgtui could not read. Carries the path and, when known, the line and key.

    `reason` is English (a sentence of the catalog, see `tgtui.failure.localize`), as is
    `english`, the whole message: it may end up in a failure message cached on disk.
    `str()` is the message in the interface language.
    """

    def __init__(self, path: Path, reason: str, line: int | None = None, key: str = "") -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.key = key
        super().__init__(self.english)

    def _said(self, reason: str) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.key}: {reason}" if self.key else f"{where}: {reason}"

    @property
    def english(self) -> str:
        """The message in English."""
        return self._said(self.reason)

    def __str__(self) -> str:
        return self._said(localize(self.reason))


_LINE = re.compile(r"line (\d+)")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file or raise ConfigFileError naming its path and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigFileError(
            path, N_("cannot be read ({detail})").format(detail=exc.strerror or exc)
        ) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigFileError(path, N_("is not UTF-8 text"), line) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _LINE.search(str(exc))
        where: int | None = int(found.group(1)) if found else None
        if where is None and "end of document" in str(exc):
            where = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        msg = str(exc).split(" (at ")[0]
        raise ConfigFileError(
            path, N_("is not valid TOML ({detail})").format(detail=msg), where
        ) from exc


def find_line(path: Path, key: str) -> int | None:
    """The first line of `path` that assigns `key`, for pointing at a wrong value."""
    try:
        for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), start=1):
            if re.match(rf"\s*{re.escape(key)}\s*=", line):
                return number
    except (OSError, UnicodeDecodeError):
        return None
    return None


def write_toml(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Write `data` as TOML atomically (0600); returns what was written (Nones dropped),
    which is what reading the file back gives."""
    written = _drop_none(data)
    atomic_write(Path(path), tomli_w.dumps(written))
    return written  # type: ignore[no-any-return]


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value
