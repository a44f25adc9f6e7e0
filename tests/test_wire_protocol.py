"""The wire server speaks MTProto 2.0 as Telethon does: plain Telethon clients, unpatched.

Every client here is a stock `TelegramClient` that trusts the server's RSA key only
through `telethon.crypto.rsa.add_key`, connects over TCP to 127.0.0.1 and runs its own
key exchange, encryption, salts and time correction against the simulated Telegram.
"""

# ruff: noqa: F811  (the wire fixtures are imported from wire_support by name)
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from telethon import TelegramClient, errors
from telethon.crypto import rsa as tl_rsa
from telethon.network import connection as conn
from telethon.tl import functions, types
from wire_support import (  # noqa: F401  (fixtures)
    API_HASH,
    API_ID,
    PASSWORD,
    PHONE_DC2,
    PHONE_DC4,
    PHONE_DC5,
    make_sim,
    server_key,
    start_wire,
    wire,
)

from tgtui.telegram.sim.wire import ServerKey, WireServer


def client_for(wire: WireServer, session: str | Path, dc: int = 2, **kw: object) -> TelegramClient:
    """A stock Telethon client pointed at one DC of the wire server."""
    tl_rsa.add_key(wire.key.public_pem(), old=False)
    kw.setdefault("connection_retries", 1)
    kw.setdefault("retry_delay", 0)
    kw.setdefault("timeout", 3)
    client = TelegramClient(str(session), API_ID, API_HASH, **kw)  # type: ignore[arg-type]
    host, port = wire.addresses[dc]
    client.session.set_dc(dc, host, port)
    return client


@pytest.mark.parametrize(
    "connection",
    [
        conn.ConnectionTcpFull,
        conn.ConnectionTcpIntermediate,
        conn.ConnectionTcpAbridged,
        conn.ConnectionTcpObfuscated,
    ],
    ids=["full", "intermediate", "abridged", "obfuscated"],
)
async def test_key_exchange_and_requests_on_every_transport(
    wire: WireServer, tmp_path: Path, connection: type
) -> None:
    client = client_for(wire, tmp_path / "a.session", connection=connection)
    await client.connect()
    try:
        assert client.session.auth_key is not None  # made by the DH exchange, saved
        key_id = client.session.auth_key.key_id
        assert wire.sim.keys[key_id].dc == 2  # the server registered the same key
        config = await client(functions.help.GetConfigRequest())
        assert {o.id: o.port for o in config.dc_options} == {
            dc: port for dc, (_h, port) in wire.addresses.items()
        }
        assert not await client.is_user_authorized()
    finally:
        await client.disconnect()
    assert wire.stats["keys"] == 1


async def test_new_session_salt_and_reconnect_reuse_the_key(
    wire: WireServer, tmp_path: Path
) -> None:
    path = tmp_path / "a.session"
    client = client_for(wire, path)
    await client.connect()
    key = client.session.auth_key.key
    await client.disconnect()
    again = client_for(wire, path)
    await again.connect()  # same key, new session id: new_session_created, bad_server_salt
    try:
        assert again.session.auth_key.key == key
        assert await again(functions.PingRequest(ping_id=7)) is not None
    finally:
        await again.disconnect()
    assert wire.stats["keys"] == 1


async def test_a_key_from_another_dc_is_unknown_there(wire: WireServer, tmp_path: Path) -> None:
    client = client_for(wire, tmp_path / "a.session", dc=2)
    await client.connect()
    await client.disconnect()
    moved = client_for(wire, tmp_path / "a.session", dc=3)  # DC 3's port, DC 2's key
    with pytest.raises(errors.AuthKeyNotFound):
        await moved.connect()
    await moved.disconnect()


