"""Issue 7, retention: `retention_days` and a feed's `item_limit` delete old articles at
refresh (and ingest), never starred or later ones, never ones the feed still carries.

A fixed, movable clock stands in for time; refreshes go over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from readerterm.config import Config, FeedConfig
from readerterm.errors import UsageError
from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from testserver import LocalServer

FEED_URL = "https://retained.test/feed.xml"
START = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


Story = tuple[str, datetime]
"""guid, published"""


def rss(*stories: Story) -> bytes:
    items = "".join(
        f'<item><guid isPermaLink="false">{guid}</guid><title>Story {guid}</title>'
        f"<link>https://retained.test/{guid}</link>"
        f"<pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
        f"<description>Words about {guid}.</description></item>"
        for guid, published in stories
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Retained</title>'
        f"<link>https://retained.test/</link>{items}</channel></rss>"
    ).encode()


def day(n: int) -> datetime:
    """Noon on day n of May 2024 (day 32 is June 1)."""
    return datetime(2024, 5, 1, 12, 0, tzinfo=UTC) + timedelta(days=n - 1)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def library(tmp_path: Path, clock: Clock) -> Iterator[Library]:
    opened = Library(Store(tmp_path / "cache.sqlite"), offline=True, clock=clock)
    try:
        yield opened
    finally:
        opened.close()


def guids(library: Library, feed_id: int) -> set[str]:
    return {library.reading.article(i).guid for i in library.reading.article_ids(feed_id=feed_id)}


def id_of(library: Library, feed_id: int, guid: str) -> int:
    for article_id in library.reading.article_ids(feed_id=feed_id):
        if library.reading.article(article_id).guid == guid:
            return article_id
    raise AssertionError(f"{guid} is not stored")


def test_old_articles_gone_from_the_feed_are_deleted_except_starred_and_later(
    library: Library, clock: Clock
) -> None:
    library.settings.configure(Config(retention_days=7))
    feed_id = library.subscriptions.subscribe(FEED_URL).id
    first = rss(
        ("starred", day(1)),
        ("later", day(2)),
        ("tagged", day(2)),
        ("old", day(3)),
        ("recent", day(28)),
        ("current", day(31)),
    )
    library.refresher.ingest_document(feed_id, first)
    # all are in the document: none deleted, whatever their age
    assert guids(library, feed_id) == {"starred", "later", "tagged", "old", "recent", "current"}
    starred = id_of(library, feed_id, "starred")
    library.store.articles.set_starred(starred, True)
    library.store.articles.set_flag([id_of(library, feed_id, "later")], "later", True)
    # A tag is the user keeping a story too (retention deleted it, and its tag).
    library.reading.set_article_tags(id_of(library, feed_id, "tagged"), ["keepme"])
    old = id_of(library, feed_id, "old")

    library.refresher.ingest_document(feed_id, rss(("current", day(31)), ("new", day(32))))

    assert guids(library, feed_id) == {"starred", "later", "tagged", "recent", "current", "new"}
    with pytest.raises(UsageError):
        library.reading.article(old)
    assert library.reading.article(starred).starred
    assert old not in library.reading.article_ids(search="old")

    # nine days on, "recent" is past the limit; "current" is old but still in the feed
    clock.advance(days=9)
    library.refresher.ingest_document(feed_id, rss(("current", day(31)), ("new", day(32))))
    assert guids(library, feed_id) == {"starred", "later", "tagged", "current", "new"}


def test_undated_articles_age_from_when_they_were_first_seen(
    library: Library, clock: Clock
) -> None:
    library.settings.configure(Config(retention_days=3))
    feed_id = library.subscriptions.subscribe(FEED_URL).id
    undated = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Undated</title>'
        b'<item><guid isPermaLink="false">u1</guid>'
        b"<title>No date</title></item></channel></rss>"
    )
    library.refresher.ingest_document(feed_id, undated)
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>U</title></channel></rss>'

    clock.advance(days=2)
    library.refresher.ingest_document(feed_id, empty)
    assert guids(library, feed_id) == {"u1"}

    clock.advance(days=2)
    library.refresher.ingest_document(feed_id, empty)
    assert guids(library, feed_id) == set()


def test_no_retention_keeps_everything(library: Library, clock: Clock) -> None:
    library.settings.configure(Config(retention_days=0))
    feed_id = library.subscriptions.subscribe(FEED_URL).id
    library.refresher.ingest_document(feed_id, rss(("a", day(1)), ("b", day(2))))
    clock.advance(days=3650)

    library.refresher.ingest_document(feed_id, rss(("c", day(3))))

    assert guids(library, feed_id) == {"a", "b", "c"}


def test_item_limit_keeps_the_newest_plus_starred_and_later(library: Library) -> None:
    library.settings.configure(Config(feeds=(FeedConfig(url=FEED_URL, item_limit=3),)))
    feed_id = library.subscriptions.subscribe(FEED_URL).id
    library.refresher.ingest_document(feed_id, rss(*((f"d{n}", day(n)) for n in range(1, 7))))
    # six in the document: all kept although the limit is three
    assert guids(library, feed_id) == {"d1", "d2", "d3", "d4", "d5", "d6"}
    library.store.articles.set_starred(id_of(library, feed_id, "d1"), True)
    library.store.articles.set_flag([id_of(library, feed_id, "d2")], "later", True)

    library.refresher.ingest_document(feed_id, rss(("d5", day(5)), ("d6", day(6)), ("d7", day(7))))

    assert guids(library, feed_id) == {"d1", "d2", "d5", "d6", "d7"}


def test_item_limit_applies_to_its_own_feed_only(library: Library) -> None:
    other_url = "https://unlimited.test/feed.xml"
    library.settings.configure(Config(feeds=(FeedConfig(url=FEED_URL, item_limit=1),)))
    limited = library.subscriptions.subscribe(FEED_URL).id
    unlimited = library.subscriptions.subscribe(other_url).id
    for feed_id in (limited, unlimited):
        library.refresher.ingest_document(feed_id, rss(("a", day(1)), ("b", day(2))))
        library.refresher.ingest_document(feed_id, rss(("c", day(3))))

    assert guids(library, limited) == {"c"}
    assert guids(library, unlimited) == {"a", "b", "c"}


def test_item_limit_and_retention_days_together(library: Library) -> None:
    library.settings.configure(
        Config(retention_days=10, feeds=(FeedConfig(url=FEED_URL, item_limit=4),))
    )
    feed_id = library.subscriptions.subscribe(FEED_URL).id
    library.refresher.ingest_document(
        feed_id, rss(("ancient", day(2)), ("r1", day(25)), ("r2", day(26)), ("r3", day(27)))
    )
    library.refresher.ingest_document(
        feed_id, rss(("r4", day(28)), ("r5", day(29)), ("r6", day(30)))
    )
    # "ancient" is past ten days; then the newest four are r3..r6
    assert guids(library, feed_id) == {"r3", "r4", "r5", "r6"}


# -- through a real refresh ------------------------------------------------------------------


@pytest.fixture
async def online(tmp_path: Path, clock: Clock) -> AsyncIterator[Library]:
    opened = Library(Store(tmp_path / "online.sqlite"), fetcher=Fetcher(), clock=clock)
    try:
        yield opened
    finally:
        await opened.aclose()
        opened.close()


async def refresh(library: Library) -> list[RefreshStatus]:
    return [result.status async for result in library.refresher.refresh()]


async def test_refresh_applies_retention(
    http_server: LocalServer, online: Library, clock: Clock
) -> None:
    url = http_server.url("/feed.xml")
    online.settings.configure(Config(retention_days=5, feeds=(FeedConfig(url=url, item_limit=10),)))
    feed_id = online.subscriptions.subscribe(url).id
    http_server.route("/feed.xml", rss(("old", day(20)), ("starred", day(21)), ("kept", day(31))))
    assert await refresh(online) == [RefreshStatus.UPDATED]
    online.store.articles.set_starred(id_of(online, feed_id, "starred"), True)

    http_server.route("/feed.xml", rss(("kept", day(31)), ("fresh", day(32))))
    clock.advance(hours=1)
    assert await refresh(online) == [RefreshStatus.UPDATED]

    assert guids(online, feed_id) == {"starred", "kept", "fresh"}


async def test_a_failed_refresh_deletes_nothing(
    http_server: LocalServer, online: Library, clock: Clock
) -> None:
    url = http_server.url("/feed.xml")
    online.settings.configure(Config(retention_days=1))
    feed_id = online.subscriptions.subscribe(url).id
    http_server.route("/feed.xml", rss(("a", day(30)), ("b", day(31))))
    await refresh(online)
    http_server.route("/feed.xml", b"<html>maintenance</html>", content_type="text/html")
    clock.advance(days=30)

    assert await refresh(online) == [RefreshStatus.FAILED]
    assert guids(online, feed_id) == {"a", "b"}


async def test_retention_also_runs_when_the_feed_is_not_modified(
    http_server: LocalServer, online: Library, clock: Clock
) -> None:
    url = http_server.url("/feed.xml")
    online.settings.configure(Config(retention_days=5))
    feed_id = online.subscriptions.subscribe(url).id
    http_server.route("/feed.xml", rss(("departed", day(30)), ("stays", day(31))), etag='"1"')
    await refresh(online)
    http_server.route("/feed.xml", rss(("stays", day(31))), etag='"2"')
    await refresh(online)  # "departed" left the feed but is only two days old: kept
    assert guids(online, feed_id) == {"departed", "stays"}

    clock.advance(days=10)
    assert await refresh(online) == [RefreshStatus.NOT_MODIFIED]

    assert guids(online, feed_id) == {"stays"}
