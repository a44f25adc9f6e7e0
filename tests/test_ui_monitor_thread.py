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


LATE_START = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from ui_fixtures import NOW, Clock, make_tg
from tgtui.telegram.monitor_thread import MonitorThread

async def main():
    mt = MonitorThread(make_tg(Path({root!r}), Clock(NOW)), lambda batch: None)
    await mt.aclose()  # the app is closing: the monitor's loop stops
    run = asyncio.ensure_future(mt.run())  # and a worker starts the monitor late
    await asyncio.sleep(0.05)
    run.cancel()  # the app cancels its workers on exit
    await asyncio.gather(run, return_exceptions=True)
    mt._thread.join(2)

asyncio.run(main())
"""


def test_quitting_before_the_monitor_started_prints_nothing(tmp_path: Path) -> None:
    # Quitting right after start: the monitor's run reached its loop after the loop had
    # stopped, and Python then printed "coroutine ... was never awaited" (and "Task was
    # destroyed but it is pending") in the user's terminal after the app had gone.
    import subprocess
    import sys

    script = LATE_START.format(tests=str(Path(__file__).parent), root=str(tmp_path / "cfg"))
    proc = subprocess.run(
        [sys.executable, "-W", "default", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "never awaited" not in proc.stderr and "destroyed" not in proc.stderr, proc.stderr
