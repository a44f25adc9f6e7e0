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
