"""The Python API: use a tgtui-managed account from your own scripts.

    import asyncio
    from tgtui import open_client

    async def main() -> None:
        async with open_client("work") as client:   # a connected Telethon TelegramClient
            me = await client.get_me()
            print(me.username)

    asyncio.run(main())

`open_client` uses the account's session file, api_hash (keyring or private file),
proxy and custom server, and holds the account's lock while the block runs: a second
process (or the TUI) gets `tgtui.accounts.AccountInUse` ("in use by pid N (...)")
instead of SQLite's "database is locked" or a duplicated auth key.

`list_accounts()` returns the managed accounts (no network, no secrets).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tgtui.accounts import Account, AccountStore
from tgtui.i18n import _

if TYPE_CHECKING:
    from telethon import TelegramClient

    from tgtui.telegram.context import Telegram

__all__ = ["SCRIPT_DEFAULTS", "accounts", "list_accounts", "open_client"]

# Client settings for scripts that run for hours: retry and reconnect, and sleep through
# short flood waits as Telethon does by default (tgtui's own checks fail fast instead).
SCRIPT_DEFAULTS: dict[str, Any] = {
    "connection_retries": 5,
    "retry_delay": 1,
    "request_retries": 5,
    "auto_reconnect": True,
    "flood_sleep_threshold": 60,
    "raise_last_call_error": False,
    "timeout": 10,
}


def _store(config_dir: str | os.PathLike[str] | None) -> AccountStore:
    from tgtui.accounts.secrets import SecretStore
    from tgtui.config import config_dir as find_config_dir

    return AccountStore(find_config_dir(config_dir), SecretStore())


def _telegram(config_dir: str | os.PathLike[str] | None) -> Telegram:
    from tgtui.config import Settings
    from tgtui.telegram.context import Telegram

    store = _store(config_dir)
    return Telegram(store, settings=Settings.load(Path(store.root)))


def list_accounts(*, config_dir: str | os.PathLike[str] | None = None) -> list[Account]:
    """Every managed account with its last known status, sorted by name (no network).

    Unreadable accounts are included with `account.broken` saying why.
    """
    return _store(config_dir).accounts()


accounts = list_accounts  # `from tgtui.api import accounts` (see the README on naming)


@contextlib.asynccontextmanager
async def open_client(
    name: str,
    *,
    config_dir: str | os.PathLike[str] | None = None,
    telegram: Telegram | None = None,
    receive_updates: bool = True,
    require_login: bool = True,
    **client_kwargs: Any,
) -> AsyncIterator[TelegramClient]:
    """A connected Telethon client for account `name`, holding its lock until the block ends.

    config_dir: the tgtui config folder (default: $TGTUI_CONFIG_DIR or the platform's).
    telegram: a ready `Telegram` context instead (tests use one backed by the simulator).
    receive_updates: False for request-only scripts (no update handling).
    require_login: check that the session is logged in (one request) and raise if not.
    client_kwargs: passed to `TelegramClient` (over `SCRIPT_DEFAULTS`).

    Raises `tgtui.accounts.AccountNotFound`, `tgtui.accounts.AccountInUse` (another
    process has the account open) and `tgtui.telegram.TelegramFailure`, whose
    `.failure.name` says what went wrong (SECRET_MISSING, CONFIG_INVALID,
    AUTH_KEY_UNREGISTERED for a session that is not logged in, ConnectionError, ...).
    """
    from tgtui.telegram.client import (
        connect_client,
        disconnect_quietly,
        get_api_hash,
        get_proxy_secret,
        make_client,
    )
    from tgtui.telegram.errors import TelegramFailure, failure, to_failure

    tg = telegram if telegram is not None else _telegram(config_dir)
    account = tg.store.get(name)
    if account.broken:
        raise TelegramFailure(failure("CONFIG_INVALID", account.broken, stage="session"))
    with tg.store.lock(account.name):  # AccountInUse names the holder's pid
        api_hash = await get_api_hash(tg, account)
        proxy_secret = await get_proxy_secret(tg, account)
        options = {**SCRIPT_DEFAULTS, **client_kwargs}
        client = make_client(
            tg,
            account,
            api_hash,
            receive_updates=receive_updates,
            proxy_secret=proxy_secret,
            **options,
        )
        try:
            try:
                await connect_client(client, account.proxy, account.server)
                authorized = await client.is_user_authorized() if require_login else True
            except Exception as exc:
                raise TelegramFailure(to_failure(exc, "session")) from None
            if not authorized:
                raise TelegramFailure(
                    failure(
                        "AUTH_KEY_UNREGISTERED",
                        _(
                            "Account {name!r} is not logged in; log in again in tgtui "
                            "(select it and press l, or `tgtui add`)."
                        ).format(name=name),
                        stage="session",
                    )
                )
            yield client
        finally:
            await disconnect_quietly(client)
