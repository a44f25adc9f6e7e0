"""Building Telethon clients from the store: session file, credentials, proxy, server.

`make_client` only builds (no network); `session_client` is the safe way to use an
account: it takes the account's lock, connects, and always disconnects and unlocks.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tgtui.accounts import Account, AccountInUse, InvalidInput, Proxy
from tgtui.accounts.fsutil import FILE_MODE, create_private
from tgtui.telegram.errors import TelegramFailure, failure, to_failure

if TYPE_CHECKING:
    from telethon import TelegramClient

    from tgtui.telegram.context import Telegram

PROXY_KINDS = ("socks5", "http", "mtproxy")
_KIND_ALIASES = {
    "socks": "socks5",
    "socks5h": "socks5",
    "https": "http",
    "mtproto": "mtproxy",
    "mtp": "mtproxy",
}

# Client settings for tgtui's own, short-lived connections: fail fast, never spin.
CLIENT_DEFAULTS: dict[str, Any] = {
    "connection_retries": 1,
    "retry_delay": 1,
    "request_retries": 1,
    "flood_sleep_threshold": 0,  # a flood wait is reported, never slept through silently
    "raise_last_call_error": True,
    "auto_reconnect": False,  # a dropped link fails the call; the caller decides to retry
    "timeout": 10,
}


def validate_proxy(
    kind: str, host: str, port: int | str, secret: str = "", username: str = ""
) -> Proxy:
    """Check a proxy's fields and return a `Proxy`; raise InvalidInput saying what to fix.

    `secret` is the MTProxy secret (or the SOCKS/HTTP password); it is checked but not put
    in the returned Proxy, which never holds secrets.
    """
    kind = (kind or "").strip().lower()
    kind = _KIND_ALIASES.get(kind, kind)
    if kind not in PROXY_KINDS:
        raise InvalidInput("Pick a proxy type: socks5, http or mtproxy.")
    host = (host or "").strip()
    if not host:
        raise InvalidInput("Type the proxy's host name or IP address.")
    if "://" in host:
        raise InvalidInput("Type only the host (e.g. proxy.example.com), without socks5:// or ://.")
    if re.search(r"[\s/@]", host):
        raise InvalidInput("The proxy host has no spaces, / or @; type only the host name or IP.")
    text = str(port).strip()
    if not text.isdigit():
        raise InvalidInput("The proxy port is a number, e.g. 1080 (SOCKS) or 443 (MTProxy).")
    number = int(text)
    if not 1 <= number <= 65535:
        raise InvalidInput("The proxy port is between 1 and 65535.")
    if kind == "mtproxy":
        mtproxy_secret(secret)
    return Proxy(kind=kind, host=host, port=number, username=(username or "").strip())


def mtproxy_secret(secret: str) -> str:
    """Check an MTProxy secret and return it cleaned; raise InvalidInput otherwise."""
    text = re.sub(r"\s+", "", secret or "")
    if not text:
        raise InvalidInput("An MTProxy needs its secret (the 'secret=' part of its tg:// link).")
    lowered = text.lower()
    if lowered.startswith("ee") and re.fullmatch(r"[0-9a-f]+", lowered) and len(lowered) > 34:
        raise InvalidInput(
            "This is a fake-TLS secret (starts with ee); Telethon cannot use those. "
            "Ask the proxy owner for a secret that starts with dd, or a plain one."
        )
    if re.fullmatch(r"(dd)?[0-9a-fA-F]{32}", text):
        return lowered
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raw = b""
    if len(raw) >= 16 and raw[:1] != b"\xee":
        return text
    raise InvalidInput(
        "An MTProxy secret is 32 hex characters (optionally starting with dd); copy it again."
    )


def telethon_proxy(proxy: Proxy, secret: str | None) -> tuple[Any, Any]:
    """`(connection_class_or_None, proxy_argument)` for TelegramClient."""
    if proxy.kind == "mtproxy":
        from telethon.network.connection import ConnectionTcpMTProxyRandomizedIntermediate

        if not secret:
            raise TelegramFailure(
                failure("CONFIG_INVALID", "This account's MTProxy has no secret; set it again.")
            )
        return ConnectionTcpMTProxyRandomizedIntermediate, (
            proxy.host,
            proxy.port,
            mtproxy_secret(secret),
        )
    arg: dict[str, Any] = {
        "proxy_type": proxy.kind,
        "addr": proxy.host,
        "port": proxy.port,
        "rdns": True,
    }
    if proxy.username:
        arg["username"] = proxy.username
    if secret:
        arg["password"] = secret
    return None, arg


def load_rsa_key(path: str | Path) -> None:
    """Register a server's RSA public key (PEM, PKCS#1 or X.509) with Telethon."""
    import rsa
    from telethon.crypto import rsa as tl_rsa

    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise TelegramFailure(
            failure(
                "CONFIG_INVALID",
                f"The server's RSA key file {path} cannot be read ({exc.strerror or exc}).",
            )
        ) from None
    try:
        if b"BEGIN RSA PUBLIC KEY" in data:
            key = rsa.PublicKey.load_pkcs1(data)
        else:
            key = rsa.PublicKey.load_pkcs1_openssl_pem(data)
    except Exception:
        raise TelegramFailure(
            failure(
                "CONFIG_INVALID",
                f"{path} is not an RSA public key in PEM form "
                "(-----BEGIN RSA PUBLIC KEY----- or -----BEGIN PUBLIC KEY-----).",
            )
        ) from None
    tl_rsa.add_key(key.save_pkcs1().decode("ascii"), old=False)


