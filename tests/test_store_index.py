"""The listing index: unchanged accounts are listed without parsing TOML, and an index
that is stale, broken or wrong never hides an account or shows a stale field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tgtui.accounts import Account, AccountStore, State, Status
from tgtui.accounts import store as store_module
from tgtui.accounts.secrets import SecretStore

HASH = "0123456789abcdef0123456789abcdef"


def _store(root: Path) -> AccountStore:
    return AccountStore(root, SecretStore(mode="off"))


@pytest.fixture
def root(config_root: Path) -> Path:
    store = _store(config_root)
    for i in range(5):
        store.create(Account(name=f"acct-{i}", api_id=1000 + i, phone=f"+1555000000{i}"), HASH)
    store.accounts()  # builds the index
    return config_root


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every account.toml the store parses, in order."""
    seen: list[Path] = []
    real = store_module.read_toml

    def counting(path: Path) -> dict:
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(store_module, "read_toml", counting)
    return seen


def _index(root: Path) -> Path:
    return root / "cache" / "accounts.json"


def test_unchanged_accounts_are_listed_without_parsing(root: Path, parses: list[Path]) -> None:
    listed = _store(root).accounts()
    assert [a.name for a in listed] == [f"acct-{i}" for i in range(5)]
    assert [a.api_id for a in listed] == [1000 + i for i in range(5)]
    assert parses == []
    assert _index(root).stat().st_mode & 0o777 == 0o600


def test_a_hand_edited_file_is_parsed_again(root: Path, parses: list[Path]) -> None:
    path = root / "accounts" / "acct-2" / "account.toml"
    text = path.read_text()
    assert 'label = ""' in text
    text = text.replace('label = ""', 'label = "Edited by hand"')
    path.write_text(text)
    listed = {a.name: a for a in _store(root).accounts()}
    assert listed["acct-2"].label == "Edited by hand"
    assert parses == [path]


def test_saved_statuses_keep_the_index_fresh(root: Path, parses: list[Path]) -> None:
    store = _store(root)
    store.accounts()
    store.save_status("acct-3", Status(state=State.REVOKED, reason="Logged out elsewhere"))
    store.save_index()
    parses.clear()
    listed = {a.name: a for a in _store(root).accounts()}
    assert listed["acct-3"].status.state is State.REVOKED
    assert listed["acct-3"].status.reason == "Logged out elsewhere"
    assert parses == []


def test_a_broken_index_is_rebuilt_and_hides_nothing(root: Path, parses: list[Path]) -> None:
    _index(root).write_text("{ this is not json")
    listed = _store(root).accounts()
    assert [a.name for a in listed] == [f"acct-{i}" for i in range(5)]
    assert len(parses) == 5
    assert json.loads(_index(root).read_text())["version"] == 1


def test_the_index_never_adds_hides_or_overrides_accounts(root: Path) -> None:
    doc = json.loads(_index(root).read_text())
    ghost = dict(doc["accounts"]["acct-0"])
    doc["accounts"]["ghost"] = ghost  # an account that has no folder
    del doc["accounts"]["acct-1"]  # an account the index does not know
    doc["accounts"]["acct-4"]["data"]["api_id"] = 999  # a wrong entry for a changed file
    doc["accounts"]["acct-4"]["key"][0] -= 1
    _index(root).write_text(json.dumps(doc))
    listed = {a.name: a for a in _store(root).accounts()}
    assert sorted(listed) == [f"acct-{i}" for i in range(5)]
    assert listed["acct-1"].api_id == 1001
    assert listed["acct-4"].api_id == 1004


def test_a_broken_account_file_is_reported_despite_its_entry(root: Path) -> None:
    path = root / "accounts" / "acct-0" / "account.toml"
    path.write_text("api_id = = 3")
    listed = {a.name: a for a in _store(root).accounts()}
    assert listed["acct-0"].broken and listed["acct-0"].status.state is State.BROKEN
    assert not listed["acct-1"].broken


def test_first_frame_needs_no_phone_library(root: Path) -> None:
    """Masked phones come from the index: listing and masking load no phonenumbers."""
    code = (
        "import sys\n"
        "from tgtui.accounts import AccountStore\n"
        "from tgtui.accounts.secrets import SecretStore\n"
        "from tgtui.accounts.validate import mask_phone\n"
        f"accounts = AccountStore({str(root)!r}, SecretStore(mode='off')).accounts()\n"
        "masks = [mask_phone(a.phone) for a in accounts]\n"
        "print(masks[0], 'phonenumbers' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TGTUI_KEYRING": "off"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["+1", "555", "•••", "00", "False"]
