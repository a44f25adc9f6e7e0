"""Account actions against the simulated Telegram: log out, sessions, export, the client."""

from __future__ import annotations

import pytest
from test_telegram_support import API_HASH, API_ID, PHONE, login

from tgtui.accounts import AccountLock, State
from tgtui.telegram import Telegram
from tgtui.telegram.actions import export_string, list_sessions, log_out, terminate_session
from tgtui.telegram.client import session_client
from tgtui.telegram.errors import TelegramFailure
from tgtui.telegram.health import check
from tgtui.telegram.sim import sim_client


async def test_session_client_locks_and_unlocks(tg: Telegram, server) -> None:
    acc = await login(tg, server)
    async with session_client(tg, acc) as client:
        assert await client.is_user_authorized()
        with pytest.raises(TelegramFailure) as err:
            async with session_client(tg, acc):
                pass
        assert err.value.failure.name == "SESSION_LOCKED"
    with AccountLock(acc.folder):
        pass


async def test_session_client_without_secret(tg: Telegram, server) -> None:
    acc = await login(tg, server)
    (acc.folder / "secrets.toml").unlink()
    with pytest.raises(TelegramFailure) as err:
        async with session_client(tg, acc):
            pass
    assert err.value.failure.name == "SECRET_MISSING"
    with AccountLock(acc.folder):
        pass


async def test_list_and_terminate_sessions(tg: Telegram, server) -> None:
    acc = await login(tg, server)
    server.add_other_session(PHONE, "Pixel 8", "Telegram Android", "Spain")
    sessions = await list_sessions(tg, acc)
    assert len(sessions) >= 2
    assert sessions[0].current and sessions[0].device == "tgtui"
    other = [s for s in sessions if not s.current]
    assert other and other[0].hash
    await terminate_session(tg, acc, other[0].hash)
    left = await list_sessions(tg, acc)
    assert other[0].hash not in {s.hash for s in left}
    with pytest.raises(TelegramFailure):
        await terminate_session(tg, acc, 0)


async def test_log_out_deletes_the_session(tg: Telegram, server) -> None:
    acc = await login(tg, server)
    path = acc.session_path
    copy = path.read_bytes()
    await log_out(tg, acc)
    assert not path.exists()
    assert tg.store.get("work").status.state is State.NEEDS_LOGIN
    assert (await check(tg, tg.store.get("work"))).state is State.NEEDS_LOGIN
    # the server side is logged out too: the old file no longer works
    path.write_bytes(copy)
    assert (await check(tg, tg.store.get("work"))).state is State.REVOKED


async def test_export_string_is_a_working_string_session(tg: Telegram, server) -> None:
    from telethon.sessions import StringSession

    acc = await login(tg, server)
    text = await export_string(tg, acc)
    assert text and text.startswith("1")
    client = sim_client(server, StringSession(text), API_ID, API_HASH)
    await client.connect()
    try:
        assert await client.is_user_authorized()
    finally:
        await client.disconnect()
    acc.session_path.unlink()
    with pytest.raises(TelegramFailure):
        await export_string(tg, acc)
