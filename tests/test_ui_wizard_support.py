"""Support for the wizard tests (no tests here): a host app, the simulator, typing.

The clock and `make_tg` are the shared ones from conftest.py (re-exported here); the
wizard tests start the clock at START: `Clock(START)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import API_HASH, API_ID, Clock, make_tg
from textual import events
from textual.app import App
from textual.pilot import Pilot

from tgtui.telegram.context import Telegram
from tgtui.telegram.sim import SimServer
from tgtui.ui.screens.wizard import AddAccountScreen

__all__ = [
    "API_HASH",
    "API_ID",
    "START",
    "UNSET",
    "Clock",
    "WizardApp",
    "files_under",
    "make_sim",
    "make_tg",
    "paste",
    "settle",
    "type_text",
]

START = 1_795_000_000.0  # a fixed moment (2026-11-18): the wizard tests' clock starts here
UNSET = object()


class WizardApp(App[None]):
    """Pushes the wizard at start and keeps what it dismissed with."""

    def __init__(self, tg: Telegram, relogin: Any = None) -> None:
        super().__init__()
        self.tg = tg
        self.relogin = relogin
        self.result: Any = UNSET

    def on_mount(self) -> None:
        self.push_screen(AddAccountScreen(self.tg, relogin=self.relogin), self._done)

    def _done(self, result: Any) -> None:
        self.result = result


def make_sim(clock: Clock) -> SimServer:
    """The simulated Telegram on `clock`, with our app registered."""
    sim = SimServer(clock=clock)
    sim.add_app(API_ID, API_HASH)
    return sim


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type `text` key by key, as a person would."""
    names = {" ": "space", ":": "colon", "+": "plus", "-": "minus", "_": "underscore"}
    for char in text:
        await pilot.press(names.get(char, char))


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste `text` into the focused widget (what a terminal's bracketed paste sends)."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def settle(pilot: Pilot[Any], rounds: int = 6) -> None:
    """Let workers and messages run."""
    for _ in range(rounds):
        await pilot.pause()


def files_under(root: Path) -> list[str]:
    """Every file under `root`, relative, sorted (to prove nothing was left behind)."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
