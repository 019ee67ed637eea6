"""An in-memory stand-in for Library with many articles, recording what the UI asks for.

Only for the scale test: it lets us count how many rows the article list pulls in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import timedelta

from seeding import NOW

from readerterm.library import Overview
from readerterm.models import Article, ArticleFilter, ArticleRow, Feed, RefreshResult


class BigFakeLibrary:
    """`count` articles over `feeds` feeds; article i is i minutes old."""

    offline = True

    def __init__(self, count: int, feeds: int = 300) -> None:
        self.count = count
        self._feeds = [
            Feed(id=f + 1, url=f"https://example.org/{f}.xml", title=f"Feed {f + 1:03}")
            for f in range(feeds)
        ]
        self.read: set[int] = set()
        self.row_requests: list[int] = []
        """Sizes of each article_rows call."""
        # The real Library's services, all played by this one object.
        self.subscriptions = self.reading = self.refresher = self.pages = self
        self.settings = self.writer = self.syncing = self
        self.enabled = False  # (as syncing: no sync server)

    def feeds(self) -> list[Feed]:
        return list(self._feeds)

    def feed_count(self) -> int:
        return len(self._feeds)

    def feed(self, feed_id: int) -> Feed:
        return self._feeds[feed_id - 1]

    def total_unread(self) -> int:
        return self.count - len(self.read)

    def article_ids(self, *, feed_id: int | None = None, **_: object) -> list[int]:
        ids = range(1, self.count + 1)
        if feed_id is None:
            return list(ids)
        return [i for i in ids if self._feed_of(i) == feed_id]

    def query(self, view: ArticleFilter) -> list[int]:
        """Enough of the store's filters for the views the UI asks for at start."""
        if view.starred or view.later:
            return []
        ids = self.article_ids(feed_id=view.feed_id)
        if view.unread:
            ids = [i for i in ids if i not in self.read]
        if view.after is not None:
            ids = [i for i in ids if NOW - timedelta(minutes=i) >= view.after]
        return ids

    def overview(
        self, counted: Mapping[str, ArticleFilter], view: ArticleFilter | None = None
    ) -> Overview:
        return Overview(
            feeds=self.feeds(),
            total_unread=self.total_unread(),
            view_unread={name: len(self.query(f)) for name, f in counted.items()},
            ids=self.query(view) if view is not None else None,
        )

    def search_pending(self) -> int:
        return 0

    def index_in_background(self) -> None:
        pass

    async def overview_off_loop(
        self, counted: Mapping[str, ArticleFilter], view: ArticleFilter | None = None
    ) -> Overview:
        return self.overview(counted, view)

    def set_flag(self, ids: Sequence[int], flag: str, value: bool) -> None:
        if flag == "read":
            for article_id in ids:
                self.set_read(article_id, value)

    def _feed_of(self, article_id: int) -> int:
        return (article_id - 1) % len(self._feeds) + 1

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        self.row_requests.append(len(ids))
        return [
            ArticleRow(
                id=i,
                feed_id=self._feed_of(i),
                feed_title=f"Feed {self._feed_of(i):03}",
                title=f"Story number {i}",
                published=NOW - timedelta(minutes=i),
                read=i in self.read,
                starred=False,
            )
            for i in ids
        ]

    def article(self, article_id: int) -> Article:
        row = self.article_rows([article_id])[0]
        return Article(
            id=row.id,
            feed_id=row.feed_id,
            feed_title=row.feed_title,
            guid=str(row.id),
            url=None,
            title=row.title,
            author=None,
            published=row.published,
            summary="",
            body="Body.",
            key_points=(),
            key_points_origin="",
            read=row.read,
            starred=False,
            words=1,
        )

    async def open_article(self, article_id: int) -> Article:
        return self.article(article_id)

    def stored_article(self, article_id: int) -> Article:
        return self.article(article_id)

    def first_unread(self, ids: Sequence[int]) -> int | None:
        return next((i for i in ids if i not in self.read), None)

    def set_read(self, article_id: int, read: bool) -> None:
        (self.read.add if read else self.read.discard)(article_id)

    def set_starred(self, article_id: int, starred: bool) -> None:
        pass

    async def refresh(
        self,
        feed_ids: Sequence[int] | None = None,
        *,
        due_only: bool = False,
        at_once: int = 64,
    ) -> AsyncIterator[RefreshResult]:
        for _ in ():
            yield _
