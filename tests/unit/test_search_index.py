"""The search index is filled from a queue: writes queue, index_pending indexes in batches,
a search indexes a short queue first, and an upgraded cache is queued whole."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from readerterm.models import ArticleFilter, Validators
from readerterm.store import SCHEMA_VERSION, Store, StoredArticle, search_index
from readerterm.store.schema import MIGRATIONS

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def add_feed(store: Store) -> int:
    return store.subscriptions.add_feed("https://e.org/feed", title=None, tags=(), now=NOW)


def stored(guid: str, *, title: str = "", body: str = "", content_hash: str = "") -> StoredArticle:
    return StoredArticle(
        guid=guid,
        url=f"https://e.org/{guid}",
        title=title or f"Title {guid}",
        author=None,
        published=NOW,
        content_hash=content_hash or f"hash-{guid}",
        summary="",
        body=body or f"Body of {guid}",
        key_points=(),
        key_points_origin="",
        words=3,
        image_url=None,
        needs_page=False,
    )


def write(store: Store, feed_id: int, *articles: StoredArticle) -> None:
    store.updates.apply_update(
        feed_id,
        title="Feed",
        site_url=None,
        validators=Validators(),
        articles=articles,
        now=NOW,
    )


def indexed_ids(store: Store, words: str) -> set[int]:
    """What FTS5 itself finds, without the search's own catching up."""
    rows = store.db.execute(
        "SELECT rowid FROM article_search WHERE article_search MATCH ?", (words,)
    )
    return {row[0] for row in rows}


def test_writes_queue_and_index_pending_indexes_them(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, stored("a", body="the zeppelin landed"), stored("b", body="nothing"))
    assert store.search.pending_search_count() == 2
    assert indexed_ids(store, "zeppelin") == set()

    assert store.search.index_pending() == 0
    assert store.search.pending_search_count() == 0
    assert len(indexed_ids(store, "zeppelin")) == 1


def test_a_changed_article_is_indexed_again_with_its_new_text(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, stored("a", body="old wording"))
    store.search.index_pending(None)
    write(store, feed, stored("a", body="new wording", content_hash="changed"))
    assert store.search.pending_search_count() == 1
    store.search.index_pending(None)
    assert indexed_ids(store, "old") == set()
    assert len(indexed_ids(store, "new")) == 1


def test_a_change_another_connection_makes_while_a_batch_is_read_is_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's rows are read before its transaction: if another connection (another
    readerterm, the command line) changes an article in between, the batch reads them
    again under the lock and indexes the new text, not the one it read first."""
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, stored("a", body="old wording"))
    other = Store(tmp_path / "rt.db")
    read = search_index.SearchIndex._stage
    calls = []

    def read_then_change(index: search_index.SearchIndex, size: int, queue: str) -> object:
        staged = read(index, size, queue)
        if not calls:
            write(other, feed, stored("a", body="new wording", content_hash="changed"))
        calls.append(size)
        return staged

    monkeypatch.setattr(search_index.SearchIndex, "_stage", read_then_change)
    try:
        assert store.search.index_pending() == 0
    finally:
        other.close()
    assert len(calls) == 3  # read, read again under the lock, then the empty queue
    assert indexed_ids(store, "old") == set()
    assert len(indexed_ids(store, "new")) == 1
    assert store.search.pending_search_count() == 0


def test_a_batch_nobody_else_wrote_meanwhile_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, stored("a", body="the zeppelin landed"), stored("b", body="nothing"))
    read = search_index.SearchIndex._stage
    calls = []

    def counted(index: search_index.SearchIndex, size: int, queue: str) -> object:
        calls.append(size)
        return read(index, size, queue)

    monkeypatch.setattr(search_index.SearchIndex, "_stage", counted)
    assert store.search.index_pending() == 0
    assert len(calls) == 2  # the batch, then the empty queue's
    assert len(indexed_ids(store, "zeppelin")) == 1


def test_an_empty_queue_takes_no_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search checks the queue each time it runs, on the reader's loop: with nothing
    queued that is a read, not a write transaction waiting for the lock."""
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, stored("a", body="the zeppelin landed"))
    assert store.search.index_pending(None) == 0

    def refuse() -> None:
        raise AssertionError("a write transaction for an empty queue")

    monkeypatch.setattr(store.db, "transaction", refuse)
    assert store.search.index_pending(None) == 0
    assert len(indexed_ids(store, "zeppelin")) == 1


