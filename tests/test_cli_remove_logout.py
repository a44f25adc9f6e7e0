"""`tgtui remove NAME --logout`: logs out first; when that fails, removes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PHONE, make_sim, tg_with_accounts

from tgtui.cli import main
from tgtui.commands.common import override_telegram
from tgtui.telegram import importers


@pytest.fixture
def sim():
    return make_sim(seed=5, ann=("Ann",))


@pytest.fixture
def tg(tmp_path: Path, sim):
    accounts = {"work": {"phone": PHONE}}
    with override_telegram(tg_with_accounts(tmp_path / "cfg", sim, accounts)) as tg:
        yield tg


def test_logout_then_trash(tg, sim, capsys) -> None:
    key = importers.read_telethon_file(tg.store.get("work").session_path).auth_key
    assert main(["remove", "work", "--logout", "--yes"]) == 0
    captured = capsys.readouterr()
    assert "Logged 'work' out on Telegram." in captured.err
    assert "Moved 'work' to the trash." in captured.out
    assert not sim.is_authorized_key(key) and tg.store.names() == []


def test_failed_logout_removes_nothing_even_with_yes(tg, sim, capsys) -> None:
    sim.set_offline(True)
    assert main(["remove", "work", "--logout", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "could not log 'work' out" in err and "Nothing was removed." in err
    assert err.count("\n") == 1
    assert tg.store.names() == ["work"]


def test_nothing_to_log_out(tg, capsys) -> None:
    tg.store.get("work").session_path.unlink()
    assert main(["remove", "work", "--logout", "--yes"]) == 0
    assert "has no session to log out" in capsys.readouterr().err
