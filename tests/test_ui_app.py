"""Pilot tests of the main screen, keyboard only: list, live updates, remove, filter, help."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from rich.text import Text
from ui_fixtures import MARKUP_NAME, NOW, Clock, add, make_tg, seed_sample

from tgtui.accounts import State, Status, UserInfo
from tgtui.ui.app import TgtuiApp
from tgtui.ui.dialogs.help import HelpDialog
from tgtui.ui.dialogs.remove import RemoveDialog
from tgtui.ui.screens.accounts import AccountsScreen, HealthChanged
from tgtui.ui.widgets.account_table import AccountTable
from tgtui.ui.widgets.panes import DetailsPane, EmptyState, SummaryLine


async def settle(pilot, app: TgtuiApp) -> None:
    """Let messages and (finite) workers finish, and queued health updates be drawn."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    while getattr(app.screen, "_flush_timer", None) is not None:
        await pilot.pause(0.05)


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Poll `condition` while the app runs (for the never-ending monitor worker)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


def row(app: TgtuiApp, name: str) -> list[str]:
    """The plain text of one row's cells."""
    table = app.screen_stack[0].query_one(AccountTable)
    return [c.plain if isinstance(c, Text) else str(c) for c in table.get_row(name)]


def status_cell(app: TgtuiApp, name: str) -> str:
    table = app.screen_stack[0].query_one(AccountTable)
    return table.get_cell(name, "status").plain


def visible_text(widget) -> str:
    """What a Static shows, as plain text."""
    return str(widget.render())


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def sample(tmp_path: Path, clock: Clock):
    tg = make_tg(tmp_path / "cfg", clock)
    seed_sample(tg)
    return tg


