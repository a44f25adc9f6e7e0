"""Data centres of the simulated Telegram: home DCs, migration errors, exported authorizations.

Only the wire server turns DCs on (`SimServer.enforce_dcs`): there every connection
belongs to one DC and an auth key made on one DC is unknown on the others, as on
Telegram. The in-process sender keeps the old behaviour (one place for everything).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telethon.tl import types

from tgtui.telegram.sim.state import (
    DC_ADDRESSES,
    DC_PORT,
    LoginToken,
    SimKey,
    SimUser,
    normalize_phone,
    rpc,
)

# Requests that answer USER_MIGRATE_X when a logged-in user talks to the wrong DC.
_DC_NEUTRAL = frozenset(
    {
        "InitConnectionRequest",
        "GetConfigRequest",
        "GetNearestDcRequest",
        "PingRequest",
        "PingDelayDisconnectRequest",
        "ExportAuthorizationRequest",
        "ImportAuthorizationRequest",
        "LogOutRequest",
    }
)


class DcHandlers:
    """DC behaviour mixed into `SimServer`: config, migration checks, auth export/import."""

    clock: Callable[[], float]
    _rng: random.Random
    users: dict[str, SimUser]
    _users_by_id: dict[int, SimUser]
    _tokens: dict[bytes, LoginToken]
    enforce_dcs: bool
    default_dc: int
    dc_options: dict[int, tuple[str, int]] | None
    network_migrate: dict[int, int]
    _exports: dict[bytes, tuple[int, int]]
    _imported_keys: set[int]

    if TYPE_CHECKING:  # provided by SimServer / RequestHandlers

        def _authorize(self, key: SimKey, user: SimUser) -> None: ...

        def _login(self, key: SimKey, target: SimUser) -> types.auth.Authorization: ...

    def dc_list(self) -> list[types.DcOption]:
        """What help.getConfig lists: the wire server's ports, else Telegram's addresses."""
        if self.dc_options:
            return [
                types.DcOption(id=dc, ip_address=host, port=port)
                for dc, (host, port) in sorted(self.dc_options.items())
            ]
        return [
            types.DcOption(id=dc, ip_address=ip, port=DC_PORT) for dc, ip in DC_ADDRESSES.items()
        ]

    def move_user(self, phone: str, dc: int) -> None:
        """Telegram moved this account to another DC (its old DC answers USER_MIGRATE_X)."""
        self.users[normalize_phone(phone)].dc = dc

    def check_dc(self, name: str, request: Any, key: SimKey, user: SimUser | None) -> None:
        """Raise the migration error Telegram would answer on this DC, if any."""
        if not self.enforce_dcs:
            return
        if name == "SendCodeRequest":
            target = self.network_migrate.get(key.dc)
            if target is not None and target != key.dc:
                raise rpc(f"NETWORK_MIGRATE_{target}", 303)
            found = self.users.get(normalize_phone(request.phone_number))
            home = found.dc if found is not None else self.default_dc
            if home != key.dc:
                raise rpc(f"PHONE_MIGRATE_{home}", 303)
            return
        if (
            user is not None
            and user.dc != key.dc
            and name not in _DC_NEUTRAL
            and key.key_id not in self._imported_keys  # an exported authorization works here
        ):
            raise rpc(f"USER_MIGRATE_{user.dc}", 303)

    def qr_migrate(self, token: LoginToken, key: SimKey) -> Any:
        """A scanned token of a user homed elsewhere: auth.loginTokenMigrateTo, else None."""
        if not self.enforce_dcs or token.accepted_by is None:
            return None
        user = self._users_by_id[token.accepted_by]
        if user.dc == key.dc:
            return None
        return types.auth.LoginTokenMigrateTo(dc_id=user.dc, token=token.token)

    # ------------------------------------------------------------------ handlers

    def _on_ExportAuthorizationRequest(self, req: Any, key: SimKey, user: SimUser) -> Any:  # noqa: N802
        if req.dc_id == key.dc or (self.dc_options and req.dc_id not in self.dc_options):
            raise rpc("DC_ID_INVALID")
        raw = self._rng.getrandbits(256).to_bytes(32, "big")
        self._exports[raw] = (user.id, req.dc_id)
        return types.auth.ExportedAuthorization(id=user.id, bytes=raw)

    def _on_ImportAuthorizationRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        found = self._exports.pop(req.bytes, None)
        if found is None or found[0] != req.id or (self.enforce_dcs and found[1] != key.dc):
            raise rpc("AUTH_BYTES_INVALID")
        target = self._users_by_id[found[0]]
        self._authorize(key, target)
        self._imported_keys.add(key.key_id)
        return types.auth.Authorization(user=target.to_tl())

    def _on_ImportLoginTokenRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        token = self._tokens.get(req.token)
        if token is None or self.clock() >= token.expires:
            raise rpc("AUTH_TOKEN_EXPIRED")
        if token.accepted_by is None or token.consumed:
            raise rpc("AUTH_TOKEN_INVALID")
        token.consumed = True
        target = self._users_by_id[token.accepted_by]
        return types.auth.LoginTokenSuccess(authorization=self._login(key, target))
