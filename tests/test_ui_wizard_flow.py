"""The wizard end to end against the simulated Telegram, keyboard only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_ui_wizard_support import (
    API_HASH,
    API_ID,
    START,
    UNSET,
    Clock,
    WizardApp,
    files_under,
    make_sim,
    make_tg,
    paste,
    settle,
    type_text,
)
from textual.widgets import Collapsible, Input, Static

from tgtui.accounts.model import State
from tgtui.ui.widgets.qr import QrCode, read_half_blocks
from tgtui.ui.widgets.troubleshooter import Troubleshooter

PHONE = "+15555550101"
PASSWORD = "correct horse"


def screen_text(app: WizardApp) -> str:
    """Everything on screen, as text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def make(tmp_path: Path, *, two_fa: bool = False) -> tuple[WizardApp, Any, Clock, Path]:
    clock = Clock(START)
    sim = make_sim(clock)
    if two_fa:
        sim.add_user(PHONE, "Ann", password=PASSWORD, hint="the usual one")
    else:
        sim.add_user(PHONE, "Ann")
    root = tmp_path / "cfg"
    return WizardApp(make_tg(root, clock, sim)), sim, clock, root


async def wait_for(pilot: Any, condition: Any, rounds: int = 60) -> None:
    """Pause until `condition()` holds (workers talk to the simulator)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not reached")


async def to_phone(pilot: Any) -> None:
    """Credentials typed, Enter: the phone step."""
    await settle(pilot)
    await type_text(pilot, str(API_ID))
    await pilot.press("tab")
    await paste(pilot, API_HASH)
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen.step == "phone")


async def to_code(pilot: Any, phone: str = PHONE) -> None:
    """Phone typed, Enter: the code step."""
    await to_phone(pilot)
    await type_text(pilot, phone)
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen.step == "code")


async def type_code(pilot: Any, code: str) -> None:
    await type_text(pilot, code)
    await pilot.press("enter")


def no_leftovers(root: Path) -> None:
    """No account, no session file anywhere under the config dir."""
    files = files_under(root)
    assert not [f for f in files if f.startswith("accounts/")], files
    assert not [f for f in files if f.endswith(".session")], files


async def test_add_with_code(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        code = sim.last_code(PHONE)
        assert f"Demo: the code is {code}" in screen_text(app)
        assert "Telegram sent the code" in screen_text(app)
        await type_code(pilot, code)
        await wait_for(pilot, lambda: app.screen.step == "done")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    account = app.result
    # no label, no username: the name comes from the phone number, not "account"
    assert account is not None and account.name == "tg-15555550101"
    assert account.status.state is State.OK
    saved = app.tg.store.get("tg-15555550101")
    assert saved.phone == PHONE and saved.session_path.exists()
    assert app.tg.store.api_hash(saved) == API_HASH


async def test_add_with_two_step_password(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path, two_fa=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "password")
        assert "the usual one" in screen_text(app)
        await type_text(pilot, "wrong one")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.help.matched is not None)
        assert app.screen.help.matched.id == "password-invalid"
        assert app.screen.query_one("#password", Input).value == ""
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.step == "done")
        assert PASSWORD not in screen_text(app)
        assert app.screen.query_one("#password", Input).value == ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result is not None and app.result.status.two_fa


async def test_wrong_code_then_right(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        code = sim.last_code(PHONE)
        wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
        await type_code(pilot, wrong)
        await wait_for(pilot, lambda: app.screen.help.matched is not None)
        assert app.screen.help.matched.id == "phone-code-invalid"
        assert "not right" in screen_text(app)
        await type_code(pilot, code)
        await wait_for(pilot, lambda: app.screen.step == "done")


async def test_expired_code_then_resend_with_offered_key(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        old = sim.last_code(PHONE)
        sim.expire_codes(PHONE)
        await type_code(pilot, old)
        await wait_for(pilot, lambda: app.screen.help.matched is not None)
        assert app.screen.help.matched.id == "phone-code-expired"
        assert app.screen.help.offer == "resend_code"
        assert "F5 send a new code" in screen_text(app)
        assert "another way" not in screen_text(app)
        assert "Demo: the code is" not in screen_text(app)  # the expired one is gone
        await pilot.press("f5")
        await wait_for(
            pilot, lambda: sim.last_code(PHONE) != old or app.screen.help.matched is None
        )
        await settle(pilot)
        new = sim.last_code(PHONE)
        assert f"Demo: the code is {new}" in screen_text(app)
        await type_code(pilot, new)
        await wait_for(pilot, lambda: app.screen.step == "done")
        footer = screen_text(app).splitlines()[-1]
        assert "Close" in footer and "Cancel" not in footer
        assert not app.screen.help.display or not app.screen.help.region.height
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result is not None  # Escape on the done step keeps the account


async def test_flood_wait_counted_down_then_retried(tmp_path: Path) -> None:
    app, sim, clock, _ = make(tmp_path)
    sim.flood_send_code(PHONE, 42)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_phone(pilot)
        await type_text(pilot, PHONE)
        await pilot.press("enter")
        help_: Troubleshooter = app.screen.help
        await wait_for(pilot, lambda: help_.matched is not None)
        assert help_.offer == "wait_retry"
        assert "F5 wait 0:42 and retry" in screen_text(app)
        await pilot.press("f5")
        clock.advance(20)
        await pilot.pause(0.4)
        assert "0:22" in str(app.screen.query_one("#ts-offer", Static).render())
        assert app.screen.step == "phone"
        # Telethon itself remembers flood waits by wall-clock time (`_flood_waited_requests`),
        # which the test clock does not move; forget it, as real time passing would.
        client = getattr(app.screen.flow, "_client", None)
        if client is not None:
            client._flood_waited_requests.clear()
        clock.advance(23)
        await wait_for(pilot, lambda: app.screen.step == "code")


async def test_unoccupied_number_is_explained(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    unused = "+15555550199"
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot, unused)  # like Telegram, the sim sends a code to any number
        await type_code(pilot, sim.last_code(unused))
        await wait_for(pilot, lambda: app.screen.help.matched is not None)
        assert app.screen.help.matched.id == "phone-number-unoccupied"
        assert app.screen.step == "phone"
        opened = [c for c in app.screen.query(Collapsible) if not c.collapsed]
        assert opened and opened[0].has_class("-matched")
        assert "No Telegram account uses this number" in screen_text(app)


async def test_add_with_qr(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_phone(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.screen.step == "qr")
        qr = app.screen.query_one(QrCode)
        await wait_for(pilot, lambda: bool(qr.url))
        assert qr.url.startswith("tg://login?token=")
        sim.scan_qr(qr.url, PHONE)
        await wait_for(pilot, lambda: app.screen.step == "done", rounds=200)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result is not None and app.result.phone == PHONE


async def test_add_with_qr_and_password(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path, two_fa=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_phone(pilot)
        await type_text(pilot, PHONE)
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.screen.step == "qr")
        await wait_for(pilot, lambda: bool(app.screen.query_one(QrCode).url))
        await pilot.press("s")  # demo: simulate the scan
        await wait_for(pilot, lambda: app.screen.step == "password", rounds=200)
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.step == "done")


@pytest.mark.parametrize("where", ["phone", "code", "qr", "password"])
async def test_cancel_at_each_step_leaves_nothing(tmp_path: Path, where: str) -> None:
    app, sim, _, root = make(tmp_path, two_fa=True)
    async with app.run_test(size=(80, 24)) as pilot:
        if where == "phone":
            await to_phone(pilot)
        elif where == "qr":
            await to_phone(pilot)
            await pilot.press("f3")
            await wait_for(pilot, lambda: app.screen.step == "qr")
        else:
            await to_code(pilot)
            if where == "password":
                await type_code(pilot, sim.last_code(PHONE))
                await wait_for(pilot, lambda: app.screen.step == "password")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result is None
    no_leftovers(root)


async def test_qr_at_80x24_is_whole_and_decodes_to_the_login_url(tmp_path: Path) -> None:
    import segno

    app, _, _, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_phone(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: bool(app.screen.query_one(QrCode).url))
        await settle(pilot)
        qr = app.screen.query_one(QrCode)
        region = qr.region
        assert region.right <= 80 and region.bottom <= 23  # above the footer
        assert (region.width, region.height) == qr.size_needed
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        cells = [line[region.x : region.right] for line in lines[region.y : region.bottom]]
        matrix = read_half_blocks(cells)
        border = 2
        side = region.width
        symbol = [row[border : side - border] for row in matrix[border : side - border]]
        expected = [[bool(m) for m in row] for row in segno.make(qr.url, micro=False).matrix]
        assert symbol == expected
        assert qr.url == app.screen.flow.qr.url


async def test_relogin_keeps_name_and_credentials(tmp_path: Path) -> None:
    app, sim, _, root = make(tmp_path)
    # first, an account made the normal way
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "done")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    account = app.result
    old_session = account.session_path.read_bytes()
    again = WizardApp(app.tg, relogin=account)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: again.screen.step == "phone")
        assert again.screen.query_one("#phone", Input).value == PHONE
        assert account.session_path.read_bytes() == old_session
        await pilot.press("enter")
        await wait_for(pilot, lambda: again.screen.step == "code")
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: again.screen.step == "done")
        await pilot.press("enter")
        await wait_for(pilot, lambda: again.result is not UNSET)
    assert again.result is not None and again.result.name == account.name
    assert app.tg.store.names() == [account.name]
    assert account.session_path.read_bytes() != old_session


async def test_reuse_credentials_of_an_existing_account(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    sim.add_user("+15555550102", "Bob")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "done")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    second = WizardApp(app.tg)
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert second.screen.query_one("#name", Input).value == ""  # named after login
        await pilot.press("shift+tab")  # from api_id back to the reuse list
        assert second.focused is not None and second.focused.id == "reuse"
        await pilot.press("enter", "down", "enter")
        await wait_for(pilot, lambda: second.screen.query_one("#api-hash", Input).value != "")
        assert second.screen.query_one("#api-id", Input).value == str(API_ID)
        assert "per application" in str(second.screen.query_one("#reuse-msg").render())
        await pilot.press("tab")
        await pilot.press("enter")
        await wait_for(pilot, lambda: second.screen.step == "phone")


async def test_through_the_app_the_new_account_is_listed_and_selected(tmp_path: Path) -> None:
    from tgtui.ui.app import TgtuiApp
    from tgtui.ui.widgets.account_table import AccountTable

    clock = Clock(START)
    sim = make_sim(clock)
    sim.add_user(PHONE, "Ann")
    tg = make_tg(tmp_path / "cfg", clock, sim)
    app = TgtuiApp(tg, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: getattr(app.screen, "step", None) == "credentials")
        await to_code(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "f6 Back" in footer and "^p palette" in footer  # all fits at 80 columns
        assert "? Help" not in footer  # the app's help is not the wizard's (F2)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "done")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query(AccountTable)))
        await settle(pilot)
        table = app.screen.query_one(AccountTable)
        assert table.selected_name == "tg-15555550101"
        assert table.get_cell("tg-15555550101", "status").plain == "● OK"  # checked at login
