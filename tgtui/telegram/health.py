"""`check(account) -> Health`: is this account's session usable right now?

One connect, the fewest calls that tell the state, one disconnect, under a hard
timeout: a quick check is the connect and one round trip (get self, inside the
connection's InitConnection wrapper), a full check one more (2FA state and sessions,
sent together). See `first_request`. Accounts whose state is known without the
network (broken files, no session, missing secret, in use, inside a flood wait) are
answered without any request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tgtui.accounts import Account, AccountInUse, AccountLock, State, Status, UserInfo
from tgtui.accounts.validate import mask_phone
from tgtui.failure import Failure, localize
from tgtui.i18n import N_
from tgtui.telegram.client import (
    disconnect_quietly,
    make_client,
    memory_copy,
    read_api_hash,
    read_proxy_secret,
)
from tgtui.telegram.errors import SURFACED, TelegramFailure, failure, human_wait, target, to_failure
from tgtui.telegram.first_request import connect_with, send_together
from tgtui.telegram.users import user_info
from tgtui.telegram.wirefail import (
    address_of,
    clock_corrected,
    explain_client,
    explain_timeout,
    watching,
)

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram

log = logging.getLogger(__name__)

REVOKED_NAMES = frozenset(
    {
        "AUTH_KEY_UNREGISTERED",
        "SESSION_REVOKED",
        "SESSION_EXPIRED",
        "AUTH_KEY_INVALID",
        "AUTH_KEY_PERM_EMPTY",
        "USER_MIGRATE",  # the account moved DC: this session's key is of the old one
    }
)
BANNED_NAMES = frozenset({"USER_DEACTIVATED", "USER_DEACTIVATED_BAN", "PHONE_NUMBER_BANNED"})
CREDENTIAL_NAMES = frozenset(
    {"API_ID_INVALID", "API_ID_PUBLISHED_FLOOD", "CONNECTION_API_ID_INVALID"}
)
OFFLINE_NAMES = frozenset(
    {
        "ConnectionError",
        "TimeoutError",
        "OSError",
        "ProxyError",
        "NOT_MTPROTO",  # the port answered, but not as a Telegram server
        "RSA_KEY_UNKNOWN",  # the server's RSA key is not the one on file
        "CLOCK_SKEW",
    }
)

REASONS: dict[State, str] = {
    State.OK: N_("Session works"),
    State.NEEDS_LOGIN: N_("Not logged in: log in to use this account"),
    State.REVOKED: N_("Session was logged out or terminated elsewhere: log in again"),
    State.DUPLICATED: N_("Session was used from two places at once and revoked: log in again"),
    State.BANNED: N_("Telegram banned or deactivated this account"),
    State.FLOOD_WAIT: N_("Telegram asks to wait"),
    State.BAD_CREDENTIALS: N_("Telegram rejects this api_id / api_hash"),
    State.OFFLINE: N_("Telegram cannot be reached"),
    State.LOCKED: N_("In use by another program"),
    State.BROKEN: N_("The account's files cannot be used"),
    State.CHECKING: N_("Checking…"),
}


@dataclass(frozen=True)
class Health:
    """The result of one health check of one account."""

    name: str
    state: State
    reason: str
    checked_at: datetime
    latency_ms: float | None = None
    user: UserInfo | None = None
    masked_phone: str = ""
    dc: int | None = None
    two_fa: bool | None = None
    other_sessions: int | None = None
    flood_until: datetime | None = None
    error: Failure | None = None
    phone: str = field(default="", repr=False)  # E.164 from Telegram's answer; not shown

    @property
    def reason_text(self) -> str:
        """`reason` (English: it is cached in account.toml) in the interface language."""
        return localize(self.reason)

    def to_status(self) -> Status:
        """The cacheable part, for `account.toml`."""
        return Status(
            state=self.state,
            reason=self.reason,
            checked_at=self.checked_at,
            latency_ms=self.latency_ms,
            error=self.error.name if self.error else "",
            flood_until=self.flood_until,
            dc=self.dc,
            two_fa=self.two_fa,
            other_sessions=self.other_sessions,
        )

    @classmethod
    def checking(cls, account: Account, at: datetime) -> Health:
        """The CHECKING placeholder reported before a check runs (keeps cached details)."""
        st = account.status
        return cls(
            name=account.name,
            state=State.CHECKING,
            reason=REASONS[State.CHECKING],
            checked_at=at,
            user=account.user,
            masked_phone=_mask(account.phone),
            dc=st.dc,
            two_fa=st.two_fa,
            other_sessions=st.other_sessions,
            flood_until=st.flood_until,
        )


def _target(account: Account, address: str | None = None) -> str:
    """ "Telegram" or "The server at host:port", for messages. ``address``: where the
    session really connects (after a DC move it is not the account's first address)."""
    return target(account.server, address or "")


def _e164(digits: str | None) -> str:
    """Telegram's phone (digits only) as +E.164, or ""."""
    clean = "".join(c for c in str(digits or "") if c.isdigit())
    return f"+{clean}" if clean else ""


def _mask(phone: str) -> str:
    return mask_phone(phone) if phone else ""


def state_for(fail: Failure) -> State:
    """The account state a failure means."""
    name = fail.name
    if name in REVOKED_NAMES:
        return State.REVOKED
    if name == "AUTH_KEY_DUPLICATED":
        return State.DUPLICATED
    if name in BANNED_NAMES:
        return State.BANNED
    if name in ("FLOOD_WAIT", "FLOOD_WAIT_LOCAL"):
        return State.FLOOD_WAIT
    if name in CREDENTIAL_NAMES:
        return State.BAD_CREDENTIALS
    if name in OFFLINE_NAMES:
        return State.OFFLINE
    if name == "SESSION_LOCKED":
        return State.LOCKED
    if name in ("SESSION_CORRUPT", "SECRET_MISSING", "CONFIG_INVALID"):
        return State.BROKEN
    if fail.exc_type in ("ServerError", "TimedOutError", "RpcCallFailError"):
        return State.OFFLINE
    return State.BROKEN


async def check(
    tg: Telegram, account: Account, *, timeout: float | None = None, full: bool = True
) -> Health:
    """Check one account. Never raises for account problems; always releases the lock.

    `full=False` skips the 2FA and other-sessions calls (one call after connecting).
    """
    now = tg.now()
    st = account.status

    def result(state: State, reason: str | None = None, **kw: Any) -> Health:
        kw.setdefault("user", account.user)
        return Health(
            name=account.name,
            state=state,
            reason=reason or REASONS.get(state, state.value),
            checked_at=tg.now(),  # when the answer (or the timeout) came, not the start
            masked_phone=_mask(account.phone),
            **kw,
        )

    def from_failure(fail: Failure, **kw: Any) -> Health:
        state = state_for(fail)
        if fail.name == "AUTH_KEY_UNREGISTERED" and account.user is None:
            # Telegram says the same for "never logged in" and "logged out": a session
            # that never worked for tgtui (no user known) just needs a login.
            return result(
                State.NEEDS_LOGIN,
                N_("This session is not logged in: log in to use this account"),
                error=fail,
                **kw,
            )
        until = None
        if state is State.FLOOD_WAIT and fail.seconds is not None:
            until = now + timedelta(seconds=fail.seconds)
            tg.flood_until[account.name] = until
        reason = fail.message or REASONS.get(state, "")
        return result(state, reason, error=fail, flood_until=until, **kw)

    if account.broken:
        return result(
            State.BROKEN,
            account.broken,
            error=failure("CONFIG_INVALID", account.broken, stage="session"),
        )
    path = account.session_path
    try:
        empty = path.stat().st_size == 0
    except OSError:  # missing or unreadable
        empty = True
    if empty:
        return result(State.NEEDS_LOGIN, N_("No session file yet: log in to use this account"))
    left = tg.flood_left(account.name, st.flood_until)
    if left:
        until = now + timedelta(seconds=left)
        return result(
            State.FLOOD_WAIT,
            N_("Telegram asked to wait; {wait} left (no request sent meanwhile)").format(
                wait=human_wait(left)
            ),
            flood_until=until,
            dc=st.dc,
            two_fa=st.two_fa,
            other_sessions=st.other_sessions,
            error=Failure(
                "FLOOD_WAIT", N_("Telegram asks to wait."), seconds=left, stage="session"
            ),
        )
    prepare = asyncio.ensure_future(asyncio.to_thread(_prepare, tg, account))
    try:
        api_hash, proxy_secret, lock, session = await asyncio.shield(prepare)
    except asyncio.CancelledError:
        # A thread cannot be stopped: let it end (it is short), then give back the lock it
        # may have taken, so a cancelled check leaves nothing running or held.
        prepare.add_done_callback(_release_prepared)
        with contextlib.suppress(BaseException):
            await asyncio.wait({prepare})
        raise
    except TelegramFailure as exc:
        return from_failure(exc.failure)
    except AccountInUse as exc:
        who = (
            N_("in use by {holder}").format(holder=exc.holder)
            if exc.holder
            else N_("in use by another process")
        )
        return result(
            State.LOCKED,
            who,
            dc=st.dc,
            two_fa=st.two_fa,
            other_sessions=st.other_sessions,
            error=failure("SESSION_LOCKED", exc.english, exc_type="AccountInUse", stage="session"),
        )
    limit = timeout if timeout is not None else tg.settings.check_timeout
    box: list[Any] = []  # the probe's client, to ask what Telethon saw before a timeout
    try:
        probe = _probe(tg, account, api_hash, proxy_secret, session, full, result, box)
        health = await asyncio.wait_for(probe, limit)
        if health.state is State.OK:
            tg.flood_until.pop(account.name, None)
        return health
    except asyncio.TimeoutError:
        named = explain_timeout(box[0], limit) if box else None
        if named is not None and not isinstance(named, TimeoutError):
            return from_failure(to_failure(named, "session"))
        return from_failure(
            failure(
                "TimeoutError",
                N_("{target} did not answer within {seconds} s").format(
                    target=_target(account, address_of(box[0]) if box else None),
                    seconds=f"{limit:g}",
                ),
                exc_type="TimeoutError",
                stage="session",
            )
        )
    except TelegramFailure as exc:
        return from_failure(exc.failure)
    except Exception as exc:  # anything Telethon, SQLite or the network raised
        fail = to_failure(exc, "session")
        if fail.name == fail.exc_type and fail.name not in SURFACED:
            log.warning("health check of %s failed unexpectedly", account.name, exc_info=exc)
        return from_failure(fail)
    finally:
        lock.release()


def _prepare(tg: Telegram, account: Account) -> tuple[str, str | None, AccountLock, Any]:
    """The blocking part of a check, in one thread: the api_hash and any proxy secret
    (keyrings block), the account's lock, and the session's key read from its file (or the
    exception reading it raised, to be reported like any other). The caller releases the
    lock."""
    api_hash = read_api_hash(tg, account)
    proxy_secret = read_proxy_secret(tg, account)
    lock = tg.store.lock(account.name)
    lock.acquire()
    try:
        session: Any = memory_copy(account.session_path)
    except Exception as exc:  # reported by the probe, as make_client would
        session = exc
    return api_hash, proxy_secret, lock, session


def _release_prepared(done: asyncio.Future[tuple[str, str | None, AccountLock, Any]]) -> None:
    if not done.cancelled() and done.exception() is None:
        done.result()[2].release()


async def _probe(
    tg: Telegram,
    account: Account,
    api_hash: str,
    proxy_secret: str | None,
    session: Any,
    full: bool,
    result: Any,
    box: list[Any],
) -> Health:
    """Connect + one round trip (get self inside the connection's InitConnection wrapper);
    a full check adds one more: the 2FA state and the sessions list, in one container."""

    if isinstance(session, BaseException):
        raise TelegramFailure(to_failure(session, "session"))
    client = make_client(
        tg, account, api_hash, in_memory=True, session=session, proxy_secret=proxy_secret
    )
    box.append(client)
    try:
        if client.session.auth_key is None:
            return result(State.NEEDS_LOGIN, N_("The session file holds no login: log in again"))
        with watching(client) as seen:  # wirefail: what Telethon saw, clock correction
            try:
                return await _ask(client, account, full, result, seen)
            except Exception as exc:
                named = explain_client(exc, client)
                if named is exc:
                    raise
                raise named from exc
    finally:
        await disconnect_quietly(client)


async def _ask(client: Any, account: Account, full: bool, result: Any, seen: list[str]) -> Health:
    """The check's round trips on a connected-on-demand client (see `_probe`)."""
    from telethon.tl import functions, types

    first = await clock_corrected(
        client,
        seen,
        lambda: connect_with(
            client,
            functions.users.GetUsersRequest([types.InputUserSelf()]),
            account.proxy,
            account.server,
        ),
    )
    users, latency = first.result, first.rtt_ms
    me = users[0] if users else None
    dc = getattr(client.session, "dc_id", None)
    if me is None or isinstance(me, types.UserEmpty):
        return result(State.NEEDS_LOGIN, latency_ms=latency, dc=dc)
    two_fa = other = None
    if full:
        pwd, auths = await send_together(
            client,
            functions.account.GetPasswordRequest(),
            functions.account.GetAuthorizationsRequest(),
        )
        two_fa = bool(pwd.has_password)
        other = sum(1 for a in auths.authorizations if not a.current)
    return result(
        State.OK,
        phone=_e164(getattr(me, "phone", None)),
        latency_ms=latency,
        user=user_info(me),
        dc=dc,
        two_fa=two_fa,
        other_sessions=other,
    )


async def check_and_save(tg: Telegram, account: Account, **kw: Any) -> Health:
    """`check`, then cache the result in account.toml (LOCKED and CHECKING are not saved)."""
    health = await check(tg, account, **kw)
    save_health(tg, health)
    return health


def save_health(tg: Telegram, health: Health) -> None:
    """Cache a Health in account.toml; never raises (a failed cache write is only logged)."""
    if health.state in (State.LOCKED, State.CHECKING):
        return
    with contextlib.suppress(Exception):
        tg.store.save_status(health.name, health.to_status(), health.user, phone=health.phone)
        return
    log.warning("could not save the status of %s", health.name)
