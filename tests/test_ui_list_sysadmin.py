"""What a sysadmin tripped on in the list and its dialogs over SSH at 80x24 (issue 16,
items 10-14 and 16): each test drives the app by keys, as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ui_app import settle, status_cell, visible_text
from textual.widgets import Button, Checkbox, Footer
from ui_fixtures import NOW, Clock, add, ago, make_tg, seed_sample

from tgtui.accounts import State, Status, UserInfo
from tgtui.telegram.demo import build_demo
from tgtui.ui.app import TgtuiApp
from tgtui.ui.screens.accounts import AccountsScreen, HealthChanged
from tgtui.ui.widgets.account_table import AccountTable
from tgtui.ui.widgets.panes import DetailsPane, SummaryLine


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def sample(tmp_path: Path, clock: Clock):
    tg = make_tg(tmp_path / "cfg", clock)
    seed_sample(tg)
    return tg


def order(app: TgtuiApp) -> list[str]:
    """Account names in the order the list shows them."""
    return [k.value for k in app.screen_stack[0].query_one(AccountTable).rows]


def cursor(app: TgtuiApp) -> str | None:
    return app.screen_stack[0].query_one(AccountTable).selected_name


def screen_lines(app: TgtuiApp) -> list[str]:
    """The characters on the terminal, line by line (what a person reads)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def footer_keys(app: TgtuiApp) -> dict[str, str]:
    """The keys the footer of the screen on top shows: {key: description}."""
    screen = app.screen
    assert screen.query(Footer), f"{type(screen).__name__} has no footer of its own"
    return {
        binding.key: binding.description
        for (_, binding, enabled, _) in screen.active_bindings.values()
        if binding.show and enabled
    }


