"""Config folders for the benchmarks, built once per run through tgtui's own store.

- `cached_store(root, n)`: n accounts with cached statuses and users, no session files
  (what the list shows from disk at startup; no network, no simulator).
- `sim_world(root, n)`: n accounts whose session files hold keys a `SimServer` knows
  (`SimServer.authorize_key`; each session file is a copy of one Telethon SQLite session
  with the key bytes swapped, which is ~100x faster than a SQLite write per account);
  the server is pickled next to the store so child processes load the same world.

Seeding writes without fsync (`no_fsync`): the disk's flush speed is not what the
benchmarks measure, and 10,000 accounts would otherwise take many minutes to seed.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tgtui.config import Settings
    from tgtui.telegram.context import Telegram

API_ID = 1234567
API_HASH = "0123456789abcdef0123456789abcdef"
SIM_FILE = "sim.pickle"
REPO = Path(__file__).resolve().parent.parent


def phone(i: int) -> str:
    """A fictional E.164 number for account i."""
    return f"+1555{i:07d}"


def name(i: int) -> str:
    """The account name for account i (sorts in creation order)."""
    return f"acct-{i:04d}"


def _store(root: Path) -> Any:
    from tgtui.accounts import AccountStore
    from tgtui.accounts.secrets import SecretStore
    from tgtui.config import prepare

    return AccountStore(prepare(Path(root)), SecretStore(mode="off"))


@contextlib.contextmanager
def no_fsync() -> Iterator[None]:
    """Seed without flushing to disk (this process only; the benchmarks run in children)."""
    real = os.fsync
    os.fsync = lambda fd: None  # type: ignore[assignment]
    try:
        yield
    finally:
        os.fsync = real


def cached_store(root: Path, n: int) -> Path:
    """Create n accounts with cached statuses (a mix of states) and no sessions, each
    checked once more in the same state (so the status journal holds a line for each)."""
    with no_fsync():
        return _cached_store(root, n)


def _cached_store(root: Path, n: int) -> Path:
    from tgtui.accounts import Account, State, Status, UserInfo

    store = _store(root)
    now = datetime.now(timezone.utc)
    states = [State.OK] * 7 + [State.REVOKED, State.OFFLINE, State.NEEDS_LOGIN]
    for i in range(n):
        state = states[i % len(states)]
        status = Status(
            state=state,
            reason="" if state is State.OK else state.value,
            checked_at=now - timedelta(minutes=i % 90),
            latency_ms=80.0 + i % 50 if state is State.OK else None,
            dc=2,
            two_fa=i % 3 == 0,
            other_sessions=i % 4,
        )
        user = UserInfo(id=100_000 + i, first_name=f"User{i}", last_name="Bench", username=f"u{i}")
        account = Account(
            name=name(i),
            label=f"Bench account {i}",
            api_id=API_ID,
            phone=phone(i),
            created=now - timedelta(days=1),
            status=status,
            user=user,
        )
        store.create(account, API_HASH)
    # As after a sweep in real use: every account checked again in the same state, which
    # the store keeps in its status journal (cache/statuses.jsonl), read by every start.
    later = now + timedelta(minutes=5)
    for account in store.accounts():
        again = replace(account.status, checked_at=later, latency_ms=90.0)
        store.save_status(account.name, again, account.user)
    return Path(root)


_MARKER = bytes(range(256))  # stands for the auth key in the template session


def _template_session(folder: Path, dc: int) -> bytes:
    """A Telethon SQLite session whose auth key is `_MARKER` (as bytes, to copy)."""
    from telethon.crypto import AuthKey
    from telethon.sessions import SQLiteSession

    from tgtui.telegram.sim.state import DC_ADDRESSES, DC_PORT

    path = folder / "template.session"
    session = SQLiteSession(str(path))
    try:
        session.set_dc(dc, DC_ADDRESSES[dc], DC_PORT)
        session.auth_key = AuthKey(_MARKER)
        session.save()
    finally:
        session.close()
    data = path.read_bytes()
    path.unlink()
    if data.count(_MARKER) != 1:
        raise RuntimeError("the template session does not hold its key exactly once")
    return data


def sim_world(root: Path, n: int) -> Path:
    """Create n logged-in accounts on a simulated Telegram; pickle the server in root."""
    with no_fsync():
        return _sim_world(root, n)


def _sim_world(root: Path, n: int) -> Path:
    from tgtui.accounts import Account
    from tgtui.telegram.sim import SimServer

    store = _store(root)
    sim = SimServer(seed=11)
    sim.add_app(API_ID, API_HASH)
    staging = Path(root) / "staging"
    staging.mkdir(exist_ok=True)
    template = _template_session(staging, 2)
    now = datetime.now(timezone.utc)
    for i in range(n):
        sim.add_user(phone(i), f"User{i}", "Bench", f"u{i}", dc=2)
        key = sim.authorize_key(phone(i), API_ID)
        session = staging / f"{i}.session"
        session.write_bytes(template.replace(_MARKER, key.key))
        account = Account(
            name=name(i), api_id=API_ID, phone=phone(i), created=now - timedelta(days=1)
        )
        store.create(account, API_HASH, session_file=session)
    sim.log.clear()
    with open(Path(root) / SIM_FILE, "wb") as fh:
        pickle.dump(sim, fh)
    return Path(root)


def load_world(root: Path, *, latency: float, settings: Settings | None = None) -> Telegram:
    """A Telegram context on the world in root (its SimServer unpickled, latency set)."""
    from tgtui.telegram.context import Telegram

    with open(Path(root) / SIM_FILE, "rb") as fh:
        sim = pickle.load(fh)  # our own file, written by sim_world in this run
    sim.latency = latency
    return Telegram(_store(root), sim=sim, settings=settings)


def env_for(root: Path, log_dir: Path) -> dict[str, str]:
    """The environment of a benchmark child: its config dir, no keyring, no animations.

    Bytecode: an installed tgtui, like the Textual it is compared with, has its `.pyc`
    files (pip compiles them on install). A shell with PYTHONDONTWRITEBYTECODE=1 would
    make every child compile all of tgtui's sources (~90 ms per start on this VM) while
    Textual's come compiled, so children keep bytecode in the run's work folder
    (PYTHONPYCACHEPREFIX): written by the first (discarded) run, used by the rest, for
    both apps alike, and never inside the repository.
    """
    env = dict(os.environ)
    env.update(
        TGTUI_CONFIG_DIR=str(root),
        TGTUI_LOG_DIR=str(log_dir),
        TGTUI_KEYRING="off",
        TEXTUAL_ANIMATIONS="none",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
        PYTHONPYCACHEPREFIX=str(Path(log_dir).parent / "pycache"),
    )
    env.pop("TEXTUAL", None)  # no devtools
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


WARM_IMPORTS = (
    "telethon",
    "textual.app",
    "textual.widgets",
    "textual.command",
    "tgtui.cli",
    "tgtui.ui.app",
    "tgtui.ui.screens.details",
    "tgtui.telegram.monitor_thread",
    "tgtui.telegram.sim",
    "benchmarks.memory",
    "benchmarks.responsive",
    "benchmarks.startup",
    "benchmarks.sweep",
)


def warm_bytecode(work: Path) -> None:
    """Compile what the children import into the run's bytecode folder (see `env_for`)
    once, before any of them is measured: compiling Telethon's sources takes seconds
    and ~100 MB, which the first child would otherwise count as its own."""
    env = env_for(Path(work) / "warm", Path(work) / "log-warm")
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in WARM_IMPORTS)
    subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, check=True, timeout=600)


def run_child(module: str, args: list[str], env: dict[str, str], timeout: float = 600) -> dict:
    """Run `python -m benchmarks.<module> args` and return the JSON on its last stdout line."""
    started = time.monotonic()
    env = {**env, "BENCH_T0": repr(started)}
    proc = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    wall = time.monotonic() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"benchmarks.{module} {' '.join(args)} failed ({proc.returncode}):\n"
            f"{proc.stderr[-3000:]}"
        )
    result = json.loads(lines[-1])
    result["process_wall"] = wall
    return result
