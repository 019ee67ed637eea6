"""The same story carried by two subscribed feeds (same guid, or same link) is listed once,
and a decision on it holds for both; each feed's own list still has it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.store import SCHEMA_VERSION, Store

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def rss(*items: tuple[str, str | None, str], name: str = "a") -> bytes:
    """items: (guid, link or None, title); the feed is named `name`, its site
    https://NAME.example/"""
    body = "".join(
        f'<item><guid isPermaLink="false">{guid}</guid><title>{title}</title>'
        + (f"<link>{link}</link>" if link else "")
        + "<description>A few words.</description></item>"
        for guid, link, title in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
        f"<link>https://{name}.example/</link>{body}</channel></rss>"
    ).encode()


@pytest.fixture
def library(open_library: Callable[[datetime], Library]) -> Library:
    return open_library(NOW)


def feed_with(library: Library, name: str, *items: tuple[str, str | None, str]) -> int:
    feed = library.subscriptions.subscribe(f"https://{name}.example/feed.xml")
    library.refresher.ingest_document(feed.id, rss(*items, name=name))
    return feed.id


def titles(library: Library, ids: list[int]) -> list[str]:
    return [library.reading.article(i).title for i in ids]


SHARED = ("urn:story:1", "https://news.example/bridge", "Bridge reopens")


def test_a_story_in_two_feeds_is_listed_once_and_in_each_feed(library: Library) -> None:
    a = feed_with(library, "a", SHARED, ("a2", "https://a.example/2", "Only in A"))
    b = feed_with(library, "b", SHARED, ("b2", "https://b.example/2", "Only in B"))
    assert sorted(titles(library, library.reading.article_ids())) == [
        "Bridge reopens",
        "Only in A",
        "Only in B",
    ]
    assert sorted(titles(library, library.reading.article_ids(feed_id=a))) == [
        "Bridge reopens",
        "Only in A",
    ]
    assert sorted(titles(library, library.reading.article_ids(feed_id=b))) == [
        "Bridge reopens",
        "Only in B",
    ]
    assert library.reading.article_ids(search="bridge") == library.reading.article_ids(
        search="bridge", feed_id=a
    )
    assert library.store.subscriptions.total_unread() == 3
    assert [feed.unread for feed in library.subscriptions.feeds()] == [2, 2]


def test_the_same_link_under_another_guid_is_the_same_story(library: Library) -> None:
    feed_with(library, "a", ("a-1", SHARED[1], "Bridge reopens"))
    feed_with(library, "b", ("b-77", SHARED[1], "Bridge reopens to traffic"))
    assert titles(library, library.reading.article_ids()) == ["Bridge reopens"]


def test_a_decision_on_one_copy_holds_for_both_and_undo_undoes_both(library: Library) -> None:
    a = feed_with(library, "a", SHARED)
    b = feed_with(library, "b", SHARED)
    (in_a,) = library.reading.article_ids(feed_id=a)
    (in_b,) = library.reading.article_ids(feed_id=b)
    library.reading.set_read(in_b, True)
    assert library.reading.article(in_a).read and library.reading.article(in_b).read
    assert library.reading.article_ids(unread_only=True) == []
    library.reading.toggle(in_a, "starred")
    assert library.reading.article(in_b).starred
    library.reading.undo()
    assert not library.reading.article(in_b).starred
    library.reading.undo()
    assert not library.reading.article(in_a).read and not library.reading.article(in_b).read
    library.reading.set_flag([in_a], "dismissed", True)
    assert library.reading.article_ids() == []
    assert library.reading.article_ids(feed_id=b) == []


def test_a_copy_arriving_later_takes_the_decisions_already_made(library: Library) -> None:
    a = feed_with(library, "a", SHARED)
    (first,) = library.reading.article_ids(feed_id=a)
    library.reading.set_read(first, True)
    library.reading.set_flag([first], "later", True)
    b = feed_with(library, "b", ("b1", "https://b.example/1", "Other"), SHARED)
    (copy,) = [
        i
        for i in library.reading.article_ids(feed_id=b)
        if library.reading.article(i).title == SHARED[2]
    ]
    assert copy != first
    article = library.reading.article(copy)
    assert article.read and article.later
    assert library.subscriptions.feeds()[1].unread == 1


def test_links_that_name_no_single_story_join_nothing(library: Library) -> None:
    home = "https://a.example/"
    # Two items of A link to the same page, and B's site links there too.
    feed_with(library, "a", ("a1", home, "One"), ("a2", home, "Two"))
    feed_with(library, "b", ("b1", "https://b.example/1", "Three"), ("b2", home, "Four"))
    assert len(library.reading.article_ids()) == 4
    # C's one story links to C's own site, and so does D's: no story either.
    feed_with(library, "c", ("c1", "https://c.example/", "Five"))
    feed_with(library, "d", ("d1", "https://c.example/", "Six"))
    assert len(library.reading.article_ids()) == 6


def test_when_the_first_copy_goes_the_next_is_listed(library: Library) -> None:
    a = feed_with(library, "a", SHARED)
    feed_with(library, "b", SHARED)
    feed_with(library, "c", SHARED)
    assert len(library.reading.article_ids()) == 1
    library.store.subscriptions.remove_feed(a)
    (listed,) = library.reading.article_ids()
    assert library.reading.article(listed).feed_title == "b"
    library.reading.set_read(listed, True)
    assert library.reading.article_ids(unread_only=True) == []


def test_an_upgraded_cache_links_the_copies_it_holds(tmp_path: Path) -> None:
    from readerterm.store.schema import MIGRATIONS

    path = tmp_path / "rt.db"
    connection = sqlite3.connect(path, isolation_level=None)
    for version in range(6):
        MIGRATIONS[version](connection)
    connection.execute("PRAGMA user_version = 6")
    for feed in (1, 2, 3):
        connection.execute(
            "INSERT INTO feeds (id, url, site_url, added_at) VALUES (?, ?, ?, '2024-01-01')",
            (feed, f"https://{feed}.example/feed", f"https://{feed}.example/"),
        )
    rows = [
        (1, 1, "g1", "https://n.example/1", 1),  # first copy, read
        (2, 2, "g1", "https://n.example/1", 0),  # same guid
        (3, 3, "x", "https://n.example/1", 0),  # same link
        (4, 2, "g4", "https://n.example/4", 0),  # alone
    ]
    for article_id, feed, guid, link, read in rows:
        connection.execute(
            "INSERT INTO articles (id, feed_id, guid, url, title, sort_at, content_hash,"
            " first_seen, read) VALUES (?, ?, ?, ?, 't', '2024-01-01', 'h', '2024-01-01', ?)",
            (article_id, feed, guid, link, read),
        )
    connection.close()
    store = Store(path)
    try:
        assert int(store.db.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION
        same_as = dict(store.db.execute("SELECT id, same_as FROM articles").fetchall())
        assert same_as == {1: None, 2: 1, 3: 1, 4: None}
        assert store.views.query_ids(ArticleFilter()) == [4, 1]
        assert not store.articles.flags([2], "read")[2]  # its own state, as it was
    finally:
        store.close()
