"""The Python API: `open_client` holds the account's lock; `list_accounts` lists."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import PHONE, make_sim, tg_with_accounts

import tgtui
from tgtui.accounts import AccountInUse, AccountNotFound
from tgtui.accounts.lock import read_holder
from tgtui.api import list_accounts, open_client
from tgtui.telegram.errors import TelegramFailure


@pytest.fixture
def sim():
    return make_sim(seed=4)


@pytest.fixture
def tg(tmp_path: Path, sim):
    return tg_with_accounts(tmp_path / "cfg", sim, {"work": {"phone": PHONE}})


async def test_open_client_gives_a_connected_client_and_holds_the_lock(tg) -> None:
    folder = tg.store.folder("work")
    async with open_client("work", telegram=tg) as client:
        me = await client.get_me()
        assert me.username == "ann"
        holder = read_holder(folder)
        assert holder is not None and holder.pid == os.getpid()
        with pytest.raises(AccountInUse, match=f"in use by pid {os.getpid()}"):
            async with open_client("work", telegram=tg):
                pass
    assert read_holder(folder) is None
    assert not client.is_connected()


def test_the_package_root_exposes_open_client() -> None:
    assert tgtui.open_client is open_client


async def test_another_process_gets_account_in_use_naming_our_pid(tg) -> None:
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from tgtui import open_client
        from tgtui.accounts import AccountInUse

        async def main():
            try:
                async with open_client("work", config_dir={str(tg.root)!r}):
                    return 0
            except AccountInUse as exc:
                print(exc)
                return 3

        sys.exit(asyncio.run(main()))
        """
    )
    async with open_client("work", telegram=tg):
        res = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
    assert res.returncode == 3, res.stderr
    assert f"Account 'work' is in use by pid {os.getpid()}" in res.stdout


async def test_errors_are_typed(tg, sim) -> None:
    with pytest.raises(AccountNotFound):
        async with open_client("nope", telegram=tg):
            pass
    sim.revoke(PHONE)
    with pytest.raises(TelegramFailure) as info:
        async with open_client("work", telegram=tg):
            pass
    assert info.value.failure.name == "AUTH_KEY_UNREGISTERED"
    assert read_holder(tg.store.folder("work")) is None  # released on failure too


async def test_missing_secret_is_reported(tg) -> None:
    account = tg.store.get("work")
    tg.store.secrets.delete(account.uid, account.folder)
    with pytest.raises(TelegramFailure) as info:
        async with open_client("work", telegram=tg):
            pass
    assert info.value.failure.name == "SECRET_MISSING"


def test_list_accounts(tg) -> None:
    accounts = list_accounts(config_dir=tg.root)
    assert [a.name for a in accounts] == ["work"] and accounts[0].phone == PHONE
    assert list_accounts(config_dir=tg.root / "nothing-here") == []
