"""Articles: writing a feed's update, reading rows and full articles, per-article states."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..feeds.rows import KnownArticle, StoredArticle
from ..models import Article, ArticleRow, Flag, KeyPointsOrigin, Validators
from .base import Database, chunks, from_iso, iso
from .feeds import FEED_TITLE

FLAGS: frozenset[str] = frozenset({"read", "starred", "later", "dismissed"})


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


def _json_list(items: tuple[str, ...]) -> str:
    return json.dumps(list(items)) if items else "[]"


def _origin(value: object) -> KeyPointsOrigin:
    if value == "page":
        return "page"
    if value == "feed":
        return "feed"
    if value == "generated":
        return "generated"
    return ""


class ArticleTable:
    """Articles, their texts and the reader's flags on them; a feed's update in one
    transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- feed updates -------------------------------------------------------------------

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
        self._db.execute(
            "UPDATE feeds SET title = ?, site_url = ?, etag = ?, last_modified = ?,"
            " last_refresh = ?, error = NULL, retry_after = NULL WHERE id = ?",
            (title, site_url, validators.etag, validators.last_modified, stamp, feed_id),
        )
        if self._all_insertable_at_once(feed_id, articles):
            self._insert_all(feed_id, articles, stamp, guids)
            counts = len(articles), 0
        else:
            counts = self._write_one_by_one(feed_id, articles, stamp)
            if guids is not None:
                self._mark_in_feed(feed_id, guids)
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
    ) -> None:
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
                )
            )
            texts_rows.append((article_id, *_text_values(article)))
        self._db.executemany(
            "INSERT INTO articles (id, feed_id, guid, url, title, author, published, sort_at,"
            " content_hash, filtered, first_seen, in_feed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
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

    def _write_one_by_one(
        self, feed_id: int, articles: Sequence[StoredArticle], stamp: str | None
    ) -> tuple[int, int]:
        """Write each article: an update where the feed has it (by guid, or by the guid it
        had before), else an insert. Returns (new, updated) counts."""
        new = updated = 0
        inserted: list[tuple[int]] = []
        for article in articles:
            article_id = self._existing_id(feed_id, article.previous_guid or article.guid)
            if article_id is not None:
                self._db.execute(
                    "UPDATE articles SET guid = ?, url = ?, title = ?, author = ?,"
                    " published = ?, content_hash = ? WHERE id = ?",
                    (
                        article.guid,
                        article.url,
                        article.title,
                        article.author,
                        iso(article.published),
                        article.content_hash,
                        article_id,
                    ),
                )
                updated += 1
            else:
                article_id = self._insert_article(feed_id, article, stamp)
                inserted.append((article_id,))
                new += 1
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
            "INSERT OR IGNORE INTO search_pending (article_id) VALUES (?)", inserted
        )
        return new, updated

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
        """Delete old articles the feed no longer carries; starred and later ones stay."""
        removable = "feed_id = ? AND starred = 0 AND later = 0 AND in_feed = 0"
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
            " content_hash, filtered, first_seen) VALUES (?,?,?,?,?,?,?,?,?,?)",
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
            ),
        )
        return int(cursor.lastrowid or 0)

    # -- reading --------------------------------------------------------------------------

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """Light rows for these ids, in the order given; never reads a body."""
        found: dict[int, ArticleRow] = {}
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT a.id, a.feed_id, {FEED_TITLE}, a.title, a.sort_at, a.read, a.starred,"
                " a.later, a.dismissed FROM articles a JOIN feeds f ON f.id = a.feed_id"
                f" WHERE a.id IN ({marks})",
                list(chunk),
            )
            for row in rows:
                found[row[0]] = ArticleRow(
                    id=row[0],
                    feed_id=row[1],
                    feed_title=row[2],
                    title=row[3],
                    published=from_iso(row[4]),
                    read=bool(row[5]),
                    starred=bool(row[6]),
                    later=bool(row[7]),
                    dismissed=bool(row[8]),
                )
        return [found[i] for i in ids if i in found]

    def article(self, article_id: int, *, make_body: bool = True) -> Article | None:
        """The full article. `make_body=False`: a body the refresh left as HTML stays
        empty (for a caller about to convert that HTML anyway)."""
        row = self._db.execute(
            f"SELECT a.id, a.feed_id, {FEED_TITLE}, a.guid, a.url, a.title, a.author,"
            " a.published, t.summary, t.body, t.key_points, t.key_points_origin, a.read,"
            " a.starred, t.words, t.image_url, t.extracted_at, a.later, a.dismissed,"
            " t.enclosures, t.body_pending, t.feed_html, t.summary_html"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " LEFT JOIN article_texts t ON t.article_id = a.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        body, words = row[9] or "", int(row[14] or 0)
        if row[20] and make_body:  # its plain text is made from the feed HTML kept
            body, words = plain_body(row[21])
        return Article(
            id=row[0],
            feed_id=row[1],
            feed_title=row[2],
            guid=row[3],
            url=row[4],
            title=row[5],
            author=row[6],
            published=from_iso(row[7]),
            summary=made_summary(row[8], row[22], row[21], body),
            body=body,
            key_points=tuple(json.loads(row[10] or "[]")),
            key_points_origin=_origin(row[11]),
            read=bool(row[12]),
            starred=bool(row[13]),
            words=words,
            image_url=row[15],
            extracted_at=from_iso(row[16]),
            later=bool(row[17]),
            dismissed=bool(row[18]),
            tags=self.article_tags(article_id),
            enclosures=tuple(json.loads(row[19] or "[]")),
        )

    # -- states set by the reader ---------------------------------------------------------

    def flags(self, ids: Sequence[int], flag: Flag) -> dict[int, bool]:
        """Current value of one flag for each id that exists."""
        column = _column(flag)
        values: dict[int, bool] = {}
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT id, {column} FROM articles WHERE id IN ({marks})", list(chunk)
            ):
                values[row[0]] = bool(row[1])
        return values

    def set_flag(self, ids: Sequence[int], flag: Flag, value: bool) -> None:
        """Set one flag on many articles in one transaction (committed before returning)."""
        self.restore_flags({article_id: value for article_id in ids}, flag)

    def restore_flags(self, values: Mapping[int, bool], flag: Flag) -> None:
        """Give each article its own value of one flag, all in one transaction (undo)."""
        column = _column(flag)
        with self._db.transaction():
            for value in (True, False):
                ids = [i for i, v in values.items() if v is value]
                for chunk in chunks(ids):
                    marks = ",".join("?" * len(chunk))
                    self._db.execute(
                        f"UPDATE articles SET {column} = ? WHERE id IN ({marks})",
                        [int(value), *chunk],
                    )

    def set_read(self, article_ids: Sequence[int], read: bool) -> None:
        self.set_flag(article_ids, "read", read)

    def set_starred(self, article_id: int, starred: bool) -> None:
        self.set_flag([article_id], "starred", starred)

    def article_tags(self, article_id: int) -> tuple[str, ...]:
        rows = self._db.execute(
            "SELECT tag FROM article_tags WHERE article_id = ? ORDER BY tag", (article_id,)
        )
        return tuple(r[0] for r in rows)

    def set_article_tags(self, article_id: int, tags: Sequence[str]) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
            self._db.executemany(
                "INSERT OR IGNORE INTO article_tags (article_id, tag) VALUES (?, ?)",
                [(article_id, tag) for tag in tags],
            )

    # -- article pages ----------------------------------------------------------------------

    def articles_needing_pages(
        self, *, limit: int, feed_ids: Sequence[int] | None = None
    ) -> list[tuple[int, str]]:
        """(id, url) of unread articles whose page was never extracted, newest first: those
        whose feed carries no full text (unless the feed says never), or every article of a
        feed set to always.

        The teasers come from a partial index (`article_texts_wanting_pages`) rather than
        from a look at every unread article's text: under 1 ms instead of ~40 at 15,000."""
        feed_filter = ""
        parameters: list[object] = []
        if feed_ids is not None:
            feed_filter = f"AND a.feed_id IN ({','.join('?' * len(feed_ids))})"
            parameters.extend(feed_ids)
        wanted = (
            "a.read = 0 AND a.dismissed = 0 AND a.filtered = 0 AND a.url IS NOT NULL"
            " AND t.extracted_at IS NULL AND t.page_error IS NULL"
        )
        # Each part starts from its few candidates (MATERIALIZED keeps the planner from
        # walking every unread article by date instead).
        rows = self._db.execute(
            "WITH teasers AS MATERIALIZED (SELECT article_id FROM article_texts"
            " WHERE needs_page = 1 AND extracted_at IS NULL AND page_error IS NULL),"
            " always AS MATERIALIZED (SELECT id FROM feeds WHERE fetch_pages = 'always'),"
            " found AS MATERIALIZED ("
            " SELECT a.id, a.url, a.sort_at FROM teasers w"
            " JOIN articles a ON a.id = w.article_id JOIN feeds f ON f.id = a.feed_id"
            " JOIN article_texts t ON t.article_id = a.id"
            f" WHERE f.fetch_pages = 'auto' AND {wanted} {feed_filter}"
            " UNION ALL"
            " SELECT a.id, a.url, a.sort_at FROM always JOIN articles a ON a.feed_id = always.id"
            " JOIN article_texts t ON t.article_id = a.id"
            f" WHERE {wanted} {feed_filter})"
            " SELECT id, url FROM found ORDER BY sort_at DESC, id DESC LIMIT ?",
            [*parameters, *parameters, limit],
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
        published: datetime | None = None,
    ) -> None:
        """Store text extracted from the article page; the time marks it as done.
        The page's byline and date fill in what the feed did not say."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE article_texts SET body = ?, key_points = ?, key_points_origin = ?,"
                " words = ?, image_url = COALESCE(?, image_url), extracted_at = ?,"
                " page_error = NULL, body_pending = 0 WHERE article_id = ?",
                (
                    body,
                    json.dumps(list(key_points)),
                    key_points_origin,
                    words,
                    image_url,
                    iso(now),
                    article_id,
                ),
            )
            self._db.execute(
                "UPDATE articles SET author = COALESCE(author, ?),"
                " published = COALESCE(published, ?) WHERE id = ?",
                (author or None, iso(published), article_id),
            )

    def unconverted_html(self, article_id: int) -> str | None:
        """The feed HTML of an article not yet converted to markdown, or None."""
        row = self._db.execute(
            "SELECT feed_html FROM article_texts WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def save_conversion(
        self,
        article_id: int,
        *,
        body: str,
        key_points: Sequence[str],
        key_points_origin: KeyPointsOrigin,
        words: int,
    ) -> None:
        """Store the markdown body and key points made from the feed's HTML."""
        self._db.write(
            "UPDATE article_texts SET body = ?, key_points = ?, key_points_origin = ?,"
            " words = ?, feed_html = NULL, body_pending = 0 WHERE article_id = ?",
            (body, json.dumps(list(key_points)), key_points_origin, words, article_id),
        )

    def mark_extraction_failed(self, article_id: int, error: str) -> None:
        """Remember that the page failed, so prefetch does not try it again and again."""
        self._db.write(
            "UPDATE article_texts SET page_error = ? WHERE article_id = ?", (error, article_id)
        )


def made_summary(
    summary: str | None, summary_html: str | None, feed_html: str | None, body: str
) -> str:
    """An article's summary: as stored, or made now from the feed's summary HTML
    (`StoredArticle.summary_html`), else from the start of its story (`body`: its plain
    text or markdown, for a story whose feed HTML is gone)."""
    if summary or not summary_html:
        return summary or ""
    from ..text.htmltext import summary_of, summary_of_html  # (not at start-up)

    return summary_of_html(summary_html) or (
        summary_of_html(feed_html) if feed_html else summary_of(body)
    )


def plain_body(feed_html: str | None) -> tuple[str, int]:
    """The plain text and word count of an article whose body a refresh left to be made
    from its feed HTML (`StoredArticle.body_pending`): ~55 us for 5 KB."""
    from ..text.htmltext import text_and_words  # (not at start-up: the reader's first screen)

    return text_and_words(feed_html or "")


def _column(flag: Flag) -> str:
    if flag not in FLAGS:
        raise ValueError(f"unknown article flag {flag!r}")
    return flag
