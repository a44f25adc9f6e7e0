"""Command line: `tgtui` opens the TUI; sub-commands run headless.

Exit codes: 0 fine, 1 something needs attention, 2 usage or config error.

The interface language is chosen before the parser is built (argparse prints `--help`
while it parses): `--lang`, then `language` in config.toml, then the locale variables.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from tgtui import __version__, i18n
from tgtui.commands.exits import EXIT_ATTENTION, EXIT_OK, EXIT_USAGE, UsageError
from tgtui.i18n import _, ngettext

__all__ = ["EXIT_ATTENTION", "EXIT_OK", "EXIT_USAGE", "UsageError", "main"]


def _argparse_gettext(message: str) -> str:
    return _(message)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n)


def route_argparse_words() -> None:
    """Make argparse's own words ("usage:", "options", its error sentences) come from our
    catalog (its module-level `_` and `ngettext`, Python 3.10 to 3.13)."""
    setattr(argparse, "_", _argparse_gettext)  # noqa: B010 - not in argparse's stubs
    setattr(argparse, "ngettext", _argparse_ngettext)  # noqa: B010


# Python 3.10's ArgumentError says "argument NAME: ..." without asking gettext (3.11 asks).
_UNTRANSLATED_ARGUMENT = re.compile(
    r"argument (?P<name>[^:\s]+(?:/[^:\s]+)*): (?P<message>.*)", re.S
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        found = _UNTRANSLATED_ARGUMENT.fullmatch(message)
        if found:
            message = _("argument %(argument_name)s: %(message)s") % {
                "argument_name": found["name"],
                "message": found["message"],
            }
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE,
            _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message},
        )


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The argument parser; `commands=False` leaves out the sub-commands (a faster start)."""
    route_argparse_words()
    parser = _Parser(
        prog="tgtui",
        description=_(
            "See and manage every Telegram user-account session on this machine. "
            "With no command, opens the full-screen app."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"tgtui {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--config-dir",
        metavar="PATH",
        help=_(
            "use this config folder, and its logs/ for the log unless $TGTUI_LOG_DIR is set "
            "(default: $TGTUI_CONFIG_DIR, else the platform's user config dir)"
        ),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_(
            "run against a simulated Telegram with sample accounts, in a "
            "temporary config folder (your real accounts are never touched)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        help=_(
            "interface language (default: language in config.toml, else "
            "LC_ALL/LC_MESSAGES/LANG, else English)"
        ),
    )
    if commands:
        from tgtui.commands import register_all

        sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
        register_all(sub)
    return parser


def _value(argv: Sequence[str], i: int, option: str) -> tuple[str | None, int]:
    """The value of `option` at argv[i] (`--opt X` or `--opt=X`) and how many items it took."""
    arg = argv[i]
    if arg.startswith(option + "="):
        return arg[len(option) + 1 :], 1
    if arg == option:
        return (argv[i + 1], 2) if i + 1 < len(argv) else (None, 1)
    return None, 0


def pre_scan(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """(`--lang`, `--config-dir`) as given anywhere before `--` (the last usable one wins),
    without parsing: the language must be known before the parser is built. A `--lang` we
    do not ship is left for argparse to refuse, in the language of the other one."""
    lang = config = None
    i = 0
    while i < len(argv) and argv[i] != "--":
        found, took = _value(argv, i, "--lang")
        if took:
            lang = found if i18n.normalize(found) else lang
        else:
            found, took = _value(argv, i, "--config-dir")
            config = found if found is not None else config
        i += took or 1
    return lang, config


def configured_language(config_dir: str | None) -> str | None:
    """`language` from config.toml, None when unset or unreadable (a broken config.toml is
    reported by the command that needs it, never by `--help`)."""
    try:
        from tgtui.accounts.tomlio import read_toml
        from tgtui.config import config_dir as find_config_dir

        path = find_config_dir(config_dir) / "config.toml"
        if not path.is_file():
            return None
        value = read_toml(path).get("language")
    except Exception:  # noqa: BLE001 - any trouble here means: no language configured
        return None
    return value if isinstance(value, str) else None


def choose_language(argv: Sequence[str]) -> str:
    """Set the interface language from `--lang`, config.toml or the locale; returns it."""
    flag, config = pre_scan(argv)
    return i18n.set_language(i18n.choose(flag, configured_language(config)))


def _names_a_command(argv: Sequence[str]) -> bool:
    """True unless `argv` only holds the global options that open the TUI."""
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo" or arg.startswith(("--config-dir=", "--lang=")):
            continue
        if arg in ("--config-dir", "--lang") and rest:
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
    choose_language(argv)
    # Opening the TUI needs no sub-command parsers: skip importing them all.
    parser = build_parser(commands=_names_a_command(argv))
    args = parser.parse_args(argv)
    from tgtui.config import choose_config_dir

    # `--config-dir` moves the log as $TGTUI_CONFIG_DIR does, for every "see the log" too.
    previous = choose_config_dir(args.config_dir)
    try:
        return _run(args)
    finally:
        choose_config_dir(previous)  # a program (or test) calling main() again starts clean


def _run(args: argparse.Namespace) -> int:
    handler = getattr(args, "handler", None)
    if handler is not None:
        from tgtui.logfile import setup_logging

        setup_logging()  # Telethon's own lines go to the log file, never the terminal
    try:
        if handler is None:
            from tgtui.commands.tui import run_tui

            return run_tui(args)
        _log_warnings()
        from tgtui.commands.common import guarded

        # Every command, not only those that guard themselves: a bug is one line and a log
        # entry, never a traceback.
        return int(guarded(args.command)(handler)(args) or 0)
    except UsageError as exc:
        print(f"tgtui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(_("tgtui: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
