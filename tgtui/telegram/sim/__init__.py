"""The simulated Telegram: one in-process server and Telethon clients wired to it.

Used by the tests, ``tgtui --demo``, the screenshots and the benchmarks, so they all run
Telethon's real code paths (``send_code_request``, ``sign_in`` with SRP, ``qr_login``,
``get_me``, ``log_out``...) against scripted behaviour and faults::

    server = SimServer(clock=clock, seed=1)
    server.add_app(12345, "0123456789abcdef0123456789abcdef")
    server.add_user("+31 6 1234 5678", "Ada", password="pw")
    client = sim_client(server, tmp / "a.session", 12345, "0123...")
    await client.connect()
    await client.send_code_request("+31612345678")
    await client.sign_in("+31612345678", server.last_code("+31612345678"))  # 2FA -> error
    await client.sign_in(password="pw")

Modules: `server` (setup, faults, dispatch), `handlers` (one method per TL request),
`state` (users, keys, codes, tokens), `client` (the replacement for Telethon's
network sender), `srp` (the honest server half of the 2FA check), `world` (the demo scene).

Notes for callers:
- Telethon sleeps flood waits up to ``flood_sleep_threshold`` (default 60 s, wall clock)
  and remembers flood-waited request types on the wall clock; pass
  ``flood_sleep_threshold=0`` to see every FloodWaitError.
- ``QRLogin.wait()`` without a timeout compares ``expires`` (server clock) with the wall
  clock: start a `FakeClock` near ``time.time()`` or pass a timeout.
- A session file whose key this server never issued fails in ``connect()`` with Telethon's
  ``AuthKeyNotFound`` (Telegram's -404); seed files with `SimServer.authorize_session`.
"""

from __future__ import annotations

from tgtui.telegram.sim.client import SimClient, SimSender, sim_client
from tgtui.telegram.sim.server import (
    DC_ADDRESSES,
    PUBLISHED_API_IDS,
    SimKey,
    SimRequest,
    SimServer,
    SimUser,
    normalize_phone,
)

__all__ = [
    "DC_ADDRESSES",
    "PUBLISHED_API_IDS",
    "FakeClock",
    "SimClient",
    "SimKey",
    "SimRequest",
    "SimSender",
    "SimServer",
    "SimUser",
    "normalize_phone",
    "sim_client",
]


class FakeClock:
    """A clock for `SimServer(clock=...)` that only moves when told to."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds
