"""The status journal: a check that finds an account as it was does not rewrite
account.toml, and every reader still sees the newest check; state changes stay durable
in account.toml; a torn or garbled journal costs freshness only, never an account."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sigkill_support import kill_after

from tgtui.accounts import Account, AccountStore, State, Status
from tgtui.accounts.secrets import SecretStore
from tgtui.accounts.status_journal import JOURNAL_FILE
from tgtui.accounts.tomlio import read_toml

T0 = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0)
HASH = "ab" * 16


def _store(root: Path) -> AccountStore:
    return AccountStore(root, SecretStore(mode="off"))


@pytest.fixture
def store(config_root: Path) -> AccountStore:
    return _store(config_root)


def _new(store: AccountStore, name: str = "work") -> Account:
    return store.create(Account(name=name, api_id=12345, phone="+15551234567"), HASH)


def _check(
    store: AccountStore,
    at: datetime,
    state: State = State.OK,
    latency: float | None = 40.0,
    name: str = "work",
    **kw,
) -> None:
    store.save_status(
        name, Status(state=state, reason="r", checked_at=at, latency_ms=latency, dc=2, **kw)
    )


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_ino, st.st_mtime_ns


def _journal(store: AccountStore) -> Path:
    return store.root / "cache" / JOURNAL_FILE


def test_a_check_that_keeps_the_state_does_not_rewrite_account_toml(
    store: AccountStore,
) -> None:
    _new(store)
    _check(store, T0)  # UNKNOWN -> OK: a state change, written to account.toml
    toml = store.folder("work") / "account.toml"
    before = _identity(toml)
    _check(store, T0 + timedelta(minutes=1), latency=55.5)
    _check(store, T0 + timedelta(minutes=2), latency=66.5)
    assert _identity(toml) == before  # same file: not rewritten
    assert read_toml(toml)["status"]["state"] == "ok"
    # This store and another one (another process: `tgtui status --watch` beside the TUI)
    # both see the newest check, through get() and the listing.
    for reader in (store, _store(store.root)):
        got = reader.get("work").status
        assert (got.state, got.checked_at, got.latency_ms) == (
            State.OK,
            T0 + timedelta(minutes=2),
            66.5,
        )
        assert got.since == T0  # the state's start is kept
        [listed] = reader.accounts()
        assert listed.status == got


def test_a_second_store_follows_checks_as_they_are_journaled(store: AccountStore) -> None:
    _new(store)
    _check(store, T0)
    watcher = _store(store.root)
    assert watcher.accounts()[0].status.checked_at == T0
    _check(store, T0 + timedelta(minutes=1))
    assert watcher.accounts()[0].status.checked_at == T0 + timedelta(minutes=1)
    _check(store, T0 + timedelta(minutes=2))
    assert watcher.get("work").status.checked_at == T0 + timedelta(minutes=2)


def test_a_state_change_is_written_to_account_toml_and_voids_the_journal(
    store: AccountStore,
) -> None:
    _new(store)
    _check(store, T0)
    _check(store, T0 + timedelta(minutes=1))  # journaled
    toml = store.folder("work") / "account.toml"
    before = _identity(toml)
    _check(store, T0 + timedelta(minutes=2), State.REVOKED, latency=None)
    assert _identity(toml) != before
    saved = read_toml(toml)["status"]
    assert saved["state"] == "revoked"
    fresh = _store(store.root).get("work").status
    assert (fresh.state, fresh.checked_at) == (State.REVOKED, T0 + timedelta(minutes=2))
    # Back to OK: written again; the old OK line (of the earlier OK spell) never returns.
    _check(store, T0 + timedelta(minutes=3))
    again = _store(store.root).get("work").status
    assert (again.state, again.checked_at, again.since) == (
        State.OK,
        T0 + timedelta(minutes=3),
        T0 + timedelta(minutes=3),
    )


def test_new_flood_waits_errors_and_users_still_go_to_account_toml(store: AccountStore) -> None:
    _new(store)
    _check(store, T0, State.FLOOD_WAIT, latency=None, flood_until=T0 + timedelta(minutes=5))
    toml = store.folder("work") / "account.toml"
    before = _identity(toml)
    until = T0 + timedelta(minutes=30)
    _check(store, T0 + timedelta(minutes=1), State.FLOOD_WAIT, latency=None, flood_until=until)
    assert _identity(toml) != before  # a new wait is durable
    assert read_toml(toml)["status"]["flood_until"] == until.isoformat().replace("+00:00", "Z")
    before = _identity(toml)
    _check(store, T0 + timedelta(minutes=2), State.FLOOD_WAIT, latency=None, flood_until=until)
    assert _identity(toml) == before  # the same wait, checked again: journaled


def test_a_later_rewrite_of_account_toml_wins_over_older_lines(store: AccountStore) -> None:
    _new(store)
    _check(store, T0)
    _check(store, T0 + timedelta(minutes=1), latency=11.0)  # journaled
    # The same state saved with a new error: account.toml is rewritten (same second
    # as nothing else; the journal line was based on the earlier file).
    _check(store, T0 + timedelta(minutes=2), latency=22.0, error="X")
    st = _store(store.root).get("work").status
    assert (st.checked_at, st.latency_ms, st.error) == (T0 + timedelta(minutes=2), 22.0, "X")


def test_garbled_and_torn_journal_lines_are_skipped_one_by_one(store: AccountStore) -> None:
    _new(store)
    _new(store, "other")
    _check(store, T0)
    _check(store, T0, name="other")
    _check(store, T0 + timedelta(minutes=1))
    journal = _journal(store)
    good = journal.read_bytes()
    garbage = [
        b"\x00\x00\x00\x00",
        b"not json at all",
        b"[1, 2, 3]",
        b'{"u": 5, "n": "work", "b": null, "s": {}}',
        b'{"u": "x", "n": "work", "b": null, "s": {"state": "nope", "checked_at": "x"}}',
        b'{"u": "x", "n": "work", "b": "2026-13-45", "s": {"state": "ok"}}',
        "\u00ff\u2603".encode("utf-16"),
    ]
    # Lines shaped like the newest one of "work", later, but with a value of the wrong
    # kind: were any taken, the account would show it (or break).
    newest = json.loads(good.splitlines()[-1])
    later = "2099-01-01T00:00:00Z"
    for key, value in [
        ("latency_ms", "fast"),
        ("checked_at", "2099-13-45T00:00:00Z"),
        ("dc", True),
        ("two_fa", 1),
        ("surprise", 1),
        ("state", "sleepy"),
    ]:
        doc = json.loads(json.dumps(newest))
        doc["s"]["checked_at"] = later
        doc["s"][key] = value
        garbage.append(json.dumps(doc).encode())
    journal.write_bytes(good + b"\n".join(garbage) + b"\n" + b'{"u": "torn line')
    reader = _store(store.root)
    listed = {a.name: a for a in reader.accounts()}
    assert set(listed) == {"work", "other"}
    assert not listed["work"].broken and listed["work"].status.latency_ms == 40.0
    assert listed["work"].status.checked_at == T0 + timedelta(minutes=1)
    assert listed["other"].status.checked_at == T0
    # An append after the torn line starts a line of its own and is seen.
    _check(store, T0 + timedelta(minutes=2))
    assert _store(store.root).get("work").status.checked_at == T0 + timedelta(minutes=2)


def test_an_unusable_journal_costs_freshness_never_an_account(store: AccountStore) -> None:
    _new(store)
    _check(store, T0)
    journal = _journal(store)
    journal.unlink(missing_ok=True)
    journal.mkdir(parents=True)  # cannot be read nor appended to
    reader = _store(store.root)
    assert [a.name for a in reader.accounts()] == ["work"]
    _check(store, T0 + timedelta(minutes=1), latency=77.0)  # falls back to account.toml
    saved = read_toml(store.folder("work") / "account.toml")["status"]
    assert saved["latency_ms"] == 77.0
    assert _store(store.root).get("work").status.checked_at == T0 + timedelta(minutes=1)


def test_removed_restored_and_copied_accounts_never_get_anothers_lines(
    store: AccountStore,
) -> None:
    _new(store)
    _check(store, T0)
    _check(store, T0 + timedelta(minutes=1), latency=12.0)  # journaled
    # A folder copied by hand under another name has the same uid: the line is not its.
    import shutil

    shutil.copytree(store.folder("work"), store.folder("copy"))
    copy = _store(store.root).get("copy").status
    assert copy.checked_at == T0
    # Removing folds the newest check into account.toml; restored under a new name, the
    # account shows it.
    entry = store.remove("work")
    assert read_toml(entry.folder / "account.toml")["status"]["latency_ms"] == 12.0
    # A new account under the old name starts from its own file, not the old lines.
    _new(store)
    assert _store(store.root).get("work").status.checked_at is None
    restored = store.restore(entry.id, "back")
    assert restored.status.checked_at == T0 + timedelta(minutes=1)
    assert _store(store.root).get("back").status.latency_ms == 12.0


def test_the_journal_is_compacted_to_the_newest_line_of_each_account(
    store: AccountStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tgtui.accounts import status_journal

    monkeypatch.setattr(status_journal, "COMPACT_SLACK", 10)
    for name in ("a", "b", "gone"):
        _new(store, name)
        _check(store, T0, name=name)
    store.remove("gone")
    for minute in range(1, 200):
        for name in ("a", "b"):
            _check(store, T0 + timedelta(minutes=minute), latency=float(minute), name=name)
    lines = _journal(store).read_bytes().splitlines()
    assert len(lines) <= 3 * 3 // 2 + 10 + 1  # bounded: compacted as it grew
    assert not any(b'"gone"' in line for line in lines)
    fresh = _store(store.root)
    for name in ("a", "b"):
        st = fresh.get(name).status
        assert (st.checked_at, st.latency_ms) == (T0 + timedelta(minutes=199), 199.0)
    assert (_journal(store).stat().st_mode & 0o777) == 0o600


CHILD = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from tgtui.accounts import AccountStore, State, Status
from tgtui.accounts import status_journal
from tgtui.accounts.secrets import SecretStore

status_journal.COMPACT_SLACK = int(sys.argv[2])
store = AccountStore(Path(sys.argv[1]), SecretStore(mode="off"))
t0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
for i in range(1_000_000):
    at = t0 + timedelta(seconds=i)
    store.save_status("work", Status(state=State.OK, checked_at=at, latency_ms=float(i % 97)))
    print(i, flush=True)
"""


