"""The plumbing under `LoginFlow`: its state, failures, connection and saving.

`LoginBase` holds what every step shares: the current `Step`, the last `error`, the
client on the pending session, and the end of every successful path (`_finish` →
`save`, which hands the pending session to the store). The steps a user takes are
the public methods of `tgtui.telegram.flow.LoginFlow`.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tgtui.accounts import (
    Account,
    AccountInUse,
    InvalidInput,
    Proxy,
    Server,
    State,
    Status,
    StoreError,
    validate,
)
from tgtui.accounts.secret_file import Hidden
from tgtui.failure import Failure
from tgtui.i18n import N_, _
from tgtui.telegram.client import (
    connect_client,
    disconnect_quietly,
    get_proxy_secret,
    make_client,
)
from tgtui.telegram.codes import CodeInfo
from tgtui.telegram.errors import (
    SURFACED,
    AnswerTimeout,
    TelegramFailure,
    clock_wait,
    failure,
    target,
    to_failure,
)
from tgtui.telegram.ledger import Ledger
from tgtui.telegram.password import has_password, password_hint
from tgtui.telegram.qr import QrInfo, QrListener
from tgtui.telegram.saving import LoginResult, store_login
from tgtui.telegram.users import user_info, user_phone
from tgtui.telegram.wirefail import explain_client, explain_timeout

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram

log = logging.getLogger(__name__)

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


class LoginBase:
    """State and plumbing of a login flow; see `tgtui.telegram.flow` for the contract."""

    def __init__(
        self,
        tg: Telegram,
        *,
        name: str,
        label: str = "",
        relogin: Account | None = None,
        on_change: Callable[[Any], None] | None = None,
        proxy: Proxy | None = None,
        proxy_secret: str | None = None,
        server: Server | None = None,
        auto_name: bool = False,
    ) -> None:
        """Raise InvalidInput at once for a bad or taken name (or a broken account).

        `auto_name`: `name` is provisional; once logged in, the account is named after
        the Telegram username (or the phone number).
        """
        self.tg = tg
        if relogin is not None:
            if relogin.broken:
                raise InvalidInput(
                    _(
                        "Account {name} cannot be read ({reason}); fix or "
                        "remove it before logging in again."
                    ).format(name=repr(relogin.name), reason=relogin.broken)
                )
            name = relogin.name
            proxy = proxy or relogin.proxy
            server = server or relogin.server
            label = label or relogin.label
        else:
            name = validate.account_name(name, set(tg.store.names()))
        self.name = name
        self.auto_name = auto_name and relogin is None
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
        self._qr_exported_at = float("-inf")  # tg.clock() of the last auth.exportLoginToken
        self._qr_stale = 0  # login tokens in a row that arrived already expired
        self._pending: Path | None = None
        self._hash: str | None = None  # phone_code_hash
        self._qr_listener = QrListener()
        self._two_fa: bool | None = None
        self._result: LoginResult | None = None

    # ------------------------------------------------------------------ helpers
    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, step={self.step.value})"

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

    def _local_flood(self, phone: str, stage: str) -> bool:
        left = self.ledger.flood_left(phone)
        if left:
            raise self._fail(
                Failure(
                    "FLOOD_WAIT_LOCAL",
                    N_(
                        "Telegram asked to wait before sending another code to this number; "
                        "{wait} left. tgtui did not send a request (asking early makes the "
                        "wait longer)."
                    ).format(wait=clock_wait(left)),
                    seconds=left,
                    stage=stage,
                )
            )
        return False

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
            named = explain_timeout(self._client, limit)  # what Telethon saw meanwhile
            if not isinstance(named, TimeoutError):
                raise named from None
            raise AnswerTimeout(
                N_("{target} did not answer within {seconds} s").format(
                    target=target(self.server), seconds=f"{limit:g}"
                )
            ) from None
        except Exception as exc:  # name non-MTProto answers and unknown keys (wirefail)
            named = explain_client(exc, self._client)
            if named is exc:
                raise
            raise named from exc

    def _pending_account(self, folder: Path) -> Account:
        """The account being logged in, on its pending session folder."""
        return Account(
            name=self.name,
            api_id=self.api_id or 0,
            phone=self.phone or "",
            proxy=self.proxy,
            server=self.server,
            folder=folder,
        )

    async def _connected(self) -> Any:
        """The flow's client on its pending session, connected."""
        if self._client is None:
            relogin = self.relogin
            if self._proxy_secret is None and relogin is not None and self.proxy == relogin.proxy:
                secret = await get_proxy_secret(self.tg, relogin)  # the account's, kept
                self._proxy_secret = Hidden(secret) if secret else None
            folder = self.tg.store.new_pending(self.name)
            self._pending = folder
            account = self._pending_account(folder)
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
            stage = self.step.value if self.step.value in ("phone", "code", "qr") else "phone"
            # Set before connecting: a connect that timed out or failed half-way leaves
            # Telethon's transport tasks behind, and the next try must close them first.
            self._was_connected = True
            await connect_client(self._client, self.proxy, self.server, stage)
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
            self.tg.store.discard_pending(folder)
        self._hash = None
        self._two_fa = None

    def _stop_qr(self) -> None:
        self._qr_listener.stop(self._client)

    async def _to_password(self) -> None:
        self._two_fa = True
        self.password_hint = await password_hint(self._client, self._bounded)
        self._set(Step.PASSWORD)

    async def _finish(self, user: Any) -> None:
        """Logged in: record who, disconnect, save the account (or replace its session)."""
        client = self._client
        two_fa = self._two_fa
        if two_fa is None:
            two_fa = await has_password(client, self._bounded)
        dc = getattr(client.session, "dc_id", None)
        self._stop_qr()
        await disconnect_quietly(client)
        self._client = None
        self._was_connected = False
        phone = user_phone(user, self.phone or "")
        if self.step is Step.CANCELLED:
            await self._discard_client()
            return
        self.phone = phone
        info = user_info(user)
        if self.auto_name:
            seed = info.username or phone
            self.name = validate.suggest_name(seed, set(self.tg.store.names()))
        self._result = LoginResult(info, phone, dc, two_fa)
        await self.save()

    async def save(self) -> None:
        """Save the logged-in account. Called by the flow; call again to retry a failed save."""
        if self.step is Step.CANCELLED:
            return
        result, pending = self._result, self._pending
        if result is None or pending is None:
            raise RuntimeError("nothing to save: the login has not succeeded")
        assert self._api_hash is not None
        wanted = Account(
            name=self.name,
            label=self.label,
            api_id=self.api_id or 0,
            phone=result.phone,
            proxy=self.proxy,
            server=self.server,
            user=result.user,
            status=Status(
                state=State.OK,
                reason=N_("Logged in"),
                checked_at=self._now(),
                dc=result.dc,
                two_fa=result.two_fa,
            ),
        )
        try:
            account = await asyncio.to_thread(
                store_login,
                self.tg.store,
                wanted,
                self._api_hash.value,
                pending / "session.session",
                relogin=self.relogin is not None,
                wait=OWN_LOCK_WAIT,
                proxy_secret=self._proxy_secret.value if self._proxy_secret else None,
            )
        except AccountInUse as exc:
            raise self._fail(failure("SESSION_LOCKED", exc.english, stage="session")) from None
        except (StoreError, InvalidInput, OSError) as exc:
            raise self._fail(
                failure(
                    "CONFIG_INVALID",
                    N_("Logged in, but the account could not be saved: {detail}").format(
                        detail=exc
                    ),
                    stage="session",
                )
            ) from None
        if account.name != self.name:  # taken while the user typed the code
            taken, self.name = self.name, account.name
            self.warnings.append(
                _("{taken} was taken meanwhile; saved as {name}.").format(
                    taken=repr(taken), name=repr(account.name)
                )
            )
        self.tg.store.discard_pending(pending)
        self._pending = None
        self.account = account
        self.tg.flood_until.pop(account.name, None)
        self._set(Step.DONE)
