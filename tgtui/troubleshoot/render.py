"""Plain terminal text for pitfalls, and the `tgtui troubleshoot [ERROR or words]` command."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterable
from typing import TextIO

from tgtui.failure import Failure
from tgtui.troubleshoot.knowledge import all_pitfalls, get
from tgtui.troubleshoot.matcher import looks_like_error_name, match, to_failure
from tgtui.troubleshoot.model import STAGES, Pitfall, fill_wait, format_wait
from tgtui.troubleshoot.search import rank

MIN_WIDTH = 30
_LABEL = 10  # width of the "You see:" column
_SHOWN = 3  # at most this many pitfalls are shown in full by `run`
_RELATED = 6  # and at most this many more are listed by id
_CLOSE = 0.3  # a search hit is shown in full when it scores this share of the best


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


def render_one(p: Pitfall, *, width: int = 80, failure: Failure | None = None) -> str:
    """One pitfall as wrapped plain text, no line longer than `width`."""
    width = max(width, MIN_WIDTH)
    seconds = failure.seconds if failure is not None else None
    lines = _wrap(fill_wait(p.title, seconds), width, "", "  ")
    lines += _wrap(f"[{', '.join(p.stages)}]  {p.id}", width, "  ", "  ")
    lines += _labelled("You see:", fill_wait(p.see, seconds), width)
    lines += _labelled("Because:", fill_wait(p.cause, seconds), width)
    lines.append("  Fix:")
    for n, step in enumerate(p.fix, 1):
        first = f"    {n}. "
        lines += _wrap(fill_wait(step, seconds), width, first, " " * len(first))
    if p.names:
        lines += _labelled("Errors:", ", ".join(p.names), width)
    for i, link in enumerate(p.links):
        lines += _labelled("Links:" if i == 0 else "", link, width)
    if p.action_label:
        lines += _labelled("In tgtui:", p.action_label, width)
    return "\n".join(lines)


def render_text(
    pitfalls: Iterable[Pitfall], *, width: int = 80, failure: Failure | None = None
) -> str:
    """Pitfalls as plain text separated by blank lines; wait times filled from `failure`."""
    return "\n\n".join(render_one(p, width=width, failure=failure) for p in pitfalls)


def render_index(*, width: int = 80) -> str:
    """Every pitfall title grouped under its main stage."""
    width = max(width, MIN_WIDTH)
    pitfalls = all_pitfalls()
    column = min(max(len(p.id) for p in pitfalls) + 4, width // 2)
    lines: list[str] = []
    for stage, heading in STAGES.items():
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
            lines += _wrap(p.title, width, first, " " * column)
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
) -> None:
    """Write a heading, the best pitfalls in full, and the ids of a few more."""
    shown = max(1, min(shown, _SHOWN))
    out.write(textwrap.fill(heading, width=width) + "\n\n")
    out.write(render_text(found[:shown], width=width, failure=failure) + "\n")
    rest = found[shown : shown + _RELATED]
    if rest:
        more = "Also related: " + ", ".join(p.id for p in rest)
        out.write("\n" + textwrap.fill(more, width=width, break_on_hyphens=False) + "\n")


def run(args: list[str], out: TextIO) -> int:
    """`tgtui troubleshoot [ERROR or words]`; returns the exit code.

    No arguments: list every pitfall by stage. A pitfall id: show it. An error name
    (`FLOOD_WAIT_300`, `PHONE_CODE_EXPIRED`, `FloodWaitError`): match it. Anything else:
    match it as a pasted message, then search the words. Exit 0 when something was
    shown, 1 when nothing matched.
    """
    width = _width(out)
    text = " ".join(a.strip() for a in args if a.strip())
    if not text:
        count = len(all_pitfalls())
        intro = (
            f"tgtui knows {count} pitfalls. For details run: "
            "tgtui troubleshoot ERROR_NAME, or tgtui troubleshoot some words"
        )
        out.write(textwrap.fill(intro, width=width) + "\n\n" + render_index(width=width) + "\n")
        return 0
    known = get(text)
    if known is not None:
        out.write(render_one(known, width=width) + "\n")
        return 0
    failure = to_failure(text)
    if looks_like_error_name(text):
        found = match(failure)
        if found:
            wait = f" (wait {format_wait(failure.seconds)})" if failure.seconds is not None else ""
            _show(out, f"What {text}{wait} means and what to do:", found, width, failure)
            return 0
    # Free text: a pasted error message matches by pattern, words by search.
    found = match(failure)
    ranked = rank(text)
    top = ranked[0][1] if ranked else 0.0
    close = sum(1 for p, score in ranked if score >= _CLOSE * top and p not in found)
    shown = len(found) + close
    found += [p for p, _ in ranked if p not in found]
    if found:
        _show(out, f'Pitfalls about "{text}", best first:', found, width, failure, shown)
        return 0
    message = (
        f'Nothing known matches "{text}". Run tgtui troubleshoot with no arguments '
        "to list every pitfall."
    )
    out.write(textwrap.fill(message, width=width) + "\n")
    return 1