def ensure_session_file(path: Path) -> None:
    """Create an empty 0600 session file if none exists (SQLite would create it 0644)."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(create_private(path))
    else:
        with contextlib.suppress(OSError):
            os.chmod(path, FILE_MODE)


def make_client(
    tg: Telegram,
    account: Account,
    api_hash: str,
    *,
    receive_updates: bool = False,
    proxy_secret: str | None = None,
    in_memory: bool = False,
    **overrides: Any,
) -> TelegramClient:
    """A Telethon client for `account` (not connected). Uses the simulator when `tg.sim`.

    Call it on the event loop that will use the client (Telethon binds to it).
    `in_memory` reads the session file once and never writes it back: health checks use
    it so a sweep never rewrites (or locks) the SQLite file a user's script may have open.

    Raises TelegramFailure (SESSION_CORRUPT, SESSION_LOCKED, CONFIG_INVALID) when the
    session file or the account's settings cannot be used.
    """
    path = account.session_path
    if not in_memory:
        ensure_session_file(path)
    kwargs: dict[str, Any] = dict(CLIENT_DEFAULTS)
    kwargs.update(
        device_model=tg.device_model,
        app_version=tg.app_version,
        system_version=tg.system_version,
        receive_updates=receive_updates,
        timeout=max(1, int(min(tg.settings.check_timeout, 10))),
    )
    kwargs.update(overrides)
    try:
        session: Any = memory_copy(path) if in_memory else str(path)
        if tg.sim is not None:
            from tgtui.telegram.sim import sim_client

            client = sim_client(tg.sim, session, account.api_id, api_hash, **kwargs)
        else:
            from telethon import TelegramClient

            if account.proxy is not None:
                connection, proxy_arg = telethon_proxy(account.proxy, proxy_secret)
                kwargs["proxy"] = proxy_arg
                if connection is not None:
                    kwargs["connection"] = connection
            client = TelegramClient(session, account.api_id, api_hash, **kwargs)
        if account.server is not None:
            server = account.server
            if server.rsa_key_file and tg.sim is None:
                load_rsa_key(server.rsa_key_file)
            if client.session.auth_key is None and not in_memory:
                client.session.set_dc(server.dc_id, server.host, server.port)
                client.session.save()
    except TelegramFailure:
        raise
    except Exception as exc:
        raise TelegramFailure(to_failure(exc, "session")) from None
    return client


async def disconnect_quietly(client: Any) -> None:
    """Disconnect and close the session file; never raises (it runs in `finally`)."""
    from tgtui.telegram.wirefail import retrieve_disconnect_error

    with contextlib.suppress(Exception):
        await client.disconnect()
    retrieve_disconnect_error(client)
    with contextlib.suppress(Exception):
        if client.session is not None:
            client.session.close()


@contextlib.asynccontextmanager
async def session_client(
    tg: Telegram,
    account: Account,
    *,
    receive_updates: bool = False,
    proxy_secret: str | None = None,
    stage: str = "session",
) -> AsyncIterator[TelegramClient]:
    """Connected client for `account`, holding its lock for the whole block.

    Raises TelegramFailure: SESSION_LOCKED (in use elsewhere), SECRET_MISSING (no
    api_hash), CONFIG_INVALID (unreadable account.toml), or the connect failure.
    Always disconnects and releases the lock.
    """
    if account.broken:
        raise TelegramFailure(failure("CONFIG_INVALID", account.broken, stage=stage))
    lock = tg.store.lock(account.name)
    try:
        lock.acquire()
    except AccountInUse as exc:
        raise TelegramFailure(
            failure("SESSION_LOCKED", str(exc), exc_type="AccountInUse", stage=stage)
        ) from None
    try:
        api_hash = await get_api_hash(tg, account, stage)
        client = make_client(
            tg, account, api_hash, receive_updates=receive_updates, proxy_secret=proxy_secret
        )
        try:
            try:
                await connect_client(client, account.proxy)
            except Exception as exc:
                raise TelegramFailure(to_failure(exc, stage)) from None
            yield client
        finally:
            await disconnect_quietly(client)
    finally:
        lock.release()


async def get_api_hash(tg: Telegram, account: Account, stage: str = "session") -> str:
    """The account's api_hash from the secret store (in a thread: keyrings block)."""
    try:
        value = await asyncio.to_thread(tg.store.api_hash, account)
    except Exception as exc:
        raise TelegramFailure(
            failure(
                "SECRET_MISSING",
                f"The api_hash cannot be read: {exc}",
                exc_type=type(exc).__name__,
                stage=stage,
            )
        ) from None
    if not value:
        raise TelegramFailure(
            failure(
                "SECRET_MISSING",
                "The api_hash of this account is missing from the secret store; "
                "set it again (api_hash from my.telegram.org).",
                stage=stage,
            )
        )
    return value


