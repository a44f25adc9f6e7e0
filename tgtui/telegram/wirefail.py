"""Naming what went wrong on the wire: not a Telegram server, an unknown RSA key, refused.

Telethon reports these poorly: a port that answers with HTTP or random bytes surfaces as
``asyncio.IncompleteReadError`` (an `EOFError`, not a `ConnectionError`) or
``InvalidBufferError``; a server whose RSA key the client does not have surfaces as
"auth_key generation failed N time(s)", the real cause only in a log line. `explain`
turns such exceptions into `NotTelegramServer` / `ServerKeyUnknown` /
`ServerUnreachable`, all `ConnectionError`s that carry ``host:port``, so `to_failure`
can name them. The causes Telethon only logs are caught by a logging filter that records
them for the task doing the connect (a context variable), never printing anything.

No Telethon import at module import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gettext
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

from tgtui.i18n import N_

# Messages here end up in failure messages, in English; `localize` translates them.
_ENGLISH = gettext.NullTranslations()

# Telethon logs (at WARNING) what it does not raise: connect attempts, key-exchange
# failures, and what the transport read before the link died.
_LOGGERS = (
    "telethon.network.mtprotosender",
    "telethon.network.connection.connection",
    "telethon.network.mtprotostate",
)
_RECORDED = (
    "failed",
    "during auth_key gen",
    "Server closed the connection",
    "Server response had",
    "very new message",
    "very old message",
)
T = TypeVar("T")
_SKEWED = re.compile(r"very (?:new|old) message with ID (\d+)")
_attempts: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "tgtui_wire_attempts", default=None
)
# Exception type names that mean "the bytes that came back were not MTProto", in words.
_GARBAGE = {
    "InvalidBufferError": N_("an answer that is not an MTProto frame"),
    "InvalidChecksumError": N_("a frame with a wrong checksum"),
    "TypeNotFoundError": N_("an answer with unknown content"),
    "SecurityError": N_("a key-exchange answer that does not check out"),
    "AssertionError": N_("a key-exchange answer that does not check out"),
    "error": N_("a malformed answer"),  # struct.error
}


class NotTelegramServer(ConnectionError):
    """The server answered, but not with MTProto (an HTTP page, random bytes, a cut frame)."""

    def __init__(self, where: str, detail: str) -> None:
        self.where, self.detail = where, detail
        super().__init__(
            N_("{where} did not answer as a Telegram server ({detail})").format(
                where=where, detail=detail
            )
        )


class ServerKeyUnknown(ConnectionError):
    """The server offered RSA key fingerprints the client has no public key for."""

    def __init__(self, where: str, fingerprints: str) -> None:
        self.where, self.fingerprints = where, fingerprints
        super().__init__(
            N_("{where} uses an RSA key tgtui does not have (fingerprints {fingerprints})").format(
                where=where, fingerprints=fingerprints
            )
        )


class ServerUnreachable(ConnectionError):
    """No connection to host:port (refused, reset, timed out); ``detail`` says which."""

    def __init__(self, where: str, detail: str) -> None:
        self.where, self.detail = where, detail
        super().__init__(N_("no answer from {where} ({detail})").format(where=where, detail=detail))


class _AttemptRecorder(logging.Handler):
    """Remembers Telethon's connect and key-exchange failures for the current task.

    Used as a filter on stock Telethon's loggers (it lets every record through) and as a
    handler under tgtui's own Telethon logger (`connect_errors.TELETHON_LOGGER`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        seen = _attempts.get()
        msg = record.msg if isinstance(record.msg, str) else ""
        if seen is not None and any(mark in msg for mark in _RECORDED):
            with contextlib.suppress(Exception):  # a bad record must never break logging
                seen.append(record.getMessage())


_recorder = _AttemptRecorder(logging.WARNING)
_tgtui_recorder = _AttemptRecorder(logging.WARNING)


def _install() -> None:
    from tgtui.telegram.connect_errors import telethon_logger

    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _recorder not in logger.filters:
            logger.addFilter(_recorder)
    base = telethon_logger()
    if _tgtui_recorder not in base.handlers:
        base.addHandler(_tgtui_recorder)


