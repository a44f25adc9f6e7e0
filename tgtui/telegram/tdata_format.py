"""The building blocks of Telegram Desktop's `tdata` storage, read-only.

Telegram Desktop keeps every file it writes in one container: the bytes ``TDF$``, a
little-endian int32 app version, the payload, and an MD5 of the payload, its length,
the version and the magic. Payloads are Qt data streams (big-endian integers, byte
arrays prefixed with their length). Secret parts are encrypted with a 256-byte "local
key" the way old MTProto encrypted messages: a 16-byte message key (the start of the
SHA-1 of the plaintext) picks the AES-256-IGE key and IV.

This module only reads: each file is opened once, read whole into memory and closed, so
a copy is taken before anything is parsed and a running Telegram Desktop is never
disturbed. Errors are `TdataError` with the file's path and what was expected there.
AES-IGE comes from Telethon (``telethon.crypto.AES``, accelerated by libssl or cryptg
when present); the Argon2id of newer passcode-protected folders from ``cryptography``.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

from tgtui.failure import localize
from tgtui.i18n import _
from tgtui.telegram.importers import SessionImportError

TDF_MAGIC = b"TDF$"
LOCAL_KEY_LEN = 256
SALT_LEN = 32
STRONG_ITERATIONS = 100_000  # PBKDF2 rounds for a non-empty passcode
NULL_BYTES = 0xFFFFFFFF  # a null QByteArray's length

# The suffixes Telegram Desktop writes a file under: 's' (atomic, current) or the
# older '0'/'1' pair, of which the newer one counts.
_SUFFIXES = ("s", "0", "1")


try:
    from cryptography.exceptions import UnsupportedAlgorithm as UnsupportedAlgorithmError
except ImportError:  # pragma: no cover - cryptography is a dependency

    class UnsupportedAlgorithmError(Exception):  # type: ignore[no-redef]
        """Stands in when cryptography is missing altogether."""


class TdataError(SessionImportError):
    """A tdata folder or file tgtui cannot use; the message says which and why."""


class WrongPasscode(TdataError):
    """The passcode does not open the folder's key file."""


@dataclass(frozen=True)
class TdfFile:
    """One TDF container: where it came from, the writer's version, the payload."""

    path: Path
    version: int
    data: bytes = field(repr=False)


def file_part(key: int) -> str:
    """A file key as Telegram Desktop names files: 16 hex digits, lowest nibble first."""
    return "".join("0123456789ABCDEF"[(key >> (4 * i)) & 0xF] for i in range(16))


