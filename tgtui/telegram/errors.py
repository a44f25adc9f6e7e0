"""Turning Telethon's exceptions into `Failure` values, and the names that can surface.

`SURFACED` lists every `Failure.name` the login flow and the health check can produce.
The troubleshooter's tests prove each one matches a specific pitfall; keep it exact when
you add or remove a failure path.

This module does not import Telethon at import time (the UI imports `TelegramFailure`
before Telethon is loaded); `to_failure` imports it when it runs.
"""

from __future__ import annotations

import asyncio
import gettext
import socket
import sqlite3
from typing import TYPE_CHECKING

from tgtui.failure import Failure
from tgtui.i18n import N_

if TYPE_CHECKING:
    from tgtui.accounts.model import Server

SURFACED: frozenset[str] = frozenset(
    {
        # RPC errors from Telegram (Telethon's names, FLOOD_WAIT without the number)
        "API_ID_INVALID",
        "API_ID_PUBLISHED_FLOOD",
        "PHONE_NUMBER_INVALID",
        "PHONE_NUMBER_BANNED",
        "PHONE_NUMBER_FLOOD",
        "PHONE_NUMBER_UNOCCUPIED",
        "PHONE_CODE_INVALID",
        "PHONE_CODE_EXPIRED",
        "PHONE_CODE_EMPTY",
        "SEND_CODE_UNAVAILABLE",
        "SESSION_PASSWORD_NEEDED",
        "PASSWORD_HASH_INVALID",
        "PHONE_PASSWORD_FLOOD",
        "FLOOD_WAIT",
        "AUTH_KEY_UNREGISTERED",
        "AUTH_KEY_DUPLICATED",
        "SESSION_REVOKED",
        "SESSION_EXPIRED",
        "USER_DEACTIVATED",
        "USER_DEACTIVATED_BAN",
        "AUTH_RESTART",
        "USER_MIGRATE",
        # Network and OS failures (Python exception type names)
        "ConnectionError",
        "TimeoutError",
        "OSError",
        "ProxyError",
        "NOT_MTPROTO",
        "RSA_KEY_UNKNOWN",
        # tgtui's own
        "SESSION_LOCKED",
        "SESSION_CORRUPT",
        "SECRET_MISSING",
        "CONFIG_INVALID",
        "QR_EXPIRED",
        "API_ID_CHANGED",
        "FLOOD_WAIT_LOCAL",
        "CLOCK_SKEW",
    }
)

