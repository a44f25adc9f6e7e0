"""Where api_hash secrets go: the keyring when it works, a private file when it cannot.

Every keyring here is a test backend installed with keyring.set_keyring and restored
afterwards. Test backends refuse to be auto-detected (their priority raises), so they
never leak into other tests that let keyring choose.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
import time
import traceback
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail
from keyring.compat import properties
from keyring.errors import InitError, KeyringError, KeyringLocked, PasswordDeleteError

from tgtui.accounts import fsutil
from tgtui.accounts.keyring_probe import parse_mode
from tgtui.accounts.model import Account
from tgtui.accounts.secrets import (
    SecretStore,
    SecretStoreError,
    SecretUnavailableError,
    migrate_secrets,
)
from tgtui.accounts.tomlio import ConfigFileError

HASH = "0123456789abcdef0123456789abcdef"
HASH2 = "fedcba9876543210fedcba9876543210"
LOCKED_WORDS = "the keyring is locked and cannot ask for its password here"


# -- test keyrings ---------------------------------------------------------------------


class _TestBackend(KeyringBackend):
    """Base for test keyrings: usable only through keyring.set_keyring."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test-only backend; install it with keyring.set_keyring")


class MemoryKeyring(_TestBackend):
    """A working keyring in memory that records every call."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []

    def get_password(self, service, username):
        self.calls.append("get")
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.calls.append("set")
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.calls.append("delete")
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


class RaisingKeyring(_TestBackend):
    """Every call raises the given exception."""

    def __init__(self, exc: Exception) -> None:
        super().__init__()
        self.exc = exc

    def get_password(self, service, username):
        raise self.exc

    set_password = delete_password = get_password


class SetFailsKeyring(MemoryKeyring):
    """Reads work (so the probe passes); set() raises, for some uids or all."""

    def __init__(self, exc: Exception, uids: set[str] | None = None) -> None:
        super().__init__()
        self.exc = exc
        self.uids = uids

    def set_password(self, service, username, password):
        if self.uids is None or username in self.uids:
            self.calls.append("set-failed")
            raise self.exc
        super().set_password(service, username, password)


class LeakyKeyring(_TestBackend):
    """A badly written backend whose errors quote the password."""

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        raise KeyringError(f"could not store {password!r} for {username}")

    def delete_password(self, service, username):
        raise PasswordDeleteError("No such password!")


class ManglingKeyring(MemoryKeyring):
    """Stores something other than what it was given (verification must catch it)."""

    def set_password(self, service, username, password):
        super().set_password(service, username, password[::-1])


class HangingKeyring(MemoryKeyring):
    """Calls block until released (like a Secret Service waiting on an unseen prompt)."""

    def __init__(self, hang_get: bool = True) -> None:
        super().__init__()
        self.release = threading.Event()
        self.hang_get = hang_get

    def get_password(self, service, username):
        self.calls.append("get")
        if self.hang_get:
            self.release.wait(30)
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.calls.append("set")
        self.release.wait(30)


class RecordingSecretService(SecretService.Keyring):
    """Looks like the Secret Service backend; records any use instead of talking D-Bus."""

    calls: list[str] = []

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test-only backend; install it with keyring.set_keyring")

    def get_password(self, service, username):
        self.calls.append("get")

    def set_password(self, service, username, password):
        self.calls.append("set")

    def delete_password(self, service, username):
        self.calls.append("delete")


# -- fixtures --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """A clean environment per test; keyring's chosen backend restored afterwards."""
    for var in ("TGTUI_KEYRING", "PYTHON_KEYRING_BACKEND", "SSH_CONNECTION", "SSH_CLIENT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/test-bus")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # no keyringrc.cfg
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    monkeypatch.setattr(fsutil, "_crash_hook", None)


@pytest.fixture
def use():
    """Install a keyring backend for this test only."""

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    return install


