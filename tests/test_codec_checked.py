"""Listing from the index builds accounts without re-checking types (`from_checked`):
the accounts are exactly those `from_toml` builds, and an index entry that is not as
written is checked in full (a bad value shows as a broken account, as from the file)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from tgtui.accounts import Account, AccountStore, Proxy, Server, State, Status, UserInfo
from tgtui.accounts.codec import from_checked, from_toml, to_toml
from tgtui.accounts.secrets import SecretStore
from tgtui.accounts.tomlio import write_toml

T = datetime(2026, 11, 22, 10, 0, 0, tzinfo=timezone.utc)
FULL = Account(
    name="full",
    api_id=12345,
    phone="+15555550100",
    label="Shop bot",
    uid="u-1",
    created=T,
    proxy=Proxy("socks5", "10.0.0.1", 1080, "bob", "proxy"),
    server=Server(2, "149.154.167.40", 443, "key.pem", True),
    status=Status(State.FLOOD_WAIT, "wait", T, 142.5, "FLOOD_WAIT", T, 2, True, 3, T),
    user=UserInfo(7, "Neo", "Anderson", "neo", True),
)
BARE = Account(name="bare", api_id=1, phone="+15555550101", created=T)


def test_from_checked_builds_what_from_toml_builds(tmp_path: Path) -> None:
    for account in (FULL, BARE):
        path = tmp_path / account.name / "account.toml"
        path.parent.mkdir()
        data = write_toml(path, to_toml(account))
        fast, full = from_checked(path, data, account.name), from_toml(path, data, account.name)
        assert fast == full
        assert fast.folder == full.folder == path.parent
        assert fast.created == full.created


def test_an_index_entry_not_as_written_is_checked_in_full(config_root: Path) -> None:
    store = AccountStore(config_root, SecretStore(mode="off"))
    store.create(Account(name="acct", api_id=1000, phone="+15555550102"), "0" * 32)
    store.accounts()  # builds the index
    index = config_root / "cache" / "accounts.json"
    doc = json.loads(index.read_text())
    doc["accounts"]["acct"]["data"]["status"]["state"] = "no-such-state"
    index.write_text(json.dumps(doc))
    listed = AccountStore(config_root, SecretStore(mode="off")).accounts()
    assert [a.name for a in listed] == ["acct"]
    assert listed[0].status.state is State.BROKEN
    assert "no-such-state" in listed[0].broken