async def test_first_run_shows_the_empty_state(tmp_path: Path, clock: Clock) -> None:
    tg = make_tg(tmp_path / "cfg", clock)
    app = TgtuiApp(tg, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        empty = app.screen.query_one(EmptyState)
        assert empty.display and empty.region.height > 0
        text = visible_text(empty)
        assert "api_id" in text and "my.telegram.org" in text and "Press a" in text
        assert not app.screen.query_one(AccountTable).display
        footer_keys = {b.key for (_, b, enabled, _) in app.screen.active_bindings.values()}
        assert "a" in footer_keys
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "AddAccountScreen"


async def test_list_fills_from_disk(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one(AccountTable)
        assert table.row_count == 6
        assert row(app, "work")[:2] == ["Work phone", "+1 555 ••• 67"]
        assert "@alice_work" in row(app, "work")
        assert status_cell(app, "work") == "● OK"
        assert status_cell(app, "old-phone") == "✖ REVOKED"
        assert status_cell(app, "travel") == "▲ OFFLINE"
        assert status_cell(app, "spam-test") == "⊘ BANNED"
        assert status_cell(app, "new-one") == "? UNKNOWN"
        assert "2 min ago" in row(app, "work")
        summary = visible_text(app.screen.query_one(SummaryLine))
        assert "6 accounts" in summary and "1 OK" in summary and "4 need attention" in summary
        assert "secrets: file (no keyring)" in summary


async def test_monitor_message_updates_a_row(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        status = Status(State.OK, checked_at=clock.utc(), latency_ms=50, dc=2, two_fa=False)
        app.screen.post_message(HealthChanged("new-one", status, UserInfo(7, "Neo", "", "neo")))
        await pilot.pause(0.4)  # health updates are drawn in batches
        assert status_cell(app, "new-one") == "● OK"
        assert "@neo" in row(app, "new-one")
        assert "just now" in row(app, "new-one")


async def test_flood_wait_counts_down(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert status_cell(app, "shop-bot") == "◷ FLOOD 4:12"
        clock.advance(10)
        app.screen.tick()
        await pilot.pause()
        assert status_cell(app, "shop-bot") == "◷ FLOOD 4:02"
        clock.advance(300)
        app.screen.tick()
        await pilot.pause()
        assert status_cell(app, "shop-bot") == "◷ FLOOD 0:00"


async def test_remove_then_undo(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("travel")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, RemoveDialog)
        assert app.screen.query_one("Checkbox").value is False  # not OK: local removal
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, AccountsScreen)
        assert not sample.store.exists("travel")
        assert [e.name for e in sample.store.trash()] == ["travel"]
        assert "travel" not in app.screen.query_one(AccountTable).rows
        await pilot.press("u")
        await settle(pilot, app)
        assert sample.store.exists("travel")
        assert status_cell(app, "travel") == "▲ OFFLINE"
        assert app.screen.query_one(AccountTable).selected_name == "travel"


async def test_remove_dialog_escape_keeps_the_account(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("delete")
        await pilot.pause()
        assert app.screen.query_one("Checkbox").value is False  # log out only when ticked
        await pilot.press("escape")
        await settle(pilot, app)
        assert sample.store.exists("work")


async def test_filter_and_escape(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one(AccountTable)
        await pilot.press("slash", *"alice")
        await pilot.pause()
        assert list(table.rows) and [k.value for k in table.rows] == ["work"]
        await pilot.press("enter")  # back to the list, filter kept
        assert app.focused is table
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 6
        await pilot.press("slash", *"+44")
        await pilot.pause()
        assert [k.value for k in table.rows] == ["shop-bot"]
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 6
        assert app.focused is table


async def test_help_screen(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        text = " ".join(visible_text(s) for s in app.screen.query("Static"))
        assert "tgtui trash restore NAME" in text and "tgtui trash list" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)


async def test_command_palette_runs_actions(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p", *"undo last")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert any("Nothing to undo" in n.message for n in app._notifications)
        await pilot.press("ctrl+p", *"help")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, HelpDialog)


async def test_markup_characters_show_as_typed(tmp_path: Path, clock: Clock) -> None:
    tg = make_tg(tmp_path / "cfg", clock)
    add(
        tg,
        "tricky",
        "+15555550123",
        Status(State.REVOKED, reason="[red]x[/red] [/]", error="[/x]", checked_at=clock.utc()),
        UserInfo(9, MARKUP_NAME, "[/]"),
        label="[bold]hi[/]",
    )
    app = TgtuiApp(tg, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        cells = row(app, "tricky")
        assert cells[0] == "[bold]hi[/]"
        assert cells[2] == f"{MARKUP_NAME} [/]"
        details = visible_text(app.screen.query_one(DetailsPane))
        assert MARKUP_NAME in details and "[/x]" in details
        await pilot.press("enter")
        await settle(pilot, app)
        info = visible_text(app.screen.query_one("#info"))
        assert MARKUP_NAME in info
        await pilot.press("escape", "d")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        assert tg.store.exists("tricky")


async def test_worker_error_becomes_a_notification(
    sample, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tgtui.telegram import actions

    async def boom(tg, account):
        raise RuntimeError("kaboom [/x]")

    monkeypatch.setattr(actions, "log_out", boom)
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("d", "space", "enter")  # tick "also log out"
        await settle(pilot, app)
        messages = [n.message for n in app._notifications]
        assert any("kaboom [/x]" in m for m in messages)
        assert sample.store.exists("work")  # log out failed: the account is kept
        assert app.is_running


async def test_sweep_error_is_reported_not_raised(
    sample, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)

        class Broken:
            async def sweep(self, names=None):
                raise ValueError("unexpected")

        app.screen._monitor = Broken()
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("r")
        await settle(pilot, app)
        assert any("unexpected" in n.message for n in app._notifications)
        assert app.is_running


def test_flood_fixture_is_in_the_future(sample, clock: Clock) -> None:
    """The seeded flood wait (which the countdown tests rely on) has not run out yet."""
    status = sample.store.get("shop-bot").status
    assert status.state is State.FLOOD_WAIT
    assert status.flood_until - clock.utc() == timedelta(seconds=252)


async def test_edit_label_and_proxy(sample, clock: Clock) -> None:
    from tgtui.ui.dialogs.edit import EditDialog

    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("travel")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        await pilot.press(*"Trips", "tab", *"socks5:/bad", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)  # invalid proxy: still open
        assert "socks5://host:1080" in visible_text(app.screen.query_one("#error"))
        app.screen.query_one("#proxy").value = "socks5://me@10.0.0.1:1080"
        await pilot.press("enter")
        await pilot.pause()
        saved = sample.store.get("travel")
        assert saved.label == "Trips"
        assert (saved.proxy.kind, saved.proxy.host, saved.proxy.port) == (
            "socks5",
            "10.0.0.1",
            1080,
        )
        assert saved.proxy.username == "me"
        await pilot.press("escape")
        await settle(pilot, app)
        assert row(app, "travel")[0] == "Trips"


async def test_relogin_opens_the_wizard_for_the_account(sample, clock: Clock) -> None:
    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("old-phone")
        await pilot.press("l")
        await pilot.pause()
        assert type(app.screen).__name__ == "AddAccountScreen"
        assert app.screen.relogin is not None and app.screen.relogin.name == "old-phone"


async def test_importing_the_app_does_not_import_telethon() -> None:
    import subprocess
    import sys

    code = "import sys, tgtui.ui.app; sys.exit('telethon' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


async def test_keys_typed_right_after_slash_land_in_the_filter(sample, clock: Clock) -> None:
    from textual import events

    app = TgtuiApp(sample, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for key, char in [("slash", "/"), ("s", "s"), ("h", "h"), ("o", "o")]:
            app.post_message(events.Key(key, char))  # one burst, as over a slow SSH link
        await pilot.pause(0.3)
        assert app.screen.query_one("#filter").value == "sho"
        assert [k.value for k in app.screen.query_one(AccountTable).rows] == ["shop-bot"]
