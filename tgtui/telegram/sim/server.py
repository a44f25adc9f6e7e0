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

from tgtui.telegram.sim.controls import FaultControls
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


class SimServer(FaultControls, DcHandlers, RequestHandlers):
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
