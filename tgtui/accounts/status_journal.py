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
lines, the last valid one wins. Lines that do not parse (a
torn write after a crash, a garbled file) are skipped one by one; an unreadable journal
is treated as empty, so it can only cost freshness, never hide or break an account.

Appends hold a shared flock. Compaction (once the file holds over 1.5 lines per
account: the newest line of each account that still exists, written atomically) holds
it exclusively and replaces the file, so a writer that waited appends to the new file.
Readers follow the file by its size and
inode: they parse only what was appended since they last looked. Reading is cheap: the
lines are checked for shape (no date is parsed) and matched against account.toml's
parsed table by string comparison; the store then builds the account once, from the
table with the journal's `[status]` in place of its own.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import threading
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tgtui.accounts.fsutil import FILE_MODE, atomic_write, ensure_dir
from tgtui.accounts.model import Account, State, Status

log = logging.getLogger(__name__)

JOURNAL_FILE = "statuses.jsonl"
COMPACT_SLACK = 256  # lines a journal may hold beyond 1.5 times its number of accounts

Key = tuple[str, str]  # (uid, name)
# (key, account.toml's check time the line was based on, the status as a [status] table)
Entry = tuple[Key, "str | None", dict[str, Any]]


# A time as tgtui writes it; an impossible date that still matches (February 30th) fails
# when the account is built, and the store then ignores the line (see `AccountStore._load`).
_STAMP = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ")
_STATES = frozenset(state.value for state in State)
_KINDS: dict[str, tuple[type, ...]] = {
    "reason": (str,),
    "latency_ms": (int, float),
    "error": (str,),
    "dc": (int,),
    "two_fa": (bool,),
    "other_sessions": (int,),
}


def _iso(value: datetime | None) -> str | None:
    """A time as account.toml has it: whole seconds, "Z"."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def status_doc(status: Status) -> dict[str, Any]:
    """`status` as account.toml's `[status]` table holds it (absent values left out)."""
    doc = {
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
    }
    return {k: v for k, v in doc.items() if v is not None}


def _line(uid: str, name: str, base: str | None, status: dict[str, Any]) -> bytes:
    doc = {"u": uid, "n": name, "b": base, "s": status}
    return (json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def _valid(doc: Any) -> Entry | None:
    """The (key, base, status table) of a parsed line, or None when it is not one."""
    if not isinstance(doc, dict):
        return None
    uid, name, base, st = doc.get("u"), doc.get("n"), doc.get("b"), doc.get("s")
    if not (isinstance(uid, str) and uid and isinstance(name, str) and isinstance(st, dict)):
        return None
    if base is not None and not (isinstance(base, str) and _STAMP.fullmatch(base)):
        return None
    if st.get("state") not in _STATES or "checked_at" not in st:
        return None
    for key, value in st.items():
        if key in ("checked_at", "since", "flood_until"):
            if not (isinstance(value, str) and _STAMP.fullmatch(value)):
                return None
        elif key != "state":
            kinds = _KINDS.get(key)
            if kinds is None or not isinstance(value, kinds):
                return None
            if isinstance(value, bool) and bool not in kinds:
                return None
    return (uid, name), base, st


def parse_docs(data: bytes) -> list[Any]:
    """The JSON documents of whole journal lines, in file order; lines that are not JSON
    (torn or garbled) are skipped one by one."""
    lines = [raw for raw in data.split(b"\n") if raw.strip()]
    try:  # all at once when every line parses (the usual case): much faster
        docs = json.loads(b"[" + b",".join(lines) + b"]")
    except ValueError:
        docs = []
        for raw in lines:
            try:
                docs.append(json.loads(raw))
            except ValueError:
                continue
    return docs if isinstance(docs, list) else []


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
        self._lines = 0  # lines of the file read so far (all of it: a new file is read whole)

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
            self._entries, self._ident, self._offset, self._lines = {}, ident, 0, 0
        if st.st_size == self._offset:
            return
        with open(self.path, "rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        end = data.rfind(b"\n") + 1  # a line still being written is read next time
        self._take(data[:end])
        self._offset += end

    def _take(self, data: bytes, *, count: bool = True) -> None:
        """Take in lines appended after those already read: of each account, the last
        valid line wins (only that one is checked)."""
        seen: set[Key] = set()
        docs = parse_docs(data)
        if count:  # own lines are counted when the file is read
            self._lines += len(docs)
        for doc in reversed(docs):
            try:
                key = (doc["u"], doc["n"])
                if key in seen:
                    continue
            except (TypeError, KeyError, IndexError):
                continue  # not a line of ours: _valid says no anyway
            entry = _valid(doc)
            if entry is not None:
                seen.add(entry[0])
                self._entries[entry[0]] = entry

    def merge(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        """account.toml's parsed `data` with the newest journaled `[status]` of account
        `name` when it was written on top of exactly this file's state and check time;
        else `data` itself (the same object)."""
        uid = data.get("uid")
        saved = data.get("status")
        if not uid or not isinstance(saved, dict):
            return data
        with self._lock:
            entry = self._entries.get((uid, name))
        if entry is None:
            return data
        _key, base, status = entry
        if (
            base != saved.get("checked_at")
            or status["state"] != saved.get("state")
            or status.get("since") != saved.get("since")
        ):
            return data
        return {**data, "status": status}

    def has(self, account: Account) -> bool:
        """True when the journal holds a line for this account (uid and name)."""
        with self._lock:
            return (account.uid, account.name) in self._entries

    # ------------------------------------------------------------------ writing
    def append(self, account: Account, base: datetime | None) -> None:
        """Journal `account`'s status (see `journal_only`) on top of account.toml's check
        time `base`; raises OSError when it cannot be written."""
        payload = _line(account.uid, account.name, _iso(base), status_doc(account.status))
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
        with self._lock:
            self._take(payload, count=False)
            # Every process reads the whole journal when it lists accounts (the app's
            # start): keep it near one line per account.
            compact = self._lines > len(self._entries) * 3 // 2 + COMPACT_SLACK
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
                    key: entry
                    for key, entry in self._entries.items()
                    if (self.accounts_dir / key[1]).is_dir()
                }
                payload = b"".join(_line(k[0], k[1], base, st) for k, base, st in keep.values())
                atomic_write(self.path, payload)
                self._entries = keep
                st = os.stat(self.path)
                self._ident, self._offset = (st.st_dev, st.st_ino), st.st_size
                self._lines = len(keep)
        finally:
            os.close(fd)
