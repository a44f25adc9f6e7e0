"""The remove dialog: move an account to the trash, optionally logging it out first."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Static

from tgtui.accounts.model import Account
from tgtui.i18n import _
from tgtui.ui import format as fmt
from tgtui.ui import keys
from tgtui.ui.dialogs.base import Dialog
from tgtui.ui.widgets.checkbox import TickBox


@dataclass(frozen=True)
class RemoveChoice:
    """What the remove dialog decided."""

    log_out: bool


def verb(log_out: bool) -> str:
    """The confirming button's label."""
    return _("Log out and remove") if log_out else _("Remove locally only")


def explain(log_out: bool) -> Text:
    """What removing does, for the choice shown."""
    if log_out:
        return Text(
            _(
                "The session ends on Telegram's side too; scripts using it stop. "
                "Undo (u) restores the files but not the login: you would log in again."
            )
        )
    return Text(_("Remove locally only: the session stays valid on Telegram until revoked."))


class RemoveDialog(Dialog[RemoveChoice | None]):
    """Names the account; offers to log out on Telegram too (off unless ticked).

    Enter confirms, Esc or q cancels, Space ticks the log-out box.
    """

    DEFAULT_CSS = """
    RemoveDialog Checkbox {
        margin: 1 0 0 0;
    }
    RemoveDialog #confirm {
        min-width: 23;  /* both labels fit: the width is not re-measured on a change */
    }
    """

    KEYS = keys.REMOVE
    BINDINGS = keys.bindings(KEYS)

    def __init__(self, account: Account) -> None:
        super().__init__()
        self.account = account
        self.log_out = False  # the box's state (kept when a language switch redraws)

    def compose_box(self) -> ComposeResult:
        """Title, who it is, the log-out choice, what happens, buttons."""
        a = self.account
        before, _brace, after = _("Remove account {name}?").partition("{name}")
        title = Text(before, style="bold")
        title.append(a.name, style="bold")
        title.append(after, style="bold")
        who = Text(f"{a.label + ' · ' if a.label else ''}{fmt.phone_text(a)}")
        if a.user:
            who.append(f" · {a.user.display}")
        with Vertical(classes="dialog-box"):
            yield Static(title, classes="dialog-title")
            yield Static(who)
            yield TickBox(_("Also log out on Telegram"), value=self.log_out, id="logout")
            yield Static(explain(self.log_out), id="explain")
            yield Static(
                Text(
                    _(
                        "It goes to the trash: u brings it back now, "
                        "`tgtui trash restore {name}` later."
                    ).format(name=a.name)
                ),
                classes="hint",
            )
            yield self.buttons(verb(self.log_out))

    def on_mount(self) -> None:
        """Start on the choice."""
        self.query_one(Checkbox).focus()

    @on(Checkbox.Changed, "#logout")
    def _changed(self, event: Checkbox.Changed) -> None:
        self.log_out = event.value
        self.query_one("#confirm", Button).label = verb(event.value)
        self.query_one("#explain", Static).update(explain(event.value))

    def action_toggle_logout(self) -> None:
        """Space (wherever the focus is): tick or untick the log out."""
        self.query_one(Checkbox).toggle()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        """Remove (Enter on Cancel cancels)."""
        if self.cancel_focused():
            self.dismiss(None)
            return
        self.dismiss(RemoveChoice(log_out=self.query_one(Checkbox).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the account."""
        self.dismiss(None)