@pytest.mark.parametrize("slack", [1 << 30, 20], ids=["append", "with-compaction"])
def test_journal_survives_sigkill_during_appends(store: AccountStore, slack: int) -> None:
    _new(store)
    _check(store, datetime(2029, 12, 31, tzinfo=timezone.utc))  # OK on file
    toml = store.folder("work") / "account.toml"
    before = toml.read_bytes()
    done = kill_after(CHILD, [str(store.root), str(slack)], 300)
    assert toml.read_bytes() == before  # never rewritten, so never torn
    st = _store(store.root).get("work").status
    t0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
    # The newest check it saw written, or the one being written when it was killed.
    assert st.state is State.OK
    assert st.checked_at in (t0 + timedelta(seconds=done), t0 + timedelta(seconds=done + 1))
    # A torn tail (power loss) is skipped and the next append still lands.
    with open(_journal(store), "ab") as handle:
        handle.write(b'{"u":"')
    _check(store, t0 + timedelta(days=1))
    assert _store(store.root).get("work").status.checked_at == t0 + timedelta(days=1)
    assert [a.name for a in _store(store.root).accounts()] == ["work"]


def test_many_short_runs_do_not_grow_the_journal_without_bound(config_root: Path) -> None:
    """Each process (a `tgtui check` from cron) reads the whole journal when it starts;
    when that holds far more lines than accounts, it is compacted."""
    from tgtui.accounts import status_journal

    first = _store(config_root)
    for name in ("a", "b"):
        _new(first, name)
        _check(first, T0, name=name)
    for run in range(1, 400):
        store = _store(config_root)  # a new process each time
        for name in ("a", "b"):
            _check(store, T0 + timedelta(minutes=run), name=name)
    lines = _journal(first).read_bytes().splitlines()
    assert len(lines) <= 2 * 3 // 2 + status_journal.COMPACT_SLACK + 2
    assert _store(config_root).get("b").status.checked_at == T0 + timedelta(minutes=399)


