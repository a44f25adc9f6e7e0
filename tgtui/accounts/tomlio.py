"""Read and write TOML; a file that does not parse is reported with its path and line."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import tomli_w

from tgtui.accounts.fsutil import atomic_write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


class ConfigFileError(Exception):
    """A file tgtui could not read. Carries the path and, when known, the line."""

    def __init__(self, path: Path, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {reason}")


_LINE = re.compile(r"line (\d+)")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file or raise ConfigFileError naming its path and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigFileError(path, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigFileError(path, "is not UTF-8 text", line) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _LINE.search(str(exc))
        where: int | None = int(found.group(1)) if found else None
        if where is None and "end of document" in str(exc):
            where = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        msg = str(exc).split(" (at ")[0]
        raise ConfigFileError(path, f"is not valid TOML ({msg})", where) from exc


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
