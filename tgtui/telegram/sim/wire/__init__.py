"""The simulated Telegram on the wire: loopback MTProto listeners, one per DC.

`WireServer` serves the same `SimServer` as the in-process sender over real TCP:
transports, the auth-key exchange with the server's own RSA key (`ServerKey`),
encrypted messages, salts, time checks, DC migration and scriptable wire faults.
See docs/WIRE.md for what it models and what it leaves out.
"""

from __future__ import annotations

from tgtui.telegram.sim.wire.handshake import ServerKey
from tgtui.telegram.sim.wire.server import FAULT_KINDS, FAULT_STEPS, WireFault, WireServer

__all__ = ["FAULT_KINDS", "FAULT_STEPS", "ServerKey", "WireFault", "WireServer"]
