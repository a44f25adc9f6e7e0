"""Fixed words on a screen that follow the interface language (labels, intros, headings)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Label, Static

from tgtui.i18n import _


class Caption(Static):
    """Words made from an English sentence, marked with `N_` where it is made
    (`Caption(N_("Label (optional)"))`), and shown in the interface language; `retranslate()`
    shows them again after a language switch (the screens' `retranslate` does it for every
    caption they hold). Laid out as a `Static` (as wide as its container)."""

    def __init__(
        self, words: str, *, style: str = "", id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(Text(_(words), style=style), id=id, classes=classes, markup=False)
        self.words = words
        self.words_style = style

    def retranslate(self) -> None:
        """Show the words in the interface language."""
        self.update(Text(_(self.words), style=self.words_style))


class CaptionLabel(Caption, Label):
    """A `Caption` laid out as a `Label` (as wide as its words; styled by `Label` rules)."""
