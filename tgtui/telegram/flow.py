"""`LoginFlow`: log in to an existing Telegram account, step by step, without any UI.

credentials → phone → code (or QR) → password (only with 2FA) → done.

Until the flow is done, its session lives in a pending folder
(`<root>/pending/<name>-<random>/session.session`, 0700/0600), never in an account
folder; nothing is saved as an account before DONE, and `cancel()` deletes the pending
folder. A re-login replaces the account's session only when the new login succeeded.

Every failure sets `error`, leaves the flow in a step where the user can retry, calls
`on_change` and raises `TelegramFailure`. The 2FA password is never stored or logged.

The steps are here; the shared state, failures and saving are in `login_base`, code
delivery in `codes`, QR tokens in `qr`, 2FA in `password`, the store calls in `saving`.
Every write of a session file is the store's (`AccountStore.adopt_session`,
`replace_session`).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any

from tgtui.accounts import InvalidInput, validate
from tgtui.accounts.secret_file import Hidden
from tgtui.i18n import N_, _
from tgtui.telegram import qr as qr_rules
from tgtui.telegram.codes import CodeInfo, code_info, send_code_request
from tgtui.telegram.errors import TelegramFailure, failure, to_failure
from tgtui.telegram.login_base import LoginBase, Step
from tgtui.telegram.password import check_password
from tgtui.telegram.qr import QR_POLL, QrInfo, TokenAnswer, export_token

__all__ = ["CodeInfo", "LoginFlow", "QrInfo", "Step"]


class LoginFlow(LoginBase):
    """A UI-free login state machine. See the module docstring for the contract."""

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
                _(
                    "API_ID_CHANGED: this api_id ({new}) differs from the account's "
                    "({old}). The old session is bound to the old api_id; it "
                    "will be replaced by this fresh login once it succeeds."
                ).format(new=new_id, old=self.relogin.api_id)
            )
        self._cred_warnings = warnings
        self.warnings = list(warnings)
        self._set(Step.PHONE)

    # ------------------------------------------------------------------ code
    async def send_code(self, phone: str) -> None:
        """Ask Telegram for a login code for `phone` (refused locally in a known flood wait)."""
        self._require(Step.PHONE)
        try:
            # Telegram's test DCs and custom servers have numbers of their own (99966XYYYY)
            number = validate.phone(phone, strict=self.server is None)
        except InvalidInput as exc:
            raise self._fail(failure("PHONE_NUMBER_INVALID", str(exc), stage="phone")) from None
        self.phone = number
        self.warnings = list(self._cred_warnings)
        if self.relogin is not None and self.relogin.phone and number != self.relogin.phone:
            old = validate.mask_phone(self.relogin.phone)
            self.warnings.append(
                _(
                    "This number differs from the account's ({old}); "
                    "the account will belong to the number you log in with."
                ).format(old=old)
            )
        if self._local_flood(number, "phone"):
            return  # unreachable: _local_flood raises
        try:
            client = await self._bounded(self._connected())
            self.ledger.record_request(number, "send")
            sent = await self._bounded(self._send_code(client, number))
        except Exception as exc:
            raise self._rpc_fail(exc, "phone", ledger_phone=number) from None
        await self._took_code(sent)

    async def _send_code(self, client: Any, phone: str) -> Any:
        assert self._api_hash is not None
        return await send_code_request(client, phone, self.api_id or 0, self._api_hash.value)

    async def _took_code(self, sent: Any) -> None:
        from telethon.tl import types

        if isinstance(sent, types.auth.SentCodeSuccess):
            auth = sent.authorization
            if isinstance(auth, types.auth.Authorization):
                await self._finish(auth.user)
                return
        self._hash = sent.phone_code_hash
        self.code = code_info(sent, self.phone or "", self._now())
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
                sent = await self._bounded(self._send_code(client, phone))
            else:
                try:
                    sent = await self._bounded(
                        client(functions.auth.ResendCodeRequest(phone, self._hash))
                    )
                except errors.PhoneCodeExpiredError:
                    self._hash = None
                    sent = await self._bounded(self._send_code(client, phone))
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
                    N_("That code has expired; ask for a new one (Send again)."),
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
        self._qr_listener.install(client)

    async def _export_token(self, client: Any) -> None:
        """Export a login token; Telegram answers with success once it was scanned."""
        assert self._api_hash is not None
        answer: TokenAnswer = await export_token(
            client, self.api_id or 0, self._api_hash.value, self._bounded
        )
        if answer.password_needed:
            self._stop_qr()
            await self._to_password()
        elif answer.user is not None:
            self._stop_qr()
            await self._finish(answer.user)
        else:
            self.qr = answer.qr
            now = self.tg.clock()
            self._qr_exported_at = now
            stale = answer.qr is not None and answer.qr.expires_at.timestamp() <= now
            self._qr_stale = self._qr_stale + 1 if stale else 0
            self._set(Step.QR)

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
        while self.step is Step.QR and self._qr_listener.event is not None and self.qr:
            client = self._client
            left_token = self.qr.expires_at.timestamp() - self.tg.clock()
            chunk = min(left_token, QR_POLL)
            if left_token <= 0:
                if self._qr_stale >= qr_rules.QR_STALE_LIMIT:
                    raise self._fail(failure("CLOCK_SKEW", stage="qr"))
                # Once per token lifetime, and never faster than QR_MIN_REFRESH.
                refresh = qr_rules.QR_MIN_REFRESH
                chunk = min(refresh, self._qr_exported_at + refresh - self.tg.clock())
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
                            N_(
                                "Nobody scanned the QR code in time; show it again or log in "
                                "with a code instead."
                            ),
                            stage="qr",
                        )
                    )
                chunk = min(chunk, remaining)
            event = self._qr_listener.event
            try:
                await asyncio.wait_for(event.wait(), chunk)
            except asyncio.TimeoutError:
                continue
            if self.step is not Step.QR or self._qr_listener.event is not event:
                break
            event.clear()
            try:
                await self._export_token(client)
            except Exception as exc:
                raise self._qr_fail(exc) from None
        return self.step in (Step.DONE, Step.PASSWORD)

    # ------------------------------------------------------------------ password
    async def sign_in_password(self, password: str) -> None:
        """Finish a 2FA login with the account's password (never stored, never logged)."""
        self._require(Step.PASSWORD)
        if not password:
            raise self._fail(
                failure(
                    "PASSWORD_HASH_INVALID",
                    N_("Type the two-step verification password (it cannot be empty)."),
                    stage="password",
                )
            )
        secret = Hidden(password)
        del password
        try:
            client = await self._bounded(self._connected())
            user = await check_password(client, secret, self._bounded)
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

    async def _log_out_half_made(self) -> None:
        """The code was accepted but the 2FA password was not given: end that authorization
        at Telegram rather than leave it half-made."""
        from telethon.tl import functions

        with contextlib.suppress(Exception):
            await self._bounded(self._client(functions.auth.LogOutRequest()))

    async def _log_out_unsaved(self) -> None:
        """The login succeeded but could not be saved, and the user gives up: reconnect on
        the pending session (its client is gone) to end that authorization at Telegram."""
        from telethon.tl import functions

        from tgtui.telegram.client import connect_client, disconnect_quietly, make_client

        if self._pending is None or self._api_hash is None:
            return
        account = self._pending_account(self._pending)
        secret = self._proxy_secret.value if self._proxy_secret else None
        client = make_client(self.tg, account, self._api_hash.value, proxy_secret=secret)
        try:
            with contextlib.suppress(Exception):
                await self._bounded(connect_client(client, self.proxy, self.server, "session"))
                await self._bounded(client(functions.auth.LogOutRequest()))
        finally:
            await disconnect_quietly(client)

    async def cancel(self) -> None:
        """Stop: disconnect and delete the pending session. Safe at any step, and twice."""
        if self.step in (Step.CANCELLED, Step.DONE):
            await self._discard_client()  # nothing left if DONE; harmless
            return
        if self.step is Step.PASSWORD and self._client is not None:
            await self._log_out_half_made()
        elif self._result is not None and self._pending is not None:
            await self._log_out_unsaved()
        self.step = Step.CANCELLED
        await self._discard_client()
        self.error = None
        self._api_hash = None
        self._changed()
