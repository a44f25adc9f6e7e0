"""Textual's own key words (Input, DataTable, Select, the palette, scrolling) in Russian:
every binding that a widget on our screens brings is in the catalog, and the key panel
(palette › Keys) shows no English description."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.widgets import Input
from ui_fixtures import _settle, demo_app, in_russian

from tgtui.i18n import gettext_in
from tgtui.ui.app import TgtuiApp
from tgtui.ui.textual_words import TEXTUAL_BINDING_WORDS, TEXTUAL_GROUP_TITLES

__all__ = ["in_russian"]  # the fixture, used by name

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _textual_words(node: Any) -> set[str]:
    """Descriptions of the bindings that Textual's own classes give `node`."""
    found = set()
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("textual."):
            continue
        for item in cls.__dict__.get("BINDINGS", ()):
            if isinstance(item, Binding):
                found.add(item.description)
            elif len(item) > 2:
                found.add(item[2])
            if isinstance(item, Binding) and item.tooltip:
                found.add(item.tooltip)
        found.add(cls.__dict__.get("BINDING_GROUP_TITLE") or "")
    return {d for d in found if d}


async def _words_on_screens(app: TgtuiApp, pilot: Any) -> set[str]:
    """Open the list, details, wizard and import screens and the palette; collect the
    Textual binding words of every widget on each."""
    words = _textual_words(app)

    async def collect(*keys: str) -> None:
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        for node in [app.screen, *app.screen.query("*")]:
            words.update(_textual_words(node))

    await collect()  # the list
    await collect("enter")  # details
    await collect("escape", "a")  # the wizard
    app.screen.query_one("#import-existing").focus()
    await collect("enter")  # import an existing session
    await collect("escape", "escape", "ctrl+p")  # the command palette
    await collect("escape")
    return words


async def test_every_textual_key_word_on_our_screens_is_translated(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        words = await _words_on_screens(app, pilot)
    assert {"Cursor up", "Move cursor left", "Exit the command palette"} <= words  # it looked
    missing = sorted(words - set(TEXTUAL_BINDING_WORDS) - set(TEXTUAL_GROUP_TITLES))
    assert not missing, f"add to tgtui/ui/textual_words.py: {missing}"
    untranslated = sorted(w for w in words if gettext_in("ru", w) == w)
    assert not untranslated, untranslated


def _key_panel_descriptions(app: TgtuiApp) -> list[str]:
    """The descriptions and headings the key panel draws (its table's right column)."""
    from textual.widgets._key_panel import BindingsTable

    table = app.screen.query_one(BindingsTable)
    rendered = table.render_bindings_table()
    return [str(cell) for cell in rendered.columns[-1].cells]


@pytest.mark.usefixtures("in_russian")
async def test_the_key_panel_is_russian_on_the_list_and_in_a_text_field(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        app.action_show_help_panel()
        await _settle(pilot)
        on_list = _key_panel_descriptions(app)
        assert "Курсор вверх" in on_list, on_list
        app.screen.query_one("#filter", Input).focus()
        await _settle(pilot)
        in_field = _key_panel_descriptions(app)
        assert "Вставить из буфера обмена" in in_field, in_field
        english = [d for d in on_list + in_field if LATIN_WORD.search(d)]
        assert not english, english
