"""Telethon's `User` objects as the store's `UserInfo`: the one place that reads them."""

from __future__ import annotations

from typing import Any

from tgtui.accounts import InvalidInput, UserInfo, validate


def user_info(user: Any) -> UserInfo:
    """Who a Telethon `types.User` is, as kept in account.toml and shown in the list."""
    return UserInfo(
        id=int(user.id),
        first_name=user.first_name or "",
        last_name=user.last_name or "",
        username=user.username or "",
        premium=bool(getattr(user, "premium", False)),
    )


def user_phone(user: Any, fallback: str = "") -> str:
    """The user's phone as `+<digits>` (formatted when valid), or `fallback` if hidden."""
    digits = getattr(user, "phone", None)
    if not digits:
        return fallback
    try:
        return validate.phone("+" + str(digits))
    except InvalidInput:
        return "+" + str(digits)
