"""The interface in Russian, keyboard only: every main screen shows no English sentence,
and the palette's Language entry switches the language at run time, keeps it in
config.toml and redraws every screen without losing the cursor or what was typed."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox, DataTable, Input, Static
from ui_fixtures import _settle, demo_app, in_russian

from tgtui.accounts.tomlio import read_toml
from tgtui.config import Settings
from tgtui.i18n import language
from tgtui.ui.app import TgtuiApp
from tgtui.ui.dialogs.help import HelpDialog
from tgtui.ui.dialogs.remove import RemoveDialog
from tgtui.ui.screens.accounts import AccountsScreen
from tgtui.ui.screens.details import DetailsScreen
from tgtui.ui.widgets.account_table import AccountTable
from tgtui.ui.widgets.troubleshooter import Troubleshooter

__all__ = ["in_russian"]  # the fixture, used by name

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>')
#: Words that stay as they are in Russian (names, identifiers, key names).
ALLOWED = re.compile(
    r"\b(Telegram(?: Desktop)?|Telethon|Pyrogram|tgtui|api_id|api_hash|my\.telegram\.org|"
    r"tdata|Esc|Enter|Tab|Space|Ctrl|Del|Home|End|English|config\.toml|socks5|http|"
    r"tg://\S*|https?://\S*|OSC|SVG|id|ms)\b"
)
#: Borders, scroll bars and bars drawn with block characters (not words).
_FRAME = re.compile(r"[\u2500-\u259f]")
#: Three Latin words or more in a row (words of two letters and more, not ALL-CAPS names).
ENGLISH = re.compile(r"(?:\b[A-Za-z][a-z']+\b[ ,.:;!?()-]+){2,}\b[A-Za-z][a-z']+\b")


def screen_lines(app: TgtuiApp) -> list[str]:
    """What the terminal shows, line by line (from the app's own screenshot)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in _TEXT.finditer(app.export_screenshot()):
        text = html.unescape(m.group(3)).replace("\xa0", " ")
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), text))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, text in sorted(rows[y]):
            line = line.ljust(round(x / 12.2)) + text
        lines.append(line.rstrip())
    return lines


def data_strings(app: TgtuiApp) -> list[str]:
    """Text that comes from the accounts and from Telegram, not from tgtui: names, labels,
    users and sessions (a cached status reason is tgtui's: it must read in Russian)."""
    found: list[str] = []
    for account in app.tg.store.accounts():
        found += [account.name, account.label]
        if account.user:
            found += [account.user.display, account.user.first_name, account.user.last_name]
    for screen in app.screen_stack:
        for s in getattr(screen, "sessions", []):
            found += [s.device, s.app, s.where, s.ip]
    return sorted((f for f in found if f), key=len, reverse=True)


def english_on_screen(app: TgtuiApp) -> list[str]:
    """Runs of three or more English words on screen, names and account data aside."""
    # One line of text, so a sentence wrapped over two lines is still one sentence.
    lines = [_FRAME.sub(" ", line) for line in screen_lines(app)]
    text = " ".join(" ".join(line.split()) for line in lines)
    for item in data_strings(app):
        text = text.replace(" ".join(item.split()), "•")
    return ENGLISH.findall(ALLOWED.sub("•", text))


