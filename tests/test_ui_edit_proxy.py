"""The account's edit dialog: a proxy password typed there goes to the secret store."""

from __future__ import annotations

from pathlib import Path

from test_ui_app import settle
from ui_fixtures import NOW, Clock, make_tg, seed_sample

from tgtui.ui.app import TgtuiApp
from tgtui.ui.widgets.account_table import AccountTable


async def test_proxy_password_from_the_edit_dialog_is_kept_out_of_the_toml(
    tmp_path: Path,
) -> None:
    from tgtui.ui.dialogs.edit import EditDialog

    clock = Clock(NOW)
    tg = make_tg(tmp_path / "cfg", clock)
    seed_sample(tg)
    app = TgtuiApp(tg, clock=clock.utc, start_monitor=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one(AccountTable).select("travel")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        app.screen.query_one("#proxy").value = "socks5://me:hunter2@10.0.0.1:1080"
        await pilot.press("enter")
        await pilot.pause()
        saved = tg.store.get("travel")
        assert (saved.proxy.username, saved.proxy.secret_ref) == ("me", "proxy")
        assert tg.store.proxy_secret(saved) == "hunter2"
        assert "hunter2" not in (saved.folder / "account.toml").read_text()
        # opened again, the form shows the proxy without its password; saving keeps it
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#proxy").value == "socks5://me@10.0.0.1:1080"
        await pilot.press("enter")
        await pilot.pause()
        assert tg.store.proxy_secret(tg.store.get("travel")) == "hunter2"
        # cleared: the proxy and its secret are gone
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#proxy").value = ""
        await pilot.press("enter")
        await pilot.pause()
        gone = tg.store.get("travel")
        assert gone.proxy is None
        left = gone.folder / "secrets.toml"
        assert not left.exists() or "hunter2" not in left.read_text()


def test_the_details_pane_says_which_server() -> None:
    from datetime import datetime, timezone

    from tgtui.accounts import Account, Server
    from tgtui.ui.widgets.panes import account_summary

    now = datetime.now(timezone.utc)
    lab = Account(name="lab", api_id=1, phone="", server=Server(2, "127.0.0.1", 8443))
    first = account_summary(lab, now).plain.splitlines()[0]
    assert first.endswith("· the server 127.0.0.1:8443")
    prod = Account(name="prod", api_id=1, phone="")
    assert "server" not in account_summary(prod, now).plain.splitlines()[0]
