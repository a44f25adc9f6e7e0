"""The account store: one folder per account under `<config>/accounts`, a trash beside it.

No network, no UI. Every write is atomic; a file that cannot be read is reported and
left untouched; one broken account never hides the others.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from tgtui.accounts import validate
from tgtui.accounts.codec import from_toml, to_toml
from tgtui.accounts.fsutil import ensure_dir, fsync_dir, remove_stray_temps
from tgtui.accounts.history import HistoryLog, record_safely
from tgtui.accounts.lock import AccountInUse, AccountLock, read_holder
from tgtui.accounts.model import Account, State, Status, UserInfo
from tgtui.accounts.tomlio import ConfigFileError, read_toml, write_toml

if TYPE_CHECKING:
    from tgtui.accounts.secrets import SecretStore

log = logging.getLogger(__name__)

ACCOUNT_FILE = "account.toml"
SESSION_FILE = "session.session"


class StoreError(Exception):
    """A store operation that cannot be done; the message says why and what to do."""


class AccountNotFound(StoreError):
    """No account by that name."""


@dataclass(frozen=True)
class TrashEntry:
    """A removed account waiting in the trash."""

    id: str  # folder name under trash/, e.g. work-20261122T101500Z
    name: str
    removed_at: datetime
    folder: Path
    label: str = ""
    phone: str = ""
    seq: int = 1  # order of removals within one second (1 for the first)


def _utc_stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


class AccountStore:
    """Accounts on disk. `secrets` keeps the api_hash out of the TOML files."""

    def __init__(self, root: Path, secrets: SecretStore | None = None) -> None:
        self.root = Path(root)
        self.secrets = secrets
        self.accounts_dir = self.root / "accounts"
        self.trash_dir = self.root / "trash"

    # ----------------------------------------------------------------- reading
    def folder(self, name: str) -> Path:
        """The folder of account `name` (it may not exist)."""
        return self.accounts_dir / name

    def names(self) -> list[str]:
        """Account names on disk, sorted; skips hidden and non-folder entries."""
        if not self.accounts_dir.is_dir():
            return []
        return sorted(
            p.name for p in self.accounts_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def _load(self, name: str) -> Account:
        folder = self.folder(name)
        path = folder / ACCOUNT_FILE
        try:
            return from_toml(path, read_toml(path), name)
        except ConfigFileError as exc:
            return Account(
                name=name,
                api_id=0,
                phone="",
                folder=folder,
                broken=str(exc),
                status=Status(state=State.BROKEN, reason=str(exc), error="CONFIG_INVALID"),
            )

    def list(self) -> list[Account]:
        """Every account, broken ones included (with `broken` set), sorted by name."""
        return [self._load(name) for name in self.names()]

    def get(self, name: str) -> Account:
        """One account; broken ones come back with `broken` set."""
        if not self.folder(name).is_dir() or name.startswith("."):
            raise AccountNotFound(f"No account named {name!r}. `tgtui list` shows the names.")
        return self._load(name)

    def exists(self, name: str) -> bool:
        """True when an account folder by that name exists."""
        return self.folder(name).is_dir()

    def api_hash(self, account: Account) -> str | None:
        """The account's api_hash from the secret store, or None when it is missing."""
        if self.secrets is None or account.folder is None:
            return None
        return self.secrets.get(account.uid or account.name, account.folder)

    # ----------------------------------------------------------------- writing
    def create(
        self,
        account: Account,
        api_hash: str,
        session_file: Path | None = None,
        *,
        event: str = "login",
    ) -> Account:
        """Save a new account: folder, account.toml, secret, and (optionally) its session.

        The folder is assembled under a hidden staging name and renamed into place at the
        end, so a crash leaves either no account or a whole one. `session_file` is moved in.
        `event` ("login" or "import") starts the account's history.
        """
        name = validate.account_name(account.name, set(self.names()))
        api_hash = validate.api_hash(api_hash)
        ensure_dir(self.accounts_dir)
        ensure_dir(self.trash_dir)
        account = replace(
            account,
            name=name,
            uid=account.uid or uuid.uuid4().hex,
            status=_with_since(Status(), account.status),
        )
        staging = self.accounts_dir / f".new-{name}-{uuid.uuid4().hex[:8]}"
        ensure_dir(staging)
        try:
            account = replace(account, folder=staging)
            write_toml(staging / ACCOUNT_FILE, to_toml(account))
            if self.secrets is not None:
                self.secrets.set(account.uid, staging, api_hash)
            if session_file is not None:
                _move_session(Path(session_file), staging / SESSION_FILE)
            final = self.folder(name)
            if final.exists():
                raise StoreError(
                    f"An account named {name!r} appeared meanwhile; pick another name."
                )
            os.rename(staging, final)
            fsync_dir(self.accounts_dir)
        except BaseException:
            if self.secrets is not None and staging.exists():
                with contextlib.suppress(Exception):
                    self.secrets.delete(account.uid, staging)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        record_safely(self.folder(name), event, account.created)
        self._observe(name, Status(), account.status)
        return replace(account, folder=self.folder(name))

    def update(self, account: Account) -> Account:
        """Rewrite account.toml for an existing account. Broken accounts are never written."""
        current = self.get(account.name)
        if current.broken:
            raise StoreError(
                f"{current.broken} — fix or remove that file by hand; tgtui will not overwrite it."
            )
        account = replace(
            account,
            folder=current.folder,
            uid=current.uid or account.uid,
            status=_with_since(current.status, account.status),
        )
        write_toml(current.folder / ACCOUNT_FILE, to_toml(account))  # type: ignore[operator]
        if account.status != current.status:
            self._observe(account.name, current.status, account.status)
        return account

    def _observe(self, name: str, previous: Status, status: Status) -> None:
        """Add a new status to the history; the history never breaks the account."""
        try:
            self.history(name).observe(previous, status)
        except Exception:
            log.warning("cannot record the history of %s", name, exc_info=True)

    def save_status(
        self, name: str, status: Status, user: UserInfo | None = None
    ) -> Account | None:
        """Cache the last known health in account.toml; skips broken or vanished accounts."""
        try:
            current = self.get(name)
        except AccountNotFound:
            return None
        if current.broken:
            return None
        return self.update(current.with_status(status, user))

    def history(self, name: str) -> HistoryLog:
        """The event log of account `name` (state changes, flood waits, actions, latency)."""
        return HistoryLog(self.folder(name))

    def record(self, name: str, kind: str, at: datetime | None = None) -> None:
        """Note an action done through tgtui ("logout", "relogin", ...) in the history."""
        record_safely(self.folder(name), kind, at)

    def set_api_hash(self, account: Account, api_hash: str) -> None:
        """Store a new api_hash for an existing account."""
        if self.secrets is None or account.folder is None:
            raise StoreError("No secret store is configured.")
        self.secrets.set(account.uid or account.name, account.folder, validate.api_hash(api_hash))

    def lock(self, name: str) -> AccountLock:
        """The account's lock (not yet acquired)."""
        return AccountLock(self.folder(name), name)

    # ----------------------------------------------------------------- trash
    def remove(self, name: str, now: datetime | None = None) -> TrashEntry:
        """Move the whole account folder to `trash/<name>-<UTC timestamp>/`."""
        account = self.get(name)
        holder = read_holder(self.folder(name))
        if holder is not None:
            raise AccountInUse(name, holder)
        ensure_dir(self.trash_dir)
        stamp = _utc_stamp(now)
        # Within one second, each removal gets a number above every other one of that
        # second, so "newest first" stays true even after entries were restored.
        taken = [e.seq for e in self.trash() if e.id.startswith(f"{name}-{stamp}")]
        seq = max(taken, default=0) + 1
        target = self.trash_dir / (f"{name}-{stamp}" if seq == 1 else f"{name}-{stamp}-{seq}")
        while target.exists():  # a folder of another shape took the name: go past it
            seq += 1
            target = self.trash_dir / f"{name}-{stamp}-{seq}"
        os.rename(self.folder(name), target)
        fsync_dir(self.trash_dir)
        fsync_dir(self.accounts_dir)
        record_safely(target, "remove", now)
        return TrashEntry(
            target.name,
            name,
            now or datetime.now(timezone.utc),
            target,
            account.label,
            account.phone,
            seq,
        )

    def trash(self) -> list[TrashEntry]:
        """Removed accounts, newest first."""
        if not self.trash_dir.is_dir():
            return []
        entries = []
        for folder in self.trash_dir.iterdir():
            if not folder.is_dir() or folder.name.startswith("."):
                continue
            parts = folder.name.split("-")
            # The name may itself contain dashes: the stamp is the first part shaped like one.
            idx = next((i for i, p in enumerate(parts) if _is_stamp(p)), None)
            if idx is None:
                continue
            name = "-".join(parts[:idx])
            rest = parts[idx + 1 :]
            seq = int(rest[0]) if len(rest) == 1 and rest[0].isdigit() else 1
            removed = datetime.strptime(parts[idx], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            label = phone = ""
            with contextlib.suppress(ConfigFileError, Exception):
                acc = from_toml(folder / ACCOUNT_FILE, read_toml(folder / ACCOUNT_FILE), name)
                label, phone = acc.label, acc.phone
            entries.append(TrashEntry(folder.name, name, removed, folder, label, phone, seq))
        # Numbers, not strings: "-10" is newer than "-2".
        return sorted(entries, key=lambda e: (e.removed_at, e.seq, e.id), reverse=True)

    def restore(self, trash_id: str, new_name: str | None = None) -> Account:
        """Bring a trashed account back (under `new_name` if its name was taken since)."""
        entry = next((e for e in self.trash() if e.id == trash_id or e.name == trash_id), None)
        if entry is None:
            raise AccountNotFound(
                f"Nothing named {trash_id!r} in the trash. `tgtui trash list` shows it."
            )
        name = new_name or entry.name
        if self.exists(name):
            raise StoreError(
                f"An account named {name!r} exists already; restore under another name "
                f"(suggestion: {validate.suggest_name(name, set(self.names()))})."
            )
        validate.account_name(name)
        ensure_dir(self.accounts_dir)
        os.rename(entry.folder, self.folder(name))
        fsync_dir(self.accounts_dir)
        fsync_dir(self.trash_dir)
        record_safely(self.folder(name), "restore")
        return self.get(name)

    def empty_trash(self) -> int:
        """Delete everything in the trash for good, keyring secrets included. Returns the count."""
        count = 0
        for entry in self.trash():
            if self.secrets is not None:
                with contextlib.suppress(Exception):
                    acc = from_toml(
                        entry.folder / ACCOUNT_FILE,
                        read_toml(entry.folder / ACCOUNT_FILE),
                        entry.name,
                    )
                    self.secrets.forget(acc.uid or acc.name)
            shutil.rmtree(entry.folder)
            count += 1
        return count

    def tidy(self) -> None:
        """Remove leftovers of interrupted operations (staging folders, temp files)."""
        if not self.accounts_dir.is_dir():
            return
        for item in self.accounts_dir.iterdir():
            if item.is_dir() and item.name.startswith(".new-"):
                shutil.rmtree(item, ignore_errors=True)
            elif item.is_dir():
                remove_stray_temps(item)


def _with_since(previous: Status, status: Status) -> Status:
    """`status` with the time the account entered its state: kept while the state lasts."""
    if status.state is previous.state:
        return replace(status, since=previous.since or status.since)
    return replace(status, since=status.since or status.checked_at)


def _is_stamp(part: str) -> bool:
    return len(part) == 16 and part[8] == "T" and part.endswith("Z") and part[:8].isdigit()


def _move_session(source: Path, target: Path) -> None:
    """Move a Telethon session file (and any SQLite journal) into the account folder, 0600."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        src = Path(str(source) + suffix)
        if src.exists():
            dst = Path(str(target) + suffix)
            shutil.move(str(src), str(dst))
            os.chmod(dst, 0o600)
