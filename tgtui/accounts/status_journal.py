"""The status journal: check results that did not change an account's state.

A health check that finds an account as it was (OK again, OFFLINE again) changes only
its check time, latency and details. Rewriting account.toml for that (TOML out, temp
file, two fsyncs, rename) was most of the CPU a check costs, so such results are
appended as one line to `<root>/cache/statuses.jsonl` instead; account.toml is still
rewritten, durably, for everything else (a new state, a new flood wait or error, a
changed user or phone), and stays the truth for the state.

A line is `{"u": uid, "n": name, "b": base, "s": {status as in account.toml}}`, where
`base` is the check time account.toml held when the line was written. A line applies
to an account only when uid *and* name match (a renamed, restored or copied account
never gets another's line) and account.toml still holds the state and the check time
the line was based on: any later rewrite of account.toml (a state change, a new
error, a re-login) has a newer check time and makes the line void. Of an account's
lines, the newest check wins. Lines that do not parse (a
torn write after a crash, a garbled file) are skipped one by one; an unreadable journal
is treated as empty, so it can only cost freshness, never hide or break an account.

Appends hold a shared flock; compaction (the newest line per account of the accounts
that still exist, written atomically) holds it exclusively and replaces the file, so a
writer that waited appends to the new file. Readers follow the file by its size and
inode: they parse only what was appended since they last looked.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tgtui.accounts.fsutil import FILE_MODE, atomic_write, ensure_dir
from tgtui.accounts.model import Account, State, Status, parse_utc

log = logging.getLogger(__name__)

JOURNAL_FILE = "statuses.jsonl"
COMPACT_SLACK = 64 * 1024  # bytes a journal may grow past twice its compacted size

Key = tuple[str, str]  # (uid, name)
Entry = tuple[datetime | None, Status]  # (account.toml's check time it was based on, status)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    # as account.toml has it: whole seconds, "Z"
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _line(uid: str, name: str, base: datetime | None, status: Status) -> bytes:
    doc = {
        "u": uid,
        "n": name,
        "b": _iso(base),
        "s": {
            "state": status.state.value,
            "reason": status.reason,
            "checked_at": _iso(status.checked_at),
            "latency_ms": status.latency_ms,
            "error": status.error,
            "flood_until": _iso(status.flood_until),
            "dc": status.dc,
            "two_fa": status.two_fa,
            "other_sessions": status.other_sessions,
            "since": _iso(status.since),
        },
    }
    return (json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("not a date-time")
    return parse_utc(value)


def _opt(value: Any, kind: type) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) and kind is not bool:
        raise TypeError("a bool where a number belongs")
    if kind is float and isinstance(value, int):
        return float(value)
    if not isinstance(value, kind):
        raise TypeError(f"not a {kind.__name__}")
    return value


def parse_line(raw: bytes) -> tuple[Key, Entry] | None:
    """The account key, base and status of one journal line, or None when it is not one."""
    try:
        doc = json.loads(raw)
        uid, name, s = doc["u"], doc["n"], doc["s"]
        base = _when(doc["b"])
        if not (isinstance(uid, str) and uid and isinstance(name, str) and isinstance(s, dict)):
            return None
        checked = _when(s["checked_at"])
        if checked is None:
            return None
        status = Status(
            state=State(s["state"]),
            reason=_opt(s.get("reason"), str) or "",
            checked_at=checked,
            latency_ms=_opt(s.get("latency_ms"), float),
            error=_opt(s.get("error"), str) or "",
            flood_until=_when(s.get("flood_until")),
            dc=_opt(s.get("dc"), int),
            two_fa=_opt(s.get("two_fa"), bool),
            other_sessions=_opt(s.get("other_sessions"), int),
            since=_when(s.get("since")),
        )
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        return None
    return (uid, name), (base, status)


def confirms(saved: Status, entry: Entry) -> bool:
    """True when the journal `entry` was written on top of account.toml's `saved` status."""
    base, journaled = entry
    return (
        journaled.state is saved.state
        and journaled.since == saved.since
        and base == saved.checked_at
    )


def journal_only(current: Account, updated: Account) -> bool:
    """True when saving `updated` over `current` changes nothing account.toml must hold
    durably: same state, flood wait, error, user, phone and everything outside the status.
    """
    old, new = current.status, updated.status
    if not current.uid or current.broken:
        return False
    if new.state is not old.state or new.flood_until != old.flood_until or new.error != old.error:
        return False
    if new.checked_at is None:
        return False
    return replace(updated, status=old, folder=None) == replace(current, folder=None)


