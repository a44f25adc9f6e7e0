"""The shared test set-up in conftest.py: one clock for every layer, one `make_tg`."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import Clock, make_tg

from tgtui.telegram.sim import SimServer


def test_the_clock_tells_the_same_moment_to_every_layer() -> None:
    start = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
    clock = Clock(start)
    assert clock() == start.timestamp() and clock.utc() == start
    clock.advance(90)
    assert clock() == start.timestamp() + 90
    assert clock.utc() == datetime(2026, 11, 22, 10, 1, 30, tzinfo=timezone.utc)


def test_make_tg_gives_telegram_the_clock_and_the_simulator(tmp_path: Path) -> None:
    clock, sim = Clock(1_800_000_000), SimServer()
    tg = make_tg(tmp_path / "cfg", clock, sim)
    assert tg.sim is sim and tg.now() == clock.utc()
    assert (tmp_path / "cfg" / "accounts").is_dir() and tg.store.names() == []


def test_make_tg_refuses_the_simulator_where_the_clock_goes(tmp_path: Path) -> None:
    """The old Telegram-test order, make_tg(root, server, clock), fails at once and says so."""
    with pytest.raises(TypeError, match="the clock comes before the simulator"):
        make_tg(tmp_path / "cfg", SimServer(), Clock())  # type: ignore[arg-type]


def test_tg_with_accounts_gives_sessions_telegram_accepts(tmp_path: Path, capsys) -> None:
    """The CLI tests' world: `tgtui status` finds Ann and Bob logged in, with their labels."""
    import json

    from conftest import OTHER, PHONE, make_sim, tg_with_accounts

    from tgtui.cli import main
    from tgtui.commands.common import override_telegram

    accounts = {"ann": {"phone": PHONE, "label": "Ann"}, "bob": {"phone": OTHER}}
    with override_telegram(
        tg_with_accounts(tmp_path / "cfg", make_sim(seed=1, bob=True), accounts)
    ):
        assert main(["status", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    seen = [
        (a["name"], a["label"], a["state"], a["user"]["name"], a["two_fa"]) for a in doc["accounts"]
    ]
    assert seen == [("ann", "Ann", "ok", "Ann Lee", False), ("bob", "", "ok", "Bob", True)]


def test_between_sweeps_replaces_only_the_watch_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The --on-change runs wait in threads with time.sleep: it must stay the real one."""
    import time

    from conftest import between_sweeps

    from tgtui.commands import status_cmd

    real, ran = time.sleep, []
    between_sweeps(monkeypatch, [lambda: ran.append(1)])
    status_cmd.time.sleep(60)  # the watch's pause: runs the step at once
    assert ran == [1] and time.sleep is real
