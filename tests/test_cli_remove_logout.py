"""`tgtui remove NAME --logout`: logs out first; when that fails, removes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_telegram_support import API_HASH, API_ID, PHONE, Clock, make_tg

from tgtui.accounts import Account
from tgtui.cli import main
from tgtui.commands.common import override_telegram
from tgtui.telegram import importers


@pytest.fixture
def sim():
    from tgtui.telegram.sim import SimServer

    server = SimServer(seed=5)
    server.add_app(API_ID, API_HASH)
    server.add_user(PHONE, "Ann")
    return server


@pytest.fixture
def tg(tmp_path: Path, sim):
    tg = make_tg(tmp_path / "cfg", Clock(), sim)
    seed = tmp_path / "seed.session"
    sim.authorize_session(seed, PHONE, API_ID)
    tg.store.create(Account(name="work", api_id=API_ID, phone=PHONE), API_HASH, session_file=seed)
    with override_telegram(tg):
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
