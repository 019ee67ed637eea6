"""Listing, searching and reading articles, and triage with undo."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import ArticleFilter, ArticleRow, Feed, Flag
from ..store import Store
from .base import LibraryBase, clean_tags
from .query import ParsedQuery, parse_query
from .results import Change

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Overview:
    """What the reader re-reads after a change: feeds with counts, the total and today's
    unread counts, and the ids of the list on show (None when not asked for)."""

    feeds: list[Feed]
    total_unread: int
    today_unread: int
    ids: list[int] | None


class ReadingMixin(LibraryBase):
    # -- articles -----------------------------------------------------------------------

    def article_ids(
        self,
        *,
        feed_id: int | None = None,
        unread_only: bool = False,
        starred_only: bool = False,
        search: str | None = None,
    ) -> list[int]:
        """Ids in display order (newest first); a list widget pages rows by id.
        `search` takes the query syntax of `parse_query` (free words, feed:, is: ...)."""
        view = ArticleFilter(feed_id=feed_id, unread=unread_only, starred=starred_only)
        if search and search.strip():
            view = parse_query(search, base=view).view
        return self.store.query_ids(view)

    def query(self, view: ArticleFilter) -> list[int]:
        """Ids of the articles a view shows, in its order."""
        return self.store.query_ids(view)

    def overview(
        self, today: ArticleFilter, view: ArticleFilter | None = None, *, store: Store | None = None
    ) -> Overview:
        """Feeds and counts (and the ids of `view`), read in one go."""
        store = store or self.store
        return Overview(
            feeds=store.feeds(),
            total_unread=store.total_unread(),
            today_unread=len(store.query_ids(today)),
            ids=store.query_ids(view) if view is not None else None,
        )

    async def overview_off_loop(
        self, today: ArticleFilter, view: ArticleFilter | None = None
    ) -> Overview:
        """`overview` read on the writer's thread, for a reader that must not stall while
        a refresh streams in (reading 100,000 ids takes ~50 ms). It waits behind the
        writes queued before it, so it sees them."""
        return await self._writer.run(lambda store: self.overview(today, view, store=store))

    def search(self, text: str, *, base: ArticleFilter | None = None) -> ParsedQuery:
        """Parse a search as typed (the result says what could not be understood)."""
        return parse_query(text, base=base)

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        return self.store.article_rows(ids)

    def first_unread(self, ids: Sequence[int]) -> int | None:
        """The first id of `ids` (in that order) that is unread, or None."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            flags = self.store.flags(chunk, "read")
            for article_id in chunk:
                if flags.get(article_id) is False:
                    return article_id
        return None

    # -- triage: every change is written at once and can be undone ----------------------

    def set_flag(self, ids: Sequence[int], flag: Flag, value: bool) -> Change | None:
        """Set a state on articles; returns the undoable change (None if nothing changed)."""
        before = self.store.flags(ids, flag)
        changed = {i: old for i, old in before.items() if old is not value}
        if not changed:
            return None
        self.store.set_flag(list(changed), flag, value)
        change = Change(flag=flag, value=value, before=changed)
        self._undo.append(change)
        return change

    def toggle(self, article_id: int, flag: Flag) -> bool:
        """Flip one state of one article; returns the new value."""
        value = not self.store.flags([article_id], flag).get(article_id, False)
        self.set_flag([article_id], flag, value)
        return value

    def set_read(self, article_id: int, read: bool) -> None:
        self.set_flag([article_id], "read", read)

    def set_starred(self, article_id: int, starred: bool) -> None:
        self.set_flag([article_id], "starred", starred)

    def mark_read(self, ids: Sequence[int]) -> Change | None:
        """Mark many articles read at once (one undo step)."""
        return self.set_flag(ids, "read", True)

    def undo(self) -> Change | None:
        """Put back the states the last change replaced; None when there is nothing to undo."""
        if not self._undo:
            return None
        change = self._undo.pop()
        self.store.restore_flags(change.before, change.flag)
        return change

    def set_article_tags(self, article_id: int, tags: Sequence[str]) -> None:
        self.store.set_article_tags(article_id, clean_tags(tags))
