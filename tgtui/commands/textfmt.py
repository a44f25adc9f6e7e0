"""Plain-text layout for the headless commands: tables and lines that fit the terminal.

A terminal wraps a long line wherever the column ends, often mid-word, and the reader
loses which account a reason belongs to. Here the free text (the last column, or a
doctor finding) wraps at words instead, its continuation lines indented under where it
started, so the first line of every row keeps the account's name. The width is
$COLUMNS, else the terminal's; output to a pipe or a file is not wrapped (one line per
account, for grep and scripts).
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Sequence

#: Below this many columns for the free text, it starts on its own line instead.
MIN_TEXT = 24
GAP = "  "
UNLIMITED = 1 << 30


def width() -> int:
    """Columns to fit: $COLUMNS, else the terminal's; unlimited when not a terminal."""
    if not os.environ.get("COLUMNS", "").isdigit() and not sys.stdout.isatty():
        return UNLIMITED
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def wrap(text: str, *, first: str = "", indent: str = "", columns: int | None = None) -> str:
    """`first` + `text`, wrapped at words to fit; later lines start with `indent`.

    A word longer than a line (a path, a URL) is kept whole on a line of its own.
    """
    columns = columns or width()
    lines = textwrap.wrap(
        text,
        width=columns,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines) if lines else first.rstrip()


def table(rows: Sequence[Sequence[str]], *, columns: int | None = None) -> list[str]:
    """Rows as lines: every column but the last padded to its widest cell, the last one
    (free text) wrapped at words under itself. Short rows get empty cells."""
    if not rows:
        return []
    columns = columns or width()
    count = max(len(r) for r in rows)
    cells = [list(r) + [""] * (count - len(r)) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(count - 1)]
    lead = sum(widths) + len(GAP) * (count - 1)
    lines = []
    for r in cells:
        head = GAP.join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + GAP
        text = r[-1]
        if not text:
            lines.append(head.rstrip())
        elif lead + len(text) <= columns:
            lines.append(head + text)
        elif columns - lead >= MIN_TEXT:
            lines += wrap(text, first=head, indent=" " * lead, columns=columns).splitlines()
        else:  # the fixed columns leave too little room: the text goes under the row
            lines.append(head.rstrip())
            lines += wrap(text, first="    ", indent="    ", columns=columns).splitlines()
    return lines


def field(line: str, *, at: int = 11, columns: int | None = None) -> str:
    """A `Label      value` line, its value wrapped at words under itself (column `at`)."""
    label, value = line[:at], line[at:]
    if len(label) < at or not label.endswith(" ") or not value.strip():
        return wrap(line, indent=" " * 4, columns=columns)
    return wrap(value, first=label, indent=" " * at, columns=columns)
