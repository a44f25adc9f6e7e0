"""Secrets of an account beside its api_hash: the proxy's password or MTProxy secret.

They live where the api_hash lives (`SecretStore` mixes this in): in the keyring under
"<uid>:<key>", or as `<key>` in the account's secrets.toml when the keyring cannot be
used. `secrets migrate` moves them together with the api_hash. Never logged.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tgtui.accounts import keyring_probe as kp
from tgtui.accounts.secret_file import (
    Hidden,
    read_reason,
    read_secret_value,
    secret_path,
    write_secret_value,
)
from tgtui.i18n import N_, _

if TYPE_CHECKING:
    from tgtui.accounts.secrets import Backend

EXTRA_KEYS = ("proxy",)  # secrets beside the api_hash, keyed "<uid>:<key>" in the keyring


def _check_extra(uid: str, key: str) -> None:
    if not isinstance(uid, str) or not uid.strip():
        raise ValueError("the account has no uid, so its secret has no key")
    if key not in EXTRA_KEYS:
        raise ValueError(f"unknown secret {key!r}")


class ExtraSecrets:
    """get_extra / set_extra and their part of a migration, for `SecretStore`."""

    # provided by SecretStore
    _ensure_probe: Any
    _call: Any
    _backend_for: Any
    _file_backend: Any
    _cannot_read: Any
    _keyring_get: Any
    _keyring_set: Any
    _keyring_delete: Any

    def get_extra(self, uid: str, folder: Path, key: str) -> str | None:
        """Another secret of the account (`key` in EXTRA_KEYS), file first, then keyring."""
        from tgtui.accounts import secrets as _s

        _check_extra(uid, key)
        path = secret_path(folder)
        if path.exists() and (value := read_secret_value(path, key)) is not None:
            return value
        probe = self._ensure_probe()
        if probe.state == kp.OK:
            try:
                found = self._call(lambda: probe.keyring.get_password(kp.SERVICE, f"{uid}:{key}"))
            except _s._KeyringFailure as failure:
                raise _s.SecretUnavailableError(
                    self._cannot_read(failure.state, failure.reason)
                ) from None
            return found or None
        if probe.state in kp.UNREADABLE:
            raise _s.SecretUnavailableError(self._cannot_read(probe.state, probe.reason))
        return None

    def set_extra(self, uid: str, folder: Path, key: str, value: str | None) -> Backend | None:
        """Save (or with None/"", remove) another secret where the api_hash would go."""
        from tgtui.accounts import secrets as _s

        _check_extra(uid, key)
        path = secret_path(folder)
        probe = self._ensure_probe()
        if not value:
            if path.exists():
                write_secret_value(path, key, None, read_reason(path))
            if probe.state == kp.OK:
                with contextlib.suppress(_s._KeyringFailure):
                    self._keyring_delete(probe, f"{uid}:{key}")
            return None
        secret = Hidden(value)
        del value
        if probe.state == kp.OK:
            try:
                self._call(
                    lambda: probe.keyring.set_password(kp.SERVICE, f"{uid}:{key}", secret.value),
                    secret,
                )
            except _s._KeyringFailure as failure:
                state, reason = failure.state, failure.reason
            else:
                if path.exists():
                    write_secret_value(path, key, None, read_reason(path))
                return self._backend_for(probe)
        else:
            state, reason = probe.state, probe.reason
        backend = self._file_backend(state, reason)
        if backend.kind == "none":
            raise _s.SecretStoreError(
                N_(
                    "the {key} secret was not saved: TGTUI_KEYRING=on allows only the keyring, "
                    "and {why}"
                ).format(key=key, why=kp.why(state, reason))
            )
        write_secret_value(path, key, secret, kp.why(state, reason))
        return backend

    def _extras_to_keyring(self, probe: kp.Probe, uid: str, path: Path) -> None:
        """Move every extra secret of the file into the keyring (verified, then dropped)."""
        from tgtui.accounts import secrets as _s

        for key in EXTRA_KEYS:
            value = read_secret_value(path, key) if path.exists() else None
            if value is None:
                continue
            secret = Hidden(value)
            del value
            name = f"{uid}:{key}"
            self._keyring_set(probe, name, secret)
            if self._keyring_get(probe, name, secret) != secret.value:
                raise _s.SecretStoreError(
                    N_("the keyring did not give the {key} secret back; the file was kept").format(
                        key=key
                    )
                )
            write_secret_value(path, key, None, read_reason(path))

    def _extras_to_file(self, probe: kp.Probe, uid: str, path: Path) -> str:
        """Move every extra secret of the keyring into the file; a note if one stayed."""
        if probe.state != kp.OK:
            return ""
        for key in EXTRA_KEYS:
            name = f"{uid}:{key}"
            value = self._keyring_get(probe, name)
            if not value:
                continue
            secret = Hidden(value)
            del value
            write_secret_value(path, key, secret, N_("you moved it out of the keyring"))
            if read_secret_value(path, key) != secret.value:
                write_secret_value(path, key, None, read_reason(path))
                return _(
                    "the {key} secret stayed in the keyring (the file did not read back)"
                ).format(key=key)
            with contextlib.suppress(Exception):
                self._keyring_delete(probe, name)
        return ""