# ---------------------------------------------------------------------- item 10
async def test_remove_dialog_does_not_log_out_unless_asked(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")  # OK: the old default ticked it
        await pilot.press("d")
        await pilot.pause()
        box = app.screen.query_one(Checkbox)
        assert box.value is False
        explain = visible_text(app.screen.query_one("#explain"))
        assert "undo" not in explain.lower() or "not the login" in explain
        await pilot.press("space")
        await pilot.pause()
        assert box.value is True
        explain = visible_text(app.screen.query_one("#explain"))
        assert "undo" in explain.lower() and "not the login" in explain


async def test_remove_checkbox_reads_without_colour(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("d")
        await pilot.pause()
        box = app.screen.query_one(Checkbox)
        off = str(box.render())
        await pilot.press("space")
        await pilot.pause()
        on = str(box.render())
        assert on != off  # the characters differ, not only the colours


async def test_ticking_log_out_keeps_the_button_label_whole_at_80x24(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("d")
        await pilot.pause()
        for _ in range(2):
            await pilot.press("space")
            await pilot.pause()
            button = app.screen.query_one("#confirm", Button)
            label, box = str(button.label), button.content_region
            shown = screen_lines(app)[box.y][box.x : box.right]
            assert label in shown, (label, shown)


# ---------------------------------------------------------------------- item 11
async def test_after_removing_the_cursor_stays_on_the_neighbour(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        names = order(app)
        middle = names[3]
        app.screen.query_one(AccountTable).select(middle)
        await pilot.press("d", "enter")
        await settle(pilot, app)
        assert cursor(app) == names[4]  # the row that took its place
        app.screen.query_one(AccountTable).select(names[-1])
        await pilot.press("d", "enter")
        await settle(pilot, app)
        assert cursor(app) == names[-2]  # the last one: the row above


async def test_home_end_g_and_shift_g_go_to_first_and_last(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        names = order(app)
        app.screen.query_one(AccountTable).select(names[2])
        for key, wanted in [("G", -1), ("g", 0), ("end", -1), ("home", 0)]:
            await pilot.press(key)
            await pilot.pause()
            assert cursor(app) == names[wanted], key


# ---------------------------------------------------------------------- item 12
async def test_summary_and_details_follow_each_batch_of_updates(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("new-one")
        ok = Status(State.OK, checked_at=clock.utc(), dc=2, two_fa=False, other_sessions=1)
        for name in ("new-one", "travel", "old-phone"):
            app.screen.post_message(HealthChanged(name, ok, UserInfo(7, "N", "", name)))
        await settle(pilot, app)
        rows_ok = sum(1 for n in order(app) if status_cell(app, n) == "● OK")
        assert rows_ok == 4
        assert f"{rows_ok} OK" in visible_text(app.screen.query_one(SummaryLine))
        details = visible_text(app.screen.query_one(DetailsPane))
        assert "● OK" in details and "other sessions 1" in details


async def test_details_header_counts_sessions_after_ending_one(tmp_path: Path) -> None:
    clock = Clock(NOW)
    demo = build_demo(tmp_path / "demo", clock=clock, latency=0)
    phone = demo.store.get("work").phone
    app = TgtuiApp(demo, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("enter")
        await settle(pilot, app)
        others = len(demo.sim.user(phone).other_sessions)
        assert f"other sessions {others}" in visible_text(app.screen.query_one("#info"))
        await pilot.press("t", "enter")
        await settle(pilot, app)
        assert len(demo.sim.user(phone).other_sessions) == others - 1
        assert f"other sessions {others - 1}" in visible_text(app.screen.query_one("#info"))
        await pilot.press("escape")
        await settle(pilot, app)
        details = visible_text(app.screen.query_one(DetailsPane))
        assert f"other sessions {others - 1}" in details  # the list follows too


# ---------------------------------------------------------------------- item 13
async def test_ages_refresh_at_the_resolution_they_show(tmp_path: Path) -> None:
    clock = Clock(NOW)
    tg = make_tg(tmp_path / "cfg", clock)
    add(tg, "fresh", "+15555550100", Status(State.OK, checked_at=ago(15)))
    add(tg, "older", "+15555550101", Status(State.OK, checked_at=ago(125)))
    app = TgtuiApp(tg, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one(AccountTable)
        assert table.get_cell("fresh", "checked").plain == "15 s ago"
        for _ in range(5):
            clock.advance(1)
            app.screen.tick()
        await pilot.pause()
        assert table.get_cell("fresh", "checked").plain == "20 s ago"
        clock.advance(60)
        app.screen.tick()
        await pilot.pause()
        assert table.get_cell("older", "checked").plain == "3 min ago"
        assert "checked 1 min ago" in visible_text(app.screen.query_one(DetailsPane))


# ---------------------------------------------------------------------- item 14
async def test_dialog_footers_show_the_dialogs_keys(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("d")
        await pilot.pause()
        keys = footer_keys(app)
        assert "escape" in keys and "enter" in keys and "space" in keys
        assert "a" not in keys and "r" not in keys  # not the list's
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        keys = footer_keys(app)
        assert "a" not in keys and "d" not in keys


async def test_q_closes_every_dialog_but_not_while_typing(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        for key in ("d", "question_mark"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, AccountsScreen)
            await pilot.press("q")
            await settle(pilot, app)
            assert isinstance(app.screen, AccountsScreen), key
            assert app.is_running
        assert sample.store.exists("work")
        await pilot.press("enter")  # details
        await settle(pilot, app)
        await pilot.press("e")  # the edit dialog: q is a letter of the label
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.screen.query_one("#label").value.endswith("q")
        await pilot.press("escape")
        await pilot.pause()
        assert sample.store.get("work").label == "Work phone"


# ---------------------------------------------------------------------- issue 13: one registry
async def test_help_lists_the_keys_of_the_screen_it_was_opened_from(sample, clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "add an account" in text and "end the selected other session" not in text
        await pilot.press("escape", "enter")  # the details of the selected account
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__.startswith("Help")
        text = "\n".join(screen_lines(app))
        assert "end the selected other session" in text and "copy the session string" in text
        assert "add an account" not in text


async def test_palette_offers_the_actions_of_the_screen_below(sample, clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("travel")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("ctrl+p", *"edit label")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert type(app.screen).__name__.startswith("Edit")  # the edit dialog


async def test_an_error_in_the_wizards_account_loader_is_reported(
    sample, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tgtui.config import log_dir

    def unreadable() -> list[str]:
        raise PermissionError(13, "Permission denied", "/srv/tgtui/accounts")

    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        monkeypatch.setattr(sample.store, "names", unreadable)
        await pilot.press("a")
        await settle(pilot, app)
        messages = [n.message for n in app._notifications]
        assert any("Permission denied" in m for m in messages), messages
        assert any(str(log_dir()) in m for m in messages), messages
        log = (log_dir() / "tgtui.log").read_text()
        assert "PermissionError" in log


# ---------------------------------------------------------------------- item 15
async def test_summary_says_where_secrets_are_within_80_columns(sample, clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        summary = app.screen.query_one(SummaryLine)
        line = screen_lines(app)[summary.region.y]
        assert "secrets: file (no keyring)" in line, line
        assert "…" not in line


# ---------------------------------------------------------------------- item 16
def _brightness(style) -> float:
    color = style.color if style is not None else None
    if color is None:
        return 1.0  # the terminal's default foreground
    r, g, b = color.get_truecolor()
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def _word_brightness(app: TgtuiApp, line_no: int, word: str) -> float:
    """How bright `word` on screen line `line_no` is, after the app's NO_COLOR filter."""
    strip = app.screen._compositor.render_strips()[line_no]
    segments = list(strip)
    for line_filter in app._filters:
        segments = line_filter.apply(segments, app.screen.styles.background)
    for segment in segments:
        if word in segment.text:
            style = segment.style
            bright = _brightness(style)
            return bright * (0.5 if style is not None and style.dim else 1.0)
    raise AssertionError(f"{word!r} not on line {line_no}")


async def test_no_color_revoked_and_banned_are_not_the_dimmest(
    sample, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot, app)
        assert app.no_color
        table = app.screen.query_one(AccountTable)
        table.select("new-one")  # the cursor's highlight away from the rows compared
        await pilot.pause()
        top = table.region.y + 1  # under the header row
        words = {
            "old-phone": "REVOKED",
            "spam-test": "BANNED",
            "travel": "OFFLINE",
            "work": "OK",
            "shop-bot": "FLOOD",
        }
        seen = {
            word: _word_brightness(app, top + table.get_row_index(name), word)
            for name, word in words.items()
        }
        others = max(seen["OFFLINE"], seen["OK"], seen["FLOOD"])
        assert seen["REVOKED"] >= others and seen["BANNED"] >= others, seen


def _cell_contrast(app: TgtuiApp, x: int, y: int) -> float:
    """How far the character at (x, y) stands out from its background, after filters."""
    strip = app.screen._compositor.render_strips()[y]
    segments = list(strip.crop(x, x + 1))
    for line_filter in app._filters:
        segments = line_filter.apply(segments, app.screen.styles.background)
    (segment,) = [s for s in segments if s.text]
    style = segment.style
    assert style is not None and segment.text.strip(), (segment.text, style)
    fg = _brightness(style)
    bg = _brightness(style.bgcolor and type(style)(color=style.bgcolor))
    return abs(fg - bg) if not style.reverse else abs(bg - fg)


async def test_no_color_input_fields_have_a_visible_edge(
    sample, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    monkeypatch.setenv("NO_COLOR", "1")
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("travel")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        fields = list(app.screen.query(Input))
        for field in fields:  # the focused one and the other
            edge = field.region
            assert _cell_contrast(app, edge.x, edge.y) >= 0.3, field.id
            assert _cell_contrast(app, edge.x, edge.y + 1) >= 0.3, field.id
