"""The store writes every session file: adopt, replace, pending folders, on real files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tgtui.accounts import Account, AccountInUse, AccountStore, State, Status, StoreError
from tgtui.accounts import session_files as sf

HASH = "0123456789abcdef0123456789abcdef"
NEW_HASH = "fedcba9876543210fedcba9876543210"


class MemorySecrets:
    """The secret store's surface, in memory (the real ones have their own tests)."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def set(self, uid: str, folder: Path, api_hash: str) -> None:
        self.data[uid] = api_hash

    def get(self, uid: str, folder: Path) -> str | None:
        return self.data.get(uid)

    def delete(self, uid: str, folder: Path) -> None:
        self.data.pop(uid, None)

    def forget(self, uid: str) -> None:
        self.data.pop(uid, None)


@pytest.fixture
def store(config_root: Path) -> AccountStore:
    return AccountStore(config_root, MemorySecrets())  # type: ignore[arg-type]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _pending_session(store: AccountStore, content: bytes, mode: int = 0o644) -> Path:
    folder = store.new_pending("work")
    session = folder / "session.session"
    session.write_bytes(content)
    os.chmod(session, mode)
    return session


def _account(name: str = "work") -> Account:
    return Account(name=name, api_id=12345, phone="+15551234567")


def test_pending_folders_are_private_and_unique(store: AccountStore) -> None:
    a, b = store.new_pending("work"), store.new_pending("work")
    assert a != b and a.parent == b.parent == store.pending_dir
    assert _mode(a) == 0o700 and _mode(store.pending_dir) == 0o700


def test_adopt_moves_the_session_in_private(store: AccountStore) -> None:
    session = _pending_session(store, b"SQLite format 3\x00new", mode=0o644)
    account = store.adopt_session(_account(), HASH, session)
    assert account.session_path.read_bytes() == b"SQLite format 3\x00new"
    assert _mode(account.session_path) == 0o600
    assert not session.exists()
    assert store.api_hash(account) == HASH


def test_adopt_keeps_the_login_when_the_name_was_taken(store: AccountStore) -> None:
    store.create(_account(), HASH)
    session = _pending_session(store, b"SQLite format 3\x00second")
    account = store.adopt_session(_account(), HASH, session)
    assert account.name != "work" and account.name.startswith("work")
    assert store.get(account.name).session_path.read_bytes().endswith(b"second")
    assert sorted(store.names()) == sorted(["work", account.name])


def test_adopt_fsyncs_the_session_before_publishing_it(
    store: AccountStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync:" + os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def replace_(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append(f"replace:{src}")
        real_replace(src, dst)

    session = _pending_session(store, b"SQLite format 3\x00")
    monkeypatch.setattr(sf.os, "fsync", fsync)
    monkeypatch.setattr(sf.os, "replace", replace_)
    store.adopt_session(_account(), HASH, session)
    assert f"fsync:{session}" in events
    assert events.index(f"fsync:{session}") < events.index(f"replace:{session}")


def test_replace_session_swaps_the_file_and_updates(store: AccountStore) -> None:
    old = _pending_session(store, b"SQLite format 3\x00old")
    first = store.adopt_session(_account(), HASH, old)
    stale = Path(str(first.session_path) + "-journal")
    stale.write_bytes(b"hot journal of the old session")
    new = _pending_session(store, b"SQLite format 3\x00new")
    status = Status(state=State.OK, reason="Logged in")

    updated = store.replace_session(
        "work", new, NEW_HASH, lambda cur: replace(cur, api_id=777, status=status)
    )

    assert first.session_path.read_bytes().endswith(b"new")
    assert _mode(first.session_path) == 0o600
    assert not stale.exists()  # SQLite would roll a stale journal into the new file
    assert not new.exists()
    again = store.get("work")
    assert again.api_id == 777 and updated.api_id == 777
    assert again.status.reason == "Logged in"
    assert store.api_hash(again) == NEW_HASH


def test_replace_session_leaves_a_broken_account_alone(store: AccountStore) -> None:
    first = store.adopt_session(
        _account(), HASH, _pending_session(store, b"SQLite format 3\x00old")
    )
    toml = first.folder / "account.toml"  # type: ignore[operator]
    toml.write_text("this is = = not toml")
    new = _pending_session(store, b"SQLite format 3\x00new")
    with pytest.raises(StoreError):
        store.replace_session("work", new, NEW_HASH, lambda cur: cur)
    assert first.session_path.read_bytes().endswith(b"old")
    assert toml.read_text() == "this is = = not toml"
    assert new.exists()  # the login is not lost: the caller may retry


def test_replace_session_fails_at_once_for_another_program(store: AccountStore) -> None:
    first = store.adopt_session(
        _account(), HASH, _pending_session(store, b"SQLite format 3\x00old")
    )
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from tgtui.accounts.lock import AccountLock;"
            f"AccountLock({str(first.folder)!r}).acquire(); print('held', flush=True);"
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        new = _pending_session(store, b"SQLite format 3\x00new")
        started = time.monotonic()
        with pytest.raises(AccountInUse, match=f"pid {holder.pid}"):
            store.replace_session("work", new, NEW_HASH, lambda cur: cur, wait=5.0)
        assert time.monotonic() - started < 2.0  # no waiting on another program
        assert first.session_path.read_bytes().endswith(b"old")
    finally:
        holder.communicate("")


def test_replace_session_waits_for_this_process_then_gives_up(store: AccountStore) -> None:
    first = store.adopt_session(
        _account(), HASH, _pending_session(store, b"SQLite format 3\x00old")
    )
    new = _pending_session(store, b"SQLite format 3\x00new")
    with store.lock("work"):
        started = time.monotonic()
        with pytest.raises(AccountInUse):
            store.replace_session("work", new, NEW_HASH, lambda cur: cur, wait=0.3)
        assert time.monotonic() - started >= 0.3
    assert first.session_path.read_bytes().endswith(b"old")


def test_tidy_pending_removes_only_old_folders(store: AccountStore) -> None:
    old, fresh = store.new_pending("old"), store.new_pending("fresh")
    ledger = store.pending_dir / sf.LEDGER
    ledger.mkdir()
    day_ago = time.time() - 2 * 86400
    for folder in (old, ledger):
        os.utime(folder, (day_ago, day_ago))
    assert store.tidy_pending() == 1
    assert not old.exists() and fresh.exists() and ledger.exists()


def test_discard_pending_refuses_folders_outside_pending(
    store: AccountStore, tmp_path: Path
) -> None:
    outside = tmp_path / "precious"
    outside.mkdir()
    with pytest.raises(StoreError):
        store.discard_pending(outside)
    assert outside.exists()
    folder = store.new_pending("work")
    store.discard_pending(folder)
    assert not folder.exists()
