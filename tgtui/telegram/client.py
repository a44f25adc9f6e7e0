"""Building Telethon clients from the store: session file, credentials, proxy, server.

`make_client` only builds (no network); `session_client` is the safe way to use an
account: it takes the account's lock, connects, and always disconnects and unlocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tgtui.accounts import Account, AccountInUse, Proxy, Server, validate
from tgtui.accounts import servers as known_servers
from tgtui.accounts.fsutil import FILE_MODE, create_private
from tgtui.accounts.validate import mtproxy_secret
from tgtui.failure import english_of
from tgtui.i18n import N_
from tgtui.telegram.errors import TelegramFailure, failure, to_failure

if TYPE_CHECKING:
    from telethon import TelegramClient

    from tgtui.telegram.context import Telegram

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
    """Check a proxy's fields (`validate.proxy_fields`) and return the public `Proxy`."""
    return validate.proxy_fields(kind, host, port, secret, username).proxy


def telethon_proxy(proxy: Proxy, secret: str | None) -> tuple[Any, Any]:
    """`(connection_class_or_None, proxy_argument)` for TelegramClient."""
    if proxy.kind == "mtproxy":
        from telethon.network.connection import ConnectionTcpMTProxyRandomizedIntermediate

        if not secret:
            raise TelegramFailure(
                failure("CONFIG_INVALID", N_("This account's MTProxy has no secret; set it again."))
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
                N_("The server's RSA key file {path} cannot be read ({detail}).").format(
                    path=path, detail=exc.strerror or exc
                ),
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
                N_(
                    "{path} is not an RSA public key in PEM form "
                    "(-----BEGIN RSA PUBLIC KEY----- or -----BEGIN PUBLIC KEY-----)."
                ).format(path=path),
            )
        ) from None
    tl_rsa.add_key(key.save_pkcs1().decode("ascii"), old=False)


def apply_server(session: Any, server: Server, *, register_key: bool = True) -> None:
    """Point a Telethon session at the account's server (it wins on every connect).

    The saved login (auth key) is kept: a server that does not know it answers
    AUTH_KEY_UNREGISTERED, which tgtui reports as "log in again". A session that
    Telegram moved to another DC of the same server keeps that DC.
    """
    if register_key:
        if server.rsa_key_file:
            load_rsa_key(server.rsa_key_file)
        elif server.test:
            register_test_key()
    target = known_servers.session_target(
        server, getattr(session, "dc_id", None), session.server_address, session.port
    )
    if target is not None:
        session.set_dc(*target)
        with contextlib.suppress(Exception):
            session.save()


def register_test_key() -> None:
    """Make Telethon accept Telegram's test servers (their published RSA key)."""
    from telethon.crypto import rsa as tl_rsa

    tl_rsa.add_key(known_servers.TEST_RSA_KEY, old=False)


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
    session: Any = None,
    **overrides: Any,
) -> TelegramClient:
    """A Telethon client for `account` (not connected). Uses the simulator when `tg.sim`.

    Call it on the event loop that will use the client (Telethon binds to it).
    `in_memory` reads the session file once and never writes it back: health checks use
    it so a sweep never rewrites (or locks) the SQLite file a user's script may have open.
    `session`: with `in_memory`, a `memory_copy` of the session read beforehand.

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
    if tg.sim is None:
        from tgtui.telegram.connect_errors import telethon_logger

        kwargs["base_logger"] = telethon_logger()  # Telethon's lines go to tgtui's log
    kwargs.update(overrides)
    if proxy_secret is None and account.proxy is not None and account.proxy.secret_ref:
        proxy_secret = tg.store.proxy_secret(account)  # callers on a loop pass it instead
    try:
        if not in_memory:
            session = str(path)
        elif session is None:
            session = memory_copy(path)
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
            apply_server(client.session, account.server, register_key=tg.sim is None)
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
            failure("SESSION_LOCKED", exc.english, exc_type="AccountInUse", stage=stage)
        ) from None
    try:
        api_hash = await get_api_hash(tg, account, stage)
        if proxy_secret is None:
            proxy_secret = await get_proxy_secret(tg, account, stage)
        client = make_client(
            tg, account, api_hash, receive_updates=receive_updates, proxy_secret=proxy_secret
        )
        try:
            try:
                await connect_client(client, account.proxy, account.server, stage)
            except Exception as exc:
                raise TelegramFailure(to_failure(exc, stage)) from None
            yield client
        finally:
            await disconnect_quietly(client)
    finally:
        lock.release()


async def get_proxy_secret(tg: Telegram, account: Account, stage: str = "session") -> str | None:
    """The proxy's password / MTProxy secret from the secret store (in a thread), or None."""
    if account.proxy is None or not account.proxy.secret_ref:
        return None
    return await asyncio.to_thread(read_proxy_secret, tg, account, stage)


def read_proxy_secret(tg: Telegram, account: Account, stage: str = "session") -> str | None:
    """`get_proxy_secret`, blocking: call it from a thread. Raises SECRET_MISSING."""
    if account.proxy is None or not account.proxy.secret_ref:
        return None
    return _read_secret(
        lambda: tg.store.proxy_secret(account),
        N_("The proxy's secret cannot be read: {detail}"),
        N_(
            "The proxy's password / MTProxy secret is missing from the secret store; "
            "set the proxy again (tgtui server NAME --proxy URL)."
        ),
        stage,
    )


async def get_api_hash(tg: Telegram, account: Account, stage: str = "session") -> str:
    """The account's api_hash from the secret store (in a thread: keyrings block)."""
    return await asyncio.to_thread(read_api_hash, tg, account, stage)


