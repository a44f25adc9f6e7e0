"""Health states that are known without the network, reached through real files and locks."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import make_tg

from tgtui.accounts import Account, AccountLock, State, Status
from tgtui.telegram import Telegram
from tgtui.telegram.health import check, check_and_save

HASH = "0123456789abcdef0123456789abcdef"


class NoNetwork:
    """A stand-in 'simulator' that fails the test if any client is made."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the network was touched ({name})")


@pytest.fixture
def tg(tmp_path: Path) -> Telegram:
    """No simulator: these states are known from the files alone."""
    return make_tg(tmp_path / "cfg")


def _account(tg: Telegram, name: str = "work", session: bytes | None = None) -> Account:
    acc = tg.store.create(Account(name=name, api_id=12345, phone="+34600000001"), HASH)
    if session is not None:
        acc.session_path.write_bytes(session)
    return acc


async def test_no_session_file_needs_login_without_network(tg: Telegram) -> None:
    acc = _account(tg)
    health = await check(tg, acc)
    assert health.state is State.NEEDS_LOGIN
    assert health.masked_phone.startswith("+34")
    assert "600000001" not in health.masked_phone


async def test_broken_account_toml(tg: Telegram) -> None:
    acc = _account(tg)
    (acc.folder / "account.toml").write_text("api_id = [broken\n")
    broken = tg.store.get("work")
    health = await check(tg, broken)
    assert health.state is State.BROKEN
    assert health.error is not None and health.error.name == "CONFIG_INVALID"
    assert "account.toml" in health.reason


async def test_missing_secret_is_broken(tg: Telegram) -> None:
    acc = _account(tg, session=b"x" * 10)
    os.unlink(acc.folder / "secrets.toml")
    health = await check(tg, acc)
    assert health.state is State.BROKEN
    assert health.error is not None and health.error.name == "SECRET_MISSING"


async def test_garbage_session_file_is_broken(tg: Telegram) -> None:
    acc = _account(tg, session=b"this is not sqlite at all, just garbage bytes" * 20)
    health = await check(tg, acc)
    assert health.state is State.BROKEN
    assert health.error is not None and health.error.name == "SESSION_CORRUPT"
    # the lock is released afterwards
    with AccountLock(acc.folder):
        pass


async def test_locked_names_the_holder(tg: Telegram) -> None:
    acc = _account(tg, session=b"x" * 10)
    tg.sim = NoNetwork()
    with AccountLock(acc.folder, acc.name):
        health = await check(tg, acc)
    assert health.state is State.LOCKED
    assert f"pid {os.getpid()}" in health.reason
    assert health.error is not None and health.error.name == "SESSION_LOCKED"


async def test_known_flood_wait_sends_nothing(tg: Telegram) -> None:
    _account(tg, session=b"x" * 10)
    until = tg.now() + timedelta(minutes=10)  # the clock the check reads
    tg.store.save_status("work", Status(state=State.FLOOD_WAIT, flood_until=until))
    tg.sim = NoNetwork()
    health = await check_and_save(tg, tg.store.get("work"))
    assert health.state is State.FLOOD_WAIT
    assert health.flood_until is not None and health.flood_until >= until - timedelta(seconds=1)
    assert health.error is not None and 590 <= (health.error.seconds or 0) <= 600
    assert tg.store.get("work").status.state is State.FLOOD_WAIT


async def test_check_and_save_caches_the_result(tg: Telegram) -> None:
    _account(tg)
    health = await check_and_save(tg, tg.store.get("work"))
    saved = tg.store.get("work").status
    assert saved.state is State.NEEDS_LOGIN is health.state
    assert saved.checked_at is not None


async def test_locked_is_not_cached(tg: Telegram) -> None:
    acc = _account(tg, session=b"x" * 10)
    with AccountLock(acc.folder, acc.name):
        health = await check_and_save(tg, acc)
    assert health.state is State.LOCKED
    assert tg.store.get("work").status.state is State.UNKNOWN
