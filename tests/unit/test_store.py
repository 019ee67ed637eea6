"""store: schema on PRAGMA user_version, one transaction per update, states kept, queries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from readerterm.errors import StoreError
from readerterm.models import ArticleFilter, Validators
from readerterm.store import SCHEMA_VERSION, FetchState, KnownArticle, Store, StoredArticle

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def stored(guid: str, **changes: object) -> StoredArticle:
    base = StoredArticle(
        guid=guid,
        url=f"https://e.org/{guid}",
        title=f"Title {guid}",
        author="Author",
        published=datetime(2024, 5, 1, tzinfo=UTC),
        content_hash=f"hash-{guid}",
        summary=f"Summary of {guid}",
        body=f"Body of {guid}",
        key_points=(f"Point of {guid}",),
        key_points_origin="generated",
        words=3,
        image_url=None,
        needs_page=False,
    )
    return base._replace(**changes)


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    location = ":memory:" if request.param == "memory" else tmp_path / "data" / "rt.db"
    opened = Store(location)
    try:
        yield opened
    finally:
        opened.close()


def add_feed(store: Store, url: str = "https://e.org/feed", title: str | None = None) -> int:
    return store.subscriptions.add_feed(url, title=title, tags=["news"], now=NOW)


def update(
    store: Store, feed_id: int, *articles: StoredArticle, **options: object
) -> tuple[int, int]:
    arguments: dict[str, object] = {
        "title": "Feed title",
        "site_url": "https://e.org/",
        "validators": Validators(etag='"v1"', last_modified="Sat, 01 Jun 2024 10:00:00 GMT"),
        "articles": articles,
        "now": NOW,
    }
    arguments.update(options)
    return store.updates.apply_update(feed_id, **arguments)  # type: ignore[arg-type]


def ids(store: Store, **view: object) -> list[int]:
    return store.views.query_ids(ArticleFilter(**view))  # type: ignore[arg-type]


def guid_of(store: Store, article_id: int) -> str:
    article = store.articles.article(article_id)
    assert article is not None
    return article.guid


# --- schema ------------------------------------------------------------------------------


def test_new_file_gets_the_schema_and_user_version(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "rt.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"feeds", "articles", "article_texts"} <= tables


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "rt.db"
    first = Store(path)
    feed_id = add_feed(first)
    update(first, feed_id, stored("a"))
    first.close()
    second = Store(path)
    try:
        assert [f.url for f in second.subscriptions.feeds()] == ["https://e.org/feed"]
        assert len(ids(second)) == 1
        assert second.db.integrity_ok()
    finally:
        second.close()


def test_memory_store_has_the_schema() -> None:
    store = Store(":memory:")
    try:
        assert store.subscriptions.feeds() == []
        assert store.db.integrity_ok()
    finally:
        store.close()


def test_newer_schema_is_refused_naming_the_file_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "rt.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE future_things (x)")
        db.execute("INSERT INTO future_things VALUES ('kept')")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert str(path) in message
    assert "newer readerterm" in message
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert db.execute("SELECT x FROM future_things").fetchall() == [("kept",)]
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "feeds" not in names


def test_corrupt_file_is_a_store_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rt.db"
    garbage = b"this is not a database at all\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == garbage


def test_unwritable_location_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError) as caught:
        Store(blocker / "rt.db")
    assert str(blocker / "rt.db") in str(caught.value)


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


def test_sort_date_falls_back_to_first_seen(store: Store) -> None:
    feed_id = add_feed(store)
    update(store, feed_id, stored("dated"), stored("undated", published=None))
    newest_first = [guid_of(store, i) for i in ids(store)]
    assert newest_first == ["undated", "dated"]  # first seen NOW is newer than May 1st
    row = store.articles.article_rows(ids(store))[0]
    assert row.published == NOW


# --- queries -----------------------------------------------------------------------------------


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


def test_article_ids_newest_first_and_ties_by_id(store: Store) -> None:
    feed_id = add_feed(store)
    same = datetime(2024, 2, 2, tzinfo=UTC)
    update(store, feed_id, stored("x", published=same), stored("y", published=same))
    x, y = (guid_of(store, i) for i in ids(store))
    assert (x, y) == ("y", "x")


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


def test_known_articles(store: Store) -> None:
    feed_id = add_feed(store)
    update(store, feed_id, stored("a", url=None))
    assert store.updates.known_articles(feed_id) == [KnownArticle("a", None, "hash-a")]


def test_update_of_a_feed_removed_meanwhile_writes_nothing(store: Store) -> None:
    """The reader removes a feed while its refresh is in flight."""
    feed_id = add_feed(store)
    store.subscriptions.remove_feed(feed_id)
    with pytest.raises(StoreError):
        update(store, feed_id, stored("a"))
    assert ids(store, show_hidden=True) == []
    assert store.db.integrity_ok()


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


def test_a_version_3_cache_gets_one_date_index_and_queues_articles_for_search(
    tmp_path: Path,
) -> None:
    from readerterm.store.schema import MIGRATIONS

    path = tmp_path / "rt.db"
    connection = sqlite3.connect(path, isolation_level=None)
    for version in range(3):
        MIGRATIONS[version](connection)  # a cache as version 3 left it: three date indexes
    connection.execute("PRAGMA user_version = 3")
    connection.execute(
        "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://e.org/feed', '2024-01-01')"
    )
    for number, (sort_at, read, dismissed) in enumerate(
        [("2024-01-03", 0, 0), ("2024-01-01", 1, 0), ("2024-01-02", 0, 1), ("2024-01-04", 1, 0)],
        start=1,
    ):
        connection.execute(
            "INSERT INTO articles (id, feed_id, guid, title, sort_at, content_hash, first_seen,"
            " read, dismissed) VALUES (?, 1, ?, 't', ?, 'h', ?, ?, ?)",
            (number, f"g{number}", sort_at, sort_at, read, dismissed),
        )
    connection.close()

    store = Store(path)
    indexes = {
        row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert "articles_by_date" in indexes
    assert not indexes & {"articles_visible", "articles_unread_by_date"}
    assert ids(store) == [4, 1, 2]
    assert ids(store, unread=True) == [1]
    assert ids(store, show_hidden=True) == [4, 1, 3, 2]
    assert ids(store, show_hidden=True, unread=True) == [1, 3]
    # Each list is one walk down the index, never a sort of every article.
    for condition in ("dismissed = 0 AND filtered = 0", "read = 0 AND dismissed = 0", "1"):
        plan = " ".join(
            str(row[3])
            for row in store.db.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM articles WHERE {condition}"
                " ORDER BY sort_at DESC, id DESC"
            )
        )
        assert "COVERING INDEX articles_by_date" in plan and "TEMP B-TREE" not in plan
    # New and changed articles still wait for the search index, and are found once indexed.
    assert store.search.pending_search_count() == 0
    update(store, 1, stored("zeppelin", title="Zeppelin lands"), stored("g1", title="Changed"))
    assert store.search.pending_search_count() == 2
    update(store, 1, stored("zeppelin", title="Zeppelin lands", summary="Again"))
    assert store.search.pending_search_count() == 2
    assert [guid_of(store, i) for i in ids(store, words="zeppelin")] == ["zeppelin"]
    assert store.search.pending_search_count() == 0
