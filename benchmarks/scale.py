"""Scale: what a big farm can expect, 10,000 accounts (200 in `--quick`). No targets.

- startup: `tgtui` against the bare DataTable app with the same rows (as `startup.py`,
  median of 3 alternated runs after one warm-up each);
- memory: peak RSS with every account listed and one sweep done (as `memory.py`);
- sweep: a full sweep at concurrency 32 against ceil(N/C) x (1 connect + 2 RT) x 50 ms
  (as `sweep.py`).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any


def run(work: Path, *, quick: bool) -> list[Any]:
    """The three scale rows."""
    from benchmarks import seed, sweep
    from benchmarks.report import Row

    n = 200 if quick else 10_000
    rows: list[Row] = []

    cached = seed.cached_store(work / f"scale-cached-{n}", n)
    env = seed.env_for(cached, work / "log-scale-startup")
    times: dict[str, list[float]] = {"tgtui": [], "bare": []}
    for kind in times:  # warm-up, discarded
        seed.run_child("startup", ["child", kind, str(n)], env)
    for rep in range(3):
        for kind in ("tgtui", "bare") if rep % 2 == 0 else ("bare", "tgtui"):
            times[kind].append(
                seed.run_child("startup", ["child", kind, str(n)], env)["first_frame"]
            )
    value = statistics.median(times["tgtui"]) * 1000
    base = statistics.median(times["bare"]) * 1000
    rows.append(
        Row(
            id="scale/startup",
            figure=f"startup to first frame, {n:,} accounts (median of 3)",
            value=value,
            unit="ms",
            baseline=base,
            baseline_what="bare DataTable app",
            notes=[f"{n:,} accounts: tgtui {value:.0f} ms, bare {base:.0f} ms"],
        )
    )

    world = seed.sim_world(work / f"scale-world-{n}", n)
    env = seed.env_for(world, work / "log-scale")
    mem = seed.run_child("memory", ["child", str(world)], env, timeout=1800)
    rows.append(
        Row(
            id="scale/memory",
            figure=f"peak RSS, {n:,} accounts listed + one sweep done",
            value=mem["maxrss_kb"] / 1024,
            unit="MB",
            notes=[
                f"{n:,} accounts: RSS {mem['rss_listed_kb'] / 1024:.0f} MB once listed, "
                f"{mem['rss_end_kb'] / 1024:.0f} MB after the sweep ({mem['ok']} OK, "
                f"{mem['sweep_wall']:.1f} s in the app at sim latency 10 ms); "
                f"{mem['maxrss_kb'] / n:.1f} KB per account overall"
            ],
        )
    )
    res = seed.run_child("sweep", ["child", str(world), "32", "full"], env, timeout=1800)
    rows.append(sweep.sweep_row(res, "scale/sweep", target=False))
    return rows
