"""store: opening a database file: the schema on PRAGMA user_version, migrations from older
versions, and files that are newer, damaged or cannot be written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_helpers import add_feed, guid_of, ids, stored, update

from readerterm.errors import StoreError
from readerterm.store import SCHEMA_VERSION, Store


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