async def connect_client(client: Any, proxy: Proxy | None) -> None:
    """`client.connect()`, naming the proxy when connecting through one fails.

    Telethon swallows the proxy library's error and reports a plain ConnectionError, which
    would send the user looking at Telegram or their network instead of their proxy.
    """
    from tgtui.telegram.errors import ProxyConnectionError
    from tgtui.telegram.wirefail import NotTelegramServer, ServerKeyUnknown, connect_explained

    try:
        await connect_explained(client)
    except (ConnectionError, OSError) as exc:
        if proxy is None or isinstance(
            exc, (ProxyConnectionError, NotTelegramServer, ServerKeyUnknown)
        ):
            raise
        raise ProxyConnectionError(
            f"could not connect through the {proxy.kind} proxy {proxy.host}:{proxy.port}"
        ) from exc


def memory_copy(path: Path) -> Any:
    """A Telethon MemorySession holding the DC and auth key of the session file at `path`.

    The file is opened read-only, so this never writes to it or waits on a writer.
    """
    import sqlite3

    from telethon.crypto import AuthKey
    from telethon.sessions import MemorySession

    uri = f"file:{Path(path).resolve()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=2)
    try:
        row = conn.execute("select dc_id, server_address, port, auth_key from sessions").fetchone()
    finally:
        conn.close()
    session = MemorySession()
    if row is not None:
        dc_id, address, port, key = row
        session.set_dc(dc_id, address, port)
        if key:
            session.auth_key = AuthKey(data=key)
    return session
