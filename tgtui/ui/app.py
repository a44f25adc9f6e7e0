"""The tgtui Textual app: global keys, the main screen, the clock, the error handler.

Importing this module must not import Telethon: Telegram modules load inside workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from tgtui.i18n import DEFAULT, N_, _
from tgtui.i18n import language as current_language
from tgtui.ui import keys, language
from tgtui.ui.errors import ReportWorkerErrors, setup_logging
from tgtui.ui.palette import ScreenCommands
from tgtui.ui.screens.accounts import AccountsScreen

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class TgtuiApp(ReportWorkerErrors, App[None]):
    """Manage Telegram user-account sessions from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "tgtui"
    BINDINGS = keys.bindings(keys.APP)
    #: Signals that end the app cleanly (a login under way is cancelled, not left behind).
    EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
    COMMANDS = App.COMMANDS | {ScreenCommands}

    def __init__(
        self,
        tg: Telegram,
        *,
        demo: bool = False,
        clock: Callable[[], datetime] | None = None,
        start_monitor: bool = True,
        warnings: list[str] | None = None,
    ) -> None:
        """`clock` (UTC datetimes) fixes "checked N min ago" and countdowns in tests.

        `warnings` are shown once the screen is up (e.g. a config.toml that does not parse).
        """
        super().__init__()
        self._gc_paused = False
        self._gc_settled = False
        self.startup_warnings = list(warnings or [])
        self.tg = tg
        self.demo = demo
        self.now: Callable[[], datetime] = clock or _utc_now
        self.start_monitor = start_monitor
        self.retranslate()

    def retranslate(self) -> None:
        """The app's own words (the header's subtitle) in the interface language."""
        self.sub_title = _(DEMO) if self.demo else ""
        # Russian words run longer: one space less around each footer key (app.tcss), so
        # the account list's keys still fit 80 columns.
        self.set_class(current_language() != DEFAULT, "-long-words")

    def switch_language(self, lang: str) -> None:
        """Show everything in `lang` from now on (the palette's Language entries)."""
        language.switch(self, lang)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette entries in the interface language, and the language switch."""
        yield from language.translate_commands(super().get_system_commands(screen))
        yield from language.language_commands(self.switch_language)

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the interface language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            placeholder = _("Search for commands…")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def on_load(self) -> None:
        """The app starts running: no garbage collection until its first frame. Startup
        (mounting, the account list, 1,000 rows of cells) makes objects, not garbage, and
        the collector's passes over them were ~10% of the time to the first frame."""
        self._gc_paused = gc.isenabled()
        gc.disable()

    def get_default_screen(self) -> Screen:
        """The accounts list is the bottom of the screen stack."""
        return AccountsScreen()

    def on_mount(self) -> None:
        """Log to a file; apply the configured theme when it exists."""
        setup_logging()
        theme = getattr(getattr(self.tg, "settings", None), "theme", None)
        if theme and theme in self.available_themes:
            self.theme = theme
        for warning in self.startup_warnings:
            self.notify(warning, severity="warning", timeout=15, markup=False)
        loop = asyncio.get_running_loop()
        for sig in self.EXIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._exit_on_signal)
        self.call_after_refresh(self._collect_from_now_on)
        # ... which waits for an idle moment: a busy start (a sweep of many accounts
        # begins at once) must not keep the collector off for long.
        self.set_timer(GC_OFF_AT_MOST, self._collect_from_now_on)

    def _collect_from_now_on(self) -> None:
        """After the first frame: what startup made (modules, Textual's widgets and
        styles, the account list) lives as long as the app; frozen, the collector's full
        passes skip it (they took 50-150 ms with 1,000 accounts, a pause a keypress
        would wait behind). Objects made from now on are collected as usual. Runs once."""
        if self._gc_settled:
            return
        self._gc_settled = True
        if self._gc_paused:
            self._gc_paused = False
            gc.enable()
        gc.collect()  # garbage made meanwhile is not frozen with the rest
        gc.freeze()
        first, second, _third = gc.get_threshold()
        gc.set_threshold(first, second, FULL_GC_EVERY)

    def _exit_on_signal(self) -> None:
        """SIGTERM, or SIGHUP when the SSH connection drops: end a login first, then quit.

        The terminal may be gone already, so the login is cleaned up before the app starts
        to close its screens (a pending session removed, a half-made login ended)."""
        self.run_worker(self._exit_cleanly(), group="exit", exit_on_error=False)

    async def _exit_cleanly(self) -> None:
        from tgtui.ui.screens.wizard import AddAccountScreen

        for screen in list(self.screen_stack):
            if isinstance(screen, AddAccountScreen):
                await screen.abandon_login()
        if not self.is_headless:  # a real terminal (never the tests' headless pilot)
            _exit_soon_anyway(FORCED_EXIT_AFTER)
        self.exit()

    def on_unmount(self) -> None:
        """Give the signals back (and the garbage collector, if no frame was drawn)."""
        if self._gc_paused:
            self._gc_paused = False
            gc.enable()
        loop = asyncio.get_running_loop()
        for sig in self.EXIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)

    def action_interrupt(self) -> None:
        """Ctrl+C: quit; in the middle of a login ask first (a second Ctrl+C quits)."""
        from tgtui.ui.dialogs.confirm import ConfirmDialog
        from tgtui.ui.screens.wizard import AddAccountScreen

        logins = [s for s in self.screen_stack if isinstance(s, AddAccountScreen)]
        if isinstance(self.screen, ConfirmDialog) or not any(s.mid_login for s in logins):
            self.exit()
            return

        def question() -> str:
            return _(
                "A login is under way. Quit anyway? It is cancelled: nothing is saved and "
                "Telegram's half-made login is ended."
            )

        self.push_screen(
            ConfirmDialog(question, confirm=lambda: _("Quit")),
            lambda yes: self.exit() if yes else None,
        )

    def action_help(self) -> None:
        """Show the keys of the screen on top (once)."""
        from tgtui.ui.dialogs.help import HelpDialog

        screen = self.screen
        if not isinstance(screen, HelpDialog):
            title = getattr(screen, "HELP_TITLE", N_("keys"))
            self.push_screen(HelpDialog(getattr(screen, "KEYS", ()), title))


# Full garbage-collection passes: after this many passes of the middle generation (the
# default is 10). A full pass over a list of 1,000 accounts took 20-60 ms, a pause a
# keypress waits behind; during a sweep (Telethon's objects for every check) they came
# every second or two. Cyclic garbage is still collected by the younger passes.
FULL_GC_EVERY = 100
GC_OFF_AT_MOST = 1.0  # seconds after mounting: the collector is back on by then

#: The header's subtitle in the demo.
DEMO = N_("DEMO")

# Seconds a signalled app may take to close before the process ends without it: with the
# terminal gone (SIGHUP), Textual 8.2 can block for good in its output thread on shutdown,
# which left tgtui running, orphaned, after every dropped SSH link mid-login. Everything
# worth keeping is saved (atomically) before this; the login was ended above.
FORCED_EXIT_AFTER = 5.0


def _exit_soon_anyway(seconds: float) -> None:
    """End the process after `seconds` unless it has ended by then (a daemon timer)."""
    timer = threading.Timer(seconds, os._exit, args=(EXIT_SIGNALLED,))
    timer.daemon = True
    timer.start()


EXIT_SIGNALLED = 128 + signal.SIGHUP
