"""`MonitorThread`: a `SessionMonitor` on its own event loop, in its own thread.

The app's event loop draws the screen and handles keys. When the monitor ran on it, a
sweep of 1,000 accounts at concurrency 32 queued dozens of check steps (connects,
Telethon's packing, lock and session reads) in front of every keypress. Here the checks
run on a loop of their own; their results reach the caller in batches, at most every
`deliver_every` seconds, through one callback call per batch (which runs in the
monitor's thread: post a message from it, as Textual allows from any thread).

Telethon clients are bound to the loop they were made on: every check is made, run and
closed on the monitor's loop, so nothing crosses over but the results.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import threading
from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from tgtui.telegram.monitor import SessionMonitor

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.health import Health

T = TypeVar("T")

DELIVER_EVERY = 0.1  # seconds: results are handed over in batches, at most this late


def _load_telethon() -> None:
    """Import Telethon (the first check would), then keep everything alive so far out of
    the garbage collector's full passes: with Telethon's thousands of classes in them,
    those passes took 20-60 ms, pauses that a keypress on the app's thread waits behind."""
    import telethon  # noqa: F401

    gc.freeze()


class MonitorThread:
    """The `SessionMonitor` API (run, sweep, refresh, health, all, aclose) with the
    monitor's work on a private event loop in a daemon thread."""

    def __init__(
        self,
        tg: Telegram,
        on_changes: Callable[[list[Health]], object],
        *,
        deliver_every: float = DELIVER_EVERY,
        **options: Any,
    ) -> None:
        self._on_changes = on_changes
        self._deliver_every = deliver_every
        self._batch: list[Health] = []
        self._timer: asyncio.TimerHandle | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="tgtui-monitor", daemon=True)
        self._thread.start()
        self._closed = False
        self._stopped = False
        self.monitor: SessionMonitor = self._submit(self._make(tg, options)).result()
        self._loop.call_soon_threadsafe(_load_telethon)  # not while the caller waits

    async def _make(self, tg: Telegram, options: dict[str, Any]) -> SessionMonitor:
        return SessionMonitor(tg, on_change=self._collect, **options)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            # What reached the loop as it stopped (the app quitting at once) is cancelled
            # and run to its end, as asyncio.run does: never left unstarted, which Python
            # reports in the user's terminal after the app has gone.
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            if pending:
                self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.close()

    # ------------------------------------------------------------------ delivery
    def _collect(self, health: Health) -> None:
        """On the monitor's loop: keep `health` for the next batch."""
        self._batch.append(health)
        if self._timer is None:
            self._timer = self._loop.call_later(self._deliver_every, self._deliver)

    def _deliver(self) -> None:
        """On the monitor's loop: hand the batch over (one callback call)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, []
        if batch:
            self._on_changes(batch)

    async def _then_deliver(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro`; whatever it reported is delivered before it returns."""
        try:
            return await coro
        finally:
            self._deliver()

    def _submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _on_loop(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await `coro` running on the monitor's loop (cancelling this cancels it)."""
        if self._stopped:  # the loop has stopped, or is stopping: nothing would run it
            coro.close()
            raise asyncio.CancelledError
        wrapped = self._then_deliver(coro)
        future = self._submit(wrapped)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            if future.cancelled() and not future.running():
                # Cancelled before the monitor's loop started it (the app quit at once):
                # close both coroutines, or Python warns at exit that they were never
                # awaited (in the user's terminal, after the app is gone).
                wrapped.close()
                coro.close()
            raise

    # ------------------------------------------------------------------ the API
    def health(self, name: str) -> Health | None:
        """The latest Health of `name` (None before its first check)."""
        return self.monitor.health(name)

    def all(self) -> dict[str, Health]:
        """The latest Health of every account checked so far."""
        return self.monitor.all()

    def refresh(self, name: str | None = None) -> None:
        """Check `name` (or every account) now."""
        if not self._closed:
            self._loop.call_soon_threadsafe(self.monitor.refresh, name)

    async def run(self) -> None:
        """Check accounts forever, until cancelled or closed."""
        await self._on_loop(self.monitor.run())

    async def sweep(self, names: Iterable[str] | None = None) -> list[Health]:
        """One pass over `names` (default: every account) now."""
        return await self._on_loop(self.monitor.sweep(names))

    async def aclose(self) -> None:
        """Stop the monitor and its checks, then the thread (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._on_loop(self.monitor.aclose())
        finally:  # the thread ends (and closes its loop) once the loop stops
            self._stopped = True
            self._loop.call_soon_threadsafe(self._loop.stop)
