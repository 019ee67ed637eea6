"""SQLite storage: schema, migrations on PRAGMA user_version, typed queries.

The only module that imports sqlite3. Rows become models here; nothing above sees a row.
Article bodies live in their own table so that listing articles never reads them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import StoreError
from .models import Article, ArticleRow, Feed, KeyPointsOrigin, Validators

SCHEMA_VERSION = 1

_SCHEMA_V1 = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    user_title TEXT,
    site_url TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    etag TEXT,
    last_modified TEXT,
    last_refresh TEXT,
    error TEXT,
    retry_after TEXT,
    fetch_pages TEXT NOT NULL DEFAULT 'auto',
    added_at TEXT NOT NULL
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL,
    author TEXT,
    published TEXT,
    sort_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    UNIQUE (feed_id, guid)
);
CREATE INDEX articles_by_date ON articles (sort_at DESC, id DESC);
CREATE INDEX articles_by_feed ON articles (feed_id, sort_at DESC, id DESC);
CREATE INDEX articles_by_url ON articles (feed_id, url);
CREATE INDEX articles_unread ON articles (feed_id) WHERE read = 0;
CREATE TABLE article_texts (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    key_points TEXT NOT NULL DEFAULT '[]',
    key_points_origin TEXT NOT NULL DEFAULT '',
    words INTEGER NOT NULL DEFAULT 0,
    image_url TEXT,
    needs_page INTEGER NOT NULL DEFAULT 0,
    extracted_at TEXT,
    page_error TEXT
);
CREATE TABLE config_feeds_seen (url TEXT PRIMARY KEY);
"""


def _create_v1(connection: sqlite3.Connection) -> None:
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            connection.execute(statement)


