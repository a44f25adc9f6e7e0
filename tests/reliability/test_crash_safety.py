"""SIGKILL at random instants during store operations never loses or tears an account.

A child process runs a deterministic sequence of create / update / secret write / remove /
restore operations; the parent kills it with SIGKILL after a random delay (fixed seed),
then loads the store and checks every account is exactly in the state before or after the
operation that was in flight. Figures are printed for docs/RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tgtui.accounts import AccountStore
from tgtui.accounts.secrets import SecretStore

KILLS = int(os.environ.get("TGTUI_CRASH_KILLS", "200"))
NAMES = ["alpha", "beta", "gamma", "delta"]
CHILD = Path(__file__).with_name("crash_child.py")

Model = dict[str, object]  # {"live": {name: (label, hash)}, "trash": {name: [(label, hash), ...]}}


def _copy(model: Model) -> Model:
    return {"live": dict(model["live"]), "trash": {k: list(v) for k, v in model["trash"].items()}}  # type: ignore[union-attr]


def _apply(model: Model, op: list) -> Model:
    out = _copy(model)
    live, trash = out["live"], out["trash"]
    kind, name, value = op
    if kind == "create":
        live[name] = (value, "ab" * 16)  # type: ignore[index]
    elif kind == "label":
        live[name] = (value, live[name][1])  # type: ignore[index]
    elif kind == "hash":
        live[name] = (live[name][0], value)  # type: ignore[index]
    elif kind == "remove":
        trash.setdefault(name, []).append(live.pop(name))  # type: ignore[union-attr]
    elif kind == "restore":
        live[name] = trash[name].pop()  # type: ignore[index]
        if not trash[name]:  # type: ignore[index]
            del trash[name]  # type: ignore[attr-defined]
    return out


def _plan(model: Model, rng: random.Random, count: int) -> list[list]:
    ops, state = [], model
    for _ in range(count):
        live, trash = state["live"], state["trash"]
        choices = []
        free = [n for n in NAMES if n not in live]  # type: ignore[operator]
        if free:
            choices.append(["create", rng.choice(free), f"L{rng.randrange(10**6)}"])
        if live:
            name = rng.choice(sorted(live))  # type: ignore[arg-type]
            choices.append(["label", name, f"L{rng.randrange(10**6)}"])
            choices.append(["hash", name, f"{rng.getrandbits(128):032x}"])
            choices.append(["remove", name, ""])
        restorable = [n for n in trash if n not in live]  # type: ignore[union-attr,operator]
        if restorable:
            choices.append(["restore", rng.choice(sorted(restorable)), ""])
        op = rng.choice(choices)
        ops.append(op)
        state = _apply(state, op)
    return ops


def _observe(root: Path) -> tuple[Model, list[str]]:
    store = AccountStore(root, SecretStore(mode="off"))
    problems = []
    live = {}
    for account in store.accounts():
        if account.broken:
            problems.append(f"torn/broken: {account.broken}")
            continue
        secret = store.api_hash(account)
        if secret is None:
            problems.append(f"secret lost for {account.name}")
        live[account.name] = (account.label, secret)
    trash: dict[str, list] = {}
    for entry in sorted(store.trash(), key=lambda e: e.id):
        acc = AccountStore(entry.folder.parent.parent, SecretStore(mode="off"))
        del acc
        from tgtui.accounts.codec import from_toml
        from tgtui.accounts.tomlio import read_toml

        try:
            a = from_toml(
                entry.folder / "account.toml", read_toml(entry.folder / "account.toml"), entry.name
            )
            secret = store.secrets.get(a.uid, entry.folder)  # type: ignore[union-attr]
            trash.setdefault(entry.name, []).append((a.label, secret))
        except Exception as exc:  # noqa: BLE001 - any failure is a violation here
            problems.append(f"trash entry unreadable: {exc}")
    return {"live": live, "trash": trash}, problems


def _same(a: Model, b: Model) -> bool:
    return a["live"] == b["live"] and {k: sorted(v) for k, v in a["trash"].items()} == {  # type: ignore[union-attr]
        k: sorted(v)
        for k, v in b["trash"].items()  # type: ignore[union-attr]
    }


def test_sigkill_during_store_operations(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    root = tmp_path / "cfg"
    from tgtui.config import prepare

    prepare(root)
    model: Model = {"live": {}, "trash": {}}
    kills = violations = ops_done = 0
    env = {**os.environ, "TGTUI_KEYRING": "off"}
    log = tmp_path / "done.log"
    problems_seen: list[str] = []
    while kills < KILLS:
        ops = _plan(model, rng, 40)
        numbered = list(enumerate(ops))
        log.write_text("")
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(root), json.dumps(numbered)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        time.sleep(rng.uniform(0.05, 0.35))
        child.send_signal(signal.SIGKILL)
        _, err = child.communicate()
        kills += 1 if child.returncode == -signal.SIGKILL else 0
        assert child.returncode in (-signal.SIGKILL, 0), err.decode()
        done = [int(x) for x in log.read_text().split()]
        k = len(done)
        ops_done += k
        before = model
        for op in ops[:k]:
            before = _apply(before, op)
        after = _apply(before, ops[k]) if k < len(ops) else before
        seen, problems = _observe(root)
        AccountStore(root).tidy()
        if problems or not (_same(seen, before) or _same(seen, after)):
            violations += 1
            problems_seen.append(
                f"kill {kills}: {problems} seen={seen} expected={before} or {after}"
            )
            model = seen  # carry on from what is there
        else:
            model = before if _same(seen, before) else after
    print(
        f"\ncrash-safety: {kills} SIGKILLs, {ops_done} completed operations, "
        f"{violations} violations"
    )
    assert violations == 0, "\n".join(problems_seen[:5])
    assert kills >= KILLS
