"""`LoginFlow`: log in to an existing Telegram account, step by step, without any UI.

credentials → phone → code (or QR) → password (only with 2FA) → done.

Until the flow is done, its session lives in a pending folder
(`<root>/pending/<name>-<random>/session.session`, 0700/0600), never in an account
folder; nothing is saved as an account before DONE, and `cancel()` deletes the pending
folder. A re-login replaces the account's session only when the new login succeeded.

Every failure sets `error`, leaves the flow in a step where the user can retry, calls
`on_change` and raises `TelegramFailure`. The 2FA password is never stored or logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import os
import re
import secrets as _random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tgtui.accounts import (
    Account,
    AccountInUse,
    AccountLock,
    InvalidInput,
    Proxy,
    Server,
    State,
    Status,
    StoreError,
    UserInfo,
    validate,
)
from tgtui.accounts.fsutil import FILE_MODE, ensure_dir, fsync_dir
from tgtui.accounts.secret_file import Hidden
from tgtui.failure import Failure
from tgtui.telegram.client import connect_client, disconnect_quietly, make_client
from tgtui.telegram.errors import SURFACED, TelegramFailure, failure, to_failure
from tgtui.telegram.ledger import Ledger
from tgtui.telegram.wirefail import explain_client, explain_timeout

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram

log = logging.getLogger(__name__)

QR_POLL = 1.0  # seconds between looks at the (injectable) clock while waiting for a scan
QR_MIN_REFRESH = 5.0  # never export login tokens faster than this (seconds)
QR_STALE_LIMIT = 3  # login tokens in a row that arrive already expired: the clocks disagree
OWN_LOCK_WAIT = 5.0  # seconds a re-login waits for this process's own health check to end


class Step(str, enum.Enum):
    """Where a login flow is."""

    CREDENTIALS = "credentials"
    PHONE = "phone"
    CODE = "code"
    QR = "qr"
    PASSWORD = "password"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class CodeInfo:
    """How Telegram delivered the login code, in words a person can act on.

    via: app, sms, call, flash_call, missed_call, email, fragment or other.
    where: a plain sentence saying where to look.
    timeout_s / expires_at: Telegram's timeout for this delivery, when it gave one; after
        it the code can be sent again by `next_via`.
    """

    via: str
    where: str
    length: int | None
    timeout_s: int | None
    sent_at: datetime
    expires_at: datetime | None
    next_via: str | None
    can_resend: bool


@dataclass(frozen=True)
class QrInfo:
    """The QR login link (`tg://login?token=...`) and when it expires."""

    url: str
    expires_at: datetime


def _code_kind(sent_type: Any) -> str:
    name = type(sent_type).__name__
    table = {
        "SentCodeTypeApp": "app",
        "SentCodeTypeSms": "sms",
        "SentCodeTypeSmsWord": "sms",
        "SentCodeTypeSmsPhrase": "sms",
        "SentCodeTypeFirebaseSms": "sms",
        "SentCodeTypeCall": "call",
        "SentCodeTypeFlashCall": "flash_call",
        "SentCodeTypeMissedCall": "missed_call",
        "SentCodeTypeEmailCode": "email",
        "SentCodeTypeSetUpEmailRequired": "email",
        "SentCodeTypeFragmentSms": "fragment",
        "CodeTypeSms": "sms",
        "CodeTypeCall": "call",
        "CodeTypeFlashCall": "flash_call",
        "CodeTypeMissedCall": "missed_call",
        "CodeTypeFragmentSms": "fragment",
    }
    return table.get(name, "other")


def _where(via: str, sent_type: Any, phone: str) -> str:
    masked = validate.mask_phone(phone) if phone else "your phone"
    length = getattr(sent_type, "length", None)
    if via == "app":
        return "in the Telegram app on your other devices, in the chat named Telegram (not by SMS)"
    if via == "sms":
        return f"by SMS to {masked}"
    if via == "call":
        return f"by a phone call to {masked}: a voice reads the code"
    if via == "flash_call":
        return f"by a short call to {masked}: the calling number is the code (do not answer)"
    if via == "missed_call":
        digits = f"the last {length} digits" if length else "the last digits"
        return f"by a missed call to {masked}: {digits} of the calling number are the code"
    if via == "email":
        pattern = getattr(sent_type, "email_pattern", "") or "your login email"
        return f"by email to {pattern}"
    if via == "fragment":
        url = getattr(sent_type, "url", "") or "fragment.com"
        return f"on Fragment ({url}), in the inbox of this anonymous number"
    return "in a way this tgtui does not know yet; check your Telegram apps and SMS"


class LoginFlow:
    """A UI-free login state machine. See the module docstring for the contract."""

    def __init__(
        self,
        tg: Telegram,
        *,
        name: str,
        label: str = "",
        relogin: Account | None = None,
        on_change: Callable[[LoginFlow], None] | None = None,
        proxy: Proxy | None = None,
        proxy_secret: str | None = None,
        server: Server | None = None,
    ) -> None:
        """Raise InvalidInput at once for a bad or taken name (or a broken account)."""
        self.tg = tg
        if relogin is not None:
            if relogin.broken:
                raise InvalidInput(
                    f"Account {relogin.name!r} cannot be read ({relogin.broken}); fix or "
                    "remove it before logging in again."
                )
            name = relogin.name
            proxy = proxy or relogin.proxy
            server = server or relogin.server
            label = label or relogin.label
        else:
            name = validate.account_name(name, set(tg.store.names()))
        self.name = name
        self.label = label
        self.relogin = relogin
        self.on_change = on_change
        self.proxy = proxy
        self.server = server
        self._proxy_secret = Hidden(proxy_secret) if proxy_secret else None

        self.step = Step.CREDENTIALS
        self.error: Failure | None = None
        self.code: CodeInfo | None = None
        self.qr: QrInfo | None = None
        self.password_hint = ""
        self.account: Account | None = None
        self.warnings: list[str] = []
        self.api_id: int | None = relogin.api_id if relogin else None
        self.phone: str | None = relogin.phone if relogin else None

        self.ledger = Ledger(tg.pending_dir / "ledger", tg.clock)
        self._api_hash: Hidden | None = None
        self._cred_warnings: list[str] = []
        self._client: Any = None
        self._was_connected = False
        self._pending: Path | None = None
        self._hash: str | None = None  # phone_code_hash
        self._qr_event: asyncio.Event | None = None
        self._qr_handler: Any = None
        self._qr_exported_at = float("-inf")  # tg.clock() of the last auth.exportLoginToken
        self._qr_stale = 0  # tokens in a row that arrived already expired
        self._two_fa: bool | None = None
        self._result: tuple[UserInfo, str, int | None, bool | None] | None = None

    # ------------------------------------------------------------------ helpers
    def __repr__(self) -> str:
        return f"LoginFlow(name={self.name!r}, step={self.step.value})"

    @property
    def pending_session(self) -> Path | None:
        """The pending session file, while the flow has one."""
        return self._pending / "session.session" if self._pending else None

    def _changed(self) -> None:
        if self.on_change is None:
            return
        try:
            self.on_change(self)
        except Exception:  # a UI callback must never break the flow
            log.exception("login flow on_change callback failed")

    def _require(self, *steps: Step) -> None:
        if self.step not in steps:
            allowed = ", ".join(s.value for s in steps)
            raise RuntimeError(f"login flow is at {self.step.value}; this needs {allowed}")

    def _fail(self, fail: Failure, step: Step | None = None) -> TelegramFailure:
        if self.step not in (Step.CANCELLED, Step.DONE):
            self.error = fail
            if step is not None:
                self.step = step
            self._changed()
        return TelegramFailure(fail)

    def _rpc_fail(self, exc: BaseException, stage: str, *, ledger_phone: str | None = None):
        fail = to_failure(exc, stage)
        if fail.name == fail.exc_type and fail.name not in SURFACED:
            log.warning("login step %s failed unexpectedly", stage, exc_info=exc)
        step = None
        if fail.name == "FLOOD_WAIT" and ledger_phone and fail.seconds:
            self.ledger.record_flood(ledger_phone, fail.seconds)
        if fail.name in ("API_ID_INVALID", "API_ID_PUBLISHED_FLOOD"):
            step = Step.CREDENTIALS
        elif fail.name in (
            "PHONE_NUMBER_INVALID",
            "PHONE_NUMBER_BANNED",
            "PHONE_NUMBER_UNOCCUPIED",
        ):
            step = Step.PHONE
        return self._fail(fail, step)

    def _set(self, step: Step) -> None:
        if self.step is Step.CANCELLED:
            return  # cancelled while a request was in flight: stay cancelled
        self.step = step
        self.error = None
        self._changed()

    def _now(self) -> datetime:
        return self.tg.now()

    async def _bounded(self, awaitable: Any) -> Any:
        """Await one network call of a step, giving up after the check timeout."""
        limit = float(self.tg.settings.check_timeout)
        try:
            return await asyncio.wait_for(awaitable, limit)
        except asyncio.TimeoutError:
            raise explain_timeout(self._client, limit) from None
        except Exception as exc:  # name non-MTProto answers and unknown keys (wirefail)
            named = explain_client(exc, self._client)
            if named is exc:
                raise
            raise named from exc

    async def _connected(self) -> Any:
        """The flow's client on its pending session, connected."""
        if self._client is None:
            pending_root = ensure_dir(self.tg.pending_dir)
            folder = pending_root / f"{self.name}-{_random.token_hex(4)}"
            ensure_dir(folder)
            self._pending = folder
            account = Account(
                name=self.name,
                api_id=self.api_id or 0,
                phone=self.phone or "",
                proxy=self.proxy,
                server=self.server,
                folder=folder,
            )
            assert self._api_hash is not None
            self._client = make_client(
                self.tg,
                account,
                self._api_hash.value,
                receive_updates=True,  # QR login needs UpdateLoginToken
                proxy_secret=self._proxy_secret.value if self._proxy_secret else None,
                auto_reconnect=True,  # a login can sit for minutes while the user reads SMS
            )
        if not self._client.is_connected():
            # After a dropped link: tidy up what is left of the old connection first
            # (update and keepalive tasks); the session file reopens on connect.
            if self._was_connected:
                with contextlib.suppress(Exception):
                    await self._client.disconnect()
            # Set before connecting: a connect that timed out or failed half-way leaves
            # Telethon's transport tasks behind, and the next try must close them first.
            self._was_connected = True
            await connect_client(self._client, self.proxy)
        return self._client

    async def _discard_client(self) -> None:
        """Disconnect and delete the pending session (credentials changed, or cancelled)."""
        self._stop_qr()
        client, self._client = self._client, None
        self._was_connected = False
        if client is not None:
            await disconnect_quietly(client)
        folder, self._pending = self._pending, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        self._hash = None
        self._two_fa = None

    # ------------------------------------------------------------------ credentials
    async def set_credentials(self, api_id: str | int, api_hash: str) -> None:
        """Check api_id and api_hash (locally; Telegram checks them at `send_code`)."""
        self._require(Step.CREDENTIALS, Step.PHONE)
        try:
            checked = validate.api_id(api_id)
        except InvalidInput as exc:
            raise self._fail(failure("API_ID_INVALID", str(exc), stage="credentials")) from None
        try:
            clean_hash = validate.api_hash(api_hash)
        except InvalidInput as exc:
            raise self._fail(failure("API_ID_INVALID", str(exc), stage="credentials")) from None
        new_id = int(checked.value)  # type: ignore[call-overload]
        if self._client is not None and (
            new_id != self.api_id or self._api_hash is None or clean_hash != self._api_hash.value
        ):
            await self._discard_client()
        self.api_id = new_id
        self._api_hash = Hidden(clean_hash)
        warnings = list(checked.warnings)
        if self.relogin is not None and new_id != self.relogin.api_id:
            warnings.append(
                f"API_ID_CHANGED: this api_id ({new_id}) differs from the account's "
                f"({self.relogin.api_id}). The old session is bound to the old api_id; it "
                "will be replaced by this fresh login once it succeeds."
            )
        self._cred_warnings = warnings
        self.warnings = list(warnings)
        self._set(Step.PHONE)

    # ------------------------------------------------------------------ code
    async def send_code(self, phone: str) -> None:
        """Ask Telegram for a login code for `phone` (refused locally in a known flood wait)."""
        self._require(Step.PHONE)
        try:
            number = validate.phone(phone)
        except InvalidInput as exc:
            raise self._fail(failure("PHONE_NUMBER_INVALID", str(exc), stage="phone")) from None
        self.phone = number
        self.warnings = list(self._cred_warnings)
        if self.relogin is not None and self.relogin.phone and number != self.relogin.phone:
            old = validate.mask_phone(self.relogin.phone)
            self.warnings.append(
                f"This number differs from the account's ({old}); "
                "the account will belong to the number you log in with."
            )
        if self._local_flood(number, "phone"):
            return  # unreachable: _local_flood raises
        try:
            client = await self._bounded(self._connected())
            self.ledger.record_request(number, "send")
            sent = await self._bounded(self._send_code_request(client, number))
        except Exception as exc:
            raise self._rpc_fail(exc, "phone", ledger_phone=number) from None
        await self._took_code(sent)

    def _local_flood(self, phone: str, stage: str) -> bool:
        left = self.ledger.flood_left(phone)
        if left:
            minutes = f"{left // 60} min {left % 60} s" if left >= 60 else f"{left} s"
            raise self._fail(
                Failure(
                    "FLOOD_WAIT_LOCAL",
                    f"Telegram asked to wait before sending another code to this number; "
                    f"{minutes} left. tgtui did not send a request (asking early makes the "
                    "wait longer).",
                    seconds=left,
                    stage=stage,
                )
            )
        return False

    async def _send_code_request(self, client: Any, phone: str) -> Any:
        from telethon import errors
        from telethon.tl import functions, types

        assert self._api_hash is not None
        for attempt in range(3):
            try:
                return await client(
                    functions.auth.SendCodeRequest(
                        phone, self.api_id, self._api_hash.value, types.CodeSettings()
                    )
                )
            except errors.AuthRestartError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _took_code(self, sent: Any) -> None:
        from telethon.tl import types

        if isinstance(sent, types.auth.SentCodeSuccess):
            auth = sent.authorization
            if isinstance(auth, types.auth.Authorization):
                await self._finish(auth.user)
                return
        self._hash = sent.phone_code_hash
        via = _code_kind(sent.type)
        next_via = _code_kind(sent.next_type) if sent.next_type is not None else None
        now = self._now()
        timeout = sent.timeout
        self.code = CodeInfo(
            via=via,
            where=_where(via, sent.type, self.phone or ""),
            length=getattr(sent.type, "length", None),
            timeout_s=timeout,
            sent_at=now,
            expires_at=now + timedelta(seconds=timeout) if timeout else None,
            next_via=next_via,
            can_resend=next_via is not None,
        )
        self._set(Step.CODE)

    async def resend_code(self) -> None:
        """Ask for the code again (by `code.next_via`); a fresh code if the old one expired."""
        self._require(Step.CODE)
        phone = self.phone or ""
        self._local_flood(phone, "code")
        from telethon import errors
        from telethon.tl import functions

        try:
            client = await self._bounded(self._connected())
            self.ledger.record_request(phone, "resend")
            if self._hash is None:
                sent = await self._bounded(self._send_code_request(client, phone))
            else:
                try:
                    sent = await self._bounded(
                        client(functions.auth.ResendCodeRequest(phone, self._hash))
                    )
                except errors.PhoneCodeExpiredError:
                    self._hash = None
                    sent = await self._bounded(self._send_code_request(client, phone))
        except Exception as exc:
            raise self._rpc_fail(exc, "code", ledger_phone=phone) from None
        await self._took_code(sent)

    async def sign_in_code(self, code: str) -> None:
        """Log in with the code; goes to PASSWORD when the account has 2FA."""
        self._require(Step.CODE)
        from telethon import errors

        clean = re.sub(r"[\s\-]", "", str(code or ""))
        if not clean:
            raise self._fail(failure("PHONE_CODE_EMPTY", stage="code"))
        if self._hash is None:
            raise self._fail(
                failure(
                    "PHONE_CODE_EXPIRED",
                    "That code has expired; ask for a new one (Send again).",
                    stage="code",
                )
            )
        try:
            client = await self._bounded(self._connected())
            user = await self._bounded(
                client.sign_in(self.phone, clean, phone_code_hash=self._hash)
            )
        except errors.SessionPasswordNeededError:
            await self._to_password()
            return
        except Exception as exc:
            fail = to_failure(exc, "code")
            if fail.name == "PHONE_CODE_EXPIRED":
                self._hash = None
            raise self._rpc_fail(exc, "code") from None
        await self._finish(user)

    # ------------------------------------------------------------------ QR
    async def start_qr(self) -> None:
        """Log in by scanning a QR code instead of typing a code; sets `qr`."""
        self._require(Step.PHONE, Step.CODE, Step.QR)
        try:
            client = await self._bounded(self._connected())
            self._install_qr(client)
            await self._export_token(client)
        except Exception as exc:
            raise self._qr_fail(exc) from None

    def _install_qr(self, client: Any) -> None:
        if self._qr_handler is not None:
            return
        from telethon import events
        from telethon.tl import types

        event = asyncio.Event()

        async def on_token(_update: Any) -> None:
            event.set()

        client.add_event_handler(on_token, events.Raw(types.UpdateLoginToken))
        self._qr_event, self._qr_handler = event, on_token

    def _stop_qr(self) -> None:
        handler, self._qr_handler = self._qr_handler, None
        if handler is not None and self._client is not None:
            with contextlib.suppress(Exception):
                self._client.remove_event_handler(handler)
        if self._qr_event is not None:
            self._qr_event.set()  # wake a waiter so it sees the step change
        self._qr_event = None

    async def _export_token(self, client: Any) -> None:
        """Export a login token; Telegram answers with success once it was scanned."""
        from telethon import errors
        from telethon.tl import functions, types

        assert self._api_hash is not None
        try:
            resp = await self._bounded(
                client(
                    functions.auth.ExportLoginTokenRequest(self.api_id, self._api_hash.value, [])
                )
            )
            if isinstance(resp, types.auth.LoginTokenMigrateTo):
                await self._bounded(client._switch_dc(resp.dc_id))
                resp = await self._bounded(
                    client(functions.auth.ImportLoginTokenRequest(resp.token))
                )
        except errors.SessionPasswordNeededError:
            self._stop_qr()
            await self._to_password()
            return
        if isinstance(resp, types.auth.LoginTokenSuccess):
            self._stop_qr()
            await self._finish(resp.authorization.user)
            return
        if isinstance(resp, types.auth.LoginToken):
            import base64

            token = base64.urlsafe_b64encode(resp.token).decode("ascii").rstrip("=")
            expires = resp.expires
            if isinstance(expires, (int, float)):
                expires = datetime.fromtimestamp(expires, timezone.utc)
            # `expires` is in the server's time: move it to ours with Telethon's offset.
            expires -= timedelta(seconds=server_time_offset(client))
            self._qr_exported_at = self.tg.clock()
            self._qr_stale = self._qr_stale + 1 if expires.timestamp() <= self.tg.clock() else 0
            self.qr = QrInfo(url=f"tg://login?token={token}", expires_at=expires)
            self._set(Step.QR)
            return
        raise TypeError(f"unexpected login token answer: {type(resp).__name__}")

    def _qr_fail(self, exc: BaseException) -> TelegramFailure:
        fail = to_failure(exc, "qr")
        if fail.name in ("AUTH_TOKEN_EXPIRED", "AUTH_TOKEN_INVALID"):
            return self._fail(failure("QR_EXPIRED", stage="qr", exc_type=fail.exc_type))
        return self._rpc_fail(exc, "qr")

    async def wait_qr(self, timeout: float | None = None) -> bool:
        """Wait for the QR code to be scanned, renewing it when it expires.

        Returns True when the scan happened (step DONE, or PASSWORD for 2FA accounts) and
        False when the flow was cancelled or left meanwhile. Raises TelegramFailure
        QR_EXPIRED when `timeout` seconds pass without a scan (the flow stays at QR).
        """
        self._require(Step.QR)
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self.step is Step.QR and self._qr_event is not None and self.qr is not None:
            client = self._client
            left_token = self.qr.expires_at.timestamp() - self.tg.clock()
            chunk = min(left_token, QR_POLL)
            if left_token <= 0:
                if self._qr_stale >= QR_STALE_LIMIT:
                    raise self._fail(failure("CLOCK_SKEW", stage="qr"))
                # Once per token lifetime, and never faster than QR_MIN_REFRESH.
                chunk = min(QR_MIN_REFRESH, self._qr_exported_at + QR_MIN_REFRESH - self.tg.clock())
                if chunk <= 0:
                    try:
                        await self._export_token(client)
                    except Exception as exc:
                        raise self._qr_fail(exc) from None
                    continue
            if deadline is not None:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise self._fail(
                        failure(
                            "QR_EXPIRED",
                            "Nobody scanned the QR code in time; show it again or log in "
                            "with a code instead.",
                            stage="qr",
                        )
                    )
                chunk = min(chunk, remaining)
            event = self._qr_event
            try:
                await asyncio.wait_for(event.wait(), chunk)
            except asyncio.TimeoutError:
                continue
            if self.step is not Step.QR or self._qr_event is not event:
                break
            event.clear()
            try:
                await self._export_token(client)
            except Exception as exc:
                raise self._qr_fail(exc) from None
        return self.step in (Step.DONE, Step.PASSWORD)

    # ------------------------------------------------------------------ password
    async def _to_password(self) -> None:
        from telethon.tl import functions

        self._two_fa = True
        hint = ""
        with contextlib.suppress(Exception):
            pwd = await self._bounded(self._client(functions.account.GetPasswordRequest()))
            hint = pwd.hint or ""
        self.password_hint = hint
        self._set(Step.PASSWORD)

    async def sign_in_password(self, password: str) -> None:
        """Finish a 2FA login with the account's password (never stored, never logged)."""
        self._require(Step.PASSWORD)
        if not password:
            raise self._fail(
                failure(
                    "PASSWORD_HASH_INVALID",
                    "Type the two-step verification password (it cannot be empty).",
                    stage="password",
                )
            )
        from telethon import errors
        from telethon import password as pwd_mod
        from telethon.tl import functions

        secret = Hidden(password)
        del password
        try:
            client = await self._bounded(self._connected())
            for attempt in range(2):
                pwd = await self._bounded(client(functions.account.GetPasswordRequest()))
                # PBKDF2 with 100000 rounds: off the event loop so the UI stays responsive.
                check = await asyncio.to_thread(pwd_mod.compute_check, pwd, secret.value)
                try:
                    result = await self._bounded(client(functions.auth.CheckPasswordRequest(check)))
                    break
                except errors.SrpIdInvalidError:
                    if attempt:
                        raise
            user = result.user
            with contextlib.suppress(Exception):
                await client._on_login(user)
        except Exception as exc:
            raise self._rpc_fail(exc, "password") from None
        finally:
            secret.value = ""
        await self._finish(user)

    # ------------------------------------------------------------------ navigation
    async def back(self) -> None:
        """One step back: code/QR → phone, password → phone (a new session), phone → credentials."""
        if self.step in (Step.CODE, Step.QR):
            self._stop_qr()
            self.qr = None
            self._set(Step.PHONE)
        elif self.step is Step.PASSWORD:
            await self._discard_client()
            self.password_hint = ""
            self._set(Step.PHONE)
        elif self.step is Step.PHONE:
            self._set(Step.CREDENTIALS)

    async def cancel(self) -> None:
        """Stop: disconnect and delete the pending session. Safe at any step, and twice."""
        if self.step in (Step.CANCELLED, Step.DONE):
            await self._discard_client()  # nothing left if DONE; harmless
            return
        self.step = Step.CANCELLED
        await self._discard_client()
        self.error = None
        self._api_hash = None
        self._changed()

    # ------------------------------------------------------------------ done
    async def _finish(self, user: Any) -> None:
        """Logged in: record who, disconnect, save the account (or replace its session)."""
        from telethon.tl import functions

        client = self._client
        two_fa = self._two_fa
        if two_fa is None:
            with contextlib.suppress(Exception):
                pwd = await self._bounded(client(functions.account.GetPasswordRequest()))
                two_fa = bool(pwd.has_password)
        dc = getattr(client.session, "dc_id", None)
        self._stop_qr()
        await disconnect_quietly(client)
        self._client = None
        self._was_connected = False
        phone = self.phone or ""
        if getattr(user, "phone", None):
            try:
                phone = validate.phone("+" + str(user.phone))
            except InvalidInput:
                phone = "+" + str(user.phone)
        if self.step is Step.CANCELLED:
            await self._discard_client()
            return
        self.phone = phone
        info = UserInfo(
            id=int(user.id),
            first_name=user.first_name or "",
            last_name=user.last_name or "",
            username=user.username or "",
            premium=bool(getattr(user, "premium", False)),
        )
        self._result = (info, phone, dc, two_fa)
        await self.save()

    async def save(self) -> None:
        """Save the logged-in account. Called by the flow; call again to retry a failed save."""
        if self.step is Step.CANCELLED:
            return
        if self._result is None or self._pending is None:
            raise RuntimeError("nothing to save: the login has not succeeded")
        info, phone, dc, two_fa = self._result
        status = Status(
            state=State.OK,
            reason="Logged in",
            checked_at=self._now(),
            dc=dc,
            two_fa=two_fa,
        )
        session_file = self._pending / "session.session"
        assert self._api_hash is not None
        try:
            if self.relogin is not None:
                account = await asyncio.to_thread(
                    self._replace_session, session_file, info, phone, status
                )
            else:
                account = await asyncio.to_thread(self._create, session_file, info, phone, status)
        except AccountInUse as exc:
            raise self._fail(failure("SESSION_LOCKED", str(exc), stage="session")) from None
        except (StoreError, InvalidInput, OSError) as exc:
            raise self._fail(
                failure(
                    "CONFIG_INVALID",
                    f"Logged in, but the account could not be saved: {exc}",
                    stage="session",
                )
            ) from None
        shutil.rmtree(self._pending, ignore_errors=True)
        self._pending = None
        self.account = account
        self.tg.flood_until.pop(account.name, None)
        self._set(Step.DONE)

    def _create(self, session_file: Path, info: UserInfo, phone: str, status: Status) -> Account:
        store = self.tg.store
        name = self.name
        if store.exists(name):  # taken while the user typed the code: keep the login
            taken = name
            name = validate.suggest_name(name, set(store.names()))
            self.warnings.append(f"{taken!r} was taken meanwhile; saved as {name!r}.")
            self.name = name
        account = Account(
            name=name,
            label=self.label,
            api_id=self.api_id or 0,
            phone=phone,
            proxy=self.proxy,
            server=self.server,
            user=info,
            status=status,
        )
        assert self._api_hash is not None
        return store.create(account, self._api_hash.value, session_file=session_file)

    def _replace_session(
        self, session_file: Path, info: UserInfo, phone: str, status: Status
    ) -> Account:
        store = self.tg.store
        with _lock_patiently(store.lock(self.name)):
            current = store.get(self.name)
            if current.broken:
                raise StoreError(current.broken)
            target = current.session_path
            for suffix in ("-journal", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(str(target) + suffix)
            os.chmod(session_file, FILE_MODE)
            os.replace(session_file, target)
            fsync_dir(target.parent)
            assert self._api_hash is not None
            store.set_api_hash(current, self._api_hash.value)
            updated = replace(
                current,
                api_id=self.api_id or current.api_id,
                phone=phone or current.phone,
                user=info,
                status=status,
                proxy=self.proxy,
                server=self.server,
            )
            return store.update(updated)


def server_time_offset(client: Any) -> float:
    """Seconds the server's clock is ahead of ours, as Telethon measured it (0 if unknown)."""
    state = getattr(getattr(client, "_sender", None), "_state", None)
    offset = getattr(state, "time_offset", 0)
    return float(offset) if isinstance(offset, (int, float)) else 0.0


def _lock_patiently(lock: AccountLock) -> AccountLock:
    """Acquire `lock`; wait a little if this very process holds it (a health check in
    progress ends within seconds), but fail at once for another program."""
    deadline = time.monotonic() + OWN_LOCK_WAIT
    while True:
        try:
            return lock.acquire()
        except AccountInUse as exc:
            ours = exc.holder is not None and exc.holder.pid == os.getpid()
            if not ours or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def tidy_pending(tg: Telegram, max_age: float = 86400.0) -> int:
    """Delete pending login folders older than `max_age` seconds (left by crashes)."""
    root = tg.pending_dir
    if not root.is_dir():
        return 0
    removed = 0
    for item in root.iterdir():
        if not item.is_dir() or item.name == "ledger":
            continue
        try:
            age = tg.clock() - item.stat().st_mtime
        except OSError:
            continue
        if age > max_age:
            shutil.rmtree(item, ignore_errors=True)
            removed += 1
    return removed