# One plain sentence per name. Never formatted with anything secret.
MESSAGES: dict[str, str] = {
    "API_ID_INVALID": N_(
        "Telegram does not accept this api_id / api_hash pair; copy both again "
        "from my.telegram.org (API development tools)."
    ),
    "API_ID_PUBLISHED_FLOOD": N_(
        "This api_id is public and over-used; create your own application "
        "on my.telegram.org and use its api_id and api_hash."
    ),
    "PHONE_NUMBER_INVALID": N_(
        "Telegram says this phone number is not valid; type it with its "
        "country code, e.g. +44 7700 900123."
    ),
    "PHONE_NUMBER_BANNED": N_("Telegram has banned this phone number."),
    "PHONE_NUMBER_FLOOD": N_(
        "Too many login attempts for this number; Telegram refuses new codes "
        "for now. Wait (often a day) before trying again."
    ),
    "PHONE_NUMBER_UNOCCUPIED": N_(
        "No Telegram account uses this number. Create the account in an "
        "official Telegram app first; tgtui only logs in to existing accounts, it does not sign up."
    ),
    "PHONE_CODE_INVALID": N_("That code is not right; check it and type it again."),
    "PHONE_CODE_EXPIRED": N_(
        "That code has expired. Ask for a new one. (A code you forwarded or "
        "sent in a chat is expired by Telegram at once.)"
    ),
    "PHONE_CODE_EMPTY": N_("Type the code Telegram sent you."),
    "SEND_CODE_UNAVAILABLE": N_(
        "Telegram has no other way left to send the code right now; use the "
        "code you already have, or wait and start again."
    ),
    "SESSION_PASSWORD_NEEDED": N_("This account has two-step verification: type its password."),
    "PASSWORD_HASH_INVALID": N_("That two-step verification password is not right."),
    "PHONE_PASSWORD_FLOOD": N_("Too many wrong passwords; Telegram blocks tries for a while."),
    "FLOOD_WAIT": N_("Telegram asks to wait before trying this again."),
    "FLOOD_WAIT_LOCAL": N_(
        "Telegram asked to wait before sending another code to this number; "
        "tgtui did not send a request."
    ),
    "AUTH_KEY_UNREGISTERED": N_(
        "The session is no longer logged in (it was logged out or "
        "terminated from another device); log in again."
    ),
    "AUTH_KEY_DUPLICATED": N_(
        "The same session file was used from two places at once, so "
        "Telegram revoked it; log in again and never copy a session file that is in use."
    ),
    "SESSION_REVOKED": N_(
        "The session was terminated (from another device or by logging out); log in again."
    ),
    "SESSION_EXPIRED": N_("The session expired; log in again."),
    "USER_DEACTIVATED": N_("This Telegram account was deleted or deactivated."),
    "USER_DEACTIVATED_BAN": N_("Telegram has banned this account."),
    "USER_MIGRATE": N_(
        "Telegram moved this account to another data centre, where this session "
        "is not valid; log in again."
    ),
    "AUTH_RESTART": N_("Telegram asked to restart the login; start again."),
    "QR_EXPIRED": N_("The QR code expired before it was scanned; show a new one."),
    "SESSION_LOCKED": N_("The session file is in use by another program."),
    "SESSION_CORRUPT": N_("The session file is damaged or is not a Telethon session."),
    "SECRET_MISSING": N_("The api_hash of this account is missing from the secret store."),
    "CONFIG_INVALID": N_("A tgtui file could not be read."),
    "ConnectionError": N_("Could not reach Telegram (connection failed)."),
    "TimeoutError": N_("Telegram did not answer in time."),
    "OSError": N_("Could not reach Telegram (network error)."),
    "ProxyError": N_("The proxy refused or failed the connection."),
    "NOT_MTPROTO": N_(
        "The server did not answer as a Telegram server (a wrong port, a web page "
        "or a filter in between)."
    ),
    "RSA_KEY_UNKNOWN": N_(
        "The server uses an RSA key tgtui does not have; set the server's "
        "public key file (PEM) in the account's server setting."
    ),
    "CLOCK_SKEW": N_(
        "QR login tokens arrive already expired: this computer's clock and the "
        "server's disagree. Set the clock right (NTP), then try again."
    ),
}

# Failure messages are English (matched by the troubleshooter, cached in account.toml);
# `tgtui.failure.localize` translates them when shown. Plurals go through this.
_ENGLISH = gettext.NullTranslations()

# Telethon errors whose `seconds` means "wait this long"; all surface as FLOOD_WAIT.
_FLOOD_CLASSES = ("FloodWaitError", "FloodPremiumWaitError", "FloodTestPhoneWaitError")


class TelegramFailure(Exception):
    """What the Telegram layer raises: carries a `Failure` (no Telethon class leaks)."""

    def __init__(self, failure: Failure) -> None:
        self.failure = failure
        super().__init__(str(failure))


def failure(name: str, message: str | None = None, **kw: object) -> Failure:
    """A Failure with the standard message for `name` unless one is given."""
    return Failure(name, message if message is not None else MESSAGES.get(name, name), **kw)  # type: ignore[arg-type]


