"""The worker pool: parsing runs in worker processes at a lower priority than the reader."""

from __future__ import annotations

import os

import pytest

from readerterm.workers import BACKGROUND_NICENESS, CpuPool


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