async def test_wrong_server_key_fails_with_telethons_named_error(
    wire: WireServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await wire.fault("wrong_rsa")
    client = client_for(wire, tmp_path / "a.session")
    with caplog.at_level(logging.WARNING), pytest.raises(ConnectionError, match="auth_key"):
        await client.connect()
    assert "could not find a valid key for fingerprints" in caplog.text
    await client.disconnect()


async def test_code_login_migrates_to_the_home_dc_with_2fa(
    wire: WireServer, tmp_path: Path
) -> None:
    client = client_for(wire, tmp_path / "a.session", dc=2)
    await client.connect()
    try:
        sent = await client.send_code_request(PHONE_DC4)  # PHONE_MIGRATE_4 inside
        assert client.session.dc_id == 4
        assert client.session.port == wire.addresses[4][1]
        with pytest.raises(errors.SessionPasswordNeededError):
            await client.sign_in(
                PHONE_DC4, wire.sim.last_code(PHONE_DC4), phone_code_hash=sent.phone_code_hash
            )
        me = await client.sign_in(password=PASSWORD)
        assert me.phone == PHONE_DC4.lstrip("+")
        assert (await client.get_me()).username == "dora4"
    finally:
        await client.disconnect()
    assert wire.sim.request_count("SendCodeRequest") == 2  # DC 2 (migrate), then DC 4


async def test_network_migrate_and_user_migrate(wire: WireServer, tmp_path: Path) -> None:
    wire.sim.network_migrate[2] = 5
    client = client_for(wire, tmp_path / "a.session", dc=2)
    await client.connect()
    try:
        await client.send_code_request(PHONE_DC5)  # NETWORK_MIGRATE_5
        assert client.session.dc_id == 5
        await client.sign_in(PHONE_DC5, wire.sim.last_code(PHONE_DC5))
        wire.sim.move_user(PHONE_DC5, 1)
        # USER_MIGRATE_1: Telethon moves the session to DC 1 with a new key, not logged in.
        with pytest.raises(errors.AuthKeyUnregisteredError):
            await client(functions.users.GetUsersRequest([types.InputUserSelf()]))
        assert client.session.dc_id == 1
    finally:
        await client.disconnect()


async def test_exported_authorization_imports_on_another_dc(
    wire: WireServer, tmp_path: Path
) -> None:
    client = client_for(wire, tmp_path / "a.session", dc=2)
    await client.connect()
    try:
        await client.send_code_request(PHONE_DC2)
        await client.sign_in(PHONE_DC2, wire.sim.last_code(PHONE_DC2))
        sender = await client._borrow_exported_sender(3)  # export on 2, import on 3
        try:
            users = await sender.send(functions.users.GetUsersRequest([types.InputUserSelf()]))
            assert users[0].username == "tess2"
        finally:
            await client._return_exported_sender(sender)
    finally:
        await client.disconnect()
    assert wire.sim.request_count("ExportAuthorizationRequest") == 1


async def test_qr_login_with_2fa_through_accept_login_token(
    wire: WireServer, tmp_path: Path
) -> None:
    phone_app = client_for(wire, tmp_path / "phone.session", dc=4)
    await phone_app.connect()
    await phone_app.send_code_request(PHONE_DC4)
    with pytest.raises(errors.SessionPasswordNeededError):
        await phone_app.sign_in(PHONE_DC4, wire.sim.last_code(PHONE_DC4))
    await phone_app.sign_in(password=PASSWORD)
    desk = client_for(wire, tmp_path / "desk.session", dc=2)
    await desk.connect()
    try:
        qr = await desk.qr_login()
        await phone_app(functions.auth.AcceptLoginTokenRequest(qr._resp.token))  # the "scan"
        with pytest.raises(errors.SessionPasswordNeededError):
            await qr.wait(5)  # LoginTokenMigrateTo(4), import on DC 4, then 2FA
        assert desk.session.dc_id == 4
        me = await desk.sign_in(password=PASSWORD)
        assert me.username == "dora4"
    finally:
        await desk.disconnect()
        await phone_app.disconnect()


@pytest.mark.parametrize("skew", [120, -120])
async def test_a_new_key_learns_the_server_clock(
    server_key: ServerKey, tmp_path: Path, skew: int
) -> None:
    wire = await start_wire(server_key, make_sim(clock_skew=skew))
    try:
        client = client_for(wire, tmp_path / "a.session", dc=5)
        await client.connect()  # the DH exchange tells Telethon the server's time
        try:
            await client.send_code_request(PHONE_DC5)
            await client.sign_in(PHONE_DC5, wire.sim.last_code(PHONE_DC5))
            assert (await client.get_me()).username == "fifi5"
        finally:
            await client.disconnect()
    finally:
        await wire.stop()


async def test_a_saved_key_corrects_a_fast_client_clock_by_bad_msg_notification(
    server_key: ServerKey, tmp_path: Path
) -> None:
    wire = await start_wire(server_key, make_sim(clock_skew=-120))
    try:
        client = client_for(wire, tmp_path / "a.session", dc=5)
        await client.connect()
        await client.send_code_request(PHONE_DC5)
        await client.sign_in(PHONE_DC5, wire.sim.last_code(PHONE_DC5))
        await client.disconnect()
        # A new connection with the saved key starts at offset 0: its msg_ids are 120 s
        # ahead of the server, which answers bad_msg_notification 17; Telethon corrects.
        again = client_for(wire, tmp_path / "a.session", dc=5)
        await again.connect()
        try:
            assert (await again.get_me()).username == "fifi5"
        finally:
            await again.disconnect()
        assert wire.stats["bad_time"] >= 1
    finally:
        await wire.stop()


async def test_mtproxy_obfuscation_with_a_secret(server_key: ServerKey, tmp_path: Path) -> None:
    secret = bytes(range(16))
    wire = await WireServer(make_sim(), server_key, secret=secret).start()
    try:
        host, port = wire.addresses[2]
        client = client_for(
            wire,
            tmp_path / "a.session",
            connection=conn.ConnectionTcpMTProxyRandomizedIntermediate,
            proxy=(host, port, "dd" + secret.hex()),
        )
        await client.connect()
        try:
            assert client.session.auth_key is not None
            assert not await client.is_user_authorized()
        finally:
            await client.disconnect()
        wrong = client_for(
            wire,
            tmp_path / "b.session",
            connection=conn.ConnectionTcpMTProxyRandomizedIntermediate,
            proxy=(host, port, "dd" + bytes(16).hex()),  # another secret: garbage to the server
            timeout=1,
        )
        with pytest.raises((ConnectionError, OSError, asyncio.TimeoutError, EOFError)):
            await asyncio.wait_for(wrong.connect(), 5)
        await wrong.disconnect()
    finally:
        await wire.stop()