def rpc_name(exc: BaseException) -> str | None:
    """The Telegram error name of a Telethon RPCError (FLOOD_WAIT_X → FLOOD_WAIT), else None."""
    from telethon import errors

    if not isinstance(exc, errors.RPCError):
        return None
    cls = type(exc)
    if cls.__name__ in _FLOOD_CLASSES:
        return "FLOOD_WAIT"
    for name, known in errors.rpcerrorlist.rpc_errors_dict.items():
        if known is cls:
            return name
    for pattern, known in errors.rpcerrorlist.rpc_errors_re:
        if known is cls:
            return pattern.replace("_(\\d+)", "").replace("(\\d+)", "")
    message = getattr(exc, "message", None)
    return str(message) if message else cls.__name__


class AnswerTimeout(TimeoutError):
    """tgtui gave up waiting; the message (who, where, how long) is written for a person."""


class ProxyConnectionError(ConnectionError):
    """Connecting through the account's proxy failed (Telethon hides the proxy's own error)."""


def _is_proxy_error(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    return (
        module.startswith(("python_socks", "socks"))
        or type(exc).__name__ in ("ProxyError", "GeneralProxyError", "ProxyConnectionError")
        or (hasattr(exc, "error_code") and isinstance(exc, ConnectionError))
    )


def to_failure(exc: BaseException, stage: str | None = None) -> Failure:
    """Describe any exception from Telethon, SQLite or the network as a `Failure`.

    The message is written for a person and never contains a secret: exception texts
    are only used where they cannot hold one (OS error strings, SQLite messages).
    """
    if isinstance(exc, TelegramFailure):
        return exc.failure
    exc_type = type(exc).__name__
    name = rpc_name(exc) if "telethon" in (type(exc).__module__ or "") else None
    if name is None and exc_type == "AuthKeyNotFound":  # the server forgot this session's key
        name = "AUTH_KEY_UNREGISTERED"
    if name == "CONNECTION_API_ID_INVALID":  # initConnection's name for the same problem
        name = "API_ID_INVALID"
    if name is not None:
        seconds = getattr(exc, "seconds", None)
        if name == "FLOOD_WAIT" and isinstance(seconds, int):
            if exc_type == "FloodPremiumWaitError":
                said = N_(
                    "Telegram asks to wait {wait} before trying this again. "
                    "(a limit for accounts without Premium)"
                )
            else:
                said = N_("Telegram asks to wait {wait} before trying this again.")
            message = said.format(wait=human_wait(seconds))
            return Failure(name, message, seconds=seconds, exc_type=exc_type, stage=stage)
        message = MESSAGES.get(name) or N_("Telegram answered {name}.").format(name=name)
        return Failure(name, message, exc_type=exc_type, stage=stage)
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower():
        return failure(
            "SESSION_LOCKED",
            N_(
                "The session file is locked by another program (SQLite: database is locked); "
                "stop the script that uses it, or wait."
            ),
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, sqlite3.DatabaseError):
        return failure(
            "SESSION_CORRUPT",
            N_(
                "The session file cannot be read ({detail}); it is damaged or not a Telethon "
                "session. Log in again to make a new one."
            ).format(detail=exc),
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, ImportError) and "socks" in str(exc).lower():
        return failure(
            "ProxyError",
            N_(
                "Using a SOCKS or HTTP proxy needs the python-socks package: "
                "pip install 'python-socks[asyncio]'."
            ),
            exc_type=exc_type,
            stage=stage,
        )
    wire = _wire_failure(exc, exc_type, stage)
    if wire is not None:
        return wire
    if _is_proxy_error(exc):
        return failure(
            "ProxyError",
            N_("The proxy failed: {detail}. Check its host, port and login.").format(
                detail=_short(exc)
            ),
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, AnswerTimeout):
        return failure("TimeoutError", f"{exc}.", exc_type="TimeoutError", stage=stage)
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        text = str(exc).strip()
        told = text[0].upper() + text[1:] + "." if ":" in text and text else None
        return failure("TimeoutError", told, exc_type=exc_type, stage=stage)
    if isinstance(exc, socket.gaierror):
        return failure(
            "OSError",
            N_(
                "Could not resolve the server's name ({detail}); check DNS and the host name."
            ).format(detail=_short(exc)),
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, ConnectionError):
        detail = _short(exc)
        message = MESSAGES["ConnectionError"]
        if detail:
            message = N_("Could not reach Telegram: {detail}.").format(detail=detail)
        return failure("ConnectionError", message, exc_type=exc_type, stage=stage)
    if isinstance(exc, OSError):
        detail = _short(exc)
        message = (
            N_("Network error: {detail}.").format(detail=detail) if detail else MESSAGES["OSError"]
        )
        return failure("OSError", message, exc_type=exc_type, stage=stage)
    from tgtui.logfile import log_path

    return Failure(
        exc_type,
        N_("Unexpected error ({name}); see the log: {path}").format(name=exc_type, path=log_path()),
        exc_type=exc_type,
        stage=stage,
    )


def _wire_failure(exc: BaseException, exc_type: str, stage: str | None) -> Failure | None:
    """Named failures for answers that are not MTProto, unknown RSA keys, refused ports."""
    from tgtui.telegram import wirefail

    if isinstance(exc, wirefail.ServerUnreachable):
        return failure(
            "ConnectionError",
            N_("No answer from {where}: {detail}.").format(where=exc.where, detail=exc.detail),
            exc_type=exc_type,
            stage=stage,
        )
    if not isinstance(exc, (wirefail.NotTelegramServer, wirefail.ServerKeyUnknown)):
        exc = wirefail.explain(exc, "the server")
    if isinstance(exc, wirefail.NotTelegramServer):
        return failure(
            "NOT_MTPROTO",
            N_(
                "{where} did not answer as a Telegram server ({detail}). A wrong port, "
                "a web page or captive portal, or a filter that needs a proxy."
            ).format(where=exc.where, detail=exc.detail),
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, wirefail.ServerKeyUnknown):
        return failure(
            "RSA_KEY_UNKNOWN",
            N_(
                "{where} uses an RSA key tgtui does not have (fingerprints "
                "{fingerprints}). Give the account the server's public key file (PEM)."
            ).format(where=exc.where, fingerprints=exc.fingerprints),
            exc_type=exc_type,
            stage=stage,
        )
    return None


def _short(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text[:160]


def target(server: Server | None, address: str = "") -> str:
    """Who an account talks to, in English for a failure message: "Telegram", "Telegram's
    test DC 2 at host:port", "The server at host:port" (`address`: where it really went)."""
    from tgtui.accounts import servers

    if server is None:
        return "Telegram"
    where = address or servers.address(server)
    if server.test:
        return N_("Telegram's test DC {dc} at {address}").format(dc=server.dc_id, address=where)
    return N_("The server at {address}").format(address=where)


def clock_wait(seconds: int) -> str:
    """A wait to the second, in English ("4 min 12 s", "45 s"); `localize` translates it."""
    if seconds < 60:
        return _ENGLISH.ngettext("{n} s", "{n} s", seconds).format(n=seconds)
    return N_("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=seconds % 60)


def human_wait(seconds: int) -> str:
    """A wait the way a person says it, in English ("45 s", "67 min", "3 h", "2 days"):
    it goes into failure messages, which `localize` translates with the right plural."""
    if seconds < 120:
        return _ENGLISH.ngettext("{n} s", "{n} s", seconds).format(n=seconds)
    if seconds < 2 * 3600:
        n = round(seconds / 60)
        return _ENGLISH.ngettext("{n} min", "{n} min", n).format(n=n)
    if seconds < 2 * 86400:
        n = -(-seconds // 3600)
        return _ENGLISH.ngettext("{n} h", "{n} h", n).format(n=n)
    n = -(-seconds // 86400)
    return _ENGLISH.ngettext("{n} day", "{n} days", n).format(n=n)
