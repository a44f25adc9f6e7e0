"""What a health check reads before it connects (the api_hash in secrets.toml, the key in
the session file) is read again only when the file changed: an unchanged file costs a
stat, and every change (tgtui's atomic rewrites, an edit by hand, SQLite writing the
session in place) is seen by the next check."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from tgtui.accounts import Account, AccountStore
from tgtui.accounts import secret_file as secret_file_module
from tgtui.accounts.secrets import SecretStore
from tgtui.telegram import client as client_module

HASH_A = "ab" * 16
HASH_B = "cd" * 16


def _settle() -> None:
    time.sleep(1.1)  # files changed in the last second are never kept (coarse file times)


@pytest.fixture
def store(config_root: Path) -> AccountStore:
    return AccountStore(config_root, SecretStore(mode="off"))


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(module, name)

    def counted(*args: object, **kw: object) -> object:
        calls.append(args[0] if args else None)
        return real(*args, **kw)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_an_unchanged_secrets_file_is_not_parsed_again(
    store: AccountStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = store.create(Account(name="work", api_id=1, phone="+15551234567"), HASH_A)
    _settle()
    parses = _counting(monkeypatch, secret_file_module, "read_toml")
    assert store.api_hash(account) == HASH_A
    assert store.api_hash(account) == HASH_A
    assert store.api_hash(account) == HASH_A
    assert len(parses) == 1


def test_a_new_api_hash_is_read_by_the_next_check(store: AccountStore) -> None:
    account = store.create(Account(name="work", api_id=1, phone="+15551234567"), HASH_A)
    _settle()
    assert store.api_hash(account) == HASH_A
    store.set_api_hash(account, HASH_B)  # tgtui's own write: atomic, a new file
    assert store.api_hash(account) == HASH_B
    _settle()
    assert store.api_hash(account) == HASH_B
    # Edited by hand, in place, same length: the new time tells it changed.
    path = secret_file_module.secret_path(account.folder)  # type: ignore[arg-type]
    path.write_text(path.read_text().replace(HASH_B, HASH_A))
    assert store.api_hash(account) == HASH_A


def test_a_cached_secrets_file_opened_to_others_is_made_private(store: AccountStore) -> None:
    account = store.create(Account(name="work", api_id=1, phone="+15551234567"), HASH_A)
    _settle()
    assert store.api_hash(account) == HASH_A
    path = secret_file_module.secret_path(account.folder)  # type: ignore[arg-type]
    os.chmod(path, 0o644)
    assert store.api_hash(account) == HASH_A
    assert path.stat().st_mode & 0o777 == 0o600


def _session(path: Path, key: bytes, dc: int = 2) -> None:
    from telethon.crypto import AuthKey
    from telethon.sessions import SQLiteSession

    session = SQLiteSession(str(path))
    try:
        session.set_dc(dc, "149.154.167.50", 443)
        session.auth_key = AuthKey(key)
        session.save()
    finally:
        session.close()


def test_an_unchanged_session_file_is_not_opened_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "session.session"
    _session(path, b"\x01" * 256)
    _settle()
    opens = _counting(monkeypatch, sqlite3, "connect")
    keys = {client_module.memory_copy(path).auth_key.key for _ in range(3)}
    assert keys == {b"\x01" * 256}
    assert len(opens) == 1


def test_a_session_written_again_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "session.session"
    _session(path, b"\x01" * 256)
    _settle()
    assert client_module.memory_copy(path).auth_key.key == b"\x01" * 256
    # Written in place by SQLite (another program logging in with this file).
    _session(path, b"\x02" * 256, dc=4)
    copy = client_module.memory_copy(path)
    assert (copy.auth_key.key, copy.dc_id) == (b"\x02" * 256, 4)
    # Replaced by a re-login (a new file renamed over it).
    _settle()
    assert client_module.memory_copy(path).auth_key.key == b"\x02" * 256
    fresh = tmp_path / "fresh.session"
    _session(fresh, b"\x03" * 256)
    os.replace(fresh, path)
    assert client_module.memory_copy(path).auth_key.key == b"\x03" * 256


def test_a_missing_session_file_still_fails_as_sqlite_says(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        client_module.memory_copy(tmp_path / "nothing.session")
