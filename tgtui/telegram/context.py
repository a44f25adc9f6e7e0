"""`Telegram`: the one object the UI and the CLI hold to reach the network layer."""

from __future__ import annotations

import platform
import re
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tgtui
from tgtui.config import Settings

if TYPE_CHECKING:
    from tgtui.accounts import AccountStore
    from tgtui.telegram.demo import DemoHints


def _system_version() -> str:
    uname = platform.uname()
    release = re.sub(r"-.+", "", uname.release or "")
    return " ".join(p for p in (uname.system, release) if p) or "unknown"


class Telegram:
    """The store, the settings, the clock and (in demo/tests) the simulated Telegram.

    Cheap to build and Telethon-free: clients are made on demand by `client.make_client`.
    `flood_until` remembers flood waits seen in this process (by account name), so no
    request is sent to an account inside one even before its status is saved.
    """

    def __init__(
        self,
        store: AccountStore,
        *,
        sim: Any | None = None,
        settings: Settings | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.sim = sim
        self.settings = settings or Settings()
        self.clock = clock
        self.device_model = "tgtui"
        self.app_version = tgtui.__version__
        self.system_version = _system_version()
        self.flood_until: dict[str, datetime] = {}

    @property
    def demo(self) -> DemoHints | None:
        """The demo's hints (codes, a simulated QR scan); None against a real Telegram."""
        if self.sim is None:
            return None
        from tgtui.telegram.demo import DemoHints

        return DemoHints(self.sim)

    def with_store(self, store: AccountStore) -> Telegram:
        """The same Telegram (simulator, settings, clock) over another store."""
        return Telegram(store, sim=self.sim, settings=self.settings, clock=self.clock)

    @property
    def root(self) -> Path:
        """The config root (`<root>/accounts`, `<root>/pending`, ...)."""
        return Path(self.store.root)

    @property
    def pending_dir(self) -> Path:
        """Where login flows keep their session until they are done (the store's)."""
        return Path(self.store.pending_dir)

    def now(self) -> datetime:
        """The current time as an aware UTC datetime, from the injectable clock."""
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    def flood_left(self, name: str, known: datetime | None = None) -> int:
        """Seconds left in a flood wait for account `name` (0 when none)."""
        deadlines = [d for d in (self.flood_until.get(name), known) if d is not None]
        if not deadlines:
            return 0
        left = max(deadlines).timestamp() - self.clock()
        return max(0, int(left + 0.999))

    def __repr__(self) -> str:
        return f"Telegram(root={str(self.root)!r}, sim={'yes' if self.sim else 'no'})"
