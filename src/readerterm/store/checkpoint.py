"""Copying the write-ahead log into the database on a thread of its own.

In WAL mode SQLite appends every commit to the -wal file, and a checkpoint copies those
pages into the database file and waits for the disk (fsync, twice). By default the writing
connection does this itself every ~4 MB; a cold refresh writes ~150 MB, so its writer spent
a third of its time in checkpoints, mostly waiting for the disk: measured, 2.7 s busy for
1.3 s of CPU. Here another connection checkpoints (PASSIVE: it never blocks the writer or
any reader) whenever told that something was written, and the writer goes on meanwhile.
The writer keeps a distant automatic checkpoint of its own in case this one falls behind.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

WRITER_AUTOCHECKPOINT_PAGES = 16384
"""The automatic checkpoint of the writer's connection, and of the reader's while the
writer runs (64 MB of 4 KB pages): a backstop only."""
SQLITE_AUTOCHECKPOINT_PAGES = 1000
"""SQLite's own default, for a connection with no checkpoint thread beside it."""
GATHER_SECONDS = 0.1
"""After a nudge, wait this long for more writes, so one checkpoint copies many."""


class Checkpointer:
    def __init__(self, path: str) -> None:
        self._path = path
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._work, name="store-checkpoint", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Something was committed: checkpoint soon."""
        self._wanted.set()

    def close(self) -> None:
        """Stop after the checkpoint under way (the last connection to close copies the
        rest, as SQLite always does)."""
        self._stopping.set()
        self._wanted.set()
        self._thread.join()

    def _work(self) -> None:
        try:
            connection = sqlite3.connect(self._path, isolation_level=None)
        except sqlite3.Error as error:
            log.info("no checkpoint thread for %s: %s", self._path, error)
            return
        try:
            # `close` sets _stopping before _wanted, and _stopping is never cleared: checked
            # before every wait, it cannot be missed (a wake-up for closing may be cleared).
            while not self._stopping.is_set():
                self._wanted.wait()
                if self._stopping.wait(GATHER_SECONDS):
                    break
                self._wanted.clear()
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as error:  # a full disk: the writer's own backstop stays
                    log.info("checkpoint of %s failed: %s", self._path, error)
        finally:
            connection.close()
