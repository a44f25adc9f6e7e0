"""Telethon's own high-level login methods, run unchanged against the simulated Telegram."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from telethon import errors, functions, types

from tgtui.telegram.sim import FakeClock, SimServer, sim_client

API_ID, API_HASH = 123456, "0123456789abcdef0123456789abcdef"
ADA, BOB, CAT = "+31 6 1234 5678", "+44 7700 900123", "+1 555 010 0199"


@pytest.fixture
def clock() -> FakeClock:
    # Near real time: QRLogin.wait() without a timeout compares `expires` with the wall clock.
    return FakeClock(float(int(time.time())))


@pytest.fixture
def server(clock: FakeClock) -> SimServer:
    srv = SimServer(clock=clock, seed=7)
    srv.add_app(API_ID, API_HASH)
    srv.add_user(ADA, "Ada", "Lovelace", "ada", premium=True)
    srv.add_user(BOB, "Bob", password="correct horse", hint="horse")
    srv.add_user(CAT, "Cat")
    srv.add_other_session(CAT, "iPhone 15", "Telegram iOS", "Netherlands")
    return srv


def client(server: SimServer, path: Path, **kwargs):
    return sim_client(server, path, API_ID, API_HASH, flood_sleep_threshold=0, **kwargs)


async def test_code_login_then_get_me(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "ada.session")
    await c.connect()
    assert not await c.is_user_authorized()
    assert await c.get_me() is None
    sent = await c.send_code_request(ADA)
    assert isinstance(sent, types.auth.SentCode)
    assert isinstance(sent.type, types.auth.SentCodeTypeSms)  # no other session: SMS
    assert sent.type.length == 5 and sent.timeout == 120
    code = server.last_code(ADA)
    assert code is not None and len(code) == 5 and code.isdigit()
    user = await c.sign_in(ADA, code)
    assert isinstance(user, types.User)
    assert (user.first_name, user.last_name, user.username) == ("Ada", "Lovelace", "ada")
    assert user.phone == "31612345678" and user.is_self and user.premium and user.access_hash
    me = await c.get_me()
    assert me.id == user.id
    assert await c.is_user_authorized()
    assert server.is_authorized_key(c.session.auth_key.key)
    await c.disconnect()


async def test_code_is_deterministic(clock: FakeClock, tmp_path: Path) -> None:
    codes = []
    for run in range(2):
        srv = SimServer(clock=clock, seed=3)
        srv.add_app(API_ID, API_HASH)
        srv.add_user(ADA, "Ada")
        c = client(srv, tmp_path / f"{run}.session")
        await c.connect()
        await c.send_code_request(ADA)
        codes.append(srv.last_code(ADA))
        await c.disconnect()
    assert codes[0] == codes[1]


async def test_app_code_type_for_user_with_a_session(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "cat.session")
    await c.connect()
    sent = await c.send_code_request(CAT)
    assert isinstance(sent.type, types.auth.SentCodeTypeApp)
    assert isinstance(sent.next_type, types.auth.CodeTypeSms)
    await c.disconnect()


async def test_resend_goes_sms_then_call_then_unavailable(
    server: SimServer, tmp_path: Path
) -> None:
    c = client(server, tmp_path / "cat.session")
    await c.connect()
    sent = await c.send_code_request(CAT)
    # Telethon's send_code_request resends (auth.resendCode) when it already has a hash.
    again = await c.send_code_request(CAT)
    assert isinstance(again.type, types.auth.SentCodeTypeSms)
    assert isinstance(again.next_type, types.auth.CodeTypeCall)
    raw = await c(functions.auth.ResendCodeRequest("15550100199", sent.phone_code_hash))
    assert isinstance(raw.type, types.auth.SentCodeTypeCall) and raw.next_type is None
    with pytest.raises(errors.SendCodeUnavailableError):
        await c(functions.auth.ResendCodeRequest("15550100199", sent.phone_code_hash))
    # the same code still signs in
    assert (await c.sign_in(CAT, server.last_code(CAT))).first_name == "Cat"
    await c.disconnect()


async def test_wrong_empty_and_expired_codes(
    server: SimServer, clock: FakeClock, tmp_path: Path
) -> None:
    c = client(server, tmp_path / "ada.session")
    await c.connect()
    await c.send_code_request(ADA)
    code = server.last_code(ADA)
    wrong = "00000" if code != "00000" else "11111"
    with pytest.raises(errors.PhoneCodeInvalidError):
        await c.sign_in(ADA, wrong)
    sent = await c.send_code_request(ADA)  # resend: keeps the hash
    with pytest.raises(errors.PhoneCodeEmptyError):
        await c(functions.auth.SignInRequest("31612345678", sent.phone_code_hash, ""))
    clock.advance(server.code_ttl + 1)
    with pytest.raises(errors.PhoneCodeExpiredError):
        await c.sign_in(ADA, code)
    # Telethon forgets the hash on PHONE_CODE_EXPIRED, so a new request sends a new code
    await c.send_code_request(ADA)
    assert (await c.sign_in(ADA, server.last_code(ADA))).first_name == "Ada"
    await c.disconnect()


async def test_code_from_another_session_is_expired(server: SimServer, tmp_path: Path) -> None:
    first = client(server, tmp_path / "one.session")
    await first.connect()
    sent = await first.send_code_request(ADA)
    await first.disconnect()
    second = client(server, tmp_path / "two.session")
    await second.connect()
    with pytest.raises(errors.PhoneCodeExpiredError):
        await second.sign_in(ADA, server.last_code(ADA), phone_code_hash=sent.phone_code_hash)
    await second.disconnect()


async def test_unregistered_number_is_unoccupied(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "new.session")
    await c.connect()
    sent = await c.send_code_request("+49 151 00000000")
    assert isinstance(sent.type, types.auth.SentCodeTypeSms)
    with pytest.raises(errors.PhoneNumberUnoccupiedError):
        await c.sign_in("+49 151 00000000", server.last_code("4915100000000"))
    await c.disconnect()


async def test_two_factor_password(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "bob.session")
    await c.connect()
    await c.send_code_request(BOB)
    with pytest.raises(errors.SessionPasswordNeededError):
        await c.sign_in(BOB, server.last_code(BOB))
    assert not await c.is_user_authorized()
    pwd = await c(functions.account.GetPasswordRequest())
    assert pwd.has_password and pwd.hint == "horse"
    with pytest.raises(errors.PasswordHashInvalidError):
        await c.sign_in(password="wrong horse")
    user = await c.sign_in(password="correct horse")
    assert user.first_name == "Bob"
    assert (await c.get_me()).id == user.id
    await c.disconnect()


async def test_password_check_is_honest(server: SimServer, tmp_path: Path) -> None:
    """A replayed or tampered SRP answer fails: the server really verifies M1."""
    from telethon import password as pwd_mod

    c = client(server, tmp_path / "bob.session")
    await c.connect()
    await c.send_code_request(BOB)
    with pytest.raises(errors.SessionPasswordNeededError):
        await c.sign_in(BOB, server.last_code(BOB))
    pwd = await c(functions.account.GetPasswordRequest())
    check = pwd_mod.compute_check(pwd, "correct horse")
    tampered = types.InputCheckPasswordSRP(check.srp_id, check.A, bytes(32))
    with pytest.raises(errors.PasswordHashInvalidError):
        await c(functions.auth.CheckPasswordRequest(tampered))
    with pytest.raises(errors.SrpIdInvalidError):  # each challenge is single-use
        await c(functions.auth.CheckPasswordRequest(check))
    await c.disconnect()


async def test_qr_login(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "qr.session")
    await c.connect()
    qr = await c.qr_login()
    assert qr.url.startswith("tg://login?token=")
    waiter = asyncio.ensure_future(qr.wait(timeout=5))
    await asyncio.sleep(0)
    server.scan_qr(qr.url, ADA)
    user = await waiter
    assert user.first_name == "Ada"
    assert await c.is_user_authorized()
    await c.disconnect()


async def test_qr_login_default_timeout(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "qr.session")
    await c.connect()
    qr = await c.qr_login()
    waiter = asyncio.ensure_future(qr.wait())
    await asyncio.sleep(0)
    server.scan_qr(qr.token, CAT)
    assert (await waiter).first_name == "Cat"
    await c.disconnect()


async def test_qr_login_with_2fa(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "qr.session")
    await c.connect()
    qr = await c.qr_login()
    waiter = asyncio.ensure_future(qr.wait(timeout=5))
    await asyncio.sleep(0)
    server.scan_qr(qr.token, BOB)
    with pytest.raises(errors.SessionPasswordNeededError):
        await waiter
    user = await c.sign_in(password="correct horse")
    assert user.first_name == "Bob"
    await c.disconnect()


async def test_qr_token_expires_then_recreate(
    server: SimServer, clock: FakeClock, tmp_path: Path
) -> None:
    c = client(server, tmp_path / "qr.session")
    await c.connect()
    qr = await c.qr_login()
    old = qr.token
    assert qr.expires.timestamp() == pytest.approx(clock() + server.qr_ttl)
    clock.advance(server.qr_ttl + 1)
    with pytest.raises(ValueError):
        server.scan_qr(old, ADA)
    await qr.recreate()
    assert qr.token != old
    waiter = asyncio.ensure_future(qr.wait(timeout=5))
    await asyncio.sleep(0)
    server.scan_qr(qr.token, ADA)
    assert (await waiter).first_name == "Ada"
    await c.disconnect()


async def test_qr_wait_times_out_without_scan(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "qr.session")
    await c.connect()
    qr = await c.qr_login()
    with pytest.raises(asyncio.TimeoutError):
        await qr.wait(timeout=0.01)
    await c.disconnect()


async def test_accept_login_token_from_an_authorized_session(
    server: SimServer, tmp_path: Path
) -> None:
    """An imported session approves a fresh session's QR (AcceptLoginTokenRequest)."""
    server.authorize_session(tmp_path / "old.session", ADA, API_ID)
    old = client(server, tmp_path / "old.session")
    new = client(server, tmp_path / "new.session", device_model="tgtui")
    await old.connect()
    await new.connect()
    qr = await new.qr_login()
    waiter = asyncio.ensure_future(qr.wait(timeout=5))
    await asyncio.sleep(0)
    auth = await old(functions.auth.AcceptLoginTokenRequest(qr.token))
    assert isinstance(auth, types.Authorization) and auth.device_model == "tgtui"
    assert (await waiter).first_name == "Ada"
    with pytest.raises(errors.AuthTokenAlreadyAcceptedError):
        await old(functions.auth.AcceptLoginTokenRequest(qr.token))
    with pytest.raises(errors.AuthTokenInvalidError):
        await old(functions.auth.AcceptLoginTokenRequest(b"nope"))
    await old.disconnect()
    await new.disconnect()


