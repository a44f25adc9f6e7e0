"""Pilot tests against the simulated Telegram (the demo scene): the monitor, refresh,
log out on remove, the sessions list and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ui_app import row, settle, status_cell, visible_text, wait_for
from ui_fixtures import NOW, Clock

from tgtui.accounts import State, Status
from tgtui.telegram.demo import build_demo
from tgtui.ui.app import TgtuiApp
from tgtui.ui.dialogs.confirm import ConfirmDialog
from tgtui.ui.screens.accounts import AccountsScreen
from tgtui.ui.screens.details import DetailsScreen
from tgtui.ui.widgets.account_table import AccountTable


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def demo(tmp_path: Path, clock: Clock):
    return build_demo(tmp_path / "demo", clock=clock, latency=0)


def authorized(tg, phone: str) -> bool:
    return any(tg.sim.is_authorized_key(k.key) for k in tg.sim.keys_of(phone))


async def test_monitor_turns_rows_live(demo, clock: Clock, monkeypatch) -> None:
    """The row shows what is on disk, then CHECKING, then what Telegram answered."""
    demo.store.save_status("work", Status())  # unknown on disk; the sim says OK
    demo.sim.latency = 0.3  # every request takes a moment, so every state is drawn
    drawn: list[str] = []

    def recording(method):
        def draw(table: AccountTable, *args, **kwargs) -> None:
            method(table, *args, **kwargs)
            if "work" in table.rows:
                shown = table.get_cell("work", "status").plain
                if not drawn or drawn[-1] != shown:
                    drawn.append(shown)

        return draw

    monkeypatch.setattr(AccountTable, "show", recording(AccountTable.show))
    monkeypatch.setattr(AccountTable, "update_account", recording(AccountTable.update_account))
    app = TgtuiApp(demo, clock=clock.utc, start_monitor=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: status_cell(app, "work") == "● OK")
        assert drawn == ["? UNKNOWN", "↻ CHECKING", "● OK"]
        await wait_for(pilot, lambda: status_cell(app, "old-phone") == "✖ REVOKED")
        assert demo.store.get("work").status.state is State.OK  # the monitor saved it


async def test_refresh_one_and_all(demo, clock: Clock) -> None:
    for name in ("work", "spam-test"):
        demo.store.save_status(name, Status())
    app = TgtuiApp(demo, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("r")
        await settle(pilot, app)
        assert status_cell(app, "work") == "● OK"
        assert status_cell(app, "spam-test") == "? UNKNOWN"
        await pilot.press("R")
        await settle(pilot, app)
        assert status_cell(app, "spam-test") == "⊘ BANNED"
        assert status_cell(app, "promo").startswith("◷ FLOOD")  # never asked during a wait


async def test_remove_with_log_out_ends_the_session(demo, clock: Clock) -> None:
    phone = demo.store.get("work").phone
    assert authorized(demo, phone)
    app = TgtuiApp(demo, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.query_one("Checkbox").value is False  # off unless ticked
        await pilot.press("space", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, AccountsScreen)
        assert not demo.store.exists("work")
        assert not authorized(demo, phone)


async def test_details_terminate_another_session(demo, clock: Clock) -> None:
    phone = demo.store.get("work").phone
    before = len(demo.sim.user(phone).other_sessions)
    app = TgtuiApp(demo, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailsScreen)
        table = app.screen.query_one("#sessions")
        assert table.row_count == before + 1  # this session too
        assert app.screen.sessions[table.cursor_row].current is False
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot, app)
        assert len(demo.sim.user(phone).other_sessions) == before - 1
        assert app.screen.query_one("#sessions").row_count == before


async def test_export_copies_without_showing(demo, clock: Clock) -> None:
    app = TgtuiApp(demo, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("work")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        secret = app.clipboard
        assert len(secret) > 100
        assert secret not in visible_text(app.screen.query_one("#string"))
        assert secret[:40] not in app.export_screenshot()
        await pilot.press("s")
        await settle(pilot, app)
        assert secret in visible_text(app.screen.query_one("#string")).replace("\n", "")
        await pilot.press("s")
        await pilot.pause()
        assert secret not in visible_text(app.screen.query_one("#string"))


async def test_revoked_details_show_the_pitfall(demo, clock: Clock) -> None:
    app = TgtuiApp(demo, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("old-phone")
        await pilot.press("enter")
        await settle(pilot, app)
        problem = visible_text(app.screen.query_one("#problem"))
        assert "SESSION_REVOKED" in problem and "1." in problem
        assert "press l" in problem
        assert not app.screen.query_one("#sessions").display
        assert "REVOKED" in " ".join(row(app, "old-phone"))
