"""The store writer: a refresh's writes on their own thread and connection, search
indexing when idle, and errors handed back to the awaiting coroutine."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from readerterm.errors import StoreError
from readerterm.library.writer import StoreWriter
from readerterm.models import ArticleFilter, Validators
from readerterm.store import Store, StoredArticle

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def article(guid: str) -> StoredArticle:
    return StoredArticle(
        guid=guid,
        url=None,
        title=f"Zeppelin {guid}",
        author=None,
        published=NOW,
        content_hash=guid,
        summary="",
        body="over the sea",
        key_points=(),
        key_points_origin="",
        words=3,
        image_url=None,
        needs_page=False,
    )


def write(store: Store, feed: int, articles: list[StoredArticle]) -> tuple[int, int]:
    return store.updates.apply_update(
        feed, title="F", site_url=None, validators=Validators(), articles=articles, now=NOW
    )


async def test_jobs_run_on_another_thread_and_connection(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    writer = StoreWriter(store)
    try:
        thread, connection = await writer.run(lambda s: (threading.get_ident(), s.db.raw))
        assert thread != threading.get_ident()
        assert connection is not store.db.raw
    finally:
        writer.close()
        store.close()


async def test_a_failing_job_raises_in_the_caller_and_the_writer_goes_on(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    writer = StoreWriter(store)

    def broken(_: Store) -> None:
        raise StoreError("disk full")

    try:
        with pytest.raises(StoreError, match="disk full"):
            await writer.run(broken)
        assert await writer.run(lambda s: 42) == 42
    finally:
        writer.close()
        store.close()


async def wait_until_indexed(store: Store) -> None:
    for _ in range(500):  # a bounded wait, not a timing
        if store.search.pending_search_count() == 0:
            return
        await asyncio.sleep(0.01)


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[tuple[Store, int, StoreWriter]]:
    """A store with one feed and a writer over it, both closed afterwards."""
    store = Store(tmp_path / "rt.db")
    feed = store.subscriptions.add_feed("https://e.org/feed", title=None, tags=(), now=NOW)
    writer = StoreWriter(store)
    try:
        yield store, feed, writer
    finally:
        writer.close()
        store.close()


async def test_what_a_job_wrote_is_indexed_in_the_background_once_asked(
    opened: tuple[Store, int, StoreWriter],
) -> None:
    store, feed, writer = opened
    await writer.run(lambda s: write(s, feed, [article(f"g{i}") for i in range(30)]))
    await writer.run(lambda s: None)
    # A command's writer never indexes on its own: it was idle between the two jobs.
    assert store.search.pending_search_count() == 30
    writer.index_in_background()
    await wait_until_indexed(store)
    assert store.search.pending_search_count() == 0
    # Once asked, it goes on indexing what later jobs write.
    await writer.run(lambda s: write(s, feed, [article(f"h{i}") for i in range(5)]))
    await wait_until_indexed(store)
    assert store.search.pending_search_count() == 0


async def test_a_hold_keeps_background_indexing_back_until_released(
    opened: tuple[Store, int, StoreWriter],
) -> None:
    store, feed, writer = opened
    writer.index_in_background()
    writer.hold_indexing()  # as a refresh does while it runs
    await writer.run(lambda s: write(s, feed, [article(f"g{i}") for i in range(20)]))
    await writer.run(lambda s: None)
    assert store.search.pending_search_count() == 20
    writer.release_indexing()
    await wait_until_indexed(store)
    assert store.search.pending_search_count() == 0


async def test_finish_indexing_leaves_nothing_queued(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = store.subscriptions.add_feed("https://e.org/feed", title=None, tags=(), now=NOW)
    write(store, feed, [article("a")])
    writer = StoreWriter(store)
    try:
        await writer.finish_indexing()
        assert store.search.pending_search_count() == 0
    finally:
        writer.close()
        store.close()


async def test_an_in_memory_store_runs_jobs_inline() -> None:
    store = Store(":memory:")
    writer = StoreWriter(store)
    assert await writer.run(lambda s: threading.get_ident()) == threading.get_ident()
    writer.close()
    store.close()


def test_the_readers_write_goes_before_waiting_background_writes() -> None:
    from readerterm.store.base import WriteGate

    gate = WriteGate()
    order: list[str] = []
    background_holds = threading.Event()
    release = threading.Event()

    def hold_in_background() -> None:
        with gate.turn(background=True):
            background_holds.set()
            release.wait(5)
            order.append("first background")

    def another_background() -> None:
        with gate.turn(background=True):
            order.append("second background")

    def foreground() -> None:
        with gate.turn(background=False):
            order.append("foreground")

    holder = threading.Thread(target=hold_in_background)
    holder.start()
    assert background_holds.wait(5)
    waiting_background = threading.Thread(target=another_background)
    waiting_background.start()
    waiting_foreground = threading.Thread(target=foreground)
    waiting_foreground.start()
    # Both wait on the gate (no timing: the gate is held until released below).
    while gate._foreground_waiting == 0:
        threading.Event().wait(0.001)
    release.set()
    for thread in (holder, waiting_background, waiting_foreground):
        thread.join(5)
    assert order == ["first background", "foreground", "second background"]


async def test_a_triage_write_during_a_busy_writer_is_saved(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = store.subscriptions.add_feed("https://e.org/feed", title=None, tags=(), now=NOW)
    write(store, feed, [article("a")])
    [article_id] = store.views.query_ids(ArticleFilter())
    writer = StoreWriter(store)
    try:
        busy = [
            writer.run(lambda s, i=i: write(s, feed, [article(f"b{i}-{n}") for n in range(20)]))
            for i in range(20)
        ]
        jobs = asyncio.gather(*busy)
        await asyncio.sleep(0)
        store.articles.set_read([article_id], True)  # the event loop's own write, mid-stream
        await jobs
        assert store.articles.flags([article_id], "read") == {article_id: True}
    finally:
        writer.close()
        store.close()
