"""An undo the store refuses (a full disk) keeps its step: the next undo takes back the
same change once it can, never an older one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from readerterm.errors import StoreError
from readerterm.library import Library

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
    b"<link>https://news.example/</link>"
    b"<item><guid>a</guid><title>First</title><link>https://news.example/a</link></item>"
    b"<item><guid>b</guid><title>Second</title><link>https://news.example/b</link></item>"
    b"</channel></rss>"
)


@pytest.fixture
def library(open_library: Callable[[datetime], Library]) -> Library:
    return open_library(NOW)


def test_a_refused_undo_keeps_its_step(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = library.subscriptions.subscribe("https://news.example/feed.xml")
    library.refresher.ingest_document(feed.id, FEED)
    first, second = sorted(library.reading.article_ids())
    library.reading.set_starred(first, True)
    library.reading.set_starred(second, True)

    def refused(*args: object) -> None:
        raise StoreError("cannot write the database (disk I/O error): is the disk full?")

    with monkeypatch.context() as patch:
        patch.setattr(library.store.articles, "restore_flags", refused)
        with pytest.raises(StoreError):
            library.reading.undo()
    assert library.reading.article(second).starred  # nothing was undone ...
    undone = library.reading.undo()  # ... and the same change is the one taken back now
    assert undone is not None and undone.before == {second: False}
    assert not library.reading.article(second).starred
    assert library.reading.article(first).starred
    library.reading.undo()
    assert not library.reading.article(first).starred
    assert library.reading.undo() is None
