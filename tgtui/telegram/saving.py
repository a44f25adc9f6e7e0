"""Saving a finished login through the store: a new account, or a re-login's new session.

The store does every file operation (the session moved in 0600, fsynced, in one rename);
this module only decides which store call a login needs and what it writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from tgtui.accounts import Account, AccountStore, UserInfo


@dataclass(frozen=True)
class LoginResult:
    """Who logged in, as Telegram told the flow."""

    user: UserInfo
    phone: str
    dc: int | None
    two_fa: bool | None


def store_login(
    store: AccountStore,
    wanted: Account,
    api_hash: str,
    session_file: Path,
    *,
    relogin: bool,
    wait: float,
    proxy_secret: str | None = None,
) -> Account:
    """Adopt `session_file` for `wanted` (blocking: run it in a thread).

    A new account is created (under a suggested name if `wanted.name` was taken
    meanwhile: compare names). A re-login replaces the session of the account
    `wanted.name` and updates what the login changed, waiting up to `wait` s for this
    process's own use of the account to end. A proxy's secret goes to the secret store.
    """
    if not relogin:
        return store.adopt_session(wanted, api_hash, session_file, proxy_secret=proxy_secret)

    def updated(current: Account) -> Account:
        return replace(
            current,
            api_id=wanted.api_id or current.api_id,
            phone=wanted.phone or current.phone,
            user=wanted.user,
            status=wanted.status,
            proxy=wanted.proxy,
            server=wanted.server,
        )

    account = store.replace_session(wanted.name, session_file, api_hash, updated, wait=wait)
    if proxy_secret is not None and wanted.proxy is not None:
        account = store.set_proxy(account, wanted.proxy, proxy_secret)
    return account
