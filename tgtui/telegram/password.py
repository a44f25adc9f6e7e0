"""Two-step verification during a login: the hint, whether it is on, and the SRP check.

The password itself is only ever held in a `Hidden` by the caller and passed to
Telethon's SRP computation; it is never stored or logged.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from tgtui.accounts.secret_file import Hidden

Bounded = Callable[[Awaitable[Any]], Awaitable[Any]]


async def password_hint(client: Any, bounded: Bounded) -> str:
    """The account's password hint ("" when it has none or Telegram does not say)."""
    from telethon.tl import functions

    with contextlib.suppress(Exception):
        pwd = await bounded(client(functions.account.GetPasswordRequest()))
        return pwd.hint or ""
    return ""


async def has_password(client: Any, bounded: Bounded) -> bool | None:
    """Whether 2FA is on (None when Telegram could not be asked)."""
    from telethon.tl import functions

    with contextlib.suppress(Exception):
        pwd = await bounded(client(functions.account.GetPasswordRequest()))
        return bool(pwd.has_password)
    return None


async def check_password(client: Any, secret: Hidden, bounded: Bounded) -> Any:
    """`auth.checkPassword` with `secret`; the logged-in Telethon user. Raises RPC errors.

    A stale SRP id (the password changed meanwhile) is retried once with fresh parameters.
    """
    from telethon import errors
    from telethon import password as pwd_mod
    from telethon.tl import functions

    for attempt in range(2):
        pwd = await bounded(client(functions.account.GetPasswordRequest()))
        # PBKDF2 with 100000 rounds: off the event loop so the UI stays responsive.
        check = await asyncio.to_thread(pwd_mod.compute_check, pwd, secret.value)
        try:
            result = await bounded(client(functions.auth.CheckPasswordRequest(check)))
        except errors.SrpIdInvalidError:
            if attempt:
                raise
            continue
        with contextlib.suppress(Exception):
            await client._on_login(result.user)  # Telethon's own bookkeeping of "who am I"
        return result.user
    raise AssertionError("unreachable")
