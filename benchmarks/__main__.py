"""`python -m benchmarks [--quick] [--only NAMES]`: run the benchmarks and print the table."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks import cost, history_size, memory, responsive, scale, seed, startup, sweep
from benchmarks.report import ROW_IDS, Row, render

NAMES = ("startup", "sweep", "responsive", "memory", "cost", "scale", "history")


def _say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks; exit 1 if one of them could not run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: small N, few repeats")
    parser.add_argument("--only", default=",".join(NAMES), help=f"comma list of {NAMES}")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    chosen = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(chosen) - set(NAMES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    quick = args.quick
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="tgtui-bench-"))
    big_n, small_n = (50, 10) if quick else (1000, 100)
    worlds: dict[str, Path] = {}
    _say("compiling bytecode for the children")
    seed.warm_bytecode(work)

    def world(key: str) -> Path:
        if key not in worlds:
            n = big_n if key == "large" else small_n
            _say(f"seeding a simulated world of {n} accounts")
            worlds[key] = seed.sim_world(work / f"world-{n}", n)
        return worlds[key]

    jobs: dict[str, Callable[[], list[Row]]] = {
        "startup": lambda: startup.run(work, quick=quick),
        "sweep": lambda: sweep.run(work, world("large"), quick=quick),
        "responsive": lambda: responsive.run(work, world("large"), quick=quick),
        "memory": lambda: memory.run(
            work, {"small": world("small"), "large": world("large")}, quick=quick
        ),
        "cost": lambda: cost.run(work, world("small"), quick=quick),
        "scale": lambda: scale.run(work, quick=quick),
        "history": lambda: history_size.run(work, quick=quick),
    }
    rows: list[Row] = []
    failed = False
    try:
        for name in chosen:
            _say(f"{name} ...")
            try:
                rows.extend(jobs[name]())
            except Exception as exc:  # report and go on: the table still shows the row
                failed = True
                traceback.print_exc()
                for rid in ROW_IDS:
                    if rid.startswith(f"{name}/"):
                        rows.append(Row(id=rid, figure="ERROR", value=None, notes=[repr(exc)]))
    finally:
        if args.keep:
            _say(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    order = {rid: i for i, rid in enumerate(ROW_IDS)}
    rows.sort(key=lambda r: order.get(r.id, len(order)))
    print(render(rows, quick=quick, elapsed=time.monotonic() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
