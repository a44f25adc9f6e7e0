"""Shared helpers for the reliability tests (no tests here).

A small simulated world (one registered app, users with and without 2FA), a scan of a
config folder for anything a finished or cancelled login must not leave behind, the
"specific pitfall" check, and `figures()` which prints a test's numbers (run pytest with
`-s` to see them) and, when $TGTUI_RELIABILITY_FIGURES names a file, appends them there
as one JSON line for docs/RELIABILITY.md.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from tgtui.accounts import AccountStore
from tgtui.accounts.secrets import SecretStore
from tgtui.config import Settings, prepare
from tgtui.failure import Failure
from tgtui.telegram.context import Telegram
from tgtui.telegram.sim import FakeClock, SimServer

API_ID = 611335
API_HASH = "d524b414d21f4d37f08684c1df41ac9c"
PHONE = "+15555550101"  # no 2FA
PHONE_2FA = "+15555550202"
PASSWORD = "tr0ub4dor&3-staple"
START = 1_795_000_000.0


def make_world(
    root: Path,
    *,
    seed: int = 1,
    latency: float = 0.0,
    secrets: SecretStore | None = None,
    check_timeout: float = 5.0,
) -> tuple[Telegram, SimServer, FakeClock]:
    """A prepared config folder and a simulated Telegram that knows our app and two users."""
    clock = FakeClock(START)
    sim = SimServer(clock=clock, seed=seed, latency=latency)
    sim.add_app(API_ID, API_HASH)
    sim.add_user(PHONE, "Ann", "Lee", "ann_lee")
    sim.add_user(PHONE_2FA, "Sam", "Secure", "sam_2fa", password=PASSWORD, hint="usual")
    prepare(root)
    store = AccountStore(root, secrets or SecretStore(mode="off"))
    settings = Settings(check_timeout=check_timeout)
    return Telegram(store, sim=sim, settings=settings, clock=clock), sim, clock


def tree(root: Path) -> list[str]:
    """Every path under `root`, relative, sorted; folders end in '/'."""
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        out.append(rel + "/" if path.is_dir() else rel)
    return out


_ALLOWED = [
    r"accounts/",
    r"trash/",
    r"pending/",
    r"pending/ledger/",
    r"pending/ledger/[0-9a-f]{16}\.toml",
    r"config\.toml",
    r"cache/",
    r"cache/statuses\.jsonl",  # checks that kept the state (tgtui.accounts.status_journal)
]
_ACCOUNT_FILES = (
    "account.toml",
    "session.session",
    "secrets.toml",
    "session.lock",
    "history.jsonl",  # the account's history (tgtui.accounts.history)
    "latency.jsonl",
)


def leftovers(root: Path, accounts: set[str]) -> list[str]:
    """Paths under `root` that neither a whole account in `accounts` nor tgtui's own
    bookkeeping explains: pending login folders, staging folders, temp files, journals,
    account folders that should not exist."""
    allowed = [re.compile(p + r"\Z") for p in _ALLOWED]
    for name in accounts:
        allowed.append(re.compile(rf"accounts/{re.escape(name)}/\Z"))
        for file in _ACCOUNT_FILES:
            allowed.append(re.compile(rf"accounts/{re.escape(name)}/{re.escape(file)}\Z"))
    bad = [p for p in tree(root) if not any(rx.match(p) for rx in allowed)]
    for name in accounts:
        for needed in ("account.toml", "session.session"):
            if not (root / "accounts" / name / needed).is_file():
                bad.append(f"MISSING accounts/{name}/{needed}")
    return bad


def specific_pitfall(fail: Failure, stage: str | None = None) -> str:
    """The id of the best pitfall for `fail`; asserts it names the failure itself."""
    from tgtui.troubleshoot import match, normalise_name

    found = match(fail, stage or fail.stage)
    assert found, f"no pitfall for {fail!r}"
    best = found[0]
    names = {normalise_name(n) for n in best.names} | {n.lower() for n in best.names}
    wanted = {normalise_name(fail.name), fail.name.lower()}
    if fail.exc_type:
        wanted |= {normalise_name(fail.exc_type), fail.exc_type.lower()}
    assert names & wanted, f"best pitfall {best.id!r} for {fail!r} does not name it"
    return best.id


def figures(test: str, **values: Any) -> None:
    """Print a test's figures and append them to $TGTUI_RELIABILITY_FIGURES if set."""
    line = json.dumps({"test": test, **values}, sort_keys=True, default=str)
    print(f"\nFIGURES {line}")
    target = os.environ.get("TGTUI_RELIABILITY_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
