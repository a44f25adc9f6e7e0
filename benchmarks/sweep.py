"""Sweep overhead: `SessionMonitor(tg, concurrency=C).sweep()` over N simulated accounts.

Each sweep runs in a fresh child process on the world `seed.sim_world` built (SimServer
latency 50 ms per request and per connect). Round trips per check are counted from the
simulator: 1 for the connect, plus the sequential stages of each auth key's requests in
`SimServer.log` (requests less than half a latency apart count as one stage).
Ideal = ceil(N / C) x round trips x latency; target wall <= 1.10 x ideal.
The monitor saves every result to account.toml, as in the app (`save=True`).
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

LATENCY = 0.05


def stages(log: list[Any], latency: float) -> dict[str, int]:
    """Sequential request stages per auth key (gaps under latency/2 are one stage)."""
    times: dict[str, list[float]] = defaultdict(list)
    for req in log:
        times[req.key].append(req.at)
    out: dict[str, int] = {}
    for key, ats in times.items():
        ats.sort()
        out[key] = 1 + sum(1 for a, b in zip(ats, ats[1:], strict=False) if b - a > latency / 2)
    return out


async def _sweep(root: Path, concurrency: int) -> dict[str, Any]:
    from benchmarks import seed
    from tgtui.telegram.monitor import SessionMonitor

    tg = seed.load_world(root, latency=LATENCY)
    sim = tg.sim
    n = len(tg.store.names())
    monitor = SessionMonitor(tg, concurrency=concurrency, jitter=0.0)
    connects0 = sim.connects
    wall0, cpu0 = time.perf_counter(), time.process_time()
    results = await monitor.sweep()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    await monitor.aclose()
    per_key = stages(sim.log, LATENCY)
    states: dict[str, int] = defaultdict(int)
    for health in results:
        states[health.state.value] += 1
    return {
        "n": n,
        "concurrency": concurrency,
        "wall": wall,
        "cpu": cpu,
        "requests": len(sim.log),
        "connects": sim.connects - connects0,
        "stages": sum(per_key.values()) / max(1, len(per_key)),
        "max_in_flight": sim.max_in_flight,
        "states": dict(states),
    }


def run(work: Path, world: Path, *, quick: bool) -> list[Any]:
    """Sweep rows for C=8 and C=32, and CPU per check."""
    from benchmarks import seed
    from benchmarks.report import Row

    env = seed.env_for(world, work / "log-sweep")
    rows: list[Row] = []
    cpu_rows: list[str] = []
    for c in (8, 32):
        res = seed.run_child("sweep", ["child", str(world), str(c)], env)
        n = res["n"]
        rts = 1 + res["stages"]  # the connect, then the request stages
        ideal = math.ceil(n / c) * rts * LATENCY
        ok = res["states"].get("ok", 0)
        rows.append(
            Row(
                id=f"sweep/c{c}",
                figure=f"sweep of {n} accounts, concurrency {c}",
                value=res["wall"],
                unit="s",
                baseline=ideal,
                baseline_what=f"ceil(N/C) x {rts:g} RT x 50 ms",
                target="ratio <= 1.10",
                met=res["wall"] <= 1.10 * ideal,
                notes=[
                    f"C={c}: {res['requests'] / n:g} requests + {res['connects'] / n:g} connect "
                    f"per check, {rts:g} sequential round trips; {ok}/{n} OK; "
                    f"max {res['max_in_flight']} requests in flight; "
                    f"CPU {res['cpu']:.2f} s for a {res['wall']:.2f} s wall "
                    f"({100 * res['cpu'] / res['wall']:.0f}% of one core)"
                ],
            )
        )
        cpu_rows.append(f"{1000 * res['cpu'] / n:.1f}")
    rows.append(
        Row(
            id="sweep/cpu",
            figure=f"CPU per check (process CPU / N), C=8 and C=32: {' / '.join(cpu_rows)} ms",
            value=float(cpu_rows[-1]),
            unit="ms",
        )
    )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "child":
        print(json.dumps(asyncio.run(_sweep(Path(sys.argv[2]), int(sys.argv[3])))))
    else:
        sys.exit("usage: python -m benchmarks.sweep child WORLD CONCURRENCY")
