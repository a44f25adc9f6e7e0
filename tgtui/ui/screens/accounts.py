"""The main screen: every account with its last known health, updated live."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input

from tgtui.accounts.model import Account, State
from tgtui.i18n import N_, _
from tgtui.ui import keys
from tgtui.ui.errors import report_error
from tgtui.ui.format import clock_reading, flood_left, secrets_short, secrets_tiny
from tgtui.ui.messages import HealthChanged, HealthsChanged, SecretsProbed
from tgtui.ui.screens.base import TgtuiScreen
from tgtui.ui.widgets.account_table import AccountTable
from tgtui.ui.widgets.panes import DetailsPane, EmptyState, SummaryLine

if TYPE_CHECKING:
    from tgtui.accounts.store import TrashEntry
    from tgtui.ui.app import TgtuiApp
    from tgtui.ui.dialogs.remove import RemoveChoice

log = logging.getLogger(__name__)

FLUSH_EVERY = 0.2  # seconds: health updates are applied in batches, at most this late
FILTER_HINT = N_("Filter: name, label, phone or user · Esc clears")


def matches(account: Account, query: str) -> bool:
    """True when `query` is in the name, label, phone or Telegram user (case-insensitive)."""
    query = query.strip().lower()
    if not query:
        return True
    fields = [account.name, account.label, account.phone]
    if account.user:
        u = account.user
        fields += [u.display, u.username, u.first_name, u.last_name, str(u.id)]
    return any(query in f.lower() for f in fields if f)


class AccountsScreen(TgtuiScreen[None]):
    """The list of accounts, a details pane for the selection, and a summary line."""

    AUTO_FOCUS = ""  # focus is managed: never the hidden filter box
    KEYS = keys.LIST
    HELP_TITLE = N_("keys of the account list")
    BINDINGS = keys.bindings(KEYS)

    def __init__(self) -> None:
        super().__init__(id="accounts-screen")
        self.accounts: dict[str, Account] = {}
        self.query_text = ""
        self.by_since = False  # newest state change first, instead of by name
        self.secrets_found: tuple[str, str] | None = None  # (backend kind, description)
        self.last_removed: TrashEntry | None = None
        self._monitor: Any = None
        self._monitor_running = False
        self._pending: dict[str, HealthChanged] = {}
        self._flush_timer: Any = None

    @property
    def tgapp(self) -> TgtuiApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Header, filter, table (or first-run panel), details, summary, footer."""
        yield Header()
        with Vertical(id="main"):
            yield Input(placeholder=_(FILTER_HINT), id="filter")
            yield AccountTable(self.tgapp.now, id="table")
            yield EmptyState(id="empty")
            yield DetailsPane(id="details")
        yield SummaryLine(id="summary")
        yield Footer()

    def on_mount(self) -> None:
        """Show what is on disk now; then probe secrets and start the monitor."""
        if self.tgapp.tg.store.names():
            self.query_one(AccountTable).focus()
        self.reload(journal=False)  # the first frame, as fast as the files allow
        self.app.call_after_refresh(self.newer_checks)  # (a thread now would slow it)
        self.probe_secrets()
        self.set_interval(1.0, self.tick)
        if self.tgapp.start_monitor:
            self.run_monitor()

    # ------------------------------------------------------------------ view
    def retranslate(self) -> None:
        """Everything in the interface language again; cursor, filter and order are kept."""
        super().retranslate()
        self.query_one("#filter", Input).placeholder = _(FILTER_HINT)
        self.redraw()  # the summary translates where secrets go as it draws

    def reload(self, select: str | None = None, *, journal: bool = True) -> None:
        """Read every account from disk (fast, no network) and redraw (see
        `newer_checks` for `journal`)."""
        accounts = self.tgapp.tg.store.accounts(journal=journal)
        self.accounts = {a.name: a for a in accounts}
        self.redraw(select)

    def shown_accounts(self) -> list[Account]:
        """The accounts that pass the filter, by name (or newest state change first)."""
        shown = [a for a in self.accounts.values() if matches(a, self.query_text)]
        shown.sort(key=lambda a: (a.title.lower(), a.name))
        if self.by_since:  # never-changed accounts last
            shown.sort(key=lambda a: -a.status.since.timestamp() if a.status.since else 0.0)
        return shown

    def action_sort_since(self) -> None:
        """Toggle the order: by name, or by time in the current state (newest change first)."""
        self.by_since = not self.by_since
        self.redraw()
        self.notify(_("Sorted by latest state change.") if self.by_since else _("Sorted by name."))

    def redraw(self, select: str | None = None) -> None:
        """Rebuild the table, the first-run panel, the details and the summary."""
        table = self.query_one(AccountTable)
        empty = not self.accounts
        self.set_class(empty, "-empty")
        self.refresh_bindings()
        table.show(self.shown_accounts(), select=select)
        self.update_details()
        self.update_summary()
        if empty and not self.has_class("-filtering"):
            self.set_focus(None)
        elif not empty and self.focused is None:
            table.focus()

    def update_details(self) -> None:
        """Show the selected account in the details pane."""
        self.query_one(DetailsPane).show_account(self.selected(), self.tgapp.now())

    def update_summary(self) -> None:
        """Counts and where secrets live."""
        found = self.secrets_found
        where = None if found is None else secrets_short(*found)
        tiny = None if found is None else secrets_tiny(found[0])
        self.query_one(SummaryLine).show_counts(list(self.accounts.values()), where, tiny)

    def selected(self) -> Account | None:
        """The account under the cursor."""
        name = self.query_one(AccountTable).selected_name
        return self.accounts.get(name) if name else None

    def set_account(self, account: Account) -> None:
        """Replace one account in memory and redraw its row in place."""
        self.apply([account])

    def apply(self, accounts: list[Account]) -> None:
        """Replace accounts in memory, then redraw their rows, the details pane and the
        summary together: every figure on screen follows the same update."""
        table = self.query_one(AccountTable)
        for account in accounts:
            self.accounts[account.name] = account
            table.update_account(account)
        self.update_details()  # redraws only when its text changed
        self.update_summary()

    def tick(self) -> None:
        """Once a second: count flood waits down and age the "checked" times."""
        self.query_one(AccountTable).tick()
        self.update_details()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.update_details()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_details()

    # ------------------------------------------------------------------ messages
    def on_health_changed(self, message: HealthChanged) -> None:
        """Queue a new health for its row; queued ones are drawn together (see `_flush`).

        A sweep of many accounts sends two messages per account (checking, then the
        result): drawing each at once would redraw the table hundreds of times a second
        and make keys feel slow.
        """
        self._queue([message])

    def on_healths_changed(self, message: HealthsChanged) -> None:
        """Queue a batch of healths from the monitor's thread (see `on_health_changed`)."""
        self._queue(message.changes)

    def _queue(self, changes: list[HealthChanged]) -> None:
        for change in changes:
            self._pending[change.name] = change
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(FLUSH_EVERY, self._flush)

    def _flush(self) -> None:
        """Apply every queued health: changed cells, then the details and summary once."""
        self._flush_timer = None
        pending, self._pending = self._pending, {}
        changed = [
            self.accounts[m.name].with_status(m.status, m.user)
            for m in pending.values()
            if m.name in self.accounts
        ]
        if changed:
            self.apply(changed)

    def on_secrets_probed(self, message: SecretsProbed) -> None:
        """Show where secrets are kept."""
        self.secrets_found = (message.kind, message.description)
        self.update_summary()

    # ------------------------------------------------------------------ workers
    @work(thread=True, exit_on_error=False, group="journal", description=N_("Reading accounts"))
    def newer_checks(self) -> None:
        """The check times and latencies of the status journal, after the first frame
        (reading it costs ~8 ms at 1,000 accounts; the states on screen are already right)."""
        accounts = self.tgapp.tg.store.accounts()
        self.app.call_from_thread(self._take_newer_checks, accounts)

    def _take_newer_checks(self, accounts: list[Account]) -> None:
        newer = []
        for account in accounts:
            shown = self.accounts.get(account.name)
            if shown is None or shown.status.state is not account.status.state:
                continue  # gone, or changed since the first frame: what is shown is newer
            was, now = shown.status.checked_at, account.status.checked_at
            if now is not None and (was is None or now > was):
                newer.append(account)
        if newer:
            self.apply(newer)

    @work(thread=True, exit_on_error=False, group="secrets", description=N_("Checking the keyring"))
    def probe_secrets(self) -> None:
        """Ask the secret store where secrets go (blocks up to its probe timeout)."""
        secrets = self.tgapp.tg.store.secrets
        if secrets is None:
            self.post_message(SecretsProbed("unconfigured", ""))
        else:
            backend = secrets.backend
            self.post_message(SecretsProbed(backend.kind, backend.description))

    def monitor(self) -> Any:
        """The session monitor (created on first use; it does not import Telethon). It
        checks on its own thread and loop, so keys never wait behind a sweep."""
        if self._monitor is None:
            from tgtui.telegram.monitor_thread import MonitorThread

            self._monitor = MonitorThread(
                self.tgapp.tg,
                lambda batch: self.post_message(
                    HealthsChanged([HealthChanged.from_health(h) for h in batch])
                ),
            )
        return self._monitor

    async def on_unmount(self) -> None:
        """Stop the monitor's thread."""
        closing = getattr(self._monitor, "aclose", None)
        if closing is not None:
            await closing()

    @work(
        exclusive=True, exit_on_error=False, group="monitor", description=N_("The session monitor")
    )
    async def run_monitor(self) -> None:
        """Run the monitor until the screen goes (its checks run on the monitor's loop)."""
        monitor = self.monitor()
        self._monitor_running = True
        try:
            await monitor.run()
        finally:
            self._monitor_running = False
            await monitor.aclose()

    @work(exit_on_error=False, group="check", description=N_("Checking sessions"))
    async def sweep(self, names: list[str] | None) -> None:
        """Check some (or all) accounts now, when the monitor is not running."""
        await self.monitor().sweep(names)

    # ------------------------------------------------------------------ actions
    NEED_ACCOUNTS = frozenset(
        {"remove", "refresh", "refresh_all", "relogin", "details", "filter", "sort_since"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the per-account keys while there are no accounts (first run)."""
        return not (action in self.NEED_ACCOUNTS and not self.accounts)

    def _need_selection(self) -> Account | None:
        account = self.selected()
        if account is None:
            self.notify(_("No account selected."), severity="warning")
        return account

    def action_refresh(self) -> None:
        """Check the selected account now."""
        account = self._need_selection()
        if account is not None:
            self._refresh([account])

    def action_refresh_all(self) -> None:
        """Check every account now."""
        if not self.accounts:
            self.notify(_("No accounts to check yet."), severity="warning")
            return
        self._refresh(list(self.accounts.values()))

    def _refresh(self, accounts: list[Account]) -> None:
        now = self.tgapp.now()
        names = []
        for account in accounts:
            left = flood_left(account.status, now)
            if account.status.state is State.FLOOD_WAIT and left:
                if len(accounts) == 1:
                    self.notify(
                        _(
                            "{name} is in a flood wait: Telegram asked to wait {time}. "
                            "tgtui will check it when that is over."
                        ).format(name=account.name, time=clock_reading(left)),
                        markup=False,
                    )
                continue
            names.append(account.name)
            self.set_account(account.with_status(replace(account.status, state=State.CHECKING)))
        if not names:
            return
        if self._monitor_running:
            for name in names if len(accounts) == 1 else [None]:
                self.monitor().refresh(name)
        else:
            self.sweep(names if len(accounts) == 1 else None)

    def action_add(self) -> None:
        """Open the add-account wizard."""
        self._open_wizard(None)

    def action_relogin(self) -> None:
        """Log the selected account in again (new session, same account)."""
        account = self._need_selection()
        if account is not None:
            self._open_wizard(account)

    def _open_wizard(self, relogin: Account | None) -> None:
        try:
            from tgtui.ui.screens.wizard import AddAccountScreen
        except ImportError:
            log.exception("add-account wizard unavailable")
            self.notify(
                _("The add-account wizard is not available in this build."), severity="error"
            )
            return
        self.app.push_screen(AddAccountScreen(self.tgapp.tg, relogin=relogin), self._wizard_done)

    def _wizard_done(self, account: Account | None) -> None:
        if account is None:
            return
        self.reload(select=account.name)
        self.notify(_("Account {name} is ready.").format(name=account.name), markup=False)
        if self._monitor_running:
            self.monitor().refresh(account.name)

    def action_details(self) -> None:
        """Open the details screen of the selected account."""
        account = self._need_selection()
        if account is None:
            return
        from tgtui.ui.screens.details import DetailsScreen

        def done(result: str | None) -> None:
            self.reload(select=account.name)
            if result == "relogin" and account.name in self.accounts:
                self._open_wizard(self.accounts[account.name])

        self.app.push_screen(DetailsScreen(account), done)

    def action_filter(self) -> None:
        """Show and focus the filter box."""
        box = self.query_one("#filter", Input)
        if self.focused is box:
            box.insert_text_at_cursor("/")
            return
        self.add_class("-filtering")
        box.display = True
        self.set_focus(box)  # now, not later: keys typed right after / must land here

    def action_clear_filter(self) -> None:
        """Clear and hide the filter."""
        box = self.query_one("#filter", Input)
        self.remove_class("-filtering")
        box.display = False
        if box.value:
            box.value = ""
        self.query_text = ""
        self.redraw()
        self.query_one(AccountTable).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.redraw()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            self.remove_class("-filtering")
            event.input.display = False
        self.query_one(AccountTable).focus()

    def action_remove(self) -> None:
        """Ask, then remove the selected account (optionally logging out first)."""
        account = self._need_selection()
        if account is None:
            return
        from tgtui.ui.dialogs.remove import RemoveDialog

        def done(choice: RemoveChoice | None) -> None:
            if choice is not None:
                self.remove_account(account, choice.log_out)

        self.app.push_screen(RemoveDialog(account), done)

    def _neighbour(self, name: str) -> str | None:
        """The row the cursor goes to when `name` leaves: the next one, else the one above."""
        names = [a.name for a in self.shown_accounts()]
        if name not in names:
            return None
        index = names.index(name)
        rest = names[index + 1 :] or names[:index][-1:]
        return rest[0] if rest else None

    @work(exit_on_error=False, group="remove", description=N_("Removing the account"))
    async def remove_account(self, account: Account, log_out: bool) -> None:
        """Log out on Telegram (if asked), then move the account folder to the trash."""
        from tgtui.accounts.lock import AccountInUse

        if log_out:
            self.notify(
                _("Logging {name} out on Telegram…").format(name=account.name), markup=False
            )
            try:
                from tgtui.telegram import actions

                await actions.log_out(self.tgapp.tg, account)
            except Exception as exc:  # noqa: BLE001 - shown to the user, account kept
                what = _("Logging {name} out").format(name=account.name)
                report_error(self.app, exc, what=what)
                self.notify(
                    _("The account was kept. To drop it anyway, press d and untick the log out."),
                    severity="warning",
                )
                return
        try:
            entry = self.tgapp.tg.store.remove(account.name)
        except AccountInUse as exc:
            self.notify(str(exc), title=_("Not removed"), severity="error", markup=False)
            return
        self.last_removed = entry
        neighbour = self._neighbour(account.name)
        self.accounts.pop(account.name, None)
        self.redraw(select=neighbour)
        if log_out:
            done = _("Logged out and removed {name}. Press u to undo.")
        else:
            done = _("Removed {name}. Press u to undo.")
        self.notify(done.format(name=account.name), markup=False)

    def action_undo(self) -> None:
        """Bring back the account removed last."""
        from tgtui.accounts.store import StoreError

        entry = self.last_removed
        if entry is None:
            self.notify(
                _("Nothing to undo. `tgtui trash list` shows older removals."), markup=False
            )
            return
        try:
            account = self.tgapp.tg.store.restore(entry.id)
        except StoreError as exc:
            self.notify(str(exc), title=_("Not restored"), severity="error", markup=False)
            return
        self.last_removed = None
        self.reload(select=account.name)
        self.notify(_("Restored {name}.").format(name=account.name), markup=False)
