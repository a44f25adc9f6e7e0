"""The account store on real files: create, update, broken files, trash and restore."""

from __future__ import annotations

import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tgtui.accounts import (
    Account,
    AccountInUse,
    AccountNotFound,
    AccountStore,
    InvalidInput,
    State,
    Status,
    StoreError,
    UserInfo,
)

HASH = "0123456789abcdef0123456789abcdef"


class MemorySecrets:
    """A stand-in secret store for store-only tests (the real one has its own tests)."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}
        self.forgotten: list[str] = []

    def set(self, uid: str, folder: Path, api_hash: str) -> None:
        self.data[uid] = api_hash

    def get(self, uid: str, folder: Path) -> str | None:
        return self.data.get(uid)

    def delete(self, uid: str, folder: Path) -> None:
        self.data.pop(uid, None)

    def forget(self, uid: str) -> None:
        self.forgotten.append(uid)
        self.data.pop(uid, None)


@pytest.fixture
def store(config_root: Path) -> AccountStore:
    return AccountStore(config_root, MemorySecrets())  # type: ignore[arg-type]


def _new(store: AccountStore, name: str = "work", **kw) -> Account:
    return store.create(Account(name=name, api_id=12345, phone="+15551234567", **kw), HASH)


def test_create_and_read_back(store: AccountStore) -> None:
    created = _new(store, label="Work phone")
    again = store.get("work")
    assert again.label == "Work phone" and again.api_id == 12345 and again.phone == "+15551234567"
    assert again.uid == created.uid and again.uid
    assert store.api_hash(again) == HASH
    folder = store.folder("work")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "account.toml").stat().st_mode) == 0o600
    assert HASH not in (folder / "account.toml").read_text()
    assert [a.name for a in store.accounts()] == ["work"]


def test_names_are_validated_and_unique(store: AccountStore) -> None:
    _new(store)
    with pytest.raises(InvalidInput, match="exists already"):
        _new(store)
    with pytest.raises(InvalidInput, match="a-z"):
        _new(store, name="my account")
    with pytest.raises(InvalidInput, match="32"):
        _new(store, name="x" * 33)
    assert store.names() == ["work"]


def test_session_file_moves_in_private(store: AccountStore, tmp_path: Path) -> None:
    pending = tmp_path / "pending.session"
    pending.write_bytes(b"SQLite format 3\x00")
    account = store.create(Account(name="s", api_id=1, phone="+15551234567"), HASH, pending)
    assert not pending.exists()
    assert account.session_path.read_bytes().startswith(b"SQLite")
    assert stat.S_IMODE(account.session_path.stat().st_mode) == 0o600


def test_status_and_user_are_cached_and_survive_reload(store: AccountStore) -> None:
    _new(store)
    when = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
    store.save_status(
        "work",
        Status(
            state=State.FLOOD_WAIT,
            reason="wait",
            checked_at=when,
            flood_until=when,
            latency_ms=42.5,
            dc=2,
            two_fa=True,
            other_sessions=3,
            error="FLOOD_WAIT",
        ),
        UserInfo(id=777, first_name="Ann", username="ann"),
    )
    again = store.get("work")
    assert again.status.state is State.FLOOD_WAIT
    assert again.status.flood_until == when and again.status.two_fa is True
    assert again.user == UserInfo(id=777, first_name="Ann", username="ann")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('api_id = 1\nphone = "+1"\nlabel = [\n', 3, "not valid TOML"),
        ('api_id = "abc"\nphone = "+1"\n', 1, "api_id"),
        ('version = 9\napi_id = 1\nphone = "+1"\n', 1, "version"),
        ('api_id = 1\n\n[status]\nstate = "sleepy"\n', 4, "sleepy"),
        ("phone = '+1'\n", None, "missing"),
    ],
)
def test_broken_file_is_reported_listed_and_never_touched(
    store: AccountStore, text: str, line: int | None, words: str
) -> None:
    _new(store, name="good")
    bad = store.folder("bad")
    bad.mkdir(mode=0o700)
    (bad / "account.toml").write_text(text)
    before = (bad / "account.toml").read_bytes()
    accounts = {a.name: a for a in store.accounts()}
    assert set(accounts) == {"bad", "good"}  # one broken account never hides the others
    broken = accounts["bad"]
    assert broken.status.state is State.BROKEN
    assert str(bad / "account.toml") in broken.broken and words in broken.broken
    if line:
        assert f"account.toml:{line}:" in broken.broken
    with pytest.raises(StoreError, match="will not overwrite"):
        store.update(broken)
    assert store.save_status("bad", Status(state=State.OK)) is None
    assert (bad / "account.toml").read_bytes() == before


def test_remove_goes_to_trash_and_restores_with_secret(store: AccountStore) -> None:
    created = _new(store)
    when = datetime(2026, 11, 22, 10, 15, tzinfo=timezone.utc)
    entry = store.remove("work", now=when)
    assert entry.id == "work-20261122T101500Z"
    assert not store.exists("work") and store.names() == []
    assert (store.trash_dir / entry.id / "account.toml").exists()
    assert [e.id for e in store.trash()] == [entry.id]
    restored = store.restore(entry.id)
    assert restored.uid == created.uid
    assert store.api_hash(restored) == HASH
    assert store.trash() == []


def test_restore_refuses_to_clobber_and_suggests(store: AccountStore) -> None:
    _new(store)
    store.remove("work")
    _new(store)
    with pytest.raises(StoreError, match="work-2"):
        store.restore("work")
    restored = store.restore("work", new_name="work-old")
    assert restored.name == "work-old"
    assert sorted(store.names()) == ["work", "work-old"]


def test_empty_trash_forgets_secrets(store: AccountStore) -> None:
    created = _new(store)
    store.remove("work")
    assert store.empty_trash() == 1
    assert store.trash() == []
    assert created.uid in store.secrets.forgotten  # type: ignore[union-attr]


def test_remove_refuses_while_in_use(store: AccountStore) -> None:
    _new(store)
    with store.lock("work"), pytest.raises(AccountInUse, match="in use by pid"):
        store.remove("work")
    assert store.exists("work")


def test_unknown_account_message(store: AccountStore) -> None:
    with pytest.raises(AccountNotFound, match="tgtui list"):
        store.get("nope")


def test_failed_create_leaves_nothing(store: AccountStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*a: object, **k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("tgtui.accounts.store.write_toml", boom)
    with pytest.raises(OSError):
        _new(store)
    assert store.names() == []
    assert [p.name for p in store.accounts_dir.iterdir()] == []
    assert store.secrets.data == {}  # type: ignore[union-attr]


def test_twelve_removals_in_one_second_restore_newest_first(store: AccountStore) -> None:
    """Restore brings back the last one removed, even past ten removals in one second."""
    when = datetime(2026, 11, 22, 10, 15, tzinfo=timezone.utc)
    for n in range(12):
        _new(store, label=f"L{n}")
        store.remove("work", now=when)
    assert [e.label for e in store.trash()] == [f"L{n}" for n in reversed(range(12))]
    assert store.restore("work").label == "L11"
    # The oldest entry restored and removed again in the same second is the newest now.
    store.remove("work", now=when)
    store.restore(store.trash()[-1].id)
    store.remove("work", now=when)
    assert store.trash()[0].label == "L0"
    assert store.restore("work").label == "L0"
    assert len(store.trash()) == 11


def test_dates_with_z_suffix_read_back_on_every_python(store: AccountStore) -> None:
    """tgtui writes `...Z` date-times; Python 3.10's fromisoformat alone refuses them."""
    when = datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc)
    _new(store)
    store.save_status("work", Status(state=State.OK, checked_at=when, flood_until=when))
    text = (store.folder("work") / "account.toml").read_text()
    assert '"2026-01-31T12:00:00Z"' in text
    again = store.get("work")
    assert not again.broken
    assert again.status.checked_at == when and again.status.flood_until == when