async def _open(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await _settle(pilot)


def _select(app: TgtuiApp, name: str) -> None:
    app.screen_stack[0].query_one(AccountTable).select(name)


def test_detector_finds_english() -> None:
    """The check below can fail: an English sentence among Russian words is found."""
    line = "Статус ● ОТОЗВАН · Log in again to use it · api_id и Telegram"
    assert ENGLISH.findall(ALLOWED.sub("•", line)) == ["Log in again to use it"]
    assert not ENGLISH.findall(ALLOWED.sub("•", "Справка: Telegram Desktop tdata, api_id"))


@pytest.mark.usefixtures("in_russian")
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_main_screens_in_russian_have_no_english(tmp_path: Path, size) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        seen: dict[str, list[str]] = {}
        _select(app, "promo")
        await _settle(pilot)
        seen["list"] = english_on_screen(app)
        assert "Аккаунт" in "\n".join(screen_lines(app))
        await _open(pilot, "question_mark")
        assert isinstance(app.screen, HelpDialog)
        seen["help"] = english_on_screen(app)
        await _open(pilot, "escape", "d")
        seen["remove"] = english_on_screen(app)
        await _open(pilot, "space")  # the log-out box: other words
        seen["remove, log out"] = english_on_screen(app)
        await _open(pilot, "escape")
        for name in ("work", "old-phone", "promo"):
            _select(app, name)
            await _open(pilot, "enter")
            assert isinstance(app.screen, DetailsScreen)
            seen[f"details {name}"] = english_on_screen(app)
            await _open(pilot, "escape")
        _select(app, "work")
        await _open(pilot, "enter", "e")
        seen["edit"] = english_on_screen(app)
        await _open(pilot, "escape", "escape", "ctrl+p")
        seen["palette"] = english_on_screen(app)
        assert {k: v for k, v in seen.items() if v} == {}


def _write_settings(root: Path) -> None:
    Settings(refresh_interval=30.0, theme="textual-light").save(root)


async def _switch(pilot: Any, words: str) -> None:
    """Ctrl+P, type the entry's words, Enter."""
    await pilot.press("ctrl+p")
    await _settle(pilot)
    for char in words:
        await pilot.press("space" if char == " " else char)
    await _settle(pilot)
    await pilot.press("enter")
    await _settle(pilot)


async def test_palette_switches_to_russian_and_back_keeping_state(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    root = app.tg.store.root
    _write_settings(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        _select(app, "spam-test")
        await _open(pilot, "slash", "s")  # a filter typed, then back to the list
        await _open(pilot, "enter")
        table = app.screen.query_one(AccountTable)
        row_before = table.cursor_row
        assert table.selected_name == "spam-test"

        await _switch(pilot, "Русский")
        assert language() == "ru"
        text = "\n".join(screen_lines(app))
        assert "Аккаунт" in text and "Статус" in text  # the column headers
        assert "Добавить" in text and "Выход" in text  # the footer
        assert "Account" not in text and "Quit" not in text
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        assert screen.query_one(AccountTable).selected_name == "spam-test"
        assert screen.query_one(AccountTable).cursor_row == row_before
        assert screen.query_one("#filter", Input).value == "s"  # the filter is kept
        saved = read_toml(root / "config.toml")
        assert saved["language"] == "ru"
        assert saved["refresh_interval"] == 30.0 and saved["theme"] == "textual-light"

        await _switch(pilot, "Language English")  # the title reads «Язык: English»
        assert language() == "en"
        text = "\n".join(screen_lines(app))
        assert "Account" in text and "Аккаунт" not in text
        assert read_toml(root / "config.toml")["language"] == "en"


async def test_switch_redraws_the_details_screen_under_the_palette(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        _select(app, "work")
        await _open(pilot, "enter")
        details = app.screen
        assert isinstance(details, DetailsScreen)
        sessions = details.query_one("#sessions", DataTable)
        await _open(pilot, "down")
        row = sessions.cursor_row
        await _switch(pilot, "Русский")
        assert app.screen is details
        text = "\n".join(screen_lines(app))
        assert "Активные сеансы" in text and "Устройство" in text
        assert "Active sessions" not in text
        assert sessions.cursor_row == row and sessions.row_count == len(details.sessions)
        await _open(pilot, "escape")  # the list below was redrawn too
        assert "Аккаунт" in "\n".join(screen_lines(app))
        assert english_on_screen(app) == []


async def test_language_not_saved_over_a_broken_config(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    config = app.tg.store.root / "config.toml"
    config.write_text("refresh_interval = [oops\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await _switch(pilot, "Русский")
        assert language() == "ru"  # shown in Russian for this run
        assert config.read_text() == "refresh_interval = [oops\n"  # left untouched
        notes = [str(n.message) for n in app._notifications]
        assert any("язык не сохранён" in n for n in notes), notes


async def test_switch_redraws_an_open_dialog_keeping_its_choice(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        _select(app, "work")
        await _open(pilot, "d", "space")  # the remove dialog, log-out ticked
        dialog = app.screen
        assert isinstance(dialog, RemoveDialog)
        assert "Log out and remove" in "\n".join(screen_lines(app))
        await _switch(pilot, "Русский")
        assert app.screen is dialog
        text = "\n".join(screen_lines(app))
        assert "Выйти и удалить" in text and "Также выйти" in text  # button and footer
        assert dialog.query_one(Checkbox).value is True
        assert english_on_screen(app) == []
        await _open(pilot, "escape")
        assert isinstance(app.screen, AccountsScreen)
        assert app.screen.query_one(AccountTable).selected_name == "work"


async def test_switch_redraws_the_troubleshooter_in_the_wizard(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await _open(pilot, "a")
        help_panel = app.screen.query_one(Troubleshooter)
        heading = help_panel.query_one("#ts-heading", Static)
        assert str(heading.render()).startswith("Help: ")
        await _switch(pilot, "Русский")
        assert str(heading.render()).startswith("Справка: ")
        titles = [str(t.render()) for t in help_panel.query("CollapsibleTitle")]
        assert titles and all(re.search("[а-яА-Я]", t) for t in titles), titles


async def test_switch_redraws_a_question_in_the_new_language(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        _select(app, "work")
        await _open(pilot, "enter", "down", "t")  # end another session? (asks first)
        assert "End the session on" in "\n".join(screen_lines(app))
        await _switch(pilot, "Русский")
        text = "\n".join(screen_lines(app))
        assert "Завершить сеанс на" in text and "End the session" not in text


async def test_a_keyring_answer_that_lands_after_a_switch_reads_in_the_new_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The keyring probe answers from a thread; CI once saw its English words land after
    the switch to Russian, on the summary line behind an open dialog."""
    import threading

    from tgtui.ui.messages import SecretsProbed

    release = threading.Event()
    held: list[object] = []
    real_post = AccountsScreen.post_message

    def post(self: AccountsScreen, message: Any) -> bool:
        if isinstance(message, SecretsProbed) and not held:
            held.append(message)  # the first answer, worked out while English was on
            release.wait(10)
        return real_post(self, message)

    monkeypatch.setattr(AccountsScreen, "post_message", post)
    app = demo_app(tmp_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):  # not _settle: it would wait for the held worker
                await pilot.pause(0.05)
                if held:
                    break
            assert held, "the probe has answered"
            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            for char in "Русский":
                await pilot.press(char)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(0.3)
            assert language() == "ru"
            release.set()
            await _settle(pilot)
            line = " ".join(screen_lines(app)[-2:])
            assert "секреты: файл" in line and "…" not in line, line
            assert english_on_screen(app) == []
    finally:
        release.set()  # the held worker ends (English comes back by conftest's fixture)


async def test_the_edit_dialogs_proxy_error_is_said_again_after_a_switch(tmp_path: Path) -> None:
    from tgtui.ui.dialogs.edit import EditDialog

    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        _select(app, "work")
        await _open(pilot, "enter", "e")
        dialog = app.screen
        assert isinstance(dialog, EditDialog)
        dialog.query_one("#proxy", Input).value = "socks5://10.0.0.1"  # no port
        await _open(pilot, "enter")
        said = str(dialog.query_one("#error", Static).render())
        assert "port" in said, said
        await _switch(pilot, "Русский")
        assert app.screen is dialog
        said = str(dialog.query_one("#error", Static).render())
        assert said and not ENGLISH.findall(ALLOWED.sub("•", said)), said
        assert "порт" in said, said
        assert dialog.query_one("#proxy", Input).value == "socks5://10.0.0.1"
        assert english_on_screen(app) == []


async def test_the_import_screens_field_errors_are_said_again_after_a_switch(
    tmp_path: Path,
) -> None:
    from tgtui.ui.screens.import_session import ImportScreen

    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await _open(pilot, "a")
        app.screen.query_one("#import-existing").focus()
        await _open(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#api-id", Input).value = "12ab"
        screen.query_one("#name", Input).value = "Bad Name!"
        screen.query_one("#api-id", Input).focus()
        await _open(pilot, "enter")
        before = [str(screen.query_one(f"#{i}-msg").render()) for i in ("api-id", "name")]
        assert all(before), before
        await _switch(pilot, "Русский")
        after = [str(screen.query_one(f"#{i}-msg").render()) for i in ("api-id", "name")]
        assert all(after) and after != before, after
        for said in after:
            assert not ENGLISH.findall(ALLOWED.sub("•", said)), said
        assert screen.query_one("#api-id", Input).value == "12ab"


@pytest.mark.usefixtures("in_russian")
@pytest.mark.parametrize(
    ("size", "where"), [((80, 24), "файл"), ((120, 40), "файл (нет связки ключей)")]
)
async def test_the_summary_line_fits_in_russian(tmp_path: Path, size, where: str) -> None:
    """Russian runs longer: at 80 columns where secrets go is said in one word rather
    than cut off ("секреты: файл (нет связки кл…"); wider, in full."""
    app = demo_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert summary.endswith("секреты: " + where), summary
        line = next(line for line in screen_lines(app) if "секреты:" in line)
        assert line.rstrip().endswith("секреты: " + where), line
