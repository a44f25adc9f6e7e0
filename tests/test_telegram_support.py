"""Shared set-up for the Telegram-layer tests against the simulated Telegram (no tests here)."""

from __future__ import annotations

import time
from pathlib import Path

from tgtui.accounts import Account, AccountStore
from tgtui.accounts.secrets import SecretStore
from tgtui.config import prepare
from tgtui.telegram import Telegram
from tgtui.telegram.flow import LoginFlow, Step

API_ID = 611335
API_HASH = "d524b414d21f4d37f08684c1df41ac9c"
PHONE = "+34600000001"


class Clock:
    """A wall clock the test moves forward by hand (starts at the real time)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_tg(root: Path, server: object, clock: Clock, **kw: object) -> Telegram:
    """A Telegram context on a fresh config root, the secrets in files."""
    root = prepare(root)
    return Telegram(AccountStore(root, SecretStore(mode="off")), sim=server, clock=clock, **kw)


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
