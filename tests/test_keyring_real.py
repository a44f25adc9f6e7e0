"""The secret store against a REAL Secret Service (gnome-keyring-daemon over D-Bus).

Deselected unless TGTUI_REAL_KEYRING=1 (conftest.py), so the main test run leaves these
out on purpose instead of skipping them. CI runs them like this (see .ci/run):

    dbus-run-session -- sh -c '
      export HOME=$(mktemp -d); mkdir -p "$HOME/.local/share/keyrings"
      eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
      TGTUI_REAL_KEYRING=1 .venv/bin/python -m pytest tests/test_keyring_real.py -q'

That creates an unlocked "login" collection (the default alias) with password "pw"
(override with TGTUI_REAL_KEYRING_PASSWORD). Tests that lock it unlock it again
through gnome-keyring's UnlockWithMasterPassword, since no prompt can be shown.
"""

from __future__ import annotations

import os
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

# Deselected (not skipped) unless TGTUI_REAL_KEYRING=1: see conftest.py.
pytestmark = pytest.mark.keyring_real

HASH = "0123456789abcdef0123456789abcdef"
LOCKED_WORDS = "the keyring is locked and cannot ask for its password here"
GNOME_IFACE = "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    import keyring.core

    monkeypatch.delenv("TGTUI_KEYRING", raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)


@pytest.fixture
def secret_service():
    """keyring's real Secret Service backend, installed for this test."""
    import keyring
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def uid():
    """A fresh uid whose keyring entry is removed afterwards."""
    value = f"test-{uuid.uuid4().hex}"
    yield value
    _unlock_default()
    _delete_items(value)


def _search(uid: str) -> list:
    import secretstorage

    with closing(secretstorage.dbus_init()) as conn:
        collection = secretstorage.get_default_collection(conn)
        return [
            item.get_label()
            for item in collection.search_items({"service": "tgtui", "username": uid})
        ]


def _delete_items(uid: str) -> None:
    import secretstorage

    with closing(secretstorage.dbus_init()) as conn:
        collection = secretstorage.get_default_collection(conn)
        for item in collection.search_items({"service": "tgtui", "username": uid}):
            item.delete()


def _lock_default() -> None:
    import secretstorage

    with closing(secretstorage.dbus_init()) as conn:
        collection = secretstorage.get_default_collection(conn)
        collection.lock()
        assert collection.is_locked()


def _unlock_default() -> None:
    """Unlock without a prompt (none can be shown here), as gnome-keyring allows."""
    import secretstorage
    from secretstorage.util import SS_PATH, DBusAddressWrapper, format_secret, open_session

    password = os.environ.get("TGTUI_REAL_KEYRING_PASSWORD", "pw").encode()
    with closing(secretstorage.dbus_init()) as conn:
        collection = secretstorage.get_default_collection(conn)
        if not collection.is_locked():
            return
        secret = format_secret(open_session(conn), password, "text/plain")
        DBusAddressWrapper(SS_PATH, GNOME_IFACE, conn).call(
            "UnlockWithMasterPassword", "o(oayays)", collection.collection_path, secret
        )
        assert not collection.is_locked()


def _files_containing(root: Path, needle: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def test_probe_picks_the_secret_service(monkeypatch):
    import keyring
    import keyring.core
    from keyring.backends import SecretService

    from tgtui.accounts.secrets import SecretStore

    monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # let keyring choose
    backend = SecretStore(probe_timeout=5).probe()
    assert backend.kind == "keyring", backend
    assert backend.description == "system keyring (Secret Service)"
    chosen = keyring.get_keyring()
    first = chosen.backends[0] if type(chosen).__name__ == "ChainerBackend" else chosen
    assert isinstance(first, SecretService.Keyring)


def test_round_trip_through_the_daemon_writes_nothing_to_disk(tmp_path, secret_service, uid):
    from tgtui.accounts.secrets import SecretStore

    store = SecretStore(probe_timeout=5)
    folder = tmp_path / "accounts" / "alice"

    went = store.set(uid, folder, HASH)

    assert went.kind == "keyring" and went.description == "system keyring (Secret Service)"
    assert _search(uid) == [f"Password for '{uid}' on 'tgtui'"]
    assert store.get(uid, folder) == HASH
    assert store.where(uid, folder) == went
    assert not (folder / "secrets.toml").exists()
    assert _files_containing(tmp_path, HASH) == []

    store.delete(uid, folder)
    assert _search(uid) == []
    assert store.get(uid, folder) is None
    assert store.where(uid, folder) is None


def test_migrate_keyring_to_file_and_back(tmp_path, secret_service, uid):
    from tgtui.accounts.secrets import SecretStore

    store = SecretStore(probe_timeout=5)
    folder = tmp_path / "acc"
    store.set(uid, folder, HASH)

    to_file = store.migrate([(uid, folder)], to="file")
    assert (to_file.moved, to_file.failed) == ([uid], [])
    assert _search(uid) == []
    assert (folder / "secrets.toml").stat().st_mode & 0o777 == 0o600
    assert store.get(uid, folder) == HASH

    to_keyring = store.migrate([(uid, folder)], to="keyring")
    assert (to_keyring.moved, to_keyring.failed) == ([uid], [])
    assert not (folder / "secrets.toml").exists()
    assert len(_search(uid)) == 1
    assert store.get(uid, folder) == HASH
    assert _files_containing(tmp_path, HASH) == []


def test_keyring_locked_after_the_probe_falls_back_without_hanging(tmp_path, secret_service, uid):
    from tgtui.accounts.secrets import SecretStore

    store = SecretStore(probe_timeout=5)
    assert store.probe().kind == "keyring"
    folder = tmp_path / "acc"
    _lock_default()
    try:
        started = time.monotonic()
        went = store.set(uid, folder, HASH)
        elapsed = time.monotonic() - started
    finally:
        _unlock_default()
    assert elapsed < 7
    assert went.kind == "file"
    assert went.description == f"private file, because {LOCKED_WORDS}"
    assert (folder / "secrets.toml").stat().st_mode & 0o777 == 0o600
    assert store.get(uid, folder) == HASH


def test_keyring_locked_before_the_probe(tmp_path, secret_service, uid):
    from tgtui.accounts.secrets import SecretStore, SecretUnavailableError

    store = SecretStore(probe_timeout=5)
    store.set(uid, tmp_path / "stored", HASH)  # while unlocked: in the keyring
    _lock_default()
    try:
        locked = SecretStore(probe_timeout=5)
        started = time.monotonic()
        backend = locked.probe()
        assert time.monotonic() - started < 7
        assert backend.kind == "file" and backend.description.endswith(LOCKED_WORDS)
        with pytest.raises(SecretUnavailableError, match="locked"):
            locked.get(uid, tmp_path / "stored")  # there, but unreadable: not "missing"
        went = locked.set(f"{uid}-2", tmp_path / "new", HASH)
        assert went.kind == "file" and LOCKED_WORDS in went.description
    finally:
        _unlock_default()
    assert store.get(uid, tmp_path / "stored") == HASH
