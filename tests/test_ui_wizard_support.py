"""Support for the wizard tests (no tests here): a host app, a hand-moved clock, typing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot

from tgtui.accounts import AccountStore
from tgtui.accounts.secrets import SecretStore
from tgtui.config import prepare
from tgtui.telegram.context import Telegram
from tgtui.ui.screens.wizard import AddAccountScreen

START = 1_795_000_000.0  # a fixed moment (2026-11-18)
API_ID = 611335
API_HASH = "d524b414d21f4d37f08684c1df41ac9c"
UNSET = object()


class Clock:
    """A clock the tests move by hand (POSIX seconds)."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


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


def make_tg(root: Path, clock: Clock, sim: Any = None) -> Telegram:
    """A Telegram context over a fresh store with file secrets."""
    prepare(root)
    return Telegram(AccountStore(root, SecretStore(mode="off")), sim=sim, clock=clock)


def make_sim(clock: Clock) -> Any:
    """The simulated Telegram with our app registered."""
    from tgtui.telegram.sim import SimServer

    try:
        sim = SimServer(clock=clock)
    except TypeError:
        sim = SimServer()
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
