"""The list's first frame is drawn from account.toml alone (the status journal costs ~8 ms
at 1,000 accounts to read); the journal's newer check times follow right after, and never
replace a result that arrived in between."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_ui_app import settle
from ui_fixtures import NOW, Clock, ago, make_tg, seed_sample

from tgtui.accounts.model import State
from tgtui.ui.app import TgtuiApp
from tgtui.ui.screens.accounts import AccountsScreen
from tgtui.ui.widgets.panes import DetailsPane


def _recheck(tg, name: str, seconds_ago: float, latency: float):
    """The same state found again: the store journals it (account.toml keeps the old time)."""
    account = tg.store.get(name)
    status = replace(account.status, checked_at=ago(seconds_ago), latency_ms=latency)
    return tg.store.save_status(name, status, account.user)


async def test_the_journals_newer_checks_reach_the_list_after_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(NOW)
    tg = make_tg(tmp_path / "cfg", clock)
    seed_sample(tg)
    listings: list[bool] = []
    real_accounts = type(tg.store).accounts

    def accounts(store, *, journal: bool = True):  # type: ignore[no-untyped-def]
        listings.append(journal)
        return real_accounts(store, journal=journal)

    monkeypatch.setattr(type(tg.store), "accounts", accounts)
    _recheck(tg, "work", 5, 61.0)
    on_file = {a.name: a for a in tg.store.accounts(journal=False)}
    assert on_file["work"].status.checked_at == ago(120)  # account.toml was not rewritten
    listings.clear()
    app = TgtuiApp(tg, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        work = screen.accounts["work"]
        assert work.status.checked_at == ago(5) and work.status.latency_ms == 61.0
        screen.query_one("#table").select("work")  # type: ignore[attr-defined]
        await settle(pilot, app)
        details = str(screen.query_one(DetailsPane).render())
        assert "61 ms" in details, details
    assert listings[:2] == [False, True]  # the first frame did not wait for the journal


async def test_a_result_shown_before_the_journal_was_read_is_kept(tmp_path: Path) -> None:
    clock = Clock(NOW)
    tg = make_tg(tmp_path / "cfg", clock)
    seed_sample(tg)
    _recheck(tg, "work", 60, 70.0)
    app = TgtuiApp(tg, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        newer = replace(screen.accounts["work"].status, checked_at=ago(1), latency_ms=50.0)
        screen.apply([screen.accounts["work"].with_status(newer, None)])
        stale = tg.store.accounts()  # what a slow journal read would bring: the 60 s check
        screen._take_newer_checks(stale)
        assert screen.accounts["work"].status.checked_at == ago(1)
        gone_state = [replace(a, status=replace(a.status, state=State.REVOKED)) for a in stale]
        screen._take_newer_checks(gone_state)  # another state: the screen's own is newer
        assert screen.accounts["work"].status.state is State.OK
