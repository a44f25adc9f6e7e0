"""tgtui's login flow and health check against the wire server (real TCP, real MTProto).

The account's custom-server setting points at DC 2 of the wire server and carries the
server's public key file; tgtui trusts the key through the same path a user's setting
takes (`load_rsa_key` → `telethon.crypto.rsa.add_key`).
"""

# ruff: noqa: F811  (the wire fixtures are imported from wire_support by name)
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from wire_support import (  # noqa: F401  (fixtures)
    API_HASH,
    API_ID,
    PASSWORD,
    PHONE_DC2,
    PHONE_DC4,
    PHONE_DC5,
    code_login,
    key_file,
    make_sim,
    make_tg,
    server_key,
    server_setting,
    start_wire,
    wire,
)

from tgtui.accounts import State
from tgtui.telegram import qr as qr_rules
from tgtui.telegram.flow import LoginFlow, Step
from tgtui.telegram.health import check
from tgtui.telegram.sim.wire import ServerKey, WireServer


async def test_code_login_migrates_to_dc4_with_2fa_then_checks_ok(
    wire: WireServer, key_file: Path, tmp_path: Path
) -> None:
    tg = make_tg(tmp_path / "cfg")
    account = await code_login(tg, wire, key_file, phone=PHONE_DC4, dc=2)
    assert account.status.dc == 4 and account.status.two_fa is True
    assert account.user is not None and account.user.username == "dora4"
    health = await check(tg, tg.store.get("dora"))
    assert health.state is State.OK, health.reason
    assert health.dc == 4 and health.two_fa is True
    # One key per DC the login touched (2, then 4), each made by a real DH exchange.
    assert sorted(k.dc for k in wire.sim.keys.values()) == [2, 4]


async def test_health_check_of_an_account_homed_on_dc5(
    wire: WireServer, key_file: Path, tmp_path: Path
) -> None:
    tg = make_tg(tmp_path / "cfg")
    await code_login(tg, wire, key_file, name="fifi", phone=PHONE_DC5, password=None)
    health = await check(tg, tg.store.get("fifi"))
    assert health.state is State.OK, health.reason
    assert health.dc == 5 and health.user is not None and health.user.username == "fifi5"


async def test_a_session_whose_user_moved_dc_is_not_broken_and_its_file_is_kept(
    wire: WireServer, key_file: Path, tmp_path: Path
) -> None:
    tg = make_tg(tmp_path / "cfg")
    account = await code_login(tg, wire, key_file, name="fifi", phone=PHONE_DC5, password=None)
    before = account.session_path.read_bytes()
    wire.sim.move_user(PHONE_DC5, 1)  # the DC 5 key now gets USER_MIGRATE_1
    health = await check(tg, tg.store.get("fifi"))
    assert health.state is State.REVOKED, health.reason  # a login on the new DC is needed
    assert health.error is not None and health.error.name == "USER_MIGRATE"
    assert "log in again" in health.reason
    assert account.session_path.read_bytes() == before  # checks never rewrite the file


async def test_qr_login_with_2fa_across_dcs(
    wire: WireServer, key_file: Path, tmp_path: Path
) -> None:
    tg = make_tg(tmp_path / "cfg")
    flow = LoginFlow(tg, name="dora", server=server_setting(wire, key_file, 2))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.start_qr()
    assert flow.qr is not None
    waiter = asyncio.create_task(flow.wait_qr(timeout=10))
    await asyncio.sleep(0.2)
    wire.sim.scan_qr(flow.qr.url, PHONE_DC4)  # UpdateLoginToken travels over the socket
    assert await asyncio.wait_for(waiter, 10) is True
    assert flow.step is Step.PASSWORD, flow.error
    await flow.sign_in_password(PASSWORD)
    assert flow.step is Step.DONE, flow.error
    assert tg.store.get("dora").status.dc == 4
    assert wire.sim.request_count("ExportLoginTokenRequest") == 2  # shown, then after scan


