"""Saying why a connection failed: host:port and what happened, never Telethon's noise.

Telethon logs each failed connection attempt ("Attempt 1 at connecting failed:
ConnectionRefusedError: ...") and then raises a bare "Connection to Telegram failed 1
time(s)". tgtui's clients log under `tgtui.telethon` (see `TELETHON_LOGGER`): those
lines go to tgtui's log file, never the terminal, and `capture_attempts` collects the
attempts of one connect so the failure can name the real cause.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import socket
from collections.abc import Iterator

from tgtui.accounts import Proxy, Server
from tgtui.failure import Failure
from tgtui.i18n import N_

TELETHON_LOGGER = "tgtui.telethon"

_attempts: contextvars.ContextVar[list[tuple[str, str]] | None] = contextvars.ContextVar(
    "tgtui_connect_attempts", default=None
)


class _AttemptCapture(logging.Handler):
    """Keeps (exception type, text) of failed connect attempts of the current connect."""

    def emit(self, record: logging.LogRecord) -> None:
        found = _attempts.get()
        if found is None or not isinstance(record.args, tuple) or len(record.args) < 3:
            return
        if str(record.msg).startswith(("Attempt %d at connecting failed", "Connection error %d")):
            found.append((str(record.args[1]), str(record.args[2])))


_installed = False


def telethon_logger() -> logging.Logger:
    """The logger tgtui's own Telethon clients use (`base_logger`); installed once.

    The capture handler doubles as the reason Telethon's warnings never reach stderr:
    Python prints to the terminal only when no handler exists anywhere up the chain.
    """
    global _installed
    logger = logging.getLogger(TELETHON_LOGGER)
    if not _installed:
        logger.addHandler(_AttemptCapture(logging.WARNING))
        _installed = True
    return logger


@contextlib.contextmanager
def capture_attempts() -> Iterator[list[tuple[str, str]]]:
    """Collect the failed connect attempts logged inside the block (this task only)."""
    found: list[tuple[str, str]] = []
    token = _attempts.set(found)
    try:
        yield found
    finally:
        _attempts.reset(token)


def who(server: Server | None) -> str:
    """ "Telegram", "Telegram's test DC 2" or "the server", in English for a failure message
    (`localize` translates it when shown)."""
    if server is None:
        return "Telegram"
    if server.test:
        return N_("Telegram's test DC {dc}").format(dc=server.dc_id)
    return N_("the server")


def where(host: str, port: int | None) -> str:
    """`host:port` (IPv6 in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port else shown


def describe(
    exc: BaseException,
    attempts: list[tuple[str, str]],
    *,
    host: str,
    port: int | None,
    server: Server | None,
    proxy: Proxy | None,
    timeout: float | None,
    stage: str,
) -> Failure | None:
    """A Failure naming host:port and the cause, or None when this is not a plain
    connection failure (the caller's general mapping handles it then)."""
    if not isinstance(exc, (OSError, TimeoutError)):
        return None
    text = str(exc)
    if attempts:
        kind, detail = attempts[-1]
    elif "failed" in text and "time(s)" in text:
        return None  # e.g. "auth_key generation failed": not a transport failure
    else:
        kind = type(exc).__name__
        detail = (exc.strerror if isinstance(exc, OSError) else "") or text
    target = who(server)
    at = where(host, port)
    if proxy is not None:
        through = where(proxy.host, proxy.port)
        why = _short(kind, detail)
        if "Refused" in kind or "Connect call failed" in detail:
            why = N_("the proxy refused the connection")
        return Failure(
            "ProxyError",
            N_(
                "Could not connect through the {kind} proxy {through} to {target} "
                "({at}): {why}. Check the proxy's host, port and login."
            ).format(kind=proxy.kind, through=through, target=target, at=at, why=why),
            exc_type=kind,
            stage=stage,
        )
    if kind == "ConnectionRefusedError":
        return Failure(
            "ConnectionError",
            N_(
                "Could not reach {target} at {at}: the connection was refused (nothing "
                "listens on that port, or a firewall rejects it)."
            ).format(target=target, at=at),
            exc_type=kind,
            stage=stage,
        )
    if kind in ("TimeoutError", "timeout") or isinstance(exc, TimeoutError) and not attempts:
        if timeout:
            said = N_(
                "Could not reach {target} at {at}: timed out after {seconds} s (the network "
                "drops the packets: a firewall, or a proxy is needed)."
            )
        else:
            said = N_(
                "Could not reach {target} at {at}: timed out (the network drops the "
                "packets: a firewall, or a proxy is needed)."
            )
        return Failure(
            "TimeoutError",
            said.format(target=target, at=at, seconds=f"{timeout:g}" if timeout else ""),
            exc_type=kind,
            stage=stage,
        )
    if kind == "gaierror" or isinstance(exc, socket.gaierror):
        return Failure(
            "OSError",
            N_(
                "Could not reach {target} at {at}: the name {host} does not resolve (DNS: "
                "{detail}). Check the host name and this machine's DNS."
            ).format(target=target, at=at, host=host, detail=detail or N_("unknown host")),
            exc_type=kind,
            stage=stage,
        )
    return Failure(
        "ConnectionError" if "Connection" in kind else "OSError",
        N_("Could not reach {target} at {at}: {detail}.").format(
            target=target, at=at, detail=_short(kind, detail)
        ),
        exc_type=kind,
        stage=stage,
    )


def _short(kind: str, detail: str) -> str:
    detail = detail.strip()
    if detail.startswith("[Errno"):
        detail = detail.split("]", 1)[-1].strip()
    return (detail or kind)[:160]
