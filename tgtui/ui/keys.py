"""Every key of every screen, listed once.

Each screen's `BINDINGS`, the command palette (`tgtui.ui.palette`) and the help dialog
(`tgtui.ui.dialogs.help`) are built from the tuples here, so a key added, moved or renamed
in this file changes all three together. A screen names its keys in a `KEYS` class
attribute; help lists the `KEYS` of the screen it was opened from.

The words are English and only marked here (`N_`): footer, help and palette translate them
when they are shown (`tgtui.ui.screens.base` for the footer), so a language switch at run
time reaches every key without rebuilding a binding.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.binding import Binding, BindingType

from tgtui.i18n import N_, _


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


def translated(binding: Binding) -> Binding:
    """`binding` with its footer word (and tooltip) in the interface language."""
    description = _(binding.description) if binding.description else ""
    tooltip = _(binding.tooltip) if binding.tooltip else ""
    if description == binding.description and tooltip == binding.tooltip:
        return binding
    return replace(binding, description=description, tooltip=tooltip)


def bindings(keys: tuple[Key, ...]) -> list[BindingType]:
    """The `BINDINGS` of a screen or widget (entries that only explain are skipped)."""
    return [k.binding() for k in keys if k.bound]


def help_rows(keys: tuple[Key, ...]) -> list[tuple[str, str]]:
    """(keys as shown, what they do) for the help dialog, in the registry's order."""
    return [(k.shown or k.keys, _(k.help)) for k in keys if k.help]


def palette_entries(keys: tuple[Key, ...]) -> list[tuple[str, str, str]]:
    """(title, action, help line with its key) for the command palette."""
    entries = []
    for k in keys:
        if k.palette:
            what = _(k.help)
            entries.append(
                (_(k.palette), k.action, f"{what[:1].upper()}{what[1:]} ({k.shown or k.keys})")
            )
    return entries


# ---------------------------------------------------------------------- the app
#: Keys that work on every screen (bound on the app).
APP: tuple[Key, ...] = (
    Key(
        "question_mark",
        "help",
        N_("Help"),
        shown="?",
        help=N_("the keys of this screen"),
        palette=N_("Help"),
    ),
    Key("q", "quit", N_("Quit"), shown="q", help=N_("quit (in a dialog: close it)")),
    Key(
        "ctrl+c",
        "interrupt",
        N_("Quit"),
        shown="Ctrl+C",
        help=N_("quit, from anywhere (asks first in the middle of a login)"),
        footer=False,
        priority=True,
    ),
    # Priority: focus moves before the next key is read, so text typed right after Tab
    # (a fast typist, a paste tool) lands in the next field, not the one left behind.
    Key("tab", "focus_next", N_("Next field"), footer=False, priority=True),
    Key("shift+tab", "focus_previous", N_("Previous field"), footer=False, priority=True),
)

#: Textual's own key for the command palette (listed in help; Textual binds it).
PALETTE: tuple[Key, ...] = (
    Key(
        "ctrl+p",
        "command_palette",
        N_("Palette"),
        shown="Ctrl+P",
        help=N_("command palette: every action by name"),
        bound=False,
    ),
    Key(
        "",
        "",
        "",
        shown="",
        help=N_("in the palette: Language — English / Русский"),
        bound=False,
    ),
)

#: Words Textual binds itself and shows in the footer (marked here to be translated).
TEXTUAL_WORDS = (N_("palette"),)

# ---------------------------------------------------------------------- the account list
#: The accounts table (a widget: its keys work when the list has the focus).
TABLE: tuple[Key, ...] = (
    Key("enter", "select_cursor", N_("Details")),
    Key("j", "cursor_down", N_("Down"), footer=False),
    Key("k", "cursor_up", N_("Up"), footer=False),
    Key("g,home", "scroll_top", N_("First"), footer=False),
    Key("G,end", "scroll_bottom", N_("Last"), footer=False),
)

LIST: tuple[Key, ...] = (
    Key("a", "add", N_("Add"), shown="a", help=N_("add an account"), palette=N_("Add account")),
    Key(
        "d,delete",
        "remove",
        N_("Remove"),
        shown="d / Del",
        help=N_("remove the selected account"),
        palette=N_("Remove account"),
    ),
    Key(
        "u",
        "undo",
        N_("Undo remove"),
        shown="u",
        help=N_("undo the last removal"),
        palette=N_("Undo last removal"),
        footer=False,
    ),
    Key(
        "r",
        "refresh",
        N_("Refresh"),
        shown="r",
        help=N_("check the selected session now"),
        palette=N_("Refresh account"),
    ),
    Key(
        "R",
        "refresh_all",
        N_("Refresh all"),
        shown="R",
        help=N_("check every session now"),
        palette=N_("Refresh all accounts"),
        footer=False,
    ),
    Key(
        "l",
        "relogin",
        N_("Log in again"),
        shown="l",
        help=N_("log the selected account in again"),
        palette=N_("Log in again"),
        footer=False,
    ),
    # Listed for help and the palette; the table binds Enter (see TABLE).
    Key(
        "enter",
        "details",
        N_("Details"),
        shown="Enter",
        help=N_("details: sessions, export, label, proxy"),
        palette=N_("Account details"),
        bound=False,
    ),
    # priority: handled as the key arrives, so letters typed right after it (a fast
    # typist, or keys arriving in one SSH packet) land in the box, not in the table
    Key(
        "slash",
        "filter",
        N_("Filter"),
        shown="/",
        help=N_("filter the list (Esc clears)"),
        palette=N_("Filter accounts"),
        priority=True,
    ),
    Key("escape", "clear_filter", N_("Clear filter"), footer=False),
    Key(
        "o",
        "sort_since",
        N_("Sort by since"),
        shown="o",
        help=N_("sort by latest state change / by name"),
        palette=N_("Sort by since"),
        footer=False,
    ),
    Key("", "", "", shown="j k ↑ ↓", help=N_("move"), bound=False),
    Key("", "", "", shown="g G Home End", help=N_("first / last account"), bound=False),
)

