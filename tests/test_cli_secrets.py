"""`tgtui secrets where|migrate`: counts, exit codes, never a secret on screen."""

from __future__ import annotations

from pathlib import Path

from tgtui.accounts import Account, AccountStore
from tgtui.accounts.secrets import SecretStore
from tgtui.cli import main

HASH = "0123456789abcdef0123456789abcdef"


def _seed(root: Path) -> None:
    from tgtui.config import prepare

    store = AccountStore(prepare(root), SecretStore(mode="off"))
    store.create(Account(name="a", api_id=1, phone="+15551234567"), HASH)
    store.create(Account(name="b", api_id=2, phone="+15551234568"), HASH)


def test_where_lists_each_account(config_root: Path, capsys) -> None:
    _seed(config_root)
    assert main(["--config-dir", str(config_root), "secrets", "where"]) == 0
    out = capsys.readouterr().out
    assert "New secrets go to: private file" in out
    assert "  a: private file" in out and "  b: private file" in out
    assert HASH not in out


def test_migrate_to_file_counts_already_there(config_root: Path, capsys) -> None:
    _seed(config_root)
    assert main(["--config-dir", str(config_root), "secrets", "migrate", "--to", "file"]) == 0
    assert "0 moved to private files, 2 already there, 0 failed." in capsys.readouterr().out


def test_migrate_to_unusable_keyring_fails_per_account(config_root: Path, capsys) -> None:
    _seed(config_root)
    code = main(["--config-dir", str(config_root), "secrets", "migrate", "--to", "keyring"])
    out = capsys.readouterr().out
    assert code == 1
    assert "0 moved to the system keyring, 0 already there, 2 failed." in out
    assert "  a: not moved — the keyring cannot be used" in out
    assert (config_root / "accounts/a/secrets.toml").exists()  # nothing lost
    assert HASH not in out


def test_migrate_needs_a_target(config_root: Path, capsys) -> None:
    try:
        main(["--config-dir", str(config_root), "secrets", "migrate", "--to", "cloud"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "invalid choice" in capsys.readouterr().err
