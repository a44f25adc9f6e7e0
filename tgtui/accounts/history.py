"""The per-account event log: `<account>/history.jsonl`, append-only JSON lines, 0600.

Each event is one `write()` of one whole line on a descriptor opened with O_APPEND, then
fsync, so a crash loses at most the line being written; a torn last line is skipped
when read, and the next append starts on a fresh line. Latency samples of the current
hour wait in `latency.jsonl` and become one min/median/max line per hour. Past
`max_bytes` the log is compacted by an atomic rewrite: hourly latency older than a week
becomes daily, then the oldest events are folded into a counts line so totals stay right.
Nothing here ever raises into the account: a log that cannot be read reads as empty.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tgtui.accounts.fsutil import FILE_MODE, atomic_write
from tgtui.accounts.model import State, Status
from tgtui.accounts.timeline import FLOOD, LIFECYCLE, STATE, Event, Folded, History, Latency
from tgtui.i18n import _

log = logging.getLogger(__name__)

HISTORY_FILE = "history.jsonl"
SAMPLES_FILE = "latency.jsonl"
MAX_BYTES = 64 * 1024  # compaction starts past this size ...
HOUR = 3600
DAY = 86400
KEEP_HOURLY = 7 * DAY  # ... keeping a week of hourly latency, older days as one line each
QUIET = frozenset({State.CHECKING, State.UNKNOWN})  # not states an account is "in"

_fsync = True  # benchmarks on throw-away folders may turn it off


def _epoch(value: datetime | None) -> int:
    return int(value.timestamp()) if value is not None else int(time.time())


def _line(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, separators=(",", ":"), ensure_ascii=True) + "\n").encode()


def _parse_lines(data: bytes) -> Iterator[dict[str, Any] | None]:
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            doc = json.loads(raw)
        except ValueError:
            yield None
            continue
        yield doc if isinstance(doc, dict) else None


@dataclass
class HistoryLog:
    """The event log of the account in `folder`."""

    folder: Path
    max_bytes: int = MAX_BYTES

    @property
    def path(self) -> Path:
        """`<account>/history.jsonl`."""
        return self.folder / HISTORY_FILE

    @property
    def samples_path(self) -> Path:
        """`<account>/latency.jsonl`: this hour's latency samples."""
        return self.folder / SAMPLES_FILE

    # ------------------------------------------------------------------ writing
    def record(self, kind: str, at: datetime | None = None, **detail: Any) -> None:
        """Append one event (a lifecycle action such as "login", or a flood wait)."""
        self._append([Event(at=_epoch(at), kind=kind, **detail).to_json()])

    def observe(self, previous: Status, status: Status) -> list[Event]:
        """Record what a new check result adds: a state change, a new flood wait, latency.

        Returns the events written (a changed state, a flood wait), for callers that alert.
        """
        at = _epoch(status.checked_at)
        events: list[Event] = []
        if status.state not in QUIET and status.state is not previous.state:
            was = None if previous.state in QUIET else previous.state
            events.append(Event(at, STATE, status.state, was, status.error))
        until = status.flood_until
        if until is not None and (
            previous.flood_until is None or until.timestamp() > previous.flood_until.timestamp() + 1
        ):
            events.append(Event(at, FLOOD, seconds=max(0, int(until.timestamp()) - at)))
        if events:
            self._append([e.to_json() for e in events])
        if status.latency_ms is not None and status.state is State.OK:
            self._sample(at, float(status.latency_ms))
        return events

    def _open_append(self, path: Path) -> int:
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags, FILE_MODE)
        with contextlib.suppress(OSError):
            if os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, FILE_MODE)
        return fd

    def _locked_fd(self, path: Path, mode: int) -> int:
        """An append descriptor of `path` holding flock `mode`, of the file now at `path`."""
        while True:
            fd = self._open_append(path)
            fcntl.flock(fd, mode)
            try:
                if os.fstat(fd).st_ino == os.stat(path).st_ino:
                    return fd
            except FileNotFoundError:
                pass
            os.close(fd)  # compaction replaced the file meanwhile: append to the new one

    def _write_lines(self, path: Path, docs: list[dict[str, Any]], sync: bool = True) -> int:
        """Append whole lines with one write; returns the file size after it.

        `sync=False` skips the fsync: for latency samples, where losing one is harmless.
        """
        payload = b"".join(_line(d) for d in docs)
        fd = self._locked_fd(path, fcntl.LOCK_SH)
        try:
            size = os.fstat(fd).st_size
            payload = _after_torn_line(fd, size, payload)
            written = os.write(fd, payload)
            while written < len(payload):  # short writes are rare; finish the line
                written += os.write(fd, payload[written:])
            if sync and _fsync:
                os.fsync(fd)
            return size + len(payload)
        finally:
            os.close(fd)

    def _append(self, docs: list[dict[str, Any]]) -> None:
        if not self.folder.is_dir():
            return
        size = self._write_lines(self.path, docs)
        if size > self.max_bytes:
            self.compact()

    def _sample(self, at: int, ms: float) -> None:
        """Keep a latency sample; when the hour turned, the past hours become lines."""
        hour = at - at % HOUR
        line = _line({"t": at, "ms": round(ms, 1)})
        fd = self._locked_fd(self.samples_path, fcntl.LOCK_SH)  # checked and appended under it
        try:
            size = os.fstat(fd).st_size
            first = _first_sample_time(os.pread(fd, 256, 0)) if size else None
            if not size or (first is not None and first - first % HOUR == hour):
                os.write(fd, _after_torn_line(fd, size, line))  # the usual case: same hour
                return
            if first is not None and first - first % HOUR > hour:
                return  # a late sample of an hour another writer has closed already: drop it
        finally:
            os.close(fd)
        # The hour turned (or the file is new or unreadable): roll over under an exclusive
        # lock, so two processes never turn the same hour into two lines.
        fd = self._locked_fd(self.samples_path, fcntl.LOCK_EX)
        try:
            samples = _read_samples(self.samples_path)
            if any(t - t % HOUR > hour for t, _unused in samples):
                return  # closed meanwhile by another writer
            past = [(t, v) for t, v in samples if t - t % HOUR < hour]
            if not past:
                os.write(fd, _after_torn_line(fd, os.fstat(fd).st_size, line))
                return
            buckets: dict[int, list[float]] = {}
            for t, v in past:
                buckets.setdefault(t - t % HOUR, []).append(v)
            lines = [Latency.of(h, HOUR, vs).to_json() for h, vs in sorted(buckets.items())]
            self._append(lines)
            keep = [(t, v) for t, v in samples if t - t % HOUR == hour] + [(at, ms)]
            atomic_write(
                self.samples_path,
                b"".join(_line({"t": t, "ms": round(v, 1)}) for t, v in keep),
            )
        finally:
            os.close(fd)

    # ------------------------------------------------------------------ reading
    def read(self) -> History:
        """Everything in the log, oldest first; unreadable lines are skipped and counted."""
        history = History()
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        except OSError as exc:
            history.error = _("{path} cannot be read ({detail})").format(
                path=self.path, detail=exc.strerror or exc
            )
            return history
        for doc in _parse_lines(data):
            if doc is None:
                history.skipped += 1
            elif doc.get("k") == "lat":
                lat = Latency.from_json(doc)
                if lat is None:
                    history.skipped += 1
                else:
                    history.latency.append(lat)
            elif doc.get("k") == "folded":
                history.folded = Folded.from_json(doc) or history.folded
            else:
                ev = Event.from_json(doc)
                if ev is None:
                    history.skipped += 1
                else:
                    history.events.append(ev)
        # Events stay in the order they were appended (the order they happened, even when
        # two writers' clocks differ by a second); latency buckets go by time.
        history.latency.sort(key=lambda b: b.start)
        samples = _read_samples(self.samples_path)
        if samples:  # the open hour, so the newest latency shows before the hour ends
            hour = samples[-1][0] - samples[-1][0] % HOUR
            current = [v for t, v in samples if t >= hour]
            if current and not any(b.start == hour for b in history.latency):
                history.latency.append(Latency.of(hour, HOUR, current))
        return history

    def rewrite(self, history: History) -> None:
        """Replace the whole log with `history` (atomically): for imports and the demo."""
        fd = self._locked_fd(self.path, fcntl.LOCK_EX)
        try:
            docs = [history.folded.to_json()] if history.folded else []
            docs += [e.to_json() for e in history.events]
            docs += [b.to_json() for b in history.latency]
            atomic_write(self.path, b"".join(_line(d) for d in docs))
            with contextlib.suppress(FileNotFoundError):
                self.samples_path.unlink()
        finally:
            os.close(fd)

    # ------------------------------------------------------------------ compaction
    def compact(self, now: int | None = None) -> None:
        """Rewrite the log smaller (atomically, under an exclusive lock); counts stay right."""
        now = int(time.time()) if now is None else now
        fd = self._locked_fd(self.path, fcntl.LOCK_EX)
        try:
            history = self.read()
            docs = _compacted(history, now, self.max_bytes // 2)
            atomic_write(self.path, b"".join(_line(d) for d in docs))
        finally:
            os.close(fd)


def _after_torn_line(fd: int, size: int, payload: bytes) -> bytes:
    """`payload`, on a fresh line when the file ends in a torn one (a crash mid-write)."""
    if size and os.pread(fd, 1, size - 1) != b"\n":
        return b"\n" + payload
    return payload


def _first_sample_time(head: bytes) -> int | None:
    """The time of the first sample in `head` (the file's start); None when unreadable."""
    try:
        doc = json.loads(head.split(b"\n", 1)[0])
    except ValueError:
        return None
    t = doc.get("t") if isinstance(doc, dict) else None
    return t if isinstance(t, int) else None


def _read_samples(path: Path) -> list[tuple[int, float]]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    out = []
    for doc in _parse_lines(data):
        if doc is not None and isinstance(doc.get("t"), int) and isinstance(doc.get("ms"), float):
            out.append((doc["t"], doc["ms"]))
    return out


def _daily(latency: list[Latency], now: int) -> list[Latency]:
    """Hourly buckets older than KEEP_HOURLY merged into one bucket per day."""
    days: dict[int, list[Latency]] = {}
    out = []
    for b in latency:
        if b.span < DAY and b.start < now - KEEP_HOURLY:
            days.setdefault(b.start - b.start % DAY, []).append(b)
        else:
            out.append(b)
    out += [Latency.merge(d, DAY, parts) for d, parts in days.items()]
    return sorted(out, key=lambda b: b.start)


def _compacted(history: History, now: int, target: int) -> list[dict[str, Any]]:
    """The lines of a smaller log: daily old latency, then the oldest items dropped or folded."""
    items: list[tuple[int, Event | Latency]] = [(e.at, e) for e in history.events]
    items += [(b.start, b) for b in _daily(history.latency, now)]
    items.sort(key=lambda pair: pair[0])
    sizes = [len(_line(item.to_json())) for _unused, item in items]
    budget = target - 200  # room for the folded line
    total = sum(sizes)
    cut = 0
    while cut < len(items) and total > budget:
        total -= sizes[cut]
        cut += 1
    folded = history.folded or Folded(0, 0, None)
    dropped_events = [item for _unused, item in items[:cut] if isinstance(item, Event)]
    if dropped_events:
        folded = folded.fold(dropped_events)
    head = [folded.to_json()] if folded.until else []
    return head + [item.to_json() for _unused, item in items[cut:]]


def record_safely(folder: Path | None, kind: str, at: datetime | None = None) -> None:
    """Append a lifecycle event; a log that cannot be written is logged, never raised."""
    if folder is None or kind not in LIFECYCLE:
        return
    try:
        HistoryLog(folder).record(kind, at)
    except Exception:
        log.warning("cannot record %s in %s", kind, folder / HISTORY_FILE, exc_info=True)
