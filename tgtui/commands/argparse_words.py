"""argparse's own sentences ("usage: ", "options", its error messages), marked so that
`python -m tools.catalogs update cli` puts them in our catalog.

argparse asks `gettext` for them through its module-level `_` and `ngettext`, which
`tgtui.cli.route_argparse_words` points at `tgtui.i18n`. The list is the union of what
Python 3.10 to 3.13 say (3.13 added a few: deprecation warnings, "%(heading)s:"); older
Pythons' "optional arguments" is kept for a parser built on 3.9 or earlier.
"""

from __future__ import annotations

from tgtui.i18n import N_, ngettext

WORDS: tuple[str, ...] = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("optional arguments"),
    N_("subcommands"),
    N_("%(heading)s:"),
    N_(" (default: %(default)s)"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("%(prog)s: warning: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unrecognized arguments: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_('argument "-" with mode %r'),
    N_("option '%(option)s' is deprecated"),
    N_("argument '%(argument_name)s' is deprecated"),
    N_("command '%(parser_name)s' is deprecated"),
    # Mistakes in a parser's definition (a programmer's, not a user's), translated all the
    # same so that nothing argparse can print is left in English.
    N_("cannot have multiple subparser arguments"),
    N_("conflicting subparser: %s"),
    N_("conflicting subparser alias: %s"),
    N_("mutually exclusive arguments must be optional"),
    N_("'required' is an invalid argument for positionals"),
    N_("dest= is required for options like %r"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("invalid conflict_resolution value: %r"),
    N_("cannot merge actions - two groups are named %r"),
    N_("%r is not callable"),
    N_(".__call__() not defined"),
)


def plural_words(n: int) -> tuple[str, ...]:
    """argparse's sentences with a count (`nargs=N`, conflicting options), for `n`."""
    return (
        ngettext("expected %s argument", "expected %s arguments", n),
        ngettext("conflicting option string: %s", "conflicting option strings: %s", n),
    )