def address_of(client: Any) -> str:
    """``host:port`` the client connects to (from its session)."""
    session = getattr(client, "session", None)
    host = getattr(session, "server_address", None) or "?"
    port = getattr(session, "port", None) or "?"
    return f"{host}:{port}"


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


CONNECT_ERRORS = {
    "ConnectionRefusedError": N_("connection refused"),
    "ConnectionResetError": N_("connection reset"),
    "TimeoutError": N_("timed out"),
    "gaierror": N_("the host name did not resolve (DNS)"),
}


def _connect_detail(attempts: list[str] | None) -> str:
    """What Telethon's last logged connect attempt says, in a few words."""
    for line in reversed(attempts or []):
        if "at connecting failed" not in line and "during auth_key gen" not in line:
            continue
        parts = line.split(": ", 2)
        if len(parts) >= 2:
            kind = parts[1]
            return CONNECT_ERRORS.get(kind) or (parts[2] if len(parts) > 2 else kind)
    return N_("no connection")


def explain(exc: BaseException, where: str, attempts: list[str] | None = None) -> BaseException:
    """The named exception for a raw wire failure at ``where``; other exceptions as they are."""
    if isinstance(exc, (NotTelegramServer, ServerKeyUnknown, ServerUnreachable)):
        return exc
    name = type(exc).__name__
    if name == "InvalidBufferError" and getattr(exc, "code", None) in (404, 429):
        return exc  # Telethon's own meaning: forgotten key / transport flood
    if isinstance(exc, asyncio.IncompleteReadError):
        if not exc.partial:
            return ServerUnreachable(where, N_("it closed the connection without answering"))
        return NotTelegramServer(
            where,
            _sent_garbage(len(exc.partial)),
        )
    if name in _GARBAGE:
        return NotTelegramServer(where, _GARBAGE[name])
    if isinstance(exc, EOFError):
        return ServerUnreachable(where, N_("it closed the connection"))
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)) and where not in str(exc):
        return TimeoutError(N_("{where} did not answer in time").format(where=where))
    text = str(exc)
    if isinstance(exc, ConnectionError) and "auth_key generation failed" in text:
        for line in attempts or ():
            if "valid key for fingerprints" in line:
                return ServerKeyUnknown(where, line.rsplit(":", 1)[-1].strip())
        reason = (attempts or [""])[-1].split(": ", 1)[-1] or text
        return NotTelegramServer(
            where, N_("the key exchange failed: {reason}").format(reason=reason)
        )
    if isinstance(exc, ConnectionError):
        return _from_transport_log(exc, where, attempts)
    return exc


def _from_transport_log(
    exc: ConnectionError, where: str, attempts: list[str] | None
) -> BaseException:
    """A bare ConnectionError ("Not connected"): what the transport logged says why."""
    lines = attempts or []
    for line in lines:  # evidence of non-MTProto bytes wins over a later reset
        if "Server response had" in line:
            return NotTelegramServer(where, _GARBAGE["InvalidBufferError"])
        found = re.search(r"(\d+) bytes read on a total of", line)
        if found and int(found.group(1)) > 0:
            return NotTelegramServer(
                where,
                _sent_garbage(int(found.group(1))),
            )
    for line in reversed(lines):
        if "Server closed the connection" not in line:
            continue
        if "bytes read on a total of" in line:
            return ServerUnreachable(where, N_("it closed the connection without answering"))
        if "reset" in line.lower():
            return ServerUnreachable(where, N_("connection reset"))
        return ServerUnreachable(where, N_("it closed the connection"))
    return exc


