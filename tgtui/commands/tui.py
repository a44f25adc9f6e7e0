"""Opening the full-screen app (the default command)."""

from __future__ import annotations

import argparse

from tgtui.cli import EXIT_OK


def run_tui(args: argparse.Namespace) -> int:
    """Open the TUI on the user's accounts, or on the simulated demo with `--demo`."""
    if args.demo:
        from tgtui.commands.common import demo_root
        from tgtui.telegram.demo import build_demo

        with demo_root() as root:
            tg = build_demo(root)
            return _run_app(tg, demo=True)
    from tgtui.commands.common import open_store
    from tgtui.config import Settings
    from tgtui.telegram.context import Telegram

    store = open_store(args)
    return _run_app(Telegram(store, settings=Settings.load(store.root)), demo=False)


def _run_app(tg: object, *, demo: bool) -> int:
    from tgtui.ui.app import TgtuiApp

    TgtuiApp(tg, demo=demo).run()  # type: ignore[arg-type]
    return EXIT_OK
