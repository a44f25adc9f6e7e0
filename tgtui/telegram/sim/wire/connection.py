"""One client connection to the wire server: key exchange, then encrypted MTProto 2.0.

Encrypted messages are checked as Telegram checks them (msg_id inside the time window,
else ``bad_msg_notification`` 16/17; the server salt, else ``bad_server_salt``), a new
session gets ``new_session_created``, containers and ``gzip_packed`` are unpacked, and
each request goes to the same `SimServer.handle` the in-process sender uses; its answer
comes back as ``rpc_result`` (or a bare ``pong``), several answers in one container.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
import struct
from typing import TYPE_CHECKING, Any

from telethon import errors
from telethon.crypto import AES, AuthKey
from telethon.extensions import BinaryReader
from telethon.network.mtprotostate import MTProtoState
from telethon.tl import functions, types
from telethon.tl.core import GzipPacked, MessageContainer

from tgtui.telegram.sim.state import RpcFailure, SimKey, request_name, serialize, unwrap
from tgtui.telegram.sim.wire.handshake import Handshake, HandshakeError, plain_message
from tgtui.telegram.sim.wire.transport import ServerTransport, TransportError

if TYPE_CHECKING:  # pragma: no cover
    from tgtui.telegram.sim.wire.server import WireFault, WireServer

log = logging.getLogger(__name__)

_RPC_RESULT = 0xF35C6D01
_CONTAINER = 0x73F1F8DC
_HANDSHAKE = ("ReqPqMultiRequest", "ReqPqRequest", "ReqDHParamsRequest", "SetClientDHParamsRequest")
HTTP_PAGE = (
    b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n"
    b"Content-Length: 48\r\nConnection: close\r\n\r\n"
    b"<html><body><h1>400 Bad Request</h1></body></html>"
)


class Hangup(Exception):
    """The server side of this connection is done (a fault, or an unknown key)."""


class WireConnection:
    """Serves one TCP connection on one DC. Also the `Link` SimServer talks to."""

    def __init__(
        self,
        wire: WireServer,
        dc: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.wire, self.dc = wire, dc
        self.reader, self.writer = reader, writer
        self.transport: ServerTransport | None = None
        self.auth_key = AuthKey(None)
        self.no_updates = False
        self.closed = False
        self.stalled = False
        self._key: SimKey | None = None
        self._session_id = 0
        self._seq = 0
        self._last_msg_id = 0
        self._handshake = Handshake(wire.key)

    # ---------------------------------------------------------------- Link (SimServer side)

    def drop(self, error: BaseException) -> BaseException:
        """SimServer cut this connection (offline, scripted drop, forgotten key)."""
        if isinstance(error, errors.AuthKeyNotFound):
            self._write_packet(struct.pack("<i", -404))
        self.close()
        return error

    def deliver_update(self, update: Any) -> bool:
        """Send a server-pushed update (e.g. UpdateLoginToken) to this client."""
        if self.closed or self.no_updates or self._key is None:
            return False
        self._send([(bytes(update), True)], response=False)
        return True

    # ---------------------------------------------------------------- lifecycle

    def close(self, *, reset: bool = False) -> None:
        """Close the socket (with a TCP reset when ``reset``)."""
        if self.closed:
            return
        self.closed = True
        if self._key is not None and self in self._key.senders:
            self._key.senders.remove(self)
        if reset:
            sock = self.writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.writer.transport.abort()
        else:
            self.writer.close()

    async def run(self) -> None:
        """Serve until the client leaves or a fault ends the connection."""
        try:
            if await self._fault("connect", None):
                return
            self.wire.sim.check_connect(None)
            self.transport = await ServerTransport.accept(
                self.reader, self.writer, self.wire.secret
            )
            while not self.closed:
                packet = await self.transport.read_packet()
                if self.stalled:
                    continue
                if len(packet) < 8:
                    raise TransportError("short packet")
                if packet[:8] == bytes(8):
                    await self._plain(packet)
                else:
                    await self._encrypted(packet)
                await self.writer.drain()
        except (
            asyncio.IncompleteReadError,
            ConnectionError,
            TransportError,
            HandshakeError,
            Hangup,
        ) as exc:
            log.debug("wire DC %s: connection ends: %s", self.dc, exc)
        finally:
            self.close()

    # ---------------------------------------------------------------- faults

    async def _fault(self, step: str, request: str | None) -> bool:
        """Apply a scripted fault for this step; True when it ended or stalled the link."""
        fault = self.wire.match_fault(self.dc, step, request)
        if fault is None:
            return False
        await self._apply(fault)
        return True

    async def _apply(self, fault: WireFault) -> None:
        kind = fault.kind
        if kind == "stall":
            self.stalled = True
            if self.transport is None:  # before any frame: read and ignore everything
                while await self.reader.read(4096):
                    pass
                self.close()
            return
        if kind == "reset":
            if fault.after_bytes:
                await self.reader.readexactly(fault.after_bytes)
            self.close(reset=True)
            return
        if kind == "http":
            self.writer.write(HTTP_PAGE)
        elif kind == "random":
            self.writer.write(os.urandom(fault.after_bytes or 95))
        elif kind == "truncate":
            frame = self._frame_for_fault(os.urandom(120))
            self.writer.write(frame[: len(frame) // 2])
        if not self.writer.is_closing():
            # Send it all and half-close, as a web server would; closing at once with
            # unread client bytes would make the kernel send a reset instead.
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.drain()
                if self.writer.can_write_eof():
                    self.writer.write_eof()
                await asyncio.sleep(0.2)
        self.close()

    def _frame_for_fault(self, payload: bytes) -> bytes:
        if self.transport is None:
            return struct.pack("<ii", len(payload) + 12, 0) + payload + bytes(4)
        return self.transport.frame(payload)

    # ---------------------------------------------------------------- key exchange

    async def _plain(self, packet: bytes) -> None:
        with BinaryReader(packet[8:]) as reader:
            reader.read_long()  # msg_id
            length = reader.read_int()
            body = reader.read(length)
        with BinaryReader(body) as reader:
            request = reader.tgread_object()
        name = type(request).__name__
        if name not in _HANDSHAKE:
            raise Hangup(f"unencrypted {name}")
        if await self._fault("handshake", name):
            return
        shake = self._handshake
        shake.server_time = self.wire.now(self.dc)
        answer: Any
        if name in ("ReqPqMultiRequest", "ReqPqRequest"):
            shake.offered_fingerprint = self.wire.offered_fingerprint(self.dc)
            answer = shake.req_pq(request)
        elif name == "ReqDHParamsRequest":
            answer = shake.req_dh_params(request)
        else:
            answer, raw = shake.set_client_dh(request)
            self.wire.sim.register_key(raw, self.dc)
            self.wire.stats["keys"] += 1
        self._write_packet(plain_message(answer, self._new_msg_id(response=True)))

    # ---------------------------------------------------------------- encrypted messages

    def _find_key(self, key_id: int) -> SimKey | None:
        key = self.wire.sim.keys.get(key_id)
        if key is None or key.forgotten:
            return None
        if self.wire.sim.enforce_dcs and key.dc != self.dc:
            return None  # auth keys are per DC, as on Telegram
        return key

    async def _encrypted(self, packet: bytes) -> None:
        key_id = struct.unpack("<Q", packet[:8])[0]
        key = self._find_key(key_id)
        if key is None:
            self._write_packet(struct.pack("<i", -404))
            raise Hangup("unknown auth key")
        if self._key is None:
            self._key = key
            self.auth_key = AuthKey(key.key)
        msg_key = packet[8:24]
        aes_key, aes_iv = MTProtoState._calc_key(key.key, msg_key, True)
        plain = AES.decrypt_ige(packet[24:], aes_key, aes_iv)
        if hashlib.sha256(key.key[88:120] + plain).digest()[8:24] != msg_key:
            raise Hangup("msg_key does not match")
        salt, session_id, msg_id, seq_no, length = struct.unpack("<qqqii", plain[:32])
        self._session_id = session_id
        if not self._time_ok(msg_id, seq_no):
            return
        expected = self.wire.salt_for(key.key_id)
        if salt != expected:
            bad = types.BadServerSalt(msg_id, seq_no, 48, expected)
            self._send([(bytes(bad), False)], response=True)
            return
        out: list[tuple[bytes, bool]] = []
        if self.wire.new_session(key.key_id, session_id):
            created = types.NewSessionCreated(
                msg_id, int.from_bytes(os.urandom(8), "big") >> 1, salt
            )
            out.append((bytes(created), False))
        with BinaryReader(plain[32 : 32 + length]) as reader:
            obj = reader.tgread_object()
        trip = self.wire.sim.new_trip()  # one packet from the client: one round trip
        await self._message(msg_id, seq_no, obj, out, trip)
        if out and not self.closed:
            self._send(out, response=True)

    def _time_ok(self, msg_id: int, seq_no: int) -> bool:
        now = self.wire.now(self.dc)
        sent = msg_id >> 32
        code = 16 if sent < now - 300 else 17 if sent > now + 30 else 0
        if code:
            bad = types.BadMsgNotification(msg_id, seq_no, code)
            self._send([(bytes(bad), False)], response=True)
            self.wire.stats["bad_time"] += 1
            return False
        return True

    async def _message(
        self, msg_id: int, seq_no: int, obj: Any, out: list[tuple[bytes, bool]], trip: int
    ) -> None:
        if isinstance(obj, MessageContainer):
            for inner in obj.messages:
                await self._message(inner.msg_id, inner.seq_no, inner.obj, out, trip)
            return
        if isinstance(obj, GzipPacked):
            with BinaryReader(obj.data) as reader:
                obj = reader.tgread_object()
        while isinstance(obj, functions.InvokeAfterMsgRequest):
            obj = obj.query
        if isinstance(obj, (types.MsgsAck, types.MsgsStateReq, types.MsgResendReq)):
            return
        if self.stalled or self.closed:
            return
        inner = unwrap(obj)[0]
        if isinstance(inner, functions.InitConnectionRequest):
            inner = unwrap(inner.query)[0]
        name = request_name(inner)
        if await self._fault("request", name):
            return
        if seq_no % 2:
            out.append((bytes(types.MsgsAck([msg_id])), False))
        self._attach()
        try:
            result = await self.wire.sim.handle(self, obj, trip=trip)
        except RpcFailure as failure:
            body = bytes(types.RpcError(failure.code, failure.message))
        except errors.RPCError as exc:
            body = bytes(types.RpcError(exc.code or 400, exc.message or type(exc).__name__))
        except (ConnectionError, errors.AuthKeyNotFound):
            self.close()
            return
        else:
            if isinstance(result, types.Pong):
                out.append((bytes(types.Pong(msg_id, result.ping_id)), True))
                return
            body = GzipPacked.gzip_if_smaller(True, serialize(result))
        out.append((struct.pack("<Iq", _RPC_RESULT, msg_id) + body, True))

    def _attach(self) -> None:
        key = self._key
        if key is not None and self not in key.senders and not self.closed:
            key.senders.append(self)

    # ---------------------------------------------------------------- writing

    def _new_msg_id(self, *, response: bool) -> int:
        now = self.wire.now(self.dc)
        msg_id = (int(now) << 32) | (int((now % 1) * 2**30) << 2)
        msg_id = (msg_id & ~3) | (1 if response else 3)
        if msg_id <= self._last_msg_id:
            msg_id = self._last_msg_id + 4
        self._last_msg_id = msg_id
        return msg_id

    def _seq_no(self, content_related: bool) -> int:
        if content_related:
            self._seq += 1
            return self._seq * 2 - 1
        return self._seq * 2

    def _send(self, messages: list[tuple[bytes, bool]], *, response: bool) -> None:
        """Encrypt and send ``messages`` (body, content_related), several in a container."""
        if self.closed or self._key is None:
            return
        if len(messages) == 1:
            body, related = messages[0]
            msg_id, seq_no = self._new_msg_id(response=response), self._seq_no(related)
        else:
            parts = []
            for body, related in messages:
                inner_id = self._new_msg_id(response=response)
                parts.append(struct.pack("<qii", inner_id, self._seq_no(related), len(body)) + body)
            body = struct.pack("<Ii", _CONTAINER, len(parts)) + b"".join(parts)
            msg_id, seq_no = self._new_msg_id(response=response), self._seq_no(False)
        salt = self.wire.salt_for(self._key.key_id)
        data = struct.pack("<qqqii", salt, self._session_id, msg_id, seq_no, len(body)) + body
        data += os.urandom(-(len(data) + 12) % 16 + 12)
        key = self._key.key
        msg_key = hashlib.sha256(key[96:128] + data).digest()[8:24]
        aes_key, aes_iv = MTProtoState._calc_key(key, msg_key, False)
        packet = (
            struct.pack("<Q", self._key.key_id) + msg_key + AES.encrypt_ige(data, aes_key, aes_iv)
        )
        self._write_packet(packet)

    def _write_packet(self, data: bytes) -> None:
        if self.transport is not None and not self.writer.is_closing():
            self.transport.write_packet(data)
