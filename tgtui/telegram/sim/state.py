"""Data of the simulated Telegram: users, auth keys, codes, tokens, and RPC error helpers."""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
from dataclasses import dataclass, field
from typing import Any, Protocol

from telethon import errors
from telethon.tl import TLObject, functions, types

from tgtui.telegram.sim import srp as sim_srp


class Link(Protocol):
    """A client's connection as the server sees it: the in-process sender or a wire socket."""

    auth_key: Any  # telethon.crypto.AuthKey
    no_updates: bool

    def drop(self, error: BaseException) -> BaseException:
        """Cut this connection; return ``error`` for the caller to raise."""
        ...

    def deliver_update(self, update: Any) -> bool:
        """Push an update to the client; False if it takes none."""
        ...


# App ids published in Telegram's open-source clients (Desktop 2040/17349, Android 4/6/21724,
# iOS 8, ...): logging in with them gets API_ID_PUBLISHED_FLOOD.
PUBLISHED_API_IDS: frozenset[int] = frozenset({4, 5, 6, 8, 2040, 17349, 21724})

# Real DC addresses, as Telegram's help.getConfig lists them.
DC_ADDRESSES: dict[int, str] = {
    1: "149.154.175.53",
    2: "149.154.167.51",
    3: "149.154.175.100",
    4: "149.154.167.91",
    5: "91.108.56.130",
}
DC_PORT = 443

CODE_LENGTH = 5
PHONE_RE = re.compile(r"^\d{7,15}$")
_WRAPPERS = (
    functions.InvokeWithLayerRequest,
    functions.InvokeWithoutUpdatesRequest,
    functions.InvokeWithTakeoutRequest,
)


def normalize_phone(phone: str | int) -> str:
    """Digits only, as Telegram stores phone numbers (``+44 7700 900123`` → ``447700900123``)."""
    return re.sub(r"\D", "", str(phone))


def utc(ts: float) -> dt.datetime:
    """A server timestamp as the aware datetime TL objects carry."""
    return dt.datetime.fromtimestamp(int(ts), tz=dt.timezone.utc)


def request_name(request: type | str | TLObject | None) -> str | None:
    """A request class, instance or name, as its class name."""
    if request is None or isinstance(request, str):
        return request
    if isinstance(request, type):
        return request.__name__
    return type(request).__name__


class RpcFailure(Exception):
    """Raised inside the server for an RPC error: becomes the real Telethon error class."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def rpc(message: str, code: int = 400) -> RpcFailure:
    """An RPC error to raise from a handler (e.g. ``rpc("PHONE_CODE_INVALID")``)."""
    return RpcFailure(code, message)


@dataclass
class SimUser:
    """A Telegram account the simulated server knows."""

    id: int
    phone: str
    first_name: str
    last_name: str = ""
    username: str = ""
    password: str | None = None
    hint: str = ""
    banned: bool = False
    premium: bool = False
    dc: int = 2
    access_hash: int = 0
    salt1: bytes = b""
    salt2: bytes = b""
    flood_until: float = 0.0
    send_code_flood_until: float = 0.0
    other_sessions: dict[int, types.Authorization] = field(default_factory=dict)

    def to_tl(self, *, is_self: bool = True) -> types.User:
        """This user as Telegram's `types.User` (``self=True`` when it is the caller)."""
        return types.User(
            id=self.id,
            is_self=is_self or None,
            premium=self.premium or None,
            access_hash=self.access_hash,
            first_name=self.first_name,
            last_name=self.last_name or None,
            username=self.username or None,
            phone=self.phone,
            status=types.UserStatusRecently(),
        )


@dataclass
class SimKey:
    """An auth key the server knows, and what it is allowed to do."""

    key: bytes
    key_id: int
    dc: int
    created: float
    user_id: int | None = None
    # error message for auth-needing requests while no user is logged in
    unauth_error: str = "AUTH_KEY_UNREGISTERED"
    # error message for *every* request (e.g. AUTH_KEY_DUPLICATED)
    fatal_error: str | None = None
    forgotten: bool = False
    password_pending: int | None = None  # user id waiting for the 2FA step
    challenges: dict[int, sim_srp.Challenge] = field(default_factory=dict)
    hash: int = 0
    authorized_at: float = 0.0
    active_at: float = 0.0
    api_id: int = 0
    device_model: str = ""
    system_version: str = ""
    app_version: str = ""
    senders: list[Link] = field(default_factory=list)

    @property
    def hex(self) -> str:
        """The key id as 16 hex digits (what `SimServer.requests` records)."""
        return f"{self.key_id:016x}"


@dataclass
class PendingCode:
    """A login code the server sent (auth.sendCode), keyed by its phone_code_hash."""

    phone: str
    phone_code_hash: str
    code: str
    key_id: int
    sent_at: float
    kind: str  # "app" | "sms" | "call"
    expired: bool = False
    used: bool = False


@dataclass
class LoginToken:
    """A QR login token (auth.exportLoginToken) and who approved it."""

    token: bytes
    key_id: int
    expires: float
    api_id: int
    accepted_by: int | None = None
    consumed: bool = False


@dataclass
class SimRequest:
    """One request as the server saw it."""

    key: str  # auth key id hex
    phone: str | None  # the logged-in account's phone, if any
    name: str  # request class name, wrappers (InvokeWithLayer...) removed
    at: float
    trip: int = 0  # the client packet it came in; requests sent together share one


@dataclass
class Drop:
    """A scripted dropped connection (`SimServer.drop_connection`)."""

    after: int
    request: str | None


def unwrap(request: Any) -> tuple[Any, bool]:
    """Strip InvokeWithLayer/InvokeWithoutUpdates; also say whether updates were refused."""
    no_updates = False
    while isinstance(request, _WRAPPERS):
        if isinstance(request, functions.InvokeWithoutUpdatesRequest):
            no_updates = True
        request = request.query
    return request, no_updates


_VECTOR = 0x1CB5C415
_BOOL_TRUE = 0x997275B5
_BOOL_FALSE = 0xBC799737


def serialize(value: Any) -> bytes:
    """A handler's answer as TL bytes (TL objects, bools and vectors of them)."""
    if isinstance(value, bool):
        return struct.pack("<I", _BOOL_TRUE if value else _BOOL_FALSE)
    if isinstance(value, list):
        return struct.pack("<Ii", _VECTOR, len(value)) + b"".join(serialize(v) for v in value)
    return bytes(value)


def code_for(message: str) -> int:
    """The RPC error code Telegram uses for this error message."""
    if message.startswith("FLOOD_WAIT_"):
        return 420
    cls = errors.rpc_errors_dict.get(message)
    return getattr(cls, "code", None) or 400


def token_bytes(token_or_url: bytes | str) -> bytes:
    """A QR token from its bytes or its ``tg://login?token=...`` URL."""
    if isinstance(token_or_url, bytes):
        return token_or_url
    text = token_or_url.split("token=", 1)[-1]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def to_error(failure: RpcFailure, request: Any) -> BaseException:
    """The Telethon exception Telethon itself would build for this RPC error."""
    return errors.rpc_message_to_error(
        types.RpcError(error_code=failure.code, error_message=failure.message), request
    )
