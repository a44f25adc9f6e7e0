"""Plain terminal text for pitfalls, and the `tgtui troubleshoot [ERROR or words]` command."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterable
from typing import TextIO

from tgtui.failure import Failure
from tgtui.i18n import N_, gettext_in
from tgtui.troubleshoot.knowledge import action_label, all_pitfalls, get, stage_heading
from tgtui.troubleshoot.matcher import looks_like_error_name, match, to_failure
from tgtui.troubleshoot.model import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    STAGES,
    Pitfall,
    fill_wait,
    format_wait,
)
from tgtui.troubleshoot.search import ranked_answer
from tgtui.troubleshoot.words import detect_language

MIN_WIDTH = 30
_LABEL = 10  # width of the "You see:" column
_SHOWN = 3  # at most this many pitfalls are shown in full by `run`
_RELATED = 6  # and at most this many more are listed by id
_CLOSE = 0.3  # a search hit is shown in full when it scores this share of the best

# The command's own sentences, in English; tgtui/locale holds their translations.
_WORDS: dict[str, str] = {
    "see": N_("You see:"),
    "because": N_("Because:"),
    "fix": N_("Fix:"),
    "steps": N_("Steps:"),
    "errors": N_("Errors:"),
    "links": N_("Links:"),
    "action": N_("In tgtui:"),
    "intro": N_(
        "tgtui knows {count} pitfalls. For details run: tgtui troubleshoot ERROR_NAME,"
        " or tgtui troubleshoot some words"
    ),
    "means": N_("What {text}{wait} means and what to do:"),
    "wait": N_(" (wait {clock})"),
    "about": N_('Pitfalls about "{text}", best first:'),
    "related": N_("Also related: "),
    "nothing": N_(
        'Nothing known matches "{text}". Run tgtui troubleshoot with no arguments'
        " to list every pitfall."
    ),
}


def _say(lang: str, key: str, **values: object) -> str:
    return gettext_in(lang, _WORDS[key]).format(**values)


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=True,
    ) or [first.rstrip()]


def _labelled(label: str, text: str, width: int) -> list[str]:
    first = f"  {label:<{_LABEL}}"
    return _wrap(text, width, first, " " * len(first))


def render_one(
    p: Pitfall, *, width: int = 80, failure: Failure | None = None, lang: str = DEFAULT_LANGUAGE
) -> str:
    """One pitfall as wrapped plain text in `lang`, no line longer than `width`."""
    width = max(width, MIN_WIDTH)
    seconds = failure.seconds if failure is not None else None
    w = p.wording(lang)

    def filled(text: str) -> str:
        return fill_wait(text, seconds, lang)

    howto = p.kind == "howto"
    lines = _wrap(filled(w.title), width, "", "  ")
    lines += _wrap(f"[{', '.join(p.stages)}]  {p.id}", width, "  ", "  ")
    lines += _labelled(_say(lang, "see"), filled(w.see), width)
    lines += _labelled(_say(lang, "because"), filled(w.cause), width)
    lines.append("  " + _say(lang, "steps" if howto else "fix"))
    for n, step in enumerate(w.fix, 1):
        first = f"    {n}. "
        lines += _wrap(filled(step), width, first, " " * len(first))
    if p.names:
        lines += _labelled(_say(lang, "errors"), ", ".join(p.names), width)
    for i, link in enumerate(p.links):
        lines += _labelled(_say(lang, "links") if i == 0 else "", link, width)
    if p.action:
        lines += _labelled(_say(lang, "action"), action_label(p.action, lang), width)
    return "\n".join(lines)


def render_text(
    pitfalls: Iterable[Pitfall],
    *,
    width: int = 80,
    failure: Failure | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> str:
    """Pitfalls as plain text separated by blank lines; wait times filled from `failure`."""
    return "\n\n".join(render_one(p, width=width, failure=failure, lang=lang) for p in pitfalls)


def render_index(*, width: int = 80, lang: str = DEFAULT_LANGUAGE) -> str:
    """Every pitfall title grouped under its main stage."""
    width = max(width, MIN_WIDTH)
    pitfalls = all_pitfalls()
    column = min(max(len(p.id) for p in pitfalls) + 4, width // 2)
    lines: list[str] = []
    for stage in STAGES:
        heading = stage_heading(stage, lang)
        group = [p for p in pitfalls if p.stage == stage]
        if not group:
            continue
        if lines:
            lines.append("")
        lines += _wrap(heading, width, "", "")
        for p in group:
            first = f"  {p.id:<{column - 2}}"
            if len(first) > column:
                lines.append(first.rstrip()[:width])
                first = " " * column
            lines += _wrap(p.wording(lang).title, width, first, " " * column)
    return "\n".join(lines)


def _width(out: TextIO) -> int:
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        return min(shutil.get_terminal_size((80, 24)).columns, 100)
    return 80


def _show(
    out: TextIO,
    heading: str,
    found: list[Pitfall],
    width: int,
    failure: Failure | None,
    shown: int = _SHOWN,
    lang: str = DEFAULT_LANGUAGE,
) -> None:
    """Write a heading, the best pitfalls in full, and the ids of a few more."""
    shown = max(1, min(shown, _SHOWN))
    out.write(textwrap.fill(heading, width=width) + "\n\n")
    out.write(render_text(found[:shown], width=width, failure=failure, lang=lang) + "\n")
    rest = found[shown : shown + _RELATED]
    if rest:
        more = _say(lang, "related") + ", ".join(p.id for p in rest)
        out.write("\n" + textwrap.fill(more, width=width, break_on_hyphens=False) + "\n")


def choose_language(text: str, asked: str | None = None) -> str:
    """The language to answer in: `asked` (from --lang), else Russian for Cyrillic text."""
    if asked:
        if asked not in LANGUAGES:
            raise ValueError(f"unknown language {asked!r}; expected one of {list(LANGUAGES)}")
        return asked
    return detect_language(text)


def run(args: list[str], out: TextIO, lang: str | None = None) -> int:
    """`tgtui troubleshoot [ERROR or words]`; returns the exit code.

    No arguments: list every pitfall by stage. A pitfall id: show it. An error name
    (`FLOOD_WAIT_300`, `PHONE_CODE_EXPIRED`, `FloodWaitError`, Pyrogram's
    `pyrogram.errors....PhoneNumberInvalid`): match it. Anything else: match it as a
    pasted message, then search the words. Answers in `lang` when given, else in Russian
    for a Cyrillic query and English otherwise. Exit 0 when something was shown, 1 when
    nothing matched.
    """
    width = _width(out)
    text = " ".join(a.strip() for a in args if a.strip())
    lang = choose_language(text, lang)
    if not text:
        intro = _say(lang, "intro", count=len(all_pitfalls()))
        index = render_index(width=width, lang=lang)
        out.write(textwrap.fill(intro, width=width) + "\n\n" + index + "\n")
        return 0
    known = get(text)
    if known is not None:
        out.write(render_one(known, width=width, lang=lang) + "\n")
        return 0
    failure = to_failure(text)
    if looks_like_error_name(text):
        found = match(failure)
        if found:
            wait = ""
            if failure.seconds is not None:
                wait = _say(lang, "wait", clock=format_wait(failure.seconds))
            heading = _say(lang, "means", text=text, wait=wait)
            _show(out, heading, found, width, failure, lang=lang)
            return 0
    # Free text: a name it carries decides first, then patterns and words together.
    ranked, named = ranked_answer(text)
    top = max((score for _, score in ranked), default=0.0)
    close = sum(1 for _, score in ranked[named:] if score >= _CLOSE * top)
    found = [p for p, _ in ranked]
    if found:
        heading = _say(lang, "about", text=text)
        _show(out, heading, found, width, failure, named + close, lang=lang)
        return 0
    out.write(textwrap.fill(_say(lang, "nothing", text=text), width=width) + "\n")
    return 1
