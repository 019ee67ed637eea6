"""store: feeds and what a refresh writes (one transaction per update, states kept).

Opening a file and the schema are tested in test_store_schema.py, article lists and search
in test_store_queries.py.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import NOW, add_feed, guid_of, ids, stored, update

from readerterm.errors import StoreError
from readerterm.models import Validators
from readerterm.store import FetchState, KnownArticle, Store, StoredArticle

# --- feeds ---------------------------------------------------------------------------------


def test_feeds_crud(store: Store) -> None:
    feed_id = add_feed(store, title="My title")
    feed = store.subscriptions.feed(feed_id)
    assert feed is not None
    assert feed.url == "https://e.org/feed"
    assert feed.title == "My title"
    assert feed.tags == ("news",)
    assert feed.unread == feed.total == 0
    assert feed.error is None and feed.last_refresh is None
    assert store.subscriptions.feed_by_url("https://e.org/feed") == feed
    assert store.subscriptions.feed_by_url("https://e.org/other") is None
    with pytest.raises(StoreError):
        add_feed(store)  # the same URL twice
    store.subscriptions.remove_feed(feed_id)
    assert store.subscriptions.feeds() == [] and store.subscriptions.feed(feed_id) is None


def test_feed_title_falls_back_to_the_feed_then_the_url(store: Store) -> None:
    feed_id = add_feed(store)
    assert store.subscriptions.feed(feed_id).title == "https://e.org/feed"  # type: ignore[union-attr]
    update(store, feed_id)
    assert store.subscriptions.feed(feed_id).title == "Feed title"  # type: ignore[union-attr]


def test_removing_a_feed_removes_its_articles(store: Store) -> None:
    keep, drop = add_feed(store, "https://e.org/keep"), add_feed(store, "https://e.org/drop")
    update(store, keep, stored("k"))
    update(store, drop, stored("d1"), stored("d2"))
    store.subscriptions.remove_feed(drop)
    assert [guid_of(store, i) for i in ids(store)] == ["k"]
    assert store.db.integrity_ok()


def test_failure_and_not_modified_are_recorded(store: Store) -> None:
    feed_id = add_feed(store)
    later = NOW + timedelta(hours=2)
    store.subscriptions.record_failure(feed_id, "HTTP 500", now=NOW, retry_after=later)
    feed = store.subscriptions.feed(feed_id)
    assert feed is not None and feed.error == "HTTP 500" and feed.last_refresh == NOW
    assert store.subscriptions.fetch_states()[feed_id].retry_after == later
    store.subscriptions.record_not_modified(feed_id, Validators(etag='"e"'), now=later)
    feed = store.subscriptions.feed(feed_id)
    assert feed is not None and feed.error is None and feed.last_refresh == later
    assert store.subscriptions.validators(feed_id) == Validators(etag='"e"', last_modified=None)
    assert store.subscriptions.fetch_states()[feed_id].retry_after is None


def test_fetch_states_give_every_feeds_validators_and_retry_time(store: Store) -> None:
    waiting, validated = add_feed(store), add_feed(store, "https://other.example/feed")
    later = NOW + timedelta(hours=2)
    store.subscriptions.record_failure(waiting, "HTTP 429", now=NOW, retry_after=later)
    store.subscriptions.record_not_modified(
        validated, Validators(etag='"e"', last_modified="x"), now=NOW
    )
    assert store.subscriptions.fetch_states() == {
        waiting: FetchState(Validators(), later),
        validated: FetchState(Validators(etag='"e"', last_modified="x"), None),
    }


def test_feeds_without_validators_are_the_ones_fetched_whole(store: Store) -> None:
    never = store.subscriptions.add_feed("https://a.example/feed", title=None, tags=(), now=NOW)
    tagged = store.subscriptions.add_feed("https://b.example/feed", title=None, tags=(), now=NOW)
    dated = store.subscriptions.add_feed("https://c.example/feed", title=None, tags=(), now=NOW)
    store.subscriptions.record_not_modified(tagged, Validators(etag='"e"'), now=NOW)
    store.subscriptions.record_not_modified(
        dated, Validators(last_modified="Sat, 01 Jun 2024"), now=NOW
    )
    assert store.subscriptions.without_validators() == {never}


def test_feed_count_counts_feeds(store: Store) -> None:
    assert store.subscriptions.feed_count() == 0
    store.subscriptions.add_feed("https://a.example/feed", title=None, tags=(), now=NOW)
    store.subscriptions.add_feed("https://b.example/feed", title=None, tags=(), now=NOW)
    assert store.subscriptions.feed_count() == len(store.subscriptions.feeds()) == 2


# --- apply_update ----------------------------------------------------------------------------


def test_apply_update_writes_feed_and_articles(store: Store) -> None:
    feed_id = add_feed(store)
    assert update(store, feed_id, stored("a"), stored("b")) == (2, 0)
    feed = store.subscriptions.feed(feed_id)
    assert feed is not None
    assert (feed.title, feed.site_url, feed.unread, feed.total) == (
        "Feed title",
        "https://e.org/",
        2,
        2,
    )
    assert store.subscriptions.validators(feed_id).etag == '"v1"'
    assert {k.guid for k in store.updates.known_articles(feed_id)} == {"a", "b"}
    article = store.articles.article(ids(store)[0])
    assert article is not None
    assert article.body.startswith("Body of")
    assert article.key_points and article.key_points_origin == "generated"
    assert article.read is False and article.starred is False


def test_changed_article_keeps_its_id_and_states(store: Store) -> None:
    feed_id = add_feed(store)
    update(store, feed_id, stored("a"), stored("b"))
    by_guid = {guid_of(store, i): i for i in ids(store)}
    store.articles.set_read([by_guid["a"]], True)
    store.articles.set_starred(by_guid["a"], True)
    changed = stored("a", title="New title", body="New body", content_hash="hash-2")
    assert update(store, feed_id, changed) == (0, 1)
    article = store.articles.article(by_guid["a"])
    assert article is not None
    assert (article.title, article.body) == ("New title", "New body")
    assert article.read is True and article.starred is True
    assert len(ids(store)) == 2


def test_guid_rewrite_updates_the_same_row(store: Store) -> None:
    feed_id = add_feed(store)
    update(store, feed_id, stored("old"))
    (article_id,) = ids(store)
    store.articles.set_read([article_id], True)
    assert update(store, feed_id, stored("new", previous_guid="old")) == (0, 1)
    assert ids(store) == [article_id]
    article = store.articles.article(article_id)
    assert article is not None and article.guid == "new" and article.read is True


def test_a_failure_mid_update_writes_nothing(store: Store) -> None:
    feed_id = add_feed(store)
    update(store, feed_id, stored("a"))
    before_feed = store.subscriptions.feed(feed_id)
    before_known = store.updates.known_articles(feed_id)
    broken = stored("c", title=None)  # NOT NULL violated on the second row
    with pytest.raises(StoreError) as caught:
        update(
            store,
            feed_id,
            stored("b"),
            broken,
            title="Should not be saved",
            validators=Validators(etag='"v2"'),
            now=NOW + timedelta(hours=1),
        )
    assert "could not save" in str(caught.value)
    assert store.subscriptions.feed(feed_id) == before_feed
    assert store.updates.known_articles(feed_id) == before_known
    assert store.subscriptions.validators(feed_id).etag == '"v1"'
    assert store.db.integrity_ok()
    # the store is still usable afterwards
    assert update(store, feed_id, stored("b")) == (1, 0)


def _rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    database = store.db.raw
    return {
        table: database.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in ("articles", "article_texts", "search_pending")
    }


def _varied_articles() -> list[StoredArticle]:
    return [
        stored("plain"),
        stored("undated", published=None, author=None, url=None),
        stored("hidden", filtered=True, key_points=(), key_points_origin=""),
        stored(
            "pending",
            body="",
            words=0,
            body_pending=True,
            feed_html="<p>Story</p>",
            needs_page=True,
            enclosures=("https://e.org/a.mp3",),
            image_url="https://e.org/a.jpg",
        ),
    ]


def test_a_feed_without_articles_gets_them_at_once_as_it_would_one_by_one(
    tmp_path: Path,
) -> None:
    at_once, one_by_one = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    try:
        one_by_one.updates._all_insertable_at_once = lambda *_: False  # type: ignore[method-assign]

        def refuse(*_: object) -> tuple[int, int]:
            raise AssertionError("a feed without articles is written at once")

        for store in (at_once, one_by_one):
            other, feed_id = add_feed(store, "https://other.example/feed"), add_feed(store)
            update(store, other, stored("x"), stored("y"))
            # the largest id so far is gone: the next one is given again, as SQLite does
            store.db.raw.execute("DELETE FROM articles WHERE id = (SELECT max(id) FROM articles)")
        at_once.updates._write_one_by_one = refuse  # type: ignore[method-assign]
        for store in (at_once, one_by_one):
            counts = update(store, feed_id, *_varied_articles(), guids=["plain", "undated"])
            assert counts == (4, 0)
        assert _rows(at_once) == _rows(one_by_one)
        assert len(_rows(at_once)["search_pending"]) == 5
    finally:
        at_once.close()
        one_by_one.close()


def test_articles_of_a_feed_that_has_some_are_written_one_by_one(store: Store) -> None:
    feed_id = add_feed(store)
    update(store, feed_id, stored("a"))
    assert store.updates._all_insertable_at_once(feed_id, [stored("b"), stored("c")]) is False
    other = add_feed(store, "https://other.example/feed")
    assert store.updates._all_insertable_at_once(other, [stored("b"), stored("c")]) is True
    assert store.updates._all_insertable_at_once(other, [stored("b"), stored("b")]) is False
    renamed = [stored("b"), stored("c", previous_guid="old")]
    assert store.updates._all_insertable_at_once(other, renamed) is False


def test_a_failure_in_a_feeds_first_update_writes_nothing(store: Store) -> None:
    feed_id = add_feed(store)
    before = store.subscriptions.feed(feed_id)
    broken = stored("c", title=None)
    with pytest.raises(StoreError):
        update(store, feed_id, stored("a"), stored("b"), broken, title="Not saved")
    assert store.subscriptions.feed(feed_id) == before
    assert store.updates.known_articles(feed_id) == []
    assert store.search.pending_search_count() == 0
    assert update(store, feed_id, stored("a"), stored("b")) == (2, 0)


def test_undated_articles_list_in_the_feeds_order(store: Store) -> None:
    """Undated articles all sort at the refresh's time; the feed's first (its newest) is
    listed first, on the first refresh (one insert for all) and on a later one."""
    feed_id = add_feed(store)
    update(store, feed_id, *(stored(guid, published=None) for guid in "abc"))
    assert [guid_of(store, i) for i in ids(store)] == ["a", "b", "c"]
    update(store, feed_id, *(stored(guid, published=None) for guid in "xyabc"))
    assert [guid_of(store, i) for i in ids(store)] == ["x", "y", "a", "b", "c"]


def test_sort_date_falls_back_to_first_seen(store: Store) -> None:
    feed_id = add_feed(store)
    update(store, feed_id, stored("dated"), stored("undated", published=None))
    newest_first = [guid_of(store, i) for i in ids(store)]
    assert newest_first == ["undated", "dated"]  # first seen NOW is newer than May 1st
    row = store.articles.article_rows(ids(store))[0]
    assert row.published == NOW


def test_known_articles(store: Store) -> None:
    feed_id = add_feed(store)
    update(store, feed_id, stored("a", url=None))
    assert store.updates.known_articles(feed_id) == [KnownArticle("a", None, "hash-a", "Title a")]


def test_update_of_a_feed_removed_meanwhile_writes_nothing(store: Store) -> None:
    """The reader removes a feed while its refresh is in flight."""
    feed_id = add_feed(store)
    store.subscriptions.remove_feed(feed_id)
    with pytest.raises(StoreError):
        update(store, feed_id, stored("a"))
    assert ids(store, show_hidden=True) == []
    assert store.db.integrity_ok()
