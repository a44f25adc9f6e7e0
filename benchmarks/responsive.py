"""Responsiveness: keypress to updated screen in the account list, idle and during a sweep.

A child process runs `TgtuiApp` under `run_test()` (headless, 120x40) on the simulated
world. A key event (`j`, then `k` for the second half) is sent the way a terminal driver
sends one (`driver.send_message`); the latency is the time until the first
`Screen._compositor_refresh` of the account screen in which the table cursor is on the new
row — the frame a terminal would get (it is rendered, not written: headless). Between
presses the child waits 40-90 ms (random), so presses are not in step with frames.

`sweep`: the app starts with its monitor on (settings: concurrency 32, sim latency 50 ms),
so every account is checked at once; only presses sent while checks are running count.
`idle`: the same app with `start_monitor=False`, the same presses.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

LATENCY = 0.05
CONCURRENCY = 32


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


async def _measure(world: Path, mode: str, presses: int) -> dict[str, Any]:
    from textual import events
    from textual.screen import Screen
    from textual.widgets import DataTable

    from benchmarks import seed
    from tgtui.accounts import State
    from tgtui.config import Settings
    from tgtui.ui.app import TgtuiApp

    settings = Settings(concurrency=CONCURRENCY, refresh_interval=3600.0, check_timeout=120.0)
    tg = seed.load_world(world, latency=LATENCY, settings=settings)
    n = len(tg.store.names())
    sim = tg.sim
    waiting: dict[str, Any] = {}

    original = Screen._compositor_refresh

    def hooked(self: Screen[Any]) -> None:
        original(self)
        want = waiting.get("row")
        if want is None or self is not self.app.screen:
            return
        table = waiting["table"]
        if table.cursor_row == want and not waiting["future"].done():
            waiting["future"].set_result(time.perf_counter())

    Screen._compositor_refresh = hooked  # type: ignore[method-assign]
    app = TgtuiApp(tg, start_monitor=mode == "sweep")
    rng = random.Random(5)
    samples: list[float] = []
    sweep_started = sweep_wall = None
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        waiting["table"] = table
        loop = asyncio.get_running_loop()
        if mode == "sweep":
            while not sim.log:  # the monitor has sent its first request
                await asyncio.sleep(0.005)
            sweep_started = time.perf_counter()
        screen: Any = app.screen

        def sweeping() -> bool:
            healths = screen.monitor().all()
            return len(healths) < n or any(h.state is State.CHECKING for h in healths.values())

        for i in range(presses):
            if mode == "sweep" and not sweeping():
                break  # the sweep is over
            key = "j" if i < presses // 2 else "k"
            want = table.cursor_row + (1 if key == "j" else -1)
            waiting["future"] = loop.create_future()
            waiting["row"] = want
            event = events.Key(key, key)
            event.set_sender(app)
            sent = time.perf_counter()
            app._driver.send_message(event)
            done = await asyncio.wait_for(waiting["future"], 10)
            waiting["row"] = None
            samples.append(done - sent)
            await asyncio.sleep(rng.uniform(0.04, 0.09))
        if mode == "sweep":
            while sweeping():
                await asyncio.sleep(0.05)
            sweep_wall = time.perf_counter() - (sweep_started or 0.0)
    return {"n": n, "mode": mode, "samples": samples, "sweep_wall": sweep_wall}


def run(work: Path, world: Path, *, quick: bool) -> list[Any]:
    """p50 / p95 keypress latency during a sweep, against the same app idle."""
    from benchmarks import seed
    from benchmarks.report import Row

    env = seed.env_for(world, work / "log-responsive")
    presses = 20 if quick else 150
    busy = seed.run_child("responsive", ["child", str(world), "sweep", str(presses)], env)
    idle = seed.run_child("responsive", ["child", str(world), "idle", str(presses)], env)
    n = busy["n"]
    b, i = busy["samples"], idle["samples"]
    note = (
        f"{len(b)} presses during the sweep (monitor concurrency {CONCURRENCY}, sim latency "
        f"50 ms; the sweep took {busy['sweep_wall']:.1f} s inside the app), {len(i)} idle"
    )
    rows = []
    for pct in (50, 95):
        value = percentile(b, pct) * 1000 if b else None
        base = percentile(i, pct) * 1000
        row = Row(
            id=f"responsive/p{pct}",
            figure=f"keypress to frame, p{pct}, {n} accounts, during a sweep",
            value=value,
            unit="ms",
            baseline=base,
            baseline_what="same app, no sweep",
        )
        if pct == 95:
            row.target = "<= 35 ms and ratio <= 1.5"
            row.met = value is not None and value <= 35 and value <= 1.5 * base
            row.notes.append(note)
        if pct == 50 and b:
            row.notes.append(
                f"during the sweep: mean {1000 * statistics.mean(b):.1f} ms, "
                f"max {1000 * max(b):.1f} ms; idle max {1000 * max(i):.1f} ms"
            )
        rows.append(row)
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "child":
        out = asyncio.run(_measure(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])))
        print(json.dumps(out))
    else:
        sys.exit("usage: python -m benchmarks.responsive child WORLD sweep|idle PRESSES")
