"""The monitor's batched saver: every result is saved, in order, before its check ends;
a save that fails is logged and does not stop the others."""

from __future__ import annotations

import asyncio
import threading

from tgtui.telegram.saving_batch import BatchSaver


async def test_saves_run_in_order_off_the_loop_and_each_waits_for_its_own() -> None:
    written: list[int] = []
    threads: set[int] = set()

    def write(item: int) -> None:
        threads.add(threading.get_ident())
        written.append(item)

    saver: BatchSaver[int] = BatchSaver(write)
    futures = [saver.save(i) for i in range(50)]
    await futures[0]
    assert written[0] == 0
    await asyncio.gather(*futures)
    assert written == list(range(50))
    assert threading.get_ident() not in threads


async def test_a_failing_save_is_logged_and_the_rest_still_saved(caplog) -> None:
    written: list[int] = []

    def write(item: int) -> None:
        if item == 1:
            raise OSError("disk full")
        written.append(item)

    saver: BatchSaver[int] = BatchSaver(write)
    await asyncio.gather(*(saver.save(i) for i in range(3)))
    assert written == [0, 2]
    assert "saving a check result failed" in caplog.text


async def test_results_arriving_one_by_one_are_written_in_few_batches() -> None:
    """At low concurrency results come in one at a time; each used to cost a thread
    hand-off of its own (the CPU a check costs)."""
    loop = asyncio.get_running_loop()
    handoffs: list[object] = []
    real = loop.run_in_executor

    def counted(executor, func, *args):  # type: ignore[no-untyped-def]
        handoffs.append(func)
        return real(executor, func, *args)

    loop.run_in_executor = counted  # type: ignore[method-assign]
    try:
        written: list[int] = []
        saver: BatchSaver[int] = BatchSaver(written.append, delay=0.05)
        futures = []
        for i in range(10):
            futures.append(saver.save(i))
            await asyncio.sleep(0.002)
        await asyncio.gather(*futures)
    finally:
        del loop.run_in_executor
    assert written == list(range(10))
    assert len(handoffs) <= 2


async def test_flush_writes_at_once_what_waits_for_its_batch() -> None:
    written: list[int] = []
    saver: BatchSaver[int] = BatchSaver(written.append, delay=60.0)
    future = saver.save(7)
    saver.flush()
    await asyncio.wait_for(future, 5.0)
    assert written == [7]