@pytest.fixture
def umask0():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files_containing(root: Path, needle: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


# -- no keyring at all -----------------------------------------------------------------


def test_no_keyring_goes_to_private_file(tmp_path, use, umask0):
    use(fail.Keyring())
    folder = tmp_path / "accounts" / "alice"
    store = SecretStore()

    went = store.set("uid-alice", folder, HASH)

    path = folder / "secrets.toml"
    assert went.kind == "file"
    assert went.description == "private file, because no keyring is available on this system"
    assert mode_of(path) == 0o600
    assert mode_of(folder) == 0o700
    assert store.get("uid-alice", folder) == HASH
    assert store.where("uid-alice", folder) == went
    assert 'api_hash = "' + HASH + '"' in path.read_text()


def test_existing_folder_stays_private(tmp_path, use, umask0):
    use(fail.Keyring())
    folder = tmp_path / "bob"
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)
    SecretStore().set("uid-bob", folder, HASH)
    assert mode_of(folder) == 0o700
    assert mode_of(folder / "secrets.toml") == 0o600
    assert not list(folder.glob(".*.tmp"))


def test_no_keyring_over_ssh_says_so(tmp_path, use, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    use(fail.Keyring())
    store = SecretStore()
    went = store.set("u", tmp_path / "a", HASH)
    assert went.description == "private file, because no keyring is available over this SSH session"
    assert "NoKeyringError" in went.reason


def test_missing_secret_is_none(tmp_path, use):
    use(fail.Keyring())
    assert SecretStore().get("u", tmp_path / "nothing") is None
    assert SecretStore().where("u", tmp_path / "nothing") is None
    use(MemoryKeyring())
    assert SecretStore().get("u", tmp_path / "nothing") is None
    assert SecretStore().where("u", tmp_path / "nothing") is None


# -- locked keyrings -------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        InitError("Failed to create the collection: Prompt dismissed.."),
        KeyringLocked("Failed to unlock the collection!"),
        KeyringError("Prompt dismissed"),
        RuntimeError("org.freedesktop.Secret.Error.IsLocked: Collection is locked"),
    ],
    ids=["InitError", "KeyringLocked", "prompt-dismissed", "locked-text"],
)
def test_locked_keyring_falls_back_to_file(tmp_path, use, exc):
    use(RaisingKeyring(exc))
    store = SecretStore()
    folder = tmp_path / "acc"

    went = store.set("u", folder, HASH)

    assert went.kind == "file"
    assert went.description == f"private file, because {LOCKED_WORDS}"
    assert store.where("u", folder).description == went.description
    assert store.get("u", folder) == HASH


def test_locked_keyring_is_not_reported_as_missing_secret(tmp_path, use):
    use(RaisingKeyring(KeyringLocked("Failed to unlock the collection!")))
    with pytest.raises(SecretUnavailableError, match="locked"):
        SecretStore().get("u", tmp_path / "acc")


def test_keyring_refusing_set_at_runtime_falls_back_and_reports(tmp_path, use):
    kr = use(SetFailsKeyring(KeyringLocked("Failed to unlock the collection!")))
    store = SecretStore()
    assert store.probe().kind == "keyring"  # reads work, so the probe says keyring
    folder = tmp_path / "acc"

    went = store.set("u", folder, HASH)

    assert went.kind == "file"
    assert LOCKED_WORDS in went.description
    assert kr.items == {}
    assert store.get("u", folder) == HASH
    where = store.where("u", folder)
    assert where.kind == "file" and LOCKED_WORDS in where.description


def test_keyring_only_mode_refuses_the_file(tmp_path, use, monkeypatch):
    monkeypatch.setenv("TGTUI_KEYRING", "on")
    use(RaisingKeyring(KeyringLocked("Failed to unlock the collection!")))
    store = SecretStore()
    assert store.backend.kind == "none"
    with pytest.raises(SecretStoreError, match="TGTUI_KEYRING=on") as err:
        store.set("u", tmp_path / "acc", HASH)
    assert HASH not in str(err.value)
    assert not (tmp_path / "acc" / "secrets.toml").exists()


