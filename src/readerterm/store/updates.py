"""Writing a feed's articles: a refresh's (or a sync's) new and changed stories in one
transaction, and retention."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..feeds.rows import KnownArticle, StoredArticle
from ..models import Validators
from .base import Database, iso
from .copies import link_new_copies


@dataclass(frozen=True, slots=True)
class Retention:
    """What may be deleted: articles older than `older_than`, and beyond the newest
    `item_limit`, except those still in the feed document, starred or for later."""

    older_than: datetime | None = None
    item_limit: int | None = None


def _text_values(article: StoredArticle) -> tuple[object, ...]:
    """An article's values for article_texts, in the order the inserts name them."""
    return (
        article.summary,
        article.body,
        _json_list(article.key_points),
        article.key_points_origin,
        article.words,
        article.image_url,
        int(article.needs_page),
        article.feed_html,
        _json_list(article.enclosures),
        int(article.body_pending),
        article.summary_html,
    )


def _json_list(items: tuple[str, ...], empty: str | None = "[]") -> str | None:
    return json.dumps(list(items)) if items else empty


class FeedUpdates:
    """The articles of one feed as a refresh writes them: an article seen before keeps its
    id and every state the reader set; its text is replaced."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def known_articles(self, feed_id: int) -> list[KnownArticle]:
        rows = self._db.execute(
            "SELECT guid, url, content_hash, title FROM articles WHERE feed_id = ?", (feed_id,)
        )
        return [KnownArticle(guid=r[0], url=r[1], content_hash=r[2], title=r[3]) for r in rows]

    def apply_update(
        self,
        feed_id: int,
        *,
        title: str,
        site_url: str | None,
        validators: Validators,
        articles: Sequence[StoredArticle],
        now: datetime,
        retention: Retention | None = None,
        guids: Sequence[str] | None = None,
    ) -> tuple[int, int]:
        """Write one feed's refresh in one transaction; returns (new, updated) counts.

        An article seen before keeps its id and every state the reader set; its text is
        replaced. Either all of the feed's update is written or none of it.
        """
        with self._db.transaction():
            return self.write_update(
                feed_id,
                title=title,
                site_url=site_url,
                validators=validators,
                articles=articles,
                now=now,
                retention=retention,
                guids=guids,
            )

    def write_update(
        self,
        feed_id: int,
        *,
        title: str,
        site_url: str | None,
        validators: Validators,
        articles: Sequence[StoredArticle],
        now: datetime,
        retention: Retention | None = None,
        guids: Sequence[str] | None = None,
    ) -> tuple[int, int]:
        """`apply_update` inside a transaction the caller holds (a sync writes the
        server's ids and states in the same one)."""
        stamp = iso(now)
        # Last first: undated articles all sort at `stamp`, ties go to the newer id, and a
        # feed lists its newest first, so the document's first article gets the last id.
        articles = articles[::-1]
        self._db.execute(
            "UPDATE feeds SET title = ?, site_url = ?, etag = ?, last_modified = ?,"
            " last_refresh = ?, error = NULL, retry_after = NULL WHERE id = ?",
            (title, site_url, validators.etag, validators.last_modified, stamp, feed_id),
        )
        if self._all_insertable_at_once(feed_id, articles):
            inserted = self._insert_all(feed_id, articles, stamp, guids)
            counts = len(articles), 0
        else:
            inserted = self._write_one_by_one(feed_id, articles, stamp)
            counts = len(inserted), len(articles) - len(inserted)
            if guids is not None:
                self._mark_in_feed(feed_id, guids)
        if inserted:
            link_new_copies(self._db, feed_id, [article_id for article_id, _ in inserted])
            self._db.executemany(
                "INSERT OR IGNORE INTO article_categories (tag, article_id) VALUES (?, ?)",
                [(tag, article_id) for article_id, tags in inserted for tag in tags],
            )
        if retention is not None:
            self._apply_retention(feed_id, retention)
        return counts

    def _all_insertable_at_once(self, feed_id: int, articles: Sequence[StoredArticle]) -> bool:
        """Whether every article is new to a feed that has none yet (a first refresh, or
        a feed just added), so `_insert_all` may write them with no look-ups."""
        if len(articles) < 2 or any(article.previous_guid for article in articles):
            return False
        if len({article.guid for article in articles}) != len(articles):
            return False
        return not self._db.execute(
            "SELECT 1 FROM articles WHERE feed_id = ? LIMIT 1", (feed_id,)
        ).rows

    def _insert_all(
        self,
        feed_id: int,
        articles: Sequence[StoredArticle],
        stamp: str | None,
        guids: Sequence[str] | None,
    ) -> list[tuple[int, tuple[str, ...]]]:
        """Insert the articles of a feed that has none, a statement for all of them: a cold
        refresh of 300 feeds spent ~0.25 s of its ~0.7 s of database CPU looking up and
        inserting 15,000 articles one at a time. Their ids are the ones SQLite would give
        (the largest so far, plus one); the write transaction holds them. `in_feed` is
        set as `_mark_in_feed` would set it."""
        in_document = None if guids is None else frozenset(guids)
        last = self._db.execute("SELECT max(id) FROM articles").fetchone()[0]
        first = int(last or 0) + 1
        ids = range(first, first + len(articles))
        articles_rows = []
        texts_rows = []
        for article_id, article in zip(ids, articles, strict=True):
            published = iso(article.published)
            articles_rows.append(
                (
                    article_id,
                    feed_id,
                    article.guid,
                    article.url,
                    article.title,
                    article.author,
                    published,
                    published or stamp,
                    article.content_hash,
                    int(article.filtered),
                    stamp,
                    int(in_document is None or article.guid in in_document),
                    _json_list(article.categories, empty=None),
                )
            )
            texts_rows.append((article_id, *_text_values(article)))
        self._db.executemany(
            "INSERT INTO articles (id, feed_id, guid, url, title, author, published, sort_at,"
            " content_hash, filtered, first_seen, in_feed, categories)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            articles_rows,
        )
        self._db.executemany(
            "INSERT INTO article_texts (article_id, summary, body, key_points,"
            " key_points_origin, words, image_url, needs_page, feed_html, enclosures,"
            " body_pending, summary_html) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            texts_rows,
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO search_pending (article_id) VALUES (?)", [(i,) for i in ids]
        )
        return [(i, article.categories) for i, article in zip(ids, articles, strict=True)]

    def _write_one_by_one(
        self, feed_id: int, articles: Sequence[StoredArticle], stamp: str | None
    ) -> list[tuple[int, tuple[str, ...]]]:
        """Write each article: an update where the feed has it (by guid, or by the guid it
        had before), else an insert. Returns the articles inserted (id, categories)."""
        inserted: list[tuple[int, tuple[str, ...]]] = []
        for article in articles:
            article_id = self._existing_id(feed_id, article.previous_guid or article.guid)
            if article_id is not None:
                self._db.execute(
                    "UPDATE articles SET guid = ?, url = ?, title = ?, author = ?,"
                    " published = ?, content_hash = ?, categories = ? WHERE id = ?",
                    (
                        article.guid,
                        article.url,
                        article.title,
                        article.author,
                        iso(article.published),
                        article.content_hash,
                        _json_list(article.categories, empty=None),
                        article_id,
                    ),
                )
            else:
                article_id = self._insert_article(feed_id, article, stamp)
                inserted.append((article_id, article.categories))
            self._db.execute(
                "INSERT INTO article_texts (article_id, summary, body, key_points,"
                " key_points_origin, words, image_url, needs_page, feed_html, enclosures,"
                " body_pending, summary_html) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                # A changed article keeps the full text taken from its page.
                " ON CONFLICT (article_id) DO UPDATE SET summary = excluded.summary,"
                " summary_html = excluded.summary_html,"
                " enclosures = excluded.enclosures, needs_page = excluded.needs_page,"
                " image_url = COALESCE(image_url, excluded.image_url),"
                " body = iif(extracted_at IS NULL, excluded.body, body),"
                " key_points = iif(extracted_at IS NULL, excluded.key_points, key_points),"
                " key_points_origin = iif(extracted_at IS NULL,"
                " excluded.key_points_origin, key_points_origin),"
                " words = iif(extracted_at IS NULL, excluded.words, words),"
                " body_pending = iif(extracted_at IS NULL, excluded.body_pending, 0),"
                " feed_html = iif(extracted_at IS NULL, excluded.feed_html, NULL)",
                (article_id, *_text_values(article)),
            )
        # New articles wait for the search index (changed ones are queued by a trigger).
        self._db.executemany(
            "INSERT OR IGNORE INTO search_pending (article_id) VALUES (?)",
            [(article_id,) for article_id, _ in inserted],
        )
        return inserted

    def _mark_in_feed(self, feed_id: int, guids: Sequence[str]) -> None:
        """Remember which articles the feed's latest document holds (retention spares
        them, also later when the feed answers 304)."""
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS current_guids (guid TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM current_guids")
        self._db.executemany(
            "INSERT OR IGNORE INTO current_guids (guid) VALUES (?)", [(guid,) for guid in guids]
        )
        # Only the rows whose flag changes: SQLite rewrites every row an UPDATE matches,
        # and most articles stay in (or out of) the feed from one refresh to the next.
        self._db.execute(
            "UPDATE articles SET in_feed = NOT in_feed WHERE feed_id = ?"
            " AND in_feed != (guid IN (SELECT guid FROM current_guids))",
            (feed_id,),
        )

    def apply_retention(self, feed_id: int, retention: Retention) -> None:
        """Retention on its own (a feed that answered 304 still ages its articles)."""
        with self._db.transaction():
            self._apply_retention(feed_id, retention)

    def _apply_retention(self, feed_id: int, retention: Retention) -> None:
        """Delete old articles the feed no longer carries; starred, later and tagged ones
        (each something the user kept) stay."""
        removable = (
            "feed_id = ? AND starred = 0 AND later = 0 AND in_feed = 0"
            " AND id NOT IN (SELECT article_id FROM article_tags)"
        )
        if retention.older_than is not None:
            self._db.execute(
                f"DELETE FROM articles WHERE {removable} AND sort_at < ?",
                (feed_id, iso(retention.older_than)),
            )
        if retention.item_limit is not None:
            self._db.execute(
                f"DELETE FROM articles WHERE {removable} AND id NOT IN"
                " (SELECT id FROM articles WHERE feed_id = ?"
                " ORDER BY sort_at DESC, id DESC LIMIT ?)",
                (feed_id, feed_id, retention.item_limit),
            )

    def _existing_id(self, feed_id: int, guid: str) -> int | None:
        row = self._db.execute(
            "SELECT id FROM articles WHERE feed_id = ? AND guid = ?", (feed_id, guid)
        ).fetchone()
        return int(row[0]) if row else None

    def _insert_article(self, feed_id: int, article: StoredArticle, stamp: str | None) -> int:
        cursor = self._db.execute(
            "INSERT INTO articles (feed_id, guid, url, title, author, published, sort_at,"
            " content_hash, filtered, first_seen, categories) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                feed_id,
                article.guid,
                article.url,
                article.title,
                article.author,
                iso(article.published),
                iso(article.published) or stamp,
                article.content_hash,
                int(article.filtered),
                stamp,
                _json_list(article.categories, empty=None),
            ),
        )
        return int(cursor.lastrowid or 0)
