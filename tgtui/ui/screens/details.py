"""The details screen: who the account is, its other sessions, export, edit, re-login."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import ColumnKey

from tgtui.accounts.model import Account, State
from tgtui.accounts.timeline import History
from tgtui.i18n import N_, _, language, ngettext
from tgtui.ui import format as fmt
from tgtui.ui import keys
from tgtui.ui.errors import best_pitfall, report_error
from tgtui.ui.screens.base import TgtuiScreen
from tgtui.ui.widgets.account_table import cell
from tgtui.ui.widgets.panes import account_summary, problem_text
from tgtui.ui.widgets.timeline import HistoryPanel

if TYPE_CHECKING:
    from tgtui.ui.app import TgtuiApp

log = logging.getLogger(__name__)

#: The sessions table's columns: (label, key, narrowest width).
COLUMNS = (
    (N_("Device"), "device", 18),
    (N_("App"), "app", 20),
    (N_("Place"), "place", 14),
    (N_("Last active"), "active", 11),
)
#: How wide a column grows when the screen has room (Place first, then Device and App).
GROW = {"place": 32, "device": 30, "app": 30}
#: States in which asking Telegram for the session list makes sense.
LISTABLE = (State.OK, State.UNKNOWN, State.CHECKING)
#: The headings between the parts (id of the Static, words).
SECTIONS = (
    ("history-heading", N_("History")),
    ("sessions-heading", N_("Active sessions")),
    ("string-heading", N_("Session string")),
)


class DetailsScreen(TgtuiScreen[str | None]):
    """One account in full. Dismisses with "relogin" when the user asks to log in again."""

    DEFAULT_CSS = """
    DetailsScreen #details-body {
        padding: 0 1;
    }
    DetailsScreen #details-body .section {
        margin-top: 1;
    }
    DetailsScreen #problem {
        margin-top: 1;
        padding: 0 1;
        border-left: thick $error;
    }
    DetailsScreen #sessions {
        height: auto;
        max-height: 10;
    }
    """

    KEYS = keys.DETAILS
    HELP_TITLE = N_("keys of the account details")
    BINDINGS = keys.bindings(KEYS)

    def __init__(self, account: Account) -> None:
        super().__init__(id="details-screen")
        self.account = account
        self.sessions: list[Any] = []
        self.string_shown = False
        self._string: str | None = None
        self._note_maker: Callable[[], str] | None = None

    @property
    def tgapp(self) -> TgtuiApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Account info, problem, sessions, export."""
        yield Header()
        with VerticalScroll(id="details-body"):
            yield Static(id="info")
            yield Static(id="problem")
            yield Static(id="history-heading", classes="section")
            yield HistoryPanel(id="history")
            yield Static(id="sessions-heading", classes="section")
            yield Static(id="sessions-note")
            yield DataTable(id="sessions", cursor_type="row")
            yield Static(id="string-heading", classes="section")
            yield Static(id="string")
        yield Footer()

    def on_mount(self) -> None:
        """Fill in what is known from disk; ask Telegram for the session list."""
        table = self.query_one("#sessions", DataTable)
        for label, key, width in COLUMNS:
            table.add_column(_(label), width=width, key=key)
        self._headings()
        self.show_account(self.account)
        self._set_string(None)
        table.focus()
        self.action_load_sessions()

    def _headings(self) -> None:
        for ident, words in SECTIONS:
            self.query_one(f"#{ident}", Static).update(Text(_(words), style="bold"))

    def retranslate(self) -> None:
        """Everything in the interface language; the session list and its cursor are kept."""
        super().retranslate()
        self._headings()
        self.show_account(self.account)  # the history is read and drawn again too
        self._set_string(self._string if self.string_shown else None)
        self._relabel_columns()
        self._show_note()

    def _relabel_columns(self) -> None:
        table = self.query_one("#sessions", DataTable)
        row = table.cursor_row
        widths = {key: table.columns[ColumnKey(key)].width for _label, key, _w in COLUMNS}
        self._rebuild_columns(table, widths, row)

    def _rebuild_columns(self, table: DataTable, widths: dict[str, int], row: int) -> None:
        """The columns again (labels in the interface language, these widths), then the
        rows, with the cursor back on `row`."""
        table.clear(columns=True)
        for label, key, _width in COLUMNS:
            table.add_column(_(label), width=widths[key], key=key)
        if self.sessions:
            self._fill_sessions()
            table.move_cursor(row=row)

    def on_resize(self) -> None:
        """Size the table's columns once the new width is laid out."""
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        """Give the table's spare width to Place, then Device and App (rows are kept)."""
        table = self.query_one("#sessions", DataTable)
        room = table.scrollable_content_region.width
        if room <= 0:
            return
        widths = {key: width for _label, key, width in COLUMNS}
        spare = room - sum(w + 2 * table.cell_padding for w in widths.values())
        grow = max(0, min(spare, GROW["place"] - widths["place"]))
        widths["place"] += grow
        for key in ("device", "app"):
            widths[key] += max(0, min((spare - grow) // 2, GROW[key] - widths[key]))
        if all(table.columns[ColumnKey(key)].width == w for key, w in widths.items()):
            return
        self._rebuild_columns(table, widths, table.cursor_row)

    def show_account(self, account: Account) -> None:
        """Redraw the info and problem parts for `account`."""
        self.account = account
        demo = _("DEMO")
        self.sub_title = f"{demo} · {account.name}" if self.tgapp.demo else account.name
        info = account_summary(account, self.tgapp.now(), problem=False, mono=self.app.no_color)
        if account.proxy is None:
            info.append("\n" + _("Proxy") + " ", style="dim")
            info.append(_("none (e edits label and proxy)"))
        self.query_one("#info", Static).update(info)
        problem = problem_text(account, self.tgapp.now(), mono=self.app.no_color)
        widget = self.query_one("#problem", Static)
        widget.display = problem is not None
        if problem is not None:
            widget.update(problem)
        self.load_history()

    @work(exclusive=True, thread=True, exit_on_error=False, group="history")
    def load_history(self) -> None:
        """Read the account's history (off the UI thread) and draw it."""
        history = self.tgapp.tg.store.history(self.account.name).read()
        self.app.call_from_thread(self._show_history, history)

    def _show_history(self, history: History) -> None:
        self.query_one(HistoryPanel).show(history, self.tgapp.now())

    def _note(self, text: str, note: Callable[[], str] | None = None) -> None:
        """Show `text` over the session list; `note` makes it again after a language switch."""
        self._note_maker = note or (lambda: text)
        self.query_one("#sessions-note", Static).update(Text(text, style="dim"))

    def _note_t(self, words: str) -> None:
        """A fixed note (English, marked with `N_`), shown in the interface language."""
        self._note(_(words), lambda: _(words))

    def _show_note(self) -> None:
        maker = self._note_maker
        if maker is not None:
            self._note(maker(), maker)

    def _set_string(self, value: str | None) -> None:
        self._string = value
        if value is None:
            text = Text(_("hidden · x copies it to the clipboard · s shows it here"), style="dim")
        else:
            text = Text(value, overflow="fold")
            text.append(
                "\n" + _("Anyone with this string is logged in as you. s hides it."), style="bold"
            )
        self.query_one("#string", Static).update(text)

    # ------------------------------------------------------------------ sessions
    def action_load_sessions(self) -> None:
        """(Re)load the other sessions, when the account is in a state to ask."""
        listable = self.account.status.state in LISTABLE
        self.query_one("#sessions", DataTable).display = listable
        if not listable:
            self._note_t(N_("Sessions are listed once the account works again (see above)."))
            return
        self._note_t(N_("Loading…"))
        self.load_sessions()

    @work(exclusive=True, exit_on_error=False, group="sessions", description=N_("Listing sessions"))
    async def load_sessions(self) -> None:
        """Ask Telegram for every session of this account."""
        from tgtui.telegram import actions
        from tgtui.telegram.errors import TelegramFailure

        try:
            sessions = await actions.list_sessions(self.tgapp.tg, self.account)
        except TelegramFailure as exc:
            pitfall = best_pitfall(exc.failure, "session")
            failure = exc.failure

            def note() -> str:
                hint = f" — {pitfall.wording(language()).title}" if pitfall else ""
                return _("Could not list sessions: {failure}").format(failure=failure) + hint

            self._note(note(), note)
            return
        self.show_sessions(sessions)

    def show_sessions(self, sessions: list[Any]) -> None:
        """Fill the sessions table (this one first)."""
        self.sessions = sessions
        table = self.query_one("#sessions", DataTable)
        table.clear()
        self._fill_sessions()
        if len(sessions) > 1 and sessions[0].current:
            table.move_cursor(row=1)
        others = sum(1 for s in sessions if not s.current)

        def note() -> str:
            count = ngettext("{n} other session", "{n} other sessions", others).format(n=others)
            return count + " · " + _("t ends the selected one")

        self._note(note(), note)
        self._count_others(others)

    def _count_others(self, others: int) -> None:
        """Make the header (and the list, through the store) say what the table shows."""
        if self.account.status.other_sessions == others:
            return
        status = replace(self.account.status, other_sessions=others)
        self.show_account(self.account.with_status(status, self.account.user))
        try:
            self.tgapp.tg.store.save_status(self.account.name, status, self.account.user)
        except Exception as exc:  # noqa: BLE001 - the header is right; the cache may lag
            log.warning("could not save the session count of %s: %s", self.account.name, exc)

    def _fill_sessions(self) -> None:
        table = self.query_one("#sessions", DataTable)
        now = self.tgapp.now()
        for i, s in enumerate(self.sessions):
            device = (_("this one:") + " " if s.current else "") + (s.device or "?")
            app = s.app or "?"
            place = s.where or s.ip or "?"
            active = _("now") if s.current else fmt.relative_time(s.last_active, now)
            table.add_row(cell(device), cell(app), cell(place), cell(active), key=str(i))

    def _selected_session(self) -> Any | None:
        table = self.query_one("#sessions", DataTable)
        if not self.sessions or not table.row_count:
            return None
        return self.sessions[table.cursor_row]

    def action_terminate(self) -> None:
        """Ask, then end the selected other session."""
        session = self._selected_session()
        if session is None:
            self.notify(_("No session selected."), severity="warning")
            return
        if session.current:
            self.notify(_("That is tgtui's own session; remove the account (d) to end it."))
            return
        from tgtui.ui.dialogs.confirm import ConfirmDialog

        where = f"{session.device or '?'} ({session.app or '?'}, {session.where or '?'})"

        def question() -> Text:
            return Text(
                _("End the session on {device}?").format(device=where)
                + "\n"
                + _("Whoever uses it there is logged out at once.")
            )

        def done(yes: bool | None) -> None:
            if yes:
                self.terminate(session)

        self.app.push_screen(ConfirmDialog(question, lambda: _("End session")), done)

    @work(exit_on_error=False, group="terminate", description=N_("Ending the session"))
    async def terminate(self, session: Any) -> None:
        """End one other session on Telegram, then reload the list."""
        from tgtui.telegram import actions

        try:
            await actions.terminate_session(self.tgapp.tg, self.account, session.hash)
        except Exception as exc:  # noqa: BLE001 - explained to the user
            report_error(self.app, exc, what=_("Ending the session"))
            return
        self.notify(
            _("Ended the session on {device}.").format(device=session.device or "?"), markup=False
        )
        self.action_load_sessions()

    # ------------------------------------------------------------------ export
    async def _export(self) -> str | None:
        from tgtui.telegram import actions

        try:
            return await actions.export_string(self.tgapp.tg, self.account)
        except Exception as exc:  # noqa: BLE001 - explained to the user
            report_error(self.app, exc, what=_("Exporting the session"))
            return None

    def action_copy_string(self) -> None:
        """Copy the session string to the terminal clipboard (OSC 52, works over SSH)."""
        self.copy_string()

    @work(exclusive=True, exit_on_error=False, group="export", description=N_("Exporting"))
    async def copy_string(self) -> None:
        """Export and copy; the string is never shown."""
        value = await self._export()
        if value is None:
            return
        self.app.copy_to_clipboard(value)
        self.notify(
            _(
                "Session string copied to the clipboard (if your terminal allows OSC 52). "
                "It works like a password: paste it only where you trust."
            ),
            title=_("Copied"),
        )

    def action_show_string(self) -> None:
        """Show the session string once (s again hides it)."""
        if self.string_shown:
            self.string_shown = False
            self._set_string(None)
            return
        self.show_string()

    @work(exclusive=True, exit_on_error=False, group="export", description=N_("Exporting"))
    async def show_string(self) -> None:
        """Export and display."""
        value = await self._export()
        if value is not None:
            self.string_shown = True
            self._set_string(value)

    # ------------------------------------------------------------------ other
    def action_edit(self) -> None:
        """Edit the label and proxy."""
        from tgtui.ui.dialogs.edit import EditDialog

        def done(account: Account | None) -> None:
            if account is not None:
                self.show_account(account)
                self.notify(_("Saved {name}.").format(name=account.name), markup=False)

        self.app.push_screen(EditDialog(self.account), done)

    def action_relogin(self) -> None:
        """Back to the list, which opens the login wizard for this account."""
        self.dismiss("relogin")

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss(None)
