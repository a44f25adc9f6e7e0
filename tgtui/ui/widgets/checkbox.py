"""A checkbox that reads ticked or not by its characters, not only by its colour."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """`▐X▌` when ticked, `▐ ▌` when not: readable under NO_COLOR and on mono terminals.

    Textual's checkbox always draws the X and tells the states apart by colour alone.
    """

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        """The mark inside the box: X when ticked, a space when not."""
        return "X" if self.value else " "
