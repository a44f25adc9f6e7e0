"""QR login: export a login token, show it as a link, notice when an app scanned it.

Telegram answers `auth.exportLoginToken` with a token to show (as `tg://login?token=`),
with "migrate to DC n" (import the token there), or, once an app of the account scanned
it, with the authorization. It announces the scan with an `UpdateLoginToken` update,
which `QrListener` turns into an asyncio event a waiter can sleep on.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

QR_POLL = 1.0  # seconds between looks at the (injectable) clock while waiting for a scan
QR_MIN_REFRESH = 5.0  # never export login tokens faster than this (seconds)
QR_STALE_LIMIT = 3  # login tokens in a row that arrive already expired: the clocks disagree


@dataclass(frozen=True)
class QrInfo:
    """The QR login link (`tg://login?token=...`) and when it expires."""

    url: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenAnswer:
    """What one export of the login token brought: a user (logged in), a request for the
    2FA password, or a token to show."""

    user: Any = None
    password_needed: bool = False
    qr: QrInfo | None = None


class QrListener:
    """An event set when Telegram pushes `UpdateLoginToken` (someone scanned the code)."""

    def __init__(self) -> None:
        self.event: asyncio.Event | None = None
        self._handler: Any = None

    def install(self, client: Any) -> None:
        """Start listening on `client` (once; again after `stop`)."""
        if self._handler is not None:
            return
        from telethon import events
        from telethon.tl import types

        event = asyncio.Event()

        async def on_token(_update: Any) -> None:
            event.set()

        client.add_event_handler(on_token, events.Raw(types.UpdateLoginToken))
        self.event, self._handler = event, on_token

    def stop(self, client: Any) -> None:
        """Stop listening; wakes a waiter so it sees that the flow moved on."""
        handler, self._handler = self._handler, None
        if handler is not None and client is not None:
            with contextlib.suppress(Exception):
                client.remove_event_handler(handler)
        if self.event is not None:
            self.event.set()
        self.event = None


def server_time_offset(client: Any) -> float:
    """Seconds the server's clock is ahead of ours, as Telethon measured it (0 if unknown)."""
    state = getattr(getattr(client, "_sender", None), "_state", None)
    offset = getattr(state, "time_offset", 0)
    return float(offset) if isinstance(offset, (int, float)) else 0.0


def qr_info(token: bytes, expires: Any) -> QrInfo:
    """The link and expiry of an `auth.LoginToken`."""
    text = base64.urlsafe_b64encode(token).decode("ascii").rstrip("=")
    if isinstance(expires, (int, float)):
        expires = datetime.fromtimestamp(expires, timezone.utc)
    return QrInfo(url=f"tg://login?token={text}", expires_at=expires)


async def export_token(
    client: Any,
    api_id: int,
    api_hash: str,
    bounded: Callable[[Awaitable[Any]], Awaitable[Any]],
) -> TokenAnswer:
    """Export (or, after a DC migration, import) the login token; `bounded` times each call."""
    from telethon import errors
    from telethon.tl import functions, types

    try:
        resp = await bounded(client(functions.auth.ExportLoginTokenRequest(api_id, api_hash, [])))
        if isinstance(resp, types.auth.LoginTokenMigrateTo):
            await bounded(client._switch_dc(resp.dc_id))  # Telethon has no public way
            resp = await bounded(client(functions.auth.ImportLoginTokenRequest(resp.token)))
    except errors.SessionPasswordNeededError:
        return TokenAnswer(password_needed=True)
    if isinstance(resp, types.auth.LoginTokenSuccess):
        return TokenAnswer(user=resp.authorization.user)
    if isinstance(resp, types.auth.LoginToken):
        info = qr_info(resp.token, resp.expires)
        # `expires` is in the server's time: move it to ours with Telethon's offset.
        shifted = info.expires_at - timedelta(seconds=server_time_offset(client))
        return TokenAnswer(qr=QrInfo(url=info.url, expires_at=shifted))
    raise TypeError(f"unexpected login token answer: {type(resp).__name__}")
