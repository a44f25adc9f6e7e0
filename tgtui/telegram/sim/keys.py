"""Auth keys of the simulated Telegram: made, registered, looked up, logged in.

A mixin of `SimServer` (through `FaultControls`); its state is set up by the server.
State is per key, as on Telegram: a session file holds a key, and the server knows which
user (if any) each key is logged in as.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from telethon.crypto import AuthKey

from tgtui.telegram.sim.state import SimKey, SimUser


class KeyRegistry:
    """The server's auth keys."""

    clock: Callable[[], float]
    keys: dict[int, SimKey]
    _rng: random.Random
    _users_by_id: dict[int, SimUser]

    def _user(self, phone: str) -> SimUser:
        raise NotImplementedError  # the server's

    def new_key(self, dc: int = 2, raw: bytes | None = None) -> SimKey:
        """Create and register a fresh 2048-bit auth key (what a DH exchange would produce),
        or register ``raw`` as one."""
        if raw is None:
            raw = self._rng.getrandbits(2048).to_bytes(256, "big")
        elif len(raw) != 256:
            raise ValueError("an auth key is 256 bytes")
        auth = AuthKey(raw)
        key = SimKey(
            key=raw,
            key_id=auth.key_id,
            dc=dc,
            created=self.clock(),
            hash=self._rng.getrandbits(63),
        )
        self.keys[key.key_id] = key
        return key

    def register_key(self, raw: bytes, dc: int) -> SimKey:
        """Register a key a client just made by the DH exchange on ``dc`` (wire server)."""
        auth = AuthKey(raw)
        key = SimKey(
            key=raw, key_id=auth.key_id, dc=dc, created=self.clock(), hash=self._rng.getrandbits(63)
        )
        self.keys[key.key_id] = key
        return key

    def is_authorized_key(self, auth_key: bytes | AuthKey) -> bool:
        """Whether this key is known and logged in (and not revoked, banned or duplicated)."""
        key = self._key_for(auth_key)
        if key is None or key.forgotten or key.fatal_error or key.user_id is None:
            return False
        user = self._users_by_id.get(key.user_id)
        return user is not None and not user.banned

    def key_user(self, auth_key: bytes | AuthKey) -> SimUser | None:
        """The user a key is logged in as, if any."""
        key = self._key_for(auth_key)
        if key is None or key.user_id is None:
            return None
        return self._users_by_id.get(key.user_id)

    def keys_of(self, phone: str) -> list[SimKey]:
        """Every key logged in as this account (including ones a fault made unusable)."""
        uid = self._user(phone).id
        return [k for k in self.keys.values() if k.user_id == uid or k.password_pending == uid]

    def _key_for(self, auth_key: bytes | AuthKey | None) -> SimKey | None:
        if auth_key is None:
            return None
        key_id = auth_key.key_id if isinstance(auth_key, AuthKey) else AuthKey(auth_key).key_id
        return self.keys.get(key_id) if key_id is not None else None

    def _authorize(self, key: SimKey, user: SimUser) -> None:
        key.user_id = user.id
        key.password_pending = None
        key.challenges.clear()
        key.unauth_error = "AUTH_KEY_UNREGISTERED"
        key.authorized_at = key.active_at = self.clock()
