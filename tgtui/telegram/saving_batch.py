"""`BatchSaver`: the monitor's status saves, on one worker thread, in batches.

A save (account.toml written atomically and fsynced, the history appended) blocks, so
it cannot run on the event loop. Handing each one to a thread of its own (one
`asyncio.to_thread` per check) costs a thread wake-up, a GIL hand-over and a loop
wake-up per save: at 1,000 checks a sweep, more CPU than the save itself. Here saves
queue up; one worker thread takes whatever is queued, saves it in order, and wakes the
loop once per batch to resolve the waiting futures. The worker starts `delay` seconds
after the first save of a batch: at low concurrency results arrive one by one, and
without that short wait each became a batch of its own (a thread hand-off each). At
close, `flush` starts it at once, so nothing queued waits on a timer that never fires.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
BATCH_DELAY = 0.02  # seconds a batch waits for more results before it is written


def _resolve(futures: list[asyncio.Future[None]]) -> None:
    for future in futures:
        if not future.done():
            future.set_result(None)


class BatchSaver(Generic[T]):
    """`await saver.save(item)` returns once `write(item)` has run on the worker thread.

    `write` must not raise (a failure is logged and the item counts as done). Items are
    written in the order they were queued; a cancelled waiter does not unqueue its item.
    """

    def __init__(self, write: Callable[[T], object], *, delay: float = BATCH_DELAY) -> None:
        self._write = write
        self._delay = delay
        self._lock = threading.Lock()
        self._queue: list[tuple[T, asyncio.Future[None]]] = []
        self._draining = False
        self._timer: asyncio.TimerHandle | None = None  # touched on the loop only

    def save(self, item: T) -> asyncio.Future[None]:
        """Queue `item`; the future is done once it was written."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._queue.append((item, future))
            start = not self._draining
            self._draining = True
        if start:
            self._timer = loop.call_later(self._delay, self._start, loop)
        return future

    def flush(self) -> None:
        """Start writing what is queued now instead of after the delay (call on the loop)."""
        timer, self._timer = self._timer, None
        if timer is not None and not timer.cancelled():
            timer.cancel()
            self._start(asyncio.get_running_loop())

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        loop.run_in_executor(None, self._drain, loop)

    def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the worker thread: write batches until the queue is empty."""
        while True:
            with self._lock:
                batch, self._queue = self._queue, []
                if not batch:
                    self._draining = False
                    return
            for item, _future in batch:
                try:
                    self._write(item)
                except Exception:  # a save is a cache write: log, never stop the queue
                    log.exception("saving a check result failed")
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(_resolve, [f for _, f in batch])
