"""Run pure, CPU-heavy functions (feed parsing, HTML extraction) off the event loop.

feedparser and BeautifulSoup hold the GIL: in a thread they still slow the UI's event loop,
so a refresh of many feeds uses worker processes. Small jobs use a thread, because starting
a worker process (and importing the parsers there) costs more than it saves.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing import resource_tracker
from typing import Any, TypeVar

from .worker_start import import_modules, run_at_low_priority

T = TypeVar("T")


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """While worker processes start, multiprocessing does not see the main module.

    A spawned process first imports the parent's main module (found by its __spec__ or
    __file__), in case a job calls a function defined there. readerterm's jobs never do,
    and for the `readerterm` command that import loads the library, asyncio and httpx
    into every worker: ~0.03 s of CPU and 80 modules each, before its first feed.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    names: tuple[str, ...] = ("__spec__", "__file__")
    saved = {name: vars(main)[name] for name in names if name in vars(main)}
    main.__spec__ = None
    vars(main).pop("__file__", None)
    try:
        yield
    finally:
        vars(main).update(saved)


def default_process_count() -> int:
    """Two workers where there are two cores or more (measured: a 300-feed refresh took
    5.9 s with two on two cores, 8.9 s with one); none on one core."""
    cores = os.cpu_count() or 1
    return min(2, cores) if cores > 1 else 0


class CpuPool:
    def __init__(self, processes: int | None = None) -> None:
        self.processes = default_process_count() if processes is None else processes
        self._executor: ProcessPoolExecutor | None = None

    def start(self, *modules: str) -> None:
        """Start the worker processes now and have each import `modules`, so the first
        real job does not wait ~0.3 s for a process to start and load the parsers (the
        caller goes on meanwhile: fetching, say). Does nothing without worker processes."""
        if self.processes <= 0:
            return
        # One job per worker: the pool starts a process for each job no idle one takes.
        try:
            pool = self._pool()
            with _main_module_hidden():
                for _ in range(self.processes):
                    pool.submit(import_modules, *modules)
        except (BrokenProcessPool, RuntimeError):
            # A worker died since the last refresh (killed, out of memory): `run` starts
            # a new pool when the first job comes.
            self._executor = None

    async def run(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Call function(*args, **kwargs) in a worker process (or a thread without one)."""
        call = partial(function, *args, **kwargs)
        if self.processes <= 0:
            return await asyncio.to_thread(call)
        loop = asyncio.get_running_loop()
        try:
            with _main_module_hidden():  # (submitting may start a process)
                result = loop.run_in_executor(self._pool(), call)
            return await result
        except BrokenProcessPool:
            # A worker died (killed, out of memory): start afresh next time, do this here.
            self._executor = None
            return await asyncio.to_thread(call)

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # Textual replaces sys.stderr with an object whose fileno() is -1; the resource
            # tracker that multiprocessing starts with the first worker would pass that -1 on
            # and fail. Start it against the real stderr first.
            with contextlib.redirect_stderr(sys.__stderr__ or sys.stderr):
                resource_tracker.ensure_running()
            # spawn, not fork: the parent runs an event loop and (in the TUI) threads.
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=run_at_low_priority,
            )
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
