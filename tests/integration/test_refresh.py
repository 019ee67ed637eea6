"""Refresher.refresh end to end: real HTTP on 127.0.0.1, real parsing, a real SQLite store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from readerterm.library import PROCESSES_FROM_FEEDS, Library, refresh
from readerterm.models import RefreshResult, RefreshStatus, Validators
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from readerterm.workers.process import ByName
from testserver import LocalServer

ETAG = '"rev-1"'
MODIFIED = "Mon, 06 Jan 2025 08:00:00 GMT"

Item = tuple[str, str, str]
"""guid, title, HTML body"""


def rss(title: str, items: list[Item]) -> bytes:
    entries = "".join(
        f"<item><guid>{escape(guid)}</guid><title>{escape(heading)}</title>"
        f"<link>https://news.test/{escape(guid)}</link>"
        f"<pubDate>Mon, 06 Jan 2025 0{i}:00:00 GMT</pubDate>"
        f"<description>{escape(body)}</description></item>"
        for i, (guid, heading, body) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.test/</link>{entries}"
        "</channel></rss>"
    ).encode()


WORLD = [
    ("w1", "Rivers rise across the valley", "<p>Water levels rose overnight.</p>"),
    ("w2", "Talks resume in the capital", "<p>Delegates met again on Monday.</p>"),
    ("w3", "Harvest comes in early", "<p>Farmers began a week ahead of schedule.</p>"),
]
TECH = [
    ("t1", "A faster compiler ships", "<p>Builds take half the time.</p>"),
    ("t2", "Batteries that last a week", "<p>A new chemistry doubles capacity.</p>"),
]

MakeLibrary = Callable[..., Library]


@pytest.fixture
async def make_library(tmp_path: Path) -> AsyncIterator[MakeLibrary]:
    """Libraries on one database in tmp_path; each closed at the end of the test."""
    made: list[Library] = []

    def make(*, offline: bool = False, **fetch_options: float) -> Library:
        fetcher = None if offline else Fetcher(**fetch_options)  # type: ignore[arg-type]
        library = Library(Store(tmp_path / "cache.sqlite"), fetcher=fetcher, offline=offline)
        made.append(library)
        return library

    yield make
    for library in made:
        await library.aclose()
        library.close()


def subscribe(library: Library, server: LocalServer, *paths: str) -> list[int]:
    return [library.subscriptions.subscribe(server.url(path)).id for path in paths]


def path_of(result: RefreshResult) -> str:
    return "/" + result.feed_url.split("/", 3)[3]


async def refresh_by_path(library: Library) -> dict[str, RefreshResult]:
    return {path_of(r): r async for r in library.refresher.refresh()}


def serve_feeds(server: LocalServer) -> None:
    server.route("/world.xml", rss("World", WORLD), etag=ETAG, last_modified=MODIFIED)
    server.route("/tech.xml", rss("Tech", TECH), etag='"tech-1"')


def titles(library: Library, feed_id: int) -> set[str]:
    ids = library.reading.article_ids(feed_id=feed_id)
    return {row.title for row in library.reading.article_rows(ids)}


async def test_cold_refresh_stores_articles_and_validators(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    serve_feeds(http_server)
    library = make_library()
    world, tech = subscribe(library, http_server, "/world.xml", "/tech.xml")

    results = await refresh_by_path(library)

    assert {p: r.status for p, r in results.items()} == {
        "/world.xml": RefreshStatus.UPDATED,
        "/tech.xml": RefreshStatus.UPDATED,
    }
    assert results["/world.xml"].new_articles == 3
    assert results["/tech.xml"].new_articles == 2
    assert titles(library, world) == {title for _, title, _ in WORLD}
    assert library.subscriptions.feed(world).title == "World"
    assert library.subscriptions.feed(tech).unread == 2
    assert library.store.subscriptions.validators(world) == Validators(ETAG, MODIFIED)
    article = library.reading.article(library.reading.article_ids(feed_id=tech)[0])
    assert article.body  # the feed's content became the body
    assert not article.read


async def test_a_refresh_leaves_indexing_for_later_and_a_search_still_finds_its_stories(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    serve_feeds(http_server)
    library = make_library()
    subscribe(library, http_server, "/world.xml", "/tech.xml")
    await refresh_by_path(library)
    # Stored, not yet indexed: the refresh did not spend its time on the search index.
    assert library.reading.search_pending() == 5
    found = library.reading.article_rows(library.reading.article_ids(search="chemistry"))
    assert [row.title for row in found] == ["Batteries that last a week"]
    assert library.reading.search_pending() == 0


async def test_warm_refresh_is_answered_by_304s(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    serve_feeds(http_server)
    library = make_library()
    (world, _) = subscribe(library, http_server, "/world.xml", "/tech.xml")
    await refresh_by_path(library)
    http_server.clear()

    results = await refresh_by_path(library)

    assert {r.status for r in results.values()} == {RefreshStatus.NOT_MODIFIED}
    world_request = http_server.requests_to("/world.xml")[0].headers
    assert world_request["if-none-match"] == ETAG
    assert world_request["if-modified-since"] == MODIFIED
    assert http_server.requests_to("/tech.xml")[0].headers["if-none-match"] == '"tech-1"'
    assert len(http_server.requests) == 2
    assert len(library.reading.article_ids(feed_id=world)) == 3
    assert library.subscriptions.feed(world).error is None


async def test_a_500_fails_one_feed_and_keeps_its_articles(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    serve_feeds(http_server)
    library = make_library()
    world, tech = subscribe(library, http_server, "/world.xml", "/tech.xml")
    await refresh_by_path(library)
    http_server.route("/world.xml", b"<h1>Internal error</h1>", status=500)
    http_server.route("/tech.xml", rss("Tech", [*TECH, ("t3", "Chips", "<p>Smaller.</p>")]))

    results = await refresh_by_path(library)

    assert results["/world.xml"].status is RefreshStatus.FAILED
    assert results["/world.xml"].error == "HTTP 500 Internal Server Error"
    assert results["/tech.xml"].status is RefreshStatus.UPDATED
    assert results["/tech.xml"].new_articles == 1
    assert library.subscriptions.feed(world).error == "HTTP 500 Internal Server Error"
    assert library.subscriptions.feed(tech).error is None
    assert titles(library, world) == {title for _, title, _ in WORLD}


async def test_a_timeout_fails_only_that_feed(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    serve_feeds(http_server)
    http_server.route("/slow.xml", rss("Slow", WORLD), delay=3)
    # A byte every 0.1 s never trips the read timeout; the per-request deadline stops it.
    http_server.route("/trickle.xml", rss("Trickle", WORLD), trickle=0.1)
    library = make_library(read_timeout=0.6, deadline=1.5)
    subscribe(library, http_server, "/slow.xml", "/trickle.xml", "/tech.xml")

    results = await refresh_by_path(library)

    assert results["/slow.xml"].status is RefreshStatus.FAILED
    assert results["/slow.xml"].error == "127.0.0.1 sent nothing for 0.6 s"
    assert results["/trickle.xml"].status is RefreshStatus.FAILED
    assert results["/trickle.xml"].error == "no complete response within 1.5 s"
    assert results["/tech.xml"].status is RefreshStatus.UPDATED


async def test_many_feeds_parse_in_worker_processes(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    paths = [f"/feed{n}.xml" for n in range(PROCESSES_FROM_FEEDS)]
    for n, path in enumerate(paths):
        items = [(f"{n}-{i}", f"Story {i} of feed {n}", f"<p>Body {i}.</p>") for i in range(4)]
        http_server.route(path, rss(f"Feed {n}", items), etag=f'"{n}"')
    library = make_library(max_per_host=2)
    subscribe(library, http_server, *paths)

    results = await refresh_by_path(library)

    assert {r.status for r in results.values()} == {RefreshStatus.UPDATED}
    assert sum(r.new_articles for r in results.values()) == 4 * len(paths)
    assert len(library.reading.article_ids()) == 4 * len(paths)
    assert http_server.max_concurrent <= 2


async def test_a_redirect_is_followed(http_server: LocalServer, make_library: MakeLibrary) -> None:
    serve_feeds(http_server)
    http_server.route("/old-feed", redirect_to="/world.xml", status=301)
    library = make_library()
    (feed_id,) = subscribe(library, http_server, "/old-feed")

    results = await refresh_by_path(library)

    # A permanent redirect moves the subscription to the feed's new home.
    assert results["/world.xml"].status is RefreshStatus.UPDATED
    assert results["/world.xml"].new_articles == 3
    assert titles(library, feed_id) == {title for _, title, _ in WORLD}
    assert [r.path for r in http_server.requests] == ["/old-feed", "/world.xml"]
    assert library.subscriptions.feed(feed_id).url == http_server.url("/world.xml")

    http_server.clear()
    await refresh_by_path(library)
    assert [r.path for r in http_server.requests] == ["/world.xml"]


async def test_a_changed_article_updates_in_place_and_keeps_its_state(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    http_server.route("/world.xml", rss("World", WORLD), etag='"a"')
    library = make_library()
    (feed_id,) = subscribe(library, http_server, "/world.xml")
    await refresh_by_path(library)
    ids_before = library.reading.article_ids(feed_id=feed_id)
    by_title = {row.title: row.id for row in library.reading.article_rows(ids_before)}
    talks = by_title["Talks resume in the capital"]
    library.reading.set_read(talks, True)
    library.reading.set_starred(talks, True)

    changed = list(WORLD)
    changed[1] = ("w2", "Talks resume and end in agreement", "<p>An accord was signed.</p>")
    http_server.route("/world.xml", rss("World", changed), etag='"b"')
    results = await refresh_by_path(library)

    assert results["/world.xml"].status is RefreshStatus.UPDATED
    assert results["/world.xml"].new_articles == 0
    assert results["/world.xml"].updated_articles == 1
    assert sorted(library.reading.article_ids(feed_id=feed_id)) == sorted(ids_before)
    article = library.reading.article(talks)
    assert article.title == "Talks resume and end in agreement"
    assert "accord" in article.body
    assert article.read
    assert article.starred
    assert library.subscriptions.feed(feed_id).unread == 2
    assert library.store.subscriptions.validators(feed_id).etag == '"b"'


async def test_offline_touches_no_network(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    serve_feeds(http_server)
    online = make_library()
    world, _ = subscribe(online, http_server, "/world.xml", "/tech.xml")
    await refresh_by_path(online)
    cached = online.reading.article(online.reading.article_ids(feed_id=world)[0])
    http_server.clear()

    offline = make_library(offline=True)
    results = await refresh_by_path(offline)

    assert {r.status for r in results.values()} == {RefreshStatus.SKIPPED}
    assert http_server.requests == []
    again = offline.reading.article(cached.id)
    assert (again.title, again.body, again.key_points) == (
        cached.title,
        cached.body,
        cached.key_points,
    )
    assert len(offline.reading.article_ids()) == 5


async def test_retry_after_is_honoured_on_the_next_refresh(
    http_server: LocalServer, make_library: MakeLibrary
) -> None:
    http_server.route("/busy.xml", status=429, headers={"Retry-After": "3600"})
    library = make_library()
    subscribe(library, http_server, "/busy.xml")

    first = await refresh_by_path(library)
    second = await refresh_by_path(library)

    assert first["/busy.xml"].status is RefreshStatus.FAILED
    assert first["/busy.xml"].error == "HTTP 429 Too Many Requests (retry after 3600 s)"
    assert second["/busy.xml"].status is RefreshStatus.SKIPPED
    assert len(http_server.requests) == 1


async def test_a_document_slot_is_given_back_however_the_feed_ends(
    http_server: LocalServer, make_library: MakeLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One slot: were it kept by a feed that failed, every feed after it would wait forever.
    from readerterm.library import refresh as refresh_module

    monkeypatch.setattr(refresh_module, "DOCUMENTS_IN_FLIGHT", 1)
    serve_feeds(http_server)
    http_server.route("/broken.xml", b"<rss><channel><title>Cut", status=200)
    http_server.route("/short.xml", rss("Short", WORLD), content_length=100_000)
    http_server.route("/gone.xml", b"", status=500)
    library = make_library(deadline=5.0)
    subscribe(library, http_server, "/broken.xml", "/short.xml", "/gone.xml")
    subscribe(library, http_server, "/world.xml", "/tech.xml")

    results = await asyncio.wait_for(refresh_by_path(library), timeout=30)

    assert results["/world.xml"].status is RefreshStatus.UPDATED
    assert results["/tech.xml"].status is RefreshStatus.UPDATED
    assert results["/gone.xml"].status is RefreshStatus.FAILED
    assert results["/short.xml"].status is RefreshStatus.FAILED
    # Twice: the slot is free again after a whole refresh too.
    again = await asyncio.wait_for(refresh_by_path(library), timeout=30)
    assert len(again) == 5


async def test_a_feed_that_kills_its_parsing_process_fails_alone(
    http_server: LocalServer, make_library: MakeLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers run this parser instead; it dies on one feed, as a parser crash would.
    monkeypatch.setattr(refresh, "_PREPARE_UPDATE", ByName("crashing_parser", "prepare_update"))
    paths = [f"/feed{n}.xml" for n in range(PROCESSES_FROM_FEEDS)]
    for n, path in enumerate(paths):
        title = "parser-killer" if n == 2 else f"Feed {n}"
        http_server.route(path, rss(title, [(f"{n}-1", f"Story of feed {n}", "<p>Body.</p>")]))
    library = make_library()
    subscribe(library, http_server, *paths)

    results = await refresh_by_path(library)

    failed = results.pop("/feed2.xml")
    assert failed.status is RefreshStatus.FAILED
    assert failed.error == "reading this feed ended the parsing process, twice (out of memory?)"
    assert {r.status for r in results.values()} == {RefreshStatus.UPDATED}
    assert len(library.reading.article_ids()) == len(paths) - 1
