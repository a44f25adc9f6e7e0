"""Memory: peak RSS of tgtui with N accounts listed and one sweep done, in a fresh process.

The child loads the simulated world (latency 10 ms: memory does not depend on it and the
sweep is shorter), runs `TgtuiApp` under `run_test()` with the monitor on (concurrency
32), waits until every account was checked and the screen has applied the results, and
reports `getrusage(RUSAGE_SELF).ru_maxrss`. The figure includes the in-process simulated
Telegram (users, keys, request log), which a real run would not hold.
Baseline: the bare one-DataTable app of the startup benchmark with the same N rows, at
its first frame.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

LATENCY = 0.01


def _rss_kb() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() // 1024


async def _measure(world: Path) -> dict[str, Any]:
    from benchmarks import seed
    from tgtui.accounts import State
    from tgtui.config import Settings
    from tgtui.ui.app import TgtuiApp

    settings = Settings(concurrency=32, refresh_interval=3600.0, check_timeout=120.0)
    tg = seed.load_world(world, latency=LATENCY, settings=settings)
    n = len(tg.store.names())
    app = TgtuiApp(tg, start_monitor=True)
    started, since = time.perf_counter(), time.time()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listed = _rss_kb()
        screen: Any = app.screen
        while True:
            await asyncio.sleep(0.1)
            accounts = list(screen.accounts.values())
            checked = [
                a
                for a in accounts
                if a.status.state is not State.CHECKING
                and a.status.checked_at is not None
                and a.status.checked_at.timestamp() >= since
            ]
            if tg.sim.in_flight == 0 and len(accounts) == n and len(checked) == n:
                break
        await pilot.pause()
        swept = time.perf_counter() - started
        ok = sum(1 for a in screen.accounts.values() if a.status.state is State.OK)
        return {
            "n": n,
            "ok": ok,
            "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "rss_listed_kb": listed,
            "rss_end_kb": _rss_kb(),
            "sweep_wall": swept,
        }


def run(work: Path, worlds: dict[str, Path], *, quick: bool) -> list[Any]:
    """Peak RSS at the small and large N, and the growth per account between them."""
    from benchmarks import seed
    from benchmarks.report import Row

    res: dict[str, dict[str, Any]] = {}
    base: dict[str, dict[str, Any]] = {}
    for key, world in worlds.items():
        env = seed.env_for(world, work / f"log-memory-{key}")
        res[key] = seed.run_child("memory", ["child", str(world)], env)
        n = res[key]["n"]
        base[key] = seed.run_child("startup", ["child", "bare", str(n)], env)
    rows = []
    for key, rid in (("small", "memory/small"), ("large", "memory/peak")):
        r = res[key]
        row = Row(
            id=rid,
            figure=f"peak RSS, {r['n']} accounts listed + one sweep done",
            value=r["maxrss_kb"] / 1024,
            unit="MB",
            baseline=base[key]["maxrss_kb"] / 1024,
            baseline_what="bare DataTable app",
            notes=[
                f"{r['n']} accounts: RSS {r['rss_listed_kb'] / 1024:.0f} MB once listed, "
                f"{r['rss_end_kb'] / 1024:.0f} MB after the sweep ({r['ok']} OK, "
                f"{r['sweep_wall']:.1f} s at sim latency 10 ms)"
            ],
        )
        if key == "large":
            row.target = "<= 150 MB"
            row.met = row.value is not None and row.value <= 150
        rows.append(row)
    small, large = res["small"], res["large"]
    grow = (large["maxrss_kb"] - small["maxrss_kb"]) / max(1, large["n"] - small["n"])
    bgrow = (base["large"]["maxrss_kb"] - base["small"]["maxrss_kb"]) / max(
        1, large["n"] - small["n"]
    )
    rows.append(
        Row(
            id="memory/per-account",
            figure=f"peak RSS growth per account ({small['n']} -> {large['n']})",
            value=grow,
            unit="KB",
            baseline=bgrow if bgrow > 0 else None,
            baseline_what="bare DataTable app",
        )
    )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        print(json.dumps(asyncio.run(_measure(Path(sys.argv[2])))))
    else:
        sys.exit("usage: python -m benchmarks.memory child WORLD")