class StatusJournal:
    """The journal of one store (`<root>/cache/statuses.jsonl`), followed as it grows."""

    def __init__(self, path: Path, accounts_dir: Path) -> None:
        self.path = Path(path)
        self.accounts_dir = Path(accounts_dir)
        self._lock = threading.RLock()  # saves run on worker threads, listings elsewhere
        self._entries: dict[Key, Entry] = {}
        self._ident: tuple[int, int] | None = None  # (st_dev, st_ino) of the file read
        self._offset = 0  # bytes of it already parsed (whole lines only)
        self._compacted = 0  # size right after the last compaction seen or done

    # ------------------------------------------------------------------ reading
    def refresh(self) -> None:
        """Take in what was appended (or compacted) since the last look; never raises."""
        with self._lock:
            try:
                self._refresh()
            except OSError as exc:
                log.info("status journal %s unreadable (%s)", self.path, exc)
                self._entries, self._ident, self._offset = {}, None, 0

    def _refresh(self) -> None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._entries, self._ident, self._offset = {}, None, 0
            return
        ident = (st.st_dev, st.st_ino)
        if ident != self._ident or st.st_size < self._offset:
            self._entries, self._ident, self._offset = {}, ident, 0
            self._compacted = st.st_size
        if st.st_size == self._offset:
            return
        with open(self.path, "rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        end = data.rfind(b"\n") + 1  # a line still being written is read next time
        self._take(data[:end])
        self._offset += end

    def _take(self, data: bytes) -> None:
        for raw in data.split(b"\n"):
            if not raw.strip():
                continue
            parsed = parse_line(raw)
            if parsed is None:
                continue  # torn or garbled: that line only
            key, entry = parsed
            known = self._entries.get(key)
            if known is None or _later(entry[1], known[1]):
                self._entries[key] = entry

    def overlay(self, account: Account) -> Account:
        """`account` with its newest journaled check, when one confirms account.toml's."""
        if not account.uid or account.broken:
            return account
        with self._lock:
            entry = self._entries.get((account.uid, account.name))
        if entry is None or not confirms(account.status, entry):
            return account
        return replace(account, status=entry[1])

    # ------------------------------------------------------------------ writing
    def append(self, account: Account, base: datetime | None) -> None:
        """Journal `account`'s status (see `journal_only`) on top of account.toml's check
        time `base`; raises OSError when it cannot be written."""
        payload = _line(account.uid, account.name, base, account.status)
        ensure_dir(self.path.parent)
        fd = self._locked_fd(fcntl.LOCK_SH)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                payload = b"\n" + payload  # the file ends in a torn line: start a new one
            written = os.write(fd, payload)
            while written < len(payload):
                written += os.write(fd, payload[written:])
            size += len(payload)
        finally:
            os.close(fd)
        parsed = parse_line(payload)  # as other readers see it (whole seconds)
        with self._lock:
            if parsed is not None:
                self._entries[parsed[0]] = parsed[1]
            compact = size > 2 * self._compacted + COMPACT_SLACK
        if compact:
            self.compact()

    def _locked_fd(self, mode: int) -> int:
        """An append descriptor holding flock `mode` on the file now at the path."""
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        while True:
            fd = os.open(self.path, flags, FILE_MODE)
            fcntl.flock(fd, mode)
            try:
                if os.fstat(fd).st_ino == os.stat(self.path).st_ino:
                    return fd
            except FileNotFoundError:
                pass
            os.close(fd)  # compacted meanwhile: use the new file

    def compact(self) -> None:
        """Rewrite the journal with the newest line of each account that still exists."""
        fd = self._locked_fd(fcntl.LOCK_EX)
        try:
            with self._lock:
                self._refresh()
                keep = {
                    key: status
                    for key, status in self._entries.items()
                    if (self.accounts_dir / key[1]).is_dir()
                }
                payload = b"".join(
                    _line(uid, name, base, st) for (uid, name), (base, st) in keep.items()
                )
                atomic_write(self.path, payload)
                self._entries = keep
                st = os.stat(self.path)
                self._ident, self._offset = (st.st_dev, st.st_ino), st.st_size
                self._compacted = st.st_size
        finally:
            os.close(fd)

    def forget(self, account: Account) -> None:
        """Drop `account`'s entry from memory (its status was folded into account.toml)."""
        with self._lock, contextlib.suppress(KeyError):
            del self._entries[(account.uid, account.name)]


def _later(a: Status, b: Status) -> bool:
    """True when `a` was checked after `b` (the order lines were written in otherwise)."""
    if a.checked_at is None or b.checked_at is None:
        return True
    return a.checked_at >= b.checked_at
