"""The per-account history: what is recorded, how it survives crashes, compaction, bad files."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sigkill_support import kill_after

from tgtui.accounts import Account, AccountStore, State, Status
from tgtui.accounts.history import HISTORY_FILE, HistoryLog
from tgtui.accounts.secrets import SecretStore

# Checks happen after the account was created (its "login" event is stamped with the real
# clock), on an hour boundary so the hourly latency buckets are easy to count.
T0 = (datetime.now(timezone.utc) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
HASH = "ab" * 16


@pytest.fixture
def store(config_root: Path) -> AccountStore:
    return AccountStore(config_root, SecretStore(mode="off"))


def _new(store: AccountStore, name: str = "work") -> Account:
    return store.create(Account(name=name, api_id=12345, phone="+15551234567"), HASH)


def _check(
    store: AccountStore, state: State, at: datetime, latency: float | None = None, **kw
) -> None:
    store.save_status("work", Status(state=state, checked_at=at, latency_ms=latency, **kw))


def test_checks_record_changes_floods_and_hourly_latency(store: AccountStore) -> None:
    _new(store)
    for minute in range(130):  # two hours and ten minutes of OK checks, one a minute
        _check(store, State.OK, T0 + timedelta(minutes=minute), latency=40.0 + minute % 7)
    until = T0 + timedelta(minutes=131, seconds=300)
    _check(store, State.FLOOD_WAIT, T0 + timedelta(minutes=131), flood_until=until)
    _check(store, State.FLOOD_WAIT, T0 + timedelta(minutes=132), flood_until=until)  # same wait
    _check(store, State.OK, T0 + timedelta(minutes=140), latency=41.0)

    history = store.history("work").read()
    kinds = [(e.kind, e.state) for e in history.events]
    assert kinds == [
        ("login", None),
        ("state", State.OK),
        ("state", State.FLOOD_WAIT),
        ("flood", None),
        ("state", State.OK),
    ]
    assert history.events[3].seconds == 300
    assert history.events[2].was is State.OK
    # Two closed hours as lines, the open hour from this hour's samples.
    assert [(b.start - int(T0.timestamp())) // 3600 for b in history.latency] == [0, 1, 2]
    first = history.latency[0]
    assert (first.count, first.low, first.high, first.median) == (60, 40.0, 46.0, 43.0)
    path = store.folder("work") / HISTORY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # 130 checks, yet only a handful of lines: latency is kept per hour.
    assert len(path.read_text().splitlines()) == 7


def test_lifecycle_events_follow_the_account_to_the_trash_and_back(store: AccountStore) -> None:
    _new(store)
    store.record("work", "logout")
    store.remove("work")
    store.restore("work")
    kinds = [e.kind for e in store.history("work").read().events]
    assert kinds == ["login", "logout", "remove", "restore"]


def test_import_starts_with_an_import_event(store: AccountStore) -> None:
    store.create(Account(name="bot", api_id=1, phone=""), HASH, event="import")
    assert [e.kind for e in store.history("bot").read().events] == ["import"]


def test_an_unchanged_status_adds_nothing(store: AccountStore) -> None:
    _new(store)
    _check(store, State.BANNED, T0, error="USER_DEACTIVATED_BAN")
    size = (store.folder("work") / HISTORY_FILE).stat().st_size
    for minute in range(1, 30):
        _check(store, State.BANNED, T0 + timedelta(minutes=minute), error="USER_DEACTIVATED_BAN")
    account = store.get("work")
    store.update(account.__class__(**{**account.__dict__, "label": "renamed"}))
    assert (store.folder("work") / HISTORY_FILE).stat().st_size == size
    last = store.history("work").read().last_change()
    assert last is not None and last.state is State.BANNED and last.error == "USER_DEACTIVATED_BAN"


def test_torn_last_line_is_skipped_and_the_next_event_starts_fresh(store: AccountStore) -> None:
    _new(store)
    path = store.folder("work") / HISTORY_FILE
    with open(path, "ab") as f:
        f.write(b'{"t":17000,"k":"sta')  # a crash in the middle of a write
    _check(store, State.OFFLINE, T0)
    history = store.history("work").read()
    assert history.skipped == 1
    assert [e.kind for e in history.events] == ["login", "state"]
    assert history.events[-1].state is State.OFFLINE


@pytest.mark.parametrize("content", [b'\x00\xff garbage\n[1,2]\n"x"\n', None])
def test_a_broken_history_never_breaks_the_account(
    store: AccountStore, content: bytes | None
) -> None:
    _new(store)
    path = store.folder("work") / HISTORY_FILE
    path.unlink()
    if content is None:
        path.mkdir()  # not even a file
    else:
        path.write_bytes(content)
    _check(store, State.OK, T0, latency=30.0)
    assert store.get("work").status.state is State.OK  # the status itself was saved
    history = store.history("work").read()
    if content is None:
        assert history.error and not history.events
    else:
        assert history.skipped == 3 and [e.state for e in history.events] == [State.OK]


def test_compaction_keeps_the_counts_and_bounds_the_file(tmp_path: Path) -> None:
    log = HistoryLog(tmp_path, max_bytes=8 * 1024)
    start = int(T0.timestamp())
    states = [State.OK, State.OFFLINE, State.OK, State.FLOOD_WAIT]
    previous = Status()
    floods = offline = 0
    for i in range(2000):  # a flapping account: far more than the limit holds
        state = states[i % 4]
        at = datetime.fromtimestamp(start + i * 600, timezone.utc)
        until = at + timedelta(seconds=120) if state is State.FLOOD_WAIT else None
        status = Status(state=state, checked_at=at, flood_until=until, latency_ms=50.0)
        log.observe(previous, status)
        previous = status
        floods += state is State.FLOOD_WAIT
        offline += state is State.OFFLINE
    assert log.path.stat().st_size <= 8 * 1024
    history = log.read()
    assert history.folded is not None  # old events were folded, not lost
    counts = history.counts()
    assert (counts.flood_waits, counts.offline_spells, counts.changes) == (floods, offline, 2000)
    assert counts.flood_seconds == floods * 120
    # Newer events are kept one by one: counts over any period they cover are exact.
    since = history.events[len(history.events) // 2].at
    recent = history.counts(since=since)
    assert recent.offline_spells == sum(
        1 for i in range(2000) if states[i % 4] is State.OFFLINE and start + i * 600 >= since
    )
    # The state before the oldest kept event is known from the folded line.
    assert history.state_at(history.folded.until) is history.folded.state is not None


def test_old_hourly_latency_becomes_daily_on_compaction(tmp_path: Path) -> None:
    log = HistoryLog(tmp_path, max_bytes=1 << 30)
    start = int(T0.timestamp())
    previous = Status()
    for minute in range(0, 20 * 24 * 60, 10):  # 20 days, a check every 10 minutes
        at = datetime.fromtimestamp(start + minute * 60, timezone.utc)
        status = Status(state=State.OK, checked_at=at, latency_ms=float(40 + minute % 50))
        log.observe(previous, status)
        previous = status
    before = log.read()
    assert len(before.latency) == 20 * 24
    log.max_bytes = 64 * 1024
    log.compact(now=start + 20 * 86400)
    after = log.read()
    daily = [b for b in after.latency if b.span == 86400]
    hourly = [b for b in after.latency if b.span == 3600]
    assert daily and len(hourly) <= 7 * 24 + 1
    assert sum(b.count for b in after.latency) == sum(b.count for b in before.latency)
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


CHILD = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from tgtui.accounts.history import HistoryLog

log = HistoryLog(Path(sys.argv[1]), max_bytes=int(sys.argv[2]))
for i in range(1_000_000):
    log.record("login", at=datetime.fromtimestamp(1_000_000 + i, timezone.utc))
    print(i, flush=True)
"""


