"""Helpers for the Telegram-layer tests against the simulated Telegram (no tests here).

The clock, `make_tg` and the constants live in conftest.py; they are re-exported here.
"""

from __future__ import annotations

from pathlib import Path

from conftest import API_HASH, API_ID, PHONE, Clock, make_tg

from tgtui.accounts import Account
from tgtui.telegram import Telegram
from tgtui.telegram.flow import LoginFlow, Step

__all__ = ["API_HASH", "API_ID", "PHONE", "Clock", "login", "make_tg", "pending_sessions"]


async def login(
    tg: Telegram,
    server: object,
    name: str = "work",
    phone: str = PHONE,
    password: str | None = None,
) -> Account:
    """Run a whole code login through the flow and return the saved account."""
    flow = LoginFlow(tg, name=name)
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(phone)
    await flow.sign_in_code(server.last_code(phone))  # type: ignore[attr-defined]
    if flow.step is Step.PASSWORD:
        assert password is not None
        await flow.sign_in_password(password)
    assert flow.step is Step.DONE, flow.error
    assert flow.account is not None
    return flow.account


def pending_sessions(tg: Telegram) -> list[Path]:
    """Session files (and their folders) left in the pending area, the ledger aside."""
    root = tg.pending_dir
    if not root.exists():
        return []
    return [p for p in root.iterdir() if p.name != "ledger"]
