"""The TUI's "Import an existing session" (from the add-account wizard), keyboard only,
against the simulated Telegram and the tdata fixtures of test_tdata.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
)
from textual.widgets import Input

from tgtui.accounts.model import State
from tgtui.telegram import importers
from tgtui.ui.screens.import_session import ImportScreen

FIXTURES = Path(__file__).parent / "fixtures" / "tdata"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())
ANN, BOB = MANIFEST["desktop73-two"]["accounts"]
DESKTOP_API_ID = 1111


def make(tmp_path: Path) -> tuple[WizardApp, Any]:
    clock = Clock()
    sim = make_sim(clock)
    for n, (who, first) in enumerate(((ANN, "Ann"), (BOB, "Bob"))):
        sim.add_user(who["phone"], first, "", first.lower(), dc=who["dc"], user_id=who["user_id"])
        sim.authorize_session(
            tmp_path / f"desktop{n}.session",
            who["phone"],
            DESKTOP_API_ID,
            auth_key=bytes.fromhex(who["auth_key_hex"]),
        )
    return WizardApp(make_tg(tmp_path / "cfg", clock, sim)), sim


async def wait_for(pilot: Any, condition: Any, rounds: int = 400) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not reached")


async def open_import(pilot: Any) -> ImportScreen:
    pilot.app.screen.query_one("#import-existing").focus()
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def fill(pilot: Any, screen: ImportScreen, **values: str) -> None:
    """Type into the named inputs (ids with _ for -), then Enter in the last one."""
    for ident, text in values.items():
        box = screen.query_one(f"#{ident.replace('_', '-')}", Input)
        box.focus()
        await pilot.pause()
        box.value = ""
        await paste(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


def message(screen: ImportScreen, ident: str) -> str:
    return str(screen.query_one(f"#{ident}").render())


CREDENTIALS = {"api_id": str(API_ID), "api_hash": API_HASH, "name": "desk"}


async def test_tdata_with_passcode_fresh_by_default(tmp_path: Path) -> None:
    app, sim = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        await fill(pilot, screen, source=str(FIXTURES / "desktop73-passcode"), **CREDENTIALS)
        await wait_for(pilot, lambda: "local passcode" in message(screen, "passcode-msg"))
        assert app.focused is screen.query_one("#passcode")
        await fill(pilot, screen, passcode="wrong")
        await wait_for(pilot, lambda: "does not open" in message(screen, "passcode-msg"))
        assert screen.query_one("#passcode", Input).value == ""
        await fill(pilot, screen, passcode=MANIFEST["desktop73-passcode"]["passcode"])
        await wait_for(pilot, lambda: app.result is not UNSET)
    account = app.result
    assert account.name == "desk" and account.status.state is State.OK
    new_key = importers.read_telethon_file(account.session_path).auth_key
    desktop_key = bytes.fromhex(ANN["auth_key_hex"])
    assert new_key != desktop_key and sim.is_authorized_key(desktop_key)
    assert sum(sim.is_authorized_key(k.key) for k in sim.keys_of(ANN["phone"])) == 2


async def test_two_accounts_listed_then_one_kept_without_fresh(tmp_path: Path) -> None:
    app, sim = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        screen.query_one("#fresh").focus()
        await pilot.press("space")  # keep the imported key instead
        await fill(pilot, screen, source=str(FIXTURES / "desktop73-two"), **CREDENTIALS)
        await wait_for(pilot, lambda: "Type the number" in message(screen, "account-msg"))
        text = message(screen, "account-msg")
        assert f"1  user {ANN['user_id']}, DC 2" in text and f"2  user {BOB['user_id']}" in text
        await fill(pilot, screen, account="2")
        await wait_for(pilot, lambda: app.result is not UNSET)
    account = app.result
    assert account.status.state is State.OK and account.user.username == "bob"
    assert importers.read_telethon_file(account.session_path).auth_key == bytes.fromhex(
        BOB["auth_key_hex"]
    )


async def test_fresh_with_two_step_verification(tmp_path: Path) -> None:
    app, sim = make(tmp_path)
    sim.set_password(ANN["phone"], "hunter2", hint="pet")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        await fill(pilot, screen, source=str(FIXTURES / "desktop73-plain"), **CREDENTIALS)
        await wait_for(pilot, lambda: "two-step verification" in message(screen, "twofa-msg"))
        assert "(hint: pet)" in message(screen, "twofa-msg")
        await fill(pilot, screen, twofa="nope")
        await wait_for(pilot, lambda: "✗" in message(screen, "twofa-msg"))
        await fill(pilot, screen, twofa="hunter2")
        await wait_for(pilot, lambda: app.result is not UNSET)
        assert "hunter2" not in "".join(s.text for s in app.screen._compositor.render_strips())
    assert app.result.status.state is State.OK


async def test_bad_source_is_shown_at_the_field_and_escape_goes_back(tmp_path: Path) -> None:
    app, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        await fill(pilot, screen, source=str(tmp_path), **CREDENTIALS)
        await wait_for(
            pilot, lambda: "not a Telegram Desktop tdata" in message(screen, "source-msg")
        )
        await fill(pilot, screen, api_id="abc")
        assert "digits" in message(screen, "api-id-msg")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen) and app.result is UNSET
    assert app.tg.store.names() == []
