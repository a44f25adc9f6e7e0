"""The base classes of every tgtui screen and dialog.

Both report a worker that ends in error (see `tgtui.ui.errors.ReportWorkerErrors`): a
notification naming what failed, the likely pitfall and the log file, plus a log line.
Both name their keys in `KEYS` (from `tgtui.ui.keys`), which the help dialog lists.

Both show their keys in the interface language: `BINDINGS` hold the English words
(class attributes are made at import time), and `active_bindings`, which the footer and
Textual's key panel read, hands them out translated. After a language switch the app
calls `retranslate()` on every screen of the stack; a screen redraws its own words there,
keeping its state (cursor, typed text, open panels).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen, ScreenResultType

from tgtui.i18n import N_, _
from tgtui.ui.errors import ReportWorkerErrors
from tgtui.ui.keys import Key, translated


class Translated:
    """Mixin for screens: key words in the interface language; `retranslate()` hook."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, their words in the interface language."""
        found: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        for active in found.values():  # the key panel's heading over a widget's keys
            title = type(active.node).BINDING_GROUP_TITLE
            if title:
                active.node.BINDING_GROUP_TITLE = _(title)
        return {
            key: ActiveBinding(a.node, translated(a.binding), a.enabled, a.tooltip)
            for key, a in found.items()
        }

    def retranslate(self) -> None:
        """Redraw this screen's words in the interface language (the footer too).

        Every widget of the screen with a `retranslate()` of its own (a `Caption`, the
        troubleshooter, the first-run panel) redraws itself; screens with words of their
        own extend this (and call it)."""
        self.refresh_bindings()  # type: ignore[attr-defined]  # the footer recomposes
        for widget in list(self.query("*")):  # type: ignore[attr-defined]
            redraw = getattr(widget, "retranslate", None)
            if callable(redraw):
                redraw()


class TgtuiScreen(ReportWorkerErrors, Translated, Screen[ScreenResultType]):
    """A full screen whose workers' errors are never silent."""

    KEYS: ClassVar[tuple[Key, ...]] = ()
    #: The help dialog's title when opened from this screen (English, translated when shown).
    HELP_TITLE: ClassVar[str] = N_("keys")


class TgtuiDialog(ReportWorkerErrors, Translated, ModalScreen[ScreenResultType]):
    """A dialog over the current screen, whose workers' errors are never silent."""

    KEYS: ClassVar[tuple[Key, ...]] = ()
    HELP_TITLE: ClassVar[str] = N_("keys of this dialog")
