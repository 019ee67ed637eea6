"""Issue 3, article pages after their first fetch: extracting a page again by hand (one
that changed, or one that failed), and refreshes of the feed that keep the text already
extracted from the page, whether the feed is unchanged or edits a story's teaser. The news
site they are fetched from is in news_site.py."""

from __future__ import annotations

from datetime import timedelta

from news_site import (
    HARBOUR_POINTS,
    HTML,
    NOW,
    Clock,
    article_page,
    assert_story,
    cache_database,  # noqa: F401  (the fixture `database`)
    fetching_library,  # noqa: F401  (the fixture `library`)
    refresh_and_fetch_pages,
    serve_site,
    settable_clock,  # noqa: F401  (the fixture `clock`)
    summary_feed,
)

from readerterm.library import Library
from readerterm.models import RefreshStatus
from testserver import LocalServer


async def test_extract_page_again_re_extracts(
    http_server: LocalServer, library: Library, clock: Clock
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    harbour = ids["/articles/harbour"]
    first = library.reading.article(harbour)
    changed = [*HARBOUR_POINTS[:2], "The eastern districts will see a new bus service first."]
    http_server.route(
        "/articles/harbour",
        article_page("Harbour budget agreed", "the new harbour", key_points=changed),
        content_type=HTML,
    )
    later = NOW + timedelta(hours=3)
    clock.now = later

    result = await library.pages.extract_page(harbour)

    assert result.error is None
    second = library.reading.article(harbour)
    assert second.key_points == tuple(changed)
    assert second.key_points_origin == "page"
    assert_story(second, "the new harbour")
    assert second.body != first.body
    assert second.extracted_at == later
    assert library.pages.pages_to_fetch() == []


async def test_a_failed_page_can_be_re_extracted_by_hand(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    missing = ids["/articles/missing"]
    http_server.route(
        "/articles/missing",
        article_page("A story that vanished", "the lost town", key_points=HARBOUR_POINTS),
        content_type=HTML,
    )

    assert (await library.pages.extract_page(missing)).error is None

    article = library.reading.article(missing)
    assert article.extracted_at == NOW
    assert_story(article, "the lost town")
    assert article.key_points_origin == "page"


async def test_an_unchanged_feed_keeps_the_extracted_text(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    before = library.reading.article(ids["/articles/harbour"])
    http_server.clear()

    assert [r.status async for r in library.refresher.refresh()] == [RefreshStatus.UPDATED] * 2

    assert library.reading.article(ids["/articles/harbour"]) == before
    assert library.pages.pages_to_fetch() == []


async def test_a_feed_edit_of_the_teaser_keeps_the_extracted_text(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    harbour = ids["/articles/harbour"]
    http_server.route(
        "/feed.xml",
        summary_feed(http_server).replace(
            b"Harbour budget agreed", b"Harbour budget agreed after long debate"
        ),
    )

    [r async for r in library.refresher.refresh()]

    article = library.reading.article(harbour)
    assert article.title == "Harbour budget agreed after long debate"
    assert article.extracted_at == NOW
    assert article.key_points == tuple(HARBOUR_POINTS)
    assert_story(article, "the harbour")
