"""`first_request`: connect and ask in one round trip, on the installed Telethon (CI runs
this file on 1.39 and on the newest 1.x: it is the one place using Telethon internals)."""

from __future__ import annotations

from pathlib import Path

import pytest
from telethon import errors, functions, types

from tgtui.accounts import Proxy
from tgtui.telegram.errors import ProxyConnectionError
from tgtui.telegram.first_request import connect_with, send_together
from tgtui.telegram.sim import FakeClock, SimServer, sim_client

API_ID, API_HASH = 123456, "0123456789abcdef0123456789abcdef"
ADA = "+31612345678"


@pytest.fixture
def server() -> SimServer:
    srv = SimServer(clock=FakeClock(), seed=7)
    srv.add_app(API_ID, API_HASH)
    srv.add_user(ADA, "Ada", username="ada", password="pw", dc=4)
    return srv


def _client(server: SimServer, path: Path, **kwargs: object):
    return sim_client(
        server,
        str(path),
        API_ID,
        API_HASH,
        flood_sleep_threshold=0,
        device_model="tgtui-test",
        receive_updates=False,
        **kwargs,
    )


def _get_self() -> functions.users.GetUsersRequest:
    return functions.users.GetUsersRequest([types.InputUserSelf()])


async def test_connect_and_get_self_is_one_request_and_one_round_trip(
    server: SimServer, tmp_path: Path
) -> None:
    path = tmp_path / "ada.session"
    server.authorize_session(path, ADA, API_ID)
    client = _client(server, path)
    try:
        answer = await connect_with(client, _get_self())
        (me,) = answer.result
        assert isinstance(me, types.User) and me.username == "ada" and me.is_self
        assert answer.rtt_ms >= 0
        # The server saw one request (the InitConnection wrapper carrying get-self), in
        # one packet, and recorded the app's InitConnection fields from it.
        assert server.requests == [(server.keys_of(ADA)[0].hex, "InitConnectionRequest")]
        assert server.round_trips() == 1 and server.connects == 1
        assert server.keys_of(ADA)[0].device_model == "tgtui-test"
        # The connection is usable as after Telethon's connect().
        pwd = await client(functions.account.GetPasswordRequest())
        assert pwd.has_password
        assert server.round_trips() == 2
    finally:
        await client.disconnect()
    assert not client.is_connected()
    assert client.session is not None  # disconnect closed it cleanly, no exception


async def test_errors_are_telethons_own(server: SimServer, tmp_path: Path) -> None:
    path = tmp_path / "ada.session"
    server.authorize_session(path, ADA, API_ID)
    server.revoke(ADA)
    client = _client(server, path)
    try:
        with pytest.raises(errors.AuthKeyUnregisteredError):
            await connect_with(client, _get_self())
    finally:
        await client.disconnect()
    server.set_offline(True)
    client = _client(server, path)
    try:
        with pytest.raises(ConnectionError):
            await connect_with(client, _get_self())
        proxy = Proxy(kind="socks5", host="proxy.example", port=1080)
        with pytest.raises(ProxyConnectionError, match="socks5 proxy proxy.example:1080"):
            await connect_with(client, _get_self(), proxy)
    finally:
        await client.disconnect()


async def test_requests_sent_together_are_one_round_trip(server: SimServer, tmp_path: Path) -> None:
    path = tmp_path / "ada.session"
    server.authorize_session(path, ADA, API_ID)
    client = _client(server, path)
    try:
        await connect_with(client, _get_self())
        before_trips, before = server.round_trips(), server.request_count()
        pwd, auths = await send_together(
            client,
            functions.account.GetPasswordRequest(),
            functions.account.GetAuthorizationsRequest(),
        )
        assert pwd.has_password and any(a.current for a in auths.authorizations)
        assert server.request_count() - before == 2
        assert server.round_trips() - before_trips == 1
        # When one of them fails, that failure comes out as itself (not MultiError).
        server.fail_next("GetAuthorizationsRequest", "FLOOD_WAIT_30")
        with pytest.raises(errors.FloodWaitError) as caught:
            await send_together(
                client,
                functions.account.GetPasswordRequest(),
                functions.account.GetAuthorizationsRequest(),
            )
        assert caught.value.seconds == 30
    finally:
        await client.disconnect()
