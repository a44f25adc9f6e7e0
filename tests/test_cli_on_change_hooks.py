"""`status --watch --on-change CMD`: the runs go beside the watch, with real child processes.

A slow run holds up neither the next sweep nor another account's run; a hung one is
stopped (with what it started) after its time limit and reported; one account's runs go
one at a time, in order; at most the limit run at once.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import OTHER, PHONE, between_sweeps, make_sim, tg_with_accounts

from tgtui.cli import main
from tgtui.commands.common import override_telegram
from tgtui.commands.hook_runner import HookPool
from tgtui.telegram.context import Telegram


@pytest.fixture
def sim():
    return make_sim(seed=3, bob=True)


@pytest.fixture
def tg(tmp_path: Path, sim) -> Iterator[Telegram]:
    """Two logged-in accounts, 'ann' and 'bob', used by every command meanwhile."""
    accounts = {"ann": {"phone": PHONE}, "bob": {"phone": OTHER}}
    with override_telegram(tg_with_accounts(tmp_path / "cfg", sim, accounts)) as tg:
        yield tg


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie nobody reaped yet counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _wait_for(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


# A shell hook: ann's run hangs (a `sleep` it started in the background, its pid noted),
# bob's run notes that it ran. Both start at once, each in its own process group.
SLOW_ANN = (
    'if [ "$TGTUI_ACCOUNT" = ann ]; then sleep 30 & echo $! > {pids}; wait; fi; '
    'echo "$TGTUI_ACCOUNT $TGTUI_STATE" >> {out}'
)


def test_a_hung_hook_delays_neither_the_watch_nor_another_account_and_is_stopped(
    tg, sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    main(["status", "--json"])  # both OK, saved
    capsys.readouterr()
    out, pids = tmp_path / "ran.txt", tmp_path / "ann.pid"
    marks: dict[str, bool] = {}

    def ban_both() -> None:
        sim.ban(PHONE)
        sim.ban(OTHER)

    def after_the_change() -> None:  # sweep 2 has just started both runs
        marks["bob ran"] = _wait_for(out.exists) and _wait_for(pids.exists)

    def after_the_next_sweep() -> None:
        marks["ann still running"] = _alive(int(pids.read_text()))

    between_sweeps(monkeypatch, [ban_both, after_the_change, after_the_next_sweep])
    line = SLOW_ANN.format(pids=pids, out=out)
    started = time.monotonic()
    args = ["status", "--watch", "--json", "--interval", "1", "--count", "4", "--shell"]
    assert main([*args, "--on-change", line, "--on-change-timeout", "1.5"]) == 1
    took = time.monotonic() - started
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 4  # every sweep printed
    # Bob's run went while ann's hung, and the next sweep came while it still hung.
    assert marks == {"bob ran": True, "ann still running": True}
    assert out.read_text() == "bob banned\n"
    # Ann's run was stopped at its limit, with the sleep it started, and said so.
    assert "--on-change for 'ann' ran longer than 1.5 s and was stopped" in captured.err
    assert "'bob'" not in captured.err
    pid = int(pids.read_text())
    assert _wait_for(lambda: not _alive(pid)), "the hook's own child was left running"
    assert 1.5 <= took < 10, took  # waited for the limit, not for the 30 s sleep


def test_one_accounts_runs_go_one_at_a_time_in_order(
    tg, sim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["status", "--json"])
    log = tmp_path / "runs.jsonl"
    # Each run notes when it started and ended; ann's first run is the slow one.
    hook = tmp_path / "hook.sh"
    hook.write_text(
        "#!/bin/sh\n"
        f'echo "{{\\"who\\": \\"$TGTUI_ACCOUNT\\", \\"state\\": \\"$TGTUI_STATE\\", '
        f'\\"at\\": \\"start\\"}}" >> {log}\n'
        'if [ "$TGTUI_STATE" = banned ]; then sleep 0.6; fi\n'
        f'echo "{{\\"who\\": \\"$TGTUI_ACCOUNT\\", \\"state\\": \\"$TGTUI_STATE\\", '
        f'\\"at\\": \\"end\\"}}" >> {log}\n'
    )
    hook.chmod(0o700)
    steps = [lambda: sim.ban(PHONE), lambda: sim.ban(PHONE, banned=False), lambda: None]
    between_sweeps(monkeypatch, steps)
    args = ["status", "--watch", "--json", "--interval", "1", "--count", "4"]
    assert main([*args, "--on-change", str(hook)]) == 0
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["state"], r["at"]) for r in runs if r["who"] == "ann"] == [
        ("banned", "start"),
        ("banned", "end"),  # the second run waited for the first
        ("ok", "start"),
        ("ok", "end"),
    ]


def test_no_more_than_the_limit_run_at_once(tmp_path: Path) -> None:
    log = tmp_path / "runs.txt"
    line = f'echo "+ $NAME" >> {log}; sleep 0.4; echo "- $NAME" >> {log}'
    said: list[str] = []
    pool = HookPool(line, limit=2, timeout=5, report=said.append)
    started = time.monotonic()
    for n in range(6):
        pool.submit(f"acct{n}", b"{}", {**os.environ, "NAME": f"acct{n}"})
    pool.close()
    took = time.monotonic() - started
    running = peak = 0
    for entry in log.read_text().splitlines():
        running += 1 if entry.startswith("+") else -1
        peak = max(peak, running)
    assert peak == 2 and said == []
    assert len(log.read_text().splitlines()) == 12  # all six ran, start to end
    assert 1.2 <= took < 4, took  # three rounds of two, not six in a row


def test_ctrl_c_stops_the_runs_still_going(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    said: list[str] = []
    pool = HookPool(f"echo $$ >> {pids}; exec sleep 30", limit=1, timeout=60, report=said.append)
    pool.submit("ann", b"{}", dict(os.environ))
    pool.submit("ann", b"{}", dict(os.environ))  # queued behind the first
    assert _wait_for(pids.exists)
    started = time.monotonic()
    assert pool.stop() == 2  # one stopped, one never started
    assert time.monotonic() - started < 5
    pid = int(pids.read_text().split()[0])
    assert _wait_for(lambda: not _alive(pid))
    assert len(pids.read_text().split()) == 1 and said == []


def test_on_change_timeout_is_checked_where_it_was_typed(tg, capsys) -> None:
    assert main(["status", "--on-change", "true", "--on-change-timeout", "0"]) == 2
    assert "--on-change-timeout must be a number of seconds above 0" in capsys.readouterr().err
    assert main(["status", "--on-change-timeout", "5"]) == 2
    assert "--on-change-timeout only applies to --on-change CMD." in capsys.readouterr().err


def test_help_says_how_the_runs_go(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["status", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "The runs do not hold up the watch: at most 4 at once" in text
    assert "one at a time per account in the order of its changes" in text
    assert "--on-change-timeout SECONDS" in text and "(default: 60)" in text
