"""The simulated Telegram server: accounts, auth keys, login codes, QR tokens and faults.

`SimServer` answers Telethon requests with real `telethon.tl.types` objects and raises
the exact `telethon.errors` classes Telethon itself would build from Telegram's RPC error
strings (through `telethon.errors.rpc_message_to_error`). Clients reach it through
`tgtui.telegram.sim.client.SimSender` (which replaces Telethon's network sender) or over
TCP through the wire server (`tgtui.telegram.sim.wire`), so every
high-level Telethon method runs unchanged.

State is kept per *auth key*, as on Telegram: a session file holds a key, the server
knows which user (if any) each key is logged in as. Time only comes from the injected
``clock``; randomness only from ``seed``.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import math
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telethon import errors
from telethon.crypto import AuthKey
from telethon.tl import TLObject, types

from tgtui.telegram.sim.dcs import DcHandlers
from tgtui.telegram.sim.handlers import RequestHandlers
from tgtui.telegram.sim.state import (
    DC_ADDRESSES,
    DC_PORT,
    PUBLISHED_API_IDS,
    Drop,
    Link,
    LoginToken,
    PendingCode,
    RpcFailure,
    SimKey,
    SimRequest,
    SimUser,
    code_for,
    normalize_phone,
    request_name,
    rpc,
    to_error,
    token_bytes,
    unwrap,
    utc,
)

__all__ = [
    "DC_ADDRESSES",
    "DC_PORT",
    "PUBLISHED_API_IDS",
    "RpcFailure",
    "SimKey",
    "SimRequest",
    "SimServer",
    "SimUser",
    "normalize_phone",
    "to_error",
]

# Requests that work on a key nobody is logged in with.
_NO_AUTH_NEEDED = frozenset(
    {
        "InitConnectionRequest",
        "GetConfigRequest",
        "GetNearestDcRequest",
        "PingRequest",
        "PingDelayDisconnectRequest",
        "SendCodeRequest",
        "ResendCodeRequest",
        "CancelCodeRequest",
        "SignInRequest",
        "CheckPasswordRequest",
        "GetPasswordRequest",
        "ExportLoginTokenRequest",
        "ImportLoginTokenRequest",
        "ImportAuthorizationRequest",
    }
)
# Requests that never fail for account-level reasons (flood, ban), only for key-level ones.
_TRANSPORT_LEVEL = frozenset(
    {"InitConnectionRequest", "GetConfigRequest", "PingRequest", "PingDelayDisconnectRequest"}
)


class SimServer(DcHandlers, RequestHandlers):
    """An in-process Telegram: users, apps, auth keys, codes, QR tokens, and scriptable faults."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        seed: int = 0,
        latency: float = 0.0,
        code_ttl: float = 300.0,
        qr_ttl: float = 30.0,
        authorization_ttl_days: int = 180,
        strict_fresh_reset: bool = False,
    ) -> None:
        self.clock = clock
        self.seed = seed
        self.latency = latency
        self.code_ttl = code_ttl
        self.qr_ttl = qr_ttl
        self.authorization_ttl_days = authorization_ttl_days
        self.strict_fresh_reset = strict_fresh_reset
        self._rng = random.Random(seed)
        self.apps: dict[int, str] = {}
        self.users: dict[str, SimUser] = {}
        self._users_by_id: dict[int, SimUser] = {}
        self.keys: dict[int, SimKey] = {}
        self._codes: dict[str, PendingCode] = {}  # by phone_code_hash
        self._codes_sent: dict[str, int] = {}  # per phone
        self._last_code: dict[str, str] = {}
        self._tokens: dict[bytes, LoginToken] = {}
        self._fail_next: list[tuple[str | None, BaseException | str]] = []
        self._drops: list[Drop] = []
        self._unregistered_flood: dict[str, float] = {}
        self.offline = False
        self.offline_phones: set[str] = set()
        self.log: list[SimRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.connects = 0
        # Data centres (the wire server turns them on; see sim/dcs.py)
        self.enforce_dcs = False
        self.default_dc = 2
        self.dc_options: dict[int, tuple[str, int]] | None = None
        self.network_migrate: dict[int, int] = {}
        self._exports: dict[bytes, tuple[int, int]] = {}
        self._imported_keys: set[int] = set()
        # Called with (phone digits, code) for every code "sent" (the serve command prints it)
        self.on_code: Callable[[str, str], None] | None = None
        self._trips = itertools.count(1)

    # ------------------------------------------------------------------ setup

    def add_app(self, api_id: int, api_hash: str) -> None:
        """Register an app (my.telegram.org): only registered api_id/api_hash pairs work."""
        self.apps[int(api_id)] = api_hash

    def add_user(
        self,
        phone: str,
        first_name: str,
        last_name: str = "",
        username: str = "",
        *,
        password: str | None = None,
        hint: str = "",
        banned: bool = False,
        premium: bool = False,
        dc: int = 2,
        user_id: int | None = None,
    ) -> SimUser:
        """Register an account; ``password`` turns 2FA on (stored only as an SRP verifier)."""
        phone = normalize_phone(phone)
        digest = hashlib.sha256(f"{self.seed}:user:{phone}".encode()).digest()
        uid = user_id or 100_000_000 + int.from_bytes(digest[:4], "big") % 900_000_000
        user = SimUser(
            id=uid,
            phone=phone,
            first_name=first_name,
            last_name=last_name,
            username=username,
            hint=hint,
            banned=banned,
            premium=premium,
            dc=dc,
            access_hash=int.from_bytes(digest[4:12], "big", signed=True),
            salt1=digest[12:20],
            salt2=digest[20:32],
        )
        self.users[phone] = user
        self._users_by_id[uid] = user
        self.set_password(phone, password, hint=hint)
        return user

    def set_password(self, phone: str, password: str | None, *, hint: str = "") -> None:
        """Turn 2FA on (or off with None). The verifier is computed lazily and cached."""
        user = self._user(phone)
        user.password = password
        user.hint = hint

    def user(self, phone: str) -> SimUser:
        """The registered user with this phone (KeyError if none)."""
        return self._user(phone)

    def _user(self, phone: str) -> SimUser:
        return self.users[normalize_phone(phone)]

    def add_other_session(
        self,
        phone: str,
        device_model: str,
        app_name: str,
        country: str,
        *,
        platform: str = "",
        system_version: str = "",
        app_version: str = "",
        api_id: int = 2040,
        ip: str = "203.0.113.7",
        region: str = "",
        official: bool = True,
        created: float | None = None,
        active: float | None = None,
        password_pending: bool = False,
    ) -> int:
        """Add another active authorization of this account (a phone, a desktop...); its hash."""
        user = self._user(phone)
        now = self.clock()
        auth_hash = self._rng.getrandbits(63)
        user.other_sessions[auth_hash] = types.Authorization(
            hash=auth_hash,
            device_model=device_model,
            platform=platform,
            system_version=system_version,
            api_id=api_id,
            app_name=app_name,
            app_version=app_version,
            date_created=utc(created if created is not None else now - 86400 * 30),
            date_active=utc(active if active is not None else now - 3600),
            ip=ip,
            country=country,
            region=region,
            official_app=official or None,
            password_pending=password_pending or None,
        )
        return auth_hash

    def authorize_session(
        self,
        session_path: str | Path,
        phone: str,
        api_id: int,
        *,
        device_model: str = "PC 64bit",
        system_version: str = "Linux",
        app_version: str = "1.39.0",
        auth_key: bytes | None = None,
    ) -> int:
        """Write a Telethon SQLite session file holding a fresh key logged in as ``phone``.

        Returns the auth key id. Used to seed demo data and tests without a login.
        ``auth_key`` registers those 256 bytes instead of drawing a new key (a session
        made elsewhere, e.g. a Telegram Desktop fixture, that this server authorises).
        """
        from telethon.sessions import SQLiteSession

        user = self._user(phone)
        key = self.authorize_key(
            phone,
            api_id,
            device_model=device_model,
            system_version=system_version,
            app_version=app_version,
            auth_key=auth_key,
        )
        session = SQLiteSession(str(session_path))
        try:
            session.set_dc(user.dc, DC_ADDRESSES.get(user.dc, DC_ADDRESSES[2]), DC_PORT)
            session.auth_key = AuthKey(key.key)
            # What Telethon saves on disconnect: the self user, and the id=0 "who am I" row.
            session.process_entities(
                types.contacts.ResolvedPeer(types.PeerUser(user.id), [], [user.to_tl()])
            )
            session.process_entities(
                types.contacts.ResolvedPeer(None, [types.InputPeerUser(0, user.id)], [])
            )
            session.save()
        finally:
            session.close()
        return key.key_id

    def authorize_key(
        self,
        phone: str,
        api_id: int,
        *,
        device_model: str = "PC 64bit",
        system_version: str = "Linux",
        app_version: str = "1.39.0",
        auth_key: bytes | None = None,
    ) -> SimKey:
        """A fresh key logged in as ``phone`` (no session file: `authorize_session` writes one).

        ``auth_key`` registers those 256 bytes instead of drawing a new key."""
        user = self._user(phone)
        key = self.new_key(user.dc, raw=auth_key)
        key.api_id = int(api_id)
        key.device_model, key.system_version, key.app_version = (
            device_model,
            system_version,
            app_version,
        )
        self._authorize(key, user)
        return key

    # ------------------------------------------------------------------ keys

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

    # ------------------------------------------------------------------ test helpers

    def last_code(self, phone: str) -> str | None:
        """The last login code the sim "sent" to this phone (for tests and the demo)."""
        return self._last_code.get(normalize_phone(phone))

    def scan_qr(self, token_or_url: bytes | str, phone: str) -> None:
        """A logged-in app of ``phone`` scans the QR: the waiting client gets UpdateLoginToken."""
        user = self._user(phone)
        token = self._token(token_bytes(token_or_url))
        if token is None:
            raise ValueError("unknown QR login token")
        if self.clock() >= token.expires:
            raise ValueError("QR login token expired")
        if token.accepted_by is not None:
            raise ValueError("QR login token already accepted")
        self._accept_token(token, user)

    def _token(self, raw: bytes) -> LoginToken | None:
        return self._tokens.get(raw)

    def _accept_token(self, token: LoginToken, user: SimUser) -> SimKey:
        token.accepted_by = user.id
        key = self.keys[token.key_id]
        self.push_update(
            key, types.UpdateShort(update=types.UpdateLoginToken(), date=utc(self.clock()))
        )
        return key

    def push_update(self, key: SimKey, update: types.TypeUpdates) -> int:
        """Deliver an update to every client connected with this key; how many got it."""
        delivered = 0
        for sender in list(key.senders):
            if sender.deliver_update(update):
                delivered += 1
        return delivered

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

    # ------------------------------------------------------------------ transport hooks

    def check_connect(self, auth_key: bytes | AuthKey | None = None) -> None:
        """Called by a client's connect(): raises ConnectionError when offline."""
        if self.offline:
            raise ConnectionError("Connection to Telegram failed 5 time(s)")
        if self.offline_phones and auth_key is not None:
            found = self._key_for(auth_key)
            owner = self._users_by_id.get(found.user_id) if found and found.user_id else None
            if owner is not None and owner.phone in self.offline_phones:
                raise ConnectionError("Connection to Telegram failed 5 time(s)")
        self.connects += 1

    async def sleep_latency(self) -> None:
        """Await the configured per-request latency (0 still yields to the loop)."""
        await asyncio.sleep(self.latency)

    def new_trip(self) -> int:
        """A number for one client packet (a request, or a container of several)."""
        return next(self._trips)

    async def handle(self, sender: Link, request: TLObject, *, trip: int | None = None) -> Any:
        """Process one request from a connected client and return the TL result.

        `trip` is the packet it came in (`new_trip()`): requests sent together share it
        and count as one round trip. None: a packet of its own.
        """
        trip = self.new_trip() if trip is None else trip
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self.sleep_latency()
            logged = len(self.log)
            try:
                return self._dispatch(sender, request)
            finally:
                for entry in self.log[logged:]:
                    entry.trip = trip
        finally:
            self.in_flight -= 1

    def _dispatch(self, sender: Link, request: TLObject) -> Any:
        inner, no_updates = unwrap(request)
        name = type(inner).__name__
        key = self.keys.get(sender.auth_key.key_id or 0)
        if key is not None and key.key != sender.auth_key.key:
            key = None  # same id, different key: not ours
        user = self._users_by_id.get(key.user_id) if key and key.user_id else None
        self.log.append(
            SimRequest(
                key=key.hex if key else f"{sender.auth_key.key_id or 0:016x}",
                phone=user.phone if user else None,
                name=name,
                at=self.clock(),
            )
        )
        if self.offline:
            raise sender.drop(ConnectionError("Connection to Telegram lost"))
        for drop in self._drops:
            if drop.request is None or drop.request == name:
                if drop.after > 0:
                    drop.after -= 1
                    continue
                self._drops.remove(drop)
                raise sender.drop(ConnectionError("Connection to Telegram lost (simulated drop)"))
        for i, (want, error) in enumerate(self._fail_next):
            if want is None or want == name:
                del self._fail_next[i]
                if isinstance(error, str):
                    raise rpc(error, code_for(error))
                raise error
        if key is None or key.forgotten:
            raise sender.drop(errors.AuthKeyNotFound())
        if key.fatal_error and name not in ("PingRequest", "PingDelayDisconnectRequest"):
            raise rpc(key.fatal_error, 406)
        key.active_at = self.clock()
        if name == "InitConnectionRequest":
            key.api_id = inner.api_id
            key.device_model = inner.device_model
            key.system_version = inner.system_version
            key.app_version = inner.app_version
            sender.no_updates = no_updates
            inner, _ = unwrap(inner.query)
            name = type(inner).__name__
        if name not in _TRANSPORT_LEVEL and user is not None:
            if user.banned:
                raise rpc("USER_DEACTIVATED_BAN", 401)
            remaining = math.ceil(user.flood_until - self.clock())
            if remaining > 0:
                raise rpc(f"FLOOD_WAIT_{remaining}", 420)
        if name == "LogOutRequest" and user is None and key.password_pending is not None:
            # Leaving between a right code and the 2FA password ends that authorization.
            from telethon.tl import types

            key.password_pending = None
            key.unauth_error = "AUTH_KEY_UNREGISTERED"
            return types.auth.LoggedOut()
        self.check_dc(name, inner, key, user)
        if name not in _NO_AUTH_NEEDED and user is None:
            # Between a right code and the 2FA password Telegram answers this to everything.
            pending = key.password_pending is not None
            raise rpc("SESSION_PASSWORD_NEEDED" if pending else key.unauth_error, 401)
        handler = getattr(self, f"_on_{name}", None)
        if handler is None:
            raise rpc("SIM_METHOD_NOT_SUPPORTED", 400)
        return handler(inner, key, user)
