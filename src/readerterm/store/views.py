"""Which article ids a view shows, in order: filters, full-text search (FTS5), sorting."""

from __future__ import annotations

import contextlib
import re
import sqlite3

from ..errors import StoreError
from ..models import ArticleFilter
from .base import Database, iso
from .copies import hide_copies
from .feeds import FEED_TITLE
from .search_index import FIRST_SECONDS, SEARCH_INDEXES_FIRST, SearchIndex
from .search_text import query_string

RANKED_RESULTS = 1000
"""A search sorted by relevance lists at most this many articles."""
RANKED_CANDIDATES = 20_000
"""A search sorted by relevance ranks at most the newest this many matches: ranking costs
per match (~1 ms per 1,000), and a word found in more stories than this is too common for
its rank to say much; the newest of them are what a news reader wants first."""

_WORD = re.compile(r"(\w+)(\*?)")
"""A word as the FTS5 tokenizer sees it (letters and digits), with an optional trailing *."""


def match_expression(words: str) -> str | None:
    """An FTS5 MATCH expression in which every word the user typed is a quoted string.

    Quoting makes FTS5 operators (AND, OR, NOT, NEAR, column filters, parentheses) plain
    words, so user input can never be a syntax error. A trailing * keeps its meaning of
    "words starting with". Chinese, Japanese and Korean are looked up as the index holds
    them (search_text), so a word matches inside a run of them. None when nothing
    searchable is left.
    """
    terms = [query_string(word, bool(star)) for word, star in _WORD.findall(words)]
    return " ".join(terms) if terms else None


class ArticleViews:
    """The lists the reader shows: views and searches, walking one date index."""

    def __init__(self, db: Database, search: SearchIndex) -> None:
        self._db = db
        self._search = search

    def query_ids(self, view: ArticleFilter) -> list[int]:
        """Ids of the articles in `view`, newest first (or by feed, or by search rank)."""
        conditions: list[str] = []
        parameters: list[object] = []
        if view.feed_id is not None:
            conditions.append("a.feed_id = ?")
            parameters.append(view.feed_id)
        if view.feed_name:
            conditions.append(
                f"a.feed_id IN (SELECT f.id FROM feeds f WHERE {FEED_TITLE} LIKE ? ESCAPE '\\')"
            )
            parameters.append(f"%{_escape_like(view.feed_name)}%")
        if view.tag:
            # A feed's tag, the reader's tag on a story, or the publisher's category.
            conditions.append(
                "(a.feed_id IN (SELECT f.id FROM feeds f, json_each(f.tags) j"
                " WHERE j.value = ? COLLATE NOCASE)"
                " OR a.id IN (SELECT article_id FROM article_tags WHERE tag = ? COLLATE NOCASE)"
                " OR a.id IN (SELECT article_id FROM article_categories WHERE tag = ?))"
            )
            parameters.extend([view.tag, view.tag, view.tag])
        if view.unread:
            conditions.append("a.read = 0")
        if view.starred:
            conditions.append("a.starred = 1")
        if view.later:
            conditions.append("a.later = 1")
        if view.after is not None:
            conditions.append("a.sort_at >= ?")
            parameters.append(iso(view.after))
        if view.before is not None:
            conditions.append("a.sort_at < ?")
            parameters.append(iso(view.before))
        if not view.show_hidden:
            conditions.append("a.dismissed = 0 AND a.filtered = 0")

        source = "articles a"
        order = "a.sort_at DESC, a.id DESC"
        if view.sort == "feed":
            source = "articles a JOIN feeds f ON f.id = a.feed_id"
            order = f"lower({FEED_TITLE}), a.sort_at DESC, a.id DESC"
        if view.words.strip():
            expression = match_expression(view.words)
            if expression is None:
                return []
            if self._search.pending_search_count() <= SEARCH_INDEXES_FIRST:
                # A read-only or full database still answers, from what is indexed.
                with contextlib.suppress(StoreError):
                    self._search.index_pending(None, seconds=FIRST_SECONDS)
            source = "article_search s JOIN articles a ON a.id = s.rowid" + (
                " JOIN feeds f ON f.id = a.feed_id" if view.sort == "feed" else ""
            )
            conditions.insert(0, "article_search MATCH ?")
            parameters.insert(0, expression)
            if view.sort == "rank":
                # The rowid of the RANKED_CANDIDATES-th newest match (article ids grow
                # as articles arrive); FTS5 reads only the matches above it.
                conditions.insert(
                    1,
                    "s.rowid >= coalesce((SELECT rowid FROM article_search"
                    " WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0)",
                )
                parameters[1:1] = [expression, RANKED_CANDIDATES - 1]
                # Title matches weigh most, then key points, summary, body.
                order = "bm25(article_search, 10.0, 5.0, 2.0, 1.0), a.sort_at DESC"
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = f"SELECT a.id FROM {source} {where} ORDER BY {order}"
        if view.words.strip() and view.sort == "rank":
            # The best matches are what a reader looks at; ranking stops there (a word in
            # most articles ranks in ~70 ms instead of ~120 ms at 100,000 articles).
            sql += f" LIMIT {RANKED_RESULTS}"
        if not view.words.strip():
            return hide_copies(self._db, [row[0] for row in self._db.execute(sql, parameters)])
        try:
            found = [row[0] for row in self._db.raw.execute(sql, parameters)]
        except sqlite3.OperationalError:
            # Whatever FTS5 still refuses in a search becomes "no results", never a crash.
            return []
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self._db.path}: the search failed: {error}") from error
        return hide_copies(self._db, found)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
