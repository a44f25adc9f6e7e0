"""The proxy's password / MTProxy secret beside the api_hash: keyring, file, or both."""

from __future__ import annotations

from pathlib import Path

import test_secrets
from keyring.errors import KeyringError
from test_secrets import MemoryKeyring, SetFailsKeyring

from tgtui.accounts.keyring_probe import SERVICE
from tgtui.accounts.secret_file import secret_path
from tgtui.accounts.secrets import SecretStore

HASH = "0123456789abcdef0123456789abcdef"

_isolated = test_secrets._isolated  # the same clean environment (autouse)
use = test_secrets.use  # installs a test keyring backend


def test_both_secrets_in_the_keyring_and_gone_together(use, tmp_path: Path) -> None:
    ring = use(MemoryKeyring())
    store = SecretStore()
    store.set("u1", tmp_path, HASH)
    assert store.set_extra("u1", tmp_path, "proxy", "pw").kind == "keyring"
    assert ring.items[(SERVICE, "u1")] == HASH and ring.items[(SERVICE, "u1:proxy")] == "pw"
    assert not secret_path(tmp_path).exists()
    assert store.get_extra("u1", tmp_path, "proxy") == "pw"
    store.delete("u1", tmp_path)
    assert (SERVICE, "u1:proxy") not in ring.items and (SERVICE, "u1") not in ring.items


def test_a_proxy_secret_in_the_file_does_not_hide_the_keyring_api_hash(
    use, tmp_path: Path
) -> None:
    use(SetFailsKeyring(KeyringError("locked"), uids={"u1:proxy"}))
    store = SecretStore()
    store.set("u1", tmp_path, HASH)  # to the keyring
    assert store.set_extra("u1", tmp_path, "proxy", "pw").kind == "file"  # refused: file
    text = secret_path(tmp_path).read_text()
    assert "pw" in text and HASH not in text
    assert store.get("u1", tmp_path) == HASH  # still read from the keyring
    assert store.get_extra("u1", tmp_path, "proxy") == "pw"
    store.set_extra("u1", tmp_path, "proxy", None)  # removed: the file goes with it
    assert not secret_path(tmp_path).exists()


def test_file_mode_keeps_both_in_one_private_file(tmp_path: Path) -> None:
    store = SecretStore(mode="off")
    store.set("u1", tmp_path, HASH)
    store.set_extra("u1", tmp_path, "proxy", "dd" + "ab" * 16)
    store.set("u1", tmp_path, "f" * 32)  # a new api_hash keeps the proxy secret
    path = secret_path(tmp_path)
    assert (path.stat().st_mode & 0o777) == 0o600
    assert store.get("u1", tmp_path) == "f" * 32
    assert store.get_extra("u1", tmp_path, "proxy") == "dd" + "ab" * 16


def test_migration_moves_the_proxy_secret_with_the_api_hash(use, tmp_path: Path) -> None:
    ring = use(MemoryKeyring())
    files = SecretStore(mode="off")
    files.set("u1", tmp_path, HASH)
    files.set_extra("u1", tmp_path, "proxy", "pw")
    store = SecretStore()
    report = store.migrate([("u1", tmp_path)], "keyring")
    assert report.ok and report.moved == ["u1"]
    assert not secret_path(tmp_path).exists()  # nothing left behind, nothing lost
    assert ring.items[(SERVICE, "u1")] == HASH and ring.items[(SERVICE, "u1:proxy")] == "pw"
    back = store.migrate([("u1", tmp_path)], "file")
    assert back.ok and back.moved == ["u1"]
    assert (SERVICE, "u1:proxy") not in ring.items and (SERVICE, "u1") not in ring.items
    assert files.get("u1", tmp_path) == HASH
    assert files.get_extra("u1", tmp_path, "proxy") == "pw"
