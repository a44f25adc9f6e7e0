"""Watching many accounts: `status --on-change`, `status --format prometheus`, `history`."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from conftest import API_HASH, API_ID, OTHER, PHONE, between_sweeps, make_sim, tg_with_accounts

from tgtui.cli import main
from tgtui.commands.common import override_telegram

# The hook: appends what it got (stdin and the TGTUI_* variables) as one JSON line.
HOOK = """
import json, os, sys
doc = json.load(sys.stdin)
env = {k: v for k, v in os.environ.items() if k.startswith("TGTUI_") and k != "TGTUI_CONFIG_DIR"
       and k not in ("TGTUI_LOG_DIR", "TGTUI_KEYRING")}
with open(sys.argv[1], "a") as f:
    f.write(json.dumps({"doc": doc, "env": env}) + "\\n")
"""


@pytest.fixture
def sim():
    return make_sim(seed=3, bob=True)


@pytest.fixture
def tg(tmp_path: Path, sim):
    """Two logged-in accounts, 'ann' and 'bob'."""
    accounts = {
        name: {"phone": phone, "label": f"{name} personal"}
        for name, phone in (("ann", PHONE), ("bob", OTHER))
    }
    with override_telegram(tg_with_accounts(tmp_path / "cfg", sim, accounts)) as tg:
        yield tg


def _fired(out: Path) -> list[dict]:
    return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []


def test_on_change_fires_once_per_change_and_never_for_an_unchanged_sweep(
    tg, sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = tmp_path / "hook.py"
    hook.write_text(HOOK)
    out = tmp_path / "fired.jsonl"
    main(["status", "--json"])  # a first sweep: both OK, saved
    steps = [
        lambda: None,  # sweep 2 as sweep 1: nothing changed
        lambda: sim.ban(PHONE),  # sweep 3: ann is banned
        lambda: None,  # sweep 4: still banned, nothing new
        lambda: sim.ban(PHONE, banned=False),  # sweep 5: ann is back
    ]
    between_sweeps(monkeypatch, steps)
    cmd = f"{sys.executable} {hook} {out}"
    args = ["status", "--watch", "--json", "--interval", "1", "--count", "5", "--on-change", cmd]
    main(args)
    fired = _fired(out)
    assert [(f["doc"]["name"], f["doc"]["previous_state"], f["doc"]["state"]) for f in fired] == [
        ("ann", "ok", "banned"),
        ("ann", "banned", "ok"),
    ]
    banned = fired[0]
    assert banned["doc"]["error"] == "USER_DEACTIVATED_BAN"
    assert banned["env"]["TGTUI_ACCOUNT"] == "ann" and banned["env"]["TGTUI_STATE"] == "banned"
    assert banned["env"]["TGTUI_PREVIOUS_STATE"] == "ok"
    # Account names only: no phone, username or label unless asked for.
    text = out.read_text()
    assert "personal" not in text and "600000001" not in text and '"ann"' in text
    assert "username" not in banned["doc"] and "phone" not in banned["doc"]
    # The change went to the history too.
    kinds = [
        (e.kind, e.state.value if e.state else None) for e in tg.store.history("ann").read().events
    ]
    assert kinds[-2:] == [("state", "banned"), ("state", "ok")]


def test_on_change_compares_with_the_saved_state_across_runs(
    tg, sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From cron: each run fires for what changed since the last run, once."""
    hook = tmp_path / "hook.py"
    hook.write_text(HOOK)
    out = tmp_path / "fired.jsonl"
    cmd = f"{sys.executable} {hook} {out}"
    main(["status", "--json"])
    main(["status", "--json", "--on-change", cmd])
    assert _fired(out) == []
    sim.set_offline(True, phone=OTHER)
    main(["status", "--json", "--on-change", cmd, "--with-identity"])
    main(["status", "--json", "--on-change", cmd, "--with-identity"])
    fired = _fired(out)
    assert [(f["doc"]["name"], f["doc"]["state"]) for f in fired] == [("bob", "offline")]
    assert fired[0]["doc"]["label"] == "bob personal"
    assert fired[0]["env"]["TGTUI_LABEL"] == "bob personal"
    assert "600000002" not in fired[0]["doc"]["phone"]  # masked even when asked for


def test_on_change_shell_only_when_asked(tg, sim, tmp_path: Path, capfd) -> None:
    out = tmp_path / "fired.txt"
    main(["status", "--json"])
    sim.ban(PHONE)
    line = f'echo "$TGTUI_ACCOUNT is $TGTUI_STATE" >> {out}'
    assert main(["status", "--on-change", line]) == 1
    # Without a shell, nothing expands or redirects: echo got the words as they are.
    assert not out.exists()
    assert f"$TGTUI_ACCOUNT is $TGTUI_STATE >> {out}" in capfd.readouterr().out
    sim.ban(PHONE, banned=False)
    assert main(["status", "--json", "--on-change", line, "--shell"]) == 0
    assert out.read_text() == "ann is ok\n"


def test_on_change_bad_commands_are_named(tg, capsys) -> None:
    assert main(["status", "--on-change", "no-such-program-xyz --flag"]) == 2
    assert "no program 'no-such-program-xyz'" in capsys.readouterr().err
    assert main(["status", "--on-change", "echo 'unbalanced"]) == 2
    assert "--on-change: No closing quotation" in capsys.readouterr().err
    assert main(["status", "--shell"]) == 2
    assert "--shell only applies" in capsys.readouterr().err


