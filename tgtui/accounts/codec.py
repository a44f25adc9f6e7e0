"""Account <-> account.toml. Reading checks every type and points at the bad line."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tgtui.accounts.model import (
    SCHEMA_VERSION,
    Account,
    Proxy,
    Server,
    State,
    Status,
    UserInfo,
    _dt,
)
from tgtui.accounts.tomlio import ConfigFileError, find_line
from tgtui.i18n import N_


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def to_toml(account: Account) -> dict[str, Any]:
    """The public fields of `account` as a TOML document (no secrets)."""
    data: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "uid": account.uid,
        "label": account.label,
        "api_id": account.api_id,
        "phone": account.phone,
        "created": _iso(account.created),
    }
    if account.proxy:
        p = account.proxy
        data["proxy"] = {
            "kind": p.kind,
            "host": p.host,
            "port": p.port,
            "username": p.username,
            "secret_ref": p.secret_ref,
        }
    if account.server:
        s = account.server
        data["server"] = {
            "dc_id": s.dc_id,
            "host": s.host,
            "port": s.port,
            "rsa_key_file": s.rsa_key_file,
            "test": s.test,
        }
    st = account.status
    data["status"] = {
        "state": st.state.value,
        "reason": st.reason,
        "checked_at": _iso(st.checked_at),
        "latency_ms": st.latency_ms,
        "error": st.error,
        "flood_until": _iso(st.flood_until),
        "dc": st.dc,
        "two_fa": st.two_fa,
        "other_sessions": st.other_sessions,
        "since": _iso(st.since),
    }
    if account.user:
        u = account.user
        data["user"] = {
            "id": u.id,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "username": u.username,
            "premium": u.premium,
        }
    return data


class _Reader:
    """Typed access to a parsed document, raising ConfigFileError at the right line."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    def fail(self, key: str, reason: str) -> ConfigFileError:
        return ConfigFileError(self.path, reason, find_line(self.path, key.split(".")[-1]), key)

    def get(
        self, key: str, kind: type | tuple[type, ...], default: Any = ..., table: dict | None = None
    ) -> Any:
        source = self.data if table is None else table
        name = key.split(".")[-1]
        if name not in source:
            if default is ...:
                raise self.fail(key, N_("is missing"))
            return default
        value = source[name]
        if isinstance(value, bool) and kind in (int, float, (int, float)):
            raise self.fail(key, N_("should be a number, not {value}").format(value=repr(value)))
        if not isinstance(value, kind):
            expected = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise self.fail(
                key,
                N_("should be {expected}, not {found}").format(
                    expected=expected, found=type(value).__name__
                ),
            )
        return value

    def table(self, key: str) -> dict[str, Any] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, N_("should be a table"))
        return value

    def when(self, key: str, table: dict | None = None) -> datetime | None:
        value = self.get(key, (str, datetime), None, table)
        try:
            return _dt(value)
        except (TypeError, ValueError) as exc:
            raise self.fail(key, N_("is not a date-time like 2026-01-31T12:00:00Z")) from exc


def from_toml(path: Path, data: dict[str, Any], name: str) -> Account:
    """Build an Account from a parsed account.toml, or raise ConfigFileError."""
    path = path if isinstance(path, Path) else Path(path)
    r = _Reader(path, data)
    version = r.get("version", int, SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise r.fail(
            "version",
            N_("is {version}; this tgtui reads version {supported} (upgrade tgtui)").format(
                version=version, supported=SCHEMA_VERSION
            ),
        )
    proxy = server = user = None
    if (t := r.table("proxy")) is not None:
        proxy = Proxy(
            kind=r.get("proxy.kind", str, table=t),
            host=r.get("proxy.host", str, table=t),
            port=r.get("proxy.port", int, table=t),
            username=r.get("proxy.username", str, "", t),
            secret_ref=r.get("proxy.secret_ref", str, "", t),
        )
    if (t := r.table("server")) is not None:
        server = Server(
            dc_id=r.get("server.dc_id", int, table=t),
            host=r.get("server.host", str, table=t),
            port=r.get("server.port", int, table=t),
            rsa_key_file=r.get("server.rsa_key_file", str, "", t),
            test=r.get("server.test", bool, False, t),
        )
    status = Status()
    if (t := r.table("status")) is not None:
        raw_state = r.get("status.state", str, State.UNKNOWN.value, t)
        try:
            state = State(raw_state)
        except ValueError:
            raise r.fail(
                "status.state", N_("{state} is not a known state").format(state=repr(raw_state))
            ) from None
        status = Status(
            state=state,
            reason=r.get("status.reason", str, "", t),
            checked_at=r.when("status.checked_at", t),
            latency_ms=r.get("status.latency_ms", (int, float), None, t),
            error=r.get("status.error", str, "", t),
            flood_until=r.when("status.flood_until", t),
            dc=r.get("status.dc", int, None, t),
            two_fa=r.get("status.two_fa", bool, None, t),
            other_sessions=r.get("status.other_sessions", int, None, t),
            since=r.when("status.since", t),
        )
    if (t := r.table("user")) is not None:
        user = UserInfo(
            id=r.get("user.id", int, table=t),
            first_name=r.get("user.first_name", str, "", t),
            last_name=r.get("user.last_name", str, "", t),
            username=r.get("user.username", str, "", t),
            premium=r.get("user.premium", bool, False, t),
        )
    api_id = r.get("api_id", int)
    if api_id <= 0:
        raise r.fail("api_id", N_("should be a positive number"))
    return Account(
        name=name,
        uid=r.get("uid", str, ""),
        label=r.get("label", str, ""),
        api_id=api_id,
        phone=r.get("phone", str),
        created=r.when("created") or datetime.fromtimestamp(path.stat().st_mtime, timezone.utc),
        proxy=proxy,
        server=server,
        status=status,
        user=user,
        folder=path.parent,
    )
