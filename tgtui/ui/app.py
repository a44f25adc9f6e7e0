"""The tgtui Textual app: global keys, the main screen, the clock, the error handler.

Importing this module must not import Telethon: Telegram modules load inside workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tgtui.ui.errors import ReportWorkerErrors, setup_logging
from tgtui.ui.screens.accounts import AccountsScreen

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class TgtuiApp(ReportWorkerErrors, App[None]):
    """Manage Telegram user-account sessions from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "tgtui"
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        # Priority: focus moves before the next key is read, so text typed right after Tab
        # (or a fast paste of keys) lands in the next field, not the one left behind.
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
        # Ctrl+C is how people leave a program on a server: quit (asking mid-login).
        Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True),
    ]
    #: Signals that end the app cleanly (a login under way is cancelled, not left behind).
    EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

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
        self.startup_warnings = list(warnings or [])
        self.tg = tg
        self.demo = demo
        self.now: Callable[[], datetime] = clock or _utc_now
        self.start_monitor = start_monitor
        if demo:
            self.sub_title = "DEMO"

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
        self.exit()

    def on_unmount(self) -> None:
        """Give the signals back."""
        loop = asyncio.get_running_loop()
        for sig in self.EXIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)

    def action_interrupt(self) -> None:
        """Ctrl+C: quit; in the middle of a login ask first (a second Ctrl+C quits)."""
        from tgtui.ui.screens.remove import ConfirmScreen
        from tgtui.ui.screens.wizard import AddAccountScreen

        logins = [s for s in self.screen_stack if isinstance(s, AddAccountScreen)]
        if isinstance(self.screen, ConfirmScreen) or not any(s.mid_login for s in logins):
            self.exit()
            return
        question = (
            "A login is under way. Quit anyway? It is cancelled: nothing is saved and "
            "Telegram's half-made login is ended."
        )
        self.push_screen(
            ConfirmScreen(question, confirm="Quit"),
            lambda yes: self.exit() if yes else None,
        )

    def action_help(self) -> None:
        """Show the keys (once)."""
        from tgtui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
