"""Where each account's api_hash lives: the OS keyring, or a private file when it cannot.

`SecretStore` probes the keyring once (in a daemon thread, bounded by a timeout; skipped
at once on Linux without a D-Bus session bus), caches the answer, and says in plain
words where each secret went and why. Keyring entries use service "tgtui" and the
account's stable `uid`, so a trashed and restored account keeps its secret. When
`<account folder>/secrets.toml` exists it is authoritative. A 2FA password is never
stored. All calls block: run them off the UI thread.

`TGTUI_KEYRING`: unset/"auto" = keyring when usable, else file; "off" = file only;
"on" = keyring only (saving fails rather than writing a file).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tgtui.accounts import keyring_probe as kp
from tgtui.accounts.secret_file import (
    Hidden,
    read_reason,
    read_secret_file,
    read_secret_value,
    remove_secret_file,
    secret_path,
    write_secret_file,
    write_secret_value,
)
from tgtui.accounts.secrets_extra import EXTRA_KEYS, ExtraSecrets
from tgtui.accounts.tomlio import ConfigFileError
from tgtui.failure import localize
from tgtui.i18n import N_, _

__all__ = [
    "Backend",
    "MigrationReport",
    "SecretStore",
    "SecretStoreError",
    "SecretUnavailableError",
    "migrate_secrets",
]

log = logging.getLogger(__name__)

T = TypeVar("T")


class SecretStoreError(Exception):
    """A secret could not be saved, read or moved. The message is for the user: English in
    `args` (it may end up in a failure message cached on disk), translated by `str()`."""

    def __str__(self) -> str:
        return localize(str(self.args[0])) if self.args else ""


class SecretUnavailableError(SecretStoreError):
    """The keyring may hold the secret but cannot be read here (locked, hung, failing)."""


@dataclass(frozen=True)
class Backend:
    """Where secrets go (or one secret is): kind, a sentence for the user, and why."""

    kind: str  # "keyring" | "file" | "none" (TGTUI_KEYRING=on and the keyring is unusable)
    description: str
    reason: str = ""


@dataclass
class MigrationReport:
    """What `migrate` did, per account uid. Never contains a secret."""

    to: str
    moved: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # done, with a caveat

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed

    def summary(self) -> str:
        """One line, e.g. "2 moved to the system keyring, 1 already there, 0 failed"."""
        if self.to == "keyring":
            said = _(
                "{moved} moved to the system keyring, {already} already there, {failed} failed"
            )
        else:
            said = _("{moved} moved to private files, {already} already there, {failed} failed")
        return said.format(
            moved=len(self.moved), already=len(self.already), failed=len(self.failed)
        )


class _KeyringFailure(Exception):
    """Internal: a keyring call failed; carries a classified state and scrubbed reason."""

    def __init__(self, state: str, reason: str) -> None:
        self.state = state
        self.reason = reason
        super().__init__(reason)


class SecretStore(ExtraSecrets):
    """The api_hash of every account, in the keyring or in `secrets.toml`."""

    def __init__(
        self,
        *,
        mode: str | None = None,
        probe_timeout: float = 3.0,
        call_timeout: float | None = None,
    ) -> None:
        """`mode` defaults to $TGTUI_KEYRING; `call_timeout` (per keyring call) to probe_timeout."""
        self.mode = kp.parse_mode(mode if mode is not None else os.environ.get("TGTUI_KEYRING"))
        self.probe_timeout = probe_timeout
        self.call_timeout = call_timeout if call_timeout is not None else probe_timeout
        self._probe: kp.Probe | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        probe = self._probe
        state = "not probed" if probe is None else probe.state
        return f"SecretStore(mode={self.mode!r}, keyring={state!r})"

    __str__ = __repr__

    # -- the backend -------------------------------------------------------------------

    def probe(self) -> Backend:
        """Find (once) where new secrets go. Blocking, bounded by `probe_timeout`."""
        return self._backend_for(self._ensure_probe())

    @property
    def backend(self) -> Backend:
        """Where new secrets go; probes on first use."""
        return self.probe()

    def reset(self) -> None:
        """Forget the cached probe (e.g. after the user unlocked the keyring)."""
        with self._lock:
            self._probe = None

    def _ensure_probe(self) -> kp.Probe:
        with self._lock:
            if self._probe is None:
                self._probe = kp.probe_keyring(self.mode, self.probe_timeout)
                if self._probe.state != kp.OK:
                    log.info("secrets: not using the keyring (%s)", self._probe.reason)
            return self._probe

    def _backend_for(self, probe: kp.Probe) -> Backend:
        if probe.state == kp.OK:
            return Backend(
                "keyring", _("system keyring ({label})").format(label=probe.label), probe.label
            )
        return self._file_backend(probe.state, probe.reason)

    def _file_backend(self, state: str, reason: str) -> Backend:
        why = localize(kp.why(state, reason))
        if self.mode == "on":
            return Backend(
                "none",
                _("nowhere: TGTUI_KEYRING=on allows only the keyring, and {why}").format(why=why),
                reason,
            )
        return Backend("file", _("private file, because {why}").format(why=why), reason)

    # -- single secrets ----------------------------------------------------------------

    def get(self, uid: str, folder: Path) -> str | None:
        """The api_hash, from the file if present, else the keyring; None when missing.

        Raises ConfigFileError for a secrets.toml that does not parse, and
        SecretUnavailableError when the keyring may hold it but cannot be read here.
        """
        _check_uid(uid)
        path = secret_path(folder)
        if path.exists() and (value := read_secret_value(path, "api_hash")) is not None:
            return value
        probe = self._ensure_probe()
        if probe.state == kp.OK:
            try:
                value = self._call(lambda: probe.keyring.get_password(kp.SERVICE, uid))
            except _KeyringFailure as failure:
                raise SecretUnavailableError(
                    self._cannot_read(failure.state, failure.reason)
                ) from None
            return value or None
        if probe.state in kp.UNREADABLE:
            raise SecretUnavailableError(self._cannot_read(probe.state, probe.reason))
        return None

    def set(self, uid: str, folder: Path, api_hash: str) -> Backend:
        """Save the api_hash; return where it actually went (file if the keyring fails)."""
        _check_uid(uid)
        if not isinstance(api_hash, str) or not api_hash.strip():
            raise ValueError("the api_hash must be a non-empty string")
        secret = Hidden(api_hash)
        del api_hash  # from here on only the Hidden wrapper is in this frame
        path = secret_path(folder)
        existing = path.exists()
        if existing:
            existing = read_secret_value(path, "api_hash") is not None  # broken: raises
        probe = self._ensure_probe()
        if probe.state == kp.OK:
            failure: _KeyringFailure | None = None
            try:
                self._call(
                    lambda: probe.keyring.set_password(kp.SERVICE, uid, secret.value), secret
                )
            except _KeyringFailure as exc:
                failure = exc
            if failure is None:
                if existing:  # a copy in the file would shadow the new value
                    write_secret_value(path, "api_hash", None, read_reason(path))
                return self._backend_for(probe)
            backend = self._file_backend(failure.state, failure.reason)
            log.warning("secrets: keyring refused %s (%s)", uid, failure.reason)
            state, reason = failure.state, failure.reason
        else:
            backend = self._backend_for(probe)
            state, reason = probe.state, probe.reason
        if backend.kind == "none":
            raise SecretStoreError(
                N_(
                    "the api_hash was not saved: TGTUI_KEYRING=on allows only the keyring, "
                    "and {why}"
                ).format(why=kp.why(state, reason))
            )
        write_secret_file(path, secret, kp.why(state, reason))
        return backend

    def delete(self, uid: str, folder: Path) -> None:
        """Remove the secret from both places (file first, then the keyring entry)."""
        _check_uid(uid)
        remove_secret_file(secret_path(folder))
        self.forget(uid)

    def forget(self, uid: str) -> None:
        """Remove the keyring entry only (when trash is emptied; the file goes with it).

        Silent when there is no keyring here; SecretUnavailableError when the keyring
        exists but cannot be changed (locked, hung, failing).
        """
        _check_uid(uid)
        probe = self._ensure_probe()
        if probe.state == kp.OK:
            try:
                self._keyring_delete(probe, uid)
                for key in EXTRA_KEYS:
                    self._keyring_delete(probe, f"{uid}:{key}")
            except _KeyringFailure as failure:
                raise SecretUnavailableError(
                    N_("the keyring entry was not removed: {why}").format(
                        why=kp.why(failure.state, failure.reason)
                    )
                ) from None
        elif probe.state in kp.UNREADABLE:
            raise SecretUnavailableError(
                N_("the keyring entry was not removed: {why}").format(
                    why=kp.why(probe.state, probe.reason)
                )
            )

    def where(self, uid: str, folder: Path) -> Backend | None:
        """Where this account's secret is now, with a sentence why; None when missing."""
        _check_uid(uid)
        path = secret_path(folder)
        probe = self._ensure_probe()
        if path.exists() and read_secret_value(path, "api_hash") is not None:
            if probe.state != kp.OK:
                why = localize(kp.why(probe.state, probe.reason))
                said = _("private file, because {why}").format(why=why)
                return Backend("file", said, probe.reason)
            stored = read_reason(path) or N_("the keyring could not be used when it was saved")
            said = _("private file, because {why}").format(why=localize(stored))
            return Backend("file", said, "file present")
        if probe.state == kp.OK:
            try:
                value = self._call(lambda: probe.keyring.get_password(kp.SERVICE, uid))
            except _KeyringFailure as failure:
                raise SecretUnavailableError(
                    self._cannot_read(failure.state, failure.reason)
                ) from None
            return self._backend_for(probe) if value else None
        if probe.state in kp.UNREADABLE:
            raise SecretUnavailableError(self._cannot_read(probe.state, probe.reason))
        return None

    # -- migration ---------------------------------------------------------------------

    def migrate(self, items: Iterable[tuple[str, Path]], to: str) -> MigrationReport:
        """Move secrets to "keyring" or "file"; the old copy goes only after a verified write."""
        if to not in ("keyring", "file"):
            raise ValueError('migrate to "keyring" or "file"')
        report = MigrationReport(to=to)
        for uid, folder in items:
            try:
                _check_uid(uid)
                move = self._to_keyring if to == "keyring" else self._to_file
                outcome, note = move(uid, Path(folder))
            except (SecretStoreError, ConfigFileError, OSError, ValueError) as exc:
                report.failed.append((uid, str(exc)))
                continue
            (report.moved if outcome == "moved" else report.already).append(uid)
            if note:
                report.notes.append((uid, note))
        return report

    def _usable(self, purpose: str) -> kp.Probe:
        probe = self._ensure_probe()
        if probe.state != kp.OK:
            raise SecretStoreError(purpose.format(why=kp.why(probe.state, probe.reason)))
        return probe

    def _to_keyring(self, uid: str, folder: Path) -> tuple[str, str]:
        path = secret_path(folder)
        probe = self._usable(N_("the keyring cannot be used: {why}"))
        self._extras_to_keyring(probe, uid, path)  # the proxy secret goes along
        stored = read_secret_value(path, "api_hash") if path.exists() else None
        if stored is None:
            if self._keyring_get(probe, uid):
                return "already", ""
            raise SecretStoreError(
                N_("no api_hash found, neither in secrets.toml nor in the keyring")
            )
        secret = Hidden(stored)
        del stored
        self._keyring_set(probe, uid, secret)
        if self._keyring_get(probe, uid, secret) != secret.value:
            raise SecretStoreError(
                N_("the keyring did not give the api_hash back; the file was kept")
            )
        try:
            write_secret_value(path, "api_hash", None, read_reason(path))
        except OSError as exc:
            raise SecretStoreError(
                N_(
                    "copied to the keyring, but {path} could not be changed "
                    "({detail}); the file still takes precedence"
                ).format(path=path, detail=exc.strerror or exc)
            ) from None
        return "moved", ""

    def _to_file(self, uid: str, folder: Path) -> tuple[str, str]:
        path = secret_path(folder)
        probe = self._ensure_probe()
        if path.exists() and read_secret_value(path, "api_hash") is not None:
            note = self._drop_keyring_copy(probe, uid)
            return "already", self._extras_to_file(probe, uid, path) or note
        probe = self._usable(N_("the keyring cannot be read: {why}"))
        value = self._keyring_get(probe, uid)
        if not value:
            raise SecretStoreError(
                N_("no api_hash found, neither in secrets.toml nor in the keyring")
            )
        secret = Hidden(value)
        del value
        write_secret_file(path, secret, N_("you moved it out of the keyring"))
        try:
            same = read_secret_file(path) == secret.value
        except ConfigFileError:
            same = False
        if not same:
            write_secret_value(path, "api_hash", None, read_reason(path))  # keyring stays
            raise SecretStoreError(
                N_("the file did not read back correctly; the keyring entry was kept")
            )
        note = self._drop_keyring_copy(probe, uid)
        return "moved", self._extras_to_file(probe, uid, path) or note

    def _drop_keyring_copy(self, probe: kp.Probe, uid: str) -> str:
        """Delete a keyring entry the file now supersedes; a note if that failed."""
        if probe.state != kp.OK:
            return ""
        try:
            self._keyring_delete(probe, uid)
        except _KeyringFailure as failure:
            return _("the old keyring entry is still there: {why}").format(
                why=localize(kp.why(failure.state, failure.reason))
            )
        return ""

    # -- bounded keyring calls ---------------------------------------------------------

    def _keyring_get(self, probe: kp.Probe, uid: str, hide: Hidden | None = None) -> str | None:
        try:
            return self._call(lambda: probe.keyring.get_password(kp.SERVICE, uid), hide)
        except _KeyringFailure as failure:
            raise SecretStoreError(
                N_("the keyring could not be read: {why}").format(
                    why=kp.why(failure.state, failure.reason)
                )
            ) from None

    def _keyring_set(self, probe: kp.Probe, uid: str, secret: Hidden) -> None:
        try:
            self._call(lambda: probe.keyring.set_password(kp.SERVICE, uid, secret.value), secret)
        except _KeyringFailure as failure:
            raise SecretStoreError(
                N_("the keyring did not take the api_hash: {why}").format(
                    why=kp.why(failure.state, failure.reason)
                )
            ) from None

    def _keyring_delete(self, probe: kp.Probe, uid: str) -> None:
        from keyring.errors import PasswordDeleteError

        def delete() -> None:
            with contextlib.suppress(PasswordDeleteError):  # nothing stored under this uid
                probe.keyring.delete_password(kp.SERVICE, uid)

        self._call(delete)

    def _call(self, fn: Callable[[], T], hide: Hidden | None = None) -> T:
        """Run one keyring call bounded by `call_timeout`; failures become _KeyringFailure.

        The original exception is dropped (not chained): keyring frames hold the secret.
        A timeout marks the keyring unusable for the rest of this run.
        """
        failure: _KeyringFailure | None = None
        try:
            return kp.call_with_timeout(fn, self.call_timeout)
        except kp.KeyringTimeout as exc:
            failure = _KeyringFailure(kp.TIMEOUT, str(exc))
            with self._lock:
                self._probe = kp.Probe(kp.TIMEOUT, str(exc))
        except Exception as exc:
            failure = _KeyringFailure(*kp.classify(exc, hide.value if hide else ""))
        raise failure

    def _cannot_read(self, state: str, reason: str) -> str:
        return N_("the api_hash may be in the keyring, which cannot be read here: {why}").format(
            why=kp.why(state, reason)
        )


def _check_uid(uid: str) -> None:
    if not isinstance(uid, str) or not uid.strip():
        raise ValueError("the account has no uid, so its secret has no key")


def migrate_secrets(store: SecretStore, accounts: Iterable[Any], to: str) -> MigrationReport:
    """`store.migrate` for Account objects (or (uid, folder) pairs)."""
    items: list[tuple[str, Path]] = []
    skipped: list[tuple[str, str]] = []
    for account in accounts:
        if isinstance(account, tuple):
            items.append((account[0], Path(account[1])))
        elif getattr(account, "folder", None) is None:
            skipped.append(
                (getattr(account, "uid", "") or account.name, "the account has no folder")
            )
        else:
            items.append((account.uid, account.folder))
    report = store.migrate(items, to)
    report.failed.extend(skipped)
    return report
