"""Snapshots of every wizard step, and of the troubleshooter open on an error, at 80x24
and 120x40. A scripted flow stands in for Telegram so codes, QR tokens and times are
fixed; the end-to-end tests (test_ui_wizard_flow.py) use the real flow and simulator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from test_ui_wizard_support import (
    API_HASH,
    API_ID,
    START,
    Clock,
    WizardApp,
    make_tg,
    paste,
    type_text,
)
from textual.widgets import Input

from tgtui.accounts import Proxy, Server
from tgtui.accounts.model import Account, State, Status, UserInfo
from tgtui.failure import Failure
from tgtui.telegram import flow as flow_module
from tgtui.telegram.context import Telegram
from tgtui.telegram.errors import TelegramFailure
from tgtui.telegram.flow import CodeInfo, QrInfo, Step
from tgtui.telegram.flow_protocol import LoginFlowFactory, LoginSteps

PHONE = "+15555550101"
CODE = "12345"
QR_URL = "tg://login?token=AQID" + "BAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh" + "Ig"
NOW = datetime.fromtimestamp(START, timezone.utc)
SIZES = [(80, 24), (120, 40)]


class ScriptedFlow:
    """A LoginFlow stand-in with fixed answers: it keeps the `LoginSteps` Protocol and is
    built like `LoginFlow` (tests/test_flow_protocol.py checks both)."""

    two_fa = False
    fail_code: Failure | None = None

    def __init__(
        self,
        tg: Telegram,
        *,
        name: str,
        label: str = "",
        relogin: Account | None = None,
        on_change: Callable[[LoginSteps], None] | None = None,
        proxy: Proxy | None = None,
        proxy_secret: str | None = None,
        server: Server | None = None,
        auto_name: bool = False,
    ) -> None:
        self.name, self.label, self.on_change = name, label, on_change
        self.step = Step.CREDENTIALS
        self.error: Failure | None = None
        self.code: CodeInfo | None = None
        self.qr: QrInfo | None = None
        self.password_hint = ""
        self.account: Account | None = None
        self.warnings: list[str] = []
        self.phone: str | None = None

    async def set_credentials(self, api_id: str | int, api_hash: str) -> None:
        self.step = Step.PHONE

    async def send_code(self, phone: str) -> None:
        self.phone = phone
        self.code = CodeInfo(
            via="app",
            where="in the Telegram app on your other devices, in the chat named Telegram "
            "(not by SMS)",
            length=5,
            timeout_s=60,
            sent_at=NOW,
            expires_at=NOW + timedelta(seconds=60),
            next_via="sms",
            can_resend=True,
        )
        self.step = Step.CODE

    async def resend_code(self) -> None:
        await self.send_code(self.phone or PHONE)

    async def sign_in_code(self, code: str) -> None:
        if self.fail_code is not None:
            raise TelegramFailure(self.fail_code)
        await self._after_login()

    async def start_qr(self) -> None:
        self.qr = QrInfo(url=QR_URL, expires_at=NOW + timedelta(seconds=30))
        self.step = Step.QR

    async def wait_qr(self, timeout: float | None = None) -> bool:
        await asyncio.Event().wait()
        return False

    async def sign_in_password(self, password: str) -> None:
        await self._done()

    async def _after_login(self) -> None:
        if self.two_fa:
            self.password_hint = "the usual one"
            self.step = Step.PASSWORD
        else:
            await self._done()

    async def _done(self) -> None:
        self.account = Account(
            name=self.name,
            api_id=API_ID,
            phone=PHONE,
            created=NOW,
            user=UserInfo(42, "Ann", "Lee", "ann_lee"),
            status=Status(State.OK, checked_at=NOW),
            folder=Path("/home/me/.config/tgtui/accounts") / self.name,
        )
        self.step = Step.DONE

    async def back(self) -> None:
        self.step = Step.PHONE

    async def cancel(self) -> None:
        self.step = Step.CANCELLED


if TYPE_CHECKING:  # mypy: the stand-in is built and used like LoginFlow
    _built_like_login_flow: LoginFlowFactory = ScriptedFlow


class FakeSim:
    """Just enough of the simulator for the demo hints."""

    def last_code(self, phone: str) -> str:
        return CODE

    def scan_qr(self, url: str, phone: str) -> None:
        return None


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> type[ScriptedFlow]:
    monkeypatch.setattr(flow_module, "LoginFlow", ScriptedFlow)
    monkeypatch.setattr(ScriptedFlow, "two_fa", False)
    monkeypatch.setattr(ScriptedFlow, "fail_code", None)
    return ScriptedFlow


def app_for(tmp_path: Path) -> WizardApp:
    return WizardApp(make_tg(tmp_path / "cfg", Clock(START), sim=FakeSim()))


async def _settle(pilot: Any) -> None:
    """Let workers finish; stop cursors blinking so the picture does not depend on timing."""
    for _ in range(8):
        await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def _credentials(pilot: Any) -> None:
    await _settle(pilot)
    await type_text(pilot, str(API_ID))
    await pilot.press("tab")
    await paste(pilot, API_HASH)
    await pilot.press("tab")
    await paste(pilot, "Work phone")
    await pilot.press("shift+tab", "shift+tab")
    await _settle(pilot)


async def _phone(pilot: Any) -> None:
    await _credentials(pilot)
    await pilot.press("enter")
    await _settle(pilot)
    await paste(pilot, PHONE)
    await _settle(pilot)


async def _code(pilot: Any) -> None:
    await _phone(pilot)
    await pilot.press("enter")
    await _settle(pilot)


async def _code_error(pilot: Any) -> None:
    await _code(pilot)
    await type_text(pilot, "11111")
    await pilot.press("enter")
    await _settle(pilot)


async def _qr(pilot: Any) -> None:
    await _phone(pilot)
    await pilot.press("f3")
    await _settle(pilot)


async def _password(pilot: Any) -> None:
    await _code(pilot)
    await type_text(pilot, CODE)
    await pilot.press("enter")
    await _settle(pilot)


async def _done(pilot: Any) -> None:
    await _code(pilot)
    await type_text(pilot, CODE)
    await pilot.press("enter")
    await _settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_credentials(
    snap_compare: Any, scripted: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_credentials)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_phone(
    snap_compare: Any, scripted: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_phone)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_code(
    snap_compare: Any, scripted: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_code)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_code_expired_error(
    snap_compare: Any, scripted: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    scripted.fail_code = Failure(
        "PHONE_CODE_EXPIRED",
        "That code has expired. Ask for a new one. (A code you forwarded or sent in a chat "
        "is expired by Telegram at once.)",
        exc_type="PhoneCodeExpiredError",
        stage="code",
    )
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_code_error)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_qr(
    snap_compare: Any, scripted: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_qr)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_password(
    snap_compare: Any, scripted: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    scripted.two_fa = True
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_password)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_done(
    snap_compare: Any, scripted: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=_done)