def test_batches_stop_at_the_limit_and_report_what_is_left(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, *(stored(f"g{i}") for i in range(7)))
    assert store.search.index_pending(3) == 4
    assert store.search.index_pending(None) == 0


def test_a_search_indexes_a_short_queue_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, stored("a", title="Zeppelin over the city"))
    found = store.views.query_ids(ArticleFilter(words="zeppelin"))
    assert len(found) == 1
    assert store.search.pending_search_count() == 0


def test_a_long_queue_is_left_to_the_background_and_the_search_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("readerterm.store.views.SEARCH_INDEXES_FIRST", 1)
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, stored("a", title="Zeppelin one"), stored("b", title="Zeppelin two"))
    assert store.views.query_ids(ArticleFilter(words="zeppelin")) == []
    assert store.search.pending_search_count() == 2
    store.search.index_pending(None)
    assert len(store.views.query_ids(ArticleFilter(words="zeppelin"))) == 2


def test_deleting_an_article_removes_it_from_index_and_queue(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, stored("a", title="Zeppelin"), stored("b", title="Balloon"))
    store.search.index_pending(None)
    write(store, feed, stored("b", title="Balloon again")._replace(content_hash="new"))
    assert store.search.pending_search_count() == 1
    store.subscriptions.remove_feed(feed)
    assert store.search.pending_search_count() == 0
    assert indexed_ids(store, "zeppelin") == set()


