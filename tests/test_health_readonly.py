"""A health check reads the session file and never writes it, so it never disturbs (or
waits on) a user's own script that has the same SQLite file open."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from tests.test_telegram_support import login
from tgtui.accounts import State
from tgtui.telegram import Telegram
from tgtui.telegram.health import check
from tgtui.telegram.sim import SimServer


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_check_leaves_the_session_file_byte_for_byte(tg: Telegram, server: SimServer) -> None:
    account = await login(tg, server)
    before = (_digest(account.session_path), account.session_path.stat().st_mtime_ns)
    for _ in range(3):
        health = await check(tg, tg.store.get(account.name))
        assert health.state is State.OK
    assert (_digest(account.session_path), account.session_path.stat().st_mtime_ns) == before


async def test_check_works_while_another_program_holds_a_write_lock(
    tg: Telegram, server: SimServer
) -> None:
    account = await login(tg, server)
    other = sqlite3.connect(account.session_path, isolation_level=None)
    try:
        other.execute("begin immediate")  # a script mid-write: others cannot write now
        health = await check(tg, tg.store.get(account.name))
        assert health.state is State.OK, health.reason
    finally:
        other.execute("rollback")
        other.close()


async def test_empty_session_file_means_log_in(tg: Telegram, server: SimServer) -> None:
    account = await login(tg, server)
    account.session_path.write_bytes(b"")
    health = await check(tg, tg.store.get(account.name))
    assert health.state is State.NEEDS_LOGIN, health
