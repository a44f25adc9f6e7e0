"""A yes/no question (ending another session, for one)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from tgtui.i18n import _
from tgtui.ui import keys
from tgtui.ui.dialogs.base import Dialog


class ConfirmDialog(Dialog[bool]):
    """The question and two buttons. Enter confirms, Esc or q cancels."""

    KEYS = keys.CONFIRM
    BINDINGS = keys.bindings(KEYS)

    def __init__(self, question: Text | str, confirm: str | None = None) -> None:
        """`question` and `confirm` (the button, `Confirm` by default) are shown as given:
        the caller translates them."""
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)
        self.confirm_label = confirm or _("Confirm")

    def compose_box(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(classes="dialog-box"):
            yield Static(self.question)
            yield self.buttons(self.confirm_label)

    def on_mount(self) -> None:
        """Focus the confirm button."""
        self.query_one("#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        """Yes (Enter on Cancel cancels)."""
        self.dismiss(not self.cancel_focused())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """No."""
        self.dismiss(False)
