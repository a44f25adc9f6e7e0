"""Sessions made by the simulator are ordinary Telethon SQLite files; concurrency counters."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from telethon import functions
from telethon.sessions import SQLiteSession

from tgtui.telegram.sim import FakeClock, SimServer, sim_client

API_ID, API_HASH = 123456, "0123456789abcdef0123456789abcdef"
ADA = "+31612345678"


@pytest.fixture
def server() -> SimServer:
    srv = SimServer(clock=FakeClock(), seed=5)
    srv.add_app(API_ID, API_HASH)
    srv.add_user(ADA, "Ada", username="ada", dc=4)
    return srv


def client(server: SimServer, path: Path, **kwargs):
    return sim_client(server, path, API_ID, API_HASH, flood_sleep_threshold=0, **kwargs)


async def test_login_writes_a_plain_telethon_session(server: SimServer, tmp_path: Path) -> None:
    path = tmp_path / "ada.session"
    c = client(server, path)
    await c.connect()
    await c.send_code_request(ADA)
    me = await c.sign_in(ADA, server.last_code(ADA))
    await c.disconnect()

    row = sqlite3.connect(path).execute(
        "select dc_id, server_address, port, auth_key from sessions"
    )
    dc_id, address, port, auth_key = row.fetchone()
    assert (dc_id, address, port) == (2, "149.154.167.51", 443)  # Telethon's default DC
    assert isinstance(auth_key, bytes) and len(auth_key) == 256
    assert server.is_authorized_key(auth_key)
    assert server.key_user(auth_key).id == me.id

    # a new plain client opened on nothing but that file is logged in
    fresh = client(server, path)
    await fresh.connect()
    assert await fresh.is_user_authorized()
    assert (await fresh.get_me()).username == "ada"
    await fresh.disconnect()


async def test_erased_key_is_not_authorized(server: SimServer, tmp_path: Path) -> None:
    path = tmp_path / "ada.session"
    server.authorize_session(path, ADA, API_ID)
    with sqlite3.connect(path) as db:
        db.execute("update sessions set auth_key = NULL")
    c = client(server, path)
    await c.connect()  # gets a brand-new key, as after a DH exchange
    assert not await c.is_user_authorized()
    assert c.session.auth_key is not None and len(c.session.auth_key.key) == 256
    await c.disconnect()
    saved = sqlite3.connect(path).execute("select auth_key from sessions").fetchone()[0]
    assert saved == c.session.auth_key.key  # the new key was saved, as Telethon does


async def test_authorize_session_seeds_a_logged_in_file(server: SimServer, tmp_path: Path) -> None:
    path = tmp_path / "seed.session"
    key_id = server.authorize_session(path, ADA, API_ID)
    session = SQLiteSession(str(path))
    assert session.dc_id == 4 and session.auth_key.key_id == key_id
    assert session.get_input_entity(0).access_hash == server.user(ADA).id  # Telethon's self row
    session.close()
    c = client(server, path)
    await c.connect()
    assert await c.is_user_authorized()
    assert (await c.get_me(input_peer=True)).user_id == server.user(ADA).id
    await c.disconnect()


async def test_session_objects_and_string_paths(server: SimServer, tmp_path: Path) -> None:
    from telethon.sessions import MemorySession, StringSession

    for session in (MemorySession(), StringSession(), str(tmp_path / "s")):
        c = client(server, session)
        await c.connect()
        await c.send_code_request(ADA)
        await c.sign_in(ADA, server.last_code(ADA))
        assert await c.is_user_authorized()
        await c.disconnect()
    assert (tmp_path / "s.session").exists()


async def test_requests_are_recorded(server: SimServer, tmp_path: Path) -> None:
    path = tmp_path / "a.session"
    key_id = server.authorize_session(path, ADA, API_ID)
    c = client(server, path)
    await c.connect()
    await c(functions.account.GetAuthorizationsRequest())
    await c.disconnect()
    names = [name for _, name in server.requests]
    assert names[0] == "InitConnectionRequest"
    assert "GetAuthorizationsRequest" in names
    assert {key for key, _ in server.requests} == {f"{key_id:016x}"}
    assert server.request_count(functions.account.GetAuthorizationsRequest) == 1
    assert server.request_count("GetAuthorizationsRequest", phone=ADA) == 1
    assert server.request_count(key=f"{key_id:016x}") == len(server.requests)
    assert server.request_count(key=c.session.auth_key) == len(server.requests)


async def test_concurrency_counters(server: SimServer, tmp_path: Path) -> None:
    server.latency = 0.01
    clients = []
    for i in range(8):
        path = tmp_path / f"{i}.session"
        server.authorize_session(path, ADA, API_ID)
        clients.append(client(server, path))
    await asyncio.gather(*(c.connect() for c in clients))
    assert server.in_flight == 0
    server.max_in_flight = 0

    sem = asyncio.Semaphore(3)

    async def check(c) -> None:
        async with sem:
            await c(functions.updates.GetStateRequest())

    await asyncio.gather(*(check(c) for c in clients))
    assert server.max_in_flight == 3
    server.max_in_flight = 0
    await asyncio.gather(*(c(functions.updates.GetStateRequest()) for c in clients))
    assert server.max_in_flight == 8
    assert server.in_flight == 0
    await asyncio.gather(*(c.disconnect() for c in clients))


async def test_latency_is_applied_per_request(
    server: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def spy(seconds: float, *args, **kwargs):
        slept.append(seconds)
        return await real_sleep(0)

    server.latency = 0.005
    path = tmp_path / "a.session"
    server.authorize_session(path, ADA, API_ID)
    c = client(server, path)
    monkeypatch.setattr(server, "sleep_latency", lambda: spy(server.latency))
    await c.connect()
    before = len(server.requests)
    for _ in range(5):
        await c(functions.updates.GetStateRequest())
    assert len(server.requests) - before == 5
    assert slept.count(0.005) == len(server.requests) + 1  # +1: the connect itself
    await c.disconnect()


async def test_batched_requests(server: SimServer, tmp_path: Path) -> None:
    path = tmp_path / "a.session"
    server.authorize_session(path, ADA, API_ID)
    c = client(server, path)
    await c.connect()
    results = await c([functions.updates.GetStateRequest(), functions.help.GetConfigRequest()])
    assert results[0].pts == 1 and results[1].this_dc == 4
    ordered = await c([functions.updates.GetStateRequest()] * 2, ordered=True)
    assert len(ordered) == 2
    await c.disconnect()


async def test_update_loop_and_disconnect_leave_no_tasks(server: SimServer, tmp_path: Path) -> None:
    path = tmp_path / "a.session"
    server.authorize_session(path, ADA, API_ID)
    c = client(server, path)
    before = asyncio.all_tasks()
    await c.connect()
    server.drop_connection()
    with pytest.raises(ConnectionError):
        await c(functions.updates.GetStateRequest())
    await c.connect()
    await c.disconnect()
    await asyncio.sleep(0)
    leftover = [t for t in asyncio.all_tasks() - before if not t.done()]
    assert leftover == []


async def test_session_from_another_server_is_unknown(tmp_path: Path) -> None:
    """A key this server never issued: Telethon's AuthKeyNotFound, as for -404 from Telegram."""
    first, second = SimServer(clock=FakeClock(), seed=1), SimServer(clock=FakeClock(), seed=2)
    for srv in (first, second):
        srv.add_app(API_ID, API_HASH)
        srv.add_user(ADA, "Ada")
    first.authorize_session(tmp_path / "a.session", ADA, API_ID)
    c = client(second, tmp_path / "a.session")
    from telethon import errors

    with pytest.raises(errors.AuthKeyNotFound):
        await c.connect()
    await c.disconnect()
