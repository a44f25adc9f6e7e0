"""What tests and the demo tell the simulated Telegram to do (faults), and what they ask
it afterwards (which requests arrived, in how many round trips).

A mixin of `SimServer`; the state it touches is declared below and set up by the server.
"""

from __future__ import annotations

from telethon.crypto import AuthKey

from tgtui.telegram.sim.keys import KeyRegistry
from tgtui.telegram.sim.state import (
    Drop,
    PendingCode,
    SimRequest,
    SimUser,
    normalize_phone,
    request_name,
)


class FaultControls(KeyRegistry):
    """Scriptable faults and request introspection of the simulated server."""

    users: dict[str, SimUser]
    log: list[SimRequest]
    offline: bool
    offline_phones: set[str]
    _codes: dict[str, PendingCode]
    _drops: list[Drop]
    _fail_next: list[tuple[str | None, BaseException | str]]
    _unregistered_flood: dict[str, float]

    # ------------------------------------------------------------------ faults

    def flood_send_code(self, phone: str, seconds: int) -> None:
        """auth.sendCode for this phone raises FLOOD_WAIT_<seconds> until the clock passes."""
        phone = normalize_phone(phone)
        until = self.clock() + seconds
        if phone in self.users:
            self.users[phone].send_code_flood_until = until
        else:
            self._unregistered_flood[phone] = until

    def expire_codes(self, phone: str) -> None:
        """Every pending code of this phone now fails with PHONE_CODE_EXPIRED."""
        phone = normalize_phone(phone)
        for code in self._codes.values():
            if code.phone == phone:
                code.expired = True

    def revoke(self, phone: str, how: str = "unregistered") -> None:
        """Log out all keys of this account; their next authorized call fails.

        ``how``: "unregistered" → AUTH_KEY_UNREGISTERED, "revoked" → SESSION_REVOKED
        (terminated from another device), "expired" → SESSION_EXPIRED.
        """
        errors_by_how = {
            "unregistered": "AUTH_KEY_UNREGISTERED",
            "revoked": "SESSION_REVOKED",
            "expired": "SESSION_EXPIRED",
        }
        message = errors_by_how[how]
        for key in self.keys_of(phone):
            key.user_id = None
            key.password_pending = None
            key.unauth_error = message

    def ban(self, phone: str, banned: bool = True) -> None:
        """USER_DEACTIVATED_BAN on every authorized call; PHONE_NUMBER_BANNED on send_code."""
        self._user(phone).banned = banned

    def duplicate(self, phone: str) -> None:
        """Every key of this account fails with AUTH_KEY_DUPLICATED from now on."""
        for key in self.keys_of(phone):
            key.fatal_error = "AUTH_KEY_DUPLICATED"

    def forget_keys(self, phone: str | None = None) -> None:
        """The server forgets these keys (all if no phone): Telethon raises AuthKeyNotFound."""
        keys = self.keys.values() if phone is None else self.keys_of(phone)
        for key in keys:
            key.forgotten = True

    def drop_connection(self, *, after: int = 0, request: type | str | None = None) -> None:
        """The next matching request (after skipping ``after`` of them) drops the connection.

        The request raises ConnectionError and the client is disconnected, as when the socket
        dies and Telethon's reconnect attempts are exhausted; ``client.connect()`` recovers.
        """
        self._drops.append(Drop(after=after, request=request_name(request)))

    def fail_next(self, request: type | str | None, error: BaseException | str) -> None:
        """The next matching request (None: any) fails with ``error``.

        ``error`` is an exception instance, or an RPC error message such as
        "PHONE_NUMBER_FLOOD" / "FLOOD_WAIT_30", turned into the class Telethon would raise.
        """
        self._fail_next.append((request_name(request), error))

    def set_flood(self, phone: str, seconds: int) -> None:
        """Every call from this account's keys → FLOOD_WAIT_<remaining> until the clock passes."""
        self._user(phone).flood_until = self.clock() + seconds

    def set_offline(self, on: bool = True, *, phone: str | None = None) -> None:
        """connect() raises ConnectionError (and live connections drop on their next request).

        With `phone`, only that account's sessions are cut off (as behind a dead proxy).
        """
        if phone is None:
            self.offline = on
        elif on:
            self.offline_phones.add(normalize_phone(phone))
        else:
            self.offline_phones.discard(normalize_phone(phone))

    # ------------------------------------------------------------------ introspection

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(auth key id hex, request class name) for every request, in order."""
        return [(r.key, r.name) for r in self.log]

    def request_count(
        self,
        request: type | str | None = None,
        *,
        phone: str | None = None,
        key: bytes | AuthKey | str | None = None,
    ) -> int:
        """How many requests matched (by class or name, account phone, or key / key hex)."""
        name = request_name(request)
        want_phone = normalize_phone(phone) if phone is not None else None
        if key is not None and not isinstance(key, str):
            found = self._key_for(key)
            key = found.hex if found else "-"
        return len(self._matching(name, want_phone, key))

    def round_trips(
        self, *, phone: str | None = None, key: bytes | AuthKey | str | None = None
    ) -> int:
        """How many client packets (round trips) carried requests, by account or key.

        Requests a client sent together (one container) count once: this is how many
        times a client waited for Telegram, which is what a check costs in time.
        """
        want_phone = normalize_phone(phone) if phone is not None else None
        if key is not None and not isinstance(key, str):
            found = self._key_for(key)
            key = found.hex if found else "-"
        return len({r.trip for r in self._matching(None, want_phone, key)})

    def _matching(self, name: str | None, phone: str | None, key: str | None) -> list[SimRequest]:
        return [
            r
            for r in self.log
            if (name is None or r.name == name)
            and (phone is None or r.phone == phone)
            and (key is None or r.key == key)
        ]
