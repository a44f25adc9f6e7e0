"""Child process for the concurrency test: holds an account, or hammers a shared config.

Argv: mode ("hold" or "loop"), config root, seed, and for "loop" a shared log file and a
duration in seconds. Both modes build the same simulated Telegram as the parent (same
seed, same calls), so the sessions on disk hold keys this process's simulator knows.

hold: take account "a" through `session_client`, print "HOLDING <pid>", sleep until killed.
loop: until the duration passes, at random: use an account's session (logging enter/exit
with CLOCK_MONOTONIC to the shared log), run a health check, rewrite a label, list the
store. Prints a JSON summary at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from reliability.support import API_ID, PHONE, PHONE_2FA, make_world
from tgtui.accounts import StoreError
from tgtui.telegram.client import session_client
from tgtui.telegram.errors import TelegramFailure
from tgtui.telegram.health import check_and_save

ACCOUNTS = {"a": PHONE, "b": PHONE_2FA}


def world(root: Path, seed: int):  # noqa: ANN201
    tg, sim, clock = make_world(root, seed=seed)
    scratch = Path(tempfile.mkdtemp())
    for name, phone in ACCOUNTS.items():  # same order as the parent: same keys
        sim.authorize_session(scratch / f"{name}.session", phone, API_ID)
    clock.now = time.time()
    return tg


def log(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{text}\n".encode())
    finally:
        os.close(fd)


def holder_of(text: str, holders: list[int], counts: dict[str, int]) -> None:
    """Record the pid a LOCKED message names ("... by pid N (cmd)"), or count its absence."""
    if "pid " in text:
        holders.append(int(text.split("pid ")[1].split()[0]))
    else:
        counts["holder_unknown"] += 1


async def hold(root: Path, seed: int) -> None:
    tg = world(root, seed)
    async with session_client(tg, tg.store.get("a")):
        print(f"HOLDING {os.getpid()}", flush=True)
        await asyncio.sleep(120)


async def loop(root: Path, seed: int, shared: str, seconds: float) -> None:
    tg = world(root, seed)
    rng = random.Random(os.getpid())
    pid = os.getpid()
    counts = {
        "held": 0,
        "in_use": 0,
        "checks": 0,
        "locked": 0,
        "writes": 0,
        "lists": 0,
        "holder_unknown": 0,
    }
    holders: list[int] = []
    states: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        name = rng.choice(sorted(ACCOUNTS))
        action = rng.random()
        if action < 0.4:
            try:
                async with session_client(tg, tg.store.get(name)) as client:
                    log(shared, f"enter {name} {pid} {time.monotonic_ns()}")
                    await client.get_me()
                    await asyncio.sleep(rng.uniform(0, 0.01))
                    log(shared, f"exit {name} {pid} {time.monotonic_ns()}")
                counts["held"] += 1
            except TelegramFailure as exc:
                assert exc.failure.name == "SESSION_LOCKED", exc.failure
                counts["in_use"] += 1
                holder_of(exc.failure.message, holders, counts)
        elif action < 0.7:
            health = await check_and_save(tg, tg.store.get(name), timeout=5)
            counts["checks"] += 1
            states[health.state.value] = states.get(health.state.value, 0) + 1
            if health.error is not None and health.error.name == "SESSION_LOCKED":
                counts["locked"] += 1
                holder_of(health.reason, holders, counts)
        elif action < 0.9:
            try:
                account = tg.store.get(name)
                tg.store.update(replace(account, label=f"{pid}-{rng.randrange(10**6)}"))
                counts["writes"] += 1
            except StoreError as exc:  # pragma: no cover - reported to the parent
                counts.setdefault("store_errors", 0)
                counts["store_errors"] += 1
                print(f"store error: {exc}", file=sys.stderr)
        else:
            broken = [a.name for a in tg.store.accounts() if a.broken]
            assert not broken, broken
            counts["lists"] += 1
    print(json.dumps({"pid": pid, "counts": counts, "holders": holders, "states": states}))


def main() -> None:
    mode, root, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    if mode == "hold":
        asyncio.run(hold(root, seed))
    else:
        asyncio.run(loop(root, seed, sys.argv[4], float(sys.argv[5])))


if __name__ == "__main__":
    main()
