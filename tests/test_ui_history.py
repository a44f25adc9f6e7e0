"""The details screen's history: strips, sparkline, last change and counts, at 80x24 and
under NO_COLOR, on the demo's made-up past (fixed clock)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Sparkline, Static
from ui_fixtures import _settle, demo_app

from tgtui.accounts.model import State
from tgtui.accounts.timeline import Event, History
from tgtui.ui.widgets.account_table import AccountTable
from tgtui.ui.widgets.timeline import NO_DATA, HistoryPanel, strip_text

SIZES = [(80, 24), (120, 40)]


async def _open_details(pilot, name: str) -> HistoryPanel:
    await _settle(pilot)
    pilot.app.screen.query_one(AccountTable).select(name)
    await pilot.pause()
    await pilot.press("enter")
    await _settle(pilot)
    return pilot.app.screen.query_one(HistoryPanel)


def _plain(widget: Static) -> str:
    return str(widget.render())


@pytest.mark.parametrize("size", SIZES)
async def test_banned_account_shows_when_and_since_when(tmp_path: Path, size, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        assert app.no_color
        panel = await _open_details(pilot, "spam-test")
        day = _plain(panel.query_one("#strip-24h", Static))
        week = _plain(panel.query_one("#strip-7d", Static))
        # Banned all day; the week starts OK (one flood wait), then banned: by symbol alone.
        assert day == "⊘" * 48
        assert len(week) == 48 and week.startswith("●") and week.endswith("⊘" * 20)
        assert "◷" in week and NO_DATA not in week
        summary = _plain(panel.query_one("#history-summary", Static))
        assert "Now ⊘ BANNED since 3 d 4 h (USER_DEACTIVATED_BAN)" in summary
        assert "1 flood wait (10 min) · 0 offline spells" in summary
        legend = _plain(panel.query_one("#legend", Static))
        assert "● ok" in legend and "⊘ banned" in legend and "◷ flood" in legend
        # Every cell fits on screen: nothing is cut at 80 columns.
        for wid in ("#strip-24h", "#strip-7d"):
            region = panel.query_one(wid).region
            assert region.width >= 48 and region.right <= size[0]
        # Banned all day: no latency to draw, and it says so.
        assert not panel.query_one("#latency", Sparkline).display
        rng = _plain(panel.query_one("#latency-range", Static))
        assert rng == "no working check in the last 24 h"
        assert panel.query_one("#latency-range").region.right <= size[0]


async def test_latency_sparkline_has_the_measured_hours(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open_details(pilot, "work")
        data = list(panel.query_one("#latency", Sparkline).data or [])
        assert len(data) == 24 and min(data) > 50  # one median per hour of the last day, ms
        text = _plain(panel.query_one("#latency-range", Static))
        assert text == f"{round(min(data))}–{round(max(data))} ms, hourly"
        for wid in ("#latency", "#latency-range"):
            assert panel.query_one(wid).region.right <= 80
        summary = _plain(panel.query_one("#history-summary", Static))
        assert "0 flood waits · 1 offline spell" in summary


async def test_offline_account_counts_its_spells(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open_details(pilot, "eu-proxy")
        week = _plain(panel.query_one("#strip-7d", Static))
        assert week.count("▲") >= 5  # a spell each night shows in its bucket
        summary = _plain(panel.query_one("#history-summary", Static))
        assert "Now ▲ OFFLINE since 1 h 10 min" in summary and "6 offline spells" in summary


async def test_a_history_drawn_before_the_panel_settled_gets_every_line(tmp_path: Path) -> None:
    # Textual (8.2) keeps a widget's "layout needed" flag set from before it was mounted
    # until the widget's first idle, and while it is set a content update does not renew the
    # widget's cached size. The history is read in a thread; when it lands in that window
    # (about half the time on Python 3.13) the summary kept its first one-line height and
    # the week's counts were cut off. The flag is set here by hand to land in that window
    # on every run.
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open_details(pilot, "promo")
        summary = panel.query_one("#history-summary", Static)
        panel.show(History(events=[]), app.now())
        await _settle(pilot)
        assert summary.region.height == 1  # "Nothing recorded yet…"
        summary._layout_required = True
        panel.show(app.tg.store.history("promo").read(), app.now())
        await _settle(pilot)
        assert "Week" in _plain(summary)
        assert summary.region.height == 2


def test_strip_marks_unknown_buckets_and_the_worst_state() -> None:
    end = 1_000_000
    history = History(
        events=[
            Event(end - 3600, "state", State.OK),
            Event(end - 3000, "state", State.REVOKED, State.OK),
            Event(end - 2990, "state", State.OK, State.REVOKED),
        ]
    )
    text = strip_text(history, end, 7200, 4).plain
    # Before the first record: no data; the revoked blip wins its half-hour bucket.
    assert text == f"{NO_DATA}{NO_DATA}✖●"


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_details_history(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await _open_details(pilot, "promo")

    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=run_before)


def test_snapshot_details_history_no_color(snap_compare, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        await _open_details(pilot, "spam-test")

    assert snap_compare(demo_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


async def test_list_since_column_and_sort(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        table = app.screen.query_one(AccountTable)
        assert "since" in [str(c.key.value) for c in table.columns.values()]
        names = [str(k.value) for k in table.rows]
        row = table.get_row("promo")
        keys = [str(c.key.value) for c in table.columns.values()]
        assert str(row[keys.index("since")]) == "5 min"  # the flood began 5 min ago
        assert str(table.get_row("spam-test")[keys.index("since")]) == "3 d 4 h"
        await pilot.press("o")
        await _settle(pilot)
        order = [str(k.value) for k in table.rows]
        # Newest state change first (the demo's made-up past: 5 min, 1 h 10, 2 d 2 h, ...).
        assert order == ["promo", "eu-proxy", "work", "old-phone", "shop-bot", "spam-test"]
        await pilot.press("o")
        await _settle(pilot)
        assert [str(k.value) for k in table.rows] == names


async def test_list_has_no_since_column_at_80_columns(tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        table = app.screen.query_one(AccountTable)
        assert "since" not in [str(c.key.value) for c in table.columns.values()]
