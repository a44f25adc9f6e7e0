"""The frame every dialog shares: a centred box, and a footer with the dialog's keys."""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.screen import ScreenResultType as ResultType
from textual.widgets import Button, Footer

from tgtui.i18n import _
from tgtui.ui.screens.base import TgtuiDialog


class Dialog(TgtuiDialog[ResultType]):
    """A centred box (`.dialog-box`) over the screen below; the footer shows its keys.

    Subclasses yield their box from `compose_box`; the footer is added here, so under a
    dialog the footer never shows the keys of the screen below.
    """

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog .dialog-box {
        width: 70;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 1 2;
        border: thick $error 80%;
        background: $surface;
    }
    Dialog .dialog-title {
        margin-bottom: 1;
    }
    Dialog .hint {
        color: $text-muted;
    }
    Dialog .buttons {
        height: auto;
        margin: 1 0 0 0;
    }
    Dialog .buttons Button {
        margin-right: 2;
    }
    """

    #: Ids of the buttons that cancel: Enter on one of them cancels instead of confirming.
    CANCEL_BUTTONS: ClassVar[frozenset[str]] = frozenset({"cancel"})

    def retranslate(self) -> None:
        """The dialog's words in the interface language: built again (a dialog holds no
        state worth keeping but its focus, which is put back)."""
        super().retranslate()
        focused = self.focused.id if self.focused is not None else None
        self.call_after_refresh(self._recompose_keeping, focused)

    async def _recompose_keeping(self, focused: str | None) -> None:
        await self.recompose()
        if focused:
            with contextlib.suppress(NoMatches):
                self.query_one(f"#{focused}").focus()
        self.recomposed()

    def recomposed(self) -> None:
        """Called once the dialog was built again after a language switch: say again,
        in the new language, what a check had said (nothing by default)."""

    def compose(self) -> ComposeResult:
        """The dialog's box, then its footer."""
        yield from self.compose_box()
        yield Footer()

    def compose_box(self) -> ComposeResult:
        """The box (a container with class `dialog-box`); subclasses provide it."""
        raise NotImplementedError

    def cancel_focused(self) -> bool:
        """True when the focus is on a cancelling button (Enter there means "no")."""
        return self.focused is not None and self.focused.id in self.CANCEL_BUTTONS

    @staticmethod
    def buttons(confirm: str, *, cancel: str | None = None) -> Horizontal:
        """A row with the confirming (red) and the cancelling button (`Cancel`)."""
        return Horizontal(
            Button(confirm, variant="error", id="confirm"),
            Button(cancel or _("Cancel"), id="cancel"),
            classes="buttons",
        )
