"""Every scriptable fault of the simulated Telegram, seen through Telethon's own methods."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from telethon import errors, functions

from tgtui.telegram.sim import FakeClock, SimServer, sim_client

API_ID, API_HASH = 123456, "0123456789abcdef0123456789abcdef"
ADA, BOB = "+31612345678", "+447700900123"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> SimServer:
    srv = SimServer(clock=clock, seed=11)
    srv.add_app(API_ID, API_HASH)
    srv.add_user(ADA, "Ada")
    srv.add_user(BOB, "Bob", password="pw")
    return srv


def client(server: SimServer, path: Path, api_id: int = API_ID, api_hash: str = API_HASH, **kw):
    return sim_client(server, path, api_id, api_hash, flood_sleep_threshold=0, **kw)


async def logged_in(server: SimServer, path: Path, phone: str = ADA):
    server.authorize_session(path, phone, API_ID)
    c = client(server, path)
    await c.connect()
    return c


async def test_invalid_api_id_and_hash(server: SimServer, tmp_path: Path) -> None:
    for api_id, api_hash in [(999, API_HASH), (API_ID, "f" * 32)]:
        c = client(server, tmp_path / f"{api_id}.session", api_id, api_hash)
        await c.connect()  # Telegram accepts the connection; the app check is on send_code
        with pytest.raises(errors.ApiIdInvalidError):
            await c.send_code_request(ADA)
        await c.disconnect()


@pytest.mark.parametrize("api_id", [17349, 4, 5, 6, 8, 2040, 21724])
async def test_published_api_id(server: SimServer, tmp_path: Path, api_id: int) -> None:
    server.add_app(api_id, "whatever")
    c = client(server, tmp_path / "x.session", api_id, "whatever")
    await c.connect()
    with pytest.raises(errors.ApiIdPublishedFloodError):
        await c.send_code_request(ADA)
    with pytest.raises(errors.ApiIdPublishedFloodError):
        await c.qr_login()
    await c.disconnect()


async def test_invalid_phone(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "x.session")
    await c.connect()
    with pytest.raises(errors.PhoneNumberInvalidError):
        await c.send_code_request("+12")
    await c.disconnect()


async def test_flood_on_send_code(server: SimServer, clock: FakeClock, tmp_path: Path) -> None:
    server.flood_send_code(ADA, 3600)
    c = client(server, tmp_path / "x.session")
    await c.connect()
    with pytest.raises(errors.FloodWaitError) as info:
        await c.send_code_request(ADA)
    assert info.value.seconds == 3600
    clock.advance(3000)
    other = client(server, tmp_path / "y.session")  # a fresh client has no local flood cache
    await other.connect()
    with pytest.raises(errors.FloodWaitError) as info:
        await other.send_code_request(ADA)
    assert info.value.seconds == 600
    clock.advance(601)
    third = client(server, tmp_path / "z.session")
    await third.connect()
    await third.send_code_request(ADA)
    for x in (c, other, third):
        await x.disconnect()


async def test_fail_next_by_message(server: SimServer, tmp_path: Path) -> None:
    server.fail_next("SendCodeRequest", "PHONE_NUMBER_FLOOD")
    server.fail_next(functions.auth.CheckPasswordRequest, "PHONE_PASSWORD_FLOOD")
    c = client(server, tmp_path / "x.session")
    await c.connect()
    with pytest.raises(errors.PhoneNumberFloodError):
        await c.send_code_request(BOB)
    await c.send_code_request(BOB)  # only the next one failed
    with pytest.raises(errors.SessionPasswordNeededError):
        await c.sign_in(BOB, server.last_code(BOB))
    with pytest.raises(errors.PhonePasswordFloodError):
        await c.sign_in(password="pw")
    assert (await c.sign_in(password="pw")).first_name == "Bob"
    await c.disconnect()


async def test_fail_next_with_an_exception(server: SimServer, tmp_path: Path) -> None:
    c = await logged_in(server, tmp_path / "a.session")
    boom = errors.FloodWaitError(request=None, capture=120)
    server.fail_next(functions.updates.GetStateRequest, boom)
    with pytest.raises(errors.FloodWaitError) as info:
        await c(functions.updates.GetStateRequest())
    assert info.value.seconds == 120
    await c.disconnect()


async def test_expired_code(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "x.session")
    await c.connect()
    await c.send_code_request(ADA)
    server.expire_codes(ADA)
    with pytest.raises(errors.PhoneCodeExpiredError):
        await c.sign_in(ADA, server.last_code(ADA))
    await c.disconnect()


@pytest.mark.parametrize(
    ("how", "error"),
    [
        ("unregistered", errors.AuthKeyUnregisteredError),
        ("revoked", errors.SessionRevokedError),
        ("expired", errors.SessionExpiredError),
    ],
)
async def test_revoke(server: SimServer, tmp_path: Path, how: str, error: type) -> None:
    c = await logged_in(server, tmp_path / "a.session")
    key = c.session.auth_key.key
    server.revoke(ADA, how=how)
    with pytest.raises(error):
        await c(functions.updates.GetStateRequest())
    assert await c.get_me() is None
    assert not server.is_authorized_key(key)
    await c.disconnect()
    fresh = client(server, tmp_path / "a.session")
    await fresh.connect()
    assert not await fresh.is_user_authorized()
    await fresh.disconnect()


async def test_ban(server: SimServer, tmp_path: Path) -> None:
    c = await logged_in(server, tmp_path / "a.session")
    server.ban(ADA)
    with pytest.raises(errors.UserDeactivatedBanError):
        await c(functions.updates.GetStateRequest())
    assert await c.get_me() is None  # USER_DEACTIVATED_BAN is an UnauthorizedError
    other = client(server, tmp_path / "b.session")
    await other.connect()
    with pytest.raises(errors.PhoneNumberBannedError):
        await other.send_code_request(ADA)
    await c.disconnect()
    await other.disconnect()


async def test_duplicate(server: SimServer, tmp_path: Path) -> None:
    c = await logged_in(server, tmp_path / "a.session")
    server.duplicate(ADA)
    with pytest.raises(errors.AuthKeyDuplicatedError):
        await c(functions.updates.GetStateRequest())
    await c.disconnect()
    # a real Telethon client hits it already in connect() (InitConnection)
    again = client(server, tmp_path / "a.session")
    with pytest.raises(errors.AuthKeyDuplicatedError):
        await again.connect()
    await again.disconnect()


async def test_forgotten_key(server: SimServer, tmp_path: Path) -> None:
    server.authorize_session(tmp_path / "a.session", ADA, API_ID)
    server.forget_keys(ADA)
    c = client(server, tmp_path / "a.session")
    with pytest.raises(errors.AuthKeyNotFound):
        await c.connect()
    assert not c.is_connected()
    await c.disconnect()


async def test_set_flood_on_account(server: SimServer, clock: FakeClock, tmp_path: Path) -> None:
    c = await logged_in(server, tmp_path / "a.session")
    server.set_flood(ADA, 500)
    with pytest.raises(errors.FloodWaitError) as info:
        await c(functions.account.GetAuthorizationsRequest())
    assert info.value.seconds == 500
    clock.advance(501)
    # Telethon remembers flood waits per request type on the *wall* clock: the same client
    # refuses locally, without a request reaching the server.
    sent = server.request_count("GetAuthorizationsRequest")
    with pytest.raises(errors.FloodWaitError):
        await c(functions.account.GetAuthorizationsRequest())
    assert server.request_count("GetAuthorizationsRequest") == sent
    await c.disconnect()
    fresh = client(server, tmp_path / "a.session")
    await fresh.connect()
    assert await fresh(functions.account.GetAuthorizationsRequest())
    await fresh.disconnect()


async def test_flood_within_threshold_is_slept_by_telethon(
    server: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telethon sleeps flood waits <= flood_sleep_threshold (real time) and retries."""
    from types import SimpleNamespace

    from telethon.client import users

    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(users, "asyncio", SimpleNamespace(sleep=fake_sleep))
    server.authorize_session(tmp_path / "a.session", ADA, API_ID)
    c = sim_client(server, tmp_path / "a.session", API_ID, API_HASH, flood_sleep_threshold=60)
    await c.connect()
    server.fail_next("GetStateRequest", "FLOOD_WAIT_0")  # Telethon turns 0 into 1 s
    before = server.request_count("GetStateRequest")
    await c(functions.updates.GetStateRequest())
    assert server.request_count("GetStateRequest") == before + 2
    assert slept == [1]
    await c.disconnect()


