"""Things a person does to one account: log out, list or end its sessions, export it.

Each takes the account's lock (through `session_client`) and raises `TelegramFailure`
on any problem. Nothing here logs a session string or a secret.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tgtui.accounts import Account, State, Status
from tgtui.i18n import N_
from tgtui.telegram.client import session_client
from tgtui.telegram.errors import TelegramFailure, failure, rpc_name, to_failure

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram

# Answers to auth.logOut that mean "this session is already logged out".
_ALREADY_OUT = frozenset(
    {"AUTH_KEY_UNREGISTERED", "SESSION_REVOKED", "SESSION_EXPIRED", "USER_DEACTIVATED"}
)


@dataclass(frozen=True)
class OtherSession:
    """One logged-in session of the account (an `Authorization`), current one included."""

    hash: int
    device: str
    app: str  # app name and version
    platform: str  # platform and system version
    country: str
    region: str
    ip: str
    last_active: datetime | None
    created: datetime | None
    current: bool
    official: bool
    api_id: int

    @property
    def where(self) -> str:
        """Country and region, e.g. "Spain, Madrid"."""
        return ", ".join(p for p in (self.country, self.region) if p)


def _delete_session_files(account: Account) -> None:
    base = str(account.session_path)
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(base + suffix)


async def log_out(tg: Telegram, account: Account) -> None:
    """Log the session out on Telegram's side, then delete the local session file.

    A session Telegram already considers logged out is just deleted locally. A network
    failure raises and leaves the file (the session may still be alive).
    """
    from telethon.tl import functions

    async with session_client(tg, account, stage="session") as client:
        try:
            await client(functions.auth.LogOutRequest())
        except Exception as exc:
            if rpc_name(exc) not in _ALREADY_OUT:
                raise TelegramFailure(to_failure(exc, "session")) from None
        with contextlib.suppress(Exception):
            await client.disconnect()
        with contextlib.suppress(Exception):
            client.session.close()
        _delete_session_files(account)
        client.session = None  # as Telethon's log_out: a later disconnect must not recreate it
    tg.store.record(account.name, "logout", tg.now())
    with contextlib.suppress(Exception):
        tg.store.save_status(
            account.name,
            Status(state=State.NEEDS_LOGIN, reason=N_("Logged out"), checked_at=tg.now()),
        )


async def list_sessions(tg: Telegram, account: Account) -> list[OtherSession]:
    """Every session logged in to this account (current first, then most recent)."""
    from telethon.tl import functions

    async with session_client(tg, account) as client:
        try:
            result = await client(functions.account.GetAuthorizationsRequest())
        except Exception as exc:
            raise TelegramFailure(to_failure(exc, "session")) from None
    sessions = [
        OtherSession(
            hash=int(a.hash),
            device=a.device_model or "",
            app=" ".join(p for p in (a.app_name, a.app_version) if p),
            platform=" ".join(p for p in (a.platform, a.system_version) if p),
            country=a.country or "",
            region=a.region or "",
            ip=a.ip or "",
            last_active=a.date_active,
            created=a.date_created,
            current=bool(a.current),
            official=bool(a.official_app),
            api_id=int(a.api_id or 0),
        )
        for a in result.authorizations
    ]
    return sorted(
        sessions,
        key=lambda s: (not s.current, -(s.last_active.timestamp() if s.last_active else 0)),
    )


async def terminate_session(tg: Telegram, account: Account, hash: int) -> None:
    """End one other session of the account (by its `OtherSession.hash`)."""
    from telethon.tl import functions

    if not hash:
        raise TelegramFailure(
            failure(
                "CONFIG_INVALID",
                N_("That is this session (tgtui's own); use Log out to end it."),
                stage="session",
            )
        )
    async with session_client(tg, account) as client:
        try:
            await client(functions.account.ResetAuthorizationRequest(hash=hash))
        except Exception as exc:
            fail = to_failure(exc, "session")
            if fail.name == "FRESH_RESET_AUTHORISATION_FORBIDDEN":
                fail = failure(
                    fail.name,
                    N_(
                        "Telegram does not let a session younger than 24 hours end other "
                        "sessions; wait a day, or end it from an official app."
                    ),
                    exc_type=fail.exc_type,
                    stage="session",
                )
            raise TelegramFailure(fail) from None


async def export_string(tg: Telegram, account: Account) -> str:
    """The account's session as a Telethon StringSession (a bearer credential: never log it).

    Reads the session file without the network; works while the account is in use.
    """
    from telethon.sessions import SQLiteSession, StringSession

    path = account.session_path
    if not path.exists() or path.stat().st_size == 0:
        raise TelegramFailure(
            failure("AUTH_KEY_UNREGISTERED", N_("There is no session to export: log in first."))
        )
    try:
        session = SQLiteSession(str(path))
    except Exception as exc:
        raise TelegramFailure(to_failure(exc, "session")) from None
    try:
        if session.auth_key is None:
            raise TelegramFailure(
                failure("AUTH_KEY_UNREGISTERED", N_("The session holds no login: log in first."))
            )
        if account.server is None:
            return StringSession.save(session)
        # The account's [server] wins here too; the file itself is left as it is.
        from telethon.sessions import MemorySession

        from tgtui.accounts.servers import session_target

        copy = MemorySession()
        copy.set_dc(session.dc_id, session.server_address, session.port)
        target = session_target(account.server, session.dc_id, session.server_address, session.port)
        if target is not None:
            copy.set_dc(*target)
        copy.auth_key = session.auth_key
        return StringSession.save(copy)
    finally:
        session.close()