async def test_no_updates_client_never_sees_the_scan(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "qr.session", receive_updates=False)
    await c.connect()
    qr = await c.qr_login()
    waiter = asyncio.ensure_future(qr.wait(timeout=0.05))
    await asyncio.sleep(0)
    server.scan_qr(qr.token, ADA)
    with pytest.raises(asyncio.TimeoutError):
        await waiter
    await c.disconnect()


async def test_log_out_deletes_session_and_deauthorizes_key(
    server: SimServer, tmp_path: Path
) -> None:
    path = tmp_path / "ada.session"
    c = client(server, path)
    await c.connect()
    await c.send_code_request(ADA)
    await c.sign_in(ADA, server.last_code(ADA))
    key = c.session.auth_key.key
    assert await c.log_out()
    assert not path.exists()
    assert not server.is_authorized_key(key)
    again = client(server, path)
    await again.connect()
    assert not await again.is_user_authorized()
    await again.disconnect()


async def test_authorizations_list_and_reset(server: SimServer, tmp_path: Path) -> None:
    phone_hash = server.add_other_session(ADA, "Pixel 8", "Telegram Android", "Germany")
    server.authorize_session(tmp_path / "a.session", ADA, API_ID)
    server.authorize_session(tmp_path / "b.session", ADA, API_ID)
    a = client(server, tmp_path / "a.session", device_model="box-a")
    b = client(server, tmp_path / "b.session")
    await a.connect()
    await b.connect()
    auths = await a(functions.account.GetAuthorizationsRequest())
    assert isinstance(auths, types.account.Authorizations) and auths.authorization_ttl_days > 0
    current = [x for x in auths.authorizations if x.current]
    assert len(current) == 1 and current[0].device_model == "box-a"
    assert current[0].api_id == API_ID
    assert len(auths.authorizations) == 3
    assert await a(functions.account.ResetAuthorizationRequest(phone_hash)) is True
    other = next(x for x in auths.authorizations if not x.current and x.hash != phone_hash)
    assert await a(functions.account.ResetAuthorizationRequest(other.hash)) is True
    with pytest.raises(errors.SessionRevokedError):
        await b(functions.updates.GetStateRequest())
    with pytest.raises(errors.HashInvalidError):
        await a(functions.account.ResetAuthorizationRequest(12345))
    left = await a(functions.account.GetAuthorizationsRequest())
    assert [x.current for x in left.authorizations] == [True]
    await a.disconnect()
    await b.disconnect()


async def test_telethon_start_runs_unchanged(server: SimServer, tmp_path: Path) -> None:
    c = client(server, tmp_path / "bob.session")
    await c.start(phone=BOB, password="correct horse", code_callback=lambda: server.last_code(BOB))
    assert (await c.get_me()).first_name == "Bob"
    await c.disconnect()
