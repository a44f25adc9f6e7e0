"""`tgtui troubleshoot [ERROR or words]`: the pitfall knowledge base in a plain terminal."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `troubleshoot` parser."""
    p = sub.add_parser(
        "troubleshoot",
        help="explain an error or symptom and how to fix it",
        description="Match an error name (e.g. PHONE_CODE_EXPIRED, FLOOD_WAIT_300, or "
        "Pyrogram's PhoneNumberInvalid) or words in English or Russian (e.g. 'code never "
        "arrives', 'код не пришел') to known pitfalls; with nothing, list them all by stage. "
        "Answers in English, or in Russian for a query in Russian, unless --lang says "
        "otherwise.",
    )
    p.add_argument("query", nargs="*", help="an error name or a few words")
    p.add_argument(
        "--lang",
        choices=("en", "ru"),
        default=None,
        help="answer in this language (default: Russian for a Cyrillic query, else English)",
    )
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from tgtui.troubleshoot.render import run

    return run(list(args.query), sys.stdout, lang=args.lang)