def test_keyring_only_mode_with_runtime_failure(tmp_path, use):
    use(SetFailsKeyring(KeyringError("boom")))
    store = SecretStore(mode="on")
    assert store.probe().kind == "keyring"
    with pytest.raises(SecretStoreError, match="TGTUI_KEYRING=on"):
        store.set("u", tmp_path / "acc", HASH)
    assert not (tmp_path / "acc" / "secrets.toml").exists()


# -- SSH without D-Bus, hangs, TGTUI_KEYRING=off -----------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus rule is for Linux")
def test_no_dbus_skips_secret_service_without_calling_it(tmp_path, use, monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    monkeypatch.setenv("SSH_TTY", "/dev/pts/3")
    RecordingSecretService.calls = []
    use(RecordingSecretService())

    def no_keyring_lookup():
        raise AssertionError("keyring must not be consulted without a D-Bus session")

    monkeypatch.setattr(keyring, "get_keyring", no_keyring_lookup)
    store = SecretStore()

    backend = store.probe()
    went = store.set("u", tmp_path / "acc", HASH)

    assert backend.kind == "file"
    assert backend.reason == "DBUS_SESSION_BUS_ADDRESS unset"
    assert went.description == "private file, because no keyring is available over this SSH session"
    assert RecordingSecretService.calls == []
    assert store.get("u", tmp_path / "acc") == HASH


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus rule is for Linux")
def test_no_dbus_outside_ssh_names_the_missing_bus(use, monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    use(RecordingSecretService())
    assert "no D-Bus session bus" in SecretStore().probe().description


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="D-Bus rule is for Linux")
def test_no_dbus_still_honours_an_explicitly_chosen_backend(tmp_path, use, monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "some.user.ChosenKeyring")
    kr = use(MemoryKeyring())
    store = SecretStore()
    assert store.set("u", tmp_path / "acc", HASH).kind == "keyring"
    assert kr.items == {("tgtui", "u"): HASH}


def test_hanging_keyring_probe_gives_up(tmp_path, use):
    kr = use(HangingKeyring())
    try:
        store = SecretStore(probe_timeout=0.5)
        started = time.monotonic()
        backend = store.probe()
        went = store.set("u", tmp_path / "acc", HASH)
        elapsed = time.monotonic() - started
    finally:
        kr.release.set()
    assert elapsed < 3
    assert backend.kind == "file"
    assert "did not answer in time" in backend.description
    assert went.kind == "file"
    assert kr.calls == ["get"]  # the probe, once; set() did not try again


def test_keyring_hanging_on_set_after_a_good_probe(tmp_path, use):
    kr = use(HangingKeyring(hang_get=False))
    try:
        store = SecretStore(probe_timeout=0.5)
        assert store.probe().kind == "keyring"
        started = time.monotonic()
        first = store.set("u1", tmp_path / "a", HASH)
        second = store.set("u2", tmp_path / "b", HASH2)
        elapsed = time.monotonic() - started
    finally:
        kr.release.set()
    assert elapsed < 3  # only the first set waited; then the keyring was written off
    assert first.kind == second.kind == "file"
    assert "did not answer in time" in first.description
    assert kr.calls.count("set") == 1
    assert store.get("u1", tmp_path / "a") == HASH
    assert store.get("u2", tmp_path / "b") == HASH2


@pytest.mark.parametrize("how", ["env", "arg"])
def test_keyring_off_forces_the_file(tmp_path, use, monkeypatch, how):
    kr = use(MemoryKeyring())
    if how == "env":
        monkeypatch.setenv("TGTUI_KEYRING", "off")
        store = SecretStore()
    else:
        store = SecretStore(mode="off")
    went = store.set("u", tmp_path / "acc", HASH)
    assert went.kind == "file"
    assert went.description == "private file, because TGTUI_KEYRING=off"
    assert kr.calls == [] and kr.items == {}
    assert store.get("u", tmp_path / "acc") == HASH


def test_probe_runs_once_even_from_many_threads(use):
    kr = use(MemoryKeyring())
    store = SecretStore()
    threads = [threading.Thread(target=store.probe) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.backend.kind == "keyring"
    assert kr.calls == ["get"]


# -- a working keyring -----------------------------------------------------------------


def test_working_keyring_holds_the_secret_and_nothing_touches_disk(tmp_path, use, caplog):
    caplog.set_level("DEBUG")
    kr = use(MemoryKeyring())
    store = SecretStore()
    folder = tmp_path / "accounts" / "carol"
    folder.mkdir(parents=True)

    went = store.set("uid-carol", folder, HASH)

    assert went.kind == "keyring"
    assert went.description == f"system keyring ({MemoryKeyring.name})"
    assert kr.items == {("tgtui", "uid-carol"): HASH}
    assert not (folder / "secrets.toml").exists()
    assert files_containing(tmp_path, HASH) == []
    assert store.get("uid-carol", folder) == HASH
    assert store.where("uid-carol", folder) == went
    assert HASH not in caplog.text


def test_secret_is_keyed_by_uid_so_a_restored_account_keeps_it(tmp_path, use):
    use(MemoryKeyring())
    store = SecretStore()
    store.set("uid-1", tmp_path / "accounts" / "dave", HASH)
    restored = tmp_path / "accounts" / "dave-renamed"  # back from trash, new name
    assert store.get("uid-1", restored) == HASH


def test_secret_service_gets_its_plain_name(tmp_path, use):
    use(RecordingSecretService())
    assert SecretStore().probe().description == "system keyring (Secret Service)"


def test_file_wins_over_keyring_and_setting_again_removes_the_stale_file(tmp_path, use):
    kr = use(MemoryKeyring())
    folder = tmp_path / "acc"
    SecretStore(mode="off").set("u", folder, HASH)
    kr.items[("tgtui", "u")] = HASH2
    store = SecretStore()
    assert store.get("u", folder) == HASH  # the file is authoritative

    assert store.set("u", folder, HASH2).kind == "keyring"
    assert not (folder / "secrets.toml").exists()
    assert store.get("u", folder) == HASH2


def test_delete_removes_both_and_forget_only_the_keyring(tmp_path, use):
    kr = use(MemoryKeyring())
    store = SecretStore()
    folder = tmp_path / "acc"
    SecretStore(mode="off").set("u", folder, HASH)
    kr.items[("tgtui", "u")] = HASH

    store.forget("u")
    assert kr.items == {}
    assert (folder / "secrets.toml").exists()
    store.forget("u")  # nothing there: fine

    kr.items[("tgtui", "u")] = HASH
    store.delete("u", folder)
    assert kr.items == {}
    assert not (folder / "secrets.toml").exists()
    assert store.get("u", folder) is None


def test_forget_with_a_locked_keyring_says_so(use):
    use(RaisingKeyring(KeyringLocked("Failed to unlock the collection!")))
    with pytest.raises(SecretUnavailableError, match="not removed"):
        SecretStore().forget("u")


def test_forget_without_any_keyring_is_silent(use):
    use(fail.Keyring())
    SecretStore().forget("u")


# -- the file on disk ------------------------------------------------------------------


def test_broken_secrets_file_is_reported_and_never_overwritten(tmp_path, use):
    use(MemoryKeyring())
    folder = tmp_path / "acc"
    folder.mkdir()
    path = folder / "secrets.toml"
    broken = 'reason = "x"\napi_hash = "' + HASH + "\n"  # unterminated string on line 2
    path.write_text(broken)
    store = SecretStore()

    with pytest.raises(ConfigFileError) as err:
        store.get("u", folder)
    assert err.value.path == path and err.value.line == 2
    assert HASH not in str(err.value)

    with pytest.raises(ConfigFileError):
        store.set("u", folder, HASH2)
    with pytest.raises(ConfigFileError):
        SecretStore(mode="off").set("u", folder, HASH2)
    assert path.read_text() == broken


def test_secrets_file_without_api_hash_is_an_error(tmp_path, use):
    use(fail.Keyring())
    folder = tmp_path / "acc"
    folder.mkdir()
    (folder / "secrets.toml").write_text("api_hash = 5\n")
    with pytest.raises(ConfigFileError, match="api_hash") as err:
        SecretStore().get("u", folder)
    assert err.value.line == 1


def test_loose_secrets_file_is_made_private_again(tmp_path, use):
    use(fail.Keyring())
    folder = tmp_path / "acc"
    store = SecretStore()
    store.set("u", folder, HASH)
    os.chmod(folder / "secrets.toml", 0o644)
    assert store.get("u", folder) == HASH
    assert mode_of(folder / "secrets.toml") == 0o600


def test_bad_arguments_are_refused_without_echoing_them(tmp_path, use):
    use(fail.Keyring())
    store = SecretStore()
    with pytest.raises(ValueError, match="uid"):
        store.set("", tmp_path, HASH)
    with pytest.raises(ValueError) as err:
        store.set("u", tmp_path, "   ")
    assert "api_hash" in str(err.value)


# -- migration -------------------------------------------------------------------------


def _accounts_in_files(tmp_path: Path, n: int) -> list[tuple[str, Path, str]]:
    out = []
    off = SecretStore(mode="off")
    for i in range(n):
        uid, folder, value = f"uid-{i}", tmp_path / f"acc{i}", f"{i:02d}" + HASH[2:]
        off.set(uid, folder, value)
        out.append((uid, folder, value))
    return out


def test_migrate_file_to_keyring_and_back(tmp_path, use):
    kr = use(MemoryKeyring())
    accounts = _accounts_in_files(tmp_path, 3)
    items = [(uid, folder) for uid, folder, _ in accounts]
    store = SecretStore()

    report = store.migrate(items, to="keyring")
    assert (len(report.moved), len(report.already), report.failed) == (3, 0, [])
    assert report.summary() == "3 moved to the system keyring, 0 already there, 0 failed"
    for uid, folder, value in accounts:
        assert not (folder / "secrets.toml").exists()
        assert kr.items[("tgtui", uid)] == value
        assert store.get(uid, folder) == value
        assert store.where(uid, folder).kind == "keyring"

    again = store.migrate(items, to="keyring")
    assert (len(again.moved), len(again.already)) == (0, 3)

    back = store.migrate(items, to="file")
    assert (len(back.moved), len(back.already), back.failed) == (3, 0, [])
    assert kr.items == {}
    for uid, folder, value in accounts:
        assert mode_of(folder / "secrets.toml") == 0o600
        assert store.get(uid, folder) == value
        where = store.where(uid, folder)
        assert where.kind == "file" and "you moved it out of the keyring" in where.description

    assert len(store.migrate(items, to="file").already) == 3


def test_migrate_to_keyring_failing_midway_loses_nothing(tmp_path, use):
    kr = use(SetFailsKeyring(KeyringLocked("Failed to unlock the collection!"), {"uid-1"}))
    accounts = _accounts_in_files(tmp_path, 3)
    store = SecretStore()

    report = store.migrate([(u, f) for u, f, _ in accounts], to="keyring")

    assert report.moved == ["uid-0", "uid-2"]
    assert [uid for uid, _ in report.failed] == ["uid-1"]
    assert "locked" in report.failed[0][1]
    assert (accounts[1][1] / "secrets.toml").exists()
    assert ("tgtui", "uid-1") not in kr.items
    for uid, folder, value in accounts:
        assert store.get(uid, folder) == value


def test_migrate_to_keyring_verifies_the_read_back(tmp_path, use):
    use(ManglingKeyring())
    [(uid, folder, value)] = _accounts_in_files(tmp_path, 1)
    store = SecretStore()
    report = store.migrate([(uid, folder)], to="keyring")
    assert report.moved == [] and "did not give the api_hash back" in report.failed[0][1]
    assert store.get(uid, folder) == value  # the file was kept and still wins


def test_migrate_to_file_failing_midway_keeps_the_keyring_entry(tmp_path, use, monkeypatch):
    kr = use(MemoryKeyring())
    store = SecretStore()
    store.set("u", tmp_path / "acc", HASH)

    def crash(step: str) -> None:
        if step == "synced":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil, "_crash_hook", crash)
    report = store.migrate([("u", tmp_path / "acc")], to="file")
    monkeypatch.setattr(fsutil, "_crash_hook", None)

    assert report.moved == [] and "No space left" in report.failed[0][1]
    assert kr.items == {("tgtui", "u"): HASH}
    assert not (tmp_path / "acc" / "secrets.toml").exists()
    assert store.get("u", tmp_path / "acc") == HASH


def test_migrate_to_file_notes_a_keyring_entry_it_could_not_remove(tmp_path, use):
    class NoDelete(MemoryKeyring):
        def delete_password(self, service, username):
            raise KeyringLocked("Failed to unlock the collection!")

    kr = use(NoDelete())
    store = SecretStore()
    store.set("u", tmp_path / "acc", HASH)
    report = store.migrate([("u", tmp_path / "acc")], to="file")
    assert report.moved == ["u"] and report.failed == []
    assert "still there" in report.notes[0][1]
    assert kr.items  # left behind, but the file now takes precedence
    assert store.where("u", tmp_path / "acc").kind == "file"


def test_migrate_to_keyring_without_a_keyring_fails_and_keeps_files(tmp_path, use):
    use(fail.Keyring())
    accounts = _accounts_in_files(tmp_path, 2)
    report = SecretStore().migrate([(u, f) for u, f, _ in accounts], to="keyring")
    assert report.moved == [] and len(report.failed) == 2
    assert "no keyring is available" in report.failed[0][1]
    for _, folder, _ in accounts:
        assert (folder / "secrets.toml").exists()


def test_migrate_reports_accounts_with_no_secret(tmp_path, use):
    use(MemoryKeyring())
    store = SecretStore()
    for to in ("keyring", "file"):
        report = store.migrate([("ghost", tmp_path / "ghost")], to=to)
        assert report.failed and "no api_hash found" in report.failed[0][1]


def test_migrate_secrets_takes_accounts(tmp_path, use):
    kr = use(MemoryKeyring())
    [(uid, folder, value)] = _accounts_in_files(tmp_path, 1)
    with_folder = Account(name="a", api_id=1, phone="+1", uid=uid, folder=folder)
    without = Account(name="b", api_id=2, phone="+2", uid="uid-b")
    report = migrate_secrets(SecretStore(), [with_folder, without], to="keyring")
    assert report.moved == [uid]
    assert report.failed == [("uid-b", "the account has no folder")]
    assert kr.items[("tgtui", uid)] == value


# -- secrets never leak ----------------------------------------------------------------


def test_reprs_and_errors_never_show_the_secret(tmp_path, use, caplog):
    caplog.set_level("DEBUG")
    use(LeakyKeyring())
    store = SecretStore()
    went = store.set("u", tmp_path / "acc", HASH)  # backend error quotes the password
    assert went.kind == "file"
    for text in (repr(store), str(store), repr(went), caplog.text):
        assert HASH not in text

    strict = SecretStore(mode="on")
    with pytest.raises(SecretStoreError) as err:
        strict.set("u", tmp_path / "acc2", HASH)
    exc = err.value
    assert exc.__cause__ is None and exc.__context__ is None
    rendered = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for text in (str(exc), repr(exc), rendered, repr(strict), caplog.text):
        assert HASH not in text

    (tmp_path / "acc3").mkdir()
    report = store.migrate([("u", tmp_path / "acc")], to="keyring")
    assert report.failed and HASH not in repr(report)


def test_mode_values():
    assert parse_mode(None) == parse_mode("") == parse_mode("auto") == "auto"
    assert parse_mode("OFF") == parse_mode("0") == parse_mode("file") == "off"
    assert parse_mode("on") == parse_mode("1") == "on"
    assert parse_mode("banana") == "auto"
