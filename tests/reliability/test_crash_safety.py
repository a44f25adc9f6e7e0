"""SIGKILL at random instants during store operations never loses or tears an account.

A child process runs a deterministic sequence of create / update / secret write / remove /
restore operations; the parent kills it with SIGKILL after a random delay (fixed seed),
then loads the store and checks every account is exactly in the state before or after the
operation that was in flight. Figures are printed for docs/RELIABILITY.md.

Every violation is replayable: the test keeps a copy of the config folder as it was before
each child run, and on a violation writes a bundle (that copy, the operations, the index of
the one in flight, the kill delay and the expected states) and prints the command that
replays it: `python tests/reliability/test_crash_safety.py replay BUNDLE_DIR`. The replay
runs exactly the completed operations on a copy of the saved folder, then kills a second
run after the same delay.
"""

from __future__ import annotations

import json
import os
import random
import shutil
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


def _run_child(
    root: Path, numbered: list, *, delay: float | None, stop_after: int | None
) -> tuple[int, bool]:
    """Run the child on `root`; kill it after `delay` s (None: let it finish).

    Returns the number of completed operations and whether the kill landed mid-run.
    """
    log = root.parent / "done.log"
    log.write_text("")
    argv = [sys.executable, str(CHILD), str(root), json.dumps(numbered)]
    if stop_after is not None:
        argv.append(str(stop_after))
    env = {**os.environ, "TGTUI_KEYRING": "off"}
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if delay is not None:
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    _, err = child.communicate()
    assert child.returncode in (-signal.SIGKILL, 0), err.decode()
    return len(log.read_text().split()), child.returncode == -signal.SIGKILL


def _diff(seen: Model, before: Model, after: Model) -> str:
    """What the store shows that neither expected state explains, in plain words."""
    lines = []
    for label, want in (("before", before), ("after", after)):
        for key in ("live", "trash"):
            got, exp = seen[key], want[key]
            for name in sorted(set(got) | set(exp)):  # type: ignore[arg-type]
                g, e = got.get(name), exp.get(name)  # type: ignore[union-attr]
                if key == "trash":
                    g, e = sorted(g or []), sorted(e or [])
                if g != e:
                    lines.append(f"  vs {label}: {key}[{name}] is {g}, expected {e}")
    return "\n".join(lines)


def _save_bundle(
    base: Path, start: Path, numbered: list, k: int, delay: float, before: Model, after: Model
) -> Path:
    bundle = base / f"violation-{len(list(base.glob('violation-*')))}"
    shutil.copytree(start, bundle / "start")
    spec = {"ops": numbered, "in_flight": k, "delay": delay, "before": before, "after": after}
    (bundle / "replay.json").write_text(json.dumps(spec, indent=1))
    return bundle


def replay(bundle: Path) -> str:
    """Re-run a saved violation; returns what the store shows against what was expected."""
    spec = json.loads((Path(bundle) / "replay.json").read_text())
    before = _as_model(spec["before"])
    after = _as_model(spec["after"])
    out = []
    for mode in ("exact", "killed"):
        work = Path(bundle) / f"replay-{mode}"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(Path(bundle) / "start", work / "cfg")
        if mode == "exact":  # the completed operations, deterministically, then stop
            _run_child(work / "cfg", spec["ops"], delay=None, stop_after=spec["in_flight"])
        else:  # the same run killed after the same delay
            _run_child(work / "cfg", spec["ops"], delay=spec["delay"], stop_after=None)
        seen, problems = _observe(work / "cfg")
        ok = not problems and (_same(seen, before) or _same(seen, after))
        out.append(f"{mode}: {'as expected' if ok else 'VIOLATION'} {problems}")
        if not ok:
            out.append(_diff(seen, before, after))
    return "\n".join(out)


def _as_model(raw: dict) -> Model:
    return {
        "live": {k: tuple(v) for k, v in raw["live"].items()},
        "trash": {k: [tuple(x) for x in v] for k, v in raw["trash"].items()},
    }


def test_sigkill_during_store_operations(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("TGTUI_CRASH_SEED", "20261122")))
    root = tmp_path / "cfg"
    start = tmp_path / "start"
    from tgtui.config import prepare

    prepare(root)
    model: Model = {"live": {}, "trash": {}}
    kills = violations = ops_done = 0
    problems_seen: list[str] = []
    while kills < KILLS:
        ops = _plan(model, rng, 40)
        numbered = list(enumerate(ops))
        shutil.rmtree(start, ignore_errors=True)
        shutil.copytree(root, start)
        delay = rng.uniform(0.05, 0.35)
        k, killed = _run_child(root, numbered, delay=delay, stop_after=None)
        kills += killed
        ops_done += k
        before = model
        for op in ops[:k]:
            before = _apply(before, op)
        after = _apply(before, ops[k]) if k < len(ops) else before
        seen, problems = _observe(root)
        AccountStore(root).tidy()
        if problems or not (_same(seen, before) or _same(seen, after)):
            violations += 1
            bundle = _save_bundle(tmp_path, start, numbered, k, delay, before, after)
            problems_seen.append(
                f"kill {kills}: op {k} in flight ({ops[k] if k < len(ops) else 'none'}), "
                f"killed after {delay:.3f} s; problems {problems}\n{_diff(seen, before, after)}\n"
                f"  ops: {json.dumps(ops)}\n"
                f"  replay: python tests/reliability/test_crash_safety.py replay {bundle}"
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


if __name__ == "__main__" and sys.argv[1:2] == ["replay"]:
    print(replay(Path(sys.argv[2])))


def test_a_saved_violation_replays(tmp_path: Path) -> None:
    """The replay helper re-runs a bundle and tells an expected outcome from a violation."""
    from tgtui.config import prepare

    start = prepare(tmp_path / "start")
    ops = [["create", "alpha", "L1"], ["remove", "alpha", ""], ["create", "alpha", "L2"]]
    model: Model = {"live": {}, "trash": {}}
    for op in ops:
        model = _apply(model, op)
    good = _save_bundle(tmp_path, start, list(enumerate(ops)), 3, 5.0, model, model)
    assert replay(good).splitlines()[0] == "exact: as expected []"
    wrong = _apply(model, ["label", "alpha", "L3"])
    bad = _save_bundle(tmp_path, start, list(enumerate(ops)), 3, 5.0, wrong, wrong)
    report = replay(bad)
    assert report.startswith("exact: VIOLATION")
    assert "live[alpha] is ('L2', " in report and "expected ('L3', " in report
