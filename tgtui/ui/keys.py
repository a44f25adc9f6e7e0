"""Every key of every screen, listed once.

Each screen's `BINDINGS`, the command palette (`tgtui.ui.palette`) and the help dialog
(`tgtui.ui.dialogs.help`) are built from the tuples here, so a key added, moved or renamed
in this file changes all three together. A screen names its keys in a `KEYS` class
attribute; help lists the `KEYS` of the screen it was opened from.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One action on one screen.

    `keys` is Textual's key list (`"d,delete"`); `label` is the footer's word; `shown` is
    how help writes the keys (`"d / Del"`); `help` is help's line (empty: not in help);
    `palette` is the command palette's title (empty: not in the palette). `bound=False`
    entries only explain keys that a widget of the screen binds (help and palette).
    """

    keys: str
    action: str
    label: str
    shown: str = ""
    help: str = ""
    palette: str = ""
    footer: bool = True
    priority: bool = False
    bound: bool = True

    def binding(self) -> Binding:
        """The Textual binding for this key."""
        return Binding(self.keys, self.action, self.label, show=self.footer, priority=self.priority)


def bindings(keys: tuple[Key, ...]) -> list[BindingType]:
    """The `BINDINGS` of a screen or widget (entries that only explain are skipped)."""
    return [k.binding() for k in keys if k.bound]


def help_rows(keys: tuple[Key, ...]) -> list[tuple[str, str]]:
    """(keys as shown, what they do) for the help dialog, in the registry's order."""
    return [(k.shown or k.keys, k.help) for k in keys if k.help]


def palette_entries(keys: tuple[Key, ...]) -> list[tuple[str, str, str]]:
    """(title, action, help line with its key) for the command palette."""
    return [
        (k.palette, k.action, f"{k.help[:1].upper()}{k.help[1:]} ({k.shown or k.keys})")
        for k in keys
        if k.palette
    ]


# ---------------------------------------------------------------------- the app
#: Keys that work on every screen (bound on the app).
APP: tuple[Key, ...] = (
    Key("question_mark", "help", "Help", shown="?", help="the keys of this screen", palette="Help"),
    Key("q", "quit", "Quit", shown="q", help="quit (in a dialog: close it)"),
    Key(
        "ctrl+c",
        "interrupt",
        "Quit",
        shown="Ctrl+C",
        help="quit, from anywhere (asks first in the middle of a login)",
        footer=False,
        priority=True,
    ),
    # Priority: focus moves before the next key is read, so text typed right after Tab
    # (a fast typist, a paste tool) lands in the next field, not the one left behind.
    Key("tab", "focus_next", "Next field", footer=False, priority=True),
    Key("shift+tab", "focus_previous", "Previous field", footer=False, priority=True),
)

#: Textual's own key for the command palette (listed in help; Textual binds it).
PALETTE: tuple[Key, ...] = (
    Key(
        "ctrl+p",
        "command_palette",
        "Palette",
        shown="Ctrl+P",
        help="command palette: every action by name",
        bound=False,
    ),
)

# ---------------------------------------------------------------------- the account list
#: The accounts table (a widget: its keys work when the list has the focus).
TABLE: tuple[Key, ...] = (
    Key("enter", "select_cursor", "Details"),
    Key("j", "cursor_down", "Down", footer=False),
    Key("k", "cursor_up", "Up", footer=False),
    Key("g,home", "scroll_top", "First", footer=False),
    Key("G,end", "scroll_bottom", "Last", footer=False),
)

LIST: tuple[Key, ...] = (
    Key("a", "add", "Add", shown="a", help="add an account", palette="Add account"),
    Key(
        "d,delete",
        "remove",
        "Remove",
        shown="d / Del",
        help="remove the selected account",
        palette="Remove account",
    ),
    Key(
        "u",
        "undo",
        "Undo remove",
        shown="u",
        help="undo the last removal",
        palette="Undo last removal",
        footer=False,
    ),
    Key(
        "r",
        "refresh",
        "Refresh",
        shown="r",
        help="check the selected session now",
        palette="Refresh account",
    ),
    Key(
        "R",
        "refresh_all",
        "Refresh all",
        shown="R",
        help="check every session now",
        palette="Refresh all accounts",
        footer=False,
    ),
    Key(
        "l",
        "relogin",
        "Log in again",
        shown="l",
        help="log the selected account in again",
        palette="Log in again",
        footer=False,
    ),
    # Listed for help and the palette; the table binds Enter (see TABLE).
    Key(
        "enter",
        "details",
        "Details",
        shown="Enter",
        help="details: sessions, export, label, proxy",
        palette="Account details",
        bound=False,
    ),
    # priority: handled as the key arrives, so letters typed right after it (a fast
    # typist, or keys arriving in one SSH packet) land in the box, not in the table
    Key(
        "slash",
        "filter",
        "Filter",
        shown="/",
        help="filter the list (Esc clears)",
        palette="Filter accounts",
        priority=True,
    ),
    Key("escape", "clear_filter", "Clear filter", footer=False),
    Key(
        "o",
        "sort_since",
        "Sort by since",
        shown="o",
        help="sort by latest state change / by name",
        palette="Sort by since",
        footer=False,
    ),
    Key("", "", "", shown="j k ↑ ↓", help="move", bound=False),
    Key("", "", "", shown="g G Home End", help="first / last account", bound=False),
)

