"""The details screen's history: state strips for 24 h and 7 d, a latency sparkline, counts.

Each strip cell is one time bucket showing the worst state seen in it, as the state's
symbol (so it reads without colour) styled with the state's colour. Built from data into
`Text`, never markup.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from tgtui.accounts.model import State
from tgtui.accounts.timeline import History, span_text
from tgtui.ui import format as fmt

DAY = 86400
STRIPS = (("24 h", DAY, 48), ("7 d", 7 * DAY, 48))  # label, span, cells (30 min, 3.5 h)
LATENCY_CELLS = 24  # one per hour of the last day
NO_DATA = "·"
LABEL_WIDTH = 6


def strip_text(history: History, end: int, span: int, cells: int) -> Text:
    """One strip: a symbol per bucket, oldest left, `·` where nothing is known."""
    text = Text(no_wrap=True)
    for state in history.strip(end, span, cells):
        if state is None:
            text.append(NO_DATA, style="dim")
        else:
            badge = fmt.BADGES.get(state, fmt.BADGES[State.UNKNOWN])
            text.append(badge.symbol, style=badge.style)
    return text


def legend_text(states: set[State]) -> Text:
    """What the symbols in the strips mean (only those that appear)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for state in sorted(states, key=lambda s: list(fmt.BADGES).index(s)):
        badge = fmt.BADGES[state]
        text.append(badge.symbol, style=badge.style)
        text.append(f" {badge.word.lower()}  ", style="dim")
    text.append(f"{NO_DATA} no data", style="dim")
    return text


def summary_text(history: History, end: int) -> Text:
    """`Now BANNED since 3 d 4 h (USER_DEACTIVATED_BAN)` and the week's counts."""
    text = Text(no_wrap=True, overflow="ellipsis")
    last = history.last_change()
    if last is None or last.state is None:
        text.append("Nothing recorded yet: the next check starts the history.", style="dim")
        return text
    badge = fmt.BADGES.get(last.state, fmt.BADGES[State.UNKNOWN])
    text.append("Now ", style="dim")
    text.append(f"{badge.symbol} {last.state.name}", style=badge.style)
    text.append(f" since {span_text(end - last.at)}")
    if last.error:
        text.append(f" ({last.error})", style="dim")
    week = history.counts(since=end - 7 * DAY)
    text.append("\nWeek ", style="dim")
    waited = f" ({span_text(week.flood_seconds)})" if week.flood_waits else ""
    text.append(f"{week.flood_waits} flood wait{'s' if week.flood_waits != 1 else ''}{waited}")
    spells = week.offline_spells
    text.append(f" · {spells} offline spell{'s' if spells != 1 else ''}")
    text.append(f" · {week.changes} change{'s' if week.changes != 1 else ''}", style="dim")
    return text


class HistoryPanel(Vertical):
    """Strips, sparkline and counts of one account's history."""

    DEFAULT_CSS = """
    HistoryPanel { height: auto; }
    HistoryPanel Static { height: auto; }
    HistoryPanel Horizontal { height: 1; }
    HistoryPanel .strip-label { width: 6; color: $text-muted; }
    HistoryPanel .strip, HistoryPanel #latency { width: 48; }
    HistoryPanel #latency-range { width: 1fr; margin-left: 1; }
    """

    def compose(self) -> ComposeResult:
        """Two strips, the latency row, the legend and the counts."""
        for label, _, _ in STRIPS:
            with Horizontal():
                yield Static(label, classes="strip-label")
                yield Static(id=f"strip-{label.replace(' ', '')}", classes="strip")
        with Horizontal():
            yield Static("ms", classes="strip-label")
            yield Sparkline([], id="latency")
            yield Static(id="latency-range")
        yield Static(id="legend")
        yield Static(id="history-summary")

    def show(self, history: History, now: datetime) -> None:
        """Draw `history` as of `now`."""
        end = int(now.timestamp())
        seen: set[State] = set()
        for label, span, cells in STRIPS:
            seen.update(s for s in history.strip(end, span, cells) if s is not None)
            strip = self.query_one(f"#strip-{label.replace(' ', '')}", Static)
            strip.update(strip_text(history, end, span, cells))
        series = history.latency_series(end, DAY, LATENCY_CELLS)
        measured = [v for v in series if v is not None]
        spark = self.query_one("#latency", Sparkline)
        spark.data = measured  # hours without a check are left out, not drawn as 0
        spark.display = bool(measured)
        rng = self.query_one("#latency-range", Static)
        if measured:
            low, high = round(min(measured)), round(max(measured))
            rng.update(Text(f"{low}–{high} ms, hourly", style="dim", no_wrap=True))
        else:
            rng.update(Text("no working check in the last 24 h", style="dim", no_wrap=True))
        self.query_one("#legend", Static).update(legend_text(seen))
        summary = summary_text(history, end)
        if history.skipped:
            summary.append(f"\n({history.skipped} unreadable line(s) skipped)", style="dim")
        if history.error:
            summary.append(f"\nThe history cannot be read: {history.error}", style="dim")
        widget = self.query_one("#history-summary", Static)
        widget.update(summary)
        # An explicit height (every line is one row: no_wrap): a history landing before the
        # widget's first idle would otherwise keep the size cached for its first text
        # (Textual 8.2 renews that cache only when no layout was pending).
        widget.styles.height = summary.plain.count("\n") + 1