async def test_relogin_replaces_the_session_with_a_working_one(
    wire: WireServer, key_file: Path, tmp_path: Path
) -> None:
    tg = make_tg(tmp_path / "cfg")
    account = await code_login(tg, wire, key_file, name="tess", phone=PHONE_DC2, password=None)
    wire.sim.revoke(PHONE_DC2)
    assert (await check(tg, tg.store.get("tess"))).state is State.REVOKED
    flow = LoginFlow(tg, name="ignored", relogin=tg.store.get("tess"))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE_DC2)
    await flow.sign_in_code(wire.sim.last_code(PHONE_DC2) or "")
    assert flow.step is Step.DONE, flow.error
    assert (await check(tg, tg.store.get("tess"))).state is State.OK
    assert account.session_path.exists()


@pytest.mark.parametrize("skew", [120, -120])
async def test_server_clock_skew_code_qr_and_checks_work(
    server_key: ServerKey, key_file: Path, tmp_path: Path, skew: int
) -> None:
    wire = await start_wire(server_key, make_sim(clock_skew=skew))
    try:
        tg = make_tg(tmp_path / "cfg")
        await code_login(tg, wire, key_file, name="fifi", phone=PHONE_DC5, password=None)
        health = await check(tg, tg.store.get("fifi"))
        assert health.state is State.OK, health.reason

        flow = LoginFlow(tg, name="tess", server=server_setting(wire, key_file, 2))
        await flow.set_credentials(API_ID, API_HASH)
        await flow.start_qr()
        assert flow.qr is not None
        left = flow.qr.expires_at.timestamp() - tg.clock()
        assert 20 < left <= 31  # the countdown is in our time, not the server's
        waiter = asyncio.create_task(flow.wait_qr(timeout=10))
        await asyncio.sleep(1.5)
        assert wire.sim.request_count("ExportLoginTokenRequest") == 1  # no re-export spin
        wire.sim.scan_qr(flow.qr.url, PHONE_DC2)
        assert await asyncio.wait_for(waiter, 10) is True
        assert flow.step is Step.DONE, flow.error
        assert (await check(tg, tg.store.get("tess"))).state is State.OK
    finally:
        await wire.stop()


async def test_stale_login_tokens_stop_with_a_clock_skew_failure(
    wire: WireServer, key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 item 5: tokens that arrive already expired used to be re-exported in a
    tight loop (130-200 auth.exportLoginToken a second)."""
    monkeypatch.setattr(qr_rules, "QR_MIN_REFRESH", 0.5)
    wire.sim.qr_ttl = -5  # a server that hands out stale tokens
    tg = make_tg(tmp_path / "cfg")
    flow = LoginFlow(tg, name="dora", server=server_setting(wire, key_file, 2))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.start_qr()
    with pytest.raises(Exception) as caught:
        await flow.wait_qr(timeout=4)
    exports = wire.sim.request_count("ExportLoginTokenRequest")
    assert exports == qr_rules.QR_STALE_LIMIT, exports
    assert flow.error is not None and flow.error.name == "CLOCK_SKEW", flow.error
    assert "clock" in str(caught.value).lower()
    from tgtui.troubleshoot import match

    assert match(flow.error)[0].id == "qr-clock-skew"
    await flow.cancel()


async def test_giving_up_on_an_unsaved_login_logs_it_out_over_the_wire(
    wire: WireServer, key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The login migrated to DC 4 and passed 2FA, then the disk refused the session: giving
    # up reconnects on the pending session (to its home DC, over the socket) and logs out.
    from tgtui.accounts import StoreError
    from tgtui.telegram.errors import TelegramFailure

    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreError("No space left on device")

    tg = make_tg(tmp_path / "cfg")
    flow = LoginFlow(tg, name="dora", server=server_setting(wire, key_file, 2))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE_DC4)
    await flow.sign_in_code(wire.sim.last_code(PHONE_DC4) or "")
    assert flow.step is Step.PASSWORD, flow.error
    monkeypatch.setattr(tg.store, "adopt_session", refuse)
    with pytest.raises(TelegramFailure):
        await flow.sign_in_password(PASSWORD)
    assert [k for k in wire.sim.keys_of(PHONE_DC4) if k.user_id] != []  # logged in, unsaved
    await flow.cancel()
    assert [k for k in wire.sim.keys_of(PHONE_DC4) if k.user_id] == []
    left = [p.name for p in tg.pending_dir.iterdir()] if tg.pending_dir.exists() else []
    assert [name for name in left if name != "ledger"] == []  # no pending session kept
