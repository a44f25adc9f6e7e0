"""Command line: `tgtui` opens the TUI; sub-commands run headless.

Exit codes: 0 fine, 1 something needs attention, 2 usage or config error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tgtui import __version__
from tgtui.commands.exits import EXIT_ATTENTION, EXIT_OK, EXIT_USAGE, UsageError

__all__ = ["EXIT_ATTENTION", "EXIT_OK", "EXIT_USAGE", "UsageError", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The argument parser; `commands=False` leaves out the sub-commands (a faster start)."""
    parser = _Parser(
        prog="tgtui",
        description="See and manage every Telegram user-account session on this machine. "
        "With no command, opens the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"tgtui {__version__}")
    parser.add_argument(
        "--config-dir",
        metavar="PATH",
        help="use this config folder "
        "(default: $TGTUI_CONFIG_DIR, else the platform's user config dir)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against a simulated Telegram with sample accounts, in a "
        "temporary config folder (your real accounts are never touched)",
    )
    if commands:
        from tgtui.commands import register_all

        sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
        register_all(sub)
    return parser


def _names_a_command(argv: Sequence[str]) -> bool:
    """True unless `argv` only holds the global options that open the TUI."""
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo" or arg.startswith("--config-dir="):
            continue
        if arg == "--config-dir" and rest:
            rest.pop(0)
            continue
        return True
    return False


def _log_warnings() -> None:
    """Headless commands log warnings and errors to the log file ("see the log")."""
    import logging

    from tgtui.logfile import setup_logging

    setup_logging(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tgtui` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Opening the TUI needs no sub-command parsers: skip importing them all.
    parser = build_parser(commands=_names_a_command(argv))
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is not None:
        from tgtui.logfile import setup_logging

        setup_logging()  # Telethon's own lines go to the log file, never the terminal
    try:
        if handler is None:
            from tgtui.commands.tui import run_tui

            return run_tui(args)
        _log_warnings()
        return int(handler(args) or 0)
    except UsageError as exc:
        print(f"tgtui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("tgtui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
