"""The account model: what tgtui knows about one Telegram account, without secrets."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


class State(str, enum.Enum):
    """Health of an account's session, as last checked."""

    OK = "ok"
    NEEDS_LOGIN = "needs_login"
    REVOKED = "revoked"
    DUPLICATED = "duplicated"
    BANNED = "banned"
    FLOOD_WAIT = "flood_wait"
    BAD_CREDENTIALS = "bad_credentials"
    OFFLINE = "offline"
    LOCKED = "locked"
    BROKEN = "broken"
    CHECKING = "checking"
    UNKNOWN = "unknown"

    @property
    def healthy(self) -> bool:
        """True when nothing needs the user's attention."""
        return self is State.OK


@dataclass(frozen=True)
class UserInfo:
    """The Telegram user behind a session, cached from the last successful check."""

    id: int
    first_name: str = ""
    last_name: str = ""
    username: str = ""
    premium: bool = False

    @property
    def display(self) -> str:
        """`@username` when there is one, else the full name."""
        if self.username:
            return f"@{self.username}"
        return " ".join(p for p in (self.first_name, self.last_name) if p) or str(self.id)


@dataclass(frozen=True)
class Proxy:
    """A per-account proxy. `kind` is socks5, http or mtproxy."""

    kind: str
    host: str
    port: int
    username: str = ""
    # "proxy" when a password / MTProxy secret is kept in the secret store (never here)
    secret_ref: str = ""


@dataclass(frozen=True)
class Server:
    """A custom MTProto server: Telegram's test DCs or a self-hosted one."""

    dc_id: int
    host: str
    port: int
    rsa_key_file: str = ""  # PEM public key of a self-hosted server; "" for Telegram's
    test: bool = False  # Telegram's test DCs (tgtui ships their published key)


@dataclass(frozen=True)
class Status:
    """The last known health, cached so the list can show it at start."""

    state: State = State.UNKNOWN
    reason: str = ""
    checked_at: datetime | None = None
    latency_ms: float | None = None
    error: str = ""
    flood_until: datetime | None = None
    dc: int | None = None
    two_fa: bool | None = None
    other_sessions: int | None = None
    since: datetime | None = None  # when the account entered `state` (set by the store)

    @property
    def reason_text(self) -> str:
        """`reason` (kept in English in account.toml) in the interface language."""
        from tgtui.failure import localize

        return localize(self.reason)


@dataclass(frozen=True)
class Account:
    """One managed account. Secrets (api_hash) are not part of it."""

    name: str
    api_id: int
    phone: str
    label: str = ""
    uid: str = ""  # stable id; keys the secret in the keyring so a trashed account keeps it
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    proxy: Proxy | None = None
    server: Server | None = None
    status: Status = field(default_factory=Status)
    user: UserInfo | None = None
    folder: Path | None = field(default=None, compare=False)
    broken: str = ""  # why the account's files could not be read; empty when fine

    @property
    def session_path(self) -> Path:
        """The Telethon SQLite session file (`session.session`)."""
        if self.folder is None:
            raise ValueError(f"account {self.name!r} has no folder yet")
        return self.folder / "session.session"

    @property
    def title(self) -> str:
        """The label if set, else the name."""
        return self.label or self.name

    def with_status(self, status: Status, user: UserInfo | None = None) -> Account:
        """A copy with a new status (and user info when given)."""
        return replace(self, status=status, user=user if user is not None else self.user)


def parse_utc(text: str) -> datetime:
    """An ISO 8601 date-time as an aware datetime (UTC when no offset is given).

    Accepts the `Z` suffix that tgtui writes, also on Python 3.10, whose
    `datetime.fromisoformat` does not. Raises ValueError for anything else.
    """
    value = text.strip()
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _dt(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str):
        return parse_utc(value)
    raise TypeError(f"expected a date-time, got {type(value).__name__}")
