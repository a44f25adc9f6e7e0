"""What a sysadmin over SSH at 80x24 tripped on in the wizard (issue 16, items 3-9):
long waits, where the api_hash goes, pasting both credentials, leaving mid-login by any
path, Ctrl+C, a terminal too small for the QR code, and the smaller papercuts."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path
from typing import Any

import pytest
from test_ui_wizard_flow import (
    PASSWORD,
    PHONE,
    make,
    screen_text,
    to_code,
    to_phone,
    type_code,
    wait_for,
)
from test_ui_wizard_support import (
    API_HASH,
    API_ID,
    UNSET,
    Clock,
    WizardApp,
    make_sim,
    make_tg,
    paste,
    settle,
    type_text,
)
from textual.widgets import Footer, Input, Select
from ui_fixtures import add

from tgtui.accounts import AccountStore, State, Status
from tgtui.accounts.secrets import SecretStore
from tgtui.config import prepare
from tgtui.telegram.context import Telegram
from tgtui.ui.app import TgtuiApp
from tgtui.ui.dialogs.confirm import ConfirmDialog
from tgtui.ui.widgets.qr import QrCode


def pending_logins(root: Path) -> list[str]:
    """The pending login folders (`pending/<name>-<hex>/`) left under the config dir."""
    pending = root / "pending"
    if not pending.exists():
        return []
    return sorted(p.name for p in pending.iterdir() if re.search(r"-[0-9a-f]{8}$", p.name))


def half_made(sim: Any, phone: str = PHONE) -> list[Any]:
    """Keys of `phone` whose code was accepted and that wait for the 2FA password."""
    return [k for k in sim.keys_of(phone) if k.password_pending is not None]


def app_with_list(tmp_path: Path, *, two_fa: bool = False) -> tuple[TgtuiApp, Any, Clock, Path]:
    """The whole app (account list first) over the simulator, one user to add."""
    clock = Clock()
    sim = make_sim(clock)
    if two_fa:
        sim.add_user(PHONE, "Ann", password=PASSWORD, hint="the usual one")
    else:
        sim.add_user(PHONE, "Ann")
    root = tmp_path / "cfg"
    return TgtuiApp(make_tg(root, clock, sim), start_monitor=False), sim, clock, root


async def open_wizard(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("a")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "step", None) == "credentials")


# ---------------------------------------------------------------- 3: long waits
async def test_a_long_wait_shows_the_time_taken_and_that_esc_cancels(tmp_path: Path) -> None:
    app, sim, clock, root = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_phone(pilot)
        sim.latency = 60.0  # Telegram does not answer
        await type_text(pilot, PHONE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.busy)
        assert "Esc cancels" in screen_text(app)
        clock.advance(12)
        await wait_for(pilot, lambda: "12 s · Esc cancels" in screen_text(app))
        assert "Asking Telegram to send a code… 12 s" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result is not UNSET, rounds=200)
    assert app.result is None
    assert pending_logins(root) == []


# ---------------------------------------------------------------- 4: where the api_hash goes
async def test_credentials_step_says_the_api_hash_goes_to_a_private_file(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))  # TGTUI_KEYRING=off
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "The api_hash will be kept in a private file (0600)" in text
        assert "TGTUI_KEYRING=off" in text


async def test_over_ssh_without_a_keyring_the_line_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # no keyringrc.cfg
    root = tmp_path / "cfg"
    prepare(root)
    tg = Telegram(AccountStore(root, SecretStore(mode="auto")), clock=Clock())
    app = WizardApp(tg)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "api_hash will be kept" in screen_text(app))
        storage = str(app.screen.query_one("#storage").render())
        assert storage == (
            "The api_hash will be kept in a private file (0600) in the account folder: "
            "no keyring is available over this SSH session."
        )


# ---------------------------------------------------------------- 5: paste both fields
async def test_pasting_api_id_tab_api_hash_fills_both_fields(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await paste(pilot, f"{API_ID}\t{API_HASH}")
        await settle(pilot)
        assert app.screen.query_one("#api-id", Input).value == str(API_ID)
        assert app.screen.query_one("#api-hash", Input).value == API_HASH
        assert app.focused is not None and app.focused.id == "api-hash"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.step == "phone")


# ---------------------------------------------------------------- 6, 7: leaving mid-login
async def test_ctrl_q_at_the_code_step_leaves_no_pending_folder(tmp_path: Path) -> None:
    app, _, _, root = app_with_list(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await to_code(pilot)
        assert len(pending_logins(root)) == 1
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert pending_logins(root) == []


async def test_quit_after_the_code_was_accepted_logs_the_half_made_login_out(
    tmp_path: Path,
) -> None:
    app, sim, _, root = app_with_list(tmp_path, two_fa=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "password")
        assert len(half_made(sim)) == 1
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert half_made(sim) == []
    assert pending_logins(root) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
async def test_a_signal_mid_login_ends_the_app_and_cleans_up(tmp_path: Path, sig: int) -> None:
    app, sim, _, root = app_with_list(tmp_path, two_fa=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "password")
        os.kill(os.getpid(), sig)
        await wait_for(pilot, lambda: app._exit_renderables is not None or not app.is_running)
    assert half_made(sim) == []
    assert pending_logins(root) == []


async def test_ctrl_c_on_the_list_quits_at_once(tmp_path: Path) -> None:
    app, _, _, _ = app_with_list(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert not app.is_running


async def test_ctrl_c_mid_login_asks_first_then_quits_cleanly(tmp_path: Path) -> None:
    app, _, _, root = app_with_list(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await to_code(pilot)
        await pilot.press("ctrl+c")  # the code field has focus: Input binds ctrl+c to copy
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "A login is under way" in screen_text(app)
        await pilot.press("escape")  # no: back to the login, nothing lost
        await wait_for(pilot, lambda: getattr(app.screen, "step", None) == "code")
        assert len(pending_logins(root)) == 1
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await settle(pilot)
        assert not app.is_running
    assert pending_logins(root) == []


# ---------------------------------------------------------------- 8: QR on a small terminal
async def test_at_60x20_the_qr_step_asks_for_a_bigger_terminal(tmp_path: Path) -> None:
    app, _, _, _ = make(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await to_phone(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: bool(app.screen.query_one(QrCode).url))
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "make the terminal at least 60x2" in text and "or use a login code" in text
        assert not app.screen.query_one("#qr-row").display  # no clipped, unscannable code
        assert "▀" not in text and "▄" not in text
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.screen.query_one("#qr-row").display
        assert "make the terminal" not in screen_text(app)


# ---------------------------------------------------------------- 9: papercuts
async def test_code_and_password_steps_show_how_to_go_on(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path, two_fa=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        assert "Log in  ⏎" in screen_text(app)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "password")
        await settle(pilot)
        assert "Log in  ⏎" in screen_text(app)


async def test_the_code_field_keeps_digits_only(tmp_path: Path) -> None:
    app, _, _, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        await type_text(pilot, "12a3b")
        await settle(pilot)
        assert app.screen.query_one("#code", Input).value == "123"
        assert "digits only" in str(app.screen.query_one("#code-msg").render())


async def test_without_a_label_the_name_comes_from_the_username(tmp_path: Path) -> None:
    clock = Clock()
    sim = make_sim(clock)
    sim.add_user(PHONE, "Ann", username="ann_ops")
    app = WizardApp(make_tg(tmp_path / "cfg", clock, sim))
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "done")
        assert "Saved as account 'ann_ops'" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result.name == "ann_ops"


async def test_adding_a_user_another_account_holds_warns(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "done")
        assert "also the account" not in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    first = app.result.name
    again = WizardApp(app.tg)
    async with again.run_test(size=(120, 40)) as pilot:
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: again.screen.step == "done")
        text = " ".join(screen_text(again).split())
        assert f"This Telegram user is also the account {first}" in text


async def test_after_reuse_tab_does_not_select_the_api_id(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_code(pilot)
        await type_code(pilot, sim.last_code(PHONE))
        await wait_for(pilot, lambda: app.screen.step == "done")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    second = WizardApp(app.tg)
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")
        await pilot.press("enter", "down", "enter")
        await wait_for(pilot, lambda: second.screen.query_one("#api-hash", Input).value != "")
        await pilot.press("tab")
        await settle(pilot)
        api_id = second.screen.query_one("#api-id", Input)
        assert second.focused is api_id
        assert api_id.selection.is_empty  # typing now adds to it instead of replacing it
        await type_text(pilot, "9")
        assert api_id.value == f"{API_ID}9"


async def test_the_reuse_list_does_not_cover_the_footer_at_80x24(tmp_path: Path) -> None:
    root = tmp_path / "cfg"
    tg = make_tg(root, Clock())
    for n in range(12):  # a full list: 12 rows
        add(tg, f"acc{n}", f"+155555501{n:02d}", Status(State.OK))
    app = WizardApp(tg)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")
        # the list lower on the screen, as after scrolling up to read the instructions
        app.screen.query_one("#wizard-main").scroll_home(animate=False)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        overlay = app.screen.query_one(Select).query_one("SelectOverlay")
        footer = app.screen.query_one(Footer)
        assert overlay.display
        assert overlay.region.bottom <= footer.region.y, (overlay.region, footer.region)


async def test_ctrl_c_in_a_dialog_quits(tmp_path: Path) -> None:
    tg = make_tg(tmp_path / "cfg", Clock())
    add(tg, "work", "+15555550167", Status(State.OK))
    app = TgtuiApp(tg, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")  # the remove dialog
        await wait_for(pilot, lambda: app.screen.is_modal)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert not app.is_running
    assert tg.store.names() == ["work"]  # quitting removed nothing