def read_api_hash(tg: Telegram, account: Account, stage: str = "session") -> str:
    """`get_api_hash`, blocking: call it from a thread. Raises TelegramFailure SECRET_MISSING."""
    return _read_secret(
        lambda: tg.store.api_hash(account),
        N_("The api_hash cannot be read: {detail}"),
        N_(
            "The api_hash of this account is missing from the secret store; "
            "set it again (api_hash from my.telegram.org)."
        ),
        stage,
    )


def _read_secret(read: Callable[[], str | None], unreadable: str, missing: str, stage: str) -> str:
    """`read()`'s value; a failure or an empty value as TelegramFailure SECRET_MISSING."""
    try:
        value = read()
    except Exception as exc:
        raise TelegramFailure(
            failure(
                "SECRET_MISSING",
                unreadable.format(detail=english_of(exc)),
                exc_type=type(exc).__name__,
                stage=stage,
            )
        ) from None
    if not value:
        raise TelegramFailure(failure("SECRET_MISSING", missing, stage=stage))
    return value


async def connect_client(
    client: Any, proxy: Proxy | None, server: Server | None = None, stage: str = "session"
) -> None:
    """`client.connect()`; a failure names host:port (and the proxy) and what happened.

    Telethon reports every transport failure as "Connection to Telegram failed N
    time(s)" and logs the cause; the cause is captured (`connect_errors`) and raised as
    a TelegramFailure that says refused / timed out after N s / DNS / proxy, and
    "the server" rather than "Telegram" for a custom server.
    """
    from tgtui.telegram.connect_errors import capture_attempts
    from tgtui.telegram.wirefail import (
        NotTelegramServer,
        ServerKeyUnknown,
        ServerUnreachable,
        connect_explained,
    )

    with capture_attempts() as attempts:
        try:
            await connect_explained(client)  # names non-MTProto answers and unknown keys
        except (NotTelegramServer, ServerKeyUnknown, ServerUnreachable):
            raise
        except (ConnectionError, OSError, TimeoutError) as exc:
            raise connect_failure(exc, client, attempts, proxy, server, stage) from exc


def connect_failure(
    exc: BaseException,
    client: Any,
    attempts: Any,
    proxy: Proxy | None,
    server: Server | None = None,
    stage: str = "session",
) -> BaseException:
    """What a failed connect of `client` raises: a TelegramFailure naming host:port and
    what happened when the cause is known, else `exc` with the proxy named."""
    from tgtui.telegram.connect_errors import describe

    session = getattr(client, "session", None)
    fail = describe(
        exc,
        attempts,
        host=str(getattr(session, "server_address", "") or "?"),
        port=getattr(session, "port", None),
        server=server,
        proxy=proxy,
        timeout=getattr(client, "_timeout", None),
        stage=stage,
    )
    if fail is not None:
        return TelegramFailure(fail)
    return name_proxy_failure(exc, proxy)


def name_proxy_failure(exc: BaseException, proxy: Proxy | None) -> BaseException:
    """`exc` itself, or a ProxyConnectionError naming the proxy a connect went through."""
    from tgtui.telegram.errors import ProxyConnectionError

    if proxy is None or isinstance(exc, ProxyConnectionError):
        return exc
    return ProxyConnectionError(
        N_("could not connect through the {kind} proxy {host}:{port}").format(
            kind=proxy.kind, host=proxy.host, port=proxy.port
        )
    )


# The session row of each file read by this process, with the identity of the file it
# came from (every health check copies its account's session): any write to the file
# (SQLite's in place: a new mtime/ctime; a re-login's rename: a new inode) reads it again.
# Only files unchanged for a while are kept (`settled`): file times can be coarse (a
# clock tick), and a write in the same tick as the one before would keep the times.
_SESSION_ROWS: dict[str, tuple[tuple[int, ...], Any]] = {}


def _identity(where: str) -> tuple[int, ...] | None:
    """What changes when a session file is written: its own stat and its WAL's, if any."""
    try:
        st = os.stat(where)
    except OSError:
        return None  # let SQLite report it, as it always has
    try:
        wal = os.stat(where + "-wal")
        extra: tuple[int, ...] = (wal.st_ino, wal.st_size, wal.st_mtime_ns)
    except OSError:
        extra = ()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, *extra)


def settled(ident: tuple[int, ...]) -> bool:
    """True when the file of `ident` (from `_identity`) last changed over a second ago."""
    return time.time_ns() - max(ident[3], ident[4]) > 1_000_000_000


def memory_copy(path: Path) -> Any:
    """A Telethon MemorySession holding the DC and auth key of the session file at `path`.

    The file is opened read-only, so this never writes to it or waits on a writer.
    """
    import sqlite3

    from telethon.crypto import AuthKey
    from telethon.sessions import MemorySession

    where = os.path.abspath(path)  # abspath: no lstat of every folder
    ident = _identity(where)
    hit = _SESSION_ROWS.get(where)
    if ident is not None and hit is not None and hit[0] == ident:
        row = hit[1]
    else:
        conn = sqlite3.connect(f"file:{where}?mode=ro", uri=True, timeout=2)
        try:
            row = conn.execute(
                "select dc_id, server_address, port, auth_key from sessions"
            ).fetchone()
        finally:
            conn.close()
        if ident is not None and settled(ident):
            _SESSION_ROWS[where] = (ident, row)
    session = MemorySession()
    if row is not None:
        dc_id, address, port, key = row
        session.set_dc(dc_id, address, port)
        if key:
            session.auth_key = AuthKey(data=key)
    return session
