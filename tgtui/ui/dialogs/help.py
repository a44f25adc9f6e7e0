"""The help dialog: the keys of the screen it was opened from, states, and the trash."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tgtui.i18n import N_, _
from tgtui.ui import keys
from tgtui.ui.dialogs.base import Dialog
from tgtui.ui.keys import Key

TRASH = N_(
    "Removed accounts go to the trash, session and all. Press u right away to undo, "
    "or later, from a shell:\n"
    "  tgtui trash list            what is in the trash\n"
    "  tgtui trash restore NAME    bring an account back"
)

STATES = N_(
    "Status: ● OK  ◷ FLOOD wait  ▲ OFFLINE  ○ LOG IN  ✖ REVOKED / BAD KEYS / BROKEN  "
    "⊘ BANNED  ◇ DUPLICATED  ◆ IN USE  ↻ CHECKING  ? UNKNOWN"
)


def keys_table(screen_keys: tuple[Key, ...]) -> Table:
    """The keys of a screen, then the app's, as a two-column table."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    rows = keys.help_rows(screen_keys) + keys.help_rows(keys.PALETTE) + keys.help_rows(keys.APP)
    for shown, what in rows:
        table.add_row(shown, what)
    return table


class HelpDialog(Dialog[None]):
    """Keys of one screen, states and the trash. Esc, q or ? closes it."""

    DEFAULT_CSS = """
    HelpDialog .dialog-box {
        width: 76;
        border: round $primary;
        border-title-style: bold;
    }
    HelpDialog .help-part { margin-top: 1; }
    """

    KEYS = keys.HELP
    BINDINGS = keys.bindings(KEYS)

    def __init__(self, screen_keys: tuple[Key, ...], title: str = N_("keys")) -> None:
        """`title` is English (marked with `N_`): it is translated when shown."""
        super().__init__()
        self.screen_keys = screen_keys
        self.title_text = title

    def compose_box(self) -> ComposeResult:
        """Keys, status legend, trash."""
        # Title and closing hint sit on the border: with a blank line between the parts
        # everything still fits at 80x24, and the hint stays in view when scrolled.
        with VerticalScroll(classes="dialog-box") as box:
            box.border_title = f"tgtui — {_(self.title_text)}"
            box.border_subtitle = _("Esc, q or ? closes this help")
            yield Static(keys_table(self.screen_keys))
            yield Static(Text(_(STATES)), classes="hint help-part")
            yield Static(Text(_(TRASH)), classes="help-part")

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
