"""A long list during a sweep: updates to rows off screen cost no redraw of the rows on
screen, and still show as soon as those rows are scrolled to."""

from __future__ import annotations

from pathlib import Path

from ui_fixtures import NOW, Clock, add, ago, make_tg

from tgtui.accounts import State, Status
from tgtui.ui import format as fmt
from tgtui.ui.app import TgtuiApp
from tgtui.ui.screens.accounts import HealthChanged
from tgtui.ui.widgets.account_table import AccountTable

N = 40


def _seeded(tmp_path: Path, clock: Clock):
    tg = make_tg(tmp_path / "cfg", clock)
    for i in range(N):
        add(tg, f"acct-{i:02d}", f"+1555555{i:04d}", Status(State.OK, checked_at=ago(600)))
    return tg


def _screen_lines(table: AccountTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


async def _drawn(pilot, app: TgtuiApp) -> None:
    await pilot.pause()
    while getattr(app.screen, "_flush_timer", None) is not None:
        await pilot.pause(0.05)
    await pilot.pause()


async def test_an_update_off_screen_redraws_nothing_and_shows_when_scrolled_to(
    tmp_path: Path,
) -> None:
    clock = Clock(NOW)
    app = TgtuiApp(_seeded(tmp_path, clock), clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await _drawn(pilot, app)
        table = app.screen.query_one(AccountTable)
        assert not any("acct-39" in line for line in _screen_lines(table))
        drawn: list[int] = []
        real = table.render_line

        def counting(y: int):
            drawn.append(y)
            return real(y)

        table.render_line = counting  # type: ignore[method-assign]
        revoked = Status(State.REVOKED, checked_at=NOW)
        app.screen.post_message(HealthChanged("acct-39", revoked))
        await _drawn(pilot, app)
        assert drawn == []  # the visible rows did not change, so none was drawn again
        table.render_line = real  # type: ignore[method-assign]

        await pilot.press("G")  # to the last row
        await _drawn(pilot, app)
        last = [line for line in _screen_lines(table) if "acct-39" in line]
        assert last and fmt.badge_text(revoked, NOW).plain in last[0]
        before = [line for line in _screen_lines(table) if "acct-38" in line]
        assert before and fmt.badge_text(Status(State.OK), NOW).plain in before[0]


async def test_an_update_on_screen_redraws_its_row_alone(tmp_path: Path) -> None:
    clock = Clock(NOW)
    app = TgtuiApp(_seeded(tmp_path, clock), clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await _drawn(pilot, app)
        table = app.screen.query_one(AccountTable)
        drawn: list[int] = []
        real = table.render_line

        def counting(y: int):
            drawn.append(y)
            return real(y)

        table.render_line = counting  # type: ignore[method-assign]
        revoked = Status(State.REVOKED, checked_at=NOW)
        app.screen.post_message(HealthChanged("acct-01", revoked))
        await _drawn(pilot, app)
        assert len(drawn) == 1  # that row's line alone, not every row on screen
        table.render_line = real  # type: ignore[method-assign]
        line = next(line for line in _screen_lines(table) if "acct-01" in line)
        assert fmt.badge_text(revoked, NOW).plain in line
        others = [
            line for line in _screen_lines(table) if "acct-0" in line and "acct-01" not in line
        ]
        assert len(others) > 5
        assert all(fmt.badge_text(Status(State.OK), NOW).plain in line for line in others)
