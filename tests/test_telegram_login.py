"""The login flow against the simulated Telegram: every path, every failure, every cancel."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from test_telegram_support import API_HASH, API_ID, PHONE, Clock, login, pending_sessions

from tgtui.accounts import InvalidInput, State
from tgtui.accounts.fsutil import is_private
from tgtui.telegram import Telegram
from tgtui.telegram.errors import SURFACED, TelegramFailure
from tgtui.telegram.flow import LoginFlow, Step
from tgtui.telegram.sim import sim_client


def _changes(flow: LoginFlow) -> list[Step]:
    seen: list[Step] = []
    flow.on_change = lambda f: seen.append(f.step)
    return seen


async def _at_code(tg: Telegram, phone: str = PHONE, **kw) -> LoginFlow:
    flow = LoginFlow(tg, name="work", **kw)
    await flow.set_credentials(str(API_ID), API_HASH)
    await flow.send_code(phone)
    assert flow.step is Step.CODE
    return flow


async def _fails(coro, name: str) -> TelegramFailure:
    with pytest.raises(TelegramFailure) as err:
        await coro
    assert err.value.failure.name == name, err.value.failure
    return err.value


async def _authorized(server, path: Path) -> bool:
    client = sim_client(server, str(path), API_ID, API_HASH)
    await client.connect()
    try:
        return await client.is_user_authorized()
    finally:
        await client.disconnect()


# ---------------------------------------------------------------- happy paths


async def test_login_by_code(tg: Telegram, server) -> None:
    flow = LoginFlow(tg, name="work", label="Work phone")
    seen = _changes(flow)
    await flow.set_credentials(f"  {API_ID} ", f"api_hash: {API_HASH.upper()}")
    assert flow.step is Step.PHONE and flow.warnings == []
    await flow.send_code("+34 600 00 00 01")
    assert flow.step is Step.CODE
    code = flow.code
    assert code is not None and code.via in ("app", "sms") and code.where
    assert flow.pending_session is not None and flow.pending_session.exists()
    assert is_private(flow.pending_session) and is_private(flow.pending_session.parent)
    assert not tg.store.names()  # nothing saved before DONE
    await flow.sign_in_code(" " + "-".join(server.last_code(PHONE)) + " ")
    assert flow.step is Step.DONE and flow.error is None
    acc = flow.account
    assert acc is not None and acc.name == "work" and acc.label == "Work phone"
    saved = tg.store.get("work")
    assert saved.api_id == API_ID and saved.phone == PHONE
    assert saved.user is not None and saved.user.username == "ana"
    assert saved.status.state is State.OK and saved.status.two_fa is False
    assert tg.store.api_hash(saved) == API_HASH
    assert is_private(saved.session_path)
    assert pending_sessions(tg) == []
    assert seen[0] is Step.PHONE and seen[-1] is Step.DONE
    # a normal Telethon SQLite session: a plain client on only that file is authorized
    assert await _authorized(server, saved.session_path)


async def test_login_with_two_step_password(tg: Telegram, server) -> None:
    server.add_user("+34600000002", "Bea", password="correct horse", hint="the horse")
    flow = await _at_code(tg, "+34600000002")
    await flow.sign_in_code(server.last_code("+34600000002"))
    assert flow.step is Step.PASSWORD and flow.password_hint == "the horse"
    assert flow.error is None
    await _fails(flow.sign_in_password("wrong"), "PASSWORD_HASH_INVALID")
    assert flow.step is Step.PASSWORD and flow.error is not None
    await flow.sign_in_password("correct horse")
    assert flow.step is Step.DONE
    saved = tg.store.get("work")
    assert saved.status.two_fa is True
    assert "correct horse" not in (saved.folder / "account.toml").read_text()
    assert await _authorized(server, saved.session_path)


async def test_login_by_qr(tg: Telegram, server) -> None:
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    await flow.start_qr()
    assert flow.step is Step.QR and flow.qr is not None
    assert flow.qr.url.startswith("tg://login?token=")
    waiter = asyncio.create_task(flow.wait_qr(timeout=10))
    await asyncio.sleep(0.05)
    server.scan_qr(flow.qr.url, PHONE)
    assert await asyncio.wait_for(waiter, 10) is True
    assert flow.step is Step.DONE
    saved = tg.store.get("work")
    assert saved.phone == PHONE and saved.user is not None
    assert await _authorized(server, saved.session_path)


async def test_login_by_qr_with_password(tg: Telegram, server) -> None:
    server.add_user("+34600000003", "Cris", password="pw", hint="usual")
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    await flow.start_qr()
    waiter = asyncio.create_task(flow.wait_qr(timeout=10))
    await asyncio.sleep(0.05)
    server.scan_qr(flow.qr.url, "+34600000003")
    assert await asyncio.wait_for(waiter, 10) is True
    assert flow.step is Step.PASSWORD and flow.password_hint == "usual"
    assert flow.error is None  # SESSION_PASSWORD_NEEDED is a step, not a failure
    await flow.sign_in_password("pw")
    assert flow.step is Step.DONE
    assert tg.store.get("work").phone == "+34600000003"


async def test_qr_renews_an_expired_token(tg: Telegram, server, clock: Clock) -> None:
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    await flow.start_qr()
    first = flow.qr
    assert first is not None
    clock.advance((first.expires_at.timestamp() - clock()) + 1)
    waiter = asyncio.create_task(flow.wait_qr(timeout=10))
    for _ in range(100):
        await asyncio.sleep(0.02)
        if flow.qr is not first:
            break
    assert flow.qr is not None and flow.qr.url != first.url
    assert flow.qr.expires_at > first.expires_at
    server.scan_qr(flow.qr.url, PHONE)
    assert await asyncio.wait_for(waiter, 10) is True
    assert flow.step is Step.DONE


async def test_qr_timeout_keeps_the_flow(tg: Telegram) -> None:
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    await flow.start_qr()
    await _fails(flow.wait_qr(timeout=0.2), "QR_EXPIRED")
    assert flow.step is Step.QR
    await flow.cancel()
    assert pending_sessions(tg) == []


# ---------------------------------------------------------------- failures


async def test_wrong_code_then_right(tg: Telegram, server) -> None:
    flow = await _at_code(tg)
    await _fails(flow.sign_in_code("00000"), "PHONE_CODE_INVALID")
    assert flow.step is Step.CODE and flow.error and flow.error.stage == "code"
    await _fails(flow.sign_in_code("  "), "PHONE_CODE_EMPTY")
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE and flow.error is None


async def test_expired_code_then_send_again(tg: Telegram, server) -> None:
    flow = await _at_code(tg)
    old = server.last_code(PHONE)
    server.expire_codes(PHONE)
    await _fails(flow.sign_in_code(old), "PHONE_CODE_EXPIRED")
    assert flow.step is Step.CODE
    await flow.resend_code()
    assert flow.step is Step.CODE and flow.error is None
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE


async def test_flood_wait_then_ledger_refuses_locally(tg: Telegram, server, clock: Clock) -> None:
    server.flood_send_code(PHONE, 3600)
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    err = await _fails(flow.send_code(PHONE), "FLOOD_WAIT")
    assert err.failure.seconds == 3600
    assert flow.step is Step.PHONE
    count = server.request_count()
    err = await _fails(flow.send_code(PHONE), "FLOOD_WAIT_LOCAL")
    assert 3590 <= (err.failure.seconds or 0) <= 3600
    assert "did not send" in err.failure.message
    # a new flow (e.g. after a restart) is refused too, also without a request
    clock.advance(600)
    again = LoginFlow(tg, name="work2")
    await again.set_credentials(API_ID, API_HASH)
    err = await _fails(again.send_code(PHONE), "FLOOD_WAIT_LOCAL")
    assert 2990 <= (err.failure.seconds or 0) <= 3000
    assert server.request_count() == count
    await flow.cancel()
    await again.cancel()


async def test_invalid_phone_is_refused_locally(tg: Telegram, server) -> None:
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    count = server.request_count()
    err = await _fails(flow.send_code("600 000 001"), "PHONE_NUMBER_INVALID")
    assert "country code" in err.failure.message
    assert flow.step is Step.PHONE and server.request_count() == count


async def test_unoccupied_number_is_explained(tg: Telegram, server) -> None:
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    try:
        await flow.send_code("+34600000099")
        await flow.sign_in_code(server.last_code("+34600000099") or "12345")
    except TelegramFailure as exc:
        assert exc.failure.name == "PHONE_NUMBER_UNOCCUPIED"
        assert "official" in exc.failure.message and "sign up" in exc.failure.message
    else:
        pytest.fail("an unknown number logged in")
    assert flow.step is Step.PHONE
    assert not tg.store.names()


async def test_invalid_api_id_goes_back_to_credentials(tg: Telegram) -> None:
    flow = LoginFlow(tg, name="work")
    await _fails(flow.set_credentials("abc", API_HASH), "API_ID_INVALID")
    assert flow.step is Step.CREDENTIALS
    await _fails(flow.set_credentials(API_ID, "short"), "API_ID_INVALID")
    await flow.set_credentials(99999, API_HASH)  # well-formed, but no such app
    err = await _fails(flow.send_code(PHONE), "API_ID_INVALID")
    assert err.failure.stage == "phone"
    assert flow.step is Step.CREDENTIALS
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE)
    assert flow.step is Step.CODE


async def test_public_api_id_warns(tg: Telegram) -> None:
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(2040, API_HASH)
    assert flow.step is Step.PHONE
    assert any("API_ID_PUBLISHED_FLOOD" in w for w in flow.warnings)
    await flow.cancel()


async def test_dropped_connection_then_retry(tg: Telegram, server) -> None:
    flow = await _at_code(tg)
    server.drop_connection()
    with pytest.raises(TelegramFailure) as err:
        await flow.sign_in_code(server.last_code(PHONE))
    assert err.value.failure.name == "ConnectionError"
    assert flow.step is Step.CODE
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE


async def test_bad_name_is_refused_up_front(tg: Telegram, server) -> None:
    with pytest.raises(InvalidInput):
        LoginFlow(tg, name="Bad Name!")
    await login(tg, server)
    with pytest.raises(InvalidInput, match="exists"):
        LoginFlow(tg, name="work")


async def test_every_failure_name_is_known(tg: Telegram, server) -> None:
    """Failures raised by the flow are all in SURFACED (the troubleshooter knows them)."""
    names = set()
    flow = LoginFlow(tg, name="work")
    for coro in (flow.set_credentials("x", API_HASH),):
        with pytest.raises(TelegramFailure) as err:
            await coro
        names.add(err.value.failure.name)
    await flow.set_credentials(API_ID, API_HASH)
    with pytest.raises(TelegramFailure) as err:
        await flow.send_code("12")
    names.add(err.value.failure.name)
    assert names <= SURFACED


# ---------------------------------------------------------------- cancel


async def _to_step(tg: Telegram, server, step: Step) -> LoginFlow:
    server.add_user("+34600000004", "Dani", password="pw")
    flow = LoginFlow(tg, name="work")
    if step is Step.CREDENTIALS:
        return flow
    await flow.set_credentials(API_ID, API_HASH)
    if step is Step.PHONE:
        return flow
    if step is Step.QR:
        await flow.start_qr()
        return flow
    await flow.send_code("+34600000004")
    if step is Step.CODE:
        return flow
    await flow.sign_in_code(server.last_code("+34600000004"))
    assert flow.step is Step.PASSWORD
    return flow


@pytest.mark.parametrize("step", [Step.CREDENTIALS, Step.PHONE, Step.CODE, Step.QR, Step.PASSWORD])
async def test_cancel_at_every_step_leaves_nothing(tg: Telegram, server, step: Step) -> None:
    flow = await _to_step(tg, server, step)
    assert flow.step is step
    pending = flow.pending_session
    await flow.cancel()
    await flow.cancel()  # twice is fine
    assert flow.step is Step.CANCELLED
    assert not tg.store.names()
    assert pending_sessions(tg) == []
    if pending is not None:
        assert not pending.exists()
    assert list((tg.root / "accounts").iterdir()) == []


async def test_back_and_forth(tg: Telegram, server) -> None:
    flow = await _at_code(tg)
    await flow.back()
    assert flow.step is Step.PHONE
    await flow.back()
    assert flow.step is Step.CREDENTIALS
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE)
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE
    assert pending_sessions(tg) == []


# ---------------------------------------------------------------- re-login


async def test_relogin_replaces_the_session_only_on_success(tg: Telegram, server) -> None:
    acc = await login(tg, server)
    old = acc.session_path.read_bytes()
    # a re-login that is cancelled changes nothing
    flow = LoginFlow(tg, name="ignored", relogin=tg.store.get("work"))
    await flow.set_credentials(API_ID, API_HASH)
    assert flow.phone == PHONE
    await flow.send_code(PHONE)
    await flow.cancel()
    assert acc.session_path.read_bytes() == old
    assert tg.store.names() == ["work"]
    # a re-login with a wrong code changes nothing either
    flow = LoginFlow(tg, name="ignored", relogin=tg.store.get("work"))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE)
    with pytest.raises(TelegramFailure):
        await flow.sign_in_code("00000")
    assert acc.session_path.read_bytes() == old
    # the old session gets revoked; a successful re-login replaces it
    server.revoke(PHONE)
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE
    assert flow.account is not None and flow.account.name == "work"
    assert acc.session_path.read_bytes() != old
    assert is_private(acc.session_path)
    assert tg.store.names() == ["work"]
    assert tg.store.get("work").status.state is State.OK
    assert await _authorized(server, acc.session_path)
    assert pending_sessions(tg) == []


async def test_relogin_with_another_api_id_warns_and_updates(tg: Telegram, server) -> None:
    await login(tg, server)
    other_hash = "ffffffffffffffffffffffffffffffff"
    server.add_app(777777, other_hash)
    flow = LoginFlow(tg, name="x", relogin=tg.store.get("work"))
    await flow.set_credentials(777777, other_hash)
    assert any("API_ID_CHANGED" in w for w in flow.warnings)
    await flow.send_code(PHONE)
    await flow.sign_in_code(server.last_code(PHONE))
    saved = tg.store.get("work")
    assert saved.api_id == 777777
    assert tg.store.api_hash(saved) == other_hash


async def test_relogin_waits_for_the_lock(
    tg: Telegram, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tgtui.accounts import AccountLock
    from tgtui.telegram import login_base

    monkeypatch.setattr(login_base, "OWN_LOCK_WAIT", 0.2)

    acc = await login(tg, server)
    old = acc.session_path.read_bytes()
    flow = LoginFlow(tg, name="x", relogin=tg.store.get("work"))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE)
    with AccountLock(acc.folder, "work"):
        await _fails(flow.sign_in_code(server.last_code(PHONE)), "SESSION_LOCKED")
        assert acc.session_path.read_bytes() == old
    await flow.save()  # retry once the lock is free
    assert flow.step is Step.DONE
    assert acc.session_path.read_bytes() != old
    assert os.path.exists(acc.session_path)


async def test_dropped_connection_during_send_code_then_retry(tg: Telegram, server) -> None:
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    server.drop_connection(request="SendCodeRequest")
    err = await _fails(flow.send_code(PHONE), "ConnectionError")
    assert err.failure.stage == "phone" and flow.step is Step.PHONE
    await flow.send_code(PHONE)
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE


async def test_resend_moves_to_the_next_delivery(tg: Telegram, server) -> None:
    flow = await _at_code(tg)
    first = flow.code
    assert first is not None and first.can_resend and first.next_via
    await flow.resend_code()
    assert flow.code is not None and flow.code.via == first.next_via
    assert flow.code.where != first.where
    while flow.code.can_resend:
        await flow.resend_code()
    await _fails(flow.resend_code(), "SEND_CODE_UNAVAILABLE")
    assert flow.step is Step.CODE
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE


async def test_server_side_failures_keep_the_flow_retryable(tg: Telegram, server) -> None:
    flow = await _at_code(tg)
    server.fail_next("SignInRequest", "FLOOD_WAIT_30")
    err = await _fails(flow.sign_in_code(server.last_code(PHONE)), "FLOOD_WAIT")
    assert err.failure.seconds == 30 and flow.step is Step.CODE
    # retrying inside the wait is refused by Telethon itself, without a request
    count = server.request_count("SignInRequest")
    await _fails(flow.sign_in_code(server.last_code(PHONE)), "FLOOD_WAIT")
    assert server.request_count("SignInRequest") == count
    await flow.cancel()
    flow = await _at_code(tg)
    server.fail_next("SignInRequest", "PHONE_NUMBER_BANNED")
    await _fails(flow.sign_in_code(server.last_code(PHONE)), "PHONE_NUMBER_BANNED")
    assert flow.step is Step.PHONE
    await flow.cancel()
    assert pending_sessions(tg) == []


async def test_relogin_waits_for_a_check_in_this_process(tg: Telegram, server) -> None:
    from tgtui.telegram.health import check

    acc = await login(tg, server)
    flow = LoginFlow(tg, name="x", relogin=tg.store.get("work"))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE)
    server.latency = 0.05
    checking = asyncio.create_task(check(tg, acc))
    await asyncio.sleep(0.02)  # the check holds the lock now
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE
    await checking


async def test_cancel_while_waiting_for_a_scan(tg: Telegram) -> None:
    flow = LoginFlow(tg, name="work")
    await flow.set_credentials(API_ID, API_HASH)
    await flow.start_qr()
    waiter = asyncio.create_task(flow.wait_qr())
    await asyncio.sleep(0.05)
    await flow.cancel()
    assert await asyncio.wait_for(waiter, 2) is False
    assert flow.step is Step.CANCELLED
    assert pending_sessions(tg) == []


async def test_giving_up_on_a_login_that_could_not_be_saved_logs_it_out(
    tg: Telegram, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The code was right, Telegram made the session, but the disk refused it: leaving the
    # wizard then must not leave that session alive on the account (the user cannot see or
    # use it, and it would stay in "Active sessions" for months).
    from tgtui.accounts import StoreError

    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreError("No space left on device")

    flow = await _at_code(tg)
    with monkeypatch.context() as m:
        m.setattr(tg.store, "adopt_session", refuse)
        err = await _fails(flow.sign_in_code(server.last_code(PHONE)), "CONFIG_INVALID")
    assert "could not be saved" in err.failure.message
    assert [k.user_id for k in server.keys_of(PHONE)] != []  # logged in, not saved
    await flow.cancel()
    assert server.keys_of(PHONE) == []
    assert pending_sessions(tg) == []
