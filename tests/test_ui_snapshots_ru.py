"""Russian snapshots at 80x24: the account list (in colour and under NO_COLOR) and the
troubleshooter open on an error. The words must fit: badges single-width, no cut footer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_ui_snapshots import _press
from textual.app import App, ComposeResult
from textual.widgets import Footer
from ui_fixtures import demo_app, in_russian

from tgtui.failure import Failure
from tgtui.i18n import language
from tgtui.ui import app as app_module
from tgtui.ui.screens.base import TgtuiScreen
from tgtui.ui.widgets.troubleshooter import Troubleshooter

__all__ = ["in_russian"]  # the fixture, used by name

SMALL = (80, 24)
START = 1_700_000_000.0


@pytest.mark.usefixtures("in_russian")
def test_list_in_russian(snap_compare: Any, tmp_path: Path) -> None:
    app = demo_app(tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=_press(select="promo"))


@pytest.mark.usefixtures("in_russian")
def test_list_in_russian_no_color(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app(tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=_press(select="old-phone"))


class HelpScreen(TgtuiScreen[None]):
    """The troubleshooter alone on a tgtui screen (its footer words are translated)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__()
        self.failure = failure

    def compose(self) -> ComposeResult:
        yield Troubleshooter("code", clock=lambda: START, id="help")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.query_one(Troubleshooter).show_failure, self.failure)


class TroubleshooterApp(App[None]):
    """A host for the troubleshooter with tgtui's stylesheet, open on one failure."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

    def __init__(self, failure: Failure) -> None:
        super().__init__()
        self.failure = failure

    def on_mount(self) -> None:
        self.set_class(language() != "en", "-long-words")  # as TgtuiApp does
        self.push_screen(HelpScreen(self.failure))


# No message: the error name is what shows (Telegram's own words are not ours).
EXPIRED = Failure("PHONE_CODE_EXPIRED", exc_type="PhoneCodeExpiredError", stage="code")
FLOOD = Failure("FLOOD_WAIT", seconds=252, stage="code")


@pytest.mark.usefixtures("in_russian")
def test_troubleshooter_in_russian(snap_compare: Any) -> None:
    assert snap_compare(TroubleshooterApp(EXPIRED), terminal_size=SMALL, run_before=_press())


@pytest.mark.usefixtures("in_russian")
def test_troubleshooter_flood_wait_in_russian(snap_compare: Any) -> None:
    assert snap_compare(TroubleshooterApp(FLOOD), terminal_size=SMALL, run_before=_press())