_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1}
"""from_version -> function that brings the schema to from_version + 1."""


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What the update step writes for one article (new or changed)."""

    guid: str
    url: str | None
    title: str
    author: str | None
    published: datetime | None
    content_hash: str
    summary: str
    body: str
    key_points: tuple[str, ...]
    key_points_origin: KeyPointsOrigin
    words: int
    image_url: str | None
    needs_page: bool
    previous_guid: str | None = None
    """Set when the feed re-issued a known article under a new guid (matched by URL)."""


@dataclass(frozen=True, slots=True)
class KnownArticle:
    guid: str
    url: str | None
    content_hash: str


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def _from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    """One SQLite connection, used from one thread (the event loop's)."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 10000")
            self._db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot open the database: {error}") from error
        except OSError as error:
            raise StoreError(f"{self.path}: cannot create the database: {error}") from error

    def close(self) -> None:
        self._db.close()

    # -- schema ---------------------------------------------------------------------

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer readerterm (schema {version}, this one "
                f"reads up to {SCHEMA_VERSION}); upgrade readerterm or use another data dir"
            )
        while version < SCHEMA_VERSION:
            with self._transaction():
                _MIGRATIONS[version](self._db)
                version += 1
                self._db.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so a second process
        waits (busy timeout) rather than failing half way."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(f"{self.path}: database is busy or read-only: {error}") from error
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            try:
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                self._db.execute("ROLLBACK")
                raise StoreError(f"{self.path}: could not save changes: {error}") from error

    def _write(self, sql: str, parameters: Sequence[object] = ()) -> sqlite3.Cursor:
        try:
            with self._transaction():
                return self._db.execute(sql, parameters)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: could not save changes: {error}") from error

    # -- feeds ----------------------------------------------------------------------

    _FEED_COLUMNS = """
        f.id, f.url, COALESCE(f.user_title, NULLIF(f.title, ''), f.url), f.site_url, f.tags,
        f.last_refresh, f.error, f.fetch_pages,
        (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id AND a.read = 0),
        (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id)
    """

    def feeds(self) -> list[Feed]:
        rows = self._db.execute(
            f"SELECT {self._FEED_COLUMNS} FROM feeds f "
            "ORDER BY lower(COALESCE(f.user_title, NULLIF(f.title, ''), f.url)), f.id"
        )
        return [self._feed(row) for row in rows]

    def feed(self, feed_id: int) -> Feed | None:
        row = self._db.execute(
            f"SELECT {self._FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,)
        ).fetchone()
        return self._feed(row) if row else None

    def feed_by_url(self, url: str) -> Feed | None:
        row = self._db.execute(
            f"SELECT {self._FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (url,)
        ).fetchone()
        return self._feed(row) if row else None

    @staticmethod
    def _feed(row: tuple[object, ...]) -> Feed:
        fetch_pages = str(row[7])
        return Feed(
            id=int(row[0]),  # type: ignore[call-overload]
            url=str(row[1]),
            title=str(row[2]),
            site_url=str(row[3]) if row[3] else None,
            tags=tuple(json.loads(str(row[4]))),
            last_refresh=_from_iso(row[5]),  # type: ignore[arg-type]
            error=str(row[6]) if row[6] else None,
            fetch_pages=fetch_pages if fetch_pages in ("always", "never") else "auto",  # type: ignore[arg-type]
            unread=int(row[8]),  # type: ignore[call-overload]
            total=int(row[9]),  # type: ignore[call-overload]
        )

    def add_feed(self, url: str, *, title: str | None, tags: Iterable[str], now: datetime) -> int:
        cursor = self._write(
            "INSERT INTO feeds (url, user_title, tags, added_at) VALUES (?, ?, ?, ?)",
            (url, title, json.dumps(sorted(set(tags))), _iso(now)),
        )
        return int(cursor.lastrowid or 0)

    def remove_feed(self, feed_id: int) -> None:
        self._write("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def validators(self, feed_id: int) -> Validators:
        row = self._db.execute(
            "SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,)
        ).fetchone()
        return Validators(etag=row[0], last_modified=row[1]) if row else Validators()

    def retry_after(self, feed_id: int) -> datetime | None:
        row = self._db.execute("SELECT retry_after FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return _from_iso(row[0]) if row else None

    def record_failure(
        self, feed_id: int, error: str, *, now: datetime, retry_after: datetime | None = None
    ) -> None:
        self._write(
            "UPDATE feeds SET last_refresh = ?, error = ?, retry_after = ? WHERE id = ?",
            (_iso(now), error, _iso(retry_after), feed_id),
        )

    def record_not_modified(self, feed_id: int, validators: Validators, *, now: datetime) -> None:
        self._write(
            "UPDATE feeds SET last_refresh = ?, error = NULL, retry_after = NULL, "
            "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) WHERE id = ?",
            (_iso(now), validators.etag, validators.last_modified, feed_id),
        )

    def config_feed_seen(self, url: str) -> bool:
        row = self._db.execute("SELECT 1 FROM config_feeds_seen WHERE url = ?", (url,)).fetchone()
        return row is not None

    def mark_config_feed_seen(self, url: str) -> None:
        self._write("INSERT OR IGNORE INTO config_feeds_seen (url) VALUES (?)", (url,))

    # -- feed updates -----------------------------------------------------------------

    def known_articles(self, feed_id: int) -> list[KnownArticle]:
        rows = self._db.execute(
            "SELECT guid, url, content_hash FROM articles WHERE feed_id = ?", (feed_id,)
        )
        return [KnownArticle(guid=r[0], url=r[1], content_hash=r[2]) for r in rows]

    def apply_update(
        self,
        feed_id: int,
        *,
        title: str,
        site_url: str | None,
        validators: Validators,
        articles: Sequence[StoredArticle],
        warning: str | None,
        now: datetime,
    ) -> tuple[int, int]:
        """Write one feed's refresh in one transaction; returns (new, updated) counts.

        An article seen before keeps its id, read and starred state; its text is replaced.
        """
        new = updated = 0
        stamp = _iso(now)
        try:
            with self._transaction():
                self._db.execute(
                    "UPDATE feeds SET title = ?, site_url = ?, etag = ?, last_modified = ?, "
                    "last_refresh = ?, error = ?, retry_after = NULL WHERE id = ?",
                    (
                        title,
                        site_url,
                        validators.etag,
                        validators.last_modified,
                        stamp,
                        warning,
                        feed_id,
                    ),
                )
                for article in articles:
                    existing = self._db.execute(
                        "SELECT id FROM articles WHERE feed_id = ? AND guid = ?",
                        (feed_id, article.previous_guid or article.guid),
                    ).fetchone()
                    if existing:
                        article_id = int(existing[0])
                        self._db.execute(
                            "UPDATE articles SET guid = ?, url = ?, title = ?, author = ?, "
                            "published = ?, content_hash = ? WHERE id = ?",
                            (
                                article.guid,
                                article.url,
                                article.title,
                                article.author,
                                _iso(article.published),
                                article.content_hash,
                                article_id,
                            ),
                        )
                        updated += 1
                    else:
                        cursor = self._db.execute(
                            "INSERT INTO articles (feed_id, guid, url, title, author, published,"
                            " sort_at, content_hash, first_seen) VALUES (?,?,?,?,?,?,?,?,?)",
                            (
                                feed_id,
                                article.guid,
                                article.url,
                                article.title,
                                article.author,
                                _iso(article.published),
                                _iso(article.published) or stamp,
                                article.content_hash,
                                stamp,
                            ),
                        )
                        article_id = int(cursor.lastrowid or 0)
                        new += 1
                    self._db.execute(
                        "INSERT OR REPLACE INTO article_texts (article_id, summary, body, "
                        "key_points, key_points_origin, words, image_url, needs_page) "
                        "VALUES (?,?,?,?,?,?,?,?)",
                        (
                            article_id,
                            article.summary,
                            article.body,
                            json.dumps(list(article.key_points)),
                            article.key_points_origin,
                            article.words,
                            article.image_url,
                            int(article.needs_page),
                        ),
                    )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: could not save the feed update: {error}") from error
        return new, updated

    # -- articles ---------------------------------------------------------------------

    def article_ids(
        self,
        *,
        feed_id: int | None,
        unread_only: bool,
        starred_only: bool,
        search: str | None = None,
    ) -> list[int]:
        conditions: list[str] = []
        parameters: list[object] = []
        if search and search.strip():
            # Plain substring search; every word must appear in the title, summary or body.
            for word in search.split():
                pattern = (
                    "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                )
                conditions.append(
                    "id IN (SELECT a.id FROM articles a LEFT JOIN article_texts t"
                    " ON t.article_id = a.id WHERE a.title LIKE ? ESCAPE '\\'"
                    " OR t.summary LIKE ? ESCAPE '\\' OR t.body LIKE ? ESCAPE '\\')"
                )
                parameters.extend([pattern, pattern, pattern])
        if feed_id is not None:
            conditions.append("feed_id = ?")
            parameters.append(feed_id)
        if unread_only:
            conditions.append("read = 0")
        if starred_only:
            conditions.append("starred = 1")
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._db.execute(
            f"SELECT id FROM articles {where} ORDER BY sort_at DESC, id DESC", parameters
        )
        return [row[0] for row in rows]

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        found: dict[int, ArticleRow] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT a.id, a.feed_id, COALESCE(f.user_title, NULLIF(f.title, ''), f.url),"
                " a.title, a.sort_at, a.read, a.starred FROM articles a "
                f"JOIN feeds f ON f.id = a.feed_id WHERE a.id IN ({marks})",
                list(chunk),
            )
            for row in rows:
                found[row[0]] = ArticleRow(
                    id=row[0],
                    feed_id=row[1],
                    feed_title=row[2],
                    title=row[3],
                    published=_from_iso(row[4]),
                    read=bool(row[5]),
                    starred=bool(row[6]),
                )
        return [found[i] for i in ids if i in found]

    def article(self, article_id: int) -> Article | None:
        row = self._db.execute(
            "SELECT a.id, a.feed_id, COALESCE(f.user_title, NULLIF(f.title, ''), f.url),"
            " a.guid, a.url, a.title, a.author, a.published, t.summary, t.body, t.key_points,"
            " t.key_points_origin, a.read, a.starred, t.words, t.image_url, t.extracted_at"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " LEFT JOIN article_texts t ON t.article_id = a.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        origin: KeyPointsOrigin = ""
        if row[11] in ("page", "feed", "generated"):
            origin = row[11]
        return Article(
            id=row[0],
            feed_id=row[1],
            feed_title=row[2],
            guid=row[3],
            url=row[4],
            title=row[5],
            author=row[6],
            published=_from_iso(row[7]),
            summary=row[8] or "",
            body=row[9] or "",
            key_points=tuple(json.loads(row[10] or "[]")),
            key_points_origin=origin,
            read=bool(row[12]),
            starred=bool(row[13]),
            words=int(row[14] or 0),
            image_url=row[15],
            extracted_at=_from_iso(row[16]),
        )

    def articles_needing_pages(
        self, *, limit: int, feed_ids: Sequence[int] | None = None
    ) -> list[tuple[int, str]]:
        """(id, url) of unread articles whose page was never extracted, newest first: those
        whose feed carries no full text (unless the feed says never), or every article of a
        feed set to always."""
        feed_filter = ""
        parameters: list[object] = []
        if feed_ids is not None:
            feed_filter = f"AND a.feed_id IN ({','.join('?' * len(feed_ids))})"
            parameters.extend(feed_ids)
        rows = self._db.execute(
            "SELECT a.id, a.url FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " JOIN article_texts t ON t.article_id = a.id"
            " WHERE a.read = 0 AND t.extracted_at IS NULL AND t.page_error IS NULL"
            " AND a.url IS NOT NULL"
            " AND (f.fetch_pages = 'always' OR (f.fetch_pages = 'auto' AND t.needs_page = 1))"
            f" {feed_filter} ORDER BY a.sort_at DESC, a.id DESC LIMIT ?",
            [*parameters, limit],
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    def save_extraction(
        self,
        article_id: int,
        *,
        body: str,
        key_points: Sequence[str],
        key_points_origin: KeyPointsOrigin,
        words: int,
        author: str | None,
        image_url: str | None,
        now: datetime,
    ) -> None:
        """Store text extracted from the article page; the time marks it as done."""
        try:
            with self._transaction():
                self._db.execute(
                    "UPDATE article_texts SET body = ?, key_points = ?, key_points_origin = ?,"
                    " words = ?, image_url = COALESCE(?, image_url), extracted_at = ?,"
                    " page_error = NULL"
                    " WHERE article_id = ?",
                    (
                        body,
                        json.dumps(list(key_points)),
                        key_points_origin,
                        words,
                        image_url,
                        _iso(now),
                        article_id,
                    ),
                )
                if author:
                    self._db.execute(
                        "UPDATE articles SET author = COALESCE(author, ?) WHERE id = ?",
                        (author, article_id),
                    )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: could not save the article text: {error}") from error

    def mark_extraction_failed(self, article_id: int, error: str) -> None:
        """Remember that the page failed, so prefetch does not try it again and again."""
        self._write(
            "UPDATE article_texts SET page_error = ? WHERE article_id = ?", (error, article_id)
        )

    def set_fetch_pages(self, url: str, value: str) -> None:
        self._write("UPDATE feeds SET fetch_pages = ? WHERE url = ?", (value, url))

    def read_flags(self, ids: Sequence[int]) -> dict[int, bool]:
        flags: dict[int, bool] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT id, read FROM articles WHERE id IN ({marks})", list(chunk)
            ):
                flags[row[0]] = bool(row[1])
        return flags

    def set_read(self, article_ids: Sequence[int], read: bool) -> None:
        for chunk in _chunks(article_ids, 500):
            marks = ",".join("?" * len(chunk))
            self._write(f"UPDATE articles SET read = ? WHERE id IN ({marks})", [int(read), *chunk])

    def set_starred(self, article_id: int, starred: bool) -> None:
        self._write("UPDATE articles SET starred = ? WHERE id = ?", (int(starred), article_id))

    def total_unread(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles WHERE read = 0").fetchone()[0])

    def integrity_ok(self) -> bool:
        return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
