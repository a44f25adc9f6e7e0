"""The wire server: one asyncio TCP listener per simulated DC on loopback.

Every DC serves the same `SimServer` (its users, keys, codes, faults), so the wire and
the in-process sender answer alike; the wire adds the transport, the key exchange with
the server's RSA key, encryption, salts and time checks, per-DC auth keys and migration,
and scriptable wire faults::

    wire = WireServer(sim, ServerKey.load_or_create(path))
    await wire.start()
    host, port = wire.addresses[2]
    await wire.fault("http", step="connect", dc=2)   # the port answers with a web page
    await wire.clear_faults()
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import Counter
from dataclasses import dataclass

from tgtui.telegram.sim.server import SimServer
from tgtui.telegram.sim.wire.connection import WireConnection
from tgtui.telegram.sim.wire.handshake import ServerKey

FAULT_KINDS = ("refuse", "reset", "stall", "http", "random", "truncate", "drop", "wrong_rsa")
FAULT_STEPS = ("connect", "handshake", "request")


@dataclass
class WireFault:
    """A scripted wire fault: what happens, at which step, on which DC (None: every DC).

    ``request`` narrows a handshake or request fault to one request class name;
    ``after_bytes`` is how many client bytes a reset waits for (or how many random
    bytes to send); ``times`` is how many connections it hits (None: until cleared).
    """

    kind: str
    step: str = "connect"
    dc: int | None = None
    request: str | None = None
    after_bytes: int = 0
    times: int | None = None
    hits: int = 0


class WireServer:
    """Loopback MTProto listeners for DCs 1..dcs, serving one `SimServer`."""

    def __init__(
        self,
        sim: SimServer,
        key: ServerKey,
        *,
        dcs: int = 5,
        host: str = "127.0.0.1",
        port_base: int | None = None,
        secret: bytes | None = None,
    ) -> None:
        self.sim = sim
        self.key = key
        self.dcs = list(range(1, dcs + 1))
        self.host = host
        self.port_base = port_base
        self.secret = secret  # MTProxy-style obfuscation secret, if clients use one
        self.addresses: dict[int, tuple[str, int]] = {}
        self.clock_offsets: dict[int, float] = {}
        self.faults: list[WireFault] = []
        self.stats: Counter[str] = Counter()
        self._listeners: dict[int, asyncio.AbstractServer] = {}
        self._connections: set[WireConnection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._salts: dict[int, int] = {}
        self._sessions: set[tuple[int, int]] = set()

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> WireServer:
        """Listen on every DC; fills `addresses` and tells the SimServer about its DCs."""
        for dc in self.dcs:
            port = 0 if self.port_base is None else self.port_base + dc - 1
            await self._listen(dc, port)
        self.sim.enforce_dcs = True
        self.sim.dc_options = dict(self.addresses)
        return self

    async def _listen(self, dc: int, port: int) -> None:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await self._serve(dc, reader, writer)

        listener = await asyncio.start_server(serve, self.host, port)
        self._listeners[dc] = listener
        sock_port = listener.sockets[0].getsockname()[1]
        self.addresses[dc] = (self.host, sock_port)

    async def _serve(
        self, dc: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        conn = WireConnection(self, dc, reader, writer)
        self._connections.add(conn)
        self.stats["connections"] += 1
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await conn.run()
        except asyncio.CancelledError:
            conn.close()  # the loop is shutting down; end quietly, no "exception in callback"
        finally:
            self._connections.discard(conn)
            if task is not None:
                self._tasks.discard(task)

    async def stop(self) -> None:
        """Close every listener and connection."""
        for listener in self._listeners.values():
            listener.close()
        for conn in list(self._connections):
            conn.close()
        for listener in self._listeners.values():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(listener.wait_closed(), 2)
        self._listeners.clear()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=2)

    async def __aenter__(self) -> WireServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def address(self, dc: int) -> str:
        """``host:port`` of a DC."""
        host, port = self.addresses[dc]
        return f"{host}:{port}"

    # ---------------------------------------------------------------- faults

    async def fault(
        self,
        kind: str,
        *,
        step: str = "connect",
        dc: int | None = None,
        request: str | None = None,
        after_bytes: int = 0,
        times: int | None = None,
    ) -> WireFault:
        """Script a wire fault (see `WireFault`); ``refuse`` closes the DC's listener."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown wire fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        if step not in FAULT_STEPS:
            raise ValueError(f"unknown step {step!r}; one of {', '.join(FAULT_STEPS)}")
        fault = WireFault(kind, step, dc, request, after_bytes, times)
        if kind == "refuse":
            for number in [dc] if dc is not None else self.dcs:
                listener = self._listeners.pop(number, None)
                if listener is not None:
                    listener.close()
                    await listener.wait_closed()
        self.faults.append(fault)
        return fault

    async def clear_faults(self) -> None:
        """Lift every fault: refused DCs listen again on their ports, clocks are right."""
        self.faults.clear()
        self.clock_offsets.clear()
        for dc in self.dcs:
            if dc not in self._listeners:
                await self._listen(dc, self.addresses[dc][1])

    def set_clock_offset(self, seconds: float, dc: int | None = None) -> None:
        """The server's clock runs ``seconds`` ahead (negative: behind) on one or every DC."""
        for number in [dc] if dc is not None else self.dcs:
            self.clock_offsets[number] = seconds

    def match_fault(self, dc: int, step: str, request: str | None) -> WireFault | None:
        """The fault that applies now, counting the hit (wrong_rsa is applied elsewhere)."""
        for fault in self.faults:
            if fault.kind in ("refuse", "wrong_rsa") or fault.step != step:
                continue
            if fault.dc is not None and fault.dc != dc:
                continue
            if fault.request is not None and fault.request != request:
                continue
            if (
                step == "handshake"
                and fault.request is None
                and request
                not in (
                    "ReqPqMultiRequest",
                    "ReqPqRequest",
                )
            ):
                continue  # a handshake fault without a request hits the first message
            fault.hits += 1
            if fault.times is not None and fault.hits >= fault.times:
                self.faults.remove(fault)
            self.stats[f"fault:{fault.kind}"] += 1
            return fault
        return None

    def offered_fingerprint(self, dc: int) -> int | None:
        """A wrong key fingerprint to offer in res_pq, if a wrong_rsa fault is on."""
        for fault in self.faults:
            if fault.kind == "wrong_rsa" and (fault.dc is None or fault.dc == dc):
                return self.key.fingerprint ^ 0x5A5A5A5A
        return None

    # ---------------------------------------------------------------- protocol state

    def now(self, dc: int) -> float:
        """This DC's clock: the SimServer's clock plus any scripted offset."""
        return self.sim.clock() + self.clock_offsets.get(dc, 0.0)

    def salt_for(self, key_id: int) -> int:
        """The current server salt of an auth key."""
        salt = self._salts.get(key_id)
        if salt is None:
            salt = int.from_bytes(os.urandom(8), "little", signed=True)
            self._salts[key_id] = salt
        return salt

    def new_session(self, key_id: int, session_id: int) -> bool:
        """True the first time a (key, session id) pair is seen."""
        if (key_id, session_id) in self._sessions:
            return False
        self._sessions.add((key_id, session_id))
        return True
