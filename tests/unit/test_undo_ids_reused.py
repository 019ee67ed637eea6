"""Undo takes back a change only on the articles it made it on: a feed removed frees its
articles' ids (SQLite gives the next new row the largest id plus one), and a feed added
after it may take them; undo then touched stories never acted on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from readerterm.library import Library

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def feed(name: str) -> bytes:
    items = "".join(
        f"<item><guid>{name}-{n}</guid><title>{name} {n}</title></item>" for n in range(2)
    )
    return f'<rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'.encode()


@pytest.fixture
def library(open_library: Callable[[datetime], Library]) -> Library:
    return open_library(NOW)


def test_undo_after_a_feed_went_and_another_took_its_ids(library: Library) -> None:
    first = library.subscriptions.subscribe("https://uniq.example/feed.xml")
    library.refresher.ingest_document(first.id, feed("Uniq"))
    story = library.reading.article_ids()[0]
    library.reading.set_read(story, True)
    library.reading.set_read(story, False)  # (m twice: the undo would mark it read)
    library.store.subscriptions.remove_feed(first.id)  # (as `readerterm remove` in a shell)
    other = library.subscriptions.subscribe("https://other.example/feed.xml")
    library.refresher.ingest_document(other.id, feed("Other"))
    assert story in library.reading.article_ids()  # the id now names another story
    assert library.reading.undo() is not None
    assert not library.reading.article(story).read  # (was: marked read by the undo)