# ---------------------------------------------------------------------- details
DETAILS: tuple[Key, ...] = (
    Key(
        "escape",
        "back",
        N_("Back"),
        shown="Esc",
        help=N_("back to the list"),
        palette=N_("Back to the list"),
    ),
    Key(
        "t",
        "terminate",
        N_("End session"),
        shown="t",
        help=N_("end the selected other session"),
        palette=N_("End session"),
    ),
    Key(
        "x",
        "copy_string",
        N_("Copy"),
        shown="x",
        help=N_("copy the session string (OSC 52)"),
        palette=N_("Copy session string"),
    ),
    Key(
        "s",
        "show_string",
        N_("Show"),
        shown="s",
        help=N_("show or hide the session string"),
        palette=N_("Show session string"),
    ),
    Key(
        "e",
        "edit",
        N_("Edit"),
        shown="e",
        help=N_("edit the label and proxy"),
        palette=N_("Edit label and proxy"),
    ),
    Key(
        "l",
        "relogin",
        N_("Log in"),
        shown="l",
        help=N_("log this account in again"),
        palette=N_("Log in again"),
    ),
    Key(
        "r",
        "load_sessions",
        N_("Reload"),
        shown="r",
        help=N_("reload the session list"),
        palette=N_("Reload sessions"),
        footer=False,
    ),
    Key("", "", "", shown="↑ ↓", help=N_("move in the session list"), bound=False),
)

# ---------------------------------------------------------------------- the wizard
WIZARD: tuple[Key, ...] = (
    Key("escape", "cancel", N_("Cancel")),
    Key("escape", "close", N_("Close")),  # the done step: the account is kept
    Key("q", "cancel", N_("Cancel"), footer=False),  # never quit the app mid-login
    Key("q", "close", N_("Close"), footer=False),
    Key("f1", "search_help", N_("Search help")),
    Key("f2", "toggle_help", N_("Help")),
    # The app's `?` opens the account list's help; here it is this screen's help (F2).
    Key("question_mark", "toggle_help", N_("Help"), footer=False),
    Key("f3", "use_qr", N_("QR")),
    Key("f4", "resend", N_("Resend")),
    Key("f5", "fix", N_("Fix it")),
    Key("f6", "back", N_("Back")),
    Key("s", "simulate_scan", N_("Scan (demo)")),
)

#: Importing a session (opened from the wizard): a form, so only Escape cancels.
IMPORT: tuple[Key, ...] = (Key("escape", "cancel", N_("Cancel")),)

#: The troubleshooter panel (a widget of the wizard) and its search box.
TROUBLESHOOTER: tuple[Key, ...] = (Key("slash", "search", N_("Search help"), footer=False),)
SEARCH_BOX: tuple[Key, ...] = (Key("escape", "close", N_("Close search")),)

# ---------------------------------------------------------------------- dialogs
# In every dialog Esc and q cancel; q typed into a field is a letter (the field takes
# it first). Enter is a priority key where it confirms, so it works from a checkbox too.
CONFIRM: tuple[Key, ...] = (
    Key(
        "enter",
        "confirm",
        N_("Confirm"),
        shown="Enter",
        help=N_("confirm (on Cancel: cancel)"),
        priority=True,
    ),
    Key("escape,q", "cancel", N_("Cancel"), shown="Esc / q", help=N_("cancel")),
)

REMOVE: tuple[Key, ...] = (
    Key(
        "enter",
        "confirm",
        N_("Remove"),
        shown="Enter",
        help=N_("remove (on Cancel: cancel)"),
        priority=True,
    ),
    Key("escape,q", "cancel", N_("Cancel"), shown="Esc / q", help=N_("cancel: keep the account")),
    Key(
        "space",
        "toggle_logout",
        N_("Log out too"),
        shown="Space",
        help=N_("tick or untick logging out on Telegram"),
        priority=True,  # before the focused checkbox's own (hidden) Space: in the footer
    ),
)

EDIT: tuple[Key, ...] = (
    Key("enter", "save", N_("Save"), shown="Enter", help=N_("save")),
    Key("escape,q", "cancel", N_("Cancel"), shown="Esc", help=N_("close without saving")),
    Key("tab", "focus_next", N_("Next field"), shown="Tab", help=N_("next field"), bound=False),
)

HELP: tuple[Key, ...] = (Key("escape,q,question_mark", "close", N_("Close")),)
