"""Opening the full-screen app (the default command)."""

from __future__ import annotations

import argparse

from tgtui.commands.exits import EXIT_OK
from tgtui.i18n import _


def run_tui(args: argparse.Namespace) -> int:
    """Open the TUI on the user's accounts, or on the simulated demo with `--demo`."""
    if args.demo:
        from tgtui.commands.common import demo_root
        from tgtui.telegram.demo import build_demo

        with demo_root() as root:
            tg = build_demo(root)
            return _run_app(tg, demo=True)
    from tgtui.accounts import ConfigFileError
    from tgtui.commands.common import open_store
    from tgtui.config import Settings
    from tgtui.telegram.context import Telegram

    store = open_store(args)
    warnings = []
    try:
        settings = Settings.load(store.root)
    except ConfigFileError as exc:  # the app still opens, on default settings
        settings = Settings()
        warnings.append(
            _("{error} — using default settings; fix that file (tgtui leaves it as is).").format(
                error=exc
            )
        )
    tg = Telegram(store, settings=settings)
    store.tidy_pending()  # logins a crash interrupted more than a day ago
    return _run_app(tg, demo=False, warnings=warnings)


def _run_app(tg: object, *, demo: bool, warnings: list[str] | None = None) -> int:
    from tgtui.ui.app import TgtuiApp

    TgtuiApp(tg, demo=demo, warnings=warnings).run()  # type: ignore[arg-type]
    return EXIT_OK
