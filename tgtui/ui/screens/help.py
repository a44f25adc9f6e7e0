"""The help screen: every key, and how to get a removed account back later."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str]] = [
    ("a", "add an account"),
    ("d / Del", "remove the selected account"),
    ("u", "undo the last removal"),
    ("r / R", "check the selected / every session now"),
    ("l", "log the selected account in again"),
    ("Enter", "details: sessions, export, label, proxy"),
    ("/", "filter the list (Esc clears)"),
    ("o", "sort by latest state change / by name"),
    ("j k ↑ ↓", "move"),
    ("Ctrl+P", "command palette: every action by name"),
    ("?", "this help"),
    ("q", "quit"),
]

TRASH = (
    "Removed accounts go to the trash, session and all. Press u right away to undo, "
    "or later, from a shell:\n"
    "  tgtui trash list            what is in the trash\n"
    "  tgtui trash restore NAME    bring an account back"
)

STATES = (
    "Status: ● OK  ◷ FLOOD wait  ▲ OFFLINE  ○ LOG IN  ✖ REVOKED / BAD KEYS / BROKEN  "
    "⊘ BANNED  ◇ DUPLICATED  ◆ IN USE  ↻ CHECKING  ? UNKNOWN"
)


def keys_table() -> Table:
    """The key list as a two-column table."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, what in KEYS:
        table.add_row(key, what)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys, states and the trash. Esc, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen #dialog { border-title-style: bold; }
    HelpScreen .help-part { margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        """Keys, status legend, trash."""
        # Title and closing hint sit on the border: with a blank line between the parts
        # everything still fits at 80x24, and the hint stays in view when scrolled.
        with VerticalScroll(id="dialog", classes="help") as dialog:
            dialog.border_title = "tgtui — keys"
            dialog.border_subtitle = "Esc, q or ? closes this help"
            yield Static(keys_table())
            yield Static(Text(STATES), classes="hint help-part")
            yield Static(Text(TRASH), classes="help-part")

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
