"""Several tgtui processes on one config folder: no corruption, no session opened twice.

1. One process holds account "a" (through `session_client`); `tgtui status a --json` in
   another process reports LOCKED naming the holder's pid, and so do `open_client` and
   an in-process check. The holder is then SIGKILLed: the stale lock is detected as free,
   and the next check is OK (in a fresh process too, where it is at least not LOCKED).
2. Three processes run random mixes of session use, health checks (which save status),
   label rewrites and listings on two shared accounts. Every session use is logged with
   CLOCK_MONOTONIC (shared by all processes); no two uses of one account overlap, every
   LOCKED names a pid of another worker, and every file still parses afterwards.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reliability.support import API_HASH, API_ID, PHONE, PHONE_2FA, figures, make_world
from tgtui.accounts import Account, AccountInUse, State
from tgtui.accounts.lock import read_holder
from tgtui.api import open_client
from tgtui.telegram.health import check

CHILD = Path(__file__).with_name("concurrency_child.py")
TESTS = Path(__file__).parent.parent
SEED = 5
WORKERS = 3
SECONDS = 2.0

# Runs the real CLI with every non-loopback connect refused, so a check that is not
# stopped by the lock can never reach the internet.
GUARDED_CLI = """
import socket, sys
_connect = socket.socket.connect
def _guard(self, address, *a):
    if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
        raise ConnectionRefusedError(111, "blocked by the test")
    return _connect(self, address, *a)
socket.socket.connect = _guard
socket.socket.connect_ex = lambda self, address: _guard(self, address) or 0
from tgtui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def child_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TGTUI_CONFIG_DIR=str(root),
        TGTUI_KEYRING="off",
        PYTHONPATH=os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")]),
    )
    return env


def seed_accounts(root: Path):  # noqa: ANN201 - (tg, sim, clock)
    """Accounts "a" and "b" with sessions whose keys every process's simulator knows."""
    tg, sim, clock = make_world(root, seed=SEED)
    (root.parent / "staging").mkdir()
    for name, phone in (("a", PHONE), ("b", PHONE_2FA)):
        staging = root.parent / "staging" / f"{name}.session"
        sim.authorize_session(staging, phone, API_ID)
        tg.store.create(Account(name=name, api_id=API_ID, phone=phone), API_HASH, staging)
    clock.now = time.time()
    return tg, sim, clock


