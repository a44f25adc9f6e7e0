"""MTProto TCP transports, server side: full, intermediate, abridged, and obfuscated2.

The first bytes a client sends say which transport it speaks: ``0xef`` abridged,
``0xeeeeeeee`` intermediate, ``0xdddddddd`` padded intermediate, a 64-byte random header
for obfuscated2 (optionally keyed with an MTProxy secret), anything else the full
transport (length, sequence number, body, CRC32).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import struct
from zlib import crc32

from telethon.crypto import AESModeCTR

MAX_PACKET = 1 << 24  # what we accept from a client before calling it garbage


class TransportError(Exception):
    """The client's bytes are not a transport frame we understand."""


class _Plain:
    """Reads and writes the raw stream."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def readexactly(self, n: int) -> bytes:
        return await self.reader.readexactly(n)

    def write(self, data: bytes) -> None:
        self.writer.write(data)


class _Obfuscated(_Plain):
    """obfuscated2: AES-CTR both ways, keys from the client's 64-byte header."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        header: bytes,
        secret: bytes | None,
    ) -> None:
        super().__init__(reader, writer)
        reversed_ = header[55:7:-1]
        dec_key, dec_iv = header[8:40], header[40:56]
        enc_key, enc_iv = reversed_[:32], reversed_[32:48]
        if secret:
            dec_key = hashlib.sha256(dec_key + secret).digest()
            enc_key = hashlib.sha256(enc_key + secret).digest()
        self._decrypt = AESModeCTR(bytes(dec_key), bytes(dec_iv))
        self._encrypt = AESModeCTR(bytes(enc_key), bytes(enc_iv))
        self.tag = self._decrypt.encrypt(bytes(header))[56:60]

    async def readexactly(self, n: int) -> bytes:
        return self._decrypt.encrypt(await self.reader.readexactly(n))

    def write(self, data: bytes) -> None:
        self.writer.write(self._encrypt.encrypt(data))


class ServerTransport:
    """One client connection's framing: `read_packet()` and `write_packet()`."""

    def __init__(self, io: _Plain, mode: str, first: bytes = b"") -> None:
        self.io = io
        self.mode = mode  # "full" | "intermediate" | "padded" | "abridged"
        self._first = first  # bytes of a full-transport frame already read while sniffing
        self._send_seq = 0
        self._recv_seq = 0

    @classmethod
    async def accept(
        cls,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        secret: bytes | None = None,
    ) -> ServerTransport:
        """Read the client's first bytes and pick its transport."""
        head = await reader.readexactly(1)
        if head == b"\xef":
            return cls(_Plain(reader, writer), "abridged")
        head += await reader.readexactly(3)
        if head == b"\xee\xee\xee\xee":
            return cls(_Plain(reader, writer), "intermediate")
        if head == b"\xdd\xdd\xdd\xdd":
            return cls(_Plain(reader, writer), "padded")
        length = struct.unpack("<i", head)[0]
        if 12 <= length <= MAX_PACKET:
            second = await reader.readexactly(4)
            if struct.unpack("<i", second)[0] == 0:  # a full-transport frame, seq 0
                return cls(_Plain(reader, writer), "full", head + second)
            head += second
        else:
            head += await reader.readexactly(4)
        header = head + await reader.readexactly(56)
        io = _Obfuscated(reader, writer, header, secret)
        modes = {
            b"\xef\xef\xef\xef": "abridged",
            b"\xee\xee\xee\xee": "intermediate",
            b"\xdd\xdd\xdd\xdd": "padded",
        }
        mode = modes.get(io.tag)
        if mode is None:
            raise TransportError("unknown transport header")
        return cls(io, mode)

    async def read_packet(self) -> bytes:
        """The next frame's payload."""
        io = self.io
        if self.mode == "full":
            if self._first:
                head, self._first = self._first, b""
            else:
                head = await io.readexactly(8)
            length, seq = struct.unpack("<ii", head)
            if not 12 <= length <= MAX_PACKET:
                raise TransportError(f"bad frame length {length}")
            rest = await io.readexactly(length - 8)
            body, crc = rest[:-4], struct.unpack("<I", rest[-4:])[0]
            if crc32(head + body) != crc:
                raise TransportError("bad CRC32")
            self._recv_seq = seq + 1
            return body
        if self.mode == "abridged":
            first = (await io.readexactly(1))[0]
            length = first
            if first >= 0x7F:
                length = int.from_bytes(await io.readexactly(3), "little")
            return await io.readexactly(length * 4)
        length = struct.unpack("<i", await io.readexactly(4))[0]
        if not 0 < length <= MAX_PACKET:
            raise TransportError(f"bad frame length {length}")
        data = await io.readexactly(length)
        if self.mode == "padded" and len(data) % 4:
            data = data[: len(data) - len(data) % 4]
        return data

    def frame(self, data: bytes) -> bytes:
        """``data`` framed for this transport (not yet obfuscated)."""
        if self.mode == "full":
            head = struct.pack("<ii", len(data) + 12, self._send_seq)
            self._send_seq += 1
            return head + data + struct.pack("<I", crc32(head + data))
        if self.mode == "abridged":
            words = len(data) // 4
            if words < 0x7F:
                return bytes([words]) + data
            return b"\x7f" + words.to_bytes(3, "little") + data
        if self.mode == "padded":
            data += os.urandom(int.from_bytes(os.urandom(1), "big") % 4)
        return struct.pack("<i", len(data)) + data

    def write_packet(self, data: bytes) -> None:
        """Frame and send one payload."""
        self.io.write(self.frame(data))

    def write_raw(self, data: bytes) -> None:
        """Send bytes as they are (through the obfuscation, if any): for wire faults."""
        self.io.write(data)