async def test_drop_connection_then_reconnect(server: SimServer, tmp_path: Path) -> None:
    c = await logged_in(server, tmp_path / "a.session")
    server.drop_connection(request="GetAuthorizationsRequest")
    await c(functions.updates.GetStateRequest())  # not matching: fine
    with pytest.raises(ConnectionError):
        await c(functions.account.GetAuthorizationsRequest())
    assert not c.is_connected()
    with pytest.raises(ConnectionError):
        await c(functions.updates.GetStateRequest())
    await c.connect()
    assert await c(functions.account.GetAuthorizationsRequest())
    assert await c.is_user_authorized()
    await c.disconnect()


async def test_drop_connection_after_n(server: SimServer, tmp_path: Path) -> None:
    c = await logged_in(server, tmp_path / "a.session")
    server.drop_connection(after=2)
    await c(functions.updates.GetStateRequest())
    await c(functions.updates.GetStateRequest())
    with pytest.raises(ConnectionError):
        await c(functions.updates.GetStateRequest())
    await c.disconnect()


async def test_offline(server: SimServer, tmp_path: Path) -> None:
    server.set_offline()
    c = client(server, tmp_path / "a.session")
    with pytest.raises(ConnectionError):
        await c.connect()
    assert not c.is_connected()
    server.set_offline(False)
    await c.connect()
    assert c.is_connected()
    server.set_offline(True)
    with pytest.raises(ConnectionError):
        await c(functions.help.GetConfigRequest())
    await c.disconnect()


async def test_no_socket_is_ever_opened(
    server: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the simulator opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(asyncio, "open_connection", refuse)
    monkeypatch.setattr(asyncio.BaseEventLoop, "create_connection", refuse)
    c = client(server, tmp_path / "b.session")
    await c.connect()
    await c.send_code_request(BOB)
    with pytest.raises(errors.SessionPasswordNeededError):
        await c.sign_in(BOB, server.last_code(BOB))
    await c.sign_in(password="pw")
    qr_client = client(server, tmp_path / "q.session")
    await qr_client.connect()
    qr = await qr_client.qr_login()
    waiter = asyncio.ensure_future(qr.wait(timeout=5))
    await asyncio.sleep(0)
    server.scan_qr(qr.token, ADA)
    await waiter
    assert await c.log_out()
    await qr_client.disconnect()
