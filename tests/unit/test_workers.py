"""The worker pool: parsing runs in worker processes at a lower priority than the reader."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

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


async def test_workers_start_without_the_parents_main_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A main script as heavy as the `readerterm` command's: it loads asyncio and more.
    script = tmp_path / "heavy_main.py"
    script.write_text("import asyncio\nimport xml.dom.minidom\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    pool = CpuPool(processes=1)
    try:
        pool.start("json")
        loaded = await pool.run(eval, "sorted(__import__('sys').modules)")
    finally:
        pool.close()
    assert "json" in loaded
    assert "xml.dom.minidom" not in loaded and "asyncio" not in loaded
    assert main.__file__ == str(script) and main.__spec__ is None  # as it was


async def test_ctrl_c_is_for_the_reader_not_its_workers() -> None:
    import signal

    pool = CpuPool(processes=1)
    try:
        assert await pool.run(signal.getsignal, signal.SIGINT) == signal.SIG_IGN
    finally:
        pool.close()
