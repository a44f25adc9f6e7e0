"""Seeded config folders for the UI tests: accounts written through the store, each with
a cached status, so the list works from disk alone (no network, no simulator).

The UI tests start the shared `Clock` (conftest.py) at NOW, `Clock(NOW)`, and give the app
`clock.utc`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import Clock, make_tg

from tgtui.accounts import Account, State, Status, UserInfo
from tgtui.i18n import set_language
from tgtui.telegram.context import Telegram
from tgtui.telegram.demo import build_demo
from tgtui.ui.app import TgtuiApp

__all__ = [
    "API_HASH",
    "MARKUP_NAME",
    "NOW",
    "Clock",
    "add",
    "ago",
    "in_russian",
    "make_tg",
    "seed_sample",
]

NOW = datetime(2026, 11, 22, 10, 0, 0, tzinfo=timezone.utc)
API_HASH = "0123456789abcdef0123456789abcdef"
MARKUP_NAME = r"[/x] [bold]hi[/] \["


@pytest.fixture
def in_russian() -> Iterator[None]:
    """The interface in Russian for one test; English again afterwards, whatever happens
    (a test that switches the language at run time is covered too)."""
    set_language("ru")
    try:
        yield
    finally:
        set_language("en")


def ago(seconds: float) -> datetime:
    """A moment `seconds` before NOW."""
    return NOW - timedelta(seconds=seconds)


def add(
    tg: Telegram,
    name: str,
    phone: str,
    status: Status,
    user: UserInfo | None = None,
    label: str = "",
) -> Account:
    """Create one account with a cached status."""
    account = Account(
        name=name,
        api_id=123456,
        phone=phone,
        label=label,
        created=ago(86400),
        status=status,
        user=user,
    )
    return tg.store.create(account, API_HASH)


def seed_sample(tg: Telegram) -> None:
    """Six accounts, one per common state."""
    add(
        tg,
        "work",
        "+15555550167",
        Status(State.OK, checked_at=ago(120), latency_ms=142, dc=2, two_fa=True, other_sessions=3),
        UserInfo(1001, "Alice", "Doe", "alice_work"),
        label="Work phone",
    )
    add(
        tg,
        "shop-bot",
        "+447700900123",
        Status(
            State.FLOOD_WAIT,
            reason="Telegram asked to wait",
            checked_at=ago(30),
            error="FLOOD_WAIT",
            flood_until=NOW + timedelta(seconds=252),
            dc=4,
        ),
        UserInfo(1002, "Shop", "", "shop_helper"),
    )
    add(
        tg,
        "old-phone",
        "+34612345678",
        Status(
            State.REVOKED,
            reason="The session was revoked",
            checked_at=ago(3600 * 5),
            error="AUTH_KEY_UNREGISTERED",
            dc=2,
        ),
        UserInfo(1003, "Bea", "Ruiz"),
    )
    add(
        tg,
        "travel",
        "+491701234567",
        Status(
            State.OFFLINE,
            reason="Cannot reach Telegram",
            checked_at=ago(600),
            error="ConnectionError",
        ),
    )
    add(
        tg,
        "spam-test",
        "+15555550199",
        Status(
            State.BANNED,
            reason="The account is banned",
            checked_at=ago(86400 * 2),
            error="USER_DEACTIVATED_BAN",
        ),
        UserInfo(1005, "Spam", "", "spam_x"),
    )
    add(tg, "new-one", "+15555550111", Status())


def demo_app(tmp_path: Path) -> TgtuiApp:
    clock = Clock(NOW)
    tg = build_demo(tmp_path / "demo", clock=clock, latency=0)
    return TgtuiApp(tg, demo=True, clock=clock.utc, start_monitor=False)


async def _settle(pilot) -> None:
    # A screen may start its workers after its first refresh (the details screen reads the
    # history in a thread, then lays out again): settle until no worker is left.
    for _ in range(5):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
