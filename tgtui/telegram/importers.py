"""Reading sessions made elsewhere (Telethon files and strings, Pyrogram files and strings)
and writing them as Telethon SQLite sessions; exporting a session as a StringSession.

Everything here is local (no network) except `fresh_login`, which uses an imported
session once to approve a brand-new login of tgtui's own, so the two never share an
auth key. Errors are `SessionImportError` with one line for a person. Auth keys never
appear in a repr, a message or a log.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import os
import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tgtui.accounts import Server
from tgtui.accounts import servers as known_servers
from tgtui.accounts.fsutil import FILE_MODE, create_private
from tgtui.i18n import _
from tgtui.telegram.errors import TelegramFailure, to_failure

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram

# Telegram's production and test data centres (what Pyrogram uses for its dc_id).
PROD_DCS: dict[int, str] = known_servers.PRODUCTION_DCS
TEST_DCS: dict[int, str] = known_servers.TEST_DCS
PORT = 443
AUTH_KEY_LEN = 256

_TELETHON_COLUMNS = {"dc_id", "server_address", "port", "auth_key"}
_PYROGRAM_COLUMNS = {"dc_id", "auth_key", "user_id"}


class SessionImportError(ValueError):
    """The input is not a usable session; the message is one line saying what it is."""


@dataclass(frozen=True)
class SessionData:
    """What a session needs to connect: a data centre and an authorisation key."""

    dc_id: int
    server_address: str
    port: int
    auth_key: bytes = field(repr=False)
    source: str = "telethon"  # telethon | telethon-string | pyrogram | pyrogram-string | tdata
    user_id: int | None = None
    api_id: int | None = None
    test_mode: bool = False

    def __post_init__(self) -> None:
        if len(self.auth_key) != AUTH_KEY_LEN or not any(self.auth_key):
            raise SessionImportError(
                _("The session holds no authorisation key: it never logged in.")
            )
        if not 1 <= self.dc_id <= 1000:
            raise SessionImportError(
                _("The session names data centre {dc}, which is not one.").format(dc=self.dc_id)
            )


def dc_address(dc_id: int, test_mode: bool = False) -> str:
    """The IPv4 address of a Telegram data centre."""
    table = TEST_DCS if test_mode else PROD_DCS
    if dc_id not in table:
        if test_mode:
            said = _("Telegram has no test data centre {dc}.")
        else:
            said = _("Telegram has no production data centre {dc}.")
        raise SessionImportError(said.format(dc=dc_id))
    return table[dc_id]


def source_server(data: SessionData) -> Server | None:
    """The server a session belongs to, so an import keeps it: None for production.

    Pyrogram sessions say `test_mode`; Telethon sessions carry the address itself: one of
    Telegram's test DCs, Telegram's production, or anything else (a custom server).
    """
    host = data.server_address
    if data.test_mode or host in TEST_DCS.values():
        dc = data.dc_id if data.dc_id in TEST_DCS else known_servers.DEFAULT_TEST_DC
        return known_servers.test_server(dc, host, data.port)
    if known_servers.is_telegram_address(host):
        return None
    return Server(dc_id=data.dc_id, host=host, port=data.port)


# ------------------------------------------------------------------------- SQLite files
def _open_ro(path: Path) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        raise SessionImportError(_("{path} does not exist or is not a file.").format(path=path))
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise SessionImportError(
            _("{path} cannot be read ({detail}).").format(path=path, detail=exc.strerror or exc)
        ) from None
    if head != b"SQLite format 3\x00":
        raise SessionImportError(
            _("{path} is not a session file (not an SQLite database).").format(path=path)
        )
    uri = "file:" + _uri_path(path) + "?mode=ro"
    return sqlite3.connect(uri, uri=True)


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(Path(path).resolve()))


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"pragma table_info({table})")}


def session_kind(path: Path) -> str:
    """'telethon', 'pyrogram' or 'unknown' for an SQLite file; SessionImportError if not one."""
    conn = _open_ro(path)
    try:
        try:
            cols = _columns(conn, "sessions")
        except sqlite3.DatabaseError as exc:
            raise SessionImportError(
                _("{path} is damaged or not a session ({detail}).").format(path=path, detail=exc)
            ) from None
    finally:
        conn.close()
    if cols >= _TELETHON_COLUMNS:
        return "telethon"
    if cols >= _PYROGRAM_COLUMNS:
        return "pyrogram"
    return "unknown"


def _wrong_kind(path: Path, kind: str, wanted: str) -> SessionImportError:
    if kind == "pyrogram":
        return SessionImportError(
            _("{path} is a Pyrogram session; import it with --pyrogram.").format(path=path)
        )
    if kind == "telethon":
        return SessionImportError(
            _("{path} is a Telethon session; import it with --session.").format(path=path)
        )
    return SessionImportError(
        _("{path} is an SQLite file but not a {wanted} session.").format(path=path, wanted=wanted)
    )


def read_telethon_file(path: Path) -> SessionData:
    """The DC and auth key of a Telethon SQLite session file."""
    kind = session_kind(path)
    if kind != "telethon":
        raise _wrong_kind(path, kind, "Telethon")
    conn = _open_ro(path)
    try:
        row = conn.execute("select dc_id, server_address, port, auth_key from sessions").fetchone()
    except sqlite3.DatabaseError as exc:
        raise SessionImportError(
            _("{path} is damaged ({detail}).").format(path=path, detail=exc)
        ) from None
    finally:
        conn.close()
    if row is None or row[3] is None:
        raise SessionImportError(
            _("{path} holds no login: the session never logged in.").format(path=path)
        )
    dc_id, address, port, key = row
    return SessionData(int(dc_id), str(address), int(port or PORT), bytes(key), "telethon")


def read_pyrogram_file(path: Path) -> SessionData:
    """dc_id, auth_key, user_id (and api_id, test_mode in v2) of a Pyrogram session file."""
    kind = session_kind(path)
    if kind != "pyrogram":
        raise _wrong_kind(path, kind, "Pyrogram")
    conn = _open_ro(path)
    try:
        cols = _columns(conn, "sessions")
        wanted = ["dc_id", "auth_key", "user_id"]
        wanted += [c for c in ("api_id", "test_mode", "is_bot") if c in cols]
        row = conn.execute(f"select {', '.join(wanted)} from sessions").fetchone()
    except sqlite3.DatabaseError as exc:
        raise SessionImportError(
            _("{path} is damaged ({detail}).").format(path=path, detail=exc)
        ) from None
    finally:
        conn.close()
    if row is None or row[1] is None:
        raise SessionImportError(
            _("{path} holds no login: the Pyrogram session never logged in.").format(path=path)
        )
    values = dict(zip(wanted, row, strict=True))
    if values.get("is_bot"):
        raise SessionImportError(
            _("{path} is a bot's session; tgtui manages user accounts only.").format(path=path)
        )
    test_mode = bool(values.get("test_mode") or 0)
    dc_id = int(values["dc_id"])
    return SessionData(
        dc_id,
        dc_address(dc_id, test_mode),
        PORT,
        bytes(values["auth_key"]),
        "pyrogram",
        user_id=int(values["user_id"]) if values.get("user_id") else None,
        api_id=int(values["api_id"]) if values.get("api_id") else None,
        test_mode=test_mode,
    )


# ------------------------------------------------------------------------- strings
def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_string(text: str) -> SessionData:
    """A Telethon StringSession, or a Pyrogram (v1/v2) session string."""
    text = "".join(text.split())
    if not text:
        raise SessionImportError(_("No session string on standard input."))
    if text.startswith("1"):
        try:
            raw = _b64(text[1:])
        except (ValueError, TypeError):
            raw = b""
        if len(raw) in (263, 275):  # Telethon: dc, IPv4 or IPv6, port, key
            ip_len = len(raw) - 259
            dc_id, ip, port, key = struct.unpack(f">B{ip_len}sH256s", raw)
            address = ipaddress.ip_address(ip).compressed
            return SessionData(dc_id, address, port, key, "telethon-string")
    try:
        raw = _b64(text)
    except (ValueError, TypeError):
        raw = b""
    if len(raw) == struct.calcsize(">BI?256sQ?"):  # Pyrogram v2
        dc_id, api_id, test, key, user_id, is_bot = struct.unpack(">BI?256sQ?", raw)
    elif len(raw) in (struct.calcsize(">B?256sI?"), struct.calcsize(">B?256sQ?")):  # v1
        fmt = ">B?256sI?" if len(raw) == struct.calcsize(">B?256sI?") else ">B?256sQ?"
        dc_id, test, key, user_id, is_bot = struct.unpack(fmt, raw)
        api_id = None
    else:
        raise SessionImportError(
            _("That is not a session string (neither a Telethon StringSession nor Pyrogram's).")
        )
    if is_bot:
        raise SessionImportError(_("That is a bot's session; tgtui manages user accounts only."))
    return SessionData(
        dc_id,
        dc_address(dc_id, bool(test)),
        PORT,
        key,
        "pyrogram-string",
        user_id=user_id or None,
        api_id=api_id or None,
        test_mode=bool(test),
    )


def to_string(data: SessionData) -> str:
    """The Telethon StringSession text for `data`."""
    ip = ipaddress.ip_address(data.server_address).packed
    packed = struct.pack(f">B{len(ip)}sH256s", data.dc_id, ip, data.port, data.auth_key)
    return "1" + base64.urlsafe_b64encode(packed).decode("ascii")


def export_string(path: Path) -> str:
    """The Telethon StringSession of a session file (local; no network)."""
    return to_string(read_telethon_file(Path(path)))


# ------------------------------------------------------------------------- writing
def write_telethon_file(data: SessionData, path: Path) -> Path:
    """Write `data` as a new Telethon SQLite session at `path` (0600; must not exist)."""
    from telethon.crypto import AuthKey
    from telethon.sessions import SQLiteSession

    path = Path(path)
    if path.suffix != ".session":
        raise ValueError(_("a Telethon session file name ends in .session"))
    os.close(create_private(path))
    session = SQLiteSession(str(path))
    try:
        session.set_dc(data.dc_id, data.server_address, data.port)
        session.auth_key = AuthKey(data.auth_key)
        session.save()
    finally:
        session.close()
    os.chmod(path, FILE_MODE)
    return path


def point_at_server(path: Path, server: Server) -> None:
    """Make the Telethon session file at `path` connect to `server` (its key is kept)."""
    from telethon.sessions import SQLiteSession

    from tgtui.telegram.client import apply_server

    session = SQLiteSession(str(path))
    try:
        apply_server(session, server, register_key=False)
    finally:
        session.close()
    os.chmod(path, FILE_MODE)


def copy_telethon_file(source: Path, target: Path) -> Path:
    """A consistent copy of a Telethon session (SQLite backup), 0600, journal included."""
    read_telethon_file(source)  # validates
    target = Path(target)
    os.close(create_private(target))
    src = _open_ro(source)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.chmod(target, FILE_MODE)
    return target


# ------------------------------------------------------------------------- --fresh
def token_from_url(url: str) -> bytes:
    """The login token inside a `tg://login?token=...` URL."""
    from urllib.parse import parse_qs, urlparse

    values = parse_qs(urlparse(url).query).get("token") or [""]
    return _b64(values[0])


async def approve_login_token(
    tg: Telegram,
    source: SessionData,
    token: bytes,
    api_id: int,
    api_hash: str,
    server: Server | None = None,
) -> None:
    """Use `source` (in memory only, never written) to approve a QR login `token`.

    This is what scanning a QR code with a logged-in phone does; the new session gets a
    key of its own. Raises TelegramFailure.
    """
    from telethon.sessions import StringSession
    from telethon.tl import functions

    from tgtui.telegram.client import apply_server, connect_client

    session = StringSession(to_string(source))
    if server is not None:  # the same server the new session logs in to
        apply_server(session, server, register_key=tg.sim is None)
    client = _client(tg, session, api_id, api_hash)
    try:
        await connect_client(client, None, server, "qr")
        await client(functions.auth.AcceptLoginTokenRequest(token))
    except Exception as exc:
        raise TelegramFailure(to_failure(exc, "qr")) from None
    finally:
        with contextlib.suppress(Exception):
            await client.disconnect()


def _client(tg: Telegram, session: Any, api_id: int, api_hash: str) -> Any:
    from tgtui.telegram.client import CLIENT_DEFAULTS

    kwargs: dict[str, Any] = dict(CLIENT_DEFAULTS)
    kwargs.update(
        device_model=tg.device_model,
        app_version=tg.app_version,
        system_version=tg.system_version,
        receive_updates=False,
    )
    if tg.sim is None:
        from tgtui.telegram.connect_errors import telethon_logger

        kwargs["base_logger"] = telethon_logger()
    if tg.sim is not None:
        from tgtui.telegram.sim import sim_client

        return sim_client(tg.sim, session, api_id, api_hash, **kwargs)
    from telethon import TelegramClient

    return TelegramClient(session, api_id, api_hash, **kwargs)
