"""Confirmation dialogs: removing an account, and a generic yes/no."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from tgtui.accounts.model import Account, State
from tgtui.ui import format as fmt


@dataclass(frozen=True)
class RemoveChoice:
    """What the remove dialog decided."""

    log_out: bool


class RemoveScreen(ModalScreen[RemoveChoice | None]):
    """Names the account; offers to log out on Telegram too. Enter confirms, Esc cancels."""

    BINDINGS = [
        Binding("enter", "confirm", "Confirm", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, account: Account) -> None:
        super().__init__(classes="dialog-screen")
        self.account = account

    def compose(self) -> ComposeResult:
        """Title, who it is, the log-out choice, what happens, buttons."""
        a = self.account
        ok = a.status.state is State.OK
        title = Text("Remove account ", style="bold")
        title.append(a.name, style="bold")
        title.append("?", style="bold")
        who = Text(f"{a.label + ' · ' if a.label else ''}{fmt.phone_text(a)}")
        if a.user:
            who.append(f" · {a.user.display}")
        with Vertical(id="dialog"):
            yield Static(title, classes="dialog-title")
            yield Static(who)
            yield Checkbox("Also log out on Telegram", value=ok, id="logout")
            yield Static(self._explain(ok), id="explain")
            yield Static(
                Text(
                    f"It goes to the trash: u brings it back now, "
                    f"`tgtui trash restore {a.name}` later."
                ),
                classes="hint",
            )
            with Horizontal(classes="buttons"):
                yield Button(self._verb(ok), variant="error", id="confirm")
                yield Button("Cancel", id="cancel")
            yield Static("Enter confirms · Esc cancels · Space ticks", classes="hint")

    @staticmethod
    def _verb(log_out: bool) -> str:
        return "Log out and remove" if log_out else "Remove locally only"

    @staticmethod
    def _explain(log_out: bool) -> Text:
        if log_out:
            return Text("The session ends on Telegram's side too; scripts using it stop.")
        return Text("Remove locally only: the session stays valid on Telegram until revoked.")

    def on_mount(self) -> None:
        """Start on the choice."""
        self.query_one(Checkbox).focus()

    @on(Checkbox.Changed, "#logout")
    def _changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#confirm", Button).label = self._verb(event.value)
        self.query_one("#explain", Static).update(self._explain(event.value))

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        """Remove (Enter on Cancel cancels)."""
        if self.focused is not None and self.focused.id == "cancel":
            self.dismiss(None)
            return
        self.dismiss(RemoveChoice(log_out=self.query_one(Checkbox).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the account."""
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question. Enter confirms, Esc cancels."""

    BINDINGS = [
        Binding("enter", "confirm", "Confirm", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, question: Text | str, confirm: str = "Confirm") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question if isinstance(question, Text) else Text(question)
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="dialog"):
            yield Static(self.question)
            with Horizontal(classes="buttons"):
                yield Button(self.confirm_label, variant="error", id="confirm")
                yield Button("Cancel", id="cancel")
            yield Static("Enter confirms · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        """Focus the confirm button."""
        self.query_one("#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        """Yes (Enter on Cancel cancels)."""
        if self.focused is not None and self.focused.id == "cancel":
            self.dismiss(False)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """No."""
        self.dismiss(False)