def test_a_journaled_check_keeps_the_history_latency(store: AccountStore) -> None:
    _new(store)
    _check(store, T0, latency=10.0)
    _check(store, T0 + timedelta(minutes=1), latency=30.0)
    history = store.history("work").read()
    assert [e.state for e in history.events if e.kind == "state"] == [State.OK]
    assert history.latency and history.latency[-1].count == 2


def test_update_after_journaled_checks_keeps_the_newest(store: AccountStore) -> None:
    _new(store)
    _check(store, T0)
    _check(store, T0 + timedelta(minutes=1), latency=33.0)
    store.update(replace(store.get("work"), label="renamed label"))
    st = _store(store.root).get("work")
    assert st.label == "renamed label"
    assert (st.status.checked_at, st.status.latency_ms) == (T0 + timedelta(minutes=1), 33.0)


WRITER = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from tgtui.accounts import AccountStore, State, Status
from tgtui.accounts import status_journal
from tgtui.accounts.secrets import SecretStore

status_journal.COMPACT_SLACK = 5
store = AccountStore(Path(sys.argv[1]), SecretStore(mode="off"))
t0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
for i in range(1, 301):
    store.save_status(sys.argv[2], Status(state=State.OK, checked_at=t0 + timedelta(seconds=i)))
"""


def test_two_processes_journaling_and_compacting_at_once_lose_nothing(
    store: AccountStore,
) -> None:
    """The app's monitor and a `tgtui status` beside it append (and compact) the same
    journal: every account ends with its own newest check, and no line is torn."""
    for name in ("one", "two"):
        _new(store, name)
        _check(store, datetime(2029, 12, 31, tzinfo=timezone.utc), name=name)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(store.root), name])
        for name in ("one", "two")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    last = datetime(2030, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=300)
    fresh = _store(store.root)
    assert {a.name: a.status.checked_at for a in fresh.accounts()} == {"one": last, "two": last}
    for line in _journal(store).read_bytes().splitlines():
        json.loads(line)  # whole lines only
