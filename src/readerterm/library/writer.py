"""A refresh's writes, and the search indexing, on a thread with its own connection.

Storing a feed's update takes milliseconds and indexing it for search more; on the event
loop that freezes the reader while a big refresh streams in. sqlite3 releases the GIL
while SQLite works, so a thread keeps the loop free. Jobs run one at a time, in the order
given, and a second thread copies what they wrote from the write-ahead log into the
database (store/checkpoint.py).

Once asked to (`index_in_background`: the reader does, a command does not), the thread also
indexes queued articles for search, in batches, whenever it has nothing else to do, except
while a refresh holds it back: indexing costs more CPU than storing, and a refresh of
hundreds of feeds ends seconds sooner when the index catches up after it. An in-memory
database cannot be opened twice: its jobs run inline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import StoreError
from ..store import (
    SQLITE_AUTOCHECKPOINT_PAGES,
    WRITER_AUTOCHECKPOINT_PAGES,
    Checkpointer,
    Store,
)

T = TypeVar("T")
log = logging.getLogger(__name__)

_Job = tuple[Callable[[Store], Any], asyncio.Future[Any], asyncio.AbstractEventLoop]


class StoreWriter:
    def __init__(self, store: Store) -> None:
        self._main_store = store
        self._inline = store.path == ":memory:"
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._index_when_idle = False
        """Background indexing is on (the reader turns it on; a command leaves it off)."""
        self._holds = 0
        """Refreshes under way: no background indexing until they end."""
        self._index_wanted = False
        """Something may wait for the index (set by every job, cleared on an empty queue)."""
        self._stop = False

    async def run(self, job: Callable[[Store], T]) -> T:
        """job(store) on the writer's connection; its result or its exception."""
        if self._inline:
            return job(self._main_store)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._start()
        self._jobs.put((job, future, loop))
        return await future

    async def finish_indexing(
        self, progress: Callable[[int], None] | None = None, *, stale: bool = False
    ) -> None:
        """Index everything queued for search (with `stale`, what was indexed the old way
        too), and wait for it. One batch per job, so other jobs go in between and a
        cancelled wait (Ctrl-C) stops after one batch. `progress` is told how many are
        still queued after each batch."""
        while left := await self.run(lambda store: store.search.index_pending(stale=stale)):
            if progress is not None:
                progress(left)

    def index_in_background(self) -> None:
        """From now on, index what waits for search whenever the thread is idle."""
        if self._inline:
            return
        self._start()
        self._index_when_idle = True
        self._index_wanted = True
        self._nudge()

    def hold_indexing(self) -> None:
        """No background indexing until `release_indexing` (one call for each hold)."""
        self._holds += 1

    def release_indexing(self) -> None:
        self._holds = max(0, self._holds - 1)
        if not self._holds and self._index_when_idle:
            self._nudge()

    def _nudge(self) -> None:
        self._jobs.put(None)  # wakes the thread; a None with nothing running is a nudge

    def _should_index(self) -> bool:
        return self._index_when_idle and self._index_wanted and not self._holds

    def close(self) -> None:
        """Stop after the running job; what is still queued for search stays queued."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop = True
            self._jobs.put(None)
            thread.join()
            with contextlib.suppress(StoreError):
                self._main_store.db.set_autocheckpoint(SQLITE_AUTOCHECKPOINT_PAGES)

    def _start(self) -> None:
        if self._thread is None:
            # The checkpoint thread does the reader's share too: a commit of a key press
            # must not copy the log into the database (and wait for the disk) on the loop.
            with contextlib.suppress(StoreError):
                self._main_store.db.set_autocheckpoint(WRITER_AUTOCHECKPOINT_PAGES)
            self._stop = False
            self._thread = threading.Thread(target=self._work, name="store-writer", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        store: Store | None = None
        checkpointer: Checkpointer | None = None
        failure: StoreError | None = None
        try:
            store = Store(self._main_store.path, background=True)
            store.db.set_autocheckpoint(WRITER_AUTOCHECKPOINT_PAGES)
            checkpointer = Checkpointer(store.path)
        except StoreError as error:  # every job gets the reason
            failure = error
        try:
            while not self._stop:
                try:
                    item = self._jobs.get(block=store is None or not self._should_index())
                except queue.Empty:
                    self._index_some(store)
                    if checkpointer is not None:
                        checkpointer.nudge()
                    continue
                if item is None:
                    continue
                job, future, loop = item
                if store is None:
                    _settle(loop, future, error=failure)
                    continue
                self._index_wanted = True
                _run_job(store, job, future, loop)
                if checkpointer is not None:
                    checkpointer.nudge()
        finally:
            if checkpointer is not None:
                checkpointer.close()
            if store is not None:
                store.close()
            self._drain()

    def _index_some(self, store: Store | None) -> None:
        if store is None:
            return
        try:
            self._index_wanted = store.search.index_pending(stale=True) > 0
        except StoreError as error:  # a full disk: the next write or search tries again
            # Not a warning: whoever needs the index (a search, a command) says so.
            log.info("search indexing stopped: %s", error)
            self._index_wanted = False

    def _drain(self) -> None:
        """Jobs still queued at close are refused, so nothing waits for them forever."""
        closed = StoreError(f"{self._main_store.path}: the database was closed")
        with contextlib.suppress(queue.Empty):
            while True:
                item = self._jobs.get_nowait()
                if item is not None:
                    _settle(item[2], item[1], error=closed)


def _run_job(
    store: Store,
    job: Callable[[Store], Any],
    future: asyncio.Future[Any],
    loop: asyncio.AbstractEventLoop,
) -> None:
    try:
        result = job(store)
    except BaseException as error:  # handed to the awaiting coroutine
        _settle(loop, future, error=error)
    else:
        _settle(loop, future, result=result)


def _settle(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    *,
    result: Any = None,
    error: BaseException | None = None,
) -> None:
    def settle() -> None:
        if future.done():  # the awaiting task was cancelled
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    # The loop may be gone (the app quit while a job ran): nobody waits for the result.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(settle)
