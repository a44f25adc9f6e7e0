"""A yes/no question (ending another session, for one)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from tgtui.i18n import _
from tgtui.ui import keys
from tgtui.ui.dialogs.base import Dialog

Words = Text | str


class ConfirmDialog(Dialog[bool]):
    """The question and two buttons. Enter confirms, Esc or q cancels."""

    KEYS = keys.CONFIRM
    BINDINGS = keys.bindings(KEYS)

    def __init__(
        self, question: Words | Callable[[], Words], confirm: Words | Callable[[], Words] = ""
    ) -> None:
        """`question` and `confirm` (the button, `Confirm` by default) are shown as given,
        or made by a function each time the dialog is drawn (so a language switch reaches
        them: `lambda: _("Quit?")`)."""
        super().__init__()
        self._question = question
        self._confirm = confirm

    @property
    def question(self) -> Text:
        """The question, as shown now."""
        value = self._question() if callable(self._question) else self._question
        return value if isinstance(value, Text) else Text(value)

    @property
    def confirm_label(self) -> str:
        """The confirming button's words, as shown now."""
        value = self._confirm() if callable(self._confirm) else self._confirm
        return str(value) or _("Confirm")

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
