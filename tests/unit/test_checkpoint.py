"""The checkpoint thread copies the write-ahead log into the database when nudged."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from readerterm.library.writer import StoreWriter
from readerterm.store import (
    SQLITE_AUTOCHECKPOINT_PAGES,
    WRITER_AUTOCHECKPOINT_PAGES,
    Checkpointer,
    Store,
)


def test_a_nudge_copies_what_was_written_into_the_database(tmp_path: Path) -> None:
    path = tmp_path / "rt.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # only the thread checkpoints
    writer.execute("CREATE TABLE t (x BLOB)")
    writer.execute("INSERT INTO t VALUES (zeroblob(2000000))")
    assert path.stat().st_size < 1_000_000  # still in the -wal file
    checkpointer = Checkpointer(str(path))
    try:
        checkpointer.nudge()
        for _ in range(500):  # a bounded wait for the thread, not a timing
            if path.stat().st_size >= 2_000_000:
                break
            time.sleep(0.01)
        assert path.stat().st_size >= 2_000_000
    finally:
        checkpointer.close()
        writer.close()


def test_close_without_a_nudge_ends_the_thread_and_a_bad_path_is_no_error(
    tmp_path: Path,
) -> None:
    for path in (tmp_path / "rt.db", tmp_path / "missing" / "rt.db"):  # (cannot open: logged)
        checkpointer = Checkpointer(str(path))
        checkpointer.close()
        assert not checkpointer._thread.is_alive()


async def test_the_writer_leaves_checkpoints_to_the_thread(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    writer = StoreWriter(store)
    try:
        pages = await writer.run(lambda s: s.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        assert pages == WRITER_AUTOCHECKPOINT_PAGES
        # The reader's connection leaves its checkpoints to the thread too, meanwhile.
        assert autocheckpoint(store) == WRITER_AUTOCHECKPOINT_PAGES
    finally:
        writer.close()
    assert autocheckpoint(store) == SQLITE_AUTOCHECKPOINT_PAGES
    store.close()


def autocheckpoint(store: Store) -> int:
    return int(store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def test_a_close_that_comes_just_before_the_wake_up_is_cleared_still_ends_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # close() sets "stopping", then "wanted". Arriving after the thread's gathering wait
    # but before it clears "wanted", its wake-up is cleared: the thread must still see
    # "stopping" rather than wait for a nudge forever (it used to, and close with it).
    import threading

    from readerterm.store import checkpoint

    original_event = threading.Event
    made: list[threading.Event] = []

    class CloseArrivesNow(original_event):
        fired = False

        def clear(self) -> None:
            if not self.fired:
                self.fired = True
                made[1].set()  # _stopping, then _wanted: what close() does
                self.set()
            super().clear()

    def event() -> threading.Event:
        made.append(CloseArrivesNow() if not made else original_event())
        return made[-1]

    monkeypatch.setattr(checkpoint, "GATHER_SECONDS", 0.001)
    Store(tmp_path / "rt.db").close()
    monkeypatch.setattr(threading, "Event", event)
    checkpointer = Checkpointer(str(tmp_path / "rt.db"))  # made[0] is _wanted, [1] _stopping
    monkeypatch.setattr(threading, "Event", original_event)
    checkpointer.nudge()
    checkpointer._thread.join(10)  # a bounded wait: a hang fails instead of stopping the run
    assert not checkpointer._thread.is_alive()