def data_name_key(data_name: str) -> int:
    """The file key of an account's data name ("data", "data#2", ...): the first 8
    bytes of its MD5, read as a little-endian number."""
    digest = hashlib.md5(data_name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little")


def find_file(folder: Path, name: str) -> Path | None:
    """The file Telegram Desktop would read for `name` in `folder`, or None."""
    current = folder / (name + "s")
    if current.is_file():
        return current
    pair = [p for p in (folder / (name + "0"), folder / (name + "1")) if p.is_file()]
    if not pair:
        return None
    return max(pair, key=lambda p: p.stat().st_mtime)


def read_tdf(folder: Path, name: str, what: str) -> TdfFile:
    """Read and check the TDF file `name` (any suffix) in `folder`; `what` names it."""
    path = find_file(folder, name)
    if path is None:
        raise TdataError(
            _("{path} is missing: expected {what} there.").format(
                path=folder / (name + "s"), what=localize(what)
            )
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TdataError(
            _("{path} cannot be read ({detail}).").format(path=path, detail=exc.strerror or exc)
        ) from None
    if raw[:4] != TDF_MAGIC:
        raise TdataError(
            _(
                "{path} is not a Telegram Desktop data file (expected {what}, starting with TDF$)."
            ).format(path=path, what=localize(what))
        )
    if len(raw) < 8 + 16:
        raise TdataError(
            _("{path} is truncated: expected {what}.").format(path=path, what=localize(what))
        )
    version = struct.unpack("<i", raw[4:8])[0]
    data, digest = raw[8:-16], raw[-16:]
    check = hashlib.md5(
        data + struct.pack("<i", len(data)) + struct.pack("<i", version) + TDF_MAGIC
    ).digest()
    if check != digest:
        raise TdataError(
            _("{path} is damaged or truncated (its checksum does not match).").format(path=path)
        )
    return TdfFile(path, version, data)


class Stream:
    """A Qt data stream over bytes; reading past the end raises TdataError."""

    def __init__(self, data: bytes, path: Path, what: str) -> None:
        self._data = data
        self._pos = 0
        self._path = path
        self._what = what

    @property
    def path(self) -> Path:
        """The file this stream reads."""
        return self._path

    def _take(self, count: int) -> bytes:
        if count < 0 or self._pos + count > len(self._data):
            raise TdataError(
                _("{path} ends too early: expected {what}.").format(
                    path=self._path, what=localize(self._what)
                )
            )
        chunk = self._data[self._pos : self._pos + count]
        self._pos += count
        return chunk

    def u32(self) -> int:
        """A big-endian unsigned 32-bit integer."""
        return int(struct.unpack(">I", self._take(4))[0])

    def i32(self) -> int:
        """A big-endian signed 32-bit integer."""
        return int(struct.unpack(">i", self._take(4))[0])

    def u64(self) -> int:
        """A big-endian unsigned 64-bit integer."""
        return int(struct.unpack(">Q", self._take(8))[0])

    def raw(self, count: int) -> bytes:
        """`count` bytes as they are."""
        return self._take(count)

    def byte_array(self) -> bytes | None:
        """A QByteArray: its length, then its bytes (None for a null one)."""
        length = self.u32()
        if length == NULL_BYTES:
            return None
        return self._take(length)

    def at_end(self) -> bool:
        """Whether everything has been read."""
        return self._pos >= len(self._data)


# ------------------------------------------------------------------------- crypto
def create_local_key(passcode: bytes, salt: bytes) -> bytes:
    """The key a passcode opens (Telegram Desktop's CreateLocalKey): PBKDF2-HMAC-SHA512
    of SHA-512(salt + passcode + salt), one round for an empty passcode."""
    rounds = STRONG_ITERATIONS if passcode else 1
    secret = hashlib.sha512(salt + passcode + salt).digest()
    return hashlib.pbkdf2_hmac("sha512", secret, salt, rounds, LOCAL_KEY_LEN)


def argon2id_key(passcode: bytes, salt: bytes, memory_kib: int, passes: int, lanes: int) -> bytes:
    """The 256-byte Argon2id (v1.3) key a passcode opens in Telegram Desktop 7.3+."""
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        kdf = Argon2id(
            salt=salt, length=LOCAL_KEY_LEN, iterations=passes, lanes=lanes, memory_cost=memory_kib
        )
        return kdf.derive(passcode)
    except (ImportError, UnsupportedAlgorithmError) as exc:
        raise TdataError(
            _(
                "This folder's passcode needs Argon2id, which this Python's 'cryptography' "
                "package cannot do ({name}); install cryptography 44 or newer."
            ).format(name=type(exc).__name__)
        ) from None


def _aes_key_iv(key: bytes, msg_key: bytes) -> tuple[bytes, bytes]:
    """The AES key and IV old MTProto derives from an auth key and a message key
    (the receiving direction, offset 8, which local storage uses)."""
    x = 8
    sha_a = hashlib.sha1(msg_key + key[x : x + 32]).digest()
    sha_b = hashlib.sha1(key[x + 32 : x + 48] + msg_key + key[x + 48 : x + 64]).digest()
    sha_c = hashlib.sha1(key[x + 64 : x + 96] + msg_key).digest()
    sha_d = hashlib.sha1(msg_key + key[x + 96 : x + 128]).digest()
    aes_key = sha_a[:8] + sha_b[8:20] + sha_c[4:16]
    aes_iv = sha_a[8:20] + sha_b[:8] + sha_c[16:20] + sha_d[:8]
    return aes_key, aes_iv


def decrypt_local(encrypted: bytes, key: bytes) -> bytes | None:
    """The plaintext of an encrypted block, without its length prefix and padding;
    None when `key` is not the one it was encrypted with (or the block is damaged)."""
    from telethon.crypto import AES

    if len(encrypted) <= 16 or len(encrypted) % 16:
        return None
    msg_key, body = encrypted[:16], encrypted[16:]
    aes_key, aes_iv = _aes_key_iv(key, msg_key)
    plain = AES.decrypt_ige(body, aes_key, aes_iv)
    if hashlib.sha1(plain).digest()[:16] != msg_key:
        return None
    length = struct.unpack("<I", plain[:4])[0]
    if not 4 <= length <= len(plain) or length <= len(body) - 16:
        return None
    return plain[4:length]
