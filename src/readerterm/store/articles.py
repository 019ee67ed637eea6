"""Articles: reading rows and full articles, the reader's states on them, their pages."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from ..models import Article, ArticleRow, Flag, KeyPointsOrigin
from .base import Database, chunks, from_iso, iso
from .copies import with_copies
from .feeds import FEED_TITLE

FLAGS: frozenset[str] = frozenset({"read", "starred", "later", "dismissed"})


def _origin(value: object) -> KeyPointsOrigin:
    if value == "page":
        return "page"
    if value == "feed":
        return "feed"
    if value == "generated":
        return "generated"
    return ""


class ArticleTable:
    """Articles, their texts and the reader's flags on them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading --------------------------------------------------------------------------

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """Light rows for these ids, in the order given; never reads a body."""
        found: dict[int, ArticleRow] = {}
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT a.id, a.feed_id, {FEED_TITLE}, a.title, a.sort_at, a.read, a.starred,"
                " a.later, a.dismissed, a.filtered FROM articles a JOIN feeds f ON f.id = a.feed_id"
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
                    filtered=bool(row[9]),
                )
        return [found[i] for i in ids if i in found]

    def article(self, article_id: int, *, make_body: bool = True) -> Article | None:
        """The full article. `make_body=False`: a body the refresh left as HTML stays
        empty (for a caller about to convert that HTML anyway)."""
        row = self._db.execute(
            f"SELECT a.id, a.feed_id, {FEED_TITLE}, a.guid, a.url, a.title, a.author,"
            " a.published, t.summary, t.body, t.key_points, t.key_points_origin, a.read,"
            " a.starred, t.words, t.image_url, t.extracted_at, a.later, a.dismissed,"
            " t.enclosures, t.body_pending, t.feed_html, t.summary_html, a.categories,"
            " a.filtered FROM articles a JOIN feeds f ON f.id = a.feed_id"
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
            filtered=bool(row[24]),
            tags=self.article_tags(article_id),
            enclosures=tuple(json.loads(row[19] or "[]")),
            categories=tuple(json.loads(row[23] or "[]")),
        )

    def article_id_by_url(self, url: str) -> int | None:
        """The stored story whose link is `url`: one whose page was extracted first, then
        the newest."""
        row = self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN article_texts t ON t.article_id = a.id"
            " WHERE a.url = ? ORDER BY t.extracted_at IS NULL, a.id DESC LIMIT 1",
            (url,),
        ).fetchone()
        return int(row[0]) if row else None

    # -- states set by the reader ---------------------------------------------------------

    def flags(self, ids: Sequence[int], flag: Flag) -> dict[int, bool]:
        """Current value of one flag for each id that exists."""
        return {row[0]: bool(row[1]) for row in self._select(ids, _column(flag))}

    def flags_and_identities(self, ids: Sequence[int], flag: Flag) -> dict[int, tuple[bool, str]]:
        """`flags` and `identities` of each id that exists, read at once (undo keeps both)."""
        columns = f"{_column(flag)}, {_IDENTITY}"
        return {row[0]: (bool(row[1]), row[2]) for row in self._select(ids, columns)}

    def identities(self, ids: Sequence[int]) -> dict[int, str]:
        """Each existing article's identity beyond its id (feed, guid, first seen): an id
        a deleted article left may be given to a new one, which undo must not touch."""
        return {row[0]: row[1] for row in self._select(ids, _IDENTITY)}

    def _select(self, ids: Sequence[int], columns: str) -> Iterator[tuple[Any, ...]]:
        """(id, columns...) of each of `ids` that exists."""
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(
                f"SELECT id, {columns} FROM articles WHERE id IN ({marks})", list(chunk)
            )

    def set_flag(self, ids: Sequence[int], flag: Flag, value: bool) -> None:
        """Set one flag on many articles in one transaction (committed before returning)."""
        self.restore_flags({article_id: value for article_id in ids}, flag)

    def restore_flags(self, values: Mapping[int, bool], flag: Flag) -> None:
        """Give each article its own value of one flag, all in one transaction (undo).
        The value goes to every copy of the story in other feeds too (store/copies.py)."""
        column = _column(flag)
        with self._db.transaction():
            groups = with_copies(self._db, values)
            for value in (True, False):
                ids = [c for i, v in values.items() if v is value for c in groups.get(i, [i])]
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

    def story_tag_names(self) -> list[str]:
        """Every tag the reader gave a story (`T`), each once."""
        rows = self._db.execute("SELECT DISTINCT tag FROM article_tags ORDER BY tag")
        return [r[0] for r in rows]

    def set_article_tags(self, article_id: int, tags: Sequence[str]) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
            self._db.executemany(
                "INSERT OR IGNORE INTO article_tags (article_id, tag) VALUES (?, ?)",
                [(article_id, tag) for tag in tags],
            )

    # -- the config's filters ---------------------------------------------------------------

    def apply_filters(
        self, rules: str, hides: Callable[[str, str], bool]
    ) -> tuple[int, int] | None:
        """Hide the stored stories that `hides(title, feed title)` and show again those
        hidden that it no longer does (never deleting any), when `rules` (the filters, as
        text) differ from those last applied; (hidden, shown), or None when they do not."""
        applied = self._db.execute(
            "SELECT value FROM settings_applied WHERE name = 'filters'"
        ).fetchone()
        if (applied[0] if applied else "[]") == rules:
            return None
        titles = dict(self._db.execute(f"SELECT f.id, {FEED_TITLE} FROM feeds f").fetchall())
        hide: list[int] = []
        show: list[int] = []
        for article_id, title, feed_id, filtered in self._db.execute(
            "SELECT id, title, feed_id, filtered FROM articles"
        ):
            wanted = hides(title, titles.get(feed_id, ""))
            if wanted and not filtered:
                hide.append(article_id)
            elif filtered and not wanted:
                show.append(article_id)
        with self._db.transaction():
            for value, ids in ((1, hide), (0, show)):
                for chunk in chunks(ids):
                    marks = ",".join("?" * len(chunk))
                    self._db.execute(
                        f"UPDATE articles SET filtered = ? WHERE id IN ({marks})", [value, *chunk]
                    )
            self._db.execute(
                "INSERT INTO settings_applied (name, value) VALUES ('filters', ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (rules,),
            )
        return len(hide), len(show)

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


_IDENTITY = "feed_id || char(31) || guid || char(31) || first_seen"
"""An article's identity beyond its id (see ArticleTable.identities), as one string."""


def _column(flag: Flag) -> str:
    if flag not in FLAGS:
        raise ValueError(f"unknown article flag {flag!r}")
    return flag
