"""Issue 3, full text from article pages: a summary-only feed on 127.0.0.1 links to article
pages wrapped in navigation, promos, a cookie banner, related links and a footer. After a
refresh and a page fetch the reader has each page's body and the publisher's key points,
with the page's byline, date and lead image, and reads the same offline afterwards. The
site and its pages are in news_site.py; extracting a page again, and refreshes after a
page was extracted, are in test_pages_updates.py."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from news_site import (
    HARBOUR_POINTS,
    NOW,
    ORCHARD_POINTS,
    STORIES,
    assert_no_chrome,
    assert_story,
    cache_database,  # noqa: F401  (the fixture `database`)
    fetching_library,  # noqa: F401  (the fixture `library`)
    refresh_and_fetch_pages,
    serve_site,
    settable_clock,  # noqa: F401  (the fixture `clock`)
)

from readerterm.library import Library
from testserver import LocalServer


async def test_summary_only_feed_gets_page_text_and_publisher_key_points(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)

    ids, results = await refresh_and_fetch_pages(library, http_server)

    # the full-content feed is never page-fetched
    assert set(results) == {ids[path] for path, _, _ in STORIES}
    assert http_server.requests_to("/articles/full") == []
    assert results[ids["/articles/missing"]].error
    assert all(results[ids[p]].error is None for p, _, _ in STORIES[:3])

    harbour = library.reading.article(ids["/articles/harbour"])
    assert_story(harbour, "the harbour")
    assert_no_chrome(harbour)
    assert harbour.key_points == tuple(HARBOUR_POINTS)
    assert harbour.key_points_origin == "page"
    for point in HARBOUR_POINTS:
        assert point not in harbour.body  # shown once, beside the body
    assert "Key points" not in harbour.body
    assert harbour.author == "Rosa Lind"
    assert harbour.published is not None and harbour.published.date() == date(2024, 5, 30)
    assert harbour.image_url == http_server.url("/images/lead.jpg")
    assert harbour.extracted_at == NOW
    assert not harbour.read

    orchard = library.reading.article(ids["/articles/orchard"])
    assert_story(orchard, "the orchards")
    assert_no_chrome(orchard)
    assert orchard.key_points == tuple(ORCHARD_POINTS)
    assert orchard.key_points_origin == "page"
    for point in ORCHARD_POINTS:
        assert point not in orchard.body
    assert orchard.author == "Tomas Reed"
    assert orchard.published is not None and orchard.published.date() == date(2024, 5, 29)
    assert orchard.image_url == "https://cdn.example.test/orchard.jpg"

    valley = library.reading.article(ids["/articles/valley"])
    assert_story(valley, "the valley")
    assert_no_chrome(valley)
    assert valley.key_points_origin == "generated"
    assert 1 <= len(valley.key_points) <= 5
    flat = " ".join(valley.body.split())
    # each one of the body's sentences, or one of them without an aside (compress.drop_asides)
    assert all(from_one_sentence(point, flat) for point in valley.key_points)
    assert valley.author == "Ada Moss"

    full = library.reading.article(ids["/articles/full"])
    assert full.extracted_at is None
    assert_story(full, "the fens")


def from_one_sentence(point: str, body: str) -> bool:
    """Whether the pieces of `point` between its commas come, in order, from one sentence."""
    pieces = [piece.strip() for piece in point.rstrip(".").split(",") if piece.strip()]
    for sentence in re.split(r"(?<=[.!?])\s+", body):
        position = 0
        for piece in pieces:
            position = sentence.find(piece, position)
            if position < 0:
                break
            position += len(piece)
        else:
            return True
    return False


async def test_a_page_that_fails_is_recorded_and_not_retried(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, results = await refresh_and_fetch_pages(library, http_server)
    missing = ids["/articles/missing"]

    assert "404" in (results[missing].error or "")
    assert library.pages.pages_to_fetch() == []  # neither the failed page nor the done ones
    article = library.reading.article(missing)
    assert article.extracted_at is None
    assert "This page is gone." in article.body  # the feed's summary is still there
    assert len(http_server.requests_to("/articles/missing")) == 1


async def test_pages_read_the_same_offline_without_any_request(
    http_server: LocalServer, library: Library, database: Path
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    online = {article_id: library.reading.article(article_id) for article_id in ids.values()}
    await library.aclose()
    library.close()
    http_server.clear()

    offline = Library.open_at(database, offline=True)
    try:
        for article_id, expected in online.items():
            assert offline.reading.article(article_id) == expected
        assert offline.pages.pages_to_fetch() == []
        again = [r async for r in offline.pages.fetch_pages(list(ids.values()))]
        assert all(r.error for r in again)
        assert (await offline.pages.extract_page(ids["/articles/harbour"])).error
        assert offline.reading.article(ids["/articles/harbour"]) == online[ids["/articles/harbour"]]
    finally:
        await offline.aclose()
        offline.close()
    assert http_server.requests == []


async def test_the_page_date_keeps_its_time_of_day(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)

    harbour = library.reading.article(ids["/articles/harbour"])

    assert harbour.published == datetime(2024, 5, 30, 7, 15, tzinfo=UTC)
