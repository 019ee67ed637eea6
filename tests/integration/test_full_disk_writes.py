"""Issue 6, storage and processes: a disk that fills while a feed update is written.

The database is capped at its current size (SQLite's max_page_count) or the child
process's file size is limited (RLIMIT_FSIZE): the write fails with a clear reason, and
what was stored before stays as it was.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from child import WAIT, database
from readerterm.errors import StoreError
from readerterm.library import Library
from readerterm.models import ArticleFilter, RefreshStatus, Validators
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from testserver import LocalServer


def reason_after(message: str, path: Path) -> str:
    """The part of an error message after the file it names (the file name, a test's
    temporary folder, may itself hold words such as "full")."""
    assert f"{path}: " in message, message
    return message.split(f"{path}: ", 1)[1]


def fill_up(store: Store) -> None:
    """Let the database grow no further than it is now (SQLite's max_page_count)."""
    connection: sqlite3.Connection = store.db  # the only way in: a per-connection limit
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")


def big_update(count: int, version: str) -> bytes:
    items = "".join(
        f"<item><guid>{version}-{i}</guid><title>Story {i} {version}</title>"
        f"<description>{(f'Paragraph {i} of a long story. ' * 200)}</description></item>"
        for i in range(count)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News {version}</title>'
        f"{items}</channel></rss>"
    ).encode()


def test_a_full_disk_fails_the_write_and_keeps_what_was_there(tmp_path: Path) -> None:
    library = Library(Store(tmp_path / "readerterm.db"))
    try:
        feed = library.subscriptions.subscribe("https://news.test/feed.xml")
        library.refresher.ingest_document(feed.id, big_update(5, "old"))
        before = library.reading.article_ids(feed_id=feed.id)
        library.reading.set_read(before[0], True)
        fill_up(library.store)

        with pytest.raises(StoreError) as caught:
            library.refresher.ingest_document(feed.id, big_update(30, "new"))

        message = str(caught.value)
        assert str(tmp_path / "readerterm.db") in message
        assert "database or disk is full" in reason_after(message, tmp_path / "readerterm.db")
        assert "Traceback" not in message and "\n" not in message
        assert library.reading.article_ids(feed_id=feed.id) == before
        assert library.subscriptions.feed(feed.id).title == "News old"
        assert library.reading.article(before[0]).read
        assert library.store.db.integrity_ok()
    finally:
        library.close()


async def test_a_full_disk_during_refresh_fails_that_feed_clearly(
    http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.route("/feed.xml", big_update(5, "old"))
    library = Library(Store(tmp_path / "readerterm.db"), fetcher=Fetcher())
    try:
        feed = library.subscriptions.subscribe(http_server.url("/feed.xml"))
        [first] = [r async for r in library.refresher.refresh()]
        assert first.status is RefreshStatus.UPDATED
        before = library.reading.article_ids(feed_id=feed.id)
        http_server.route("/feed.xml", big_update(30, "new"))
        # A refresh writes through its own connection (the store writer's thread).
        await library.writer.run(fill_up)

        [result] = [r async for r in library.refresher.refresh()]

        assert result.status is RefreshStatus.FAILED
        reason = reason_after(result.error or "", tmp_path / "readerterm.db")
        assert "database or disk is full" in reason, result.error
        assert "Traceback" not in (result.error or "")
        assert library.reading.article_ids(feed_id=feed.id) == before
        assert library.store.subscriptions.validators(feed.id) == Validators()
        assert library.store.db.integrity_ok()
    finally:
        await library.aclose()
        library.close()


LIMITED_FILE_SIZE = """\
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv[0] = "readerterm"
runpy.run_module("readerterm", run_name="__main__", alter_sys=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
def test_a_disk_that_fills_during_a_cli_refresh(
    http_server: LocalServer, home: dict[str, str]
) -> None:
    http_server.route("/feed.xml", big_update(5, "old"))
    library = Library(Store(database(home)))
    feed = library.subscriptions.subscribe(http_server.url("/feed.xml"))
    library.refresher.ingest_document(feed.id, big_update(5, "old"))
    library.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    http_server.route("/feed.xml", big_update(30, "new"))

    result = subprocess.run(
        [sys.executable, "-c", LIMITED_FILE_SIZE, str(64 << 10), "refresh", "--no-pages"],
        env=home,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )

    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    failure = next(line for line in result.stdout.splitlines() if "FAILED" in line)
    reason = reason_after(failure, database(home))
    assert "disk" in reason, failure
    assert "cannot rollback" not in reason, failure
    store = Store(database(home))
    try:
        assert store.db.integrity_ok()
        assert len(store.views.query_ids(ArticleFilter(feed_id=feed.id))) == 5
        assert store.subscriptions.feeds()[0].title == "News old"
    finally:
        store.close()
