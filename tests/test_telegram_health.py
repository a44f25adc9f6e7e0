"""Health checks against the simulated Telegram: every state reached, none constructed."""

from __future__ import annotations

import asyncio

import pytest
from test_telegram_support import API_HASH, API_ID, PHONE, Clock, login, make_tg

from tgtui.accounts import Account, AccountLock, State
from tgtui.telegram import Telegram
from tgtui.telegram.health import check, check_and_save
from tgtui.telegram.sim import sim_client


async def _account(tg: Telegram, server) -> Account:
    """Ana's account, logged in; her 2FA password is "pw"."""
    server.set_password(PHONE, "pw", hint="h")
    return await login(tg, server, password="pw")


async def test_ok_with_user_2fa_and_sessions(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    server.add_other_session(PHONE, "Pixel 8", "Telegram Android", "Spain")
    health = await check(tg, acc)
    assert health.state is State.OK, health
    assert health.user is not None and health.user.username == "ana"
    assert health.two_fa is True
    assert health.other_sessions is not None and health.other_sessions >= 1
    assert health.latency_ms is not None and health.latency_ms >= 0
    assert health.dc is not None
    assert health.error is None
    assert health.masked_phone and "600000001" not in health.masked_phone
    status = health.to_status()
    assert status.state is State.OK and status.two_fa is True


async def test_a_check_sends_only_what_it_needs(tg: Telegram, server) -> None:
    """Quick: one connect, one request (get self inside InitConnection), one round trip.
    Full: two more requests (2FA state, sessions) sent together: two round trips."""
    acc = await _account(tg, server)
    unused = ("GetConfigRequest", "GetStateRequest")  # Telethon's connect() sends them
    login_unused = [server.request_count(name) for name in unused]
    counts = []
    for full in (False, True):
        connects, requests, trips = server.connects, server.request_count(), server.round_trips()
        health = await check(tg, acc, full=full)
        assert health.state is State.OK and health.user is not None
        counts.append(
            (
                server.connects - connects,
                server.request_count() - requests,
                server.round_trips() - trips,
            )
        )
    assert counts == [(1, 1, 1), (1, 3, 2)]
    assert [server.request_count(name) for name in unused] == login_unused


@pytest.mark.parametrize(
    ("how", "name"),
    [
        ("unregistered", "AUTH_KEY_UNREGISTERED"),
        ("revoked", "SESSION_REVOKED"),
        ("expired", "SESSION_EXPIRED"),
    ],
)
async def test_revoked(tg: Telegram, server, how: str, name: str) -> None:
    acc = await _account(tg, server)
    server.revoke(PHONE, how)
    health = await check(tg, acc)
    assert health.state is State.REVOKED
    assert health.error is not None and health.error.name == name


async def test_duplicated(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    server.duplicate(PHONE)
    health = await check(tg, acc)
    assert health.state is State.DUPLICATED
    assert health.error is not None and health.error.name == "AUTH_KEY_DUPLICATED"


async def test_banned(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    server.ban(PHONE)
    health = await check(tg, acc)
    assert health.state is State.BANNED
    assert health.error is not None and health.error.name == "USER_DEACTIVATED_BAN"


async def test_flood_wait_then_no_request_inside_it(tg: Telegram, server, clock: Clock) -> None:
    acc = await _account(tg, server)
    server.set_flood(PHONE, 120)
    health = await check_and_save(tg, acc)
    assert health.state is State.FLOOD_WAIT
    assert health.error is not None and health.error.seconds == 120
    assert health.flood_until is not None
    count = server.request_count()
    again = await check(tg, tg.store.get("work"))
    assert again.state is State.FLOOD_WAIT
    # also without the saved status (a fresh Telegram context reading the file)
    fresh = make_tg(tg.root, clock, server)
    assert (await check(fresh, fresh.store.get("work"))).state is State.FLOOD_WAIT
    assert server.request_count() == count
    clock.advance(121)
    after = await check(tg, tg.store.get("work"))
    assert after.state is State.OK
    assert server.request_count() > count


async def test_bad_credentials(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    # The sim checks apps at sendCode / exportLoginToken only; Telegram can also refuse
    # the api_id when the connection starts (after the app was deleted, say).
    server.fail_next("InitConnectionRequest", "API_ID_INVALID")
    health = await check(tg, acc)
    assert health.state is State.BAD_CREDENTIALS, health
    assert health.error is not None and health.error.name == "API_ID_INVALID"
    server.fail_next("InitConnectionRequest", "API_ID_PUBLISHED_FLOOD")
    assert (await check(tg, acc)).state is State.BAD_CREDENTIALS


async def test_offline(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    server.set_offline(True)
    health = await check(tg, acc)
    assert health.state is State.OFFLINE
    assert health.error is not None and health.error.name == "ConnectionError"
    server.set_offline(False)
    assert (await check(tg, acc)).state is State.OK


async def test_timeout_is_offline_and_releases_the_lock(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    server.latency = 1.0
    health = await check(tg, acc, timeout=0.2)
    assert health.state is State.OFFLINE
    assert health.error is not None and health.error.name == "TimeoutError"
    with AccountLock(acc.folder):
        pass


async def test_locked(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    count = server.request_count()
    with AccountLock(acc.folder, acc.name):
        health = await check(tg, acc)
    assert health.state is State.LOCKED and "in use by pid" in health.reason
    assert server.request_count() == count


async def test_needs_login_for_a_session_that_never_logged_in(tg: Telegram, server) -> None:
    acc = tg.store.create(Account(name="fresh", api_id=API_ID, phone=PHONE), API_HASH)
    client = sim_client(server, str(acc.session_path), API_ID, API_HASH)
    await client.connect()  # makes an auth key, never logs in
    await client.disconnect()
    health = await check(tg, tg.store.get("fresh"))
    assert health.state is State.NEEDS_LOGIN, health


async def test_broken_by_garbage_session(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    acc.session_path.write_bytes(b"garbage" * 100)
    count = server.request_count()
    health = await check(tg, acc)
    assert health.state is State.BROKEN
    assert health.error is not None and health.error.name == "SESSION_CORRUPT"
    assert server.request_count() == count


async def test_check_never_leaves_tasks(tg: Telegram, server) -> None:
    acc = await _account(tg, server)
    before = asyncio.all_tasks()
    for _ in range(3):
        await check(tg, acc)
    await asyncio.sleep(0)
    assert asyncio.all_tasks() == before


async def test_a_cancelled_check_leaves_no_thread_and_no_lock(
    tg: Telegram, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled while its blocking part runs in a thread: the check ends only after that
    thread did, and the lock the thread took is free again."""
    import time

    from tgtui.telegram import health

    acc = await _account(tg, server)
    slow_read = health.memory_copy

    def slow(path: object):  # the session read is the last thing the thread does
        time.sleep(0.3)
        return slow_read(path)

    monkeypatch.setattr(health, "memory_copy", slow)
    before = asyncio.all_tasks()
    task = asyncio.create_task(check(tg, acc))
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)
    assert asyncio.all_tasks() == before
    with AccountLock(acc.folder, "work"):  # raises AccountInUse if still held
        pass


async def test_a_check_that_timed_out_is_dated_when_it_ended(tg: Telegram, server, clock) -> None:
    """A 20 s timeout must not read "20 s ago" the moment its result is shown."""
    acc = await _account(tg, server)
    server.latency = 1.0

    async def twenty_seconds_pass() -> None:
        await asyncio.sleep(0.05)
        clock.advance(20)

    started = tg.now()
    mover = asyncio.ensure_future(twenty_seconds_pass())
    health = await check(tg, acc, timeout=0.2)
    await mover
    assert health.state is State.OFFLINE
    assert (health.checked_at - started).total_seconds() >= 20
