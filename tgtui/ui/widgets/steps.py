"""The step indicator across the top of the add-account wizard."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tgtui.i18n import N_, _

WIZARD_STEPS: tuple[str, ...] = (
    N_("Credentials"),
    N_("Phone"),
    N_("Code or QR"),
    N_("Password"),
    N_("Done"),
)


def steps_text(steps: Sequence[str], current: int, skipped: frozenset[int] = frozenset()) -> Text:
    """`✓ Credentials › ● Phone › Code or QR …`: done steps ticked, the current one bold.

    The titles are English (marked with `N_`), shown in the interface language."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for i, english in enumerate(steps):
        title = _(english)
        if i:
            text.append(" › ", style="dim")
        if i in skipped:
            text.append(title, style="dim strike")
        elif i < current:
            text.append(f"✓ {title}", style="green")
        elif i == current:
            text.append(f"● {title}", style="bold reverse")
        else:
            text.append(title, style="dim")
    return text


class StepIndicator(Static):
    """One line naming every step, with the current one highlighted."""

    DEFAULT_CSS = """
    StepIndicator {
        width: 1fr;
        height: 1;
        padding: 0 1;
    }
    """

    current: reactive[int] = reactive(0)
    skipped: reactive[frozenset[int]] = reactive(frozenset)

    def __init__(
        self,
        steps: Sequence[str] = WIZARD_STEPS,
        current: int = 0,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__("", markup=False, id=id)
        self.steps = tuple(steps)
        self.set_reactive(StepIndicator.current, current)

    def render(self) -> Text:
        """The indicator line."""
        return steps_text(self.steps, self.current, self.skipped)