def test_an_upgraded_cache_queues_every_article_for_the_new_index(tmp_path: Path) -> None:
    path = tmp_path / "rt.db"
    connection = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](connection)  # the version 1 schema, as the first release wrote it
    connection.execute("PRAGMA user_version = 1")
    connection.execute(
        "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://e.org/feed', '2024-01-01')"
    )
    connection.execute(
        "INSERT INTO articles (id, feed_id, guid, title, sort_at, content_hash, first_seen)"
        " VALUES (7, 1, 'g', 'Zeppelin sighted', '2024-01-01', 'h', '2024-01-01')"
    )
    connection.execute("INSERT INTO article_texts (article_id, body) VALUES (7, 'over the sea')")
    connection.close()

    store = Store(path)
    assert int(store.db.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION
    assert store.search.pending_search_count() == 1
    assert store.views.query_ids(ArticleFilter(words="zeppelin")) == [7]
    assert store.views.query_ids(ArticleFilter(words="se*")) == [7]  # the new prefix index


def test_batch_size_is_what_one_transaction_holds() -> None:
    assert 20 <= search_index.INDEX_BATCH <= search_index.SEARCH_INDEXES_FIRST


def test_a_very_common_word_ranks_only_its_newest_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    # The first article stored is the best match (the word in its title) but the oldest.
    write(store, feed, stored("old", title="Zeppelin zeppelin zeppelin"))
    write(store, feed, stored("mid", body="a zeppelin"), stored("new", body="one zeppelin"))
    ranked = ArticleFilter(words="zeppelin", sort="rank")
    everything = store.views.query_ids(ranked)
    assert len(everything) == 3
    assert everything[0] == min(everything)  # ranked first while all are candidates

    monkeypatch.setattr("readerterm.store.views.RANKED_CANDIDATES", 2)
    newest_two = store.views.query_ids(ranked)
    assert sorted(newest_two) == sorted(everything)[1:]
    # A search by date still lists every match.
    assert len(store.views.query_ids(ArticleFilter(words="zeppelin"))) == 3


def pending(guid: str, html: str) -> StoredArticle:
    """An article as a refresh stores a full story: its plain text still to be made."""
    return stored(guid)._replace(body="", words=0, feed_html=html, body_pending=True)


def raw_body(store: Store, article_id: int) -> tuple[str, int, int]:
    row = store.db.execute(
        "SELECT body, words, body_pending FROM article_texts WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    return row[0], row[1], row[2]


def test_a_pending_body_is_made_when_read_and_when_indexed(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, pending("a", "<p>The zeppelin <b>landed</b> safely.</p>"))
    (article_id,) = store.views.query_ids(ArticleFilter(feed_id=feed))
    assert raw_body(store, article_id) == ("", 0, 1)

    article = store.articles.article(article_id)  # made on the way out
    assert article is not None
    assert (article.body, article.words) == ("The zeppelin landed safely.", 4)

    store.search.index_pending(None)
    assert indexed_ids(store, "landed") == {article_id}
    assert store.search.pending_search_count() == 0
    assert raw_body(store, article_id) == ("", 0, 1)  # never stored twice


def test_a_summary_left_for_later_is_made_when_read_and_when_indexed(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    story = pending("a", "<p>The story itself.</p>")._replace(
        summary_html="<p>A <b>zeppelin</b> over &amp; above.</p>"
    )
    write(store, feed, story)
    (article_id,) = store.views.query_ids(ArticleFilter(feed_id=feed))
    article = store.articles.article(article_id)
    assert article is not None and article.summary == "A zeppelin over & above."
    assert store.db.execute(
        "SELECT summary FROM article_texts WHERE article_id = ?", (article_id,)
    ).fetchone() == ("",)  # never stored twice
    store.search.index_pending(None)
    assert indexed_ids(store, "zeppelin") == {article_id}  # a word of the summary alone


def test_text_saved_later_is_never_replaced_by_the_pending_plain_text(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.db")
    feed = add_feed(store)
    write(store, feed, pending("a", "<p>feed words</p>"), pending("b", "<p>feed words</p>"))
    first, second = sorted(store.views.query_ids(ArticleFilter(feed_id=feed)))
    store.articles.save_conversion(
        first, body="Converted **markdown**", key_points=(), key_points_origin="", words=2
    )
    store.articles.save_extraction(
        second, body="Page text", key_points=(), key_points_origin="", words=2,
        author=None, image_url=None, now=NOW,
    )  # fmt: skip
    store.search.index_pending(None)
    assert raw_body(store, first) == ("Converted **markdown**", 2, 0)
    assert raw_body(store, second) == ("Page text", 2, 0)
    # The feed changes the story: the page's text stays, with nothing left pending.
    write(store, feed, pending("b", "<p>new feed words</p>")._replace(content_hash="new"))
    store.search.index_pending(None)
    assert raw_body(store, second) == ("Page text", 2, 0)


def test_an_upgraded_version_2_cache_keeps_its_stored_text(tmp_path: Path) -> None:
    path = tmp_path / "rt.db"
    connection = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](connection)
    MIGRATIONS[1](connection)  # a cache as version 2 left it, text stored whole
    connection.execute("PRAGMA user_version = 2")
    connection.execute(
        "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://e.org/feed', '2024-01-01')"
    )
    connection.execute(
        "INSERT INTO articles (id, feed_id, guid, url, title, sort_at, content_hash,"
        " first_seen) VALUES (7, 1, 'g', 'https://e.org/g', 'Zeppelin', '2024-01-01', 'h',"
        " '2024-01-01')"
    )
    connection.execute(
        "INSERT INTO article_texts (article_id, body, words, needs_page, feed_html)"
        " VALUES (7, 'landed over the sea', 4, 1, '<p>landed over the sea</p>')"
    )
    connection.close()

    store = Store(path)
    assert raw_body(store, 7) == ("landed over the sea", 4, 0)
    article = store.articles.article(7)
    assert article is not None and (article.body, article.words) == ("landed over the sea", 4)
    assert store.views.query_ids(ArticleFilter(words="sea")) == [7]
    assert store.articles.articles_needing_pages(limit=10) == [(7, "https://e.org/g")]
    assert "articles_by_url" not in {
        row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
