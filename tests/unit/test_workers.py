"""The worker pool: parsing runs in worker processes at a lower priority than the reader."""

from __future__ import annotations

import os

import pytest

from readerterm.worker_start import BACKGROUND_NICENESS
from readerterm.workers import CpuPool


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
async def test_worker_processes_run_at_lower_priority_than_the_reader() -> None:
    pool = CpuPool(processes=1)
    try:
        worker_niceness = await pool.run(os.nice, 0)
        worker_pid = await pool.run(os.getpid)
    finally:
        pool.close()
    assert worker_pid != os.getpid()
    assert worker_niceness >= min(os.nice(0) + BACKGROUND_NICENESS, 19)


async def test_start_starts_every_worker_process_at_once() -> None:
    import multiprocessing

    before = set(multiprocessing.active_children())
    pool = CpuPool(processes=2)
    try:
        pool.start("xml.dom.minidom")
        started = set(multiprocessing.active_children()) - before
        assert len(started) == 2  # before any real job was given
        assert await pool.run(os.getpid) in {process.pid for process in started}
    finally:
        pool.close()


async def test_start_without_worker_processes_does_nothing() -> None:
    pool = CpuPool(processes=0)
    pool.start("xml.dom.minidom")
    assert await pool.run(lambda: 42) == 42


async def test_start_after_a_worker_died_does_not_raise_and_jobs_still_run() -> None:
    import signal
    import time

    pool = CpuPool(processes=1)
    try:
        worker = await pool.run(os.getpid)
        os.kill(worker, signal.SIGKILL)
        executor = pool._executor
        for _ in range(500):  # a bounded wait for the pool to notice, not a timing
            if executor is not None and executor._broken:
                break
            time.sleep(0.01)
        pool.start("xml.dom.minidom")  # a refresh starting now must not fail
        assert await pool.run(os.getpid) != worker
    finally:
        pool.close()
