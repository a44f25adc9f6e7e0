"""The account store: one folder per account under `<config>/accounts`, a trash beside it.

No network, no UI. Every write is atomic; a file that cannot be read is reported and
left untouched; one broken account never hides the others.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from tgtui.accounts import session_files, validate
from tgtui.accounts.codec import from_checked, from_toml, to_toml
from tgtui.accounts.fsutil import ensure_dir, fsync_dir, remove_stray_temps
from tgtui.accounts.listing_index import ListingIndex, file_key
from tgtui.accounts.lock import AccountInUse, AccountLock, read_holder
from tgtui.accounts.model import Account, Proxy, State, Status, UserInfo
from tgtui.accounts.status_journal import JOURNAL_FILE, StatusJournal, journal_only
from tgtui.accounts.tomlio import ConfigFileError, read_toml, write_toml
from tgtui.i18n import _

if TYPE_CHECKING:
    from tgtui.accounts.history import HistoryLog
    from tgtui.accounts.secrets import SecretStore

log = logging.getLogger(__name__)


def record_safely(folder: Path | None, kind: str, at: datetime | None = None) -> None:
    """`history.record_safely`, imported when first used: listing accounts (the app's
    first frame) needs no history code."""
    from tgtui.accounts import history

    history.record_safely(folder, kind, at)


ACCOUNT_FILE = "account.toml"
SESSION_FILE = "session.session"
OWN_LOCK_WAIT = 5.0  # seconds replace_session waits for this process's own health check


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
        self.pending_dir = self.root / "pending"
        self.index = ListingIndex(self.root / "cache" / "accounts.json")
        self.journal = StatusJournal(self.root / "cache" / JOURNAL_FILE, self.accounts_dir)

    # ----------------------------------------------------------------- reading
    def folder(self, name: str) -> Path:
        """The folder of account `name` (it may not exist)."""
        return self.accounts_dir / name

    def names(self) -> list[str]:
        """Account names on disk, sorted; skips hidden and non-folder entries."""
        try:
            with os.scandir(self.accounts_dir) as entries:
                return sorted(e.name for e in entries if not e.name.startswith(".") and e.is_dir())
        except (FileNotFoundError, NotADirectoryError):
            return []

    def _load(self, name: str, *, listing: bool = False, journal: bool = True) -> Account:
        """Account `name` from account.toml (via the listing index when it is fresh), with
        a newer check from the status journal unless `journal` is False."""
        folder = self.folder(name)
        path = folder / ACCOUNT_FILE
        key = file_key(path)
        cached = self.index.get(name, key, load=listing)
        try:
            data = cached if cached is not None else read_toml(path)
            merged = self.journal.merge(name, data) if journal else data
            account = None if cached is not None else from_toml(path, data, name)
            if merged is not data:
                with contextlib.suppress(Exception):  # a journal line never breaks an account
                    account = from_checked(path, merged, name)
            if account is None:  # parsed and accepted before: no need to check it all
                try:
                    account = from_checked(path, data, name)
                except Exception:  # not as written (an index edited by hand?): check it
                    account = from_toml(path, data, name)
        except ConfigFileError as exc:
            self.index.forget(name)
            return Account(
                name=name,
                api_id=0,
                phone="",
                folder=folder,
                broken=str(exc),
                status=Status(state=State.BROKEN, reason=str(exc), error="CONFIG_INVALID"),
            )
        if cached is None:
            self.index.put(name, key, data)
        return account

    def accounts(self, *, journal: bool = True) -> list[Account]:
        """Every account, broken ones included (with `broken` set), sorted by name.

        Files unchanged since they were last parsed come from the listing index (see
        `listing_index`); the index is brought up to date as a side effect. With
        `journal` False, the status journal's newer check times are left out (the
        states are the same: account.toml holds every state change).
        """
        names = self.names()
        if journal:
            self.journal.refresh()
        accounts = [self._load(name, listing=True, journal=journal) for name in names]
        self.index.keep_only(set(names))
        self.index.save()
        return accounts

    def save_index(self) -> None:
        """Write the listing index if statuses saved since changed it (never raises)."""
        self.index.save()

    def get(self, name: str) -> Account:
        """One account; broken ones come back with `broken` set."""
        return self._saved(name, journal=True)

    def _saved(self, name: str, *, journal: bool = False) -> Account:
        """One account as account.toml has it (with the status journal's newer check when
        `journal` is True)."""
        if not self.folder(name).is_dir() or name.startswith("."):
            raise AccountNotFound(
                _("No account named {name}. `tgtui list` shows the names.").format(name=repr(name))
            )
        if journal:
            self.journal.refresh()
        return self._load(name, journal=journal)

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
        proxy_secret: str | None = None,
        event: str = "login",
    ) -> Account:
        """Save a new account: folder, account.toml, secrets, and (optionally) its session.

        The folder is assembled under a hidden staging name and renamed into place at the
        end, so a crash leaves either no account or a whole one. `session_file` is moved in.
        `proxy_secret` (the proxy's password or MTProxy secret) is stored like the api_hash.
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
        if account.proxy is not None:
            ref = "proxy" if proxy_secret else ""
            account = replace(account, proxy=replace(account.proxy, secret_ref=ref))
        staging = self.accounts_dir / f".new-{name}-{uuid.uuid4().hex[:8]}"
        ensure_dir(staging)
        try:
            account = replace(account, folder=staging)
            write_toml(staging / ACCOUNT_FILE, to_toml(account))
            if self.secrets is not None:
                self.secrets.set(account.uid, staging, api_hash)
                if proxy_secret:
                    self.secrets.set_extra(account.uid, staging, "proxy", proxy_secret)
            if session_file is not None:
                session_files.install_session(Path(session_file), staging / SESSION_FILE)
            final = self.folder(name)
            if final.exists():
                raise StoreError(
                    _("An account named {name} appeared meanwhile; pick another name.").format(
                        name=repr(name)
                    )
                )
            os.rename(staging, final)
            fsync_dir(self.accounts_dir)
        except BaseException:
            if self.secrets is not None and staging.exists():
                with contextlib.suppress(Exception):
                    self.secrets.delete(account.uid, staging)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # The login's own clock when it has one (the first status), else the creation time.
        record_safely(self.folder(name), event, account.status.checked_at or account.created)
        self._observe(name, Status(), account.status)
        return replace(account, folder=self.folder(name))

    def update(self, account: Account) -> Account:
        """Rewrite account.toml for an existing account. Broken accounts are never written."""
        return self._update(account, self.get(account.name))

    def _update(self, account: Account, current: Account) -> Account:
        """`update`, with the account as it is on disk now already read."""
        if current.broken:
            raise StoreError(
                _(
                    "{reason} — fix or remove that file by hand; tgtui will not overwrite it."
                ).format(reason=current.broken)
            )
        account = replace(
            account,
            folder=current.folder,
            uid=current.uid or account.uid,
            status=_with_since(current.status, account.status),
        )
        path = current.folder / ACCOUNT_FILE  # type: ignore[operator]
        written = write_toml(path, to_toml(account))
        self.index.put(account.name, file_key(path), written, plain=True)
        if account.status != current.status:
            self._observe(account.name, current.status, account.status)
        return account

    def _fold_journal(self, account: Account) -> None:
        """Write a newer journaled check into account.toml (before the folder leaves: the
        journal's lines hold for this name only)."""
        saved = self._saved(account.name)
        if saved.broken or saved.status == account.status or account.folder is None:
            return
        path = account.folder / ACCOUNT_FILE
        self.index.put(account.name, file_key(path), write_toml(path, to_toml(account)), plain=True)

    def _observe(self, name: str, previous: Status, status: Status) -> None:
        """Add a new status to the history; the history never breaks the account."""
        try:
            self.history(name).observe(previous, status)
        except Exception:
            log.warning("cannot record the history of %s", name, exc_info=True)

    def save_status(
        self, name: str, status: Status, user: UserInfo | None = None, *, phone: str = ""
    ) -> Account | None:
        """Cache the last known health in account.toml; skips broken or vanished accounts.

        `phone` (from Telegram's answer) fills in an account that has none (an import).
        A result that changes only the check time, latency or details of the same state
        goes to the status journal instead of rewriting account.toml (`status_journal`).
        """
        try:
            current = self._saved(name, journal=True)
        except AccountNotFound:
            return None
        if current.broken:
            return None
        updated = current.with_status(status, user)
        if phone and not current.phone:
            updated = replace(updated, phone=phone)
        if journal_only(current, updated):
            updated = replace(updated, status=_with_since(current.status, updated.status))
            # The line stands on account.toml's own check time (read again only when
            # the journal may have replaced it in `current`).
            on_file = self._saved(name) if self.journal.has(current) else current
            try:
                self.journal.append(updated, on_file.status.checked_at)
            except OSError:
                log.warning("cannot journal the status of %s", name, exc_info=True)
            else:
                self._observe(name, current.status, updated.status)
                return updated
        return self._update(updated, current)

    def proxy_secret(self, account: Account) -> str | None:
        """The password / MTProxy secret of the account's proxy, or None when it has none."""
        proxy = account.proxy
        if proxy is None or not proxy.secret_ref or self.secrets is None or not account.folder:
            return None
        return self.secrets.get_extra(account.uid or account.name, account.folder, "proxy")

    def set_proxy(self, account: Account, proxy: Proxy | None, secret: str | None) -> Account:
        """Change the account's proxy; its secret goes to the secret store, never the TOML."""
        if proxy is not None:
            proxy = replace(proxy, secret_ref="proxy" if secret else "")
        if self.secrets is not None and account.folder is not None:
            self.secrets.set_extra(account.uid or account.name, account.folder, "proxy", secret)
        return self.update(replace(account, proxy=proxy))

    def history(self, name: str) -> HistoryLog:
        """The event log of account `name` (state changes, flood waits, actions, latency)."""
        from tgtui.accounts.history import HistoryLog  # not needed to list accounts

        return HistoryLog(self.folder(name))

    def record(self, name: str, kind: str, at: datetime | None = None) -> None:
        """Note an action done through tgtui ("logout", "relogin", ...) in the history."""
        record_safely(self.folder(name), kind, at)

    def set_api_hash(self, account: Account, api_hash: str) -> None:
        """Store a new api_hash for an existing account."""
        if self.secrets is None or account.folder is None:
            raise StoreError(_("No secret store is configured."))
        self.secrets.set(account.uid or account.name, account.folder, validate.api_hash(api_hash))

    def lock(self, name: str) -> AccountLock:
        """The account's lock (not yet acquired)."""
        return AccountLock(self.folder(name), name)

    # ----------------------------------------------------------------- sessions
    def adopt_session(
        self,
        account: Account,
        api_hash: str,
        session_file: Path,
        *,
        proxy_secret: str | None = None,
    ) -> Account:
        """Save a new account around a logged-in `session_file` (moved in, 0600, fsynced).

        If `account.name` was taken meanwhile, the login is kept under a suggested free
        name: compare the returned account's name with the one asked for.
        """
        if self.exists(account.name):
            account = replace(account, name=validate.suggest_name(account.name, set(self.names())))
        return self.create(account, api_hash, session_file=session_file, proxy_secret=proxy_secret)

    def replace_session(
        self,
        name: str,
        session_file: Path,
        api_hash: str,
        update: Callable[[Account], Account],
        *,
        wait: float = OWN_LOCK_WAIT,
    ) -> Account:
        """Give account `name` the fresh session `session_file` (a re-login), atomically.

        Holds the account's lock throughout (waiting up to `wait` s for this process's own
        user of it, failing at once with AccountInUse for another program). The session is
        replaced in one rename, then the api_hash, then account.toml with `update(current)`.
        Broken accounts raise StoreError and are left untouched.
        """
        with session_files.lock_patiently(self.lock(name), wait):
            current = self.get(name)
            if current.broken:
                raise StoreError(current.broken)
            session_files.install_session(Path(session_file), current.session_path)
            self.set_api_hash(current, api_hash)
            updated = update(current)
            record_safely(current.folder, "relogin", updated.status.checked_at)
            return self.update(updated)

    def new_pending(self, prefix: str) -> Path:
        """A fresh private folder under `pending/` for a session that is not an account yet."""
        return session_files.new_pending(self.pending_dir, prefix)

    def discard_pending(self, folder: Path) -> None:
        """Delete a pending folder (a cancelled login, or one whose session was adopted)."""
        folder = Path(folder)
        if folder.parent != self.pending_dir:
            raise StoreError(
                _("{folder} is not a pending folder of this store").format(folder=folder)
            )
        shutil.rmtree(folder, ignore_errors=True)

    def tidy_pending(self, now: float | None = None, max_age: float = 86400.0) -> int:
        """Delete pending folders older than `max_age` s (left by crashes); how many went."""
        return session_files.tidy_pending(
            self.pending_dir, time.time() if now is None else now, max_age
        )

    # ----------------------------------------------------------------- trash
    def remove(self, name: str, now: datetime | None = None) -> TrashEntry:
        """Move the whole account folder to `trash/<name>-<UTC timestamp>/`."""
        account = self.get(name)
        holder = read_holder(self.folder(name))
        if holder is not None:
            raise AccountInUse(name, holder)
        self._fold_journal(account)
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
                _("Nothing named {name} in the trash. `tgtui trash list` shows it.").format(
                    name=repr(trash_id)
                )
            )
        name = new_name or entry.name
        if self.exists(name):
            raise StoreError(
                _(
                    "An account named {name} exists already; restore under another name "
                    "(suggestion: {suggestion})."
                ).format(name=repr(name), suggestion=validate.suggest_name(name, set(self.names())))
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
        remove_stray_temps(self.index.path.parent)
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