def test_prometheus_output_parses_with_the_library(tg, sim, capsys) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    sim.set_flood(PHONE, 300)
    assert main(["status", "--format", "prometheus"]) == 0
    text = capsys.readouterr().out
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert set(families) >= {
        "tgtui_account_state",
        "tgtui_account_up",
        "tgtui_account_latency_seconds",
        "tgtui_account_flood_wait_seconds",
        "tgtui_account_last_check_timestamp_seconds",
    }
    assert all(f.type == "gauge" for f in families.values())
    states = {
        (s.labels["account"], s.labels["state"]): s.value
        for s in families["tgtui_account_state"].samples
    }
    assert states[("ann", "flood_wait")] == 1 and states[("ann", "ok")] == 0
    assert states[("bob", "ok")] == 1
    flood = {
        s.labels["account"]: s.value for s in families["tgtui_account_flood_wait_seconds"].samples
    }
    assert 290 <= flood["ann"] <= 300 and flood["bob"] == 0
    latency = {
        s.labels["account"]: s.value for s in families["tgtui_account_latency_seconds"].samples
    }
    assert set(latency) == {"bob"} and 0 <= latency["bob"] < 5  # seconds, not ms
    # Labels are account names only.
    labels = {k for f in families.values() for s in f.samples for k in s.labels}
    assert labels == {"account", "state"}
    assert "personal" not in text and 'ann"' in text and "@" not in text


def test_prometheus_identity_only_when_asked_and_escaped(tg, capsys) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    account = tg.store.get("ann")
    tg.store.update(account.__class__(**{**account.__dict__, "label": 'Ann "main"\\ \n x'}))
    assert main(["status", "--format", "prometheus", "--with-identity"]) == 0
    text = capsys.readouterr().out
    info = {f.name: f for f in text_string_to_metric_families(text)}["tgtui_account_info"]
    ann = next(s for s in info.samples if s.labels["account"] == "ann")
    assert ann.labels["label"] == 'Ann "main"\\ \n x'
    assert ann.labels["username"] == "ann" and "600000001" not in ann.labels["phone"]


def test_prometheus_refuses_watch(tg, capsys) -> None:
    assert main(["status", "--format", "prometheus", "--watch"]) == 2
    assert "run it from cron" in capsys.readouterr().err


def test_history_command(tg, sim, capsys) -> None:
    main(["status", "--json"])
    sim.set_flood(PHONE, 120)
    main(["status", "--json"])
    capsys.readouterr()
    assert main(["history", "ann"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Now: FLOOD_WAIT since \d+ s \(FLOOD_WAIT\)", out), out
    assert "flood wait of 2 min" in out
    assert "Flood waits: 1 (2 min in all)" in out and "login" in out
    assert main(["history", "ann", "--since", "7d", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["state"] == "flood_wait" and doc["counts"]["flood_waits"] == 1
    assert [e["kind"] for e in doc["events"]] == ["login", "state", "state", "flood"]
    assert doc["events"][-1]["seconds"] == 120


def test_history_bad_input(tg, capsys) -> None:
    assert main(["history", "ann", "--since", "a week"]) == 2
    assert "--since: 'a week' is not a period" in capsys.readouterr().err
    assert main(["history", "nobody"]) == 2
    assert "No account named 'nobody'" in capsys.readouterr().err


async def test_login_logout_relogin_are_in_the_history(tmp_path: Path) -> None:
    """Through the real login flow and actions, against the simulator."""
    from test_telegram_support import login

    from tgtui.telegram.actions import log_out
    from tgtui.telegram.flow import LoginFlow, Step

    server = make_sim(seed=4)
    tg = tg_with_accounts(tmp_path / "cfg", server)
    account = await login(tg, server)
    await log_out(tg, account)
    flow = LoginFlow(tg, name="work", relogin=tg.store.get("work"))
    await flow.set_credentials(API_ID, API_HASH)
    await flow.send_code(PHONE)
    await flow.sign_in_code(server.last_code(PHONE))
    assert flow.step is Step.DONE
    events = tg.store.history("work").read().events
    assert [(e.kind, e.state.value if e.state else None) for e in events] == [
        ("login", None),
        ("state", "ok"),
        ("logout", None),
        ("state", "needs_login"),
        ("relogin", None),
        ("state", "ok"),
    ]


def test_a_failing_on_change_command_is_reported_and_watching_goes_on(
    tg, sim, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["status", "--json"])
    capsys.readouterr()
    between_sweeps(monkeypatch, [lambda: sim.ban(PHONE), lambda: sim.ban(OTHER)])
    args = ["status", "--watch", "--json", "--interval", "1", "--count", "3"]
    assert main([*args, "--on-change", "false"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("--on-change for") == 2  # ann, then bob: both tried
    assert "--on-change for 'ann' exited with 1" in captured.err
    assert len(captured.out.splitlines()) == 3  # every sweep was printed


def test_an_import_starts_the_history_with_import(
    tg, sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tgtui.commands import prompts
    from tgtui.telegram import session_import
    from tgtui.telegram.importers import read_telethon_file

    monkeypatch.setenv("TG_HASH", API_HASH)
    seed = tmp_path / "other.session"
    sim.authorize_session(seed, OTHER, API_ID)
    with prompts.use(prompts.Scripted([])):
        args = ["import", "carol", "--session", str(seed), "--api-id", str(API_ID)]
        assert main([*args, "--api-hash-env", "TG_HASH"]) == 0
    kinds = [(e.kind, e.state) for e in tg.store.history("carol").read().events]
    assert [k for k, _ in kinds] == ["import", "state"]
    # The app's import screen goes through session_import.adopt: the same first event.
    session_import.adopt(tg, "dave", "", read_telethon_file(seed), API_ID, API_HASH)
    assert [e.kind for e in tg.store.history("dave").read().events] == ["import"]