def status_json(root: Path, *names: str) -> dict[str, dict]:
    """`tgtui status NAME... --json` in a fresh process: each account's JSON, by name."""
    out = subprocess.run(
        [sys.executable, "-c", GUARDED_CLI, "status", *names, "--json"],
        env=child_env(root),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode in (0, 1), out.stderr
    assert "Traceback" not in out.stderr
    return {a["name"]: a for a in json.loads(out.stdout)["accounts"]}


async def test_second_process_sees_locked_and_a_killed_holder_frees_it(tmp_path: Path) -> None:
    """LOCKED with the holder's pid while held; after SIGKILL, the next check is OK."""
    root = tmp_path / "cfg"
    tg, _, _ = seed_accounts(root)
    holder = subprocess.Popen(
        [sys.executable, str(CHILD), "hold", str(root), str(SEED)],
        env=child_env(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = holder.stdout.readline()
        assert line.startswith("HOLDING"), holder.stderr.read()
        pid = holder.pid
        both = status_json(root, "a", "b")
        seen = both["a"]
        assert seen["state"] == "locked" and f"pid {pid}" in seen["reason"], seen
        assert both["b"]["state"] != "locked"  # only the held account is locked
        health = await check(tg, tg.store.get("a"))
        assert health.state is State.LOCKED and f"pid {pid}" in health.reason
        with pytest.raises(AccountInUse) as info:
            async with open_client("a", telegram=tg):
                pass
        assert info.value.holder is not None and info.value.holder.pid == pid
        assert read_holder(root / "accounts" / "a").pid == pid
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        holder.stdout.close()
        holder.stderr.close()
    lock_file = root / "accounts" / "a" / "session.lock"
    assert lock_file.read_text().startswith(f"{pid} ")  # stale record of the dead holder
    assert read_holder(root / "accounts" / "a") is None
    after = await check(tg, tg.store.get("a"))
    assert after.state is State.OK, after
    fresh = status_json(root, "a")["a"]
    assert fresh["state"] != "locked", fresh
    async with open_client("a", telegram=tg) as client:
        assert (await client.get_me()).phone == PHONE.lstrip("+")
    figures(
        "concurrency.stale_lock",
        holder_pid=pid,
        status_while_held=seen["state"],
        check_after_kill=after.state.value,
        status_after_kill=fresh["state"],
    )


def test_processes_sharing_a_config_never_use_one_session_at_once(tmp_path: Path) -> None:
    """Three workers hammer two accounts: exclusive use, LOCKED names a worker, no damage."""
    root = tmp_path / "cfg"
    seed_accounts(root)
    shared = tmp_path / "uses.log"
    workers = [
        subprocess.Popen(
            [sys.executable, str(CHILD), "loop", str(root), str(SEED), str(shared), str(SECONDS)],
            env=child_env(root),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    results = []
    for w in workers:
        out, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    pids = {w.pid for w in workers}

    intervals: dict[str, list[tuple[int, int, int]]] = {}
    open_: dict[tuple[str, int], int] = {}
    for line in shared.read_text().splitlines():
        kind, name, pid, at = line.split()
        if kind == "enter":
            open_[(name, int(pid))] = int(at)
        else:
            intervals.setdefault(name, []).append((open_.pop((name, int(pid))), int(at), int(pid)))
    assert not open_
    overlaps = 0
    for spans in intervals.values():
        spans.sort()
        for (_, end, pid), (start, _, other) in zip(spans, spans[1:], strict=False):
            if start < end:
                overlaps += 1
                print(f"overlap: {pid} until {end}, {other} from {start}")
    assert overlaps == 0

    totals: dict[str, int] = {}
    states: dict[str, int] = {}
    for r in results:
        for k, v in r["counts"].items():
            totals[k] = totals.get(k, 0) + v
        for k, v in r["states"].items():
            states[k] = states.get(k, 0) + v
        for holder in r["holders"]:
            assert holder in pids and holder != r["pid"], (holder, r["pid"], pids)
    assert totals["held"] > 0 and totals["in_use"] + totals["locked"] > 0, totals
    assert set(states) <= {"ok", "locked"}, states
    tg, _, _ = make_world(root, seed=SEED)
    accounts = tg.store.accounts()
    assert [a.name for a in accounts] == ["a", "b"]
    assert all(not a.broken for a in accounts)
    assert all(tg.store.api_hash(a) == API_HASH for a in accounts)
    stray = [p.name for p in root.rglob("*.tmp")] + [p.name for p in root.rglob(".new-*")]
    assert stray == []
    figures(
        "concurrency.shared_config",
        workers=WORKERS,
        seconds=SECONDS,
        session_uses=totals["held"],
        refused_in_use=totals["in_use"],
        checks=totals["checks"],
        checks_locked=totals["locked"],
        label_writes=totals["writes"],
        listings=totals["lists"],
        overlaps=overlaps,
        locked_without_holder_pid=totals["holder_unknown"],
        check_states=states,
    )


def test_locked_names_the_holder_even_just_after_it_took_the_lock(tmp_path: Path) -> None:
    """A holder that writes its pid 5 ms after taking the lock is still named."""
    import fcntl
    import threading

    from tgtui.accounts import AccountLock
    from tgtui.accounts.lock import LOCK_NAME

    folder = tmp_path / "acct"
    folder.mkdir()
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what AccountLock.acquire does first ...
        record = threading.Timer(
            0.005, os.pwrite, (fd, f"{os.getpid()} tgtui status\n".encode(), 0)
        )
        record.start()  # ... and then it writes "pid command"
        with pytest.raises(AccountInUse) as info:
            AccountLock(folder).acquire()
        record.join()
        assert info.value.holder is not None and info.value.holder.pid == os.getpid()
    finally:
        os.close(fd)
