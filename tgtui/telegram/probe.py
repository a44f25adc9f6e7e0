"""Does ``host:port`` speak MTProto? A real handshake, not a TCP connect.

`probe` opens Telethon's own TCP transport and runs its auth-key exchange
(req_pq_multi, req_DH_params, set_client_DH_params) against the server, the way every
new session starts. A port that accepts TCP but answers with a web page, random bytes
or nothing at all (captive portals, middleboxes, a wrong port) fails here with the same
named failures a login would show, and a server whose RSA key tgtui lacks is named too.
Nothing is saved: the throw-away key is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from tgtui.failure import Failure
from tgtui.i18n import N_, _
from tgtui.telegram.errors import TelegramFailure, failure, to_failure
from tgtui.telegram.wirefail import (
    CONNECT_ERRORS,
    NotTelegramServer,
    ServerKeyUnknown,
    ServerUnreachable,
    explain,
    recording,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProbeResult:
    """What a handshake with one server showed."""

    where: str  # host:port
    ok: bool
    ms: float | None = None  # handshake time
    clock_offset: int | None = None  # server clock minus ours, seconds
    error: Failure | None = None

    def summary(self) -> str:
        """One line for a person: "host:port answers MTProto (key exchange 42 ms)"."""
        if self.ok:
            ms = f"{self.ms:.0f}"
            if self.clock_offset and abs(self.clock_offset) >= 10:
                return _(
                    "{where} answers MTProto (key exchange {ms} ms); its clock differs from "
                    "ours by {offset} s"
                ).format(where=self.where, ms=ms, offset=f"{self.clock_offset:+d}")
            return _("{where} answers MTProto (key exchange {ms} ms)").format(
                where=self.where, ms=ms
            )
        message = self.error.text if self.error else _("no answer")
        return message.rstrip(".")


async def probe(
    host: str,
    port: int,
    *,
    dc_id: int = 2,
    rsa_key_file: str | Path | None = None,
    timeout: float = 5.0,
) -> ProbeResult:
    """Run an MTProto key exchange with ``host:port``; never raises."""
    from telethon.network import MTProtoPlainSender, authenticator
    from telethon.network.connection import ConnectionTcpFull

    where = f"{host}:{port}"
    try:
        if rsa_key_file:
            from tgtui.telegram.client import load_rsa_key

            load_rsa_key(rsa_key_file)
    except TelegramFailure as exc:
        return ProbeResult(where, ok=False, error=exc.failure)
    loggers = _Loggers()
    connection = ConnectionTcpFull(host, port, dc_id, loggers=loggers)
    started = time.perf_counter()
    with recording() as seen:
        try:
            await asyncio.wait_for(connection.connect(timeout=timeout), timeout)
            plain = MTProtoPlainSender(connection, loggers=loggers)
            _key, offset = await asyncio.wait_for(authenticator.do_authentication(plain), timeout)
            ms = (time.perf_counter() - started) * 1000
            return ProbeResult(where, ok=True, ms=ms, clock_offset=int(offset))
        except Exception as exc:
            return ProbeResult(where, ok=False, error=_failure(exc, where, timeout, seen))
        finally:
            try:
                await asyncio.wait_for(connection.disconnect(), 2)
            except Exception:  # closing a dead socket may fail; nothing to do about it
                log.debug("probe of %s: disconnect failed", where, exc_info=True)


def _failure(exc: BaseException, where: str, timeout: float, seen: list[str]) -> Failure:
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return failure(
            "TimeoutError",
            N_(
                "{where} did not answer the MTProto handshake within {seconds} s "
                "(a filter that drops Telegram, or a port that is not a Telegram server)"
            ).format(where=where, seconds=f"{timeout:g}"),
            exc_type="TimeoutError",
            stage="environment",
        )
    if type(exc).__name__ == "SecurityError" and "valid key for fingerprints" in str(exc):
        text = str(exc).rsplit(":", 1)[-1].strip()
        return failure(
            "RSA_KEY_UNKNOWN",
            N_(
                "{where} answers MTProto but uses an RSA key tgtui does not have "
                "(fingerprints {fingerprints}). Give the account the server's public key "
                "file (PEM)."
            ).format(where=where, fingerprints=text),
            exc_type="SecurityError",
            stage="environment",
        )
    named = explain(exc, where, seen)
    if isinstance(named, OSError) and not isinstance(
        named, (NotTelegramServer, ServerUnreachable, ServerKeyUnknown)
    ):
        why = CONNECT_ERRORS.get(type(named).__name__) or named.strerror or str(named)
        named = ServerUnreachable(where, why)
    return to_failure(named, "environment")


def probe_sync(host: str, port: int, **kw: object) -> ProbeResult:
    """`probe` for synchronous callers (the CLI's doctor), in a fresh event loop."""
    return asyncio.run(probe(host, port, **kw))  # type: ignore[arg-type]


class _Loggers(dict):  # type: ignore[type-arg]
    """Telethon's per-module loggers under tgtui's Telethon logger, as tgtui's clients
    have them: to tgtui's log file, never the terminal."""

    def __missing__(self, key: str) -> logging.Logger:
        from tgtui.telegram.connect_errors import telethon_logger

        return telethon_logger().getChild(key.split(".", 1)[-1])
