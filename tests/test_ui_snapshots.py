"""Snapshots of every main screen at 80x24 and 120x40 (fixed clock, demo data)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_fixtures import NOW, Clock, _settle, demo_app, make_tg

from tgtui.ui.app import TgtuiApp
from tgtui.ui.widgets.account_table import AccountTable

SIZES = [(80, 24), (120, 40)]


def _press(*keys: str, select: str | None = None):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        if select:
            pilot.app.screen.query_one(AccountTable).select(select)
            await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_main_list(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=_press(select="promo"))


@pytest.mark.parametrize("size", SIZES)
def test_empty_state(snap_compare, tmp_path: Path, size) -> None:
    clock = Clock(NOW)
    app = TgtuiApp(make_tg(tmp_path / "cfg", clock), clock=clock.utc, start_monitor=False)
    assert snap_compare(app, terminal_size=size, run_before=_press())


@pytest.mark.parametrize("size", SIZES)
def test_details(snap_compare, tmp_path: Path, size) -> None:
    app = demo_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_press("enter", select="work"))


@pytest.mark.parametrize("size", SIZES)
def test_details_revoked(snap_compare, tmp_path: Path, size) -> None:
    app = demo_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_press("enter", select="old-phone"))


@pytest.mark.parametrize("size", SIZES)
def test_remove_dialog(snap_compare, tmp_path: Path, size) -> None:
    app = demo_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_press("d", select="work"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, tmp_path: Path, size) -> None:
    app = demo_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_press("question_mark"))
