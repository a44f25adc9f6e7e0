"""Every key in every footer is on screen at 80x24, in English and in Russian (Russian runs
20-30 % longer; Textual crops a footer that does not fit, and the cut keys are just gone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey
from ui_fixtures import _settle, demo_app

from tgtui.i18n import set_language
from tgtui.ui.screens.import_session import ImportScreen
from tgtui.ui.widgets.account_table import AccountTable

WIDTH = 80


def _cut_keys(app) -> list[str]:
    """The footer keys not wholly on screen (a key's virtual region is where it would be
    drawn uncut; its region is what is left on screen)."""
    keys = list(app.screen.query(FooterKey))
    assert keys, "no footer keys on this screen"
    return [
        f"{k.key_display} {k.description}"
        for k in keys
        if k.region.width < k.virtual_region.width or k.region.right > WIDTH
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_every_footer_key_is_on_screen_at_80_columns(tmp_path: Path, lang: str) -> None:
    set_language(lang)
    try:
        app = demo_app(tmp_path)
        cut: dict[str, list[str]] = {}
        async with app.run_test(size=(WIDTH, 24)) as pilot:
            await _settle(pilot)
            cut["list"] = _cut_keys(app)
            app.screen.query_one(AccountTable).select("old-phone")
            await pilot.press("enter")
            await _settle(pilot)
            cut["details"] = _cut_keys(app)
            await pilot.press("escape")
            await _settle(pilot)
            await pilot.press("a")
            await _settle(pilot)
            cut["wizard"] = _cut_keys(app)
            app.push_screen(ImportScreen(app.tg))
            await _settle(pilot)
            cut["import"] = _cut_keys(app)
        assert not any(cut.values()), cut
    finally:
        set_language("en")
