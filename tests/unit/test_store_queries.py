"""store: article lists (order, filters), rows and flags, and search with special
characters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from store_helpers import add_feed, guid_of, ids, stored, update

from readerterm.store import Store


@pytest.fixture
def two_feeds(store: Store) -> tuple[Store, int, int]:
    one = add_feed(store, "https://one.example/feed")
    two = add_feed(store, "https://two.example/feed")
    update(
        store,
        one,
        stored("old", published=datetime(2024, 1, 1, tzinfo=UTC)),
        stored("mid", published=datetime(2024, 3, 1, tzinfo=UTC)),
    )
    update(store, two, stored("new", published=datetime(2024, 5, 1, tzinfo=UTC)))
    return store, one, two


def test_article_ids_newest_first_and_ties_in_document_order(store: Store) -> None:
    feed_id = add_feed(store)
    same = datetime(2024, 2, 2, tzinfo=UTC)
    update(store, feed_id, stored("x", published=same), stored("y", published=same))
    assert [guid_of(store, i) for i in ids(store)] == ["x", "y"]
    update(store, feed_id, stored("z"), stored("x", published=same), stored("y", published=same))
    assert [guid_of(store, i) for i in ids(store)][1:] == ["x", "y"]


def test_article_ids_filters(two_feeds: tuple[Store, int, int]) -> None:
    store, one, two = two_feeds
    every = ids(store)
    assert [guid_of(store, i) for i in every] == ["new", "mid", "old"]
    assert [guid_of(store, i) for i in ids(store, feed_id=one)] == ["mid", "old"]
    assert [guid_of(store, i) for i in ids(store, feed_id=two)] == ["new"]
    mid = every[1]
    store.articles.set_read([mid], True)
    assert mid not in ids(store, unread=True)
    assert len(ids(store, unread=True)) == 2
    assert ids(store, starred=True) == []
    store.articles.set_starred(every[2], True)
    assert ids(store, starred=True) == [every[2]]
    assert ids(store, feed_id=one, unread=True) == [every[2]]
    assert store.subscriptions.total_unread() == 2
    assert store.subscriptions.feed(one).unread == 1  # type: ignore[union-attr]


def test_article_rows_in_the_order_given(two_feeds: tuple[Store, int, int]) -> None:
    store, _, _ = two_feeds
    order = list(reversed(ids(store)))
    rows = store.articles.article_rows([*order, 99999])
    assert [row.id for row in rows] == order
    assert all(row.feed_title == "Feed title" for row in rows)


def test_flags_and_missing_articles(two_feeds: tuple[Store, int, int]) -> None:
    store, _, _ = two_feeds
    first = ids(store)[0]
    store.articles.set_read([first], True)
    assert store.articles.flags([first, 99999], "read") == {first: True}
    assert store.articles.article(99999) is None


@pytest.fixture
def searchable(store: Store) -> Store:
    feed_id = add_feed(store)
    update(
        store,
        feed_id,
        stored("pct", title="Prices fall 50% in a day", body="Markets"),
        stored("under", title="snake_case names", body="Python style"),
        stored("quote", title='He said "no" to O\'Brien', body="Politics"),
        stored("plain", title="Nothing special", body="Weather report"),
    )
    return store


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("50%", {"pct"}),
        ("prices", {"pct"}),
        ("weather", {"plain"}),  # bodies are searched too
        ("O'Brien", {"quote"}),
        ('"no"', {"quote"}),
        ("snake_case", {"under"}),
        ("%", set()),
        ("_", set()),
        ('"', set()),
        ("'", set()),
        ("%%%", set()),
        ("NEAR(", set()),
        ("title:x OR", set()),
        ("AND", set()),
        ("*", set()),
    ],
)
def test_search_with_special_characters(searchable: Store, words: str, expected: set[str]) -> None:
    found = {guid_of(searchable, i) for i in ids(searchable, words=words)}
    assert found == expected
