"""The "Advanced" part of the wizard's first step: proxy and server, collapsed by default,
reachable by keyboard, checked where typed; F5 "set a proxy" after a timeout lands there."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import rsa
from test_ui_wizard_flow import PHONE, make, screen_text, wait_for
from test_ui_wizard_support import (
    API_HASH,
    API_ID,
    UNSET,
    Clock,
    WizardApp,
    make_tg,
    paste,
    settle,
    type_text,
)
from textual.widgets import Collapsible, Input, Select

from tgtui.accounts.model import Proxy
from tgtui.ui.screens.wizard_advanced import AdvancedPart


def msg(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def fill_credentials(pilot: Any) -> None:
    await settle(pilot)
    await type_text(pilot, str(API_ID))
    await pilot.press("tab")
    await paste(pilot, API_HASH)


async def test_advanced_is_collapsed_and_opens_from_the_keyboard(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        advanced = app.screen.query_one(AdvancedPart)
        assert advanced.collapsed
        assert not app.screen.query_one("#proxy", Input).is_on_screen
        app.screen.query_one("#name", Input).focus()
        await pilot.press("tab")  # the title of the Advanced part
        assert app.focused is not None
        assert isinstance(app.focused.parent, Collapsible)
        await pilot.press("enter")
        await pilot.press("tab")
        await settle(pilot)
        assert not advanced.collapsed
        assert app.focused is app.screen.query_one("#proxy", Input)


async def test_proxy_and_server_are_checked_where_typed(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one(AdvancedPart).open_at("#proxy")
        await settle(pilot)
        await paste(pilot, "socks5://10.0.0.9")
        assert "port" in msg(app, "#proxy-msg")
        assert app.screen.query_one("#proxy-msg").has_class("-error")
        proxy = app.screen.query_one("#proxy", Input)
        proxy.value = ""
        await paste(pilot, "socks5://ops@10.0.0.9:1080")
        assert msg(app, "#proxy-msg") == "✓ socks5 proxy at 10.0.0.9:1080"

        app.screen.query_one("#server", Select).value = "custom"
        await settle(pilot)
        key = app.screen.query_one("#server-key", Input)
        assert key.display
        key.value = str(tmp_path / "missing.pub")
        await settle(pilot)
        assert "does not exist" in msg(app, "#server-key-msg")
        pem = tmp_path / "server.pub"
        pem.write_bytes(rsa.newkeys(512)[0].save_pkcs1())
        key.value = str(pem)
        app.screen.query_one("#server-dc", Input).value = "0"
        await settle(pilot)
        assert msg(app, "#server-key-msg") == "✓"
        assert app.screen.query_one("#server-dc-msg").has_class("-error")


async def test_a_proxy_goes_to_the_login_and_its_password_never_to_the_toml(
    tmp_path: Path,
) -> None:
    app, sim, _, root = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_credentials(pilot)
        app.screen.query_one(AdvancedPart).open_at("#proxy")
        await settle(pilot)
        await paste(pilot, "socks5://ops@10.0.0.9:1080")
        await pilot.press("tab")
        await paste(pilot, "hunter2")
        assert "hunter2" not in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.step == "phone")
        flow = app.screen.flow
        assert flow is not None
        assert flow.proxy == Proxy("socks5", "10.0.0.9", 1080, "ops", secret_ref="proxy")
        await type_text(pilot, PHONE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.step == "code")
        await type_text(pilot, sim.last_code(PHONE))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.step == "done")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    toml = (app.result.folder / "account.toml").read_text()
    assert "10.0.0.9" in toml and "hunter2" not in toml


async def test_test_servers_accept_test_numbers(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_credentials(pilot)
        app.screen.query_one(AdvancedPart).open_at("#server")
        await settle(pilot)
        app.screen.query_one("#server", Select).value = "test"
        await settle(pilot)
        assert not app.screen.query_one("#server-key-field").display  # Telegram's key
        assert "test servers" in msg(app, "#server-msg")
        app.screen.query_one("#api-id", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.step == "phone")
        server = app.screen.flow.server
        assert server is not None and server.test and server.dc_id == 2
        await type_text(pilot, "9996621234")
        assert msg(app, "#phone-msg") == "✓ +9996621234"


async def test_f5_set_a_proxy_after_a_timeout_opens_the_proxy_field(tmp_path: Path) -> None:
    app, sim, _, _ = make(tmp_path)
    app.tg.settings = replace(app.tg.settings, check_timeout=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_credentials(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.step == "phone")
        sim.latency = 5.0  # the network drops Telegram's packets: every call times out
        await type_text(pilot, PHONE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.help.matched is not None, rounds=200)
        assert app.screen.help.matched.id == "telegram-blocked"
        assert "F5 set a proxy" in screen_text(app)
        sim.latency = 0.0
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.screen.step == "credentials")
        await settle(pilot)
        assert not app.screen.query_one(AdvancedPart).collapsed
        assert app.focused is app.screen.query_one("#proxy", Input)
        assert "not part of adding" not in screen_text(app)
