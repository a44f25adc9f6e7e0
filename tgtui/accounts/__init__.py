"""The account store: files, secrets, locks and validation. No network, no UI."""

from __future__ import annotations

from tgtui.accounts.lock import AccountInUse, AccountLock, Holder
from tgtui.accounts.model import Account, Proxy, Server, State, Status, UserInfo
from tgtui.accounts.store import AccountNotFound, AccountStore, StoreError, TrashEntry
from tgtui.accounts.tomlio import ConfigFileError
from tgtui.accounts.validate import InvalidInput

__all__ = [
    "Account",
    "AccountInUse",
    "AccountLock",
    "AccountNotFound",
    "AccountStore",
    "ConfigFileError",
    "Holder",
    "InvalidInput",
    "Proxy",
    "Server",
    "State",
    "Status",
    "StoreError",
    "TrashEntry",
    "UserInfo",
]
