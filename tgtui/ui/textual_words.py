"""The words of Textual's own key bindings, marked for our catalog.

Textual's widgets (Input, DataTable, Select, the command palette, scrolling containers,
screens) bring their keys with English descriptions that its key panel (palette › Keys)
shows. Every screen hands its active bindings out through `tgtui.ui.keys.translated`, so
a description found in the catalog is shown in the interface language; this module only
puts those sentences in the catalog (and the headings the key panel puts over a widget's
keys, which `tgtui.ui.screens.base.Translated` translates the same way).
`tests/test_ui_textual_words.py` lists the bindings of the Textual we pin and fails when
one is missing here (a Textual upgrade that adds one).
"""

from __future__ import annotations

from tgtui.i18n import N_

TEXTUAL_BINDING_WORDS: tuple[str, ...] = (
    # App, Screen, ModalScreen (and the tooltips of the app's keys)
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
    N_("Open the command palette"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Copy selected text"),
    # the command palette and its list
    N_("Go to bottom"),
    N_("Go to top"),
    N_("Next command"),
    N_("Previous command"),
    N_("Exit the command palette"),
    N_("Next page"),
    N_("Previous page"),
    # OptionList (a Select's menu)
    N_("Up"),
    N_("Down"),
    N_("First"),
    N_("Last"),
    N_("Select"),
    N_("Page Up"),
    N_("Page Down"),
    # scrolling containers
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
    N_("Page Left"),
    N_("Page Right"),
    # Input
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Select all"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Submit"),
    N_("Delete left to start of word"),
    N_("Delete all to the left"),
    N_("Delete right to start of word"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Paste text from the clipboard"),
    # DataTable
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Cursor right"),
    N_("Cursor left"),
    N_("Page up"),
    N_("Page down"),
    N_("Top"),
    N_("Bottom"),
    N_("Home"),
    N_("End"),
    # Checkbox, Button, Select, Collapsible
    N_("Toggle"),
    N_("Toggle collapsible"),
    N_("Press button"),
    N_("Show menu"),
    N_("Dismiss menu"),
)

#: The key panel's headings over a widget's keys (`BINDING_GROUP_TITLE`).
TEXTUAL_GROUP_TITLES: tuple[str, ...] = (
    N_("Input"),
    N_("Collapsible"),
)
