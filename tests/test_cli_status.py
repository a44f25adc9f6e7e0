"""`tgtui status`: live checks against the simulator; table, JSON schema, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import OTHER, PHONE, make_sim, tg_with_accounts

from tgtui.cli import main
from tgtui.commands.common import override_telegram

ACCOUNT_KEYS = {
    "name",
    "label",
    "phone",
    "state",
    "reason",
    "error",
    "latency_ms",
    "flood_until",
    "user",
    "dc",
    "two_fa",
    "other_sessions",
}


@pytest.fixture
def sim():
    return make_sim(seed=2, bob=True)


@pytest.fixture
def tg(tmp_path: Path, sim):
    """Two logged-in accounts, 'ann' and 'bob', used by every command meanwhile."""
    accounts = {"ann": {"phone": PHONE, "label": "Ann"}, "bob": {"phone": OTHER, "label": "Bob"}}
    with override_telegram(tg_with_accounts(tmp_path / "cfg", sim, accounts)) as tg:
        yield tg


def test_all_ok_is_exit_0_with_a_table(tg, capsys) -> None:
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "STATE", "USER", "DC", "LATENCY", "REASON"]
    assert lines[1].split()[:4] == ["ann", "OK", "@ann", "2"]
    assert lines[2].split()[:3] == ["bob", "OK", "Bob"]
    assert lines[-1] == "2 OK"


def test_json_schema_and_attention_exit_1(tg, sim, capsys) -> None:
    sim.revoke(OTHER)
    assert main(["status", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"checked_at", "accounts", "summary"}
    assert doc["summary"] == {"ok": 1, "attention": 1}
    ann, bob = doc["accounts"]
    assert set(ann) == ACCOUNT_KEYS == set(bob)
    assert ann["state"] == "ok" and ann["error"] is None and ann["dc"] == 2
    assert ann["user"] == {
        "id": ann["user"]["id"],
        "username": "ann",
        "name": "Ann Lee",
        "premium": False,
    }
    assert ann["two_fa"] is False and bob["name"] == "bob" and ann["label"] == "Ann"
    assert ann["phone"].startswith("+34") and "•" in ann["phone"]
    assert bob["state"] in ("revoked", "needs_login") and bob["error"]
    assert isinstance(ann["latency_ms"], float)
    assert tg.store.get("bob").status.state.value == bob["state"]  # cached for `list`


def test_names_filter_and_unknown_name(tg, sim, capsys) -> None:
    sim.revoke(OTHER)
    assert main(["status", "ann", "--json"]) == 0
    assert [a["name"] for a in json.loads(capsys.readouterr().out)["accounts"]] == ["ann"]
    assert main(["status", "ann", "nope"]) == 2
    err = capsys.readouterr().err
    assert err == "tgtui: No account named 'nope'. `tgtui list` shows the names.\n"


def test_locked_is_informational_unless_strict(tg, sim, capsys) -> None:
    # A script holding the account with open_client is normal: exit 0 (it was 1).
    with tg.store.lock("ann"):
        assert main(["status", "--json"]) == 0
        ann = json.loads(capsys.readouterr().out)["accounts"][0]
        assert main(["status"]) == 0
        assert "1 OK, 1 in use by another program" in capsys.readouterr().out
        assert main(["status", "--strict"]) == 1
    capsys.readouterr()
    assert ann["state"] == "locked" and f"pid {os.getpid()}" in ann["reason"]


def test_flood_wait_needs_attention(tg, sim, capsys) -> None:
    sim.set_flood(PHONE, 300)
    assert main(["status", "ann", "--json"]) == 1
    ann = json.loads(capsys.readouterr().out)["accounts"][0]
    assert ann["state"] == "flood_wait" and ann["flood_until"] and ann["error"] == "FLOOD_WAIT"


def test_watch_prints_one_json_line_per_sweep(tg, capsys) -> None:
    assert main(["status", "--json", "--watch", "--interval", "0.01", "--count", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(json.loads(x)["summary"]["ok"] == 2 for x in lines)


def test_no_accounts(tmp_path: Path, capsys) -> None:
    root = str(tmp_path / "empty")
    assert main(["--config-dir", root, "status"]) == 0
    assert "No accounts yet" in capsys.readouterr().out
    assert main(["--config-dir", root, "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accounts"] == []


def test_bad_config_is_exit_2(tmp_path: Path, capsys) -> None:
    root = tmp_path / "cfg"
    root.mkdir()
    (root / "config.toml").write_text("refresh_interval = 'soon'\n")
    assert main(["--config-dir", str(root), "status"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "config.toml" in err


def test_demo_status_json_through_the_console() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "tgtui", "--demo", "status", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode in (0, 1), res.stderr
    doc = json.loads(res.stdout)
    states = {a["name"]: a["state"] for a in doc["accounts"]}
    assert len(states) >= 4, states
    assert "ok" in states.values() and set(states.values()) != {"ok"}
    assert res.returncode == 1  # the demo shows accounts that need attention
    assert doc["summary"]["ok"] + doc["summary"]["attention"] == len(states)
