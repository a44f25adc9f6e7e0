"""The session monitor against the simulated Telegram: bounds, floods, backoff, shutdown."""

from __future__ import annotations

import asyncio

import pytest
from test_telegram_support import Clock, login

from tgtui.accounts import State
from tgtui.telegram import Telegram
from tgtui.telegram.health import Health
from tgtui.telegram.monitor import SessionMonitor


def _phone(i: int) -> str:
    return f"+346000001{i:02d}"


async def _accounts(tg: Telegram, server, n: int) -> list[str]:
    names = []
    for i in range(n):
        server.add_user(_phone(i), f"User{i}")
        acc = await login(tg, server, name=f"acc{i:02d}", phone=_phone(i))
        names.append(acc.name)
    return names


async def _wait_for(predicate, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


async def test_concurrency_is_bounded(tg: Telegram, server) -> None:
    names = await _accounts(tg, server, 20)
    server.latency = 0.01
    reports: list[Health] = []
    # Quick checks: one request in flight per account (a full check's last round trip
    # carries two), so requests in flight at the server = accounts being checked.
    monitor = SessionMonitor(tg, concurrency=3, on_change=reports.append, full=False)
    results = await monitor.sweep()
    await monitor.aclose()
    assert [h.name for h in results] == names
    assert all(h.state is State.OK for h in results), [h.reason for h in results]
    assert 1 <= server.max_in_flight <= 3
    # CHECKING first, then the result, for every account
    for name in names:
        mine = [h.state for h in reports if h.name == name]
        assert mine == [State.CHECKING, State.OK]
    # results were cached in account.toml
    assert all(a.status.state is State.OK for a in tg.store.accounts())


async def test_no_request_inside_a_flood_wait(tg: Telegram, server, clock: Clock) -> None:
    await _accounts(tg, server, 2)
    server.set_flood(_phone(0), 300)
    monitor = SessionMonitor(tg, concurrency=2)
    first = {h.name: h for h in await monitor.sweep()}
    assert first["acc00"].state is State.FLOOD_WAIT
    assert first["acc01"].state is State.OK
    count = server.request_count()
    second = {h.name: h for h in await monitor.sweep(["acc00"])}
    assert second["acc00"].state is State.FLOOD_WAIT
    assert server.request_count() == count
    assert monitor.next_delay("acc00") >= 300
    clock.advance(301)
    third = {h.name: h for h in await monitor.sweep(["acc00"])}
    assert third["acc00"].state is State.OK
    await monitor.aclose()


async def test_backoff_grows_while_offline(tg: Telegram, server) -> None:
    await _accounts(tg, server, 1)
    server.set_offline(True)
    monitor = SessionMonitor(tg, interval=0.05, jitter=0.0, backoff_cap=0.4, save=False)
    delays = []
    for _ in range(5):
        (health,) = await monitor.sweep()
        assert health.state is State.OFFLINE
        delays.append(monitor.next_delay("acc00"))
    assert delays == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.4])
    server.set_offline(False)
    (health,) = await monitor.sweep()
    assert health.state is State.OK
    assert monitor.next_delay("acc00") == pytest.approx(0.05)
    await monitor.aclose()


async def test_run_refresh_and_clean_shutdown(tg: Telegram, server) -> None:
    await _accounts(tg, server, 2)
    before = asyncio.all_tasks()
    reports: list[Health] = []
    monitor = SessionMonitor(tg, interval=3600, on_change=reports.append)
    runner = asyncio.create_task(monitor.run())
    await _wait_for(lambda: len([h for h in reports if h.state is State.OK]) == 2)
    assert monitor.health("acc00") is not None
    assert monitor.health("acc00").state is State.OK
    # nothing more happens by itself for an hour...
    await asyncio.sleep(0.1)
    assert len(reports) == 4
    # ...but refresh() checks now
    monitor.refresh("acc01")
    await _wait_for(lambda: len(reports) == 6)
    assert [h.name for h in reports[4:]] == ["acc01", "acc01"]
    monitor.refresh()
    await _wait_for(lambda: len(reports) == 10)
    # accounts added meanwhile are picked up on the next pass
    server.add_user("+34600000999", "Late")
    await login(tg, server, name="late", phone="+34600000999")
    monitor.refresh()
    await _wait_for(
        lambda: monitor.health("late") is not None and monitor.health("late").state is State.OK
    )
    # removed accounts are forgotten
    tg.store.remove("late")
    monitor.refresh()
    await _wait_for(lambda: monitor.health("late") is None)
    await monitor.aclose()
    await asyncio.sleep(0)
    assert runner.done()
    assert asyncio.all_tasks() == before


async def test_aclose_during_checks_leaves_no_task(tg: Telegram, server) -> None:
    await _accounts(tg, server, 4)
    server.latency = 0.5
    before = asyncio.all_tasks()
    monitor = SessionMonitor(tg, interval=3600, concurrency=2)
    runner = asyncio.create_task(monitor.run())
    await asyncio.sleep(0.7)  # connect (0.5 s) done, first requests in flight
    assert server.in_flight > 0
    await monitor.aclose()
    await asyncio.sleep(0)
    assert runner.done()
    assert asyncio.all_tasks() == before
    # the locks were released
    from tgtui.accounts import AccountLock

    for acc in tg.store.accounts():
        with AccountLock(acc.folder):
            pass


async def test_changes_iterator(tg: Telegram, server) -> None:
    await _accounts(tg, server, 1)
    monitor = SessionMonitor(tg)
    seen: list[Health] = []

    async def consume() -> None:
        async for health in monitor.changes():
            seen.append(health)

    consumer = asyncio.create_task(consume())
    await asyncio.sleep(0)
    await monitor.sweep()
    await monitor.aclose()
    await asyncio.wait_for(consumer, 2)
    assert [h.state for h in seen] == [State.CHECKING, State.OK]
