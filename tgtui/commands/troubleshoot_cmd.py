"""`tgtui troubleshoot [ERROR or words]`: the pitfall knowledge base in a plain terminal."""

from __future__ import annotations

import argparse
import sys

from tgtui import i18n
from tgtui.i18n import _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `troubleshoot` parser."""
    p = sub.add_parser(
        "troubleshoot",
        help=_("explain an error or symptom and how to fix it"),
        description=_(
            "Match an error name (e.g. PHONE_CODE_EXPIRED, FLOOD_WAIT_300, or "
            "Pyrogram's PhoneNumberInvalid) or words in English or Russian (e.g. 'code never "
            "arrives', 'код не пришел') to known pitfalls; with nothing, list them all by "
            "stage. Answers in the interface language, or in Russian for a query in Russian, "
            "unless --lang says otherwise."
        ),
    )
    p.add_argument("query", nargs="*", metavar="QUERY", help=_("an error name or a few words"))
    p.add_argument(
        "--lang",
        dest="answer_lang",
        choices=i18n.LANGUAGES,
        default=None,
        help=_(
            "answer in this language (default: Russian for a Cyrillic query, else the "
            "interface language)"
        ),
    )
    p.set_defaults(handler=_run)


def answer_language(query: list[str], asked: str | None) -> str:
    """The language of the answer: `--lang` (before or after `troubleshoot`), else Russian for
    a Cyrillic query, else the interface language."""
    from tgtui.troubleshoot.words import detect_language

    if asked:
        return asked
    if detect_language(" ".join(query)) == "ru":
        return "ru"
    return i18n.language()


def _run(args: argparse.Namespace) -> int:
    from tgtui.troubleshoot.render import run

    asked = args.answer_lang or getattr(args, "lang", None)
    return run(list(args.query), sys.stdout, lang=answer_language(list(args.query), asked))