# ---------------------------------------------------------------------- details
DETAILS: tuple[Key, ...] = (
    Key("escape", "back", "Back", shown="Esc", help="back to the list", palette="Back to the list"),
    Key(
        "t",
        "terminate",
        "End session",
        shown="t",
        help="end the selected other session",
        palette="End session",
    ),
    Key(
        "x",
        "copy_string",
        "Copy",
        shown="x",
        help="copy the session string (OSC 52)",
        palette="Copy session string",
    ),
    Key(
        "s",
        "show_string",
        "Show",
        shown="s",
        help="show or hide the session string",
        palette="Show session string",
    ),
    Key(
        "e",
        "edit",
        "Edit",
        shown="e",
        help="edit the label and proxy",
        palette="Edit label and proxy",
    ),
    Key(
        "l",
        "relogin",
        "Log in",
        shown="l",
        help="log this account in again",
        palette="Log in again",
    ),
    Key(
        "r",
        "load_sessions",
        "Reload",
        shown="r",
        help="reload the session list",
        palette="Reload sessions",
        footer=False,
    ),
    Key("", "", "", shown="↑ ↓", help="move in the session list", bound=False),
)

# ---------------------------------------------------------------------- the wizard
WIZARD: tuple[Key, ...] = (
    Key("escape", "cancel", "Cancel"),
    Key("escape", "close", "Close"),  # the done step: the account is kept
    Key("q", "cancel", "Cancel", footer=False),  # never quit the app mid-login
    Key("q", "close", "Close", footer=False),
    Key("f1", "search_help", "Search help"),
    Key("f2", "toggle_help", "Help"),
    # The app's `?` opens the account list's help; here it is this screen's help (F2).
    Key("question_mark", "toggle_help", "Help", footer=False),
    Key("f3", "use_qr", "QR"),
    Key("f4", "resend", "Resend"),
    Key("f5", "fix", "Fix it"),
    Key("f6", "back", "Back"),
    Key("s", "simulate_scan", "Scan (demo)"),
)

#: Importing a session (opened from the wizard): a form, so only Escape cancels.
IMPORT: tuple[Key, ...] = (Key("escape", "cancel", "Cancel"),)

#: The troubleshooter panel (a widget of the wizard) and its search box.
TROUBLESHOOTER: tuple[Key, ...] = (Key("slash", "search", "Search help", footer=False),)
SEARCH_BOX: tuple[Key, ...] = (Key("escape", "close", "Close search"),)

# ---------------------------------------------------------------------- dialogs
# In every dialog Esc and q cancel; q typed into a field is a letter (the field takes
# it first). Enter is a priority key where it confirms, so it works from a checkbox too.
CONFIRM: tuple[Key, ...] = (
    Key(
        "enter",
        "confirm",
        "Confirm",
        shown="Enter",
        help="confirm (on Cancel: cancel)",
        priority=True,
    ),
    Key("escape,q", "cancel", "Cancel", shown="Esc / q", help="cancel"),
)

REMOVE: tuple[Key, ...] = (
    Key(
        "enter",
        "confirm",
        "Remove",
        shown="Enter",
        help="remove (on Cancel: cancel)",
        priority=True,
    ),
    Key("escape,q", "cancel", "Cancel", shown="Esc / q", help="cancel: keep the account"),
    Key(
        "space",
        "toggle_logout",
        "Log out too",
        shown="Space",
        help="tick or untick logging out on Telegram",
        priority=True,  # before the focused checkbox's own (hidden) Space: in the footer
    ),
)

EDIT: tuple[Key, ...] = (
    Key("enter", "save", "Save", shown="Enter", help="save"),
    Key("escape,q", "cancel", "Cancel", shown="Esc", help="close without saving"),
    Key("tab", "focus_next", "Next field", shown="Tab", help="next field", bound=False),
)

HELP: tuple[Key, ...] = (Key("escape,q,question_mark", "close", "Close"),)
