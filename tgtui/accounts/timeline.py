"""What an account's history says: events, hourly latency, state at a time, strips, counts.

Pure data and arithmetic, no files: `tgtui.accounts.history` reads and writes the log.
Times are UTC epoch seconds (int) throughout, so the arithmetic stays simple.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tgtui.accounts.model import State
from tgtui.i18n import _

STATE = "state"
FLOOD = "flood"
LIFECYCLE = ("login", "relogin", "logout", "import", "remove", "restore")
KINDS = (STATE, FLOOD, *LIFECYCLE)

# The worst state seen in a bucket is the one its strip cell shows.
SEVERITY: dict[State, int] = {
    State.OK: 0,
    State.LOCKED: 1,
    State.OFFLINE: 2,
    State.FLOOD_WAIT: 3,
    State.BROKEN: 4,
    State.NEEDS_LOGIN: 5,
    State.BAD_CREDENTIALS: 6,
    State.REVOKED: 7,
    State.DUPLICATED: 7,
    State.BANNED: 8,
}


def parse_state(value: Any) -> State | None:
    """The State named `value`, or None for anything else."""
    try:
        return State(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Event:
    """One thing that happened to an account: a state change, a flood wait, or an action."""

    at: int
    kind: str  # "state", "flood", or one of LIFECYCLE
    state: State | None = None  # the new state ("state" events)
    was: State | None = None  # the state before it
    error: str = ""  # the failure name behind the new state, e.g. USER_DEACTIVATED_BAN
    seconds: int = 0  # length of a flood wait

    def to_json(self) -> dict[str, Any]:
        """The compact form written to the log."""
        out: dict[str, Any] = {"t": self.at, "k": self.kind}
        if self.state is not None:
            out["s"] = self.state.value
        if self.was is not None:
            out["was"] = self.was.value
        if self.error:
            out["e"] = self.error
        if self.seconds:
            out["sec"] = self.seconds
        return out

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Event | None:
        """An Event from a log line, or None when the line is not one."""
        kind, at = doc.get("k"), doc.get("t")
        if kind not in KINDS or not isinstance(at, int):
            return None
        state = parse_state(doc.get("s"))
        if kind == STATE and state is None:
            return None
        seconds = doc.get("sec", 0)
        return cls(
            at=at,
            kind=kind,
            state=state,
            was=parse_state(doc.get("was")),
            error=str(doc.get("e", ""))[:80],
            seconds=int(seconds) if isinstance(seconds, (int, float)) else 0,
        )


@dataclass(frozen=True)
class Latency:
    """Latency of the checks in one time bucket (an hour, or a day once compacted), in ms."""

    start: int
    span: int
    count: int
    low: float
    median: float
    high: float

    def to_json(self) -> dict[str, Any]:
        """The compact form written to the log."""
        out: dict[str, Any] = {"t": self.start, "k": "lat"}
        if self.span != 3600:  # an hour unless said otherwise
            out["span"] = self.span
        out.update(
            n=self.count, lo=round(self.low, 1), md=round(self.median, 1), hi=round(self.high, 1)
        )
        return out

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Latency | None:
        """A Latency from a log line, or None when the line is not one."""
        try:
            return cls(
                int(doc["t"]),
                int(doc.get("span", 3600)),
                int(doc["n"]),
                float(doc["lo"]),
                float(doc["md"]),
                float(doc["hi"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    @classmethod
    def of(cls, start: int, span: int, samples: list[float]) -> Latency:
        """The bucket summarising `samples`."""
        return cls(
            start, span, len(samples), min(samples), statistics.median(samples), max(samples)
        )

    @classmethod
    def merge(cls, start: int, span: int, parts: list[Latency]) -> Latency:
        """One coarser bucket from finer ones (its median is the median of their medians)."""
        return cls(
            start,
            span,
            sum(p.count for p in parts),
            min(p.low for p in parts),
            statistics.median(p.median for p in parts),
            max(p.high for p in parts),
        )


@dataclass(frozen=True)
class Folded:
    """Counts of the events compaction took out of the log, so totals stay right."""

    first: int  # time of the oldest folded event
    until: int  # time of the newest folded event
    state: State | None  # the account's state at `until`
    counts: dict[str, int] = field(default_factory=dict)  # "flood", "offline", "login", ...
    flood_seconds: int = 0

    def to_json(self) -> dict[str, Any]:
        """The compact form written at the top of the log."""
        return {
            "t": self.first,
            "k": "folded",
            "until": self.until,
            "s": self.state.value if self.state else None,
            "counts": dict(sorted(self.counts.items())),
            "flood_sec": self.flood_seconds,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Folded | None:
        """A Folded from a log line, or None when the line is not one."""
        counts = doc.get("counts")
        try:
            return cls(
                int(doc["t"]),
                int(doc["until"]),
                parse_state(doc.get("s")),
                {str(k): int(v) for k, v in counts.items()} if isinstance(counts, dict) else {},
                int(doc.get("flood_sec", 0)),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def fold(self, events: Iterable[Event]) -> Folded:
        """These counts plus `events` (which must be newer)."""
        counts = dict(self.counts)
        first, until, state, flood_seconds = self.first, self.until, self.state, self.flood_seconds
        for ev in events:
            first = min(first, ev.at) if first else ev.at
            until = max(until, ev.at)
            for key in count_keys(ev):
                counts[key] = counts.get(key, 0) + 1
            if ev.kind == STATE:
                state = ev.state
            if ev.kind == FLOOD:
                flood_seconds += ev.seconds
        return Folded(first, until, state, counts, flood_seconds)


def count_keys(ev: Event) -> list[str]:
    """What an event adds to the counts: "flood", "offline" (a spell begins), "changes", ..."""
    if ev.kind == FLOOD:
        return ["flood"]
    if ev.kind == STATE:
        keys = ["changes"]
        if ev.state is State.OFFLINE:
            keys.append("offline")
        return keys
    return [ev.kind]


@dataclass(frozen=True)
class Counts:
    """How often things happened in a period."""

    flood_waits: int = 0
    flood_seconds: int = 0
    offline_spells: int = 0
    changes: int = 0
    actions: dict[str, int] = field(default_factory=dict)


@dataclass
class History:
    """Everything the log of one account holds: events in the order they were written,
    latency buckets by time."""

    events: list[Event] = field(default_factory=list)
    latency: list[Latency] = field(default_factory=list)
    folded: Folded | None = None
    skipped: int = 0  # lines that could not be read (a torn last line, garbage)
    error: str = ""  # why the log could not be read at all; empty when fine

    def state_at(self, t: int) -> State | None:
        """The state the account was in at time `t` (None when nothing is known yet)."""
        state = None
        if self.folded is not None and self.folded.until <= t:
            state = self.folded.state
        for ev in self.events:  # in the order they happened
            if ev.kind == STATE and ev.at <= t:
                state = ev.state
        return state

    def last_change(self) -> Event | None:
        """The newest state change."""
        return next((e for e in reversed(self.events) if e.kind == STATE), None)

    def strip(self, end: int, span: int, cells: int) -> list[State | None]:
        """The worst state of each of `cells` buckets covering `span` seconds up to `end`."""
        width = span / cells
        start = end - span
        out: list[State | None] = []
        for i in range(cells):
            lo, hi = int(start + i * width), int(start + (i + 1) * width)
            seen = [self.state_at(lo)]
            seen += [e.state for e in self.events if e.kind == STATE and lo < e.at < hi]
            known = [s for s in seen if s is not None]
            out.append(max(known, key=lambda s: SEVERITY.get(s, 0)) if known else None)
        return out

    def counts(self, since: int | None = None) -> Counts:
        """Counts of events after `since` (all of them, compacted ones too, when None)."""
        folded = self.folded
        base = folded if folded is not None and (since is None or since <= folded.first) else None
        totals: dict[str, int] = dict(base.counts) if base else {}
        flood_seconds = base.flood_seconds if base else 0
        for ev in self.events:
            if since is not None and ev.at < since:
                continue
            for key in count_keys(ev):
                totals[key] = totals.get(key, 0) + 1
            if ev.kind == FLOOD:
                flood_seconds += ev.seconds
        return Counts(
            flood_waits=totals.get("flood", 0),
            flood_seconds=flood_seconds,
            offline_spells=totals.get("offline", 0),
            changes=totals.get("changes", 0),
            actions={k: totals[k] for k in LIFECYCLE if totals.get(k)},
        )

    def latency_series(self, end: int, span: int, cells: int) -> list[float | None]:
        """The median latency in each of `cells` buckets up to `end` (None when unmeasured)."""
        width = span / cells
        start = end - span
        out: list[list[float]] = [[] for _unused in range(cells)]
        for bucket in self.latency:
            mid = bucket.start + bucket.span / 2
            if start <= mid < end:
                out[min(cells - 1, int((mid - start) / width))].append(bucket.median)
        return [statistics.median(v) if v else None for v in out]


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_period(text: str) -> int:
    """Seconds in a period such as "7d", "24h", "90m", "2w" (ValueError with a hint if not)."""
    raw = text.strip().lower()
    number, unit = raw[:-1], raw[-1:]
    if unit not in _UNITS or not number.isdigit() or int(number) <= 0:
        raise ValueError(
            _("{text} is not a period: use a number and a unit, e.g. 30m, 24h, 7d or 2w.").format(
                text=repr(text)
            )
        )
    return int(number) * _UNITS[unit]


def span_text(seconds: float) -> str:
    """A duration the way a person says it: "45 s", "12 min", "3 h 5 min", "3 d 4 h" (in
    the interface language)."""
    s = max(0, int(seconds))
    if s < 60:
        return _("{seconds} s").format(seconds=s)
    if s < 3600:
        return _("{minutes} min").format(minutes=s // 60)
    if s < 86400:
        h, m = divmod(s // 60, 60)
        if m:
            return _("{hours} h {minutes} min").format(hours=h, minutes=m)
        return _("{hours} h").format(hours=h)
    d, h = divmod(s // 3600, 24)
    if h:
        return _("{days} d {hours} h").format(days=d, hours=h)
    return _("{days} d").format(days=d)