def explain_timeout(client: Any, limit: float) -> BaseException:
    """A hard timeout on ``client``: the cause Telethon logged meanwhile, if it names one
    (refused, an unknown RSA key, garbage), else "host:port did not answer within N s"."""
    where = address_of(client)
    events = list(getattr(client, "_tgtui_wire_events", None) or [])
    for line in events:
        if "valid key for fingerprints" in line:
            return ServerKeyUnknown(where, line.rsplit(":", 1)[-1].strip())
    garbage = _from_transport_log(ConnectionError(), where, events)
    if isinstance(garbage, NotTelegramServer):
        return garbage
    if any("at connecting failed" in line or "during auth_key gen" in line for line in events):
        return ServerUnreachable(where, _connect_detail(events))
    return TimeoutError(
        N_("{target} did not answer within {seconds} s").format(target=where, seconds=f"{limit:g}")
    )


def _sent_garbage(count: int) -> str:
    """In English for a failure message (`localize` translates it with its plural)."""
    return _ENGLISH.ngettext(
        "it sent {n} byte that is not MTProto and closed the connection",
        "it sent {n} bytes that are not MTProto and closed the connection",
        count,
    ).format(n=count)


def explain_client(exc: BaseException, client: Any) -> BaseException:
    """`explain` with what Telethon logged for this client's connection."""
    return explain(exc, address_of(client), getattr(client, "_tgtui_wire_events", None))


@contextlib.contextmanager
def recording() -> Iterator[list[str]]:
    """Collect what Telethon logs about connecting and the transport, in this context
    (and in the tasks started inside it), for `explain`."""
    _install()
    seen: list[str] = []
    token = _attempts.set(seen)
    try:
        yield seen
    finally:
        _attempts.reset(token)


@contextlib.contextmanager
def watching(client: Any) -> Iterator[list[str]]:
    """Record what Telethon logs about ``client``'s connection inside the block.

    Telethon's send/receive tasks start inside the connect and copy this context, so
    what they log later (a link dying mid-request) lands in the same list, which
    `explain_client` and `explain_timeout` read."""
    _install()
    seen: list[str] = []
    client._tgtui_wire_events = seen
    token = _attempts.set(seen)
    try:
        yield seen
    finally:
        _attempts.reset(token)


async def clock_corrected(client: Any, seen: list[str], make: Callable[[], Awaitable[T]]) -> T:
    """``await make()`` (a connect, or a connect and first request), once more with the
    server's clock offset when Telethon dropped its answers as too new or too old.

    Telethon 1.39 learns the server's clock only from a new key's DH exchange or a
    "msg_id too low/high" notice; a server clock far *ahead* of ours (a stored key, this
    machine's clock slow) makes it drop every answer as "very new" and wait forever.
    The dropped message's id says the server's time.
    """
    task = asyncio.ensure_future(make())
    offset: int | None = None
    try:
        while offset is None:
            done, _ = await asyncio.wait({task}, timeout=0.05)
            if done:
                return task.result()
            for line in seen:
                found = _SKEWED.search(line)
                if found:
                    offset = (int(found.group(1)) >> 32) - int(time.time())
                    break
    except asyncio.CancelledError:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task  # leave no task behind when the caller is cancelled
        raise
    task.cancel()
    with contextlib.suppress(BaseException):
        await task
    with contextlib.suppress(Exception):
        await client.disconnect()
    state = getattr(getattr(client, "_sender", None), "_state", None)
    if state is not None:
        state.time_offset = offset
    seen.clear()
    return await make()


async def connect_explained(client: Any) -> None:
    """``client.connect()``, raising named exceptions (with host:port) for wire failures,
    and correcting for a server clock far ahead (`clock_corrected`)."""
    with watching(client) as seen:
        try:
            await clock_corrected(client, seen, client.connect)
        except Exception as exc:
            named = explain(exc, address_of(client), seen)
            retrieve_disconnect_error(client)
            if named is exc:
                raise
            raise named from exc


def retrieve_disconnect_error(client: Any) -> None:
    """Mark the sender's "disconnected" future as seen, so asyncio never prints
    "Future exception was never retrieved" after a failed connection."""
    sender = getattr(client, "_sender", None)
    future = getattr(sender, "_disconnected", None) if sender is not None else None
    if isinstance(future, asyncio.Future) and future.done() and not future.cancelled():
        future.exception()