@pytest.mark.parametrize("max_bytes", [1 << 30, 4096], ids=["append", "with-compaction"])
def test_history_survives_sigkill_during_appends(tmp_path: Path, max_bytes: int) -> None:
    done = kill_after(CHILD, [str(tmp_path), str(max_bytes)], 400)
    history = HistoryLog(tmp_path).read()
    assert history.skipped <= 1  # at most the line being written
    times = [e.at - 1_000_000 for e in history.events]
    assert times == sorted(set(times))  # nothing written twice
    folded = history.folded.counts.get("login", 0) if history.folded else 0
    # Every event the child saw written is there (kept, or counted in the folded line),
    # and at most one more: the one being written when it was killed.
    assert done + 1 <= folded + len(times) <= done + 2
    if max_bytes == 1 << 30:
        assert times[: done + 1] == list(range(done + 1))


def test_since_is_kept_while_the_state_lasts_and_survives_reload(store: AccountStore) -> None:
    _new(store)
    _check(store, State.OK, T0, latency=40.0)
    _check(store, State.OK, T0 + timedelta(minutes=5), latency=40.0)
    assert store.get("work").status.since == T0
    _check(store, State.OFFLINE, T0 + timedelta(minutes=6))
    _check(store, State.OFFLINE, T0 + timedelta(minutes=7))
    assert store.get("work").status.since == T0 + timedelta(minutes=6)


def test_two_processes_turning_the_hour_write_it_once(tmp_path: Path) -> None:
    """Writers racing at the turn of the hour: each closed hour becomes exactly one line."""
    script = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from tgtui.accounts.history import HistoryLog
from tgtui.accounts.model import State, Status

log = HistoryLog(Path(sys.argv[1]))
start = int(sys.argv[2])
for minute in range(0, 180):
    at = datetime.fromtimestamp(start + minute * 60, timezone.utc)
    log.observe(Status(state=State.OK), Status(state=State.OK, checked_at=at, latency_ms=50.0))
"""
    start = int(T0.timestamp())
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(start)])
        for _ in range(3)
    ]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    history = HistoryLog(tmp_path).read()
    closed = [b for b in history.latency if b.start < start + 2 * 3600]
    assert [b.start for b in closed] == [start, start + 3600]
    assert history.skipped == 0
