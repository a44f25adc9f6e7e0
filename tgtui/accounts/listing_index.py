"""A cache of parsed account.toml files, so listing 1,000 accounts needs no TOML parsing.

`<root>/cache/accounts.json` (0600, written atomically) keeps, per account, the parsed
account.toml and the file's identity when it was parsed: (mtime_ns, size, inode). An
entry is used only while account.toml still has that identity; any write to the file
(the store's own atomic writes make a new inode each time, a hand edit changes the
mtime) makes the entry stale and the file is parsed again. The account *names* always
come from the folders on disk, never from the index, so an index that is missing,
stale, unreadable or from another version can only cost time: it never hides an
account or shows one that is gone. It also keeps the masked phones the list shows
(`+1 555 ••• 67`), so the phone-number library is not loaded before the first frame.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from tgtui.accounts import validate
from tgtui.accounts.fsutil import atomic_write

log = logging.getLogger(__name__)

INDEX_VERSION = 1
FileKey = tuple[int, int, int]


def file_key(path: Path) -> FileKey | None:
    """(mtime_ns, size, inode) of `path`, or None when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class ListingIndex:
    """Parsed account.toml documents by account name, each valid for one file identity."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._entries: dict[str, tuple[FileKey, dict[str, Any]]] | None = None
        self._dirty = False
        self._lock = threading.RLock()  # statuses are saved from worker threads
        self._masks: dict[str, str] = {}  # masked phones as saved (see validate.mask_phone)

    def _load(self) -> dict[str, tuple[FileKey, dict[str, Any]]]:
        """The entries, read from disk on first use (call with the lock held)."""
        if self._entries is not None:
            return self._entries
        entries: dict[str, tuple[FileKey, dict[str, Any]]] = {}
        try:
            doc = json.loads(self.path.read_bytes())
            if doc.get("version") == INDEX_VERSION:
                for name, item in doc["accounts"].items():
                    key = item["key"]
                    if isinstance(item["data"], dict) and len(key) == 3:
                        entries[name] = ((int(key[0]), int(key[1]), int(key[2])), item["data"])
                masks = doc.get("masks")
                if isinstance(masks, dict):
                    validate.remember_masks(masks)
                    self._masks = dict(masks)
        except FileNotFoundError:
            pass
        except Exception as exc:  # broken or foreign: rebuilt from the files
            log.info("account index %s unusable (%s); rebuilding it", self.path, exc)
            entries = {}
            self._dirty = True
        self._entries = entries
        return entries

    @property
    def loaded(self) -> bool:
        """True once the index was read (by a listing): only then is it kept up to date."""
        return self._entries is not None

    def get(self, name: str, key: FileKey | None, *, load: bool = True) -> dict[str, Any] | None:
        """The parsed document of `name` if it was parsed from a file with this `key`.

        `load=False`: answer only from an index already in memory (one account is
        cheaper to parse than the whole index is to read).
        """
        if key is None or (not load and self._entries is None):
            return None
        with self._lock:
            entry = self._load().get(name)
        if entry is None or entry[0] != key:
            return None
        return entry[1]

    def put(
        self, name: str, key: FileKey | None, data: dict[str, Any], *, plain: bool = False
    ) -> None:
        """Remember `data` as the parse of `name`'s file with identity `key` (only in an
        index already read). `plain`: `data` is what the store wrote (strings, numbers,
        booleans and tables only), so it needs no trial JSON encoding."""
        if not plain:
            try:
                json.dumps(data)
            except (TypeError, ValueError):  # e.g. a TOML datetime typed by hand: not cached
                key = None
        if key is None:
            self.forget(name)
            return
        if self._entries is None:
            return  # not read yet: the next listing finds this file changed anyway
        phone = data.get("phone")
        if isinstance(phone, str) and phone:
            validate.mask_phone(phone)  # kept with the index: the list shows it at start
        with self._lock:
            if self._entries is None:
                return
            self._entries[name] = (key, data)
            self._dirty = True

    def forget(self, name: str) -> None:
        """Drop `name`'s entry (its file is broken or gone)."""
        with self._lock:
            if self._entries is not None and self._entries.pop(name, None) is not None:
                self._dirty = True

    def keep_only(self, names: set[str]) -> None:
        """Drop entries of accounts that no longer exist."""
        with self._lock:
            entries = self._load()
            for gone in set(entries) - names:
                del entries[gone]
                self._dirty = True

    def save(self) -> None:
        """Write the index if it changed; a failure is logged, never raised (it is a cache)."""
        with self._lock:
            if self._entries is None:
                return
            phones = [d.get("phone") for _, d in self._entries.values()]
            masks = validate.known_masks(p for p in phones if isinstance(p, str))
            if not self._dirty and masks == self._masks:
                return
            doc = {
                "version": INDEX_VERSION,
                "accounts": {
                    name: {"key": list(key), "data": data}
                    for name, (key, data) in sorted(self._entries.items())
                },
                "masks": masks,
            }
            self._dirty, self._masks = False, masks
        try:
            atomic_write(self.path, json.dumps(doc, separators=(",", ":")))
        except OSError as exc:
            self._dirty = True
            log.warning("could not write the account index %s: %s", self.path, exc)
