"""Sweep against the physical limit: `SessionMonitor(tg, concurrency=C).sweep()` over N
simulated accounts, quick checks and full checks.

Each sweep runs in a fresh child process on the world `seed.sim_world` built (SimServer
latency 50 ms per round trip and per connect). The simulator counts what the server saw:
requests, round trips (client packets: requests sent together in one container count
once) and connects. The limit a sweep cannot beat is
    ideal = ceil(N / C) x (1 connect + round trips a check needs) x latency
with 1 round trip for a quick check (who am I, inside the InitConnection wrapper) and 2
for a full one (plus 2FA state and sessions, together). Targets: quick <= 1.15 x ideal,
full <= 1.20 x ideal, CPU per check (process CPU / N, threads included) < 2 ms.
The monitor saves every result to account.toml, as in the app.
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
NEEDED = {"quick": 1, "full": 2}  # round trips a check needs after its connect
TARGET = {"quick": 1.15, "full": 1.20}
CPU_TARGET_MS = 2.0


async def _sweep(root: Path, concurrency: int, kind: str) -> dict[str, Any]:
    from benchmarks import seed
    from tgtui.telegram.monitor import SessionMonitor

    tg = seed.load_world(root, latency=LATENCY)
    sim = tg.sim
    n = len(tg.store.names())
    monitor = SessionMonitor(tg, concurrency=concurrency, jitter=0.0, full=kind == "full")
    sim_cpu = [0.0]  # CPU of the in-process server answering (not tgtui's; no real run has it)
    dispatch = sim._dispatch

    def timed(sender: Any, request: Any) -> Any:
        started = time.thread_time()
        try:
            return dispatch(sender, request)
        finally:
            sim_cpu[0] += time.thread_time() - started

    sim._dispatch = timed
    connects0 = sim.connects
    wall0, cpu0 = time.perf_counter(), time.process_time()
    results = await monitor.sweep()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    await monitor.aclose()
    states: dict[str, int] = defaultdict(int)
    for health in results:
        states[health.state.value] += 1
    return {
        "n": n,
        "concurrency": concurrency,
        "kind": kind,
        "wall": wall,
        "cpu": cpu,
        "sim_cpu": sim_cpu[0],
        "requests": sim.request_count(),
        "round_trips": sim.round_trips(),
        "connects": sim.connects - connects0,
        "max_in_flight": sim.max_in_flight,
        "states": dict(states),
    }


def sweep_row(res: dict[str, Any], rid: str, *, target: bool = True) -> Any:
    """The row of one sweep result, against ceil(N/C) x (1 + needed) x latency."""
    from benchmarks.report import Row

    n, c, kind = res["n"], res["concurrency"], res["kind"]
    trips = 1 + NEEDED[kind]
    ideal = math.ceil(n / c) * trips * LATENCY
    ok = res["states"].get("ok", 0)
    row = Row(
        id=rid,
        figure=f"{kind} sweep of {n:,} accounts, concurrency {c}",
        value=res["wall"],
        unit="s",
        baseline=ideal,
        baseline_what=f"ceil(N/C) x (1 connect + {NEEDED[kind]} RT) x 50 ms",
        notes=[
            f"{kind}, C={c}: {res['requests'] / n:g} requests in {res['round_trips'] / n:g} "
            f"round trips + {res['connects'] / n:g} connect per check; {ok}/{n} OK; "
            f"max {res['max_in_flight']} requests in flight; CPU {res['cpu']:.2f} s for a "
            f"{res['wall']:.2f} s wall ({100 * res['cpu'] / res['wall']:.0f}% of one core), "
            f"{1000 * res['cpu'] / n:.2f} ms per check, of which the simulated server's "
            f"request handling {1000 * res['sim_cpu'] / n:.2f} ms"
        ],
    )
    if target:
        row.target = f"ratio <= {TARGET[kind]:.2f}"
        row.met = res["wall"] <= TARGET[kind] * ideal
    return row


def run(work: Path, world: Path, *, quick: bool) -> list[Any]:
    """Quick and full sweeps at C=8 and C=32; requests, round trips and CPU per check."""
    from benchmarks import seed
    from benchmarks.report import Row

    env = seed.env_for(world, work / "log-sweep")
    rows: list[Row] = []
    cpu: dict[str, float] = {}
    per_check: dict[str, tuple[float, float]] = {}
    for kind in ("quick", "full"):
        for c in (8, 32):
            res = seed.run_child("sweep", ["child", str(world), str(c), kind], env)
            rows.append(sweep_row(res, f"sweep/{kind}-c{c}"))
            cpu[f"{kind} C={c}"] = 1000 * res["cpu"] / res["n"]
            per_check[kind] = (res["requests"] / res["n"], res["round_trips"] / res["n"])
    worst = max(cpu.values())
    rows.append(
        Row(
            id="sweep/cpu",
            figure="CPU per check (process CPU / N): "
            + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items())
            + " ms",
            value=worst,
            unit="ms",
            target=f"< {CPU_TARGET_MS:g} ms",
            met=worst < CPU_TARGET_MS,
        )
    )
    for kind in ("quick", "full"):
        requests, trips = per_check[kind]
        rows.append(
            Row(
                id=f"sweep/{kind}-requests",
                figure=f"requests per {kind} check, seen by the server "
                f"({trips:g} round trips + 1 connect)",
                value=requests,
                target=f"{NEEDED[kind]} round trips",
                met=trips == NEEDED[kind],
            )
        )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "child":
        out = asyncio.run(_sweep(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
        print(json.dumps(out))
    else:
        sys.exit("usage: python -m benchmarks.sweep child WORLD CONCURRENCY quick|full")
