"""Turning Telethon's exceptions into `Failure` values, and the names that can surface.

`SURFACED` lists every `Failure.name` the login flow and the health check can produce.
The troubleshooter's tests prove each one matches a specific pitfall; keep it exact when
you add or remove a failure path.

This module does not import Telethon at import time (the UI imports `TelegramFailure`
before Telethon is loaded); `to_failure` imports it when it runs.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3

from tgtui.failure import Failure

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
    "API_ID_INVALID": "Telegram does not accept this api_id / api_hash pair; copy both again "
    "from my.telegram.org (API development tools).",
    "API_ID_PUBLISHED_FLOOD": "This api_id is public and over-used; create your own application "
    "on my.telegram.org and use its api_id and api_hash.",
    "PHONE_NUMBER_INVALID": "Telegram says this phone number is not valid; type it with its "
    "country code, e.g. +44 7700 900123.",
    "PHONE_NUMBER_BANNED": "Telegram has banned this phone number.",
    "PHONE_NUMBER_FLOOD": "Too many login attempts for this number; Telegram refuses new codes "
    "for now. Wait (often a day) before trying again.",
    "PHONE_NUMBER_UNOCCUPIED": "No Telegram account uses this number. Create the account in an "
    "official Telegram app first; tgtui only logs in to existing accounts, it does not sign up.",
    "PHONE_CODE_INVALID": "That code is not right; check it and type it again.",
    "PHONE_CODE_EXPIRED": "That code has expired. Ask for a new one. (A code you forwarded or "
    "sent in a chat is expired by Telegram at once.)",
    "PHONE_CODE_EMPTY": "Type the code Telegram sent you.",
    "SEND_CODE_UNAVAILABLE": "Telegram has no other way left to send the code right now; use the "
    "code you already have, or wait and start again.",
    "SESSION_PASSWORD_NEEDED": "This account has two-step verification: type its password.",
    "PASSWORD_HASH_INVALID": "That two-step verification password is not right.",
    "PHONE_PASSWORD_FLOOD": "Too many wrong passwords; Telegram blocks tries for a while.",
    "FLOOD_WAIT": "Telegram asks to wait before trying this again.",
    "FLOOD_WAIT_LOCAL": "Telegram asked to wait before sending another code to this number; "
    "tgtui did not send a request.",
    "AUTH_KEY_UNREGISTERED": "The session is no longer logged in (it was logged out or "
    "terminated from another device); log in again.",
    "AUTH_KEY_DUPLICATED": "The same session file was used from two places at once, so "
    "Telegram revoked it; log in again and never copy a session file that is in use.",
    "SESSION_REVOKED": "The session was terminated (from another device or by logging out); "
    "log in again.",
    "SESSION_EXPIRED": "The session expired; log in again.",
    "USER_DEACTIVATED": "This Telegram account was deleted or deactivated.",
    "USER_DEACTIVATED_BAN": "Telegram has banned this account.",
    "USER_MIGRATE": "Telegram moved this account to another data centre, where this session "
    "is not valid; log in again.",
    "AUTH_RESTART": "Telegram asked to restart the login; start again.",
    "QR_EXPIRED": "The QR code expired before it was scanned; show a new one.",
    "SESSION_LOCKED": "The session file is in use by another program.",
    "SESSION_CORRUPT": "The session file is damaged or is not a Telethon session.",
    "SECRET_MISSING": "The api_hash of this account is missing from the secret store.",
    "CONFIG_INVALID": "A tgtui file could not be read.",
    "ConnectionError": "Could not reach Telegram (connection failed).",
    "TimeoutError": "Telegram did not answer in time.",
    "OSError": "Could not reach Telegram (network error).",
    "ProxyError": "The proxy refused or failed the connection.",
    "NOT_MTPROTO": "The server did not answer as a Telegram server (a wrong port, a web page "
    "or a filter in between).",
    "RSA_KEY_UNKNOWN": "The server uses an RSA key tgtui does not have; set the server's "
    "public key file (PEM) in the account's server setting.",
    "CLOCK_SKEW": "QR login tokens arrive already expired: this computer's clock and the "
    "server's disagree. Set the clock right (NTP), then try again.",
}

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
            message = f"Telegram asks to wait {_human(seconds)} before trying this again."
            if exc_type == "FloodPremiumWaitError":
                message += " (a limit for accounts without Premium)"
            return Failure(name, message, seconds=seconds, exc_type=exc_type, stage=stage)
        message = MESSAGES.get(name) or f"Telegram answered {name}."
        return Failure(name, message, exc_type=exc_type, stage=stage)
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower():
        return failure(
            "SESSION_LOCKED",
            "The session file is locked by another program (SQLite: database is locked); "
            "stop the script that uses it, or wait.",
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, sqlite3.DatabaseError):
        return failure(
            "SESSION_CORRUPT",
            f"The session file cannot be read ({exc}); it is damaged or not a Telethon "
            "session. Log in again to make a new one.",
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, ImportError) and "socks" in str(exc).lower():
        return failure(
            "ProxyError",
            "Using a SOCKS or HTTP proxy needs the python-socks package: "
            "pip install 'python-socks[asyncio]'.",
            exc_type=exc_type,
            stage=stage,
        )
    wire = _wire_failure(exc, exc_type, stage)
    if wire is not None:
        return wire
    if _is_proxy_error(exc):
        return failure(
            "ProxyError",
            f"The proxy failed: {_short(exc)}. Check its host, port and login.",
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, AnswerTimeout):
        return failure("TimeoutError", f"{exc}.", exc_type="TimeoutError", stage=stage)
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        text = str(exc).strip()
        said = text[0].upper() + text[1:] + "." if ":" in text and text else None
        return failure("TimeoutError", said, exc_type=exc_type, stage=stage)
    if isinstance(exc, socket.gaierror):
        return failure(
            "OSError",
            f"Could not resolve the server's name ({_short(exc)}); check DNS and the host name.",
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, ConnectionError):
        detail = _short(exc)
        message = MESSAGES["ConnectionError"]
        if detail:
            message = f"Could not reach Telegram: {detail}."
        return failure("ConnectionError", message, exc_type=exc_type, stage=stage)
    if isinstance(exc, OSError):
        detail = _short(exc)
        message = f"Network error: {detail}." if detail else MESSAGES["OSError"]
        return failure("OSError", message, exc_type=exc_type, stage=stage)
    from tgtui.logfile import log_path

    return Failure(
        exc_type,
        f"Unexpected error ({exc_type}); see the log: {log_path()}",
        exc_type=exc_type,
        stage=stage,
    )


def _wire_failure(exc: BaseException, exc_type: str, stage: str | None) -> Failure | None:
    """Named failures for answers that are not MTProto, unknown RSA keys, refused ports."""
    from tgtui.telegram import wirefail

    if isinstance(exc, wirefail.ServerUnreachable):
        return failure(
            "ConnectionError",
            f"No answer from {exc.where}: {exc.detail}.",
            exc_type=exc_type,
            stage=stage,
        )
    if not isinstance(exc, (wirefail.NotTelegramServer, wirefail.ServerKeyUnknown)):
        exc = wirefail.explain(exc, "the server")
    if isinstance(exc, wirefail.NotTelegramServer):
        return failure(
            "NOT_MTPROTO",
            f"{exc.where} did not answer as a Telegram server ({exc.detail}). A wrong port, "
            "a web page or captive portal, or a filter that needs a proxy.",
            exc_type=exc_type,
            stage=stage,
        )
    if isinstance(exc, wirefail.ServerKeyUnknown):
        return failure(
            "RSA_KEY_UNKNOWN",
            f"{exc.where} uses an RSA key tgtui does not have (fingerprints "
            f"{exc.fingerprints}). Give the account the server's public key file (PEM).",
            exc_type=exc_type,
            stage=stage,
        )
    return None


def _short(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text[:160]


def _human(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{round(seconds / 60)} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h".replace(".0 h", " h")
    return f"{seconds / 86400:.1f} days".replace(".0 days", " days")
