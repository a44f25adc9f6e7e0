"""The wizard's credentials step: validation as you type, paste cleaning, warnings, cancel."""

from __future__ import annotations

from pathlib import Path

from test_ui_wizard_support import (
    API_HASH,
    UNSET,
    Clock,
    WizardApp,
    files_under,
    make_tg,
    paste,
    settle,
    type_text,
)
from textual.widgets import Input

from tgtui.ui.screens.wizard_steps import FieldMessage


def message(app: WizardApp, selector: str) -> FieldMessage:
    return app.screen.query_one(selector, FieldMessage)


def text_of(widget: FieldMessage) -> str:
    return str(widget.render())


async def test_opens_on_credentials_with_api_id_focused(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "api-id"
        # no label: the name is left empty and derived from the username or phone later
        assert app.screen.query_one("#name", Input).value == ""
        assert "username" in text_of(message(app, "#name-msg"))


async def test_public_test_api_id_is_warned_about(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "17349")
        msg = message(app, "#api-id-msg")
        assert msg.has_class("-warning")
        assert "API_ID_PUBLISHED_FLOOD" in text_of(msg)


async def test_bad_api_id_says_what_to_do(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "12ab")
        msg = message(app, "#api-id-msg")
        assert msg.has_class("-error") and "digits only" in text_of(msg)


async def test_pasted_api_hash_is_cleaned(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "api-hash"
        spaced = " ".join(API_HASH[i : i + 8] for i in range(0, 32, 8))
        await paste(pilot, f'App api_hash: "{spaced}" ')
        await settle(pilot)
        field = app.screen.query_one("#api-hash", Input)
        assert field.value == API_HASH
        msg = message(app, "#api-hash-msg")
        assert msg.has_class("-ok") and "removed" in text_of(msg)


async def test_short_api_hash_is_explained(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, API_HASH[:20])
        msg = message(app, "#api-hash-msg")
        assert msg.has_class("-error") and "32 characters; this has 20" in text_of(msg)


async def test_enter_with_missing_field_focuses_it(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "611335")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "api-hash"
        assert app.screen.step == "credentials"


async def test_name_follows_label_until_edited(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#label", Input).focus()
        await type_text(pilot, "Shop Support")
        assert app.screen.query_one("#name", Input).value == "shop-support"
        await pilot.press("tab")
        await type_text(pilot, "X")
        msg = message(app, "#name-msg")
        assert msg.has_class("-error") and "lower case" in text_of(msg)


async def test_cancel_on_credentials_leaves_nothing(tmp_path: Path) -> None:
    root = tmp_path / "cfg"
    app = WizardApp(make_tg(root, Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = files_under(root)
        await type_text(pilot, "611335")
        await pilot.press("escape")
        await settle(pilot)
        assert app.result is None and app.result is not UNSET
        assert files_under(root) == before


async def test_empty_messages_take_no_line(tmp_path: Path) -> None:
    app = WizardApp(make_tg(tmp_path / "cfg", Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not message(app, "#reuse-msg").display
        assert message(app, "#api-id-msg").display
        await type_text(pilot, "x")
        msg = message(app, "#api-id-msg")
        assert msg.display and msg.has_class("-error")
        msg.show("")
        await pilot.pause()
        assert not msg.display
