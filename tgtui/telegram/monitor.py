"""`SessionMonitor`: keeps every account's health fresh in the background.

Bounded concurrency (a semaphore), jitter so checks do not bunch up, exponential
backoff for OFFLINE accounts, and never a request to an account inside its flood wait.
Accounts are re-read from the store on every pass, so added and removed accounts are
picked up. Every Health (CHECKING first, then the result) goes to `on_change` and to
the `changes()` iterators.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Any

from tgtui.accounts import Account, State
from tgtui.i18n import N_
from tgtui.logfile import log_path
from tgtui.telegram.errors import to_failure
from tgtui.telegram.health import Health, check, save_health
from tgtui.telegram.saving_batch import BatchSaver

if TYPE_CHECKING:
    from tgtui.telegram.context import Telegram

log = logging.getLogger(__name__)

BACKOFF_CAP = 600.0  # seconds: the longest wait between checks of an OFFLINE account


class SessionMonitor:
    """Checks all accounts every `interval` seconds, at most `concurrency` at once."""

    def __init__(
        self,
        tg: Telegram,
        *,
        interval: float | None = None,
        concurrency: int | None = None,
        jitter: float = 0.1,
        on_change: Callable[[Health], object] | None = None,
        save: bool = True,
        backoff_cap: float = BACKOFF_CAP,
        timeout: float | None = None,
        full: bool = True,
        rng: random.Random | None = None,
    ) -> None:
        self.tg = tg
        self.interval = float(interval if interval is not None else tg.settings.refresh_interval)
        self.concurrency = max(1, int(concurrency or tg.settings.concurrency))
        self.jitter = max(0.0, min(jitter, 0.9))
        self.on_change = on_change
        self.save = save
        self.backoff_cap = max(backoff_cap, self.interval)
        self.timeout = timeout
        self.full = full
        self._rng = rng or random.Random()
        self._sem = asyncio.Semaphore(self.concurrency)
        self._health: dict[str, Health] = {}
        self._due: dict[str, float] = {}  # loop time of the next check
        self._failures: dict[str, int] = {}  # consecutive OFFLINE results
        self._delay: dict[str, float] = {}  # the delay chosen after the last check
        self._forced: set[str] = set()
        self._force_all = False
        self._inflight: dict[str, asyncio.Task[Health]] = {}
        self._wake = asyncio.Event()
        self._queues: list[asyncio.Queue[Health | None]] = []
        self._run_task: asyncio.Task[None] | None = None
        self._closed = False
        self._saver = BatchSaver(functools.partial(save_health, tg))

    # ------------------------------------------------------------------ queries
    def health(self, name: str) -> Health | None:
        """The latest Health of `name` (None before its first check)."""
        return self._health.get(name)

    def all(self) -> dict[str, Health]:
        """The latest Health of every account checked so far."""
        return dict(self._health)

    def next_delay(self, name: str) -> float | None:
        """Seconds the monitor chose to wait after the last check of `name`."""
        return self._delay.get(name)

    # ------------------------------------------------------------------ control
    def refresh(self, name: str | None = None) -> None:
        """Check `name` (or every account) now; wakes the running loop."""
        if name is None:
            self._force_all = True
        else:
            self._forced.add(name)
        self._wake.set()

    async def changes(self) -> AsyncIterator[Health]:
        """Every Health reported from now on, until the monitor is closed."""
        queue: asyncio.Queue[Health | None] = asyncio.Queue()
        self._queues.append(queue)
        try:
            while True:
                item = await queue.get()
                if item is None:
                    return
                yield item
        finally:
            with contextlib.suppress(ValueError):
                self._queues.remove(queue)

    async def run(self) -> None:
        """Check accounts forever (until `aclose`): each when due, or at once on `refresh`."""
        if self._closed:
            return
        self._run_task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        try:
            while not self._closed:
                self._wake.clear()
                accounts = self._accounts()
                now = loop.time()
                force_all, forced = self._force_all, set(self._forced)
                self._force_all = False
                self._forced.clear()
                due = [
                    a
                    for a in accounts
                    if force_all or a.name in forced or self._due.get(a.name, 0.0) <= now
                ]
                if due:
                    await self._check_many(due)
                    continue  # re-read the store: time passed while checking
                waits = [self._due.get(a.name, now) - now for a in accounts]
                sleep = min(waits) if waits else self.interval
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), max(0.0, sleep))
        finally:
            self._run_task = None

    async def sweep(self, names: Iterable[str] | None = None) -> list[Health]:
        """One pass over `names` (default: every account) now; results in name order."""
        wanted = set(names) if names is not None else None
        accounts = [a for a in self._accounts() if wanted is None or a.name in wanted]
        return await self._check_many(accounts)

    async def aclose(self) -> None:
        """Stop: cancel the loop and every check in flight, and wait until they ended."""
        self._closed = True
        self._wake.set()
        self._saver.flush()  # results already queued are written, not left on a timer
        tasks: list[asyncio.Task[Any]] = [t for t in self._inflight.values() if not t.done()]
        run = self._run_task
        if run is not None and run is not asyncio.current_task() and not run.done():
            tasks.append(run)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._inflight.clear()
        for queue in self._queues:
            queue.put_nowait(None)

    async def __aenter__(self) -> SessionMonitor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ internals
    def _accounts(self) -> list[Account]:
        try:
            accounts = self.tg.store.accounts()
        except Exception:
            log.exception("cannot list accounts")
            return []
        names = {a.name for a in accounts}
        for table in (self._health, self._due, self._failures, self._delay):
            for gone in [n for n in table if n not in names]:
                del table[gone]
        return accounts

    def _report(self, health: Health) -> None:
        self._health[health.name] = health
        if self.on_change is not None:
            try:
                self.on_change(health)
            except Exception:
                log.exception("monitor on_change callback failed")
        for queue in self._queues:
            queue.put_nowait(health)

    async def _check_many(self, accounts: list[Account]) -> list[Health]:
        tasks = [self._check_one(a) for a in accounts]
        results = await asyncio.gather(*tasks, return_exceptions=True)
        if self.save:  # the statuses just saved, in the listing index for the next start
            await asyncio.to_thread(self.tg.store.save_index)
        out: list[Health] = []
        for account, res in zip(accounts, results, strict=True):
            if isinstance(res, asyncio.CancelledError):
                raise res
            if isinstance(res, BaseException):
                log.error("health check of %s failed: %r", account.name, res)
                continue
            out.append(res)
        return sorted(out, key=lambda h: h.name)

    def _check_one(self, account: Account) -> asyncio.Task[Health]:
        """The check task of `account`, reusing one in flight (never two at once)."""
        task = self._inflight.get(account.name)
        if task is not None and not task.done():
            return task
        task = asyncio.ensure_future(self._guarded(account))
        self._inflight[account.name] = task
        task.add_done_callback(functools.partial(self._forget, account.name))
        return task

    def _forget(self, name: str, task: asyncio.Task[Health]) -> None:
        if self._inflight.get(name) is task:
            del self._inflight[name]

    async def _guarded(self, account: Account) -> Health:
        async with self._sem:
            self._report(Health.checking(account, self.tg.now()))
            try:
                health = await check(self.tg, account, timeout=self.timeout, full=self.full)
            except Exception as exc:  # a bug, not an account problem: report, do not spin
                log.exception("health check of %s crashed", account.name)
                health = Health(
                    name=account.name,
                    state=State.BROKEN,
                    reason=N_("The check itself failed ({name}); see the log: {path}").format(
                        name=type(exc).__name__, path=log_path()
                    ),
                    checked_at=self.tg.now(),
                    user=account.user,
                    error=to_failure(exc, "session"),
                )
        if self.save:  # outside the slot: a slow disk never holds back the next check
            await self._saver.save(health)
        self._schedule(health)
        self._report(health)
        return health

    def _schedule(self, health: Health) -> None:
        loop = asyncio.get_running_loop()
        name = health.name
        if health.state is State.OFFLINE:
            n = self._failures.get(name, 0) + 1
            self._failures[name] = n
            delay = min(self.interval * (2 ** (n - 1)), self.backoff_cap)
        else:
            self._failures.pop(name, None)
            delay = self.interval
        if self.jitter:
            delay *= 1 + self._rng.uniform(-self.jitter, self.jitter)
        if health.flood_until is not None:
            left = health.flood_until.timestamp() - self.tg.clock()
            delay = max(delay, left + 0.5)
        self._delay[name] = delay
        self._due[name] = loop.time() + delay
