"""A per-phone record of login-code requests and flood-wait deadlines.

Telegram answers too many code requests with FLOOD_WAIT (often hours). tgtui remembers
the deadline in `<root>/pending/ledger/<sha256(phone)[:16]>.toml` (0600, atomic) and
refuses, locally and without a request, to ask for another code before it passes, even
after a restart. The file name is a hash, so the folder does not list phone numbers.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tgtui.accounts.fsutil import ensure_dir
from tgtui.accounts.model import parse_utc
from tgtui.accounts.tomlio import ConfigFileError, read_toml, write_toml

KEEP = 20  # code requests remembered per phone


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return parse_utc(value)
    return None


class Ledger:
    """Code requests and flood waits per phone number, persisted under the config root."""

    def __init__(self, folder: Path, clock: Callable[[], float]) -> None:
        self.folder = Path(folder)
        self.clock = clock

    def path(self, phone: str) -> Path:
        """The ledger file of `phone` (E.164)."""
        digest = hashlib.sha256(phone.encode("utf-8")).hexdigest()[:16]
        return self.folder / f"{digest}.toml"

    def _read(self, phone: str) -> dict[str, Any]:
        path = self.path(phone)
        if not path.exists():
            return {}
        try:
            return read_toml(path)
        except ConfigFileError:
            return {}  # a damaged ledger only loses history; never blocks a login

    def _write(self, phone: str, data: dict[str, Any]) -> None:
        ensure_dir(self.folder)
        write_toml(self.path(phone), data)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    def flood_until(self, phone: str) -> datetime | None:
        """The flood-wait deadline for `phone`, if one is known and still ahead."""
        until = _when(self._read(phone).get("flood_until"))
        if until is not None and until.timestamp() > self.clock():
            return until
        return None

    def flood_left(self, phone: str) -> int:
        """Whole seconds left in a known flood wait for `phone` (0 when none)."""
        until = self.flood_until(phone)
        if until is None:
            return 0
        return max(0, int(until.timestamp() - self.clock() + 0.999))

    def requests(self, phone: str) -> list[dict[str, Any]]:
        """The recent code requests for `phone`: `{"at": datetime, "kind": str}`, oldest first."""
        items = self._read(phone).get("requests", [])
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    def record_request(self, phone: str, kind: str) -> None:
        """Remember that a code was requested (`send` or `resend`)."""
        data = self._read(phone)
        items = self.requests(phone)
        items.append({"at": self._now(), "kind": kind})
        data["requests"] = items[-KEEP:]
        self._write(phone, data)

    def record_flood(self, phone: str, seconds: int) -> datetime:
        """Remember a flood wait of `seconds` from now; returns the deadline."""
        data = self._read(phone)
        until = datetime.fromtimestamp(self.clock() + max(0, seconds), timezone.utc)
        data["flood_until"] = until
        self._write(phone, data)
        return until

    def clear(self, phone: str) -> None:
        """Forget everything about `phone`."""
        with contextlib.suppress(FileNotFoundError):
            self.path(phone).unlink()
