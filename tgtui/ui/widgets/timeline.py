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
from tgtui.i18n import DEFAULT, N_, _, language, ngettext
from tgtui.ui import format as fmt

DAY = 86400
#: (id, label, span, cells): 30 min and 3.5 h a cell.
STRIPS = (("24h", N_("24 h"), DAY, 48), ("7d", N_("7 d"), 7 * DAY, 48))
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
        text.append(f" {fmt.badge_word(state).lower()}  ", style="dim")
    text.append(NO_DATA + " " + _("no data"), style="dim")
    return text


def summary_text(history: History, end: int) -> Text:
    """`Now BANNED since 3 d 4 h (USER_DEACTIVATED_BAN)` and the week's counts."""
    text = Text(no_wrap=True, overflow="ellipsis")
    last = history.last_change()
    if last is None or last.state is None:
        text.append(_("Nothing recorded yet: the next check starts the history."), style="dim")
        return text
    badge = fmt.BADGES.get(last.state, fmt.BADGES[State.UNKNOWN])
    text.append(_("Now") + " ", style="dim")
    # English names the state as the CLI and the logs do; other languages use the badge word
    name = last.state.name if language() == DEFAULT else fmt.badge_word(last.state)
    text.append(f"{badge.symbol} {name}", style=badge.style)
    text.append(" " + _("since {span}").format(span=span_text(end - last.at)))
    if last.error:
        text.append(f" ({last.error})", style="dim")
    week = history.counts(since=end - 7 * DAY)
    text.append("\n" + _("Week") + " ", style="dim")
    waited = f" ({span_text(week.flood_seconds)})" if week.flood_waits else ""
    floods = ngettext("{n} flood wait", "{n} flood waits", week.flood_waits)
    text.append(floods.format(n=week.flood_waits) + waited)
    spells = week.offline_spells
    offline = ngettext("{n} offline spell", "{n} offline spells", spells).format(n=spells)
    text.append(f" · {offline}")
    changes = ngettext("{n} change", "{n} changes", week.changes).format(n=week.changes)
    text.append(f" · {changes}", style="dim")
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
        for ident, label, _span, _cells in STRIPS:
            with Horizontal():
                yield Static(_(label), id=f"label-{ident}", classes="strip-label")
                yield Static(id=f"strip-{ident}", classes="strip")
        with Horizontal():
            yield Static(_("ms"), id="label-ms", classes="strip-label")
            yield Sparkline([], id="latency")
            yield Static(id="latency-range")
        yield Static(id="legend")
        yield Static(id="history-summary")

    def show(self, history: History, now: datetime) -> None:
        """Draw `history` as of `now`."""
        end = int(now.timestamp())
        seen: set[State] = set()
        for ident, label, span, cells in STRIPS:
            self.query_one(f"#label-{ident}", Static).update(_(label))
            seen.update(s for s in history.strip(end, span, cells) if s is not None)
            strip = self.query_one(f"#strip-{ident}", Static)
            strip.update(strip_text(history, end, span, cells))
        series = history.latency_series(end, DAY, LATENCY_CELLS)
        measured = [v for v in series if v is not None]
        spark = self.query_one("#latency", Sparkline)
        spark.data = measured  # hours without a check are left out, not drawn as 0
        spark.display = bool(measured)
        rng = self.query_one("#latency-range", Static)
        if measured:
            low, high = round(min(measured)), round(max(measured))
            words = _("{low}–{high} ms, hourly").format(low=low, high=high)
            rng.update(Text(words, style="dim", no_wrap=True))
        else:
            words = _("no working check in the last 24 h")
            rng.update(Text(words, style="dim", no_wrap=True))
        self.query_one("#label-ms", Static).update(_("ms"))
        self.query_one("#legend", Static).update(legend_text(seen))
        summary = summary_text(history, end)
        if history.skipped:
            skipped = ngettext(
                "({n} unreadable line skipped)", "({n} unreadable lines skipped)", history.skipped
            ).format(n=history.skipped)
            summary.append("\n" + skipped, style="dim")
        if history.error:
            cannot = _("The history cannot be read: {error}").format(error=history.error)
            summary.append("\n" + cannot, style="dim")
        widget = self.query_one("#history-summary", Static)
        widget.update(summary)
        # An explicit height (every line is one row: no_wrap): a history landing before the
        # widget's first idle would otherwise keep the size cached for its first text
        # (Textual 8.2 renews that cache only when no layout was pending).
        widget.styles.height = summary.plain.count("\n") + 1
