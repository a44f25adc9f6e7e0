"""History size: bytes on disk per account after a month of one-minute checks.

Each check result goes through the real `HistoryLog.observe` (the call
`AccountStore.update` makes when a check's status is saved), with the check's own time,
one check a minute for 30 days (43,200 checks per account). An account's files depend only
on its own sequence of results, so the 1,000 accounts are five behaviour profiles (the mix
below); each profile is run once for the whole month and its bytes are counted once per
account that has it. fsync is off: it changes durability, not bytes. `--quick` runs two
days and scales the bytes to 30 days.

Bytes are `history.jsonl` plus `latency.jsonl` (the open hour's samples), as `ls -l` shows.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.report import Row

MINUTE = 60
DAY = 86400
START = 1_798_761_600  # 2027-01-01 00:00 UTC

Profile = Callable[[int, random.Random], tuple[str, float | None, int]]


def _steady(t: int, rng: random.Random) -> tuple[str, float | None, int]:
    return "ok", rng.uniform(40, 120), 0


def _nightly_offline(t: int, rng: random.Random) -> tuple[str, float | None, int]:
    if 2 * 3600 <= t % DAY < 2 * 3600 + 20 * MINUTE:
        return "offline", None, 0
    return _steady(t, rng)


def _flood_prone(t: int, rng: random.Random) -> tuple[str, float | None, int]:
    if t % (2 * DAY) < 15 * MINUTE:  # a 15-minute flood wait every other day
        return "flood_wait", None, (2 * DAY) * (t // (2 * DAY)) + 15 * MINUTE
    return _steady(t, rng)


def _banned_mid_month(t: int, rng: random.Random) -> tuple[str, float | None, int]:
    return ("banned", None, 0) if t >= 15 * DAY else _steady(t, rng)


def _flapping_proxy(t: int, rng: random.Random) -> tuple[str, float | None, int]:
    if rng.random() < 0.015:  # about 20 offline spells a day
        return "offline", None, 0
    return _steady(t, rng)


#: (name, accounts out of 1,000, profile)
MIX: tuple[tuple[str, int, Profile], ...] = (
    ("steady", 600, _steady),
    ("nightly offline", 150, _nightly_offline),
    ("flood wait every 2 d", 150, _flood_prone),
    ("banned mid-month", 50, _banned_mid_month),
    ("flapping proxy", 50, _flapping_proxy),
)


def _simulate(folder: Path, profile: Profile, days: int) -> int:
    from tgtui.accounts import history
    from tgtui.accounts.model import State, Status

    history._fsync = False
    log = history.HistoryLog(folder)
    rng = random.Random(1)
    previous = Status()
    for minute in range(days * DAY // MINUTE):
        t = minute * MINUTE
        state, latency, flood_end = profile(t, rng)
        at = datetime.fromtimestamp(START + t, timezone.utc)
        until = datetime.fromtimestamp(START + flood_end, timezone.utc) if flood_end else None
        status = Status(state=State(state), checked_at=at, latency_ms=latency, flood_until=until)
        log.observe(previous, status)
        previous = status
    return sum(p.stat().st_size for p in (log.path, log.samples_path) if p.exists())


def run(work: Path, quick: bool = False) -> list[Row]:
    """One row: bytes per account per month, 1,000 accounts in the mix above."""
    days = 2 if quick else 30
    per_profile: dict[str, float] = {}
    for name, _, profile in MIX:
        folder = Path(tempfile.mkdtemp(dir=work, prefix="history-"))
        per_profile[name] = _simulate(folder, profile, days) * 30 / days
    accounts = sum(n for _, n, _ in MIX)
    total = sum(per_profile[name] * n for name, n, _ in MIX)
    worst = max(per_profile.values())
    notes = [f"{name}: {per_profile[name] / 1024:.1f} KiB" for name, _, _ in MIX]
    notes.append(f"all {accounts:,} accounts: {total / 2**20:.1f} MiB")
    if quick:
        notes.append(f"{days} days scaled to 30")
    return [
        Row(
            id="history/bytes-per-account-month",
            figure=f"history bytes per account, 30 days of 1-minute checks ({accounts:,} accounts)",
            value=round(total / accounts),
            unit="B",
            target=f"worst profile {worst / 1024:.0f} KiB <= 64 KiB (compaction limit)",
            met=worst <= 64 * 1024,
            notes=notes,
        )
    ]
