"""SQLite storage: the only package that imports sqlite3.

Rows become models here; nothing above the store sees a row. Article bodies live in their
own table so that listing articles never reads them; FTS5 indexes titles, key points,
summaries and bodies; triggers queue what changed and `index_pending` indexes it in batches.
May import: `readerterm.feeds.rows` (the rows a refresh hands over), `readerterm.text`,
`readerterm.models`, `readerterm.errors`; never the library, sync or a front end.
"""

from __future__ import annotations

from pathlib import Path

from ..feeds.rows import KnownArticle, PreparedUpdate, StoredArticle
from .articles import ArticleTable, made_summary, plain_body
from .base import Database
from .checkpoint import SQLITE_AUTOCHECKPOINT_PAGES, WRITER_AUTOCHECKPOINT_PAGES, Checkpointer
from .feeds import FeedTable, FetchState, NewFeed
from .schema import SCHEMA_VERSION
from .search_index import SearchIndex
from .sync import LocalMatch, Queued, SyncStatus, SyncTable
from .updates import FeedUpdates, Retention
from .views import ArticleViews, match_expression

__all__ = [
    "SCHEMA_VERSION",
    "SQLITE_AUTOCHECKPOINT_PAGES",
    "WRITER_AUTOCHECKPOINT_PAGES",
    "Checkpointer",
    "Database",
    "FetchState",
    "KnownArticle",
    "LocalMatch",
    "NewFeed",
    "PreparedUpdate",
    "Queued",
    "Retention",
    "Store",
    "StoredArticle",
    "SyncStatus",
    "made_summary",
    "match_expression",
    "plain_body",
]


class Store:
    """One SQLite database, and a repository for each part of it, all on its connection:
    `subscriptions` (feeds), `updates` (writing a feed's articles), `articles` (reading
    them, their texts and flags), `views` (the lists the
    reader shows, and search), `search` (the index) and `sync` (the server's ids, the
    queue of decisions to send). One Store is used from one
    thread; the writer thread opens its own."""

    def __init__(self, path: Path | str, *, background: bool = False) -> None:
        self.db = Database(path, background=background)
        self.path = self.db.path
        self.subscriptions = FeedTable(self.db)
        self.updates = FeedUpdates(self.db)
        self.articles = ArticleTable(self.db)
        self.search = SearchIndex(self.db)
        self.views = ArticleViews(self.db, self.search)
        self.sync = SyncTable(self.db, self.updates)

    def close(self) -> None:
        self.db.close()
