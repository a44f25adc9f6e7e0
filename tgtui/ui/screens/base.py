"""The base classes of every tgtui screen and dialog.

Both report a worker that ends in error (see `tgtui.ui.errors.ReportWorkerErrors`): a
notification naming what failed, the likely pitfall and the log file, plus a log line.
Both name their keys in `KEYS` (from `tgtui.ui.keys`), which the help dialog lists.
"""

from __future__ import annotations

from typing import ClassVar

from textual.screen import ModalScreen, Screen, ScreenResultType

from tgtui.ui.errors import ReportWorkerErrors
from tgtui.ui.keys import Key


class TgtuiScreen(ReportWorkerErrors, Screen[ScreenResultType]):
    """A full screen whose workers' errors are never silent."""

    KEYS: ClassVar[tuple[Key, ...]] = ()
    #: The help dialog's title when opened from this screen.
    HELP_TITLE: ClassVar[str] = "keys"


class TgtuiDialog(ReportWorkerErrors, ModalScreen[ScreenResultType]):
    """A dialog over the current screen, whose workers' errors are never silent."""

    KEYS: ClassVar[tuple[Key, ...]] = ()
    HELP_TITLE: ClassVar[str] = "keys of this dialog"
