"""The monitor checks on its own thread: keys are handled while a check is busy."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from ui_fixtures import NOW, Clock, add, ago, make_tg

from tgtui.accounts import State, Status
from tgtui.telegram import monitor as monitor_module
from tgtui.telegram.health import Health
from tgtui.ui.app import TgtuiApp
from tgtui.ui.widgets.account_table import AccountTable


async def _until(pilot, condition, timeout: float = 10.0) -> None:
    end = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < end, "condition not met in time"
        await pilot.pause(0.02)


async def test_keys_work_while_a_check_holds_its_thread(tmp_path: Path, monkeypatch) -> None:
    clock = Clock(NOW)
    tg = make_tg(tmp_path / "cfg", clock)
    for name in ("a-first", "b-second", "c-third"):
        add(tg, name, "+15555550100", Status(State.OK, checked_at=ago(600)))
    started, release = threading.Event(), threading.Event()
    released: list[bool] = []
    threads: set[int] = set()

    async def busy_check(tg, account, **kw) -> Health:
        threads.add(threading.get_ident())
        if account.name == "a-first":
            started.set()
            released.append(release.wait(5))  # blocks the loop the check runs on
        return Health(account.name, State.REVOKED, "revoked", tg.now())

    monkeypatch.setattr(monitor_module, "check", busy_check)
    app = TgtuiApp(tg, clock=clock.utc, start_monitor=True)
    async with app.run_test(size=(100, 24)) as pilot:
        await _until(pilot, started.is_set)
        table = app.screen.query_one(AccountTable)
        row = table.cursor_row
        await pilot.press("j")
        assert table.cursor_row == row + 1  # handled while the check still blocks
        release.set()
        await _until(pilot, lambda: table.get_cell("a-first", "status").plain.endswith("REVOKED"))
        assert released == [True]  # the check was let go by the test, not by its timeout
        assert threading.get_ident() not in threads
